package store_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

func fp(p *float64) float64 {
	if p == nil {
		return -1
	}
	return *p
}

// Every transfer an agent makes shows under its reason, and the reasons
// add up to the transfers made; p90s are nearest-rank over the samples.
func TestAgentReportTransfersByReasonAddUpAndP90s(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := qNew(t, db)
		a := w.bot("A")
		ch := w.channel(a, "api")
		ana, bea := w.user("Ana", desk.RoleAgent, a), w.user("Bea", desk.RoleAgent, a)
		billing, tech := w.reason("Billing"), w.reason("Tech")
		made := 0
		// Ana handles ten conversations for 10..100 s; every third she
		// first passes to Bea and back, alternating reasons.
		for i := 1; i <= 10; i++ {
			id := w.sayAs(ch, "c"+string(rune('a'+i)), "help")
			w.handover(id, nil)
			w.assign(ana, id)
			if i%3 == 0 {
				r := billing
				if i%2 == 0 {
					r = tech
				}
				w.transfer(ana, id, store.TransferInput{AgentID: bea.ID, ReasonID: r.ID})
				w.transfer(bea, id, store.TransferInput{AgentID: ana.ID, ReasonID: billing.ID})
				made += 2
			}
			w.advance(time.Duration(i*10) * time.Second)
			w.resolve(ana, id)
		}
		rows, err := w.s.AgentReport(w.ctx, nil, storetest.Epoch, db.Clock.Now().Add(time.Second))
		if err != nil {
			t.Fatal(err)
		}
		sum := 0
		for _, r := range rows {
			for _, rc := range r.TransfersOut {
				sum += rc.Count
			}
			if r.Name == "Ana" {
				// Handle times: 10..100 s except the three that went back to
				// her (received anew at the transfer, same instant): all ten
				// samples are still i*10 s. p90 of ten is the 9th: 90 s.
				if fp(r.P90HandleSeconds) != 90 || fp(r.MedianHandleSeconds) != 55 {
					t.Errorf("Ana handle median %v p90 %v, want 55 and 90", fp(r.MedianHandleSeconds), fp(r.P90HandleSeconds))
				}
				if r.P90FirstResponseSeconds != nil {
					t.Errorf("Ana never wrote, p90 first response = %v", *r.P90FirstResponseSeconds)
				}
			}
		}
		if sum != made || made != 6 {
			t.Errorf("transfers by reason add up to %d, %d were made", sum, made)
		}
	})
}

func TestQueueReportWaitsPerTeamAndHour(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := qNew(t, db)
		a, b := w.bot("A"), w.bot("B")
		ch, chB := w.channel(a, "api"), w.channel(b, "api B")
		ana, sup := w.user("Ana", desk.RoleAgent, a), w.user("Sup", desk.RoleSupervisor, a)
		bob := w.user("Bob", desk.RoleAgent, b)
		sales := w.team("Sales", a, ana)
		start := db.Clock.Now()
		wait := func(c desk.Channel, name string, team *desk.Team, secs int, who *desk.User) {
			id := w.sayAs(c, name, "help")
			w.handover(id, team)
			w.advance(time.Duration(secs) * time.Second)
			if who != nil {
				w.assign(*who, id)
			} else {
				w.resolve(sup, id) // closed while waiting: abandoned
			}
		}
		// Hour 0, Sales: waits of 10, 20, 30, 40 s, one abandoned.
		for i, s := range []int{10, 20, 30, 40} {
			wait(ch, "s"+string(rune('a'+i)), &sales, s, &ana)
		}
		wait(ch, "gone", &sales, 5, nil)
		// Hour 0, no team: one wait of 60 s.
		wait(ch, "plain", nil, 60, &ana)
		// Bot B's queue is nobody's business in bot A's report.
		wait(chB, "b", nil, 7, &bob)
		w.advance(time.Hour)
		// Hour 1, Sales: one wait of 100 s.
		wait(ch, "late", &sales, 100, &ana)
		end := db.Clock.Now().Add(time.Second)

		type row struct {
			Team                       string
			Hour                       time.Time
			Queued, Assigned, Abandond int
			Median, P90                float64
		}
		get := func(team string, loc *time.Location) []row {
			t.Helper()
			qs, err := w.s.QueueReport(w.ctx, []string{a.ID}, team, start, end, loc, false)
			if err != nil {
				t.Fatal(err)
			}
			out := []row{}
			for _, q := range qs {
				out = append(out, row{q.TeamName, q.Hour.UTC(), q.Queued, q.Assigned, q.Abandoned, fp(q.MedianWaitSeconds), fp(q.P90WaitSeconds)})
			}
			return out
		}
		h0 := start.UTC().Truncate(time.Hour)
		h1 := db.Clock.Now().UTC().Add(-100 * time.Second).Truncate(time.Hour)
		want := []row{
			{"", h0, 1, 1, 0, 60, 60},
			{"Sales", h0, 5, 4, 1, 25, 40},
			{"Sales", h1, 1, 1, 0, 100, 100},
		}
		if got := get("", time.UTC); !reflect.DeepEqual(got, want) {
			t.Errorf("queues =\n%+v\nwant\n%+v", got, want)
		}
		if got := get(sales.ID, time.UTC); !reflect.DeepEqual(got, want[1:]) {
			t.Errorf("Sales only =\n%+v\nwant\n%+v", got, want[1:])
		}
		// Hours cut in a zone 30 minutes off UTC start on the half hour.
		ist, err := time.LoadLocation("Asia/Kolkata")
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range get("", ist) {
			if r.Hour.Minute() != 30 {
				t.Errorf("Kolkata hour starts at %v", r.Hour)
			}
		}
		if qs, err := w.s.QueueReport(w.ctx, []string{}, "", start, end, time.UTC, false); err != nil || len(qs) != 0 {
			t.Errorf("no bots: %v %v", qs, err)
		}
	})
}

func TestBotReportHandoverAndContainment(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := qNew(t, db)
		a, b := w.bot("A"), w.bot("B")
		ch, chB := w.channel(a, "api"), w.channel(b, "api B")
		ana, sup := w.user("Ana", desk.RoleAgent, a), w.user("Sup", desk.RoleSupervisor, a)
		start := db.Clock.Now()
		// A bot conversation left idle closes itself: contained.
		w.sayAs(ch, "kept", "hi")
		w.advance(30 * 24 * time.Hour)
		if n, _, err := w.s.Sweep(w.ctx); err != nil || n != 1 {
			t.Fatalf("sweep closed %d: %v", n, err)
		}
		w.open(ch, "done", desk.PhaseClosed, ana, nil)    // handed over
		w.open(ch, "queued", desk.PhaseWaiting, ana, nil) // handed over
		taken := w.sayAs(ch, "taken", "hi")               // taken over in the bot phase
		w.assign(sup, taken)
		w.sayAs(ch, "talking", "hi") // still with the bot: neither
		w.sayAs(chB, "other", "hi")
		end := db.Clock.Now().Add(time.Second)
		got, err := w.s.BotReport(w.ctx, []string{a.ID}, start, end)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].Conversations != 5 || got[0].HandedOver != 3 || got[0].Contained != 1 ||
			fp(got[0].HandoverRate) != 0.6 || fp(got[0].ContainmentRate) != 0.2 {
			t.Errorf("bot A = %+v", got)
		}
		all, err := w.s.BotReport(w.ctx, nil, start, end)
		if err != nil || len(all) != 2 || all[1].Conversations != 1 || all[1].HandedOver != 0 {
			t.Errorf("all bots = %+v %v", all, err)
		}
		empty, err := w.s.BotReport(w.ctx, nil, end, end.Add(time.Hour))
		if err != nil || empty[0].Conversations != 0 || empty[0].HandoverRate != nil {
			t.Errorf("empty period = %+v %v", empty, err)
		}
	})
}

// The bots report's top handover steps: per bot, the flow nodes most
// conversations created in the period were handed over at, most first,
// at most five; handovers without a node (API, keyword) are left out.
func TestBotReportTopHandoverSteps(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := qNew(t, db)
		a, b := w.bot("A"), w.bot("B")
		ch, chB := w.channel(a, "api"), w.channel(b, "api B")
		flowOf := func(bot desk.Bot) desk.Actor { return desk.Actor{Integration: true, BotID: bot.ID} }
		hand := func(c desk.Channel, bot desk.Bot, name, node string) {
			t.Helper()
			id := w.sayAs(c, name, "hi")
			if _, err := w.s.Handover(w.ctx, flowOf(bot), id, store.HandoverInput{NodeID: node}); err != nil {
				t.Fatal(err)
			}
		}
		before := w.sayAs(ch, "before", "hi") // created before the period
		w.advance(time.Minute)
		start := db.Clock.Now()
		if _, err := w.s.Handover(w.ctx, flowOf(a), before, store.HandoverInput{NodeID: "old"}); err != nil {
			t.Fatal(err)
		}
		// Seven nodes: "d" and "f" fall off the top five; ties are
		// ordered by node id.
		for node, n := range map[string]int{"menu": 3, "ask_email": 2, "b": 2, "c": 1, "d": 1, "e": 4} {
			for i := range n {
				hand(ch, a, node+string(rune('0'+i)), node)
			}
		}
		w.advance(time.Second)
		hand(ch, a, "f0", "f")
		hand(ch, a, "api", "")     // an external bot's handover: no node
		hand(chB, b, "other", "x") // bot B's
		end := db.Clock.Now().Add(time.Second)
		got, err := w.s.BotReport(w.ctx, []string{a.ID}, start, end)
		if err != nil || len(got) != 1 {
			t.Fatalf("report = %+v %v", got, err)
		}
		want := []store.HandoverStep{{NodeID: "e", Count: 4}, {NodeID: "menu", Count: 3}, {NodeID: "ask_email", Count: 2}, {NodeID: "b", Count: 2}, {NodeID: "c", Count: 1}}
		if !reflect.DeepEqual(got[0].TopHandoverSteps, want) {
			t.Errorf("bot A steps = %+v, want %+v", got[0].TopHandoverSteps, want)
		}
		if got[0].HandedOver != 15 {
			t.Errorf("bot A handed over %d, want 15", got[0].HandedOver)
		}
		all, err := w.s.BotReport(w.ctx, nil, start, end)
		if err != nil || len(all) != 2 || !reflect.DeepEqual(all[1].TopHandoverSteps, []store.HandoverStep{{NodeID: "x", Count: 1}}) {
			t.Errorf("all bots = %+v %v", all, err)
		}
		empty, err := w.s.BotReport(w.ctx, nil, end, end.Add(time.Hour))
		if err != nil || empty[0].TopHandoverSteps == nil || len(empty[0].TopHandoverSteps) != 0 {
			t.Errorf("empty period = %+v %v", empty, err)
		}
	})
}
