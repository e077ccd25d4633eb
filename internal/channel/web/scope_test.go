package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/relevo/relevo/internal/auth"
	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/widgetapi"
)

// A widget token reaches its own contact's conversations on its own
// channel and nothing else: not another visitor's, not another channel's,
// not the console's routes, not files of other conversations.
func TestWidgetTokenOnlyReachesItsOwnConversations(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		alice, bob := e.anon(), e.anon()
		am := alice.say("a1", "Alice's secret order 1234")
		bob.say("b1", "Bob here")
		// A conversation of the API channel (another channel of the same bot).
		res, err := e.s.Inbound(ctx, e.api.ID, store.InboundContact{ExternalID: "api-1", Name: "Api"}, store.InboundMessage{ExternalID: "x1", Text: "api secret"})
		if err != nil {
			t.Fatal(err)
		}
		// The shop channel's conversation of another visitor.
		carla, r := e.session(e.shop, shopOrigin, widgetapi.WidgetSessionRequest{Name: "Carla"})
		r.want(200)
		cm := carla.say("c1", "Carla here")

		for name, id := range map[string]string{"another visitor's": bobConv(t, bob), "another channel's": res.ConversationID,
			"another channel's visitor's": cm.ConversationID, "made up": "01nope"} {
			if r := alice.get("/widget/v1/messages?conversation_id=" + id); r.Status != 404 || r.code() != "not_found" {
				t.Errorf("%s conversation: %d %s", name, r.Status, r.Body)
			}
		}
		// Alice's own, by id and by default.
		if got := alice.messages("?conversation_id=" + am.ConversationID); len(got.Items) == 0 || got.Items[0].Text != "Alice's secret order 1234" {
			t.Fatalf("own conversation by id: %+v", got.Items)
		}
		for _, m := range bob.messages("").Items {
			if strings.Contains(m.Text, "Alice") {
				t.Fatalf("bob sees alice's message %+v", m)
			}
		}

		// The console's routes refuse a widget token outright.
		for _, c := range []call{
			{method: "GET", path: "/api/v1/me"},
			{method: "GET", path: "/api/v1/conversations"},
			{method: "GET", path: "/api/v1/conversations/" + am.ConversationID},
			{method: "GET", path: "/api/v1/conversations/" + am.ConversationID + "/messages"},
			{method: "POST", path: "/api/v1/conversations/" + am.ConversationID + "/messages", body: map[string]string{"text": "hi"}},
			{method: "GET", path: "/api/v1/contacts/" + alice.contactID},
			{method: "POST", path: "/api/v1/channels/" + e.api.ID + "/inbound", body: map[string]any{}},
		} {
			c.token = alice.token
			if r := e.do(c); r.Status != http.StatusUnauthorized {
				t.Errorf("%s %s with a widget token: %d %s", c.method, c.path, r.Status, r.Body)
			}
		}

		// And the widget's routes refuse every other credential.
		plain, hash, _ := auth.NewToken(auth.APITokenPrefix)
		if _, err := e.s.CreateToken(ctx, "integration", e.bot.ID, e.agent.ID, hash); err != nil {
			t.Fatal(err)
		}
		for _, tok := range []string{plain, "", "rlv_w_forged", alice.token + "x"} {
			if r := e.do(call{method: "GET", path: "/widget/v1/messages", token: tok}); r.Status != 401 {
				t.Errorf("token %.10q: %d %s", tok, r.Status, r.Body)
			}
		}
		if r := e.do(call{method: "GET", path: "/widget/v1/messages", header: map[string]string{"Cookie": "relevo_session=" + alice.token}}); r.Status != 401 {
			t.Errorf("cookie: %d", r.Status)
		}
	})
}

func bobConv(t *testing.T, v visitor) string {
	t.Helper()
	got := v.messages("")
	if got.Conversation == nil {
		t.Fatal("bob has no conversation")
	}
	return got.Conversation.ID
}

// A visitor's file is downloadable by it (and by staff who see the
// conversation), never by another visitor; an agent's file in the
// visitor's conversation is the visitor's to download.
func TestUploadsAreScopedToTheirContact(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		alice, bob := e.anon(), e.anon()
		var up desk.Attachment
		alice.upload("photo.png", pngBytes).want(200).decode(&up)
		if up.Mime != "image/png" || up.URL != "/widget/v1/uploads/"+up.ID {
			t.Fatalf("upload %+v", up)
		}
		alice.get(up.URL).want(200)
		if r := bob.get(up.URL); r.Status != 404 {
			t.Fatalf("bob downloads alice's file: %d", r.Status)
		}
		// Bob cannot attach Alice's upload either.
		if r := bob.post("/widget/v1/messages", widgetapi.WidgetSendRequest{ID: "b1", AttachmentIDs: []string{up.ID}}); r.Status != 422 {
			t.Fatalf("bob attaches alice's file: %d %s", r.Status, r.Body)
		}
		var m widgetapi.WidgetMessage
		alice.post("/widget/v1/messages", widgetapi.WidgetSendRequest{ID: "a1", AttachmentIDs: []string{up.ID}}).want(200).decode(&m)
		if m.Kind != desk.KindImage || len(m.Attachments) != 1 || m.Attachments[0].URL != up.URL {
			t.Fatalf("sent %+v", m)
		}
		r := alice.get(up.URL).want(200)
		if r.Header.Get("Content-Type") != "image/png" || r.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(r.Header.Get("Content-Disposition"), "inline") {
			t.Fatalf("download headers %v", r.Header)
		}
		if r := bob.get(up.URL); r.Status != 404 {
			t.Fatalf("bob downloads alice's sent file: %d", r.Status)
		}
		if r := e.do(call{method: "GET", path: up.URL}); r.Status != 401 {
			t.Fatalf("no token: %d", r.Status)
		}
	})
}

func TestUploadFollowsTheConsoleRules(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		v := e.anon()
		// Sniffed from the bytes: a program named .png is no image.
		if r := v.upload("evil.png", []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00")); r.Status != 422 {
			t.Fatalf("exe as png: %d %s", r.Status, r.Body)
		}
		if r := v.upload("page.html", []byte("<html><script>alert(1)</script></html>")); r.Status != 422 {
			t.Fatalf("html: %d %s", r.Status, r.Body)
		}
		if r := v.upload("empty.txt", nil); r.Status != 422 {
			t.Fatalf("empty: %d %s", r.Status, r.Body)
		}
		var a desk.Attachment
		v.upload("notes.txt", []byte("hello")).want(200).decode(&a)
		if a.Mime != "text/plain" {
			t.Fatalf("text: %+v", a)
		}
	})
}
