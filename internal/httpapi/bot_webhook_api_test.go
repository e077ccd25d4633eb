package httpapi_test

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/relevo/relevo/internal/auth"
	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/webhook"
)

// pingReceiver is a bot's endpoint: it records what it got and whether the
// signature holds with the secret it was told.
type pingReceiver struct {
	*httptest.Server
	mu     sync.Mutex
	secret string
	status int
	got    []string // "type signed|unsigned"
}

func newPingReceiver(t *testing.T) *pingReceiver {
	rc := &pingReceiver{status: 200}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		ts, _ := strconv.ParseInt(r.Header.Get(webhook.HeaderTimestamp), 10, 64)
		rc.mu.Lock()
		defer rc.mu.Unlock()
		signed := auth.VerifySignature([]byte(rc.secret), ts, body, r.Header.Get(webhook.HeaderSignature))
		rc.got = append(rc.got, string(body)+" signed="+strconv.FormatBool(signed))
		w.WriteHeader(rc.status)
		_, _ = io.WriteString(w, "pong "+strconv.Itoa(rc.status)+"\nsecond line")
	}))
	t.Cleanup(rc.Close)
	return rc
}

// closedPort is an address nothing listens on.
func closedPort(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

func TestBotWebhookTestEventDeliveriesAndSecret(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		a := w.adm()
		bot := "/api/v1/bots/" + w.botA.ID
		// No webhook yet: nothing to test.
		if d := a.post(bot+"/webhook/test", nil).fails(422, "validation_failed"); d["field"] != "webhook_url" {
			t.Fatalf("details = %v", d)
		}
		rc := newPingReceiver(t)
		a.do("PATCH", bot, map[string]any{"webhook_url": rc.URL + "/relevo?token=q"}).want(200)

		// Rotate: the new secret is answered once, never again.
		secret := str(a.post(bot+"/webhook/secret", nil).want(200).obj()["webhook_secret"])
		if len(secret) != 64 || secret == w.botA.WebhookSecret {
			t.Fatalf("rotated secret %q", secret)
		}
		// PATCH with the mask keeps the secret.
		if b := string(a.do("PATCH", bot, map[string]any{"name": "Bot A2", "webhook_secret": desk.ChannelSecretMask}).want(200).Body); strings.Contains(b, secret) {
			t.Fatalf("PATCH answers the secret: %s", b)
		}
		if b := string(a.get(bot).want(200).Body); strings.Contains(b, secret) || !strings.Contains(b, desk.ChannelSecretMask) {
			t.Fatalf("GET bot after rotation: %s", b)
		}
		rc.mu.Lock()
		rc.secret = secret
		rc.mu.Unlock()

		ok := a.post(bot+"/webhook/test", nil).want(200).obj()
		if num(ok["status"]) != 200 || ok["event_type"] != "ping" || ok["test"] != true || ok["error_kind"] != "" ||
			ok["response"] != "pong 200\nsecond line" || ok["url"] != strings.TrimPrefix(rc.URL, "http://")+"/relevo" {
			t.Fatalf("test row = %v", ok)
		}
		rc.mu.Lock()
		got := append([]string(nil), rc.got...)
		rc.status = 500
		rc.mu.Unlock()
		if len(got) != 1 || !strings.Contains(got[0], `"type":"ping"`) || !strings.Contains(got[0], `"bot_id":"`+w.botA.ID+`"`) ||
			!strings.HasSuffix(got[0], "signed=true") {
			t.Fatalf("receiver got %v", got)
		}
		// A failing receiver is an answer, not an error: the row says so.
		if fail := a.post(bot+"/webhook/test", nil).want(200).obj(); num(fail["status"]) != 500 || fail["response"] != "pong 500\nsecond line" {
			t.Fatalf("500 row = %v", fail)
		}
		a.do("PATCH", bot, map[string]any{"webhook_url": "http://" + closedPort(t) + "/hook"}).want(200)
		if gone := a.post(bot+"/webhook/test", nil).want(200).obj(); gone["status"] != nil || gone["error_kind"] != "connection_refused" {
			t.Fatalf("refused row = %v", gone)
		}

		// The log: newest first, for the admin and the bot's supervisor.
		for _, c := range []*client{a, w.login(w.sup)} {
			items := c.get(bot + "/webhook/deliveries").want(200).items()
			if len(items) != 3 || items[0]["error_kind"] != "connection_refused" || num(items[1]["status"]) != 500 || num(items[2]["status"]) != 200 {
				t.Fatalf("deliveries = %v", items)
			}
		}
		if b := string(a.get(bot + "/webhook/deliveries").Body); strings.Contains(b, secret) || strings.Contains(b, "sha256=") || strings.Contains(b, "token=q") {
			t.Fatalf("the log leaks: %s", b)
		}
		// Scope: the supervisor may not test or rotate, an agent reads nothing,
		// and another bot's supervisor does not know bot A exists.
		s := w.login(w.sup)
		s.post(bot+"/webhook/test", nil).fails(403, "forbidden")
		s.post(bot+"/webhook/secret", nil).fails(403, "forbidden")
		w.login(w.agent).get(bot+"/webhook/deliveries").fails(403, "forbidden")
		a.post("/api/v1/users", map[string]any{"name": "Sue B", "email": "supb@test.relevo", "role": "supervisor",
			"password": password, "bot_ids": []string{w.botB.ID}}).want(200)
		w.login(desk.User{Email: "supb@test.relevo"}).get(bot+"/webhook/deliveries").fails(404, "not_found")
		a.get("/api/v1/bots/nope/webhook/deliveries").fails(404, "not_found")
		a.post("/api/v1/bots/nope/webhook/secret", nil).fails(404, "not_found")
	})
}

// happyBotWebhook walks the webhook routes once (TestEveryRouteAnswersItsHappyPath).
func happyBotWebhook(t *testing.T, w *world) {
	a, bot := w.adm(), "/api/v1/bots/"+w.botB.ID
	rc := newPingReceiver(t)
	a.do("PATCH", bot, map[string]any{"webhook_url": rc.URL}).want(200)
	a.post(bot+"/webhook/secret", nil).want(200)
	a.post(bot+"/webhook/test", nil).want(200)
	if items := a.get(bot + "/webhook/deliveries").want(200).items(); len(items) != 1 || items[0]["test"] != true {
		t.Errorf("GET deliveries: %v", items)
	}
	a.do("PATCH", bot, map[string]any{"webhook_url": ""}).want(200)
}
