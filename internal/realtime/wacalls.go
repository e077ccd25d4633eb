package realtime

import (
	"context"

	"github.com/relevo/relevo/internal/desk"
)

// WhatsApp calls (docs/whatsapp.md, "Calls"): the customer is on WhatsApp,
// so Meta's Graph API is the other end of the signalling. Meta's offer
// came with the webhook and is in the store; once the agent accepts, the
// agent's sockets get it as the customer's offer, and the agent's one
// complete SDP answer goes to Meta. Decline and hang-up are ordinary
// moves: the store queues Meta's reject or terminate.

// WhatsAppCalls is the WhatsApp channel as the hub needs it.
type WhatsAppCalls interface {
	// AnswerCall sends Meta the agent's SDP answer to call c.
	AnswerCall(ctx context.Context, c desk.Call, sdp string) error
}

// whatsAppCallFrame handles the frames of a WhatsApp call that differ
// from a web call's: accept (then Meta's offer) and signals (an answer
// only). It reports false for anything else, left to HandleCall.
func (h *Hub) whatsAppCallFrame(ctx context.Context, s *socket, f CallFrame) (bool, error) {
	if (f.Type != FrameCallAccept && f.Type != FrameCallSignal) || f.CallID == "" || len(f.CallID) > maxConversationID {
		return false, nil
	}
	c, err := h.store.GetCall(ctx, f.CallID)
	if err != nil || c.Via != desk.ViaWhatsApp {
		return false, nil // HandleCall gives unknown calls their refusal
	}
	me := CallParty{By: desk.PartyAgent, AgentID: s.userID()}
	if !desk.IsCallParty(c, me.By, me.AgentID, "") {
		return true, desk.Errorf(desk.CodeNotCallParty, "not a party to this call")
	}
	if f.Type == FrameCallAccept {
		if err := HandleCall(ctx, h.store, h.publishSignal, h.node, me, f); err != nil {
			return true, err
		}
		// After the accepted state (published at commit, on the same bus
		// connection, so in order), the offer the customer's phone made.
		sig := desk.CallSignal{CallID: c.ID, From: desk.PartyCustomer, Kind: desk.SignalOffer, SDP: c.OfferSDP}
		h.publishSignal([]desk.Change{{Type: desk.ChangeCallSignal, ConversationID: c.ConversationID, BotID: c.BotID, UserID: c.AgentID, Signal: &sig}})
		return true, nil
	}
	sig := desk.CallSignal{CallID: c.ID, From: desk.PartyAgent, Kind: f.Kind, SDP: f.SDP, Candidate: f.Candidate}
	if err := desk.CheckCallSignal(c, desk.PartyAgent, sig); err != nil {
		return true, err
	}
	if err := desk.CheckWhatsAppSignal(sig); err != nil {
		return true, err
	}
	if h.opt.WhatsAppCalls == nil {
		return true, desk.Errorf(desk.CodeCallOver, "WhatsApp calls cannot be answered on this node")
	}
	if err := h.opt.WhatsAppCalls.AnswerCall(ctx, c, sig.SDP); err != nil {
		// The token never reaches the log: Graph errors carry Meta's text.
		h.log.Warn("whatsapp call: Meta refused the answer; the call ends", "call", c.ID, "err", err)
		if _, ferr := h.store.FailCall(ctx, c.ID); ferr != nil && !desk.IsCode(ferr, desk.CodeCallOver) {
			h.log.Error("whatsapp call: ending a failed call", "call", c.ID, "err", ferr)
		}
		return true, desk.Errorf(desk.CodeCallOver, "WhatsApp did not take the answer; the call has ended")
	}
	return true, nil
}
