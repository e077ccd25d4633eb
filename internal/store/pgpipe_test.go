package store_test

import (
	"strings"
	"sync"
	"testing"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// On PostgreSQL the last deferred writes, the final read and the COMMIT go
// in one round trip (pgpipe.go). A transaction the server refuses at its
// COMMIT — here a deferred constraint trigger, checked only then — must
// fail the request with that error, announce nothing and leave nothing
// visible; and the connection serves the next request.
func TestCommitTimeFailureIsReturnedAndNothingIsVisible(t *testing.T) {
	var mu sync.Mutex
	var announced []desk.Change
	db := storetest.Open(t, "postgres", func(o *store.Options) {
		o.OnCommit = func(cs []desk.Change) {
			mu.Lock()
			defer mu.Unlock()
			announced = append(announced, cs...)
		}
	})
	w := storetest.NewWorld(t, db, storetest.WorldOptions{NoFlow: true})
	refused := w.NewUser("Refused At Commit", desk.RoleAgent, desk.StatusOnline, w.Bot.ID)
	// Deferred: the statements that insert the row succeed; the COMMIT
	// runs the check and fails.
	db.Exec(t, `CREATE FUNCTION refuse_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN
			IF NEW.text LIKE '%Refused At Commit%' THEN
				RAISE EXCEPTION 'refused at commit';
			END IF;
			RETURN NULL;
		END $$`)
	db.Exec(t, `CREATE CONSTRAINT TRIGGER refuse_at_commit AFTER INSERT ON messages
		DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION refuse_at_commit()`)

	c := w.InPhase(desk.PhaseWaiting)
	contact, err := w.S.GetContact(w.Ctx, c.Contact.ID)
	if err != nil {
		t.Fatal(err)
	}
	refusedAtCommit := func(what string, err error, before desk.Conversation) {
		t.Helper()
		if err == nil || !strings.Contains(err.Error(), "refused at commit") {
			t.Fatalf("%s: error %v, want the COMMIT's refusal", what, err)
		}
		mu.Lock()
		n := len(announced)
		announced = nil
		mu.Unlock()
		if n != 0 {
			t.Errorf("%s: %d changes announced for a transaction that did not commit", what, n)
		}
		after := w.Get(before.ID)
		if after.Seq != before.Seq || after.Phase != before.Phase || after.Version != before.Version {
			t.Errorf("%s: conversation seq %d phase %s version %d, want %d %s %d (unchanged)", what,
				after.Seq, after.Phase, after.Version, before.Seq, before.Phase, before.Version)
		}
		for _, m := range w.Messages(before.ID) {
			if strings.Contains(m.Text, "Refused At Commit") {
				t.Errorf("%s: message %q visible", what, m.Text)
			}
		}
	}

	mu.Lock()
	announced = nil
	mu.Unlock()
	before := w.Get(c.ID)
	_, err = w.S.Inbound(w.Ctx, w.API.ID, store.InboundContact{ExternalID: contact.ExternalID},
		store.InboundMessage{ExternalID: "refused-1", Text: "Refused At Commit, please"})
	refusedAtCommit("inbound", err, before)

	// An assign's event line names the agent: refused the same way.
	_, err = w.S.Assign(w.Ctx, w.As(w.Supervisor), c.ID, store.AssignInput{AgentID: refused.ID})
	refusedAtCommit("assign", err, before)

	// The connections are fine: the next requests commit.
	w.CustomerSays(c, "Still there?")
	got := w.Check(w.S.Assign(w.Ctx, w.As(w.Agent), c.ID, store.AssignInput{}))
	if got.Phase != desk.PhaseHuman || got.AssigneeID == nil || *got.AssigneeID != w.Agent.ID {
		t.Fatalf("assign after the refusals: %+v", got)
	}
	if read := w.Get(c.ID); read.Seq != got.Seq {
		t.Errorf("assign answered seq %d, the database holds %d", got.Seq, read.Seq)
	}
}
