package web

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"github.com/coder/websocket"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/realtime"
	"github.com/relevo/relevo/internal/wsconn"
)

// hub holds this node's widget sockets by contact and pushes each of them
// what its customer may see of its own conversations on its channel:
// customer-visible messages, where the conversation stands, and agents'
// typing. Like the console's hub it builds frames from what a local
// change carries (the committed conversation and message), reads the store
// for a change from another node (ids only), and closes a socket that cannot keep up (the
// widget reconnects and catches up with after_seq).
type hub struct {
	s     *Service
	queue int

	mu        sync.RWMutex
	byContact map[string]map[*socket]struct{}
	count     int
	closed    bool
	live      sync.WaitGroup

	// owners remembers whose each conversation is (that never changes),
	// so changes of conversations nobody here watches cost no read.
	ownMu  sync.Mutex
	owners map[string]owner

	// gone holds the contacts whose last socket here closed, waiting out
	// grace before their call ends (callgone.go); under mu.
	gone  map[goneKey]*goneTimer
	grace time.Duration

	ctx    context.Context
	cancel context.CancelFunc
}

type owner struct{ contactID, channelID string }

// maxOwners bounds the owners cache; it starts over when full.
const maxOwners = 100_000

func newHub(s *Service, queue int, grace time.Duration) *hub {
	ctx, cancel := context.WithCancel(context.Background())
	return &hub{s: s, queue: queue, byContact: map[string]map[*socket]struct{}{}, owners: map[string]owner{},
		gone: map[goneKey]*goneTimer{}, grace: grace, ctx: ctx, cancel: cancel}
}

// Hello is the widget socket's first frame (docs/widget.md): the widget's
// own, besides realtime's frames.
type Hello struct {
	ContactID  string `json:"contact_id"`
	ServerTime string `json:"server_time"`
}

func encode(t realtime.FrameType, convID string, seq int64, payload any) []byte {
	data, _ := json.Marshal(payload)
	b, _ := json.Marshal(realtime.Frame{Type: t, ConversationID: convID, Seq: seq, Data: data})
	return b
}

func (h *hub) add(s *socket) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return false
	}
	h.live.Add(1)
	m := h.byContact[s.v.ContactID]
	if m == nil {
		m = map[*socket]struct{}{}
		h.byContact[s.v.ContactID] = m
	}
	m[s] = struct{}{}
	h.count++
	h.backLocked(goneKey{s.v.ContactID, s.v.ChannelID})
	return true
}

func (h *hub) remove(s *socket) {
	defer h.live.Done()
	h.mu.Lock()
	defer h.mu.Unlock()
	if m := h.byContact[s.v.ContactID]; m != nil {
		delete(m, s)
		if len(m) == 0 {
			delete(h.byContact, s.v.ContactID)
		}
	}
	h.count--
	h.leftLocked(goneKey{s.v.ContactID, s.v.ChannelID})
}

// close ends every socket with "going away" and waits for their close
// frames to go out.
func (h *hub) close() {
	h.cancel()
	h.mu.Lock()
	h.closed = true
	for k := range h.gone {
		h.backLocked(k) // the node stops: its calls end as node_restart
	}
	for _, m := range h.byContact {
		for s := range m {
			s.close(websocket.StatusGoingAway, wsconn.ReasonShutdown)
		}
	}
	h.mu.Unlock()
	h.live.Wait()
}

// connected is how many widget sockets this node holds.
func (h *hub) connected() int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return h.count
}

func (h *hub) watched(contactID string) bool {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return len(h.byContact[contactID]) > 0
}

// toContact enqueues frame on the contact's sockets of one channel.
func (h *hub) toContact(o owner, frame []byte) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	for s := range h.byContact[o.contactID] {
		if s.v.ChannelID == o.channelID {
			s.enqueue(frame)
		}
	}
}

func (h *hub) onChange(c desk.Change) {
	switch c.Type {
	case desk.ChangeConversation, desk.ChangeMessageCreated, desk.ChangeMessageUpdated:
	case desk.ChangeTyping:
		if c.UserID == "" {
			return // the visitor's own typing, for the agents
		}
	case desk.ChangeCall:
		if c.Call == nil {
			return
		}
	case desk.ChangeCallSignal:
		if c.Signal == nil || c.Signal.From != desk.PartyAgent {
			return // the customer's own signal, for the agent
		}
	default:
		return
	}
	if c.ConversationID == "" || h.connected() == 0 {
		return
	}
	h.ownMu.Lock()
	o, known := h.owners[c.ConversationID]
	h.ownMu.Unlock()
	if known && !h.watched(o.contactID) {
		return
	}
	ctx, st := h.ctx, h.s.store
	// A change made on this node carries what its transaction wrote; one
	// from another node (the bus carries ids) is read back.
	var conv desk.Conversation
	if c.Conversation != nil {
		conv = *c.Conversation
	} else {
		var err error
		if conv, err = st.GetConversation(ctx, desk.SystemActor, c.ConversationID); err != nil {
			return
		}
	}
	o = owner{contactID: conv.Contact.ID, channelID: conv.ChannelID}
	if !known {
		h.ownMu.Lock()
		if len(h.owners) >= maxOwners {
			clear(h.owners)
		}
		h.owners[conv.ID] = o
		h.ownMu.Unlock()
		if !h.watched(o.contactID) {
			return
		}
	}
	var frame []byte
	switch c.Type {
	case desk.ChangeCall:
		frame = realtime.CallFrameFor(*c.Call, desk.PartyCustomer)
	case desk.ChangeCallSignal:
		frame = realtime.SignalFrame(c)
	case desk.ChangeConversation:
		frame = encode(realtime.FrameConversationUpdated, conv.ID, c.Seq, h.s.conversationView(ctx, conv))
	case desk.ChangeTyping:
		u, err := st.GetUser(ctx, c.UserID)
		if err != nil || !conv.Phase.Open() {
			return
		}
		// The agent's name, never its id.
		frame = encode(realtime.FrameTyping, conv.ID, 0, realtime.Typing{Name: u.Name, Author: desk.AuthorAgent})
	default:
		var m desk.Message
		if c.Message != nil {
			m = *c.Message
		} else {
			var err error
			if m, err = st.GetMessage(ctx, c.MessageID); err != nil {
				return
			}
		}
		if m.ConversationID != conv.ID || !desk.CustomerSees(m) {
			return
		}
		t := realtime.FrameMessageCreated
		if c.Type == desk.ChangeMessageUpdated {
			t = realtime.FrameMessageUpdated
		}
		bot := ""
		if m.Author.Type == desk.AuthorBot {
			bot = h.s.botName(ctx, conv.BotID) // only the bot's messages show its name
		}
		frame = encode(t, conv.ID, c.Seq, messageView(m, o.contactID, bot))
	}
	h.toContact(o, frame)
}
