package realtime_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/relevo/relevo/internal/app"
	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/jobs"
	"github.com/relevo/relevo/internal/realtime"
	"github.com/relevo/relevo/internal/realtime/rtclient"
	"github.com/relevo/relevo/internal/store"
)

// heldSender holds every delivery to customers until release is closed,
// so the processing lock stays on long enough to be watched.
func heldSender(release <-chan struct{}) jobs.Sender {
	return jobs.SenderFunc(func(ctx context.Context, d store.Delivery) (string, error) {
		select {
		case <-release:
			return "", nil
		case <-ctx.Done():
			return "", ctx.Err()
		}
	})
}

// conversationFrame matches conversation.updated frames of id for which ok
// holds.
func conversationFrame(t *testing.T, id string, ok func(desk.Conversation) bool) func(realtime.Frame) bool {
	return func(f realtime.Frame) bool {
		return f.Type == realtime.FrameConversationUpdated && f.ConversationID == id && ok(decode[desk.Conversation](t, f))
	}
}

func TestLiveLifecycleHandoverAssignLockMessagesAndTicks(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	release := make(chan struct{})
	n := startNode(t, app.Config{}, app.Options{Senders: map[desk.ChannelType]jobs.Sender{desk.ChannelAPI: heldSender(release)}})
	f := newFloor(t, ctx, n.Store)
	ana := connect(t, ctx, n.URL(), f.ana)
	sue := connect(t, ctx, n.URL(), f.sue)

	id := f.botConversation(t, ctx)
	await(t, ctx, sue, "the new bot conversation", about(realtime.FrameMessageCreated, id))

	// The bot hands over: the conversation appears in Ana's queue.
	must(n.Store.Handover(ctx, desk.SystemActor, id, store.HandoverInput{}))(t)
	await(t, ctx, ana, "the handover", conversationFrame(t, id, func(c desk.Conversation) bool { return c.Phase == desk.PhaseWaiting }))

	// She takes it: hers, and locked while the hand-over is processed.
	post(t, ctx, ana, "/api/v1/conversations/"+id+"/assign", nil)
	await(t, ctx, ana, "the assignment with its lock", conversationFrame(t, id, func(c desk.Conversation) bool {
		return c.Phase == desk.PhaseHuman && c.AssigneeID != nil && *c.AssigneeID == f.ana.ID && c.LockedUntil != nil
	}))
	var ae *rtclient.APIError
	if err := ana.Do(ctx, "POST", "/api/v1/conversations/"+id+"/messages", map[string]string{"text": "early"}, nil); !errors.As(err, &ae) || ae.Status != http.StatusLocked {
		t.Fatalf("send during the lock: %v, want 423", err)
	}

	// Delivery finishes: ticks on the notices, then the lock ends.
	close(release)
	await(t, ctx, ana, "a delivery tick", func(fr realtime.Frame) bool {
		return fr.Type == realtime.FrameMessageUpdated && fr.ConversationID == id && decode[desk.Message](t, fr).Status == desk.StatusSent
	})
	await(t, ctx, ana, "the lock end", conversationFrame(t, id, func(c desk.Conversation) bool {
		return c.Phase == desk.PhaseHuman && c.LockedUntil == nil
	}))

	// Messages both ways, and the tick of her own.
	var sent desk.Message
	if err := ana.Do(ctx, "POST", "/api/v1/conversations/"+id+"/messages", map[string]string{"text": "How can I help?"}, &sent); err != nil {
		t.Fatal(err)
	}
	await(t, ctx, ana, "her message", func(fr realtime.Frame) bool {
		return fr.Type == realtime.FrameMessageCreated && decode[desk.Message](t, fr).ID == sent.ID
	})
	await(t, ctx, ana, "her message's tick", func(fr realtime.Frame) bool {
		m := decode[desk.Message](t, fr)
		return fr.Type == realtime.FrameMessageUpdated && m.ID == sent.ID && m.Status == desk.StatusSent
	})
	inbound(t, ctx, n.Store, f.ch.ID, "cust-1", "cust-1-m2", "my order is late")
	for _, c := range []*rtclient.Client{ana, sue} {
		await(t, ctx, c, "the customer's reply", func(fr realtime.Frame) bool {
			m := decode[desk.Message](t, fr)
			return fr.Type == realtime.FrameMessageCreated && m.Author.Type == desk.AuthorContact && m.Text == "my order is late"
		})
	}
}

func TestLivePresenceChatAndTyping(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	n := startNode(t, app.Config{}, app.Options{})
	f := newFloor(t, ctx, n.Store)
	id := f.waiting(t, ctx, "")
	must(n.Store.Assign(ctx, desk.UserActor(f.ana), id, store.AssignInput{}))(t)
	ana := connect(t, ctx, n.URL(), f.ana)
	bob := connect(t, ctx, n.URL(), f.bob)
	sue := connect(t, ctx, n.URL(), f.sue)

	// Ana pauses: supervisors and Ana herself hear it, colleagues do not.
	if err := ana.Do(ctx, "PUT", "/api/v1/me/status", map[string]string{"status": "paused", "pause_reason": "lunch"}, nil); err != nil {
		t.Fatal(err)
	}
	isAnaPaused := func(fr realtime.Frame) bool {
		if fr.Type != realtime.FrameAgentStatus {
			return false
		}
		s := decode[realtime.AgentStatus](t, fr)
		return s.UserID == f.ana.ID && s.Status == desk.StatusPaused && s.PauseReason == "lunch"
	}
	await(t, ctx, sue, "Ana's pause", isAnaPaused)
	await(t, ctx, ana, "her own pause", isAnaPaused)

	// Internal chat reaches both ends.
	var msg desk.ChatMessage
	if err := sue.Do(ctx, "POST", "/api/v1/chats/"+f.ana.ID+"/messages", map[string]string{"text": "back at 2?"}, &msg); err != nil {
		t.Fatal(err)
	}
	for _, c := range []*rtclient.Client{ana, sue} {
		await(t, ctx, c, "the chat message", func(fr realtime.Frame) bool {
			return fr.Type == realtime.FrameChatMessage && decode[desk.ChatMessage](t, fr).ID == msg.ID
		})
	}

	// Ana types: Sue, who watches the conversation, sees it; Ana does not
	// hear her own typing, and Bob cannot see the conversation.
	if err := ana.Send(ctx, realtime.ClientFrame{Type: realtime.FrameTyping, ConversationID: id}); err != nil {
		t.Fatal(err)
	}
	got := await(t, ctx, sue, "Ana typing", about(realtime.FrameTyping, id))
	if ty := decode[realtime.Typing](t, got[len(got)-1]); ty.UserID != f.ana.ID || ty.Author != desk.AuthorAgent || ty.Name != "Ana" {
		t.Fatalf("typing frame %+v", ty)
	}
	for _, fr := range barrier(t, ctx, n.Store, f.sue.ID, ana) {
		if fr.Type == realtime.FrameTyping {
			t.Fatal("Ana got her own typing indicator")
		}
	}
	for _, fr := range barrier(t, ctx, n.Store, f.sue.ID, bob) {
		if fr.Type == realtime.FrameTyping || isAnaPaused(fr) {
			t.Fatalf("Bob got %s he may not see", fr.Type)
		}
	}
}
