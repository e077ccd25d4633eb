package store_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// A conversation's read is the hot statement of inbound and of every
// lifecycle action: its text is one of a fixed few, so once the caches are
// warm no message prepares anything, and on SQLite none of those reads is
// parsed again (docs/PERFORMANCE.md, "Round trips per message").
func TestInboundPreparesNothingOnceWarm(t *testing.T) {
	const contacts, n = 10, 1000
	tr := &store.StatementTrace{}
	storetest.EachWithOptions(t, func(o *store.Options) { o.Trace = tr }, func(t *testing.T, db *storetest.DB) {
		w := NewWorld(t, db, WorldOptions{NoFlow: true})
		send := func(i int, contact string) {
			_, err := w.S.Inbound(w.Ctx, w.API.ID, store.InboundContact{ExternalID: contact},
				store.InboundMessage{ExternalID: fmt.Sprintf("prep-%d", i), Text: "Any news?"})
			if err != nil {
				t.Fatal(err)
			}
		}
		// Warm up: a new conversation and an open one, twice over.
		for i := range 2 * contacts {
			send(-1-i, fmt.Sprintf("warm-%d", i%contacts))
		}
		// Every tenth message opens a conversation, the rest go to open ones.
		half := func(from, to int) store.TraceCounts {
			tr.Start()
			for i := from; i < to; i++ {
				contact := fmt.Sprintf("warm-%d", i%contacts)
				if i%10 == 0 {
					contact = fmt.Sprintf("new-%d", i)
				}
				send(i, contact)
			}
			got, _ := tr.Stop()
			if db.Name == "sqlite" {
				for _, q := range tr.Unprepared() {
					if strings.Contains(q, "FROM conversations c JOIN contacts ct") {
						t.Fatalf("a conversation read was parsed again:\n%s", q)
					}
				}
			}
			return got
		}
		first, second := half(0, n/2), half(n/2, n)
		t.Logf("%s: first %d messages %+v, next %d %+v", db.Name, n/2, first, n/2, second)
		if first.Prepares > 2*contacts || second.Prepares != 0 {
			t.Fatalf("prepares grow with the messages: %d then %d", first.Prepares, second.Prepares)
		}
	})
}

// A losing assign on a conversation already assigned is answered from a
// read: no transaction begins, so it never waits for the writer
// (actions.go, Assign).
func TestLosingAssignRunsNoWrite(t *testing.T) {
	tr := &store.StatementTrace{}
	storetest.EachWithOptions(t, func(o *store.Options) { o.Trace = tr }, func(t *testing.T, db *storetest.DB) {
		w := NewWorld(t, db, WorldOptions{NoFlow: true})
		other := w.As(w.NewUser("Other", desk.RoleAgent, desk.StatusOnline, w.Bot.ID))
		c := w.InPhase(desk.PhaseWaiting)
		w.Check(w.S.Assign(w.Ctx, w.As(w.Agent), c.ID, store.AssignInput{}))

		tr.Start()
		_, err := w.S.Assign(w.Ctx, other, c.ID, store.AssignInput{})
		got, qs := tr.Stop()
		if desk.ErrorCode(err) != desk.CodeAlreadyAssigned {
			t.Fatalf("err = %v, want already_assigned", err)
		}
		if got.Begins != 0 || got.Commits != 0 {
			t.Fatalf("the losing assign ran a transaction: %+v\n%s", got, strings.Join(short(qs), "\n"))
		}
		// The read answers only already_assigned, and after the scope
		// check: an agent of another bot learns nothing of the conversation.
		if _, err := w.S.Assign(w.Ctx, w.As(w.Outsider), c.ID, store.AssignInput{}); desk.ErrorCode(err) != desk.CodeNotFound {
			t.Fatalf("outsider: err = %v, want not_found", err)
		}
		if c := w.Get(c.ID); deref(c.AssigneeID) != w.Agent.ID {
			t.Fatalf("assignee = %v, want the first agent", c.AssigneeID)
		}
	})
}
