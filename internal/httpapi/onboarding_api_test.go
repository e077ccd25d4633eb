package httpapi_test

import (
	"testing"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// steps is the checklist's done flags by step id.
func steps(o map[string]any) map[string]bool {
	out := map[string]bool{}
	for _, s := range o["steps"].([]any) {
		m := s.(map[string]any)
		out[str(m["id"])] = m["done"] == true
	}
	return out
}

// From an empty server the admin's checklist ticks each step as what it
// asks for comes to exist; putting it away is the admin's own choice.
func TestOnboardingTicksFromTheStore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := emptyWorld(t, db)
		a := w.anon()
		a.post("/api/v1/setup", setupBody(1)).want(200)
		o := a.get("/api/v1/me/onboarding").want(200).obj()
		if got := steps(o); len(got) != 5 || got["bot"] || got["conversation"] || o["dismissed"] != false || o["complete"] != false {
			t.Fatalf("empty server: %v", o)
		}
		bot := a.post("/api/v1/bots", map[string]any{"name": "Shop"}).want(200).obj()
		if got := steps(a.get("/api/v1/me/onboarding").want(200).obj()); !got["bot"] || got["channel"] {
			t.Fatalf("after a bot: %v", got)
		}
		ch := a.post("/api/v1/channels", map[string]any{"bot_id": bot["id"], "type": "web", "name": "Site"}).want(200).obj()
		// Saying the snippet is copied ticks that step.
		o = a.do("PUT", "/api/v1/me/onboarding", map[string]any{"snippet_done": true}).want(200).obj()
		if got := steps(o); !got["channel"] || !got["snippet"] || got["agent"] {
			t.Fatalf("after a web channel and the snippet: %v", got)
		}
		a.post("/api/v1/users", map[string]any{"name": "Ann", "email": "ann@test.relevo", "password": "ann-password-1", "role": "agent", "bot_ids": []any{bot["id"]}}).want(200)
		// Put away: another admin still sees theirs.
		o = a.do("PUT", "/api/v1/me/onboarding", map[string]any{"dismissed": true}).want(200).obj()
		if o["dismissed"] != true || !steps(o)["agent"] {
			t.Fatalf("dismissed: %v", o)
		}
		if o := a.get("/api/v1/me/onboarding").want(200).obj(); o["dismissed"] != true {
			t.Fatalf("dismissed is kept: %v", o)
		}
		a.post("/api/v1/users", map[string]any{"name": "Bo", "email": "bo@test.relevo", "password": "bo-password-12", "role": "admin"}).want(200)
		bo := w.anon()
		bo.post("/api/v1/auth/login", map[string]string{"email": "bo@test.relevo", "password": "bo-password-12"}).want(200)
		if o := bo.get("/api/v1/me/onboarding").want(200).obj(); o["dismissed"] != false || steps(o)["snippet"] {
			t.Fatalf("another admin's checklist: %v", o)
		}
		storetest.NewSeed(t, db.Store).Inbound(str(ch["id"]), store.InboundContact{ExternalID: "web-1", Name: "Web visitor"},
			store.InboundMessage{ExternalID: "web-1-m1", Text: "hello"})
		o = a.do("PUT", "/api/v1/me/onboarding", map[string]any{"dismissed": false}).want(200).obj()
		if o["complete"] != true || o["dismissed"] != false {
			t.Fatalf("every step done: %v", o)
		}
		// Bo never said so, but the channel's first conversation ticks it.
		if got := steps(bo.get("/api/v1/me/onboarding").want(200).obj()); !got["snippet"] {
			t.Fatalf("a web conversation ticks the snippet: %v", got)
		}
		a.do("PUT", "/api/v1/me/onboarding", map[string]any{"dismissed": "yes"}).fails(400, "bad_request")
	})
}

// Only admins have a checklist: the route does not answer other roles.
func TestOnboardingIsForAdmins(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		for _, u := range []desk.User{w.sup, w.agent, w.auditor} {
			c := w.login(u)
			c.get("/api/v1/me/onboarding").fails(403, "forbidden")
			c.do("PUT", "/api/v1/me/onboarding", map[string]any{"dismissed": true}).fails(403, "forbidden")
		}
		w.token("").get("/api/v1/me/onboarding").fails(403, "forbidden")
		w.anon().get("/api/v1/me/onboarding").fails(401, "unauthenticated")
	})
}
