package httpapi_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store/storetest"
)

// setupBody is a valid first admin.
func setupBody(n int) map[string]string {
	return map[string]string{"name": fmt.Sprint("First Admin ", n), "email": fmt.Sprintf("first%d@test.relevo", n), "password": "first-password"}
}

// A server without an admin says so, takes its first admin once, logs them
// in, and from then on the setup route does not exist.
func TestSetupCreatesTheFirstAdminOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := emptyWorld(t, db)
		c := w.anon()
		info := c.get("/api/v1/server").want(200).obj()
		checkFields(t, "server", info, map[string]string{"version": "string", "demo": "bool", "needs_setup": "bool", "password_min_length": "number"})
		if info["needs_setup"] != true {
			t.Fatalf("GET /api/v1/server without an admin: %v", info)
		}
		r := c.post("/api/v1/setup", setupBody(1)).want(200).obj()
		checkUser(t, "setup", r["user"].(map[string]any))
		me := c.get("/api/v1/me").want(200).obj() // logged in by the setup
		if me["role"] != "admin" || me["email"] != "first1@test.relevo" {
			t.Fatalf("after setup, GET /me: %v", me)
		}
		if info := w.anon().get("/api/v1/server").want(200).obj(); info["needs_setup"] != false {
			t.Errorf("GET /api/v1/server with an admin: %v", info)
		}
		// Gone for ever, for strangers and for the admin alike, whatever the body.
		w.anon().post("/api/v1/setup", setupBody(2)).fails(404, "not_found")
		w.anon().post("/api/v1/setup", map[string]string{}).fails(404, "not_found")
		c.post("/api/v1/setup", setupBody(3)).fails(404, "not_found")
		if n, _ := db.Store.CountAdmins(t.Context()); n != 1 {
			t.Errorf("%d admins, want 1", n)
		}
	})
}

// Browsers racing on the setup page: exactly one wins; the others are told
// setup_done (they passed the route's check before the winner committed)
// or not_found (they came after).
func TestSetupRaceHasOneWinner(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := emptyWorld(t, db)
		const racers = 6
		clients := make([]*client, racers)
		for i := range clients {
			clients[i] = w.anon()
		}
		answers := make([]*resp, racers)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range racers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				answers[i] = clients[i].post("/api/v1/setup", setupBody(i))
			}()
		}
		close(start)
		wg.Wait()
		won := 0
		for _, a := range answers {
			switch a.Status {
			case 200:
				won++
			case 409:
				a.fails(409, string(desk.CodeSetupDone))
			default:
				a.fails(404, "not_found")
			}
		}
		if n, _ := db.Store.CountAdmins(t.Context()); won != 1 || n != 1 {
			t.Fatalf("%d winners, %d admins", won, n)
		}
	})
}

// Bad input is refused by field, and nothing is created.
func TestSetupValidation(t *testing.T) {
	w := emptyWorld(t, storetest.Open(t, "sqlite", nil))
	c := w.anon()
	for field, body := range map[string]map[string]string{
		"password": {"name": "A", "email": "a@test.relevo", "password": "short"},
		"email":    {"name": "A", "email": "not an email", "password": "long enough"},
		"name":     {"name": "  ", "email": "a@test.relevo", "password": "long enough"},
	} {
		d := c.post("/api/v1/setup", body).fails(422, "validation_failed")
		if d["field"] != field {
			t.Errorf("%v: details %v, want field %s", body, d, field)
		}
	}
	c.post("/api/v1/setup", `{"name": 7}`).fails(400, "bad_request")
	if n, _ := w.db.Store.CountAdmins(t.Context()); n != 0 {
		t.Fatalf("%d admins after refused setups", n)
	}
	if info := c.get("/api/v1/server").want(200).obj(); info["needs_setup"] != true {
		t.Errorf("GET /api/v1/server after refused setups: %v", info)
	}
}

// Another site cannot make itself the first admin through a visitor's
// browser: the setup is a cookie route like the login.
func TestSetupCrossSiteIsRefused(t *testing.T) {
	w := emptyWorld(t, storetest.Open(t, "sqlite", nil))
	c := w.anon()
	c.header.Set("Origin", "https://evil.example")
	c.header.Set("Sec-Fetch-Site", "cross-site")
	c.post("/api/v1/setup", setupBody(1)).fails(403, "forbidden")
	if n, _ := w.db.Store.CountAdmins(t.Context()); n != 0 {
		t.Fatalf("a cross-site setup made %d admins", n)
	}
	c.header.Set("Origin", w.ts.URL)
	c.header.Set("Sec-Fetch-Site", "same-origin")
	c.post("/api/v1/setup", setupBody(1)).want(200)
}

// The last admin can be neither demoted nor deleted, in words of its own
// code; with a second admin the first may go.
func TestLastAdminIsKept(t *testing.T) {
	w := sqliteWorld(t)
	a := w.adm()
	a.do("PATCH", "/api/v1/users/"+w.admin.ID, map[string]any{"role": "agent"}).fails(409, "conflict")
	second := a.post("/api/v1/users", map[string]any{"name": "Second", "email": "second@test.relevo", "password": "second-password", "role": "admin"}).want(200).obj()
	b := w.anon()
	b.post("/api/v1/auth/login", map[string]string{"email": "second@test.relevo", "password": "second-password"}).want(200)
	b.do("DELETE", "/api/v1/users/"+w.admin.ID, nil).want(204)
	b.do("PATCH", "/api/v1/users/"+str(second["id"]), map[string]any{"role": "supervisor"}).fails(409, "conflict")
}

// A password reset by an admin ends every session of that user; changing
// one's own keeps the session doing it.
func TestPasswordResetEndsSessions(t *testing.T) {
	w := sqliteWorld(t)
	ag1, ag2 := w.login(w.agent), w.login(w.agent)
	w.adm().do("PATCH", "/api/v1/users/"+w.agent.ID, map[string]any{"password": "a-new-password"}).want(200)
	ag1.get("/api/v1/me").fails(401, "unauthenticated")
	ag2.get("/api/v1/me").fails(401, "unauthenticated")
	other := w.login(w.admin)
	w.adm().do("PATCH", "/api/v1/users/"+w.admin.ID, map[string]any{"password": "admin-new-password"}).want(200)
	w.adm().get("/api/v1/me").want(200)
	other.get("/api/v1/me").fails(401, "unauthenticated")
}
