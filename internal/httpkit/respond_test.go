package httpkit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/desk"
)

// The table is API.md's, line for line: a code moved to another status is a
// contract change, so this test should have to change with it.
func TestStatusOfFollowsTheErrorTable(t *testing.T) {
	for code, want := range map[desk.Code]int{
		desk.CodeBadRequest:           400,
		desk.CodeUnauthenticated:      401,
		desk.CodeInvalidSignature:     401,
		desk.CodeForbidden:            403,
		desk.CodeNotFound:             404,
		desk.CodeConflict:             409,
		desk.CodeAlreadyAssigned:      409,
		desk.CodeAgentUnavailable:     409,
		desk.CodeAgentHasOpenSessions: 409,
		desk.CodeContactBlocked:       409,
		desk.CodeInvalidPhase:         409,
		desk.CodeCSATAnswered:         409,
		desk.CodeCSATClosed:           409,
		desk.CodePayloadTooLarge:      413,
		desk.CodeValidationFailed:     422,
		desk.CodeReasonRequired:       422,
		desk.CodeWindowClosed:         422,
		desk.CodeBulkLimitExceeded:    422,
		desk.CodeConversationLocked:   423,
		desk.CodeRateLimited:          429,
		desk.CodeInternal:             500,
		desk.Code("no_such_code"):     500,
	} {
		if got := StatusOf(code); got != want {
			t.Errorf("statusOf(%s) = %d; want %d", code, got, want)
		}
	}
}

func TestWriteErrorEncodesDomainErrors(t *testing.T) {
	for _, tc := range []struct {
		name       string
		err        error
		status     int
		body       string
		retryAfter string
	}{
		{"not found", desk.NotFound("conversation"), 404,
			`{"error":{"code":"not_found","message":"conversation not found"}}`, ""},
		{"details kept", desk.Invalid("email", "is required"), 422,
			`{"error":{"code":"validation_failed","message":"email: is required","details":{"field":"email"}}}`, ""},
		{"wrapped", fmt.Errorf("assign: %w", desk.Errorf(desk.CodeAlreadyAssigned, "taken")), 409,
			`{"error":{"code":"already_assigned","message":"taken"}}`, ""},
		{"empty details omitted", &desk.Error{Code: desk.CodeForbidden, Message: "no", Details: map[string]any{}}, 403,
			`{"error":{"code":"forbidden","message":"no"}}`, ""},
		{"retry after rounds up", &desk.Error{Code: desk.CodeConversationLocked, Message: "busy", RetryAfter: 1500 * time.Millisecond,
			Details: map[string]any{"retry_after_seconds": 2}}, 423,
			`{"error":{"code":"conversation_locked","message":"busy","details":{"retry_after_seconds":2}}}`, "2"},
		{"retry after at least one", &desk.Error{Code: desk.CodeRateLimited, Message: "slow down", RetryAfter: time.Millisecond}, 429,
			`{"error":{"code":"rate_limited","message":"slow down"}}`, "1"},
		{"exact seconds", &desk.Error{Code: desk.CodeRateLimited, Message: "slow down", RetryAfter: 3 * time.Second}, 429,
			`{"error":{"code":"rate_limited","message":"slow down"}}`, "3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			WriteError(rec, httptest.NewRequest("POST", "/api/v1/x", nil), slog.New(slog.DiscardHandler), tc.err)
			if rec.Code != tc.status {
				t.Errorf("status = %d; want %d", rec.Code, tc.status)
			}
			if got := strings.TrimSpace(rec.Body.String()); got != tc.body {
				t.Errorf("body = %s\nwant   %s", got, tc.body)
			}
			if got := rec.Header().Get("Retry-After"); got != tc.retryAfter {
				t.Errorf("Retry-After = %q; want %q", got, tc.retryAfter)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("Content-Type = %q", ct)
			}
		})
	}
}

func TestWriteErrorHidesInternalErrors(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	secret := errors.New(`pq: password authentication failed for "relevo" at /var/lib/secret`)
	req := httptest.NewRequest("PATCH", "/api/v1/users/42?x=1", strings.NewReader(`{"password":"hunter2"}`))
	req.Header.Set("Authorization", "Bearer rlv_t_secret")
	rec := httptest.NewRecorder()
	WriteError(rec, req, log, fmt.Errorf("update user: %w", secret))

	if rec.Code != http.StatusInternalServerError {
		t.Errorf("status = %d; want 500", rec.Code)
	}
	var got ErrorResponse
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.Error.Code != desk.CodeInternal || strings.Contains(rec.Body.String(), "password") {
		t.Errorf("body = %s; want code internal and no error text", rec.Body.String())
	}
	for _, want := range []string{"method=PATCH", "path=/api/v1/users/42", "password authentication failed"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log %q lacks %q", logs.String(), want)
		}
	}
	for _, leak := range []string{"hunter2", "rlv_t_secret"} {
		if strings.Contains(logs.String(), leak) {
			t.Errorf("log leaks %q: %s", leak, logs.String())
		}
	}
}

func TestWriteJSONSetsStatusAndType(t *testing.T) {
	rec := httptest.NewRecorder()
	WriteJSON(rec, http.StatusCreated, struct {
		ID string `json:"id"`
	}{"c1"})
	if rec.Code != 201 || strings.TrimSpace(rec.Body.String()) != `{"id":"c1"}` ||
		rec.Header().Get("Content-Type") != "application/json; charset=utf-8" {
		t.Errorf("got %d %q %q", rec.Code, rec.Header().Get("Content-Type"), rec.Body.String())
	}
}
