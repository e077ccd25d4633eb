package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/relevo/relevo/internal/botapi"
	"github.com/relevo/relevo/internal/desk"
)

// Calls (desk/calls.go has the rules). Every transition is a
// compare-and-set on the call's state, writes a timeline event (a message,
// so the console, the widget and the bot's webhook learn of it like any
// other event) and announces a call change with the call attached.

// CallStart asks for a call in a conversation.
type CallStart struct {
	ConversationID string
	By             desk.CallParty
	// AgentID is the calling agent (By agent); empty for the customer.
	AgentID string
	Media   desk.CallMedia
	// Node is the node whose socket asked: on its restart the call ends.
	Node string
}

// CallMove is one party's (or the server's) action on a call.
type CallMove struct {
	CallID string
	Act    desk.CallAction
	By     desk.CallParty
	// AgentID is the acting agent; ConversationID the customer's own
	// conversation (a widget session holds one). Either must match the call.
	AgentID        string
	ConversationID string
}

// CallNodeTimeout is how long a call outlives the last renewal by its
// agent's node (three missed heartbeats of the default 20 s).
const CallNodeTimeout = time.Minute

const callCols = `id, conversation_id, bot_id, started_by, agent_id, media, state, created_at, ring_until, answered_at, ended_at, end_reason, node_id, via, external_id, offer_sdp`

func scanCall(sc scanner) (desk.Call, error) {
	var c desk.Call
	var created, ring int64
	var answered, ended sql.NullInt64
	err := sc.Scan(&c.ID, &c.ConversationID, &c.BotID, &c.StartedBy, &c.AgentID, &c.Media, &c.State, &created, &ring,
		&answered, &ended, &c.EndReason, &c.NodeID, &c.Via, &c.ExternalID, &c.OfferSDP)
	c.CreatedAt, c.RingUntil, c.AnsweredAt, c.EndedAt = fromMS(created), fromMS(ring), fromNullMS(answered), fromNullMS(ended)
	return c, err
}

// GetCall reads a call.
func (s *Store) GetCall(ctx context.Context, id string) (desk.Call, error) {
	c, err := scanCall(s.r.QueryRowContext(ctx, `SELECT `+callCols+` FROM calls WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, desk.NotFound("call")
	}
	return c, err
}

// StartCall rings the other party of a conversation. A second live call
// in the conversation is refused with call_in_progress (the partial unique
// index decides between two starts racing).
func (s *Store) StartCall(ctx context.Context, in CallStart) (desk.Call, error) {
	var out desk.Call
	err := s.tx(ctx, func(t *txn) error {
		conv, err := t.s.getConversation(t.ctx, t.tx, in.ConversationID, "")
		if err != nil {
			return err
		}
		bot, err := t.loadBot(conv.BotID)
		if err != nil {
			return err
		}
		if err := desk.CheckCallStart(bot.Calls, conv, in.By, in.AgentID, in.Media); err != nil {
			return err
		}
		var live int
		if err := t.queryRow(`SELECT COUNT(*) FROM calls WHERE conversation_id = $1 AND state IN ('ringing', 'accepted')`,
			conv.ID).Scan(&live); err != nil {
			return fmt.Errorf("store: live calls: %w", err)
		}
		if live > 0 {
			return desk.Errorf(desk.CodeCallInProgress, "this conversation already has a call")
		}
		c := desk.Call{ID: t.s.ids.New(), ConversationID: conv.ID, BotID: conv.BotID, StartedBy: in.By, AgentID: *conv.AssigneeID,
			Media: in.Media, State: desk.CallRinging, CreatedAt: t.now, RingUntil: t.now.Add(desk.CallRingTimeout), NodeID: in.Node, Via: desk.ViaWeb}
		if err := t.insertCall(c); err != nil {
			return err
		}
		out = c
		return t.callEvent(&conv, c)
	})
	return out, err
}

// MoveCall applies one party's action (accept, decline, hangup) to a call
// its actor is a party to; not_call_party otherwise.
func (s *Store) MoveCall(ctx context.Context, m CallMove) (desk.Call, error) {
	var out desk.Call
	err := s.tx(ctx, func(t *txn) error {
		c, err := scanCall(t.queryRow(`SELECT `+callCols+` FROM calls WHERE id = $1`, m.CallID))
		if errors.Is(err, sql.ErrNoRows) {
			return desk.Errorf(desk.CodeNotCallParty, "not a party to this call")
		}
		if err != nil {
			return fmt.Errorf("store: read call: %w", err)
		}
		if !desk.IsCallParty(c, m.By, m.AgentID, m.ConversationID) {
			return desk.Errorf(desk.CodeNotCallParty, "not a party to this call")
		}
		out, err = t.moveCall(c, m.Act, m.By)
		return err
	})
	return out, err
}

// moveCall persists c's next state if c is still in the state it was read
// in; a call moved meanwhile (answered on another node, missed) is call_over.
func (t *txn) moveCall(c desk.Call, act desk.CallAction, by desk.CallParty) (desk.Call, error) {
	next, reason, err := desk.NextCallState(c, act, by)
	if err != nil {
		return c, err
	}
	prev := c.State
	c.State, c.EndReason = next, reason
	now := t.now
	if next == desk.CallAccepted {
		c.AnsweredAt = &now
	} else {
		c.EndedAt = &now
	}
	res, err := t.exec(`UPDATE calls SET state = $3, end_reason = $4, answered_at = $5, ended_at = $6 WHERE id = $1 AND state = $2`,
		c.ID, string(prev), string(c.State), string(c.EndReason), msPtr(c.AnsweredAt), msPtr(c.EndedAt))
	if err != nil {
		return c, fmt.Errorf("store: move call: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return c, desk.Errorf(desk.CodeCallOver, "the call moved meanwhile")
	}
	conv, err := t.s.getConversation(t.ctx, t.tx, c.ConversationID, "")
	if err != nil {
		return c, err
	}
	if err := t.tellWhatsApp(&conv, c, desk.WhatsAppCallAction(prev, c.State, by)); err != nil {
		return c, err
	}
	return c, t.callEvent(&conv, c)
}

// callEvent writes c's state as a timeline event and announces the call.
func (t *txn) callEvent(conv *desk.Conversation, c desk.Call) error {
	info := &desk.CallInfo{Event: desk.CallEventFor(c.State), ID: c.ID, Media: c.Media, StartedBy: c.StartedBy, EndReason: c.EndReason, DurationSeconds: c.Duration()}
	ev := desk.Event{Type: desk.CallEventFor(c.State), Call: info}
	if c.StartedBy == desk.PartyAgent || c.State == desk.CallAccepted {
		ev.From = c.AgentID
	}
	if err := t.addEvent(conv, desk.SystemActor, ev, ""); err != nil {
		return err
	}
	if err := t.tellBotCall(conv, info); err != nil {
		return err
	}
	call := c
	t.changes = append(t.changes, desk.Change{Type: desk.ChangeCall, ConversationID: c.ConversationID, BotID: c.BotID,
		Seq: conv.Seq, UserID: c.AgentID, Call: &call})
	return nil
}

// SweepCalls marks calls that rang past their deadline missed. Every node
// may sweep at once: the compare-and-set lets one of them move each call.
func (s *Store) SweepCalls(ctx context.Context) (int, error) {
	return s.endCalls(ctx, `ring_until <= $1 AND state = 'ringing'`, desk.ActMiss, "", func(t *txn) []any { return []any{ms(t.now)} })
}

// EndNodeCalls ends with node_restart the live calls of node (a node
// closing ends its own; "" names none) and those whose node has not
// renewed them since staleBefore (it restarted under a new id, or died).
func (s *Store) EndNodeCalls(ctx context.Context, node string, staleBefore time.Time) (int, error) {
	return s.endCalls(ctx, `state IN ('ringing', 'accepted') AND (($1 <> '' AND node_id = $1) OR alive_at < $2)`, desk.ActRestart, "",
		func(*txn) []any { return []any{node, ms(staleBefore)} })
}

// KeepCallsAlive renews the live calls of agents connected to this node
// (the hub's heartbeat): a call whose agent has no socket anywhere for
// CallNodeTimeout lost its signalling, and the sweeper ends it.
func (s *Store) KeepCallsAlive(ctx context.Context, agentIDs []string) error {
	if len(agentIDs) == 0 {
		return nil
	}
	return s.tx(ctx, func(t *txn) error {
		_, err := t.exec(`UPDATE calls SET alive_at = $1 WHERE state IN ('ringing', 'accepted') AND agent_id IN (`+
			paramList(2, len(agentIDs))+`)`, append([]any{ms(t.now)}, anyArgs(agentIDs)...)...)
		return err
	})
}

// endCalls moves the calls where selects by act, done by party by ("" for
// the server's own actions).
func (s *Store) endCalls(ctx context.Context, where string, act desk.CallAction, by desk.CallParty, args func(*txn) []any) (int, error) {
	n := 0
	err := s.tx(ctx, func(t *txn) error {
		list, err := queryList(t.ctx, t.tx, "due calls", `SELECT `+callCols+` FROM calls WHERE `+where, args(t), scanCall)
		if err != nil {
			return err
		}
		for _, c := range list {
			if _, err := t.moveCall(c, act, by); err != nil {
				if desk.IsCode(err, desk.CodeCallOver) {
					continue
				}
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// tellBotCall sends an external bot the call event, like its other events.
func (t *txn) tellBotCall(conv *desk.Conversation, info *desk.CallInfo) error {
	bot, err := t.loadBot(conv.BotID)
	if err != nil || bot.WebhookURL == "" {
		return err
	}
	body, err := json.Marshal(botapi.Event{ID: t.s.ids.New(), Type: botapi.EventCall, BotID: bot.ID, ConversationID: conv.ID,
		Phase: conv.Phase, AssigneeID: conv.AssigneeID, TeamID: conv.TeamID, Call: info, CreatedAt: t.now})
	if err != nil {
		return err
	}
	return t.enqueue(OutboxBotEvent, conv, "", nil, body)
}

// endConversationCalls ends the live call of a conversation that closes
// (resolved, blocked, auto-closed): no call outlives its conversation.
func (t *txn) endConversationCalls(convID string) error {
	list, err := queryList(t.ctx, t.tx, "live calls", `SELECT `+callCols+` FROM calls
		WHERE conversation_id = $1 AND state IN ('ringing', 'accepted')`, []any{convID}, scanCall)
	if err != nil {
		return err
	}
	for _, c := range list {
		if _, err := t.moveCall(c, desk.ActClose, ""); err != nil {
			return err
		}
	}
	return nil
}
