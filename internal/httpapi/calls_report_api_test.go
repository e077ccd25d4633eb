package httpapi_test

import (
	"testing"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// The calls report counts its bot's calls for the bot's supervisor and
// shows nothing of them to another bot's; bad periods and foreign bots
// are refused with the other reports' codes.
func TestCallsReportAndScope(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		w.adm().do("PATCH", "/api/v1/bots/"+w.botA.ID, map[string]any{"calls": map[string]any{"mode": "audio"}}).want(200)
		sd := w.db.Store
		id := w.humanOn(w.waA, "5511999990002", w.agent)
		c, err := sd.StartCall(t.Context(), store.CallStart{ConversationID: id, By: desk.PartyAgent, AgentID: w.agent.ID, Media: desk.MediaAudio})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := sd.MoveCall(t.Context(), store.CallMove{CallID: c.ID, Act: desk.ActAccept, By: desk.PartyCustomer, ConversationID: id}); err != nil {
			t.Fatal(err)
		}
		w.db.Clock.Advance(42 * time.Second)
		if _, err := sd.MoveCall(t.Context(), store.CallMove{CallID: c.ID, Act: desk.ActHangup, By: desk.PartyAgent, AgentID: w.agent.ID}); err != nil {
			t.Fatal(err)
		}

		r := w.login(w.sup).get("/api/v1/reports/calls").want(200).obj()
		checkFields(t, "GET /reports/calls", r, map[string]string{"from": "time", "to": "time", "agents": "array", "teams": "array"})
		total, _ := r["total"].(map[string]any)
		agents, _ := r["agents"].([]any)
		if total["made"] != 1.0 || total["answered"] != 1.0 || total["talk_seconds"] != 42.0 || total["average_talk_seconds"] != 42.0 || len(agents) != 1 {
			t.Fatalf("report = %v", r)
		}
		w.login(w.sup).get("/api/v1/reports/calls?bot="+w.botB.ID).fails(404, "not_found")
		w.login(w.sup).get("/api/v1/reports/calls?from=2026-12-01&to=2026-11-01").fails(422, "validation_failed")
		w.login(w.sup).get("/api/v1/reports/calls?from=yesterday").fails(422, "validation_failed")
		seed := storetest.NewSeed(t, w.db.Store)
		supB := seed.User(desk.User{Name: "Bo Supervisor", Email: "supb@test.relevo", Role: desk.RoleSupervisor,
			BotIDs: []string{w.botB.ID}}, seed.Hash(password))
		other := w.login(supB).get("/api/v1/reports/calls").want(200).obj()
		if tot, _ := other["total"].(map[string]any); tot["made"] != 0.0 || len(other["agents"].([]any)) != 0 {
			t.Fatalf("bot B's supervisor sees bot A's calls: %v", other)
		}
		w.login(w.agent).get("/api/v1/reports/calls").fails(403, "forbidden")
	})
}
