package httpapi_test

import (
	"testing"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store/storetest"
)

// The assignment settings travel on PATCH /teams/{id} and /bots/{id},
// are validated with the stable envelope, and a supervisor of another bot
// sees nothing of them.
func TestAssignmentSettingsOverHTTP(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		a := w.adm()
		tid := w.teamA.ID
		tm := a.do("PATCH", "/api/v1/teams/"+tid, map[string]any{"assignment": "automatic", "reoffer_after": "10m"}).want(200).obj()
		if tm["assignment"] != "automatic" || num(tm["reoffer_after"]) != 600 {
			t.Fatalf("PATCH /teams/{id}: %v", tm)
		}
		a.do("PATCH", "/api/v1/teams/"+tid, map[string]any{"assignment": "round_robin"}).fails(422, "validation_failed")
		a.do("PATCH", "/api/v1/teams/"+tid, map[string]any{"reoffer_after": 5}).fails(422, "validation_failed")
		a.do("PATCH", "/api/v1/teams/"+tid, map[string]any{"reoffer_after": "soon"}).fails(422, "validation_failed")
		a.do("PATCH", "/api/v1/teams/"+tid, map[string]any{"assignment": 1}).fails(400, "bad_request")
		b := a.do("PATCH", "/api/v1/bots/"+w.botA.ID, map[string]any{"assignment": "automatic"}).want(200).obj()
		if b["assignment"] != "automatic" {
			t.Fatalf("PATCH /bots/{id}: %v", b)
		}
		a.do("PATCH", "/api/v1/bots/"+w.botA.ID, map[string]any{"assignment": "sometimes"}).fails(422, "validation_failed")
		// Only admins change them; a supervisor of bot B neither changes
		// nor sees bot A's.
		sd := storetest.NewSeed(t, w.db.Store)
		supB := sd.User(desk.User{Name: "Bo Sup", Email: "bosup@test.relevo", Role: desk.RoleSupervisor,
			BotIDs: []string{w.botB.ID}}, sd.Hash(password))
		c := w.login(supB)
		c.do("PATCH", "/api/v1/teams/"+tid, map[string]any{"assignment": "manual"}).fails(403, "forbidden")
		c.get("/api/v1/bots/"+w.botA.ID).fails(404, "not_found")
		for _, it := range c.get("/api/v1/teams").want(200).items() {
			if it["bot_id"] == w.botA.ID {
				t.Fatalf("a supervisor of bot B sees bot A's team %v", it)
			}
		}
	})
}
