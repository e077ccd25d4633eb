package desk

import (
	"errors"
	"fmt"
	"time"
)

// Code is a stable, snake_case error code. Clients branch on it; the HTTP
// layer maps each one to a status in exactly one place.
type Code string

// The codes of API.md. New codes are additions; existing ones never change.
const (
	CodeBadRequest           Code = "bad_request"
	CodeUnauthenticated      Code = "unauthenticated"
	CodeInvalidSignature     Code = "invalid_signature"
	CodeForbidden            Code = "forbidden"
	CodeNotFound             Code = "not_found"
	CodeConflict             Code = "conflict"
	CodeAlreadyAssigned      Code = "already_assigned"
	CodeAgentUnavailable     Code = "agent_unavailable"
	CodeAgentHasOpenSessions Code = "agent_has_open_sessions"
	CodeContactBlocked       Code = "contact_blocked"
	CodeInvalidPhase         Code = "invalid_phase"
	// CodeSetupDone: the first admin was created meanwhile (409); the setup
	// route answers not_found once an admin exists.
	CodeSetupDone          Code = "setup_done"
	CodePayloadTooLarge    Code = "payload_too_large"
	CodeValidationFailed   Code = "validation_failed"
	CodeReasonRequired     Code = "reason_required"
	CodeWindowClosed       Code = "window_closed"
	CodeBulkLimitExceeded  Code = "bulk_limit_exceeded"
	CodeConversationLocked Code = "conversation_locked"
	CodeRateLimited        Code = "rate_limited"
	// CodeChannelMisconfigured: a channel's stored config cannot be used
	// (503); what is wrong is logged, never shown to the caller.
	CodeChannelMisconfigured Code = "channel_misconfigured"
	CodeInternal             Code = "internal"
)

// Error is a domain error with a stable code, a message for people and
// optional structured details.
type Error struct {
	Code    Code
	Message string
	Details map[string]any
	// RetryAfter is set for codes that tell the client when to try again
	// (conversation_locked, rate_limited).
	RetryAfter time.Duration
}

func (e *Error) Error() string { return string(e.Code) + ": " + e.Message }

// Errorf builds an *Error with a formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// WithDetail returns e with one more detail set.
func (e *Error) WithDetail(key string, value any) *Error {
	if e.Details == nil {
		e.Details = map[string]any{}
	}
	e.Details[key] = value
	return e
}

// ErrorCode returns the code of the first *Error in err's chain, or
// CodeInternal when there is none.
func ErrorCode(err error) Code {
	var de *Error
	if errors.As(err, &de) {
		return de.Code
	}
	return CodeInternal
}

// IsCode reports whether err carries code.
func IsCode(err error, code Code) bool { return err != nil && ErrorCode(err) == code }

// NotFound is the error for a missing object, or one outside the caller's
// scope: the two are deliberately indistinguishable.
func NotFound(what string) *Error { return Errorf(CodeNotFound, "%s not found", what) }

// Invalid is a validation failure on one field.
func Invalid(field, format string, args ...any) *Error {
	return Errorf(CodeValidationFailed, "%s: %s", field, fmt.Sprintf(format, args...)).WithDetail("field", field)
}

// ReasonLastAdmin is the "reason" detail of the 409 conflict that refuses
// to leave the desk without an admin: the code stays the generic conflict
// of the contract, the detail lets a client say why in words.
const ReasonLastAdmin = "last_admin"
