package whatsapp_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// After an agent resolves inside the 24-hour window the customer gets the
// survey as an interactive list (five scores do not fit three reply
// buttons), never a template; the customer's list reply, in Meta's shape
// (testdata/interactive_list_reply_csat.json), answers it once and opens
// no conversation, however often Meta delivers it.
func TestCSATIsAListAndItsReplyAnswersOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		on := desk.CSAT{Enabled: true}
		if _, err := e.s.UpdateBot(ctx, e.bot.ID, store.BotPatch{CSAT: &on}); err != nil {
			t.Fatal(err)
		}
		sd := storetest.NewSeed(t, e.s)
		agent := sd.User(desk.User{Name: "Ana", Email: "ana@example.com", Role: desk.RoleAgent, BotIDs: []string{e.bot.ID}}, sd.Hash("pw-pw-pw-pw"))
		sd.Online(agent)
		agent, _ = e.s.GetUser(ctx, agent.ID)
		c := e.opened()
		if _, err := e.s.Handover(ctx, desk.Actor{Integration: true, BotID: e.bot.ID}, c.ID, store.HandoverInput{}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.s.Assign(ctx, desk.UserActor(agent), c.ID, store.AssignInput{}); err != nil {
			t.Fatal(err)
		}
		if err := e.outbox.Drain(ctx); err != nil {
			t.Fatal(err)
		}
		// The processing lock of the assignment is not what this test is
		// about: past its bound (30 s) it holds nothing, whatever the
		// notice's delivery did.
		db.Clock.Advance(31 * time.Second)
		if _, err := e.s.Resolve(ctx, desk.UserActor(agent), c.ID); err != nil {
			t.Fatal(err)
		}
		if err := e.outbox.Drain(ctx); err != nil {
			t.Fatal(err)
		}
		sent := e.graph.requests("/messages")
		var last struct {
			Type        string `json:"type"`
			Interactive struct {
				Type   string `json:"type"`
				Action struct {
					Sections []struct {
						Rows []struct{ ID, Title string } `json:"rows"`
					} `json:"sections"`
				} `json:"action"`
			} `json:"interactive"`
		}
		var body []byte
		for _, r := range sent {
			if json.Unmarshal(r.Body, &last) == nil && last.Type == "interactive" {
				body = r.Body
			}
		}
		if body == nil {
			t.Fatalf("no interactive message among %d sent", len(sent))
		}
		if err := json.Unmarshal(body, &last); err != nil {
			t.Fatal(err)
		}
		secs := last.Interactive.Action.Sections
		if last.Type != "interactive" || last.Interactive.Type != "list" || len(secs) != 1 || len(secs[0].Rows) != 5 ||
			secs[0].Rows[4].ID != store.CSATPayloadPrefix+"5" {
			t.Fatalf("survey sent as %s", body)
		}
		for i := 0; i < 2; i++ {
			e.deliver("interactive_list_reply_csat.json")
		}
		if n := len(e.conversations()); n != 1 {
			t.Fatalf("the reply opened a conversation: %d", n)
		}
		if st, err := e.s.CSATOf(ctx, c.ID); err != nil || st.Score == nil || *st.Score != 4 {
			t.Fatalf("answer %+v, %v", st, err)
		}
	})
}
