package httpkit

import (
	"encoding/json"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/relevo/relevo/internal/desk"
)

// ErrorResponse is the envelope of every error API.md promises.
type ErrorResponse struct {
	Error ErrorBody `json:"error"`
}

// ErrorBody is the inside of the error envelope; clients branch on Code.
type ErrorBody struct {
	Code    desk.Code      `json:"code"`
	Message string         `json:"message"`
	Details map[string]any `json:"details,omitempty"`
}

// WriteJSON writes v as the whole response. An encoding failure after the
// header is out cannot be reported to the client any more, so it is ignored
// here; response types are plain structs that always encode.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// StatusOf is the one mapping from domain codes to HTTP statuses (API.md's
// error table). An unknown code is a bug somewhere, so it answers 500.
func StatusOf(code desk.Code) int {
	switch code {
	case desk.CodeBadRequest:
		return http.StatusBadRequest
	case desk.CodeUnauthenticated, desk.CodeInvalidSignature:
		return http.StatusUnauthorized
	case desk.CodeForbidden:
		return http.StatusForbidden
	case desk.CodeNotFound:
		return http.StatusNotFound
	case desk.CodeConflict, desk.CodeAlreadyAssigned, desk.CodeAgentUnavailable,
		desk.CodeAgentHasOpenSessions, desk.CodeContactBlocked, desk.CodeInvalidPhase,
		desk.CodeSetupDone, desk.CodeCSATAnswered, desk.CodeCSATClosed:
		return http.StatusConflict
	case desk.CodePayloadTooLarge:
		return http.StatusRequestEntityTooLarge
	case desk.CodeValidationFailed, desk.CodeReasonRequired, desk.CodeWindowClosed,
		desk.CodeBulkLimitExceeded:
		return http.StatusUnprocessableEntity
	case desk.CodeConversationLocked:
		return http.StatusLocked
	case desk.CodeRateLimited:
		return http.StatusTooManyRequests
	case desk.CodeChannelMisconfigured:
		return http.StatusServiceUnavailable
	default:
		return http.StatusInternalServerError
	}
}

// WriteError answers err in API.md's error format. A *desk.Error anywhere in
// the chain is shown as is; anything else is an internal failure: it is
// logged with the method and path only (bodies and headers may hold
// passwords and tokens) and the client gets a generic message, because
// internal error text can leak SQL, file paths or secrets.
func WriteError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	var de *desk.Error
	if !errors.As(err, &de) {
		if log != nil {
			log.ErrorContext(r.Context(), "request failed",
				"method", r.Method, "path", r.URL.Path, "err", err)
		}
		WriteJSON(w, http.StatusInternalServerError, ErrorResponse{Error: ErrorBody{
			Code:    desk.CodeInternal,
			Message: "internal error",
		}})
		return
	}
	status := StatusOf(de.Code)
	if de.Code == desk.CodeInternal || status == http.StatusInternalServerError {
		// A domain error that maps to 500 is still a server fault; keep the
		// message the service chose but make sure someone sees it.
		if log != nil {
			log.ErrorContext(r.Context(), "request failed",
				"method", r.Method, "path", r.URL.Path, "code", string(de.Code), "err", err)
		}
	}
	if de.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.FormatInt(retryAfterSeconds(de.RetryAfter), 10))
	}
	body := ErrorBody{Code: de.Code, Message: de.Message}
	if len(de.Details) > 0 {
		body.Details = de.Details
	}
	WriteJSON(w, status, ErrorResponse{Error: body})
}

// retryAfterSeconds rounds up, and never to 0: "Retry-After: 0" invites a
// client to hammer the server in a tight loop.
func retryAfterSeconds(d time.Duration) int64 {
	s := int64(math.Ceil(d.Seconds()))
	if s < 1 {
		s = 1
	}
	return s
}

// WriteStatusError answers with the error envelope and a status the caller
// chose, for the few answers whose status is not the code's (a webhook
// that must make its sender retry, say). Everything else uses WriteError.
func WriteStatusError(w http.ResponseWriter, status int, code desk.Code, message string) {
	WriteJSON(w, status, ErrorResponse{Error: ErrorBody{Code: code, Message: message}})
}
