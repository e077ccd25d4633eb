package httpapi_test

import (
	"testing"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store/storetest"
)

// The survey setting is validated with stable codes and read back; the
// CSAT report shows an answer to its bot's supervisor and nothing of it
// to another bot's.
func TestCSATSettingAndReport(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		adm := w.adm()
		path := "/api/v1/bots/" + w.botA.ID
		adm.do("PATCH", path, map[string]any{"csat": map[string]any{"enabled": true, "question": map[string]string{"fr": "?"}}}).
			fails(422, "validation_failed")
		adm.do("PATCH", path, map[string]any{"csat": map[string]any{"enabled": "yes"}}).fails(400, "bad_request")
		b := adm.do("PATCH", path, map[string]any{"csat": map[string]any{"enabled": true, "ask_comment": true,
			"question": map[string]string{"es": "¿Qué tal?"}}}).want(200).obj()
		cs, _ := b["csat"].(map[string]any)
		if cs["enabled"] != true || cs["ask_comment"] != true {
			t.Fatalf("csat = %v", b["csat"])
		}

		// A conversation of bot A's WhatsApp, resolved by its agent and rated.
		sd := w.db.Store
		id := w.humanOn(w.waA, "5511999990001", w.agent)
		if _, err := sd.Resolve(t.Context(), desk.UserActor(w.agent), id); err != nil {
			t.Fatal(err)
		}
		if _, err := sd.AnswerCSAT(t.Context(), id, desk.CSATAnswer{Score: 4, Comment: "Kind"}); err != nil {
			t.Fatal(err)
		}
		// The period ends where asked; a day on holds the survey asked now.
		r := w.login(w.sup).get("/api/v1/reports/csat?to=" + w.db.Clock.Now().Add(24*time.Hour).Format(time.RFC3339)).want(200).obj()
		checkFields(t, "GET /reports/csat", r, map[string]string{"from": "time", "to": "time", "agents": "array",
			"teams": "array", "comments": "array"})
		total, _ := r["total"].(map[string]any)
		comments, _ := r["comments"].([]any)
		if total["answers"] != 1.0 || total["average"] != 4.0 || len(comments) != 1 {
			t.Fatalf("report = %v", r)
		}
		w.login(w.sup).get("/api/v1/reports/csat?bot="+w.botB.ID).fails(404, "not_found")
		w.login(w.sup).get("/api/v1/reports/csat?from=2026-12-01&to=2026-11-01").fails(422, "validation_failed")
		seed := storetest.NewSeed(t, w.db.Store)
		supB := seed.User(desk.User{Name: "Bo Supervisor", Email: "supb@test.relevo", Role: desk.RoleSupervisor,
			BotIDs: []string{w.botB.ID}}, seed.Hash(password))
		other := w.login(supB).get("/api/v1/reports/csat").want(200).obj()
		if tot, _ := other["total"].(map[string]any); tot["asked"] != 0.0 || len(other["comments"].([]any)) != 0 {
			t.Fatalf("bot B's user sees bot A's surveys: %v", other)
		}
	})
}
