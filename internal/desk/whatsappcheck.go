package desk

import (
	"bytes"
	"encoding/json"
)

// ChannelCheck is what "check connection" found when it called the Graph
// API with a WhatsApp channel's stored settings: OK when nothing is wrong,
// else each problem next to the config field an admin has to change.
type ChannelCheck struct {
	OK bool `json:"ok"`
	// Phone is the business number as Meta knows it (when it could be read).
	Phone *CheckedPhone `json:"phone,omitempty"`
	// WABA is the WhatsApp Business Account (when it could be read).
	WABA     *CheckedWABA     `json:"waba,omitempty"`
	Problems []ChannelProblem `json:"problems"`
}

// CheckedPhone is the business number's profile at Meta.
type CheckedPhone struct {
	DisplayNumber string `json:"display_number"`
	VerifiedName  string `json:"verified_name"`
	// Quality is Meta's quality rating: GREEN, YELLOW, RED or UNKNOWN.
	Quality string `json:"quality"`
}

// CheckedWABA is the business account's name at Meta.
type CheckedWABA struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// ProblemCode says what kind of thing is wrong, for clients that word it
// themselves.
type ProblemCode string

// The problems a check reports.
const (
	// ProblemMissing: a setting the channel needs is not set.
	ProblemMissing ProblemCode = "missing"
	// ProblemTokenInvalid: Meta refused the access token (Graph code 190).
	ProblemTokenInvalid ProblemCode = "token_invalid"
	// ProblemUnknownID: no such object, or the token may not see it
	// (Graph code 100, subcode 33).
	ProblemUnknownID ProblemCode = "unknown_id"
	// ProblemPermission: the token lacks a WhatsApp permission (codes 10, 200-299).
	ProblemPermission ProblemCode = "missing_permission"
	// ProblemUnreachable: graph_url did not answer.
	ProblemUnreachable ProblemCode = "unreachable"
	// ProblemGraph: any other Graph error, in Meta's words.
	ProblemGraph ProblemCode = "graph_error"
)

// ChannelProblem is one thing a check found wrong.
type ChannelProblem struct {
	// Field is the config key to change (access_token, phone_number_id,
	// waba_id, graph_url).
	Field   string      `json:"field"`
	Code    ProblemCode `json:"code"`
	Message string      `json:"message"`
}

// WithVerifyToken returns a WhatsApp config with token as its
// verify_token when it has none (absent, null or empty), so a new channel
// always has a handshake secret to paste into Meta's dashboard; a config
// that is not an object is returned as it is, for the save to refuse.
func WithVerifyToken(raw json.RawMessage, token string) json.RawMessage {
	raw = bytes.TrimSpace(raw)
	m := map[string]json.RawMessage{}
	if len(raw) > 0 && string(raw) != "null" {
		if raw[0] != '{' || json.Unmarshal(raw, &m) != nil {
			return raw
		}
	}
	var cur string
	if v, ok := m["verify_token"]; ok && string(v) != "null" {
		if json.Unmarshal(v, &cur) != nil || cur != "" {
			return raw // set, or of the wrong type: the save decides
		}
	}
	m["verify_token"], _ = json.Marshal(token)
	out, err := json.Marshal(m)
	if err != nil {
		return raw
	}
	return out
}
