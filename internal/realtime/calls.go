package realtime

import (
	"context"
	"encoding/json"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
)

// Call signalling (docs/realtime.md, "Calls"). A call's state is in the
// store (store/calls.go), so every node and a restarted one agree on it;
// signalling is relayed, not stored: a signal goes on the bus as a
// call.signal change and the node holding the other party's socket hands
// it over. The console and the widget share the frames; the widget socket
// (channel/web) calls HandleCall with the customer as party.

// Call frames: the client's, then the server's (call.signal goes both ways).
const (
	FrameCallStart   FrameType = "call.start"
	FrameCallAccept  FrameType = "call.accept"
	FrameCallDecline FrameType = "call.decline"
	FrameCallHangup  FrameType = "call.hangup"
	FrameCallSignal  FrameType = "call.signal"
	// FrameCallRinging goes to the called party's sockets; FrameCallState
	// to the caller on start, and to both on every later change.
	FrameCallRinging FrameType = "call.ringing"
	FrameCallState   FrameType = "call.state"
)

// CallFrame is a call frame from a client: call.start names the
// conversation (the console's; the widget's is its own) and the media,
// the others the call.
type CallFrame struct {
	Type           FrameType       `json:"type"`
	ConversationID string          `json:"conversation_id"`
	CallID         string          `json:"call_id"`
	Media          desk.CallMedia  `json:"media"`
	Kind           desk.SignalKind `json:"kind"`
	SDP            string          `json:"sdp"`
	Candidate      json.RawMessage `json:"candidate"`
}

// IsCallFrame reports whether t is a client call frame.
func IsCallFrame(t FrameType) bool {
	switch t {
	case FrameCallStart, FrameCallAccept, FrameCallDecline, FrameCallHangup, FrameCallSignal:
		return true
	}
	return false
}

// CallView is a call as both parties see it (no node, no agent id: the
// customer sees the call, not who is behind it).
type CallView struct {
	ID             string             `json:"id"`
	ConversationID string             `json:"conversation_id"`
	StartedBy      desk.CallParty     `json:"started_by"`
	Media          desk.CallMedia     `json:"media"`
	State          desk.CallState     `json:"state"`
	CreatedAt      time.Time          `json:"created_at"`
	RingUntil      time.Time          `json:"ring_until"`
	AnsweredAt     *time.Time         `json:"answered_at"`
	EndedAt        *time.Time         `json:"ended_at"`
	EndReason      desk.CallEndReason `json:"end_reason,omitempty"`
	// Via is web or whatsapp: a WhatsApp call gets Meta's offer once
	// accepted and answers it with one complete SDP answer (wacalls.go).
	Via desk.CallVia `json:"via"`
}

func callView(c desk.Call) CallView {
	via := c.Via
	if via == "" {
		via = desk.ViaWeb
	}
	return CallView{ID: c.ID, ConversationID: c.ConversationID, StartedBy: c.StartedBy, Media: c.Media, State: c.State,
		CreatedAt: c.CreatedAt, RingUntil: c.RingUntil, AnsweredAt: c.AnsweredAt, EndedAt: c.EndedAt, EndReason: c.EndReason, Via: via}
}

// CallFrameFor is the frame party receives for a call change: ringing
// when it is the one called, the state otherwise.
func CallFrameFor(c desk.Call, party desk.CallParty) []byte {
	t := FrameCallState
	if c.State == desk.CallRinging && c.StartedBy != party {
		t = FrameCallRinging
	}
	return encode(t, c.ConversationID, 0, callView(c))
}

// SignalFrame is a relayed signal as its receiver gets it.
func SignalFrame(c desk.Change) []byte { return encode(FrameCallSignal, c.ConversationID, 0, c.Signal) }

// CallParty is who sends call frames on a socket: an agent (by user id)
// or the customer of one conversation.
type CallParty struct {
	By             desk.CallParty
	AgentID        string
	ConversationID string
}

// HandleCall takes one call frame from party; node names the node its
// socket is on. Start, accept, decline and hangup are store transitions
// (announced by the store); a signal is checked against the call and put
// on the bus. The error carries the stable code for the error frame.
func HandleCall(ctx context.Context, st *store.Store, publish func([]desk.Change), node string, p CallParty, f CallFrame) error {
	if len(f.CallID) > maxConversationID || len(f.ConversationID) > maxConversationID {
		return desk.Errorf(desk.CodeBadRequest, "id too long")
	}
	move := func(act desk.CallAction) error {
		_, err := st.MoveCall(ctx, store.CallMove{CallID: f.CallID, Act: act, By: p.By, AgentID: p.AgentID, ConversationID: p.ConversationID})
		return err
	}
	switch f.Type {
	case FrameCallStart:
		conv := f.ConversationID
		if p.By == desk.PartyCustomer {
			conv = p.ConversationID
		}
		if conv == "" {
			return desk.Invalid("conversation_id", "required")
		}
		_, err := st.StartCall(ctx, store.CallStart{ConversationID: conv, By: p.By, AgentID: p.AgentID, Media: f.Media, Node: node})
		return err
	case FrameCallAccept:
		return move(desk.ActAccept)
	case FrameCallDecline:
		return move(desk.ActDecline)
	case FrameCallHangup:
		return move(desk.ActHangup)
	case FrameCallSignal:
		c, err := st.GetCall(ctx, f.CallID)
		if err != nil || !desk.IsCallParty(c, p.By, p.AgentID, p.ConversationID) {
			return desk.Errorf(desk.CodeNotCallParty, "not a party to this call")
		}
		sig := desk.CallSignal{CallID: c.ID, From: p.By, Kind: f.Kind, SDP: f.SDP, Candidate: f.Candidate}
		if err := desk.CheckCallSignal(c, p.By, sig); err != nil {
			return err
		}
		publish([]desk.Change{{Type: desk.ChangeCallSignal, ConversationID: c.ConversationID, BotID: c.BotID, UserID: c.AgentID, Signal: &sig}})
		return nil
	}
	return desk.Errorf(desk.CodeBadRequest, "unknown frame type")
}

// callFrame handles a call frame on a console socket.
func (h *Hub) callFrame(ctx context.Context, s *socket, data []byte) {
	var f CallFrame
	_ = json.Unmarshal(data, &f) // the type was read from the same bytes
	var err error
	if f.Type == FrameCallStart && len(f.ConversationID) <= maxConversationID {
		// Out of the agent's scope is not_found, as everywhere: a bot's
		// conversations do not exist for another bot's people.
		_, err = h.store.GetConversation(ctx, s.actor, f.ConversationID)
	}
	if err == nil {
		handled := false
		if handled, err = h.whatsAppCallFrame(ctx, s, f); !handled {
			err = HandleCall(ctx, h.store, h.publishSignal, h.node, CallParty{By: desk.PartyAgent, AgentID: s.userID()}, f)
		}
	}
	if err != nil {
		s.enqueue(encode(FrameError, f.ConversationID, 0, ErrorFrame{Code: string(desk.ErrorCode(err)), Message: CallRefusal(err)}))
	}
}

// publishSignal puts a signal on the bus (or routes it here, without one).
func (h *Hub) publishSignal(cs []desk.Change) {
	for _, c := range cs {
		h.publishPresence(c)
	}
}

// CallRefusal is the message of an error frame: the domain's for domain
// errors, never a store error's text.
func CallRefusal(err error) string {
	if de, ok := err.(*desk.Error); ok {
		return de.Message
	}
	return "the call could not be handled"
}

// callChange hands a call change to the agent's sockets on this node: the
// call's state, and the customer's signals.
func (h *Hub) callChange(c desk.Change) {
	switch {
	case c.Type == desk.ChangeCall && c.Call != nil:
		frame := CallFrameFor(*c.Call, desk.PartyAgent)
		h.ofUser(c.Call.AgentID, func(s *socket) { s.enqueue(frame) })
		h.agentCall(*c.Call)
	case c.Type == desk.ChangeCallSignal && c.Signal != nil && c.Signal.From == desk.PartyCustomer:
		frame := SignalFrame(c)
		h.ofUser(c.UserID, func(s *socket) { s.enqueue(frame) })
	}
}
