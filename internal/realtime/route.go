package realtime

import (
	"context"
	"fmt"

	"github.com/coder/websocket"

	"github.com/relevo/relevo/internal/desk"
)

// pushedConversation is a conversation as pushed to its viewers: the
// per-user read fields are left out (each client keeps its own, from its
// list and the messages it sees), so one encoded frame serves every viewer
// who may do the same things with it (allowed_actions, set per socket).
type pushedConversation struct {
	desk.Conversation
	UnreadCount  *int  `json:"unread_count,omitempty"`
	MarkedUnread *bool `json:"marked_unread,omitempty"`
}

// OnChange routes one committed change (from any node, via the bus) to the
// sockets of this node that may see it.
func (h *Hub) OnChange(c desk.Change) {
	h.metrics.changes.WithLabelValues(string(c.Type)).Inc()
	ctx := h.ctx
	switch c.Type {
	case desk.ChangeConversation, desk.ChangeMessageCreated, desk.ChangeMessageUpdated:
		if c.Move != nil {
			h.tally.apply(c)
		}
		h.conversationChange(ctx, c)
	case desk.ChangeAgentStatus:
		h.agentStatus(ctx, c)
	case desk.ChangeChatMessage:
		h.chat(ctx, c)
	case desk.ChangeUserLoggedOut:
		h.ofUser(c.UserID, func(s *socket) { s.close(websocket.StatusPolicyViolation, "logged out") })
	case desk.ChangeTyping:
		h.typingChange(ctx, c)
	case desk.ChangePresence:
		h.presenceChange(c)
	case desk.ChangeCall, desk.ChangeCallSignal:
		h.callChange(c)
	case desk.ChangeTagDeleted:
		h.tagDeleted(c)
	}
}

func (h *Hub) conversationChange(ctx context.Context, c desk.Change) {
	// A change made on this node carries what its transaction wrote; one
	// from another node (the bus carries ids) is read back.
	var conv desk.Conversation
	if c.Conversation != nil {
		conv = *c.Conversation
	} else {
		var err error
		if conv, err = h.reads.GetConversation(ctx, desk.SystemActor, c.ConversationID); err != nil {
			h.log.Warn("realtime: read conversation", "id", c.ConversationID, "err", err)
			return
		}
	}
	var frame []byte
	switch c.Type {
	case desk.ChangeConversation:
		// Encoded per socket below: each viewer gets its own allowed_actions.
	default:
		m := c.Message
		if m == nil {
			got, err := h.reads.GetMessage(ctx, c.MessageID)
			if err != nil {
				h.log.Warn("realtime: read message", "id", c.MessageID, "err", err)
				return
			}
			m = &got
		}
		t := FrameMessageCreated
		if c.Type == desk.ChangeMessageUpdated {
			t = FrameMessageUpdated
		}
		frame = encode(t, conv.ID, c.Seq, m)
	}
	// Whoever could see the conversation before the change must hear of
	// it too: an agent whose queue item was just taken by a colleague
	// removes it on this frame.
	before := conv
	if c.Move != nil {
		before.Phase, before.AssigneeID, before.TeamID = c.Move.Prev.Phase, strPtr(c.Move.Prev.AssigneeID), strPtr(c.Move.Prev.TeamID)
	}
	now := h.opt.Clock.Now()
	// Sockets that may do the same things share one encoding: a handful
	// of distinct lists per change, however many sockets.
	frames := map[string][]byte{}
	h.each(func(s *socket) {
		if !s.actor.CanSee(conv) && !(c.Move != nil && before.Phase != "" && s.actor.CanSee(before)) {
			return
		}
		if frame != nil {
			s.enqueue(frame)
			return
		}
		mine := conv
		mine.ForViewer(s.actor, now)
		key := fmt.Sprint(mine.AllowedActions, mine.ActionsAfterLock)
		f, ok := frames[key]
		if !ok {
			f = encode(FrameConversationUpdated, conv.ID, c.Seq, pushedConversation{Conversation: mine})
			frames[key] = f
		}
		s.enqueue(f)
	})
}

func strPtr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// agentStatus goes to the user itself and to supervisors sharing a bot.
func (h *Hub) agentStatus(ctx context.Context, c desk.Change) {
	u, err := h.store.GetUser(ctx, c.UserID)
	if err != nil {
		return
	}
	frame := encode(FrameAgentStatus, "", 0, AgentStatus{UserID: u.ID, Name: u.Name, Status: u.Status, PauseReason: u.PauseReason,
		StatusSince: u.StatusSince})
	h.each(func(s *socket) {
		if s.userID() == u.ID || (s.actor.User.Role.Supervises() && sharesBot(*s.actor.User, u)) {
			s.enqueue(frame)
		}
	})
}

func sharesBot(viewer, u desk.User) bool {
	if viewer.Role == desk.RoleAdmin || u.Role == desk.RoleAdmin {
		return true
	}
	for _, b := range u.BotIDs {
		if viewer.MemberOf(b) {
			return true
		}
	}
	return false
}

// chatWindow is how far back chat routing looks for the announced message.
// The store reads chat by pair, newest first; the window was 20, so a
// burst of more than 20 messages committed before the first was routed
// lost the older ones silently (chat frames carry no seq, so no client
// could notice). 200 is the API's largest page; a pair writing that much
// faster than routing is not a real case. (A store lookup by id would be
// exact; the store has none yet.)
const chatWindow = 200

// chat goes to both ends of an internal chat.
func (h *Hub) chat(ctx context.Context, c desk.Change) {
	msgs, err := h.store.ListChat(ctx, c.UserID, c.ToUserID, chatWindow)
	if err != nil {
		return
	}
	for _, m := range msgs {
		if m.ID != c.MessageID {
			continue
		}
		frame := encode(FrameChatMessage, "", 0, m)
		h.ofUser(c.UserID, func(s *socket) { s.enqueue(frame) })
		h.ofUser(c.ToUserID, func(s *socket) { s.enqueue(frame) })
	}
}

// typing checks the user may see the conversation and announces it on the
// bus, so agents on other nodes see it too. Nothing is stored.
func (h *Hub) typing(ctx context.Context, a desk.Actor, convID string) error {
	conv, err := h.store.GetConversation(ctx, a, convID)
	if err != nil {
		return err
	}
	if h.opt.Publish != nil {
		h.opt.Publish([]desk.Change{{Type: desk.ChangeTyping, ConversationID: conv.ID, BotID: conv.BotID, UserID: a.User.ID}})
	}
	return nil
}

func (h *Hub) typingChange(ctx context.Context, c desk.Change) {
	conv, err := h.store.GetConversation(ctx, desk.SystemActor, c.ConversationID)
	if err != nil {
		return
	}
	t := Typing{Author: desk.AuthorContact, Name: conv.Contact.Name}
	if c.UserID != "" {
		u, err := h.store.GetUser(ctx, c.UserID)
		if err != nil {
			return
		}
		t = Typing{UserID: u.ID, Name: u.Name, Author: desk.AuthorAgent}
	}
	frame := encode(FrameTyping, conv.ID, 0, t)
	h.each(func(s *socket) {
		if s.userID() != c.UserID && s.actor.CanSee(conv) {
			s.enqueue(frame)
		}
	})
}
