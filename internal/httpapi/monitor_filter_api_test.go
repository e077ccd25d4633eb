package httpapi_test

import (
	"net/url"
	"strings"
	"testing"
)

// GET /api/v1/monitor takes the list's filters: the counters narrow, a
// malformed filter is a 422, and a supervisor of bot A learns nothing of
// bot B (its bot is not found; its team matches nothing).
func TestMonitorFiltersAreValidatedAndScoped(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		w.waitingConv("a1")
		w.humanConv("a2", w.agent)
		w.waitingOn(w.apiB, "b1")
		s := w.login(w.sup)
		counters := func(path string) map[string]any {
			t.Helper()
			return s.get(path).want(200).obj()["counters"].(map[string]any)
		}
		if c := counters("/api/v1/monitor"); num(c["total"]) != 2 {
			t.Errorf("bot A's floor %v", c)
		}
		if c := counters("/api/v1/monitor?bot=" + w.botA.ID); num(c["total"]) != 2 || num(c["human"]) != 1 {
			t.Errorf("bot A picked: %v", c)
		}
		if c := counters("/api/v1/monitor?assignee=" + w.agent.ID); num(c["total"]) != 1 || num(c["human"]) != 1 || num(c["waiting"]) != 0 {
			t.Errorf("Alice's: %v", c)
		}
		if c := counters("/api/v1/monitor?channel=" + w.waA.ID); num(c["total"]) != 0 {
			t.Errorf("the WhatsApp channel has none: %v", c)
		}
		if c := counters("/api/v1/monitor?contact=" + url.QueryEscape("nobody at all")); num(c["total"]) != 0 {
			t.Errorf("unknown contact: %v", c)
		}
		s.get("/api/v1/monitor?bot="+w.botB.ID).fails(404, "not_found")
		s.get("/api/v1/monitor?bot="+w.botA.ID+","+w.botB.ID).fails(404, "not_found")
		// Bot B's agent and channel: inside bot A's scope they match nothing.
		if c := counters("/api/v1/monitor?assignee=" + w.agentB.ID + "&channel=" + w.apiB.ID); num(c["total"]) != 0 {
			t.Errorf("bot B's ids leaked counts: %v", c)
		}
		for name, q := range map[string]string{
			"long contact":   "contact=" + strings.Repeat("x", 201),
			"too many teams": "team=" + strings.Repeat("t,", 51),
			"long id":        "assignee=" + strings.Repeat("u", 65),
			"long protocol":  "protocol=" + strings.Repeat("9", 65),
		} {
			if e := s.get("/api/v1/monitor?"+q).fails(422, "validation_failed"); e == nil {
				t.Errorf("%s accepted", name)
			}
		}
		// Control characters never reach the filter: every query is refused
		// before its handler.
		s.get("/api/v1/monitor?protocol="+url.QueryEscape("P\x01")).fails(400, "bad_request")
		if c := w.adm().get("/api/v1/monitor?bot=" + w.botB.ID).want(200).obj()["counters"].(map[string]any); num(c["waiting"]) != 1 || num(c["total"]) != 1 {
			t.Errorf("admin, bot B: %v", c)
		}
	})
}
