package httpapi_test

import (
	"testing"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store/storetest"
)

// The waiting threshold is one supervisor's setting: 300 s until set,
// 30 s to 24 h, kept when a PUT leaves it out, and what the queue health
// counts against when no ?threshold= is given.
func TestMonitorWaitingThreshold(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		sd := storetest.NewSeed(t, w.db.Store)
		sup2 := sd.User(desk.User{Name: "Sia Supervisor", Email: "sup2@test.relevo", Role: desk.RoleSupervisor, BotIDs: []string{w.botA.ID}}, sd.Hash(password))
		s := w.login(w.sup)
		if p := s.get("/api/v1/me/monitor-preferences").want(200).obj(); num(p["waiting_threshold_seconds"]) != 300 {
			t.Errorf("fresh threshold %v, want 300", p["waiting_threshold_seconds"])
		}
		lists := func(extra map[string]any) map[string]any {
			b := map[string]any{"hidden_agent_ids": []string{w.agent.ID}, "hidden_team_ids": []string{}}
			for k, v := range extra {
				b[k] = v
			}
			return b
		}
		if p := s.do("PUT", "/api/v1/me/monitor-preferences", lists(map[string]any{"waiting_threshold_seconds": 30})).want(200).obj(); num(p["waiting_threshold_seconds"]) != 30 {
			t.Errorf("set to 30: %v", p)
		}
		for _, bad := range []any{0, 29, 86401, -5} {
			s.do("PUT", "/api/v1/me/monitor-preferences", lists(map[string]any{"waiting_threshold_seconds": bad})).fails(422, "validation_failed")
		}
		// Not a duration: refused on the field (durations_api_test.go has the rest).
		for _, bad := range []any{"soon", 30.5} {
			s.do("PUT", "/api/v1/me/monitor-preferences", lists(map[string]any{"waiting_threshold_seconds": bad})).fails(422, "validation_failed")
		}
		// A PUT of the hide lists alone keeps the threshold.
		if p := s.do("PUT", "/api/v1/me/monitor-preferences", lists(nil)).want(200).obj(); num(p["waiting_threshold_seconds"]) != 30 {
			t.Errorf("threshold after a PUT without it: %v", p)
		}
		if p := w.login(sup2).get("/api/v1/me/monitor-preferences").want(200).obj(); num(p["waiting_threshold_seconds"]) != 300 {
			t.Errorf("another supervisor's threshold moved: %v", p)
		}
		w.waitingConv("a1")
		w.db.Clock.Advance(time.Minute)
		if h := s.get("/api/v1/monitor/health").want(200).obj(); num(h["threshold_seconds"]) != 30 || num(h["waiting_over_threshold"]) != 1 {
			t.Errorf("health with my 30 s threshold: %v", h)
		}
		if h := w.login(sup2).get("/api/v1/monitor/health").want(200).obj(); num(h["threshold_seconds"]) != 300 || num(h["waiting_over_threshold"]) != 0 {
			t.Errorf("health with the default threshold: %v", h)
		}
	})
}
