package httpapi_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
)

// The bots report names the flow steps each bot handed over at, and a
// supervisor of bot A sees nothing of bot B's steps.
func TestBotReportTopHandoverStepsAreScoped(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		hand := func(ch desk.Channel, ext, node string) {
			t.Helper()
			id := w.convOn(ch, ext)
			if _, err := w.db.Store.Handover(context.Background(), desk.Actor{Integration: true, BotID: ch.BotID}, id, store.HandoverInput{NodeID: node}); err != nil {
				t.Fatal(err)
			}
		}
		// Bot B gets a flow too, so its conversations wait in phase bot.
		w.adm().do("PATCH", "/api/v1/bots/"+w.botB.ID, map[string]any{"flow": map[string]any{"start": "end", "nodes": map[string]any{"end": map[string]any{"type": "end"}}}}).want(200)
		hand(w.apiA, "a1", "menu")
		hand(w.apiA, "a2", "menu")
		hand(w.apiA, "a3", "ask_email")
		hand(w.apiB, "b1", "secret_step_of_b")
		w.db.Clock.Advance(time.Second) // "to" (default: now) is exclusive
		type step struct {
			NodeID string `json:"node_id"`
			Count  int    `json:"count"`
		}
		steps := func(c *client, q string) map[string][]step {
			var body struct {
				Items []struct {
					BotID string `json:"bot_id"`
					Steps []step `json:"top_handover_steps"`
				} `json:"items"`
			}
			c.get("/api/v1/reports/bots" + q).want(200).into(&body)
			out := map[string][]step{}
			for _, it := range body.Items {
				out[it.BotID] = it.Steps
			}
			return out
		}
		want := map[string][]step{w.botA.ID: {{"menu", 2}, {"ask_email", 1}}}
		if got := steps(w.login(w.sup), ""); !reflect.DeepEqual(got, want) {
			t.Errorf("supervisor of bot A: %v, want %v", got, want)
		}
		all := steps(w.adm(), "")
		if !reflect.DeepEqual(all[w.botB.ID], []step{{"secret_step_of_b", 1}}) || len(all[w.botA.ID]) != 2 {
			t.Errorf("admin: %v", all)
		}
	})
}
