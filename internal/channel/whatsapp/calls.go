package whatsapp

import (
	"errors"

	"github.com/relevo/relevo/internal/desk"
)

// The "calls" webhook field of the Cloud API Calling feature: a customer
// calls the business number (connect, with Meta's SDP offer), the call
// ends (terminate), and, for business-initiated calls, which Relevo does
// not place, a connect with Meta's answer. Call statuses (RINGING,
// ACCEPTED, REJECTED) arrive as statuses of type "call".

// Call is one event of the calls field.
type Call struct {
	// ID is WhatsApp's call id ("wacid.…"); every later action names it.
	ID        string     `json:"id"`
	From      flexString `json:"from"`
	To        flexString `json:"to"`
	Event     string     `json:"event"`
	Timestamp flexString `json:"timestamp"`
	// Direction is USER_INITIATED or BUSINESS_INITIATED.
	Direction string       `json:"direction"`
	Session   *CallSession `json:"session,omitempty"`
	// Status, StartTime, EndTime and Duration come with terminate:
	// COMPLETED or FAILED, Unix seconds, seconds.
	Status    string     `json:"status"`
	StartTime flexString `json:"start_time"`
	EndTime   flexString `json:"end_time"`
	Duration  flexInt    `json:"duration"`
	Errors    []Error    `json:"errors,omitempty"`
}

// CallSession is an SDP offer or answer.
type CallSession struct {
	SDPType string `json:"sdp_type"`
	SDP     string `json:"sdp"`
}

// CallEventKind is what Relevo makes of a calls event.
type CallEventKind int

// Call event kinds: a customer's call to ring, the end of a call, or
// something Relevo ignores (counted).
const (
	CallIgnored CallEventKind = iota
	CallConnect
	CallTerminate
)

// maxCallID bounds a call id; Meta's are under 100 characters.
const maxCallID = 256

// Classify validates a calls event and says what it is: a connect needs a
// user-initiated offer of at most desk.MaxCallSignal bytes from a WhatsApp
// id; anything else Relevo does not handle is CallIgnored with the reason.
func (c Call) Classify() (CallEventKind, error) {
	if !validCallID(c.ID) {
		return CallIgnored, errors.New("call id missing or malformed")
	}
	switch c.Event {
	case "connect":
		if c.Direction != "" && c.Direction != "USER_INITIATED" {
			return CallIgnored, errors.New("business-initiated calls are not placed by Relevo")
		}
		if c.Session == nil || c.Session.SDPType != "offer" || c.Session.SDP == "" {
			return CallIgnored, errors.New("a connect without an SDP offer")
		}
		if len(c.Session.SDP) > desk.MaxCallSignal {
			return CallIgnored, errors.New("the SDP offer is too large")
		}
		if !digits(string(c.From)) || len(c.From) > 32 {
			return CallIgnored, errors.New("the caller is not a WhatsApp id")
		}
		return CallConnect, nil
	case "terminate":
		return CallTerminate, nil
	}
	return CallIgnored, errors.New("unknown call event")
}

// validCallID accepts Meta's call ids: "wacid." and URL-safe base64.
func validCallID(id string) bool {
	if id == "" || len(id) > maxCallID {
		return false
	}
	for _, r := range id {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case r == '.' || r == '_' || r == '-' || r == '=' || r == '+' || r == '/':
		default:
			return false
		}
	}
	return true
}
