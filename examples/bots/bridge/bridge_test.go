package bridge

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/auth"
)

// The bridges verify what Relevo's own signer produces.
func TestVerifyAcceptsRelevosSignature(t *testing.T) {
	secret, body, ts := []byte("s3cret"), []byte(`{"id":"e1"}`), int64(1767225600)
	sig := auth.Sign(secret, ts, body)
	if !Verify(secret, ts, body, sig) {
		t.Fatal("a Relevo signature does not verify")
	}
	for name, bad := range map[string]func() bool{
		"other secret":    func() bool { return Verify([]byte("other"), ts, body, sig) },
		"other timestamp": func() bool { return Verify(secret, ts+1, body, sig) },
		"other body":      func() bool { return Verify(secret, ts, []byte(`{"id":"e2"}`), sig) },
		"no scheme":       func() bool { return Verify(secret, ts, body, strings.TrimPrefix(sig, "sha256=")) },
	} {
		if bad() {
			t.Errorf("%s verified", name)
		}
	}
}

func TestReceiverHandlesEachEventOnceAndRefusesForgeries(t *testing.T) {
	secret := []byte("s3cret")
	var handled []string
	fail := true
	rc := &Receiver{Secret: secret, Handle: func(_ context.Context, ev Event) error {
		if ev.ID == "flaky" && fail {
			fail = false
			return errors.New("engine down")
		}
		handled = append(handled, ev.ID)
		return nil
	}}
	post := func(id string, ts time.Time, sign bool) int {
		body := `{"id":"` + id + `","type":"message.created","conversation_id":"c1","phase":"bot","message":{"text":"hi"}}`
		req := httptest.NewRequest(http.MethodPost, "/relevo", strings.NewReader(body))
		req.Header.Set(HeaderEventID, id)
		req.Header.Set(HeaderTimestamp, strconv.FormatInt(ts.Unix(), 10))
		sig := "sha256=00"
		if sign {
			sig = auth.Sign(secret, ts.Unix(), []byte(body))
		}
		req.Header.Set(HeaderSignature, sig)
		w := httptest.NewRecorder()
		rc.ServeHTTP(w, req)
		return w.Code
	}
	now := time.Now()
	for _, tc := range []struct {
		name string
		id   string
		ts   time.Time
		sign bool
		want int
	}{
		{"signed", "e1", now, true, 200},
		{"the same event again", "e1", now, true, 200},
		{"unsigned", "e2", now, false, 401},
		{"a replay from an hour ago", "e3", now.Add(-time.Hour), true, 401},
		{"an engine failure asks for a retry", "flaky", now, true, 503},
		{"the retry", "flaky", now, true, 200},
	} {
		if got := post(tc.id, tc.ts, tc.sign); got != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, got, tc.want)
		}
	}
	if strings.Join(handled, ",") != "e1,flaky" {
		t.Fatalf("handled %v, want each event once", handled)
	}
}

func TestFitButtonsKeepsWhatChannelsCarry(t *testing.T) {
	in := []Button{{ID: "a", Title: "A title far longer than twenty-four"}, {Title: "No id"}, {ID: strings.Repeat("x", 201), Title: "Long id"}}
	for range 10 {
		in = append(in, Button{ID: "n", Title: "n"})
	}
	out := FitButtons(in)
	if len(out) != 9 || out[0].Title != "A title far longer than…" || out[1].ID != "No id" {
		t.Fatalf("FitButtons = %+v", out)
	}
}
