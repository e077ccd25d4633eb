package store_test

import (
	"testing"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// setHours gives the world's bot a Monday schedule in UTC (the test
// clock starts Monday 2026-11-02 09:00 UTC).
func setHours(t *testing.T, w *World, from, to string) {
	t.Helper()
	h := desk.BusinessHours{Enabled: true, TimeZone: "UTC", Weekly: desk.Week{Mon: []desk.Interval{{From: from, To: to}}}}
	if _, err := w.S.UpdateBot(w.Ctx, w.Bot.ID, store.BotPatch{BusinessHours: &h}); err != nil {
		t.Fatal(err)
	}
}

func TestHandoverOutOfHoursQueuesWithTheClosedNoticeAndTheFlag(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := NewWorld(t, db, WorldOptions{})
		setHours(t, w, "10:00", "18:00")
		c := w.InPhase(desk.PhaseBot)
		got := w.Check(w.S.Handover(w.Ctx, w.BotActor(), c.ID, store.HandoverInput{}))
		if got.Phase != desk.PhaseWaiting || !got.OutOfHours || !w.Get(c.ID).OutOfHours {
			t.Fatalf("out of hours: %+v", got)
		}
		wantNotice(t, w, w.Last(c.ID, 1)[0], desk.DefaultOutOfHours["en"], false)

		// In the customer's language, with no translation written.
		es := w.InPhase(desk.PhaseBot)
		attrs := map[string]string{desk.LanguageAttribute: "es"}
		if _, err := w.S.UpdateContact(w.Ctx, es.Contact.ID, store.ContactPatch{Attributes: &attrs}); err != nil {
			t.Fatal(err)
		}
		w.Check(w.S.Handover(w.Ctx, w.BotActor(), es.ID, store.HandoverInput{}))
		wantNotice(t, w, w.Last(es.ID, 1)[0], desk.DefaultOutOfHours["es"], false)

		// The mark stays through assignment and later moves.
		w.Check(w.S.Assign(w.Ctx, w.As(w.Agent), c.ID, store.AssignInput{}))
		if !w.Get(c.ID).OutOfHours {
			t.Fatal("the mark was lost on assign")
		}
	})
}

func TestHandoverInHoursIsUnchanged(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := NewWorld(t, db, WorldOptions{})
		setHours(t, w, "09:00", "18:00")
		c := w.InPhase(desk.PhaseBot)
		got := w.Check(w.S.Handover(w.Ctx, w.BotActor(), c.ID, store.HandoverInput{}))
		if got.OutOfHours || w.Get(c.ID).OutOfHours {
			t.Fatalf("in hours flagged: %+v", got)
		}
		wantNotice(t, w, w.Last(c.ID, 1)[0], desk.DefaultNotices.Queued, false)
		// At 18:00 the desk has closed.
		db.Clock.Advance(9 * time.Hour)
		late := w.InPhase(desk.PhaseBot)
		if !w.Check(w.S.Handover(w.Ctx, w.BotActor(), late.ID, store.HandoverInput{})).OutOfHours {
			t.Fatal("18:00 is closed")
		}
	})
}

func TestBotScheduleIsValidatedAndStored(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := NewWorld(t, db, WorldOptions{})
		bad := desk.BusinessHours{Enabled: true, TimeZone: "UTC", Weekly: desk.Week{Tue: []desk.Interval{{From: "18:00", To: "09:00"}}}}
		_, err := w.S.UpdateBot(w.Ctx, w.Bot.ID, store.BotPatch{BusinessHours: &bad})
		if de, ok := err.(*desk.Error); !ok || de.Details["field"] != "business_hours.weekly.tue.0" {
			t.Fatalf("err = %v", err)
		}
		never := desk.BusinessHours{Enabled: true, TimeZone: "Europe/Madrid"}
		if _, err := w.S.UpdateBot(w.Ctx, w.Bot.ID, store.BotPatch{BusinessHours: &never}); !desk.IsCode(err, desk.CodeValidationFailed) {
			t.Fatalf("a schedule that never opens: %v", err)
		}
		good := desk.BusinessHours{Enabled: true, TimeZone: "Europe/Madrid", Holidays: []string{"2026-12-25"},
			Weekly: desk.Week{Fri: []desk.Interval{{From: "09:00", To: "24:00"}}}}
		b, err := w.S.UpdateBot(w.Ctx, w.Bot.ID, store.BotPatch{BusinessHours: &good})
		if err != nil {
			t.Fatal(err)
		}
		again, _ := w.S.GetBot(w.Ctx, w.Bot.ID)
		if !again.BusinessHours.Enabled || again.BusinessHours.TimeZone != "Europe/Madrid" || len(again.BusinessHours.Weekly.Fri) != 1 ||
			again.BusinessHours.Holidays[0] != "2026-12-25" || b.BusinessHours.TimeZone != "Europe/Madrid" {
			t.Fatalf("stored %+v", again.BusinessHours)
		}
	})
}
