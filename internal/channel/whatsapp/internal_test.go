package whatsapp

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/jobs"
)

func TestRateLimitSpacesSendsOfOneNumber(t *testing.T) {
	l := newLimiter()
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	// 80 sends at the same instant: each waits one more 1/80 s.
	for i := range 80 {
		if got, want := l.reserve("106540352242922", 80, now), time.Duration(i)*(time.Second/80); got != want {
			t.Fatalf("send %d waits %s, want %s", i, got, want)
		}
	}
	// Another number has its own bucket.
	if got := l.reserve("999", 80, now); got != 0 {
		t.Fatalf("another number waits %s", got)
	}
	// An idle bucket is full again.
	if got := l.reserve("106540352242922", 80, now.Add(2*time.Second)); got != 0 {
		t.Fatalf("after idling: waits %s", got)
	}
	// max_per_second applies from the next send.
	l.reserve("777", 2, now)
	if got := l.reserve("777", 2, now); got != 500*time.Millisecond {
		t.Fatalf("at 2/s the second send waits %s, want 500ms", got)
	}
}

func TestGraphErrorsMapToRetryOrPermanent(t *testing.T) {
	for _, tc := range []struct {
		name      string
		status    int
		body      string
		retry     bool
		windowEnd bool
		text      string
	}{
		{"throughput", 400, `{"error":{"message":"(#130429) Rate limit hit","type":"OAuthException","code":130429,"error_subcode":2494055,"fbtrace_id":"T1"}}`,
			true, false, "rate limit was reached; retrying (code 130429, fbtrace_id T1)"},
		{"pair rate limit", 400, `{"error":{"code":131056,"message":"pair rate limit hit"}}`, true, false, "too many messages to this customer"},
		{"re-engagement", 400, `{"error":{"code":131047,"message":"(#131047) Re-engagement message","error_data":{"details":"more than 24 hours"}}}`,
			false, true, "24-hour window is closed"},
		{"invalid parameter", 400, `{"error":{"code":100,"message":"(#100) Invalid parameter","error_data":{"messaging_product":"whatsapp","details":"Parameter 'to' is missing"}}}`,
			false, false, "WhatsApp: (#100) Invalid parameter: Parameter 'to' is missing (code 100)"},
		{"expired token", 401, `{"error":{"code":190,"type":"OAuthException","message":"Error validating access token"}}`, false, false, "set a new access_token"},
		{"server error", 500, `{"error":{"code":131000,"message":"Something went wrong"}}`, true, false, "Something went wrong"},
		{"bare 503", 503, `Service Unavailable`, true, false, "WhatsApp: HTTP 503 Service Unavailable"},
		{"bare 404", 404, ``, false, false, "HTTP 404 Not Found"},
		{"numbers as strings", 400, `{"error":{"code":"130429","message":"x"}}`, true, false, "code 130429"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ge := parseGraphError(tc.status, []byte(tc.body))
			if ge.Retryable() != tc.retry || ge.WindowClosed() != tc.windowEnd || !strings.Contains(ge.Error(), tc.text) {
				t.Fatalf("%q: retry %v window %v; want %v %v and %q", ge.Error(), ge.Retryable(), ge.WindowClosed(), tc.retry, tc.windowEnd, tc.text)
			}
			if isPermanent(forOutbox(ge)) == tc.retry {
				t.Fatalf("forOutbox permanent = %v, want %v", isPermanent(forOutbox(ge)), !tc.retry)
			}
		})
	}
	if !isPermanent(forOutbox(errors.New("bad template"))) || isPermanent(forOutbox(transportError{errors.New("reset")})) {
		t.Fatal("plain errors are permanent, transport errors are retried")
	}
}

// isPermanent reports whether the outbox would give up on err (what
// jobs.Permanent returns).
func isPermanent(err error) bool {
	return fmt.Sprintf("%T", err) == fmt.Sprintf("%T", jobs.Permanent(errors.New("x")))
}

func TestParseConfigValidates(t *testing.T) {
	ok, err := ParseConfig(json.RawMessage(`{"phone_number_id": 106540352242922, "waba_id": "102290129340398", "access_token": "t"}`))
	if err != nil || ok.PhoneNumberID != "106540352242922" || ok.GraphURL != DefaultGraphURL || ok.MaxPerSecond != DefaultMaxPerSecond {
		t.Fatalf("%+v, %v", ok, err)
	}
	for _, tc := range []struct{ config, field string }{
		{`{}`, "config.phone_number_id"},
		{`{"phone_number_id": "12/../34"}`, "config.phone_number_id"},
		{`{"phone_number_id": "1", "waba_id": "abc"}`, "config.waba_id"},
		{`{"phone_number_id": "1", "graph_url": "ftp://x"}`, "config.graph_url"},
		{`{"phone_number_id": "1", "graph_url": "https://graph.facebook.com/v21.0?x=1"}`, "config.graph_url"},
		{`{"phone_number_id": "1", "max_per_second": -1}`, "config.max_per_second"},
		{`{"phone_number_id": "1", "access_token": "a b"}`, "config.access_token"},
		{`{"phone_number_id": "1", "max_per_second": "fast"}`, "config"},
	} {
		_, err := ParseConfig(json.RawMessage(tc.config))
		var de *desk.Error
		if !errors.As(err, &de) || de.Code != desk.CodeValidationFailed || !strings.HasPrefix(de.Message, tc.field) {
			t.Errorf("%s: %v, want a validation error on %s", tc.config, err, tc.field)
		}
	}
}

func TestDraftOfKnowsEveryFixture(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.json")
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		wh, err := ParseWebhook(raw)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, e := range wh.Entry {
			for _, c := range e.Changes {
				for _, m := range c.Value.Messages {
					d := draftOf(m)
					if d.Reaction == nil && d.Text == "" && d.Media == nil && d.Extra.Location == nil && d.Extra.Payload == "" {
						t.Errorf("%s: %s message would be stored empty", f, m.Type)
					}
				}
			}
		}
	}
}

// Each Graph refusal "check connection" can meet is worded next to the
// setting to change, and no text carries the token.
func TestCheckProblemMapsGraphCodes(t *testing.T) {
	cfg := Config{desk.WhatsAppConfig{AccessToken: "EAAGsecretTOKEN", AppSecret: "app-secret-1"}}
	for _, c := range []struct {
		name          string
		err           error
		id            string
		field         string
		code          desk.ProblemCode
		wordsContains string
	}{
		{"expired token", parseGraphError(401, []byte(`{"error":{"message":"Error validating access token: Session has expired","code":190,"error_subcode":463}}`)),
			"phone_number_id", "access_token", desk.ProblemTokenInvalid, "expired or revoked"},
		{"unknown phone id", parseGraphError(400, []byte(`{"error":{"message":"Unsupported get request. Object with ID '1' does not exist","code":100,"error_subcode":33}}`)),
			"phone_number_id", "phone_number_id", desk.ProblemUnknownID, "no phone number id"},
		{"unknown WABA, code 33", parseGraphError(400, []byte(`{"error":{"message":"no object","code":33}}`)),
			"waba_id", "waba_id", desk.ProblemUnknownID, "WhatsApp Business Account id"},
		{"no permission, code 10", parseGraphError(403, []byte(`{"error":{"message":"(#10) Application does not have permission for this action","code":10}}`)),
			"phone_number_id", "access_token", desk.ProblemPermission, "whatsapp_business_messaging"},
		{"no permission, code 200", parseGraphError(403, []byte(`{"error":{"message":"(#200) Permissions error","code":200}}`)),
			"waba_id", "access_token", desk.ProblemPermission, "whatsapp_business_management"},
		{"Meta's other error keeps its words, not the token", parseGraphError(400, []byte(`{"error":{"message":"bad EAAGsecretTOKEN here","code":131009}}`)),
			"waba_id", "waba_id", desk.ProblemGraph, "Meta answered: bad ******** here"},
		{"a proxy's page", parseGraphError(502, []byte(`<html>bad gateway</html>`)),
			"phone_number_id", "phone_number_id", desk.ProblemGraph, "HTTP 502"},
		{"network", transportError{errors.New("dial tcp: connection refused")},
			"phone_number_id", "graph_url", desk.ProblemUnreachable, "did not answer"},
		{"not JSON", fmt.Errorf("whatsapp: unexpected Graph API answer: %w", errors.New("invalid character")),
			"waba_id", "graph_url", desk.ProblemGraph, "not Meta's"},
	} {
		p := checkProblem(c.err, c.id, cfg)
		if p.Field != c.field || p.Code != c.code || !strings.Contains(p.Message, c.wordsContains) || strings.Contains(p.Message, cfg.AccessToken) {
			t.Errorf("%s: %+v, want field %s, code %s, words with %q", c.name, p, c.field, c.code, c.wordsContains)
		}
	}
}
