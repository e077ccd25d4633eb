package whatsapp_test

import (
	"bytes"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/relevo/relevo/internal/store/storetest"
)

// A customer's message is never lost for a control character: the text
// rules strip from what arrives what they would refuse from an agent.
func TestWebhookStripsControlCharacters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		e := newEnv(t, db)
		body := fixture(t, "text.json")
		body = bytes.Replace(body, []byte(`"Sheena Nelson"`), []byte(`"Sheena\u202e\u0000 Nelson\u001b"`), 1)
		body = bytes.Replace(body, []byte(`"Does it come in another color?"`), []byte(`"Does it\u0000 come\u0007 in\r\nblue?\u001b[0m"`), 1)
		if w := e.post(body); w.Code != 200 {
			t.Fatalf("webhook: %d %s", w.Code, w.Body)
		}
		c := e.only()
		if c.Contact.Name != "Sheena Nelson" {
			t.Errorf("contact name %q", c.Contact.Name)
		}
		if ms := e.customerMessages(c.ID); len(ms) != 1 || ms[0].Text != "Does it come in\nblue?[0m" {
			t.Errorf("customer messages %+v", ms)
		}
	})
}

// A config stored before configs were checked on save, which cannot be
// used: Meta is answered 503 channel_misconfigured (it retries later)
// without a word about the config.
func TestMisconfiguredChannelAnswers503(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		e := newEnv(t, db)
		db.Exec(t, `UPDATE channels SET config = $1 WHERE id = $2`,
			`{"phone_number_id": "`+pnid+`", "app_secret": "`+appSecret+`", "verify_token": "v", "graph_url": "file:///etc/passwd"}`, e.ch.ID)
		verify := httptest.NewRecorder()
		e.srv.ServeHTTP(verify, httptest.NewRequest("GET", "/webhooks/whatsapp/"+e.ch.ID+"?hub.mode=subscribe&hub.verify_token=v&hub.challenge=1", nil))
		for _, w := range []*httptest.ResponseRecorder{e.deliverRaw("text.json"), verify} {
			if w.Code != 503 || !strings.Contains(w.Body.String(), `"code":"channel_misconfigured"`) || strings.Contains(w.Body.String(), "graph_url") {
				t.Fatalf("got %d %s, want 503 channel_misconfigured", w.Code, w.Body)
			}
		}
		if n := len(e.conversations()); n != 0 {
			t.Fatalf("%d conversations stored", n)
		}
	})
}

// deliverRaw posts a fixture and returns the answer, whatever it is.
func (e *env) deliverRaw(name string) *httptest.ResponseRecorder { return e.post(fixture(e.t, name)) }
