package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/desk"
)

// happyAuth walks the auth and self routes.
func happyAuth(t *testing.T, w *world) {
	c := w.anon()
	r := c.post("/api/v1/auth/login", map[string]string{"email": "  AGENT@test.relevo ", "password": password}).want(200)
	body := r.obj()
	checkFields(t, "login", body, map[string]string{"user": "object"})
	checkUser(t, "login", body["user"].(map[string]any))
	var cookie *http.Cookie
	for _, ck := range (&http.Response{Header: r.Header}).Cookies() {
		if ck.Name == "relevo_session" {
			cookie = ck
		}
	}
	if cookie == nil || !cookie.HttpOnly || cookie.Value == "" || cookie.Path != "/" || cookie.SameSite != http.SameSiteLaxMode {
		t.Errorf("login: session cookie %+v, want HttpOnly, SameSite=Lax, Path=/", cookie)
	}

	// What the server is: the test world is not the demo.
	info := c.get("/api/v1/server").want(200).obj()
	checkFields(t, "server", info, map[string]string{"version": "string", "demo": "bool"})
	if info["demo"] != false {
		t.Errorf("GET /api/v1/server on a server without --demo: %v", info)
	}
	me := c.get("/api/v1/me").want(200).obj()
	checkUser(t, "GET /me", me)
	if me["id"] != w.agent.ID {
		t.Errorf("GET /me is %v, want the agent", me["id"])
	}
	u := c.do("PUT", "/api/v1/me/status", map[string]string{"status": "paused", "pause_reason": "lunch"}).want(200).obj()
	checkUser(t, "PUT /me/status", u)
	if u["status"] != "paused" || u["pause_reason"] != "lunch" {
		t.Errorf("PUT /me/status paused: got %v (%v)", u["status"], u["pause_reason"])
	}
	u = c.do("PUT", "/api/v1/me/status", map[string]string{"status": "online"}).want(200).obj()
	if u["status"] != "online" || u["pause_reason"] != "" {
		t.Errorf("PUT /me/status online: got %v (%q)", u["status"], u["pause_reason"])
	}
	out := c.post("/api/v1/auth/logout", nil).want(204)
	if cks := (&http.Response{Header: out.Header}).Cookies(); len(cks) != 1 || cks[0].Name != "relevo_session" || cks[0].MaxAge >= 0 {
		t.Errorf("logout sets cookies %v, want only the session cookie's removal", cks)
	}
	c.get("/api/v1/me").fails(401, "unauthenticated")
}

func TestWrongPasswordIsUnauthenticated(t *testing.T) {
	w := sqliteWorld(t)
	w.anon().post("/api/v1/auth/login", map[string]string{"email": w.agent.Email, "password": "nope-nope"}).fails(401, "unauthenticated")
	w.anon().post("/api/v1/auth/login", map[string]string{"email": "nobody@test.relevo", "password": password}).fails(401, "unauthenticated")
	w.anon().post("/api/v1/auth/login", map[string]string{"email": w.agent.Email}).fails(422, "validation_failed")
}

func TestRequestsWithoutASessionAreUnauthenticated(t *testing.T) {
	w := sqliteWorld(t)
	id := w.botConv("c1")
	for _, p := range []string{"/api/v1/me", "/api/v1/conversations", "/api/v1/conversations/" + id, "/api/v1/users", "/api/v1/monitor"} {
		w.anon().get(p).fails(401, "unauthenticated")
	}
	bad := w.anon()
	bad.hc.Jar.SetCookies(mustURL(t, w.ts.URL), []*http.Cookie{{Name: "relevo_session", Value: "rs_forged"}})
	bad.get("/api/v1/me").fails(401, "unauthenticated")
	w.refused(t, id, 401, "unauthenticated", func() *resp {
		return w.anon().post("/api/v1/conversations/"+id+"/handover", nil)
	})
}

// A session lives 12 hours without use, and slides while used.
func TestExpiredSessionIsUnauthenticated(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		id := w.waitingConv("c1")
		idle := w.login(w.agent)
		busy := w.login(w.agent2)
		w.db.Clock.Advance(7 * time.Hour)
		busy.get("/api/v1/me").want(200) // past half its life: renewed
		w.db.Clock.Advance(5*time.Hour + time.Minute)
		w.adminC = nil // the admin's session expired too
		w.refused(t, id, 401, "unauthenticated", func() *resp {
			return idle.post("/api/v1/conversations/"+id+"/assign", nil)
		})
		idle.get("/api/v1/me").fails(401, "unauthenticated")
		busy.get("/api/v1/me").want(200)
		w.login(w.agent).get("/api/v1/me").want(200)
	})
}

func TestUnknownOrRevokedBearerTokenIsUnauthenticated(t *testing.T) {
	w := sqliteWorld(t)
	c := w.anon()
	c.hc.Jar = nil
	c.bearer = "rt_not-a-token"
	c.get("/api/v1/conversations").fails(401, "unauthenticated")
	c.post("/api/v1/channels/"+w.apiA.ID+"/inbound", inboundBody("x", "m1", "hi")).fails(401, "unauthenticated")

	tok := w.token(w.botA.ID)
	tok.get("/api/v1/conversations").want(200)
	list := w.adm().get("/api/v1/tokens").want(200).items()
	if len(list) != 1 {
		t.Fatalf("GET /tokens: %d tokens, want 1", len(list))
	}
	if strings.Contains(string(w.adm().get("/api/v1/tokens").Body), tok.bearer) {
		t.Error("GET /tokens shows a token's secret")
	}
	w.adm().do("DELETE", "/api/v1/tokens/"+str(list[0]["id"]), nil).want(204)
	tok.get("/api/v1/conversations").fails(401, "unauthenticated")

	basic := w.anon()
	basic.header.Set("Authorization", "Basic YWRtaW46YWRtaW4=")
	basic.get("/api/v1/conversations").fails(401, "unauthenticated")
	// Inbound takes a bearer token, never the session cookie.
	w.adm().post("/api/v1/channels/"+w.apiA.ID+"/inbound", inboundBody("x", "m1", "hi")).fails(401, "unauthenticated")
}

func TestBearerTokenOnConsoleOnlyRouteIsForbidden(t *testing.T) {
	w := sqliteWorld(t)
	tok := w.token("")
	tok.get("/api/v1/me").fails(403, "forbidden")
	tok.get("/api/v1/users").fails(403, "forbidden")
	tok.post("/api/v1/conversations/bulk", map[string]any{"action": "resolve", "ids": []string{"x"}}).fails(403, "forbidden")
}

// Cookies ride along on cross-site requests; state changes from another
// site are refused, whatever the route.
func TestCrossOriginPostWithCookieIsForbidden(t *testing.T) {
	w := sqliteWorld(t)
	id := w.waitingConv("c1")
	w.online(w.agent)
	c := w.login(w.agent)
	c.header.Set("Origin", "https://evil.example")
	c.header.Set("Sec-Fetch-Site", "cross-site")
	w.refused(t, id, 403, "forbidden", func() *resp { return c.post("/api/v1/conversations/"+id+"/assign", nil) })
	c.do("PUT", "/api/v1/me/status", map[string]string{"status": "offline"}).fails(403, "forbidden")
	if u, _ := w.db.Store.GetUser(t.Context(), w.agent.ID); u.Status != desk.StatusOnline {
		t.Errorf("cross-site PUT /me/status changed the status to %s", u.Status)
	}
	c.get("/api/v1/me").want(200) // reading is harmless

	c.header.Set("Sec-Fetch-Site", "same-origin")
	c.header.Set("Origin", w.ts.URL)
	c.post("/api/v1/conversations/"+id+"/assign", nil).want(200)

	tok := w.token(w.botA.ID) // a bearer token is no ambient credential
	tok.header.Set("Origin", "https://evil.example")
	tok.header.Set("Sec-Fetch-Site", "cross-site")
	tok.post("/api/v1/channels/"+w.apiA.ID+"/inbound", inboundBody("c2", "m1", "hi")).want(200)
}

// Ten failures per account in the window; the eleventh attempt is refused
// even with the right password, until the window is over.
func TestLoginRateLimitedAfterTenFailures(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		creds := func(pw string) map[string]string { return map[string]string{"email": w.agent.Email, "password": pw} }
		for i := 0; i < 10; i++ {
			w.anon().post("/api/v1/auth/login", creds("wrong password")).fails(401, "unauthenticated")
		}
		r := w.anon().post("/api/v1/auth/login", creds(password))
		r.fails(429, "rate_limited")
		if ra := r.Header.Get("Retry-After"); ra != "900" {
			t.Errorf("Retry-After %q, want 900 (the 15-minute window)", ra)
		}
		w.db.Clock.Advance(10 * time.Minute)
		r = w.anon().post("/api/v1/auth/login", creds(password))
		r.fails(429, "rate_limited")
		if ra := r.Header.Get("Retry-After"); ra != "300" {
			t.Errorf("Retry-After %q after 10 minutes, want 300", ra)
		}
		w.db.Clock.Advance(5*time.Minute + time.Second)
		w.anon().post("/api/v1/auth/login", creds(password)).want(200)
	})
}

func TestLogoutEndsOnlyThatSession(t *testing.T) {
	w := sqliteWorld(t)
	a, b := w.login(w.agent), w.login(w.agent)
	a.post("/api/v1/auth/logout", nil).want(204)
	a.get("/api/v1/me").fails(401, "unauthenticated")
	b.get("/api/v1/me").want(200)
}

func TestSetMyStatusRefusesUnknownStatus(t *testing.T) {
	w := sqliteWorld(t)
	c := w.login(w.agent)
	c.do("PUT", "/api/v1/me/status", map[string]string{"status": "napping"}).fails(422, "validation_failed")
	c.do("PUT", "/api/v1/me/status", map[string]any{"status": 1}).fails(400, "bad_request")
	if u := c.get("/api/v1/me").want(200).obj(); u["status"] != "offline" {
		t.Errorf("status %v after refused changes, want offline", u["status"])
	}
}

// The server keeps a session alive while it is used; the cookie must live
// as long, or the browser drops it at 12 h after login in the middle of a
// working day (a 12-hour shift is common in contact centers).
func TestActiveSessionCookieLivesAsLongAsTheSession(t *testing.T) {
	w := sqliteWorld(t)
	c := w.anon()
	var cookieEnd time.Time // when a browser would drop the cookie, by the fake clock
	track := func(r *resp) {
		for _, ck := range (&http.Response{Header: r.Header}).Cookies() {
			if ck.Name == "relevo_session" && ck.MaxAge > 0 {
				cookieEnd = w.db.Clock.Now().Add(time.Duration(ck.MaxAge) * time.Second)
			}
		}
	}
	track(c.post("/api/v1/auth/login", map[string]string{"email": w.agent.Email, "password": password}).want(200))
	for hour := 1; hour <= 20; hour++ {
		w.db.Clock.Advance(time.Hour)
		if !w.db.Clock.Now().Before(cookieEnd) {
			t.Fatalf("after %d h of steady use the browser would have dropped the session cookie (it ended at %s)", hour, cookieEnd)
		}
		track(c.get("/api/v1/me").want(200))
	}
}
