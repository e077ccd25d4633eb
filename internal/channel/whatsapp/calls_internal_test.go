package whatsapp

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/relevo/relevo/internal/desk"
)

const fixtureCallID = "wacid.HBgLMTY1MDU1NTEyMzQVAgARGCA5QTNDQTVCM0Q0Q0Q2RTY3RTcA"

func callsOf(t *testing.T, name string) ([]Call, []Status) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	wh, err := ParseWebhook(raw)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if len(wh.Entry) != 1 || len(wh.Entry[0].Changes) != 1 || wh.Entry[0].Changes[0].Field != "calls" {
		t.Fatalf("%s: not one calls change", name)
	}
	v := wh.Entry[0].Changes[0].Value
	if string(v.Metadata.PhoneNumberID) != "106540352242922" {
		t.Fatalf("%s: phone number id %q", name, v.Metadata.PhoneNumberID)
	}
	return v.Calls, v.Statuses
}

func TestCallFixturesParse(t *testing.T) {
	for _, tc := range []struct {
		file   string
		kind   CallEventKind
		id     string
		event  string
		status string
		sdp    bool
	}{
		{"call_connect.json", CallConnect, fixtureCallID, "connect", "", true},
		{"call_terminate.json", CallTerminate, fixtureCallID, "terminate", "COMPLETED", false},
		{"call_terminate_failed.json", CallTerminate, fixtureCallID, "terminate", "FAILED", false},
		// Meta's answer to a call Relevo never places: ignored.
		{"call_connect_business.json", CallIgnored, "wacid.HBgLMTY1MDU1NTEyMzQVAgARGCBCMkQ0RTZGODFBM0M1RTc5", "connect", "", true},
	} {
		calls, _ := callsOf(t, tc.file)
		if len(calls) != 1 {
			t.Fatalf("%s: %d calls", tc.file, len(calls))
		}
		c := calls[0]
		kind, why := c.Classify()
		if kind != tc.kind || c.ID != tc.id || c.Event != tc.event || c.Status != tc.status || (c.Session != nil) != tc.sdp {
			t.Errorf("%s: kind %d (%v), %+v", tc.file, kind, why, c)
		}
		if kind == CallConnect && (string(c.From) != "16505551234" || !strings.HasPrefix(c.Session.SDP, "v=0\r\n") ||
			!strings.Contains(c.Session.SDP, "a=rtpmap:111 opus/48000/2")) {
			t.Errorf("%s: from %q, sdp %q", tc.file, c.From, c.Session.SDP)
		}
	}
	calls, _ := callsOf(t, "call_terminate.json")
	if calls[0].Duration != 83 || string(calls[0].StartTime) != "1793610012" || string(calls[0].EndTime) != "1793610095" {
		t.Errorf("terminate times: %+v", calls[0])
	}
	calls, _ = callsOf(t, "call_terminate_failed.json")
	if len(calls[0].Errors) != 1 || calls[0].Errors[0].Code != 131000 {
		t.Errorf("failed terminate errors: %+v", calls[0].Errors)
	}
	calls, statuses := callsOf(t, "call_status_ringing.json")
	if len(calls) != 0 || len(statuses) != 1 || statuses[0].Type != "call" || statuses[0].Status != "RINGING" || statuses[0].ID != fixtureCallID {
		t.Errorf("call status: %+v %+v", calls, statuses)
	}
}

func TestClassifyRefusesWhatCannotRing(t *testing.T) {
	offer := &CallSession{SDPType: "offer", SDP: "v=0\r\n"}
	ok := Call{ID: fixtureCallID, From: "16505551234", Event: "connect", Direction: "USER_INITIATED", Session: offer}
	if k, err := ok.Classify(); k != CallConnect {
		t.Fatalf("a good connect: %d %v", k, err)
	}
	for name, mut := range map[string]func(*Call){
		"no id":            func(c *Call) { c.ID = "" },
		"id with a space":  func(c *Call) { c.ID = "wacid.a b" },
		"id with a slash?": func(c *Call) { c.ID = "wacid.../../x?y" },
		"id too long":      func(c *Call) { c.ID = "wacid." + strings.Repeat("A", maxCallID) },
		"no session":       func(c *Call) { c.Session = nil },
		"an answer":        func(c *Call) { c.Session = &CallSession{SDPType: "answer", SDP: "v=0"} },
		"empty sdp":        func(c *Call) { c.Session = &CallSession{SDPType: "offer"} },
		"sdp over 16 KiB": func(c *Call) {
			c.Session = &CallSession{SDPType: "offer", SDP: strings.Repeat("a", desk.MaxCallSignal+1)}
		},
		"caller not digits": func(c *Call) { c.From = "+1 650" },
		"business call":     func(c *Call) { c.Direction = "BUSINESS_INITIATED" },
		"unknown event":     func(c *Call) { c.Event = "transfer" },
	} {
		c := ok
		mut(&c)
		if k, err := c.Classify(); k != CallIgnored || err == nil {
			t.Errorf("%s: kind %d, err %v; want ignored with a reason", name, k, err)
		}
	}
}

// FuzzCallsWebhook: whatever Meta (or anyone holding the app secret)
// sends, parsing never panics and a call that would ring is within bounds.
func FuzzCallsWebhook(f *testing.F) {
	files, _ := filepath.Glob("testdata/call_*.json")
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"entry":[{"changes":[{"field":"calls","value":{"calls":[{"id":7,"from":{},"event":"connect","session":{"sdp_type":"offer","sdp":[]}}]}}]}]}`))
	f.Add([]byte(`{"entry":[{"changes":[{"field":"calls","value":{"calls":[{"id":"wacid.x","from":"1","event":"terminate","duration":"NaN"}],"statuses":[{"type":"call"}]}}]}]}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		wh, err := ParseWebhook(raw)
		if err != nil {
			return
		}
		for _, e := range wh.Entry {
			for _, ch := range e.Changes {
				for _, c := range ch.Value.Calls {
					kind, why := c.Classify()
					if kind == CallIgnored {
						if why == nil {
							t.Fatal("ignored without a reason")
						}
						continue
					}
					if !validCallID(c.ID) {
						t.Fatalf("call id %q accepted", c.ID)
					}
					if kind == CallConnect && (c.Session == nil || len(c.Session.SDP) > desk.MaxCallSignal || !digits(string(c.From))) {
						t.Fatalf("connect accepted out of bounds: %+v", c)
					}
				}
			}
		}
	})
}
