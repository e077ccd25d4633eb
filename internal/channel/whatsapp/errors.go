package whatsapp

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/relevo/relevo/internal/jobs"
)

// Graph error codes Relevo acts on. Meta asks integrations to branch on
// code (never on subcode, title or HTTP status: 130429 comes as a 400).
const (
	CodeReengagement   = 131047 // more than 24 h since the customer's last message
	CodeRateLimit      = 130429 // the number's throughput was reached
	CodePairRateLimit  = 131056 // too many messages to one customer at once
	CodeTooManyCalls   = 4      // the app's API call rate
	CodeWABARateLimit  = 80007  // the account's API call rate
	CodeTemporary      = 2      // the API is down or overloaded
	CodeSomethingWrong = 131000 // unknown server-side failure
	CodeUnavailable    = 131016 // service unavailable
	CodeServerBusy     = 133004 // server temporarily unavailable
	CodeMaintenance    = 131057 // the account is in maintenance mode
	CodeTokenExpired   = 190
	CodeUndeliverable  = 131026
	CodeUnsupported    = 131051
)

// GraphError is the Graph API's error envelope
// {"error": {message, type, code, error_subcode, error_data{details}, fbtrace_id}},
// or, for an answer without one (a proxy's 502 page), its HTTP status.
type GraphError struct {
	HTTPStatus int
	Code       int
	Subcode    int
	Type       string
	Message    string
	Details    string
	TraceID    string
}

// graphEnvelope is the wire shape of a Graph error answer.
type graphEnvelope struct {
	Error *struct {
		Message   string  `json:"message"`
		Type      string  `json:"type"`
		Code      flexInt `json:"code"`
		Subcode   flexInt `json:"error_subcode"`
		ErrorData struct {
			Details string `json:"details"`
		} `json:"error_data"`
		TraceID string `json:"fbtrace_id"`
	} `json:"error"`
}

// parseGraphError reads a non-2xx answer's body.
func parseGraphError(status int, body []byte) *GraphError {
	ge := &GraphError{HTTPStatus: status}
	var env graphEnvelope
	if json.Unmarshal(body, &env) == nil && env.Error != nil {
		e := env.Error
		ge.Code, ge.Subcode, ge.Type, ge.Message = int(e.Code), int(e.Subcode), e.Type, e.Message
		ge.Details, ge.TraceID = e.ErrorData.Details, e.TraceID
	}
	if ge.Message == "" {
		ge.Message = fmt.Sprintf("HTTP %d %s", status, http.StatusText(status))
	}
	return ge
}

// Error is what the failed message shows: what went wrong, for people,
// then Meta's code and trace id for support.
func (e *GraphError) Error() string {
	var b strings.Builder
	b.WriteString("WhatsApp: ")
	b.WriteString(explain(e.Code, e.Message, e.Details))
	if e.Code != 0 {
		fmt.Fprintf(&b, " (code %d", e.Code)
		if e.TraceID != "" {
			fmt.Fprintf(&b, ", fbtrace_id %s", e.TraceID)
		}
		b.WriteString(")")
	}
	return b.String()
}

// Retryable reports whether sending again later may succeed: rate limits,
// Meta's temporary failures, any 5xx or 429.
func (e *GraphError) Retryable() bool {
	switch e.Code {
	case CodeRateLimit, CodePairRateLimit, CodeTooManyCalls, CodeWABARateLimit, CodeTemporary,
		CodeSomethingWrong, CodeUnavailable, CodeServerBusy, CodeMaintenance:
		return true
	case CodeReengagement:
		return false
	}
	return e.HTTPStatus >= 500 || e.HTTPStatus == http.StatusTooManyRequests
}

// WindowClosed reports whether Meta refused because the customer service
// window is over.
func (e *GraphError) WindowClosed() bool { return e.Code == CodeReengagement }

// explanations are sentences an agent can act on, by Graph error code.
var explanations = map[int]string{
	CodeReengagement:  "the 24-hour window is closed: only an approved template can reach this customer now",
	CodeRateLimit:     "the number's message rate limit was reached; retrying",
	CodePairRateLimit: "too many messages to this customer in a short time; retrying",
	CodeTooManyCalls:  "the app's API call limit was reached; retrying",
	CodeWABARateLimit: "the WhatsApp Business Account's rate limit was reached; retrying",
	CodeTokenExpired:  "the access token expired or was revoked: set a new access_token on the channel",
	CodeUndeliverable: "the message could not be delivered (the number may not use WhatsApp, or must accept new terms)",
	CodeUnsupported:   "this message type is not supported",
	131048:            "spam rate limit: too many of this number's messages were blocked or reported",
	131049:            "Meta did not deliver this message to keep engagement healthy (marketing limit)",
	131050:            "the customer stopped marketing messages from this business",
	131052:            "WhatsApp could not download the media",
	131053:            "WhatsApp could not process the uploaded media",
	132000:            "the template's parameter count does not match its placeholders",
	132001:            "the template does not exist in this language, or is not approved",
	132007:            "the template's text breaks WhatsApp's format policy",
	132012:            "a template parameter has the wrong format",
	132015:            "the template is paused for low quality",
	132016:            "the template is disabled for low quality",
	368:               "the account is temporarily blocked for policy violations",
	131031:            "the business account is locked",
}

// explain turns a code into a sentence an agent can act on; unknown codes
// keep Meta's own details.
func explain(code int, message, details string) string {
	if s, ok := explanations[code]; ok {
		return s
	}
	if details != "" && !strings.Contains(message, details) {
		if message != "" {
			return message + ": " + details
		}
		return details
	}
	if message != "" {
		return message
	}
	return "the Graph API refused the request"
}

// errorText is the failure reason of a status webhook's errors[].
func errorText(errs []Error) (string, bool) {
	if len(errs) == 0 {
		return "WhatsApp: the message could not be delivered", false
	}
	var parts []string
	closed := false
	for _, e := range errs {
		msg := e.Message
		if msg == "" {
			msg = e.Title
		}
		parts = append(parts, fmt.Sprintf("%s (code %d)", explain(int(e.Code), msg, e.ErrorData.Details), int(e.Code)))
		closed = closed || int(e.Code) == CodeReengagement
	}
	return "WhatsApp: " + strings.Join(parts, "; "), closed
}

// transportError is a request that got no answer (network, timeout).
type transportError struct{ err error }

func (t transportError) Error() string {
	return "WhatsApp: the Graph API did not answer: " + t.err.Error()
}
func (t transportError) Unwrap() error { return t.err }

// forOutbox marks what retrying cannot fix as permanent for the outbox
// worker; rate limits, 5xx and network failures stay retryable.
func forOutbox(err error) error {
	var ge *GraphError
	var te transportError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ge):
		if ge.Retryable() {
			return err
		}
		return jobs.Permanent(err)
	case errors.As(err, &te):
		return err
	}
	return jobs.Permanent(err)
}
