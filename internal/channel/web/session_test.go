package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/channel/web"
	"github.com/relevo/relevo/internal/widgetapi"
)

func TestAnonymousSessionMakesANewVisitorContact(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		a, b := e.anon(), e.anon()
		if !strings.HasPrefix(a.token, widgetapi.WidgetTokenPrefix) || a.contactID == "" {
			t.Fatalf("session %+v", a)
		}
		if a.contactID == b.contactID || a.token == b.token {
			t.Fatal("two anonymous sessions share a contact or a token")
		}
		k, err := e.s.GetContact(context.Background(), a.contactID)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(k.Name, "Visitor ") || k.BotID != e.bot.ID {
			t.Fatalf("contact %+v", k)
		}
		// Nothing written yet: no conversation.
		if got := a.messages(""); got.Conversation != nil || len(got.Items) != 0 {
			t.Fatalf("fresh visitor sees %+v", got)
		}
	})
}

func TestSessionRequiresThePrechatFieldsOfItsChannel(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		_, r := e.session(e.shop, shopOrigin, widgetapi.WidgetSessionRequest{Email: "carla@example.com"})
		if r.want(422); r.code() != "validation_failed" || !strings.Contains(string(r.Body), "name") {
			t.Fatalf("missing name: %s", r.Body)
		}
		_, r = e.session(e.shop, shopOrigin, widgetapi.WidgetSessionRequest{Name: "Carla", Email: "not an email"})
		r.want(422)
		_, r = e.session(e.shop, shopOrigin, widgetapi.WidgetSessionRequest{Name: "Carla\nEvil"})
		r.want(422)
		v, r := e.session(e.shop, shopOrigin, widgetapi.WidgetSessionRequest{Name: " Carla Customer ", Email: "carla@example.com"})
		r.want(200)
		k, _ := e.s.GetContact(context.Background(), v.contactID)
		if k.Name != "Carla Customer" || k.Email != "carla@example.com" {
			t.Fatalf("contact %+v", k)
		}
	})
}

func TestSessionOnlyOpensWebChannels(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		for _, id := range []string{e.api.ID, "nope", ""} {
			r := e.do(call{method: "POST", path: "/widget/v1/sessions", body: widgetapi.WidgetSessionRequest{ChannelID: id}})
			if r.Status != 404 && r.Status != 422 {
				t.Errorf("channel %q: %d %s", id, r.Status, r.Body)
			}
		}
		e.do(call{method: "POST", path: "/widget/v1/sessions", body: "x"}).want(400)
	})
}

func TestChannelConfigIsPublicButNeverTheSecret(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		r := e.do(call{method: "GET", path: "/widget/v1/channels/" + e.shop.ID + "/config", origin: shopOrigin}).want(200)
		if strings.Contains(string(r.Body), secret) || strings.Contains(string(r.Body), "allowed_origins") {
			t.Fatalf("config leaks: %s", r.Body)
		}
		var c widgetapi.WidgetConfig
		r.decode(&c)
		if c.Name != "Shop help" || len(c.Prechat) != 2 || c.Prechat[0] != (widgetapi.WidgetField{Name: "name", Required: true}) ||
			len(c.Languages) != 1 || c.Languages[0] != "es" || !c.IdentityVerification || c.Color == "" {
			t.Fatalf("config %+v", c)
		}
		e.do(call{method: "GET", path: "/widget/v1/channels/" + e.open.ID + "/config"}).want(200).decode(&c)
		if c.Name != "Acme" || c.Greeting != "Hello" || len(c.Languages) != 3 || c.IdentityVerification || c.Prechat == nil {
			t.Fatalf("open config %+v", c)
		}
		e.do(call{method: "GET", path: "/widget/v1/channels/" + e.api.ID + "/config"}).want(404)
	})
}

func TestIdentifiedVisitorKeepsOneContactAcrossDevices(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		hash := web.IdentifierHash(secret, "customer-42")
		in := widgetapi.WidgetSessionRequest{Identifier: "customer-42", IdentifierHash: hash, Name: "Dora"}
		laptop, r := e.session(e.shop, shopOrigin, in)
		r.want(200)
		in.IdentifierHash = strings.ToUpper(hash) // hex in either case
		phone, r := e.session(e.shop, shopOrigin, in)
		r.want(200)
		if laptop.contactID != phone.contactID || laptop.token == phone.token {
			t.Fatalf("laptop %s, phone %s", laptop.contactID, phone.contactID)
		}
		laptop.say("m1", "Hi from the laptop")
		got := phone.messages("")
		if len(got.Items) == 0 || got.Items[0].Text != "Hi from the laptop" || got.Items[0].ClientID != "m1" {
			t.Fatalf("the phone sees %+v", got.Items)
		}
	})
}

func TestIdentityVerificationRefusesAWrongHash(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		good := web.IdentifierHash(secret, "customer-42")
		for _, tc := range []struct {
			name, identifier, hash string
			status                 int
		}{
			{"hash of another identifier", "customer-42", web.IdentifierHash(secret, "customer-43"), 401},
			{"hash under another secret", "customer-42", web.IdentifierHash("guess", "customer-42"), 401},
			{"truncated", "customer-42", good[:40], 401},
			{"not hex", "customer-42", strings.Repeat("z", 64), 401},
			{"no hash", "customer-42", "", 401},
			{"hash without identifier", "", good, 422},
		} {
			_, r := e.session(e.shop, shopOrigin, widgetapi.WidgetSessionRequest{Identifier: tc.identifier, IdentifierHash: tc.hash})
			if r.Status != tc.status {
				t.Errorf("%s: %d %s", tc.name, r.Status, r.Body)
			}
		}
		// A channel without a secret cannot verify anyone, so it refuses
		// identifiers rather than trusting them.
		_, r := e.session(e.open, "", widgetapi.WidgetSessionRequest{Identifier: "customer-42", IdentifierHash: web.IdentifierHash("", "customer-42")})
		r.want(422)
	})
}

func TestExpiredSessionIsRefused(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		v := e.anon()
		v.get("/widget/v1/messages").want(200)
		e.db.Clock.Advance(31 * 24 * time.Hour)
		if r := v.get("/widget/v1/messages"); r.Status != 401 || r.code() != "unauthenticated" {
			t.Fatalf("expired session: %d %s", r.Status, r.Body)
		}
	})
}

func TestUsedSessionSlides(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		v := e.anon()
		e.db.Clock.Advance(20 * 24 * time.Hour)
		v.get("/widget/v1/messages").want(200) // renewed: past half its life
		e.db.Clock.Advance(20 * 24 * time.Hour)
		v.get("/widget/v1/messages").want(200)
	})
}
