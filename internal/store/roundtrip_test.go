package store_test

import (
	"strings"
	"testing"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// Round trips per message (docs/PERFORMANCE.md, "Round trips per
// message"): what one customer message to a waiting conversation and one
// assignment send to the database, counted by a wrapping driver, once the
// statement caches are warm. On PostgreSQL each is a network round trip,
// so the count is the cost; the test holds it (a count, never a time).
//
// What is left (docs/PERFORMANCE.md lists it): an inbound message is the
// contact, its open conversation (row-locked), the deferred writes (event,
// message, read marks, the conversation's one UPDATE), the snapshot for the
// frames, BEGIN and COMMIT; an assign is the conversation with the user it
// goes to (assignread.go), the compare-and-set, the deferred writes, the
// conversation as its viewer sees it, BEGIN and COMMIT, after a read of the
// conversation outside the transaction that answers a losing assign
// (actions.go). SQLite runs the deferred writes one by one (in process, no
// round trip), with multi-row INSERTs. PostgreSQL sends them as one
// statement, and pipelines (pgpipe.go): BEGIN goes with the first
// statement, and the deferred writes, the last read and COMMIT go together,
// so an inbound message is 3 round trips and an assign 4.
var roundTripCeilings = map[string]struct{ inbound, assign int }{
	"sqlite":   {inbound: 9, assign: 11},
	"postgres": {inbound: 3, assign: 4},
}

func TestRoundTripsOfAnInboundMessageAndAnAssign(t *testing.T) {
	tr := &store.StatementTrace{}
	storetest.EachWithOptions(t, func(o *store.Options) { o.Trace = tr }, func(t *testing.T, db *storetest.DB) {
		w := NewWorld(t, db, WorldOptions{NoFlow: true})
		agent := w.As(w.Agent)
		ct := func(c desk.Conversation) string {
			contact, err := w.S.GetContact(w.Ctx, c.Contact.ID)
			if err != nil {
				t.Fatal(err)
			}
			return contact.ExternalID
		}
		inbound := func(c desk.Conversation, contact string) {
			_, err := w.S.Inbound(w.Ctx, w.API.ID, store.InboundContact{ExternalID: contact},
				store.InboundMessage{ExternalID: "rt-" + c.ID, Text: "Any news?"})
			if err != nil {
				t.Fatal(err)
			}
		}
		// Warm up: every statement of both paths seen (and so prepared)
		// before the counted run.
		for range 3 {
			c := w.InPhase(desk.PhaseWaiting)
			inbound(c, ct(c))
			w.Check(w.S.Assign(w.Ctx, agent, c.ID, store.AssignInput{}))
		}
		c := w.InPhase(desk.PhaseWaiting)
		contact := ct(c)

		tr.Start()
		inbound(c, contact)
		in, inQ := tr.Stop()
		tr.Start()
		w.Check(w.S.Assign(w.Ctx, agent, c.ID, store.AssignInput{}))
		as, asQ := tr.Stop()

		t.Logf("%s inbound: %+v = %d round trips\n  %s", db.Name, in, in.RoundTrips(), strings.Join(short(inQ), "\n  "))
		t.Logf("%s assign: %+v = %d round trips\n  %s", db.Name, as, as.RoundTrips(), strings.Join(short(asQ), "\n  "))
		want := roundTripCeilings[db.Name]
		if in.RoundTrips() > want.inbound {
			t.Errorf("inbound: %d round trips, want at most %d", in.RoundTrips(), want.inbound)
		}
		if as.RoundTrips() > want.assign {
			t.Errorf("assign: %d round trips, want at most %d", as.RoundTrips(), want.assign)
		}
		// SQLite parses what it is not given prepared: once warm, an
		// assign's statements all run prepared (PostgreSQL: pgx prepares
		// behind every text, so the count there is every statement).
		if db.Name == "sqlite" && as.Unprepared > 0 {
			t.Errorf("assign: %d statements parsed again: %q", as.Unprepared, short(tr.Unprepared()))
		}
	})
}

// short is each statement's first line, for the log.
func short(qs []string) []string {
	out := make([]string, len(qs))
	for i, q := range qs {
		q = strings.Join(strings.Fields(q), " ")
		if len(q) > 110 {
			q = q[:110] + "…"
		}
		out[i] = q
	}
	return out
}
