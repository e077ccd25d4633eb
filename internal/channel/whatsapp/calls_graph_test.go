package whatsapp_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"
)

// The fake Graph API's calls endpoint: POST /{phone-number-id}/calls with
// Meta's body, answered {"success": true}; anything off the format is a
// Graph error 100, as Meta answers it.

// fakeCallAction is one call action the fake received.
type fakeCallAction struct {
	MessagingProduct string `json:"messaging_product"`
	CallID           string `json:"call_id"`
	Action           string `json:"action"`
	Session          *struct {
		SDPType string `json:"sdp_type"`
		SDP     string `json:"sdp"`
	} `json:"session"`
}

func (g *fakeGraph) serveCall(w http.ResponseWriter, body []byte) {
	var in fakeCallAction
	if err := json.Unmarshal(body, &in); err != nil || in.MessagingProduct != "whatsapp" || in.CallID == "" {
		graphError(w, 400, 100, "Invalid parameter", "messaging_product and call_id are required")
		return
	}
	switch in.Action {
	case "pre_accept", "accept":
		if in.Session == nil || in.Session.SDPType != "answer" || in.Session.SDP == "" {
			graphError(w, 400, 100, "Invalid parameter", "session with an SDP answer is required")
			return
		}
	case "reject", "terminate":
	default:
		graphError(w, 400, 100, "Invalid parameter", "unknown action")
		return
	}
	g.mu.Lock()
	var next *fakeReply
	if len(g.callReplies) > 0 {
		next = &g.callReplies[0]
		g.callReplies = g.callReplies[1:]
	}
	g.mu.Unlock()
	g.calls <- in
	if next != nil {
		writeRaw(w, next.Status, next.Body)
		return
	}
	writeRaw(w, 200, `{"messaging_product":"whatsapp","success":true}`)
}

// callAction waits for the next call action the fake receives.
func (g *fakeGraph) callAction(ctx context.Context, t testing.TB) fakeCallAction {
	t.Helper()
	select {
	case a := <-g.calls:
		return a
	case <-ctx.Done():
		t.Fatal("the fake Graph API received no call action")
	}
	return fakeCallAction{}
}

// noCallAction fails if a call action was received and not yet read.
func (g *fakeGraph) noCallAction(t testing.TB) {
	t.Helper()
	select {
	case a := <-g.calls:
		t.Fatalf("unexpected call action %+v", a)
	default:
	}
}

// testCtx bounds the waits of one test.
func testCtx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}
