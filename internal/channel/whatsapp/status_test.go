package whatsapp_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store/storetest"
)

func TestStatusesMoveTheTicksForward(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		e := newEnv(t, db)
		c := e.opened()
		m := e.send(c.ID, sendText("Yes, it comes in green."))
		if m.Status != desk.StatusSent || m.ExternalID != outWamid {
			t.Fatalf("after delivery: %s %q, want sent with the wamid", m.Status, m.ExternalID)
		}
		for _, step := range []struct {
			fixture string
			want    desk.MessageStatus
		}{
			{"status_read.json", desk.StatusRead},      // read may come without delivered
			{"status_delivered.json", desk.StatusRead}, // a late delivered never goes back
			{"status_sent.json", desk.StatusRead},
		} {
			e.deliver(step.fixture)
			if got := e.message(c.ID, m.ID); got.Status != step.want || got.Error != nil {
				t.Fatalf("after %s: %s (error %q), want %s", step.fixture, got.Status, errText(got), step.want)
			}
		}
	})
}

func TestFailedReEngagementMarksFailedAndClosesTheWindow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		e := newEnv(t, db)
		c := e.opened()
		m := e.send(c.ID, sendText("Are you still interested?"))
		e.deliver("status_failed_131047.json")
		got := e.message(c.ID, m.ID)
		if got.Status != desk.StatusFailed || !strings.Contains(errText(got), "24-hour window is closed") ||
			!strings.Contains(errText(got), "131047") {
			t.Fatalf("%s %q, want failed with the re-engagement reason", got.Status, errText(got))
		}
		if c := e.only(); c.WindowOpen(db.Clock.Now()) {
			t.Fatalf("window still open until %v", c.WindowExpiresAt)
		}
		e.deliver("status_failed_131047.json") // Meta's retry: nothing changes
		if got2 := e.message(c.ID, m.ID); got2.Status != desk.StatusFailed || errText(got2) != errText(got) {
			t.Fatalf("after the retry: %s %q", got2.Status, errText(got2))
		}
	})
}

func TestLateFailureKeepsTheWindowANewerMessageOpened(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		e := newEnv(t, db)
		c := e.opened()
		m := e.send(c.ID, sendText("Anything else?"))
		db.Clock.Advance(time.Minute)
		// The customer writes after our message was queued...
		newer := bytes.Replace(fixture(t, "text.json"), []byte("1793609940"), []byte("1793610050"), 1)
		newer = bytes.Replace(newer, []byte("RTAzODEwMTQ0RgA="), []byte("RTAzODEwMTQ0RgB="), 1)
		if w := e.post(newer); w.Code != 200 {
			t.Fatalf("%d %s", w.Code, w.Body)
		}
		// ... so a failure report about it closes nothing.
		e.deliver("status_failed_131047.json")
		if got := e.message(c.ID, m.ID); got.Status != desk.StatusFailed {
			t.Fatalf("message %s, want failed", got.Status)
		}
		if c := e.only(); !c.WindowOpen(db.Clock.Now()) {
			t.Fatalf("the customer's newer message's window was closed (%v)", c.WindowExpiresAt)
		}
	})
}

func TestFailedStatusShowsMetasReason(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		e := newEnv(t, db)
		c := e.opened()
		m := e.send(c.ID, sendText("Hello"))
		e.deliver("status_failed_131026.json")
		got := e.message(c.ID, m.ID)
		if got.Status != desk.StatusFailed || !strings.Contains(errText(got), "could not be delivered") {
			t.Fatalf("%s %q", got.Status, errText(got))
		}
		if c := e.only(); !c.WindowOpen(db.Clock.Now()) {
			t.Fatal("an undeliverable message closed the window")
		}
	})
}

func TestStatusBeforeItsMessageIsRecordedIsRetried(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		e := newEnv(t, db)
		e.opened()
		// No message has outWamid yet: a fresh report may be racing the
		// outbox's commit, so Meta is asked to send it again.
		if w := e.post(fixture(t, "status_sent.json")); w.Code != 500 {
			t.Fatalf("fresh status for an unknown wamid: %d, want 500", w.Code)
		}
		// An old one is for a message Relevo never sent.
		db.Clock.Advance(10 * time.Minute)
		if w := e.post(fixture(t, "status_sent.json")); w.Code != 200 {
			t.Fatalf("old status for an unknown wamid: %d, want 200", w.Code)
		}
	})
}
