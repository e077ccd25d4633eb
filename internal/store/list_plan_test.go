package store_test

import (
	"strings"
	"testing"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// An agent's history is mostly closed conversations. The list of their own
// open ones (sorted by waiting time, as the console asks) must not read
// that history row by row (docs/PERFORMANCE.md, "Lists at a million
// conversations, explained"). PostgreSQL finds them through an index of
// open conversations only (migration 0023): through conversations_assignee
// it fetched every row of the history to test its phase. SQLite needs no
// such index: it tests the phase held in conversations_assignee before
// fetching a row.
func TestListMineReadsOnlyTheAgentsOpenConversations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := qNew(t, db)
		b := w.bot("A")
		ch := w.channel(b, "api A")
		ana := w.user("Ana", desk.RoleAgent, b)
		names := map[string]string{}
		var open []string
		for i, phase := range []desk.Phase{desk.PhaseClosed, desk.PhaseHuman, desk.PhaseClosed, desk.PhaseHuman, desk.PhaseWaiting} {
			name := string(phase) + string(rune('a'+i))
			id := w.open(ch, name, phase, ana, nil)
			names[id] = name
			if phase == desk.PhaseHuman {
				open = append(open, id)
			}
		}
		type traced struct {
			q    string
			args []any
		}
		var queries []traced
		store.TraceLists(w.s, func(q string, args []any) { queries = append(queries, traced{q, args}) })
		got := w.list(desk.UserActor(ana), store.ConversationFilter{AssigneeIDs: []string{ana.ID}, Sort: store.SortWaiting})
		store.TraceLists(w.s, nil)
		qSameSet(t, "Ana's own", names, got, open...)
		if len(queries) == 0 {
			t.Fatal("no list query traced")
		}
		for _, tq := range queries {
			plan, err := store.ExplainList(w.ctx, w.s, tq.q, tq.args)
			if err != nil {
				t.Fatalf("explain: %v", err)
			}
			want, wrong := "conversations_open_assignee", "conversations_assignee"
			if db.Name == "sqlite" {
				want, wrong = "conversations_assignee (assignee_id=?", "SCAN c"
			}
			if strings.Contains(plan, wrong) || !strings.Contains(plan, want) {
				t.Errorf("the agent's conversations are not found through %s:\n%s\n%s", want, tq.q, plan)
			}
		}
	})
}
