package store_test

import (
	"strings"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// A supervisor's marks pile up on closed conversations. The list of open
// ones, by waiting time, must seek past them in reads_unread instead of
// looking each one up to drop it (migration 0024; docs/PERFORMANCE.md, "The
// read state of closed conversations"), whichever way they closed; and the
// lists that show closed conversations still show their read state.
func TestListOpenSkipsTheReadMarksOfClosedConversations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := qNew(t, db)
		b := w.bot("A")
		ch := w.channel(b, "api A")
		ana := w.user("Ana", desk.RoleAgent, b)
		sup := w.user("Sue", desk.RoleSupervisor, b)
		names := map[string]string{}
		mark := func(id string) {
			t.Helper()
			if _, err := w.s.MarkUnread(w.ctx, desk.UserActor(sup), id); err != nil {
				t.Fatalf("MarkUnread %s: %v", names[id], err)
			}
		}
		conv := func(name string, phase desk.Phase) string {
			id := w.open(ch, name, phase, ana, nil)
			names[id] = name
			return id
		}
		// Closed by the auto-close sweep, marked before: the sweep closes
		// everything open, so it comes first.
		swept := conv("swept", desk.PhaseWaiting)
		mark(swept)
		w.advance(25 * time.Hour)
		if n, _, err := w.s.Sweep(w.ctx); err != nil || n != 1 {
			t.Fatalf("Sweep = %d closed, %v", n, err)
		}
		// Resolved after the mark, marked after resolving, blocked.
		resolved := conv("resolved", desk.PhaseHuman)
		mark(resolved)
		w.resolve(ana, resolved)
		late := conv("late", desk.PhaseClosed)
		mark(late)
		blocked := conv("blocked", desk.PhaseWaiting)
		mark(blocked)
		if _, err := w.s.BlockContact(w.ctx, desk.UserActor(sup), blocked); err != nil {
			t.Fatalf("BlockContact: %v", err)
		}
		// Open: one marked unread after reading it, one read, one never
		// opened.
		w.advance(time.Minute)
		marked := conv("marked", desk.PhaseHuman)
		w.read(sup, marked)
		mark(marked)
		read := conv("read", desk.PhaseWaiting)
		w.read(sup, read)
		fresh := conv("fresh", desk.PhaseWaiting)
		closed := []string{swept, resolved, late, blocked}

		n, wrong, err := store.ReadMarksClosed(w.ctx, w.s)
		if err != nil || n != len(closed) || wrong != 0 {
			t.Fatalf("reads of closed conversations: %d flagged, %d out of step, %v; want %d, 0", n, wrong, err, len(closed))
		}

		var queries []string
		var args [][]any
		store.TraceLists(w.s, func(q string, a []any) { queries, args = append(queries, q), append(args, a) })
		got := w.list(desk.UserActor(sup), store.ConversationFilter{Sort: store.SortWaiting})
		store.TraceLists(w.s, nil)
		qSameOrder(t, "all open by waiting", names, got, marked, fresh, read)
		opened := 0
		for i, q := range queries {
			if !strings.Contains(q, "FROM reads r JOIN conversations c") {
				continue
			}
			opened++
			plan, err := store.ExplainList(w.ctx, w.s, q, args[i])
			if err != nil {
				t.Fatalf("explain: %v", err)
			}
			want := "reads_unread (user_id=? AND closed=?)"
			if db.Name == "postgres" {
				want = "(closed = 0)"
			}
			if !strings.Contains(plan, "reads_unread") || !strings.Contains(plan, want) {
				t.Errorf("the viewer's unread marks are not sought open only (%s):\n%s\n%s", want, q, plan)
			}
		}
		if opened == 0 {
			t.Fatalf("no query read the viewer's unread marks: %q", queries)
		}

		// Where closed conversations are listed, their marks still count:
		// unread first, each shown marked.
		yes := true
		for _, f := range []store.ConversationFilter{
			{AllPhases: true, Sort: store.SortWaiting},
			{Phases: []desk.Phase{desk.PhaseClosed}, Sort: store.SortWaiting},
			{Phases: []desk.Phase{desk.PhaseClosed}, Unread: &yes},
		} {
			cs, _, err := w.s.ListConversations(w.ctx, desk.UserActor(sup), f)
			if err != nil {
				t.Fatal(err)
			}
			seen := map[string]bool{}
			for _, c := range cs {
				seen[c.ID] = c.MarkedUnread
			}
			for _, id := range closed {
				if !seen[id] {
					t.Errorf("%+v: %s missing or not marked unread: %v", f, names[id], qNames(names, qIDs(cs)))
				}
			}
		}
	})
}
