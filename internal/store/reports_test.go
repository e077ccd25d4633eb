package store_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// qStats is the comparable part of an agent's figures (medians as -1 when
// there is no sample).
type qStats struct {
	Handled, Resolved     int
	Transfers             []store.ReasonCount
	FirstResponse, Handle float64
}

func qReport(t *testing.T, w *qWorld, botIDs []string, from, to time.Time) map[string]qStats {
	t.Helper()
	rows, err := w.s.AgentReport(w.ctx, botIDs, from, to)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]qStats{}
	for _, r := range rows {
		s := qStats{Handled: r.Handled, Resolved: r.Resolved, Transfers: r.TransfersOut, FirstResponse: -1, Handle: -1}
		if r.MedianFirstResponseSeconds != nil {
			s.FirstResponse = *r.MedianFirstResponseSeconds
		}
		if r.MedianHandleSeconds != nil {
			s.Handle = *r.MedianHandleSeconds
		}
		out[r.Name] = s
	}
	return out
}

func TestAgentReportCountsAndMediansFromTheTimeline(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := qNew(t, db)
		a := w.bot("A")
		ch := w.channel(a, "api")
		ana, bea, sup := w.user("Ana", desk.RoleAgent, a), w.user("Bea", desk.RoleAgent, a), w.user("Sup", desk.RoleSupervisor, a)
		billing, tech := w.reason("Billing"), w.reason("Tech")
		techTeam := w.team("Tech", a, bea)
		queued := func(name string) string {
			id := w.sayAs(ch, name, "help")
			w.advance(time.Minute) // waiting time counts for nobody
			w.handover(id, nil)
			w.advance(time.Minute)
			return id
		}
		step := func(secs int) { w.advance(time.Duration(secs) * time.Second) }

		// X: Ana answers after 10 s, resolves after 30 s.
		x := queued("X")
		w.assign(ana, x)
		step(10)
		w.reply(ana, x, "hi X")
		step(20)
		w.resolve(ana, x)
		// Y: Ana answers after 20 s, transfers to Bea for billing at 40 s;
		// Bea answers after 5 s and resolves 65 s after receiving it.
		y := queued("Y")
		w.assign(ana, y)
		step(20)
		w.reply(ana, y, "hi Y")
		step(20)
		w.transfer(ana, y, store.TransferInput{AgentID: bea.ID, ReasonID: billing.ID})
		step(5)
		w.reply(bea, y, "Bea here")
		step(60)
		w.resolve(bea, y)
		// Z: Ana answers after 60 s, resolves after 90 s.
		z := queued("Z")
		w.assign(ana, z)
		step(60)
		w.reply(ana, z, "hi Z")
		step(30)
		w.resolve(ana, z)
		// V: Ana takes it, a supervisor resolves it: Sup resolved one, no
		// handle time for anyone, no first response for Ana.
		v := queued("V")
		w.assign(ana, v)
		step(7)
		w.resolve(sup, v)
		// W: Ana sends it to the Tech team without a word; Bea takes it
		// from the queue, answers after 15 s and resolves after 45 s.
		w.advance(time.Hour)
		beforeW := db.Clock.Now()
		wc := queued("W")
		w.assign(ana, wc)
		step(5)
		w.transfer(ana, wc, store.TransferInput{TeamID: techTeam.ID, ReasonID: tech.ID})
		step(100)
		w.assign(bea, wc)
		step(15)
		w.reply(bea, wc, "Tech here")
		step(30)
		w.resolve(bea, wc)
		end := db.Clock.Now().Add(time.Second)

		got := qReport(t, w, nil, storetest.Epoch, end)
		want := map[string]qStats{
			"Ana": {Handled: 5, Resolved: 2, FirstResponse: 20, Handle: 60, Transfers: []store.ReasonCount{
				{ReasonID: billing.ID, Name: "Billing", Count: 1}, {ReasonID: tech.ID, Name: "Tech", Count: 1}}},
			"Bea": {Handled: 2, Resolved: 2, FirstResponse: 10, Handle: 55, Transfers: []store.ReasonCount{}},
			"Sup": {Handled: 0, Resolved: 1, FirstResponse: -1, Handle: -1, Transfers: []store.ReasonCount{}},
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("report =\n%+v\nwant\n%+v", got, want)
		}

		// The period counts events inside it only: conversation W.
		got = qReport(t, w, []string{a.ID}, beforeW, end)
		want = map[string]qStats{
			"Ana": {Handled: 1, FirstResponse: -1, Handle: -1, Transfers: []store.ReasonCount{{ReasonID: tech.ID, Name: "Tech", Count: 1}}},
			"Bea": {Handled: 1, Resolved: 1, FirstResponse: 15, Handle: 45, Transfers: []store.ReasonCount{}},
			"Sup": {FirstResponse: -1, Handle: -1, Transfers: []store.ReasonCount{}},
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("report of W's hour =\n%+v\nwant\n%+v", got, want)
		}
		// "to" is exclusive: a period ending where everything began is empty.
		for name, s := range qReport(t, w, nil, storetest.Epoch.Add(-time.Hour), storetest.Epoch) {
			if s.Handled != 0 || s.Resolved != 0 || len(s.Transfers) != 0 || s.FirstResponse != -1 || s.Handle != -1 {
				t.Errorf("empty period: %s = %+v", name, s)
			}
		}
	})
}

func TestAgentReportIsScopedByBot(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := qNew(t, db)
		a, b := w.bot("A"), w.bot("B")
		ana, bob := w.user("Ana", desk.RoleAgent, a), w.user("Bob", desk.RoleAgent, b)
		both := w.user("Both", desk.RoleAgent, a, b)
		w.open(w.channel(a, "api A"), "a1", desk.PhaseClosed, ana, nil)
		w.open(w.channel(a, "api A"), "a2", desk.PhaseClosed, both, nil)
		w.open(w.channel(b, "api B"), "b1", desk.PhaseClosed, bob, nil)
		w.open(w.channel(b, "api B"), "b2", desk.PhaseClosed, both, nil)
		end := db.Clock.Now().Add(time.Second)
		handled := func(botIDs []string) map[string]int {
			out := map[string]int{}
			for name, s := range qReport(t, w, botIDs, storetest.Epoch, end) {
				out[name] = s.Handled*10 + s.Resolved
			}
			return out
		}
		if got, want := handled([]string{a.ID}), map[string]int{"Ana": 11, "Both": 11}; !reflect.DeepEqual(got, want) {
			t.Errorf("bot A: handled*10+resolved = %v, want %v", got, want)
		}
		if got, want := handled(nil), map[string]int{"Ana": 11, "Bob": 11, "Both": 22}; !reflect.DeepEqual(got, want) {
			t.Errorf("all bots: handled*10+resolved = %v, want %v", got, want)
		}
		if got := handled([]string{}); len(got) != 0 {
			t.Errorf("no bots: %v, want nothing", got)
		}
	})
}
