package store_test

import (
	"testing"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// callIn rings a call in conv and brings it to its end: answered and hung
// up after talk, or missed, or declined (by the called customer).
func callIn(t *testing.T, w *World, db *storetest.DB, conv desk.Conversation, by desk.CallParty, end desk.CallState, talk time.Duration) {
	t.Helper()
	agent := *conv.AssigneeID
	in := store.CallStart{ConversationID: conv.ID, By: by, Media: desk.MediaAudio}
	if by == desk.PartyAgent {
		in.AgentID = agent
	}
	c, err := w.S.StartCall(w.Ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	callee := store.CallMove{CallID: c.ID, By: by.Other(), ConversationID: conv.ID}
	if callee.By == desk.PartyAgent {
		callee.AgentID, callee.ConversationID = agent, ""
	}
	switch end {
	case desk.CallMissed:
		db.Clock.Advance(desk.CallRingTimeout)
		if _, err := w.S.SweepCalls(w.Ctx); err != nil {
			t.Fatal(err)
		}
	case desk.CallDeclined:
		callee.Act = desk.ActDecline
		if _, err := w.S.MoveCall(w.Ctx, callee); err != nil {
			t.Fatal(err)
		}
	case desk.CallEnded:
		callee.Act = desk.ActAccept
		if _, err := w.S.MoveCall(w.Ctx, callee); err != nil {
			t.Fatal(err)
		}
		db.Clock.Advance(talk)
		callee.Act = desk.ActHangup
		if _, err := w.S.MoveCall(w.Ctx, callee); err != nil {
			t.Fatal(err)
		}
	}
	if got, _ := w.S.GetCall(w.Ctx, c.ID); got.State != end {
		t.Fatalf("call %s, want %s", got.State, end)
	}
}

// inTeam is a conversation of team held by agent.
func inTeam(w *World, team desk.Team, agent desk.User) desk.Conversation {
	id := w.Inbound(w.API, w.NewContact(), "hello").ConversationID
	w.Check(w.S.Handover(w.Ctx, w.BotActor(), id, store.HandoverInput{TeamID: team.ID}))
	w.Check(w.S.Assign(w.Ctx, w.As(agent), id, store.AssignInput{}))
	w.Deliver()
	return w.Get(id)
}

func TestCallsReportCountsAndTalkTime(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := callWorld(t, db)
		from := db.Clock.Now()
		ana := inTeam(w, w.Sales, w.Agent)
		callIn(t, w, db, ana, desk.PartyAgent, desk.CallEnded, 90*time.Second)
		callIn(t, w, db, ana, desk.PartyAgent, desk.CallEnded, 30*time.Second+700*time.Millisecond) // 30 whole seconds
		callIn(t, w, db, ana, desk.PartyCustomer, desk.CallMissed, 0)
		callIn(t, w, db, ana, desk.PartyAgent, desk.CallDeclined, 0)
		bia := inTeam(w, w.Support, w.Agent2)
		callIn(t, w, db, bia, desk.PartyCustomer, desk.CallEnded, 10*time.Second)
		to := db.Clock.Now().Add(time.Second)

		rep, err := w.S.CallsReport(w.Ctx, []string{w.Bot.ID}, from, to)
		if err != nil {
			t.Fatal(err)
		}
		avg := func(v float64) *float64 { return &v }
		want := map[string]store.CallGroup{
			w.Agent.Name:  {ID: w.Agent.ID, Name: w.Agent.Name, Made: 3, Received: 1, Answered: 2, Missed: 1, Declined: 1, TalkSeconds: 120, AverageTalkSeconds: avg(60)},
			w.Agent2.Name: {ID: w.Agent2.ID, Name: w.Agent2.Name, Received: 1, Answered: 1, TalkSeconds: 10, AverageTalkSeconds: avg(10)},
		}
		same := func(what string, got store.CallGroup, want store.CallGroup) {
			t.Helper()
			ga, wa := -1.0, -1.0
			if got.AverageTalkSeconds != nil {
				ga = *got.AverageTalkSeconds
			}
			if want.AverageTalkSeconds != nil {
				wa = *want.AverageTalkSeconds
			}
			got.AverageTalkSeconds, want.AverageTalkSeconds = nil, nil
			if got.ID != want.ID || got.Name != want.Name || got.Made != want.Made || got.Received != want.Received ||
				got.Answered != want.Answered || got.Missed != want.Missed || got.Declined != want.Declined ||
				got.TalkSeconds != want.TalkSeconds || ga != wa {
				t.Errorf("%s: %+v (avg %v), want %+v (avg %v)", what, got, ga, want, wa)
			}
		}
		if len(rep.Agents) != 2 {
			t.Fatalf("agents %+v, want Ana and Bia", rep.Agents)
		}
		for _, g := range rep.Agents {
			same("agent "+g.Name, g, want[g.Name])
		}
		if len(rep.Teams) != 2 {
			t.Fatalf("teams %+v, want Sales and Support", rep.Teams)
		}
		sales, support := want[w.Agent.Name], want[w.Agent2.Name]
		sales.ID, sales.Name, support.ID, support.Name = w.Sales.ID, w.Sales.Name, w.Support.ID, w.Support.Name
		same("team Sales", rep.Teams[0], sales)
		same("team Support", rep.Teams[1], support)
		same("total", rep.Total, store.CallGroup{Made: 3, Received: 2, Answered: 3, Missed: 1, Declined: 1, TalkSeconds: 130, AverageTalkSeconds: avg(130.0 / 3)})

		// Scope: the other bot's report is empty, and so is a period
		// before the calls.
		other, err := w.S.CallsReport(w.Ctx, []string{w.OtherBot.ID}, from, to)
		if err != nil || len(other.Agents) != 0 || other.Total.Made+other.Total.Received != 0 {
			t.Fatalf("other bot: %+v %v", other, err)
		}
		early, err := w.S.CallsReport(w.Ctx, nil, from.Add(-time.Hour), from)
		if err != nil || len(early.Agents) != 0 || early.Total.AverageTalkSeconds != nil {
			t.Fatalf("before the calls: %+v %v", early, err)
		}
	})
}
