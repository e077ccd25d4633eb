package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/relevo/relevo/internal/desk"
)

// WhatsApp calls (desk/wacalls.go has the rules). Meta's webhook rings the
// agent holding the customer's conversation; what Meta must hear back
// after a move (reject, terminate) is queued in the outbox in the move's
// own transaction, so a ring timeout swept on any node, a closed
// conversation or a node restart still tells Meta, once, with retries.

// OutboxWhatsAppCall is a Graph API call action (WhatsAppCallAction).
const OutboxWhatsAppCall = "whatsapp_call"

// WhatsAppCallAction is an OutboxWhatsAppCall item's payload.
type WhatsAppCallAction struct {
	Action desk.GraphCallAction `json:"action"`
	// CallID is WhatsApp's call id.
	CallID string `json:"call_id"`
}

// WhatsAppCallIn is a customer's call as Meta's connect webhook gives it.
type WhatsAppCallIn struct {
	ChannelID string
	// WaID is the caller's WhatsApp id; ExternalID the call's id at Meta.
	WaID, ExternalID string
	// SDP is Meta's offer.
	SDP string
}

// WhatsAppCallResult says what became of a customer's call.
type WhatsAppCallResult struct {
	Call desk.Call
	// Rang: the holding agent rings. Otherwise Call is the missed call
	// (a reject is queued), or empty when the customer has no open
	// conversation on the channel (Refused says why, for the caller to
	// reject it itself).
	Rang    bool
	Refused desk.Code
	// Again: Meta sent this call before; nothing changed.
	Again bool
}

// insertCall stores a new call row.
func (t *txn) insertCall(c desk.Call) error {
	if _, err := t.exec(`INSERT INTO calls (`+callCols+`, alive_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $8)`,
		c.ID, c.ConversationID, c.BotID, string(c.StartedBy), c.AgentID, string(c.Media), string(c.State), ms(c.CreatedAt),
		ms(c.RingUntil), msPtr(c.AnsweredAt), msPtr(c.EndedAt), string(c.EndReason), c.NodeID, string(c.Via), c.ExternalID, c.OfferSDP); err != nil {
		if t.s.d.isUnique(err) {
			return desk.Errorf(desk.CodeCallInProgress, "this conversation already has a call")
		}
		return fmt.Errorf("store: insert call: %w", err)
	}
	return nil
}

// tellWhatsApp queues the Graph action a WhatsApp call's move owes Meta.
func (t *txn) tellWhatsApp(conv *desk.Conversation, c desk.Call, action desk.GraphCallAction) error {
	if c.Via != desk.ViaWhatsApp || action == "" {
		return nil
	}
	body, err := json.Marshal(WhatsAppCallAction{Action: action, CallID: c.ExternalID})
	if err != nil {
		return err
	}
	return t.enqueue(OutboxWhatsAppCall, conv, "", nil, body)
}

// RingWhatsAppCall takes a customer's call from Meta: it rings the agent
// holding the customer's open conversation on the channel; a bot with
// calls off, nobody holding it or a live call already make it a missed
// call (a timeline event, and a reject queued for Meta).
func (s *Store) RingWhatsAppCall(ctx context.Context, in WhatsAppCallIn) (WhatsAppCallResult, error) {
	var out WhatsAppCallResult
	err := s.tx(ctx, func(t *txn) error {
		out = WhatsAppCallResult{}
		c, err := scanCall(t.queryRow(`SELECT `+callCols+` FROM calls WHERE via = 'whatsapp' AND external_id = $1`, in.ExternalID))
		if err == nil {
			out.Call, out.Again, out.Rang = c, true, c.State.Live()
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: read call: %w", err)
		}
		var contactID string
		err = t.queryRow(`SELECT contact_id FROM contact_identities WHERE channel_id = $1 AND external_id = $2`,
			in.ChannelID, in.WaID).Scan(&contactID)
		var conv desk.Conversation
		if err == nil {
			conv, err = t.s.conversationWhere(t.ctx, t.tx, convOpenOfContact, "", contactID, in.ChannelID)
		}
		if errors.Is(err, sql.ErrNoRows) {
			out.Refused = desk.CodeNotFound
			return nil
		}
		if err != nil {
			return err
		}
		bot, err := t.loadBot(conv.BotID)
		if err != nil {
			return err
		}
		c = desk.Call{ID: t.s.ids.New(), ConversationID: conv.ID, BotID: conv.BotID, StartedBy: desk.PartyCustomer,
			Media: desk.MediaAudio, State: desk.CallRinging, CreatedAt: t.now, RingUntil: t.now.Add(desk.CallRingTimeout),
			Via: desk.ViaWhatsApp, ExternalID: in.ExternalID, OfferSDP: in.SDP} // no node: the agent's node keeps it alive
		if conv.AssigneeID != nil {
			c.AgentID = *conv.AssigneeID
		}
		refusal := desk.CheckWhatsAppCall(bot.Calls, conv)
		if refusal == nil {
			var live int
			if err := t.queryRow(`SELECT COUNT(*) FROM calls WHERE conversation_id = $1 AND state IN ('ringing', 'accepted')`,
				conv.ID).Scan(&live); err != nil {
				return fmt.Errorf("store: live calls: %w", err)
			}
			if live > 0 {
				refusal = desk.Errorf(desk.CodeCallInProgress, "this conversation already has a call")
			}
		}
		if refusal != nil {
			// Missed at once: the agent sees that the customer tried.
			now := t.now
			c.State, c.EndedAt, c.OfferSDP, out.Refused = desk.CallMissed, &now, "", desk.ErrorCode(refusal)
			if err := t.tellWhatsApp(&conv, c, desk.GraphReject); err != nil {
				return err
			}
		}
		if err := t.insertCall(c); err != nil {
			return err
		}
		out.Call, out.Rang = c, refusal == nil
		return t.callEvent(&conv, c)
	})
	return out, err
}

// EndWhatsAppCall applies Meta's terminate: the customer hung up (or the
// call failed at Meta) while it rang or talked. A call of another bot, an
// unknown or a finished one changes nothing (Meta repeats webhooks).
func (s *Store) EndWhatsAppCall(ctx context.Context, botID, externalID string) (desk.Call, bool, error) {
	var out desk.Call
	moved := false
	err := s.tx(ctx, func(t *txn) error {
		c, err := scanCall(t.queryRow(`SELECT `+callCols+` FROM calls WHERE via = 'whatsapp' AND external_id = $1 AND bot_id = $2`,
			externalID, botID))
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("store: read call: %w", err)
		}
		out = c
		if !c.State.Live() {
			return nil
		}
		out, err = t.moveCall(c, desk.ActHangup, desk.PartyCustomer)
		if desk.IsCode(err, desk.CodeCallOver) {
			return nil
		}
		moved = err == nil
		return err
	})
	return out, moved, err
}

// FailCall ends a call its channel could not carry on (the Graph API
// refused the answer): channel_error, and Meta is told to let it go.
func (s *Store) FailCall(ctx context.Context, callID string) (desk.Call, error) {
	var out desk.Call
	err := s.tx(ctx, func(t *txn) error {
		c, err := scanCall(t.queryRow(`SELECT `+callCols+` FROM calls WHERE id = $1`, callID))
		if err != nil {
			return fmt.Errorf("store: read call: %w", err)
		}
		out, err = t.moveCall(c, desk.ActFail, "")
		return err
	})
	return out, err
}
