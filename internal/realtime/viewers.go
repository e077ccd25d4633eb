package realtime

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"sort"
	"sync"
	"time"

	"github.com/relevo/relevo/internal/desk"
)

// Collision (docs/realtime.md, "Who else is here"): who is viewing a
// conversation right now and who is typing in it. It lives in memory with
// deadlines, never in the store: it is worth nothing a few seconds later,
// changes on every keystroke burst, and a node that dies must take its
// viewers with it, which a deadline does by itself and a row would not.
// Each node announces its own sockets' views on the bus; every node keeps
// the whole picture of every conversation one of its sockets views.
const (
	// viewTTL: a view no refresh has renewed for this long is gone (its
	// node died without saying so).
	viewTTL = 30 * time.Second
	// viewRefresh is how often a node renews the views of its sockets.
	viewRefresh = 10 * time.Second
	// typingTTL: "typing" ends this long after the last typing frame
	// (clients send one at most every 3 s while typing).
	typingTTL = 6 * time.Second
	// viewersSweep is how often expired views and typing are dropped.
	viewersSweep = time.Second
	// maxConversationID bounds the id a client frame may name.
	maxConversationID = 64
)

// viewerKey is one user's view from one node (several sockets of one
// user on one node are one entry).
type viewerKey struct{ user, node string }

type viewerEntry struct {
	name        string
	role        desk.Role
	until       time.Time
	typingUntil time.Time
}

// localView is what one socket of this node views.
type localView struct {
	conv, bot string
	// shown: the last frame sent to the socket listed somebody, so an empty
	// list must go out to clear it (and only then: alone costs nothing).
	shown bool
}

// viewers is a node's collision state, under one mutex.
type viewers struct {
	mu     sync.Mutex
	byConv map[string]map[viewerKey]*viewerEntry
	local  map[*socket]*localView
}

func newViewers() *viewers {
	return &viewers{byConv: map[string]map[viewerKey]*viewerEntry{}, local: map[*socket]*localView{}}
}

func newNodeID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// view starts s viewing convID once its user may see it; a view of
// another conversation by the same socket ends first.
func (h *Hub) view(ctx context.Context, s *socket, convID string) error {
	if len(convID) == 0 || len(convID) > maxConversationID {
		return desk.Errorf(desk.CodeBadRequest, "conversation_id is missing or too long")
	}
	conv, err := h.store.GetConversation(ctx, s.actor, convID)
	if err != nil {
		return err
	}
	v := h.viewers
	v.mu.Lock()
	prev := v.local[s]
	if prev != nil && prev.conv == conv.ID {
		v.mu.Unlock()
		return nil
	}
	v.local[s] = &localView{conv: conv.ID, bot: conv.BotID}
	left := prev != nil && !v.userViewsLocked(s.userID(), prev.conv)
	v.mu.Unlock()
	if left {
		h.announce(s, prev.conv, prev.bot, desk.PresenceLeave)
	}
	h.announce(s, conv.ID, conv.BotID, desk.PresenceView)
	return nil
}

// viewTyping marks s's user typing in the conversation it views.
func (h *Hub) viewTyping(s *socket, convID string) error {
	v := h.viewers
	v.mu.Lock()
	lv := v.local[s]
	v.mu.Unlock()
	if lv == nil || lv.conv != convID {
		return desk.Errorf(desk.CodeBadRequest, "view the conversation before typing in it")
	}
	h.announce(s, lv.conv, lv.bot, desk.PresenceTyping)
	return nil
}

// leave ends s's view (a leave frame, or the socket closing).
func (h *Hub) leave(s *socket) {
	v := h.viewers
	v.mu.Lock()
	lv := v.local[s]
	delete(v.local, s)
	left := lv != nil && !v.userViewsLocked(s.userID(), lv.conv)
	v.mu.Unlock()
	if left {
		h.announce(s, lv.conv, lv.bot, desk.PresenceLeave)
	}
}

// userViewsLocked: another socket of user on this node still views conv.
func (v *viewers) userViewsLocked(user, conv string) bool {
	for s, lv := range v.local {
		if lv.conv == conv && s.userID() == user {
			return true
		}
	}
	return false
}

func (h *Hub) announce(s *socket, conv, bot string, st desk.PresenceState) {
	u := s.actor.User
	h.publishPresence(desk.Change{Type: desk.ChangePresence, ConversationID: conv, BotID: bot, UserID: u.ID,
		Presence: &desk.Presence{Node: h.node, Name: u.Name, Role: u.Role, State: st}})
}

func (h *Hub) publishPresence(c desk.Change) {
	if h.opt.Publish == nil {
		h.OnChange(c) // a hub without a bus is its own only node
		return
	}
	h.opt.Publish([]desk.Change{c})
}

// presenceChange applies a view, typing or leave from any node and, when
// what a viewer would see changed, tells this node's viewers of it.
func (h *Hub) presenceChange(c desk.Change) {
	p := c.Presence
	if p == nil || c.ConversationID == "" || c.UserID == "" {
		return
	}
	v := h.viewers
	now := h.opt.Clock.Now()
	v.mu.Lock()
	defer v.mu.Unlock()
	k := viewerKey{user: c.UserID, node: p.Node}
	m := v.byConv[c.ConversationID]
	e := m[k]
	changed := false
	switch p.State {
	case desk.PresenceLeave:
		if e == nil {
			return
		}
		delete(m, k)
		if len(m) == 0 {
			delete(v.byConv, c.ConversationID)
		}
		changed = true
	case desk.PresenceView, desk.PresenceTyping:
		if m == nil {
			m = map[viewerKey]*viewerEntry{}
			v.byConv[c.ConversationID] = m
		}
		if e == nil {
			e = &viewerEntry{}
			m[k] = e
			changed = true
		}
		e.name, e.role, e.until = p.Name, p.Role, now.Add(viewTTL)
		if p.State == desk.PresenceTyping {
			changed = changed || !now.Before(e.typingUntil)
			e.typingUntil = now.Add(typingTTL)
		}
	default:
		return
	}
	if changed {
		v.pushLocked(c.ConversationID, now)
	}
}

// pushLocked sends each local viewer of conv the others viewing it: a
// socket alone gets nothing, unless it must clear someone it was shown.
func (v *viewers) pushLocked(conv string, now time.Time) {
	all := v.listLocked(conv, now)
	for s, lv := range v.local {
		if lv.conv != conv {
			continue
		}
		others := make([]Viewer, 0, len(all))
		for _, w := range all {
			if w.UserID != s.userID() {
				others = append(others, w)
			}
		}
		if len(others) == 0 && !lv.shown {
			continue
		}
		lv.shown = len(others) > 0
		s.enqueue(encode(FrameConversationViewers, conv, 0, ConversationViewers{ConversationID: conv, Viewers: others}))
	}
}

// listLocked merges conv's entries by user (one person on two nodes is one
// viewer, typing if either is), sorted by name.
func (v *viewers) listLocked(conv string, now time.Time) []Viewer {
	byUser := map[string]*Viewer{}
	for k, e := range v.byConv[conv] {
		w := byUser[k.user]
		if w == nil {
			w = &Viewer{UserID: k.user, Name: e.name, Role: e.role}
			byUser[k.user] = w
		}
		w.Typing = w.Typing || now.Before(e.typingUntil)
	}
	out := make([]Viewer, 0, len(byUser))
	for _, w := range byUser {
		out = append(out, *w)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return out[i].UserID < out[j].UserID
	})
	return out
}

// sweepViewers drops expired views and typing, and renews this node's
// views on the bus, until the hub closes.
func (h *Hub) sweepViewers() {
	t := time.NewTicker(viewersSweep)
	defer t.Stop()
	var lastRefresh time.Time
	for {
		select {
		case <-h.ctx.Done():
			return
		case <-t.C:
		}
		now := h.opt.Clock.Now()
		h.expireViewers(now)
		if now.Sub(lastRefresh) >= viewRefresh {
			lastRefresh = now
			h.refreshViews()
		}
	}
}

func (h *Hub) expireViewers(now time.Time) {
	v := h.viewers
	v.mu.Lock()
	defer v.mu.Unlock()
	for conv, m := range v.byConv {
		changed := false
		for k, e := range m {
			switch {
			case !now.Before(e.until):
				delete(m, k)
				changed = true
			case !e.typingUntil.IsZero() && !now.Before(e.typingUntil):
				e.typingUntil = time.Time{}
				changed = true
			}
		}
		if len(m) == 0 {
			delete(v.byConv, conv)
		}
		if changed {
			v.pushLocked(conv, now)
		}
	}
}

// refreshViews re-announces each user's views held on this node, once per
// user and conversation.
func (h *Hub) refreshViews() {
	type uc struct{ user, conv string }
	v := h.viewers
	v.mu.Lock()
	seen := map[uc]bool{}
	var todo []func()
	for s, lv := range v.local {
		key := uc{s.userID(), lv.conv}
		if seen[key] {
			continue
		}
		seen[key] = true
		s, conv, bot := s, lv.conv, lv.bot
		todo = append(todo, func() { h.announce(s, conv, bot, desk.PresenceView) })
	}
	v.mu.Unlock()
	for _, f := range todo {
		f()
	}
}
