package realtime_test

import (
	"encoding/json"
	"testing"

	"github.com/relevo/relevo/internal/app"
	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/realtime"
	"github.com/relevo/relevo/internal/store"
)

func TestAgentGetsTheQueueOfItsBotsOnly(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	n := startNode(t, app.Config{}, app.Options{})
	f := newFloor(t, ctx, n.Store)
	ana := connect(t, ctx, n.URL(), f.ana)
	carl := connect(t, ctx, n.URL(), f.carl)

	inBot := f.botConversation(t, ctx)                                     // Support, phase bot
	queued := f.waiting(t, ctx, "")                                        // Support, waiting
	sales := inbound(t, ctx, n.Store, f.otherCh.ID, "s1", "s1-m1", "hola") // Sales, straight to waiting

	seen := barrier(t, ctx, n.Store, f.sue.ID, ana)
	if mentions(seen, inBot) {
		t.Error("agent got frames of a conversation still with the bot")
	}
	if mentions(seen, sales.ConversationID) {
		t.Error("agent got frames of another bot's conversation")
	}
	if !mentions(seen, queued) {
		t.Errorf("agent missed its bot's queue: %s", types(seen))
	}
	seen = barrier(t, ctx, n.Store, f.sue.ID, carl)
	if mentions(seen, inBot) || mentions(seen, queued) {
		t.Error("Carl got frames of a bot he does not belong to")
	}
	if !mentions(seen, sales.ConversationID) {
		t.Errorf("Carl missed his bot's queue: %s", types(seen))
	}
}

func TestColleagueAssignmentDropsTheItemFromTheOtherAgentsQueue(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	n := startNode(t, app.Config{}, app.Options{})
	f := newFloor(t, ctx, n.Store)
	id := f.waiting(t, ctx, "")
	ana := connect(t, ctx, n.URL(), f.ana)
	bob := connect(t, ctx, n.URL(), f.bob)

	post(t, ctx, bob, "/api/v1/conversations/"+id+"/assign", nil)

	// Ana sees the conversation leave her queue: phase human, Bob's.
	got := await(t, ctx, ana, "the assignment", func(fr realtime.Frame) bool {
		return fr.Type == realtime.FrameConversationUpdated && fr.ConversationID == id &&
			decode[desk.Conversation](t, fr).Phase == desk.PhaseHuman
	})
	c := decode[desk.Conversation](t, got[len(got)-1])
	if c.AssigneeID == nil || *c.AssigneeID != f.bob.ID {
		t.Fatalf("assignee %v, want Bob", c.AssigneeID)
	}
	// From now on it is Bob's: Ana hears nothing more of it.
	inbound(t, ctx, n.Store, f.ch.ID, "cust-1", "cust-1-m2", "are you there?")
	must(n.Store.AddNote(ctx, desk.UserActor(f.bob), id, "VIP"))(t)
	if seen := barrier(t, ctx, n.Store, f.sue.ID, ana); mentions(seen, id) {
		t.Errorf("Ana still gets Bob's conversation: %s", types(seen))
	}
	await(t, ctx, bob, "the customer's message", func(fr realtime.Frame) bool {
		return fr.Type == realtime.FrameMessageCreated && decode[desk.Message](t, fr).Text == "are you there?"
	})
}

func TestSupervisorSeesEverythingOfItsBotsAndNotesReachViewers(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	n := startNode(t, app.Config{}, app.Options{})
	f := newFloor(t, ctx, n.Store)
	sue := connect(t, ctx, n.URL(), f.sue)
	ana := connect(t, ctx, n.URL(), f.ana)
	bob := connect(t, ctx, n.URL(), f.bob)

	inBot := f.botConversation(t, ctx)
	anas := f.waiting(t, ctx, "")
	must(n.Store.Assign(ctx, desk.UserActor(f.ana), anas, store.AssignInput{}))(t)
	sales := inbound(t, ctx, n.Store, f.otherCh.ID, "s1", "s1-m1", "hola").ConversationID
	note := must(n.Store.AddNote(ctx, desk.UserActor(f.ana), anas, "call back at 5"))(t)

	seen := barrier(t, ctx, n.Store, f.bob.ID, sue)
	if !mentions(seen, inBot) || !mentions(seen, anas) {
		t.Errorf("supervisor missed conversations of her bot: %s", types(seen))
	}
	if mentions(seen, sales) {
		t.Error("supervisor got another bot's conversation")
	}
	hasNote := func(frames []realtime.Frame) bool {
		for _, fr := range frames {
			if fr.Type == realtime.FrameMessageCreated && decode[desk.Message](t, fr).ID == note.ID {
				return true
			}
		}
		return false
	}
	if !hasNote(seen) {
		t.Error("the supervisor did not get the note")
	}
	if !hasNote(barrier(t, ctx, n.Store, f.sue.ID, ana)) {
		t.Error("the assignee did not get her own note")
	}
	if seen := barrier(t, ctx, n.Store, f.sue.ID, bob); hasNote(seen) || mentions(seen, inBot) {
		t.Errorf("Bob got what he may not see: %s", types(seen))
	}
}

func TestPushedConversationsCarryNoPerUserReadState(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	n := startNode(t, app.Config{}, app.Options{})
	f := newFloor(t, ctx, n.Store)
	sue := connect(t, ctx, n.URL(), f.sue)
	id := f.waiting(t, ctx, "")
	got := await(t, ctx, sue, "the handover", about(realtime.FrameConversationUpdated, id))
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(got[len(got)-1].Data, &fields); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"unread_count", "marked_unread"} {
		if _, ok := fields[k]; ok {
			t.Errorf("pushed conversation carries %q: one frame serves every viewer", k)
		}
	}
	if _, ok := fields["phase"]; !ok {
		t.Errorf("pushed conversation lacks its fields: %s", got[len(got)-1].Data)
	}
}
