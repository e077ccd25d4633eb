package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/relevo/relevo/internal/botapi"
	"github.com/relevo/relevo/internal/desk"
)

// Outbox kinds: what a worker does with an item.
const (
	// OutboxMessage delivers a customer-facing message through its channel.
	OutboxMessage = "message"
	// OutboxBotEvent tells an external bot what happened (its webhook).
	OutboxBotEvent = "bot_event"
	// OutboxFlow runs the bot's built-in flow on a customer message (the
	// item's message); it sends nothing itself.
	OutboxFlow = "flow"
)

// enqueue stores outbound work in the current transaction; lockID ties it
// to a processing lock that ends when all such work is done.
func (t *txn) enqueue(kind string, c *desk.Conversation, messageID string, lockID *string, payload []byte) error {
	// A deferred write (pending.go): sent with the message it delivers.
	t.later("enqueue", `INSERT INTO outbox (id, kind, conversation_id, message_id, channel_id, lock_id, payload, status,
		attempts, next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', 0, $8, $8)`,
		t.s.ids.New(), kind, c.ID, strOrNil(messageID), c.ChannelID, lockID, string(payload), ms(t.now))
	t.outbox = true
	if lockID != nil {
		if t.lockWork == nil {
			t.lockWork = map[string]int{}
		}
		t.lockWork[*lockID]++
	}
	return nil
}

// endIdleLock ends a processing lock at once when the hand-over queued no
// work for it (no notice to deliver: empty text, or outside the WhatsApp
// window; no bot to tell): there is nothing to wait for.
func (t *txn) endIdleLock(c *desk.Conversation, lockID string) error {
	if t.lockWork[lockID] > 0 {
		return nil
	}
	if _, err := t.exec(`UPDATE conversations SET locked_until = NULL, lock_id = NULL WHERE id = $1 AND lock_id = $2`,
		c.ID, lockID); err != nil {
		return fmt.Errorf("store: end idle lock: %w", err)
	}
	c.LockedUntil = nil
	return nil
}

// notify stores a customer notice as an outbound system message and queues
// its delivery. An empty text sends nothing.
func (t *txn) notify(c *desk.Conversation, bot desk.Bot, text string, lockID *string) error {
	if strings.TrimSpace(text) == "" {
		return nil
	}
	// Outside Meta's 24-hour window only templates may go out: a free-text
	// notice would be refused (131047) and show as a failed message, so it
	// is not sent at all.
	if !c.WindowOpen(t.now) {
		return nil
	}
	m := &desk.Message{
		Author: desk.Author{Type: desk.AuthorSystem, Name: bot.Name},
		Kind:   desk.KindText,
		Text:   text,
		Status: desk.StatusPending,
	}
	if err := t.addMessage(c, m); err != nil {
		return err
	}
	return t.enqueue(OutboxMessage, c, m.ID, lockID, nil)
}

// tellBot queues a webhook event for an external bot, if the bot has one.
func (t *txn) tellBot(c *desk.Conversation, bot desk.Bot, typ botapi.EventType, lockID *string) error {
	if bot.WebhookURL == "" {
		return nil
	}
	ev := botapi.Event{ID: t.s.ids.New(), Type: typ, BotID: bot.ID, ConversationID: c.ID, Phase: c.Phase,
		AssigneeID: c.AssigneeID, TeamID: c.TeamID, CreatedAt: t.now}
	body, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	return t.enqueue(OutboxBotEvent, c, "", lockID, body)
}

// OutboxItem is one claimed unit of outbound work.
type OutboxItem struct {
	ID             string
	Kind           string
	ConversationID string
	MessageID      string
	ChannelID      string
	LockID         string
	Payload        []byte
	Attempts       int
}

// ClaimOutbox takes up to n due items for this worker for lease. Claims are
// conditional updates, so workers on many nodes never take the same item;
// an item whose worker died is claimed again when the lease runs out.
func (s *Store) ClaimOutbox(ctx context.Context, n int, lease time.Duration) ([]OutboxItem, error) {
	var items []OutboxItem
	err := s.tx(ctx, func(t *txn) error {
		now := ms(t.now)
		rows, err := t.query(`UPDATE outbox SET claimed_until = $1, attempts = attempts + 1
			WHERE id IN (SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= $2
				AND (claimed_until IS NULL OR claimed_until <= $2) ORDER BY next_attempt_at LIMIT $3)
			AND status = 'pending' AND (claimed_until IS NULL OR claimed_until <= $2)
			RETURNING id, kind, conversation_id, message_id, channel_id, lock_id, payload, attempts`,
			ms(t.now.Add(lease)), now, n)
		if err != nil {
			return fmt.Errorf("store: claim outbox: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var it OutboxItem
			var msg, lock sql.NullString
			var payload string
			if err := rows.Scan(&it.ID, &it.Kind, &it.ConversationID, &msg, &it.ChannelID, &lock, &payload, &it.Attempts); err != nil {
				return err
			}
			it.MessageID, it.LockID, it.Payload = msg.String, lock.String, []byte(payload)
			items = append(items, it)
		}
		return rows.Err()
	})
	return items, err
}

// NextOutboxDue is when the earliest pending item falls due, or nil.
func (s *Store) NextOutboxDue(ctx context.Context) (*time.Time, error) {
	var v sql.NullInt64
	err := s.r.QueryRowContext(ctx, `SELECT MIN(next_attempt_at) FROM outbox WHERE status = 'pending'`).Scan(&v)
	if err != nil {
		return nil, fmt.Errorf("store: next due: %w", err)
	}
	return fromNullMS(v), nil
}

// Delivery is what a sender needs to deliver an item.
type Delivery struct {
	Item         OutboxItem
	Conversation desk.Conversation
	Message      *desk.Message
	Contact      desk.Contact
	Channel      desk.Channel
	Bot          desk.Bot
}

// LoadDelivery reads everything a sender needs for it.
func (s *Store) LoadDelivery(ctx context.Context, it OutboxItem) (Delivery, error) {
	d := Delivery{Item: it}
	var err error
	if d.Conversation, err = s.getConversation(ctx, s.reads, it.ConversationID, ""); err != nil {
		return d, err
	}
	if it.MessageID != "" {
		m, err := getMessage(ctx, s.r, it.MessageID)
		if err != nil {
			return d, err
		}
		d.Message = &m
	}
	if d.Contact, err = s.GetContact(ctx, d.Conversation.Contact.ID); err != nil {
		return d, err
	}
	if d.Channel, err = s.GetChannel(ctx, d.Conversation.ChannelID); err != nil {
		return d, err
	}
	if d.Bot, err = s.GetBot(ctx, d.Conversation.BotID); err != nil {
		return d, err
	}
	return d, nil
}

// CompleteOutbox records a successful delivery: the message becomes sent
// (with the channel's id for it) and, if this was the last piece of a
// hand-over, the processing lock ends now.
func (s *Store) CompleteOutbox(ctx context.Context, it OutboxItem, externalID string) error {
	return s.tx(ctx, func(t *txn) error {
		if _, err := t.exec(`UPDATE outbox SET status = 'done', claimed_until = NULL WHERE id = $1`, it.ID); err != nil {
			return err
		}
		if it.MessageID != "" {
			if err := t.setMessageStatus(it.MessageID, desk.StatusSent, nil, externalID); err != nil {
				return err
			}
		}
		return t.releaseLockIfDone(it)
	})
}

// FailOutbox records a failed attempt: retried at retryAt, or, when retryAt
// is nil, given up with the reason shown on the message.
func (s *Store) FailOutbox(ctx context.Context, it OutboxItem, reason string, retryAt *time.Time) error {
	if len(reason) > 500 {
		reason = reason[:500]
	}
	return s.tx(ctx, func(t *txn) error {
		if retryAt != nil {
			_, err := t.exec(`UPDATE outbox SET next_attempt_at = $2, claimed_until = NULL, last_error = $3 WHERE id = $1`,
				it.ID, ms(*retryAt), reason)
			return err
		}
		if _, err := t.exec(`UPDATE outbox SET status = 'failed', claimed_until = NULL, last_error = $2 WHERE id = $1`, it.ID, reason); err != nil {
			return err
		}
		// A flow item's message is the customer's, which did not fail.
		if it.MessageID != "" && it.Kind != OutboxFlow {
			if err := t.setMessageStatus(it.MessageID, desk.StatusFailed, &reason, ""); err != nil {
				return err
			}
		}
		// Processing has finished, badly: the lock has nothing left to wait for.
		return t.releaseLockIfDone(it)
	})
}

// releaseLockIfDone ends the processing lock it belongs to once no other
// work of that lock is pending.
func (t *txn) releaseLockIfDone(it OutboxItem) error {
	if it.LockID == "" {
		return nil
	}
	var left int
	if err := t.queryRow(`SELECT COUNT(*) FROM outbox WHERE lock_id = $1 AND status = 'pending'`, it.LockID).Scan(&left); err != nil {
		return err
	}
	if left > 0 {
		return nil
	}
	res, err := t.exec(`UPDATE conversations SET locked_until = NULL, lock_id = NULL WHERE id = $1 AND lock_id = $2`,
		it.ConversationID, it.LockID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil // lock already ended (timeout, or a newer lock replaced it)
	}
	c, err := t.s.getConversation(t.ctx, t.tx, it.ConversationID, "")
	if err != nil {
		return err
	}
	return t.touch(&c)
}

// setMessageStatus moves a message's delivery status forward and announces
// it. Statuses never go back (a late "sent" after "read" is ignored).
func (t *txn) setMessageStatus(id string, status desk.MessageStatus, errText *string, externalID string) error {
	var convID, cur string
	err := t.queryRow(`SELECT conversation_id, status FROM messages WHERE id = $1`, id).Scan(&convID, &cur)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	if status != desk.StatusFailed && statusRank(desk.MessageStatus(cur)) >= statusRank(status) {
		return nil
	}
	if _, err := t.exec(`UPDATE messages SET status = $2, error = $3, external_id = COALESCE($4, external_id), updated_at = $5 WHERE id = $1`,
		id, string(status), errText, strOrNil(externalID), ms(t.now)); err != nil {
		return err
	}
	c, err := t.s.getConversation(t.ctx, t.tx, convID, "")
	if err != nil {
		return err
	}
	_, err = t.appendEvent(&c, desk.ChangeMessageUpdated, id)
	return err
}

func statusRank(s desk.MessageStatus) int {
	switch s {
	case desk.StatusPending:
		return 0
	case desk.StatusSent:
		return 1
	case desk.StatusDelivered:
		return 2
	case desk.StatusRead:
		return 3
	}
	return 4 // failed and received are final
}
