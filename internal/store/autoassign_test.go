package store_test

import (
	"strings"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// autoWorld is a world whose bot's queue (conversations without a team)
// is served automatically; Ana may hold 2, Bia 3.
func autoWorld(t *testing.T, db *storetest.DB) *storetest.World {
	w := storetest.NewWorld(t, db, storetest.WorldOptions{})
	auto := desk.AssignAutomatic
	storetest.Must[desk.Bot](t)(w.S.UpdateBot(w.Ctx, w.Bot.ID, store.BotPatch{Assignment: &auto}))
	setMaxChats(w, w.Agent, 2)
	setMaxChats(w, w.Agent2, 3)
	return w
}

func setMaxChats(w *storetest.World, u desk.User, n int) {
	storetest.Must[desk.User](w.T)(w.S.UpdateUser(w.Ctx, u.ID, store.UserPatch{MaxChats: &n}))
}

// queuedFor is a new conversation the bot hands over to a team's queue.
func queuedFor(w *storetest.World, teamID string) desk.Conversation {
	w.T.Helper()
	c := w.InPhase(desk.PhaseBot)
	return w.Check(w.S.Handover(w.Ctx, w.BotActor(), c.ID, store.HandoverInput{TeamID: teamID}))
}

// drain assigns from q until nothing more can go, as the drainer does.
func drain(w *storetest.World, q store.Queue) int {
	w.T.Helper()
	n := 0
	for {
		k, err := w.S.AssignNext(w.Ctx, q)
		if err != nil {
			w.T.Fatal(err)
		}
		if k == 0 {
			return n
		}
		n += k
	}
}

func TestAutoAssignFillsByFreeCapacityOldestFirst(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := autoWorld(t, db)
		var ids []string
		for range 7 {
			ids = append(ids, w.InPhase(desk.PhaseWaiting).ID)
			db.Clock.Advance(time.Second)
		}
		queues, err := w.S.AutoQueues(w.Ctx)
		if err != nil || len(queues) != 1 || queues[0] != (store.Queue{BotID: w.Bot.ID}) {
			t.Fatalf("AutoQueues = %v, %v", queues, err)
		}
		if n := drain(w, queues[0]); n != 5 {
			t.Fatalf("assigned %d, want 5 (2 + 3 of capacity)", n)
		}
		// Bia had the most room first: she got the oldest; then one each
		// while tied on room, the longest since their last assignment first.
		want := []string{w.Agent2.ID, w.Agent.ID, w.Agent2.ID, w.Agent.ID, w.Agent2.ID}
		for i, id := range ids[:5] {
			c := w.Get(id)
			if c.Phase != desk.PhaseHuman || deref(c.AssigneeID) != want[i] {
				t.Fatalf("conversation %d: %s %s, want human %s", i, c.Phase, deref(c.AssigneeID), want[i])
			}
		}
		for _, id := range ids[5:] {
			if c := w.Get(id); c.Phase != desk.PhaseWaiting {
				t.Fatalf("nobody had room, but %s is %s", id, c.Phase)
			}
		}
		// An ordinary assign: the timeline says so, the customer is told.
		msgs := w.Messages(ids[0])
		last := msgs[len(msgs)-1]
		if last.Text != "You are being transferred to Agent Bia" {
			t.Fatalf("customer notice = %q", last.Text)
		}
		found := false
		for _, m := range msgs {
			found = found || strings.Contains(m.Text, "Assigned automatically to Bia")
		}
		if !found {
			t.Fatalf("no assignment event in %+v", msgs)
		}
		// Capacity frees: Ana resolves one, the oldest waiting goes to her.
		w.Deliver()
		w.Check(w.S.Resolve(w.Ctx, w.As(w.Agent), ids[1]))
		if n := drain(w, queues[0]); n != 1 {
			t.Fatalf("after a resolve assigned %d, want 1", n)
		}
		if c := w.Get(ids[5]); deref(c.AssigneeID) != w.Agent.ID {
			t.Fatalf("the oldest waiting went to %q, want Ana", deref(c.AssigneeID))
		}
	})
}

func TestAutoAssignSkipsPausedOfflineAndManualQueues(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := autoWorld(t, db)
		setMaxChats(w, w.PausedAgent, 5)
		setMaxChats(w, w.OfflineAgent, 5)
		setMaxChats(w, w.Supervisor, 5)
		storetest.Must[desk.User](t)(w.S.SetStatus(w.Ctx, w.Agent.ID, desk.StatusPaused, "lunch"))
		storetest.Must[desk.User](t)(w.S.SetStatus(w.Ctx, w.Agent2.ID, desk.StatusOffline, ""))
		w.InPhase(desk.PhaseWaiting)
		q := store.Queue{BotID: w.Bot.ID}
		if n := drain(w, q); n != 0 {
			t.Fatalf("assigned %d with nobody online, want 0", n)
		}
		storetest.Must[desk.User](t)(w.S.SetStatus(w.Ctx, w.Agent.ID, desk.StatusOnline, ""))
		if n := drain(w, q); n != 1 {
			t.Fatalf("Ana back online: assigned %d, want 1", n)
		}
		// Queued for a team in manual mode: the bot's automatic queue does
		// not take it.
		c := queuedFor(w, w.Sales.ID)
		if n := drain(w, q) + drain(w, store.Queue{BotID: w.Bot.ID, TeamID: w.Sales.ID}); n != 0 {
			t.Fatalf("a manual team's conversation was assigned (%d)", n)
		}
		auto := desk.AssignAutomatic
		storetest.Must[desk.Team](t)(w.S.UpdateTeam(w.Ctx, w.Sales.ID, store.TeamPatch{Assignment: &auto}))
		if n := drain(w, store.Queue{BotID: w.Bot.ID, TeamID: w.Sales.ID}); n != 1 || deref(w.Get(c.ID).AssigneeID) != w.Agent.ID {
			t.Fatalf("the Sales queue in automatic mode: %d assigned, to %q", n, deref(w.Get(c.ID).AssigneeID))
		}
	})
}

func TestAutoAssignReoffersAnUnansweredConversation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := autoWorld(t, db)
		auto, after := desk.AssignAutomatic, desk.Seconds(120)
		both := []string{w.Agent.ID, w.Agent2.ID}
		storetest.Must[desk.Team](t)(w.S.UpdateTeam(w.Ctx, w.Sales.ID, store.TeamPatch{Assignment: &auto, ReofferAfter: &after, MemberIDs: &both}))
		q := store.Queue{BotID: w.Bot.ID, TeamID: w.Sales.ID}
		quiet, answered := queuedFor(w, w.Sales.ID), queuedFor(w, w.Sales.ID)
		if n := drain(w, q); n != 2 {
			t.Fatalf("assigned %d, want 2", n)
		}
		first := deref(w.Get(quiet.ID).AssigneeID)
		w.Deliver()
		replier := w.Get(answered.ID)
		if _, err := w.S.Send(w.Ctx, w.As(desk.User{ID: *replier.AssigneeID}), answered.ID, store.SendInput{Text: "Hi, how can I help?"}); err != nil {
			t.Fatal(err)
		}
		db.Clock.Advance(119 * time.Second)
		if n, err := w.S.SweepReoffers(w.Ctx); err != nil || n != 0 {
			t.Fatalf("re-offered before the deadline: %d, %v", n, err)
		}
		db.Clock.Advance(time.Second)
		if n, err := w.S.SweepReoffers(w.Ctx); err != nil || n != 1 {
			t.Fatalf("SweepReoffers = %d, %v; want 1 (the unanswered one)", n, err)
		}
		if c := w.Get(quiet.ID); c.Phase != desk.PhaseWaiting || deref(c.TeamID) != w.Sales.ID {
			t.Fatalf("re-offered conversation: %s team %q", c.Phase, deref(c.TeamID))
		}
		if c := w.Get(answered.ID); c.Phase != desk.PhaseHuman {
			t.Fatalf("the answered conversation was re-offered: %s", c.Phase)
		}
		// Not back to the agent who let it wait, though they have room.
		if n := drain(w, q); n != 1 {
			t.Fatalf("re-offer drained %d, want 1", n)
		}
		if got := deref(w.Get(quiet.ID).AssigneeID); got == first || got == "" {
			t.Fatalf("re-offered to %q, first holder %q", got, first)
		}
		if n, _ := w.S.SweepReoffers(w.Ctx); n != 0 {
			t.Fatalf("the new deadline fired at once: %d", n)
		}
	})
}

func TestAssignmentSettingsAreValidated(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := storetest.NewWorld(t, db, storetest.WorldOptions{})
		bad, short := desk.AssignmentMode("round_robin"), desk.Seconds(5)
		_, err := w.S.UpdateTeam(w.Ctx, w.Sales.ID, store.TeamPatch{Assignment: &bad})
		wantInvalid(t, err, "assignment")
		_, err = w.S.UpdateTeam(w.Ctx, w.Sales.ID, store.TeamPatch{ReofferAfter: &short})
		wantInvalid(t, err, "reoffer_after")
		_, err = w.S.UpdateBot(w.Ctx, w.Bot.ID, store.BotPatch{Assignment: &bad})
		wantInvalid(t, err, "assignment")
		_, err = w.S.CreateTeam(w.Ctx, desk.Team{Name: "X", BotID: w.Bot.ID, Assignment: bad})
		wantInvalid(t, err, "assignment")
		team := storetest.Must[desk.Team](t)(w.S.GetTeam(w.Ctx, w.Sales.ID))
		bot := storetest.Must[desk.Bot](t)(w.S.GetBot(w.Ctx, w.Bot.ID))
		if team.Assignment != desk.AssignManual || team.ReofferAfter != 0 || bot.Assignment != desk.AssignManual {
			t.Fatalf("defaults: team %+v, bot %q", team, bot.Assignment)
		}
		ten := desk.Seconds(600)
		team = storetest.Must[desk.Team](t)(w.S.UpdateTeam(w.Ctx, w.Sales.ID, store.TeamPatch{ReofferAfter: &ten}))
		if team.ReofferAfter != 600 || team.Assignment != desk.AssignManual {
			t.Fatalf("after PATCH: %+v", team)
		}
	})
}
