package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/relevo/relevo/internal/desk"
)

// What channels report back after a message left: delivery ticks, failures
// that close the 24-hour window, reactions, and a customer's new number.
// Every lookup is by the channel's own message id, scoped to the channel.

// SetStatusByExternalID applies a channel's delivery report to the message
// it sent as externalID. Statuses only move forward (a "read" may come
// without a "delivered"; a late "sent" after it is ignored); "failed"
// always applies, with errText. closeWindow ends the conversation's 24-hour
// window now, unless the customer wrote after the message was queued (the
// report is then older than the window it would close). A message the
// channel never got from us is not_found.
func (s *Store) SetStatusByExternalID(ctx context.Context, channelID, externalID string, status desk.MessageStatus,
	errText *string, closeWindow bool) error {
	switch status {
	case desk.StatusSent, desk.StatusDelivered, desk.StatusRead, desk.StatusFailed:
	default:
		return desk.Invalid("status", "must be sent, delivered, read or failed")
	}
	if externalID == "" {
		return desk.Invalid("external_id", "required")
	}
	return s.tx(ctx, func(t *txn) error {
		var id, convID, cur string
		var created int64
		err := t.queryRow(`SELECT id, conversation_id, status, created_at FROM messages WHERE channel_id = $1 AND external_id = $2`,
			channelID, externalID).Scan(&id, &convID, &cur, &created)
		if errors.Is(err, sql.ErrNoRows) {
			return desk.NotFound("message")
		}
		if err != nil {
			return fmt.Errorf("store: status by external id: %w", err)
		}
		// A customer's own message has no delivery to report, and a failure
		// reported twice (webhook retries) is announced once.
		if desk.MessageStatus(cur) != desk.StatusReceived && !(cur == string(desk.StatusFailed) && status == desk.StatusFailed) {
			if err := t.setMessageStatus(id, status, errText, ""); err != nil {
				return fmt.Errorf("store: set status: %w", err)
			}
		}
		if closeWindow {
			return t.closeWindow(convID, fromMS(created))
		}
		return nil
	})
}

// CloseWindow ends a conversation's 24-hour window now because the channel
// said so (WhatsApp 131047) about a message queued at since; a customer
// message after since has opened a new window, which stays.
func (s *Store) CloseWindow(ctx context.Context, conversationID string, since time.Time) error {
	return s.tx(ctx, func(t *txn) error { return t.closeWindow(conversationID, since) })
}

func (t *txn) closeWindow(convID string, since time.Time) error {
	// window_expires_at is the last customer message + 24 h: a window
	// ending after since + 24 h was opened by a message written after since.
	res, err := t.exec(`UPDATE conversations SET window_expires_at = $2
		WHERE id = $1 AND window_expires_at IS NOT NULL AND window_expires_at > $2 AND window_expires_at <= $3`,
		convID, ms(t.now), ms(since.Add(window)))
	if err != nil {
		return fmt.Errorf("store: close window: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil
	}
	c, err := t.s.getConversation(t.ctx, t.tx, convID, "")
	if err != nil {
		return err
	}
	return t.touch(&c)
}

// React sets the customer's reaction on the message the channel knows as
// targetExternalID: it replaces the customer's previous reaction there, and
// an empty emoji removes it. A target Relevo never stored is not_found.
func (s *Store) React(ctx context.Context, channelID, targetExternalID, emoji string) error {
	if targetExternalID == "" {
		return desk.Invalid("message_id", "required")
	}
	if len(emoji) > 64 {
		return desk.Invalid("emoji", "at most 64 bytes")
	}
	return s.tx(ctx, func(t *txn) error {
		var id, convID string
		var extra sql.NullString
		err := t.queryRow(`SELECT id, conversation_id, extra FROM messages WHERE channel_id = $1 AND external_id = $2`,
			channelID, targetExternalID).Scan(&id, &convID, &extra)
		if errors.Is(err, sql.ErrNoRows) {
			return desk.NotFound("message")
		}
		if err != nil {
			return fmt.Errorf("store: react: %w", err)
		}
		var x desk.MessageExtra
		if extra.Valid {
			_ = json.Unmarshal([]byte(extra.String), &x)
		}
		prev := ""
		kept := make([]desk.Reaction, 0, len(x.Reactions)+1)
		for _, r := range x.Reactions {
			if r.Author == desk.AuthorContact {
				prev = r.Emoji
				continue
			}
			kept = append(kept, r)
		}
		if prev == emoji {
			return nil // a retried webhook: nothing changes
		}
		if emoji != "" {
			kept = append(kept, desk.Reaction{Emoji: emoji, Author: desk.AuthorContact})
		}
		x.Reactions = kept
		if len(kept) == 0 {
			x.Reactions = nil
		}
		var stored any
		if !x.Empty() {
			b, err := json.Marshal(x)
			if err != nil {
				return fmt.Errorf("store: react: %w", err)
			}
			stored = string(b)
		}
		if _, err := t.exec(`UPDATE messages SET extra = $2, updated_at = $3 WHERE id = $1`, id, stored, ms(t.now)); err != nil {
			return fmt.Errorf("store: react: %w", err)
		}
		c, err := t.s.getConversation(t.ctx, t.tx, convID, "")
		if err != nil {
			return err
		}
		_, err = t.appendEvent(&c, desk.ChangeMessageUpdated, id)
		return err
	})
}

// HasExternalMessage reports whether the channel's message externalID is
// stored already, so a retried webhook skips work (media downloads) that
// Inbound would throw away.
func (s *Store) HasExternalMessage(ctx context.Context, channelID, externalID string) (bool, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM messages WHERE channel_id = $1 AND external_id = $2`,
		channelID, externalID).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("store: has external message: %w", err)
	}
	return n > 0, nil
}

// ChangeIdentity records that the customer known on the channel as oldID
// is now newID (WhatsApp: a number change): later messages from newID reach
// the same contact, and replies go to newID. Unknown oldID does nothing;
// newID already bound to another contact stays where it is.
func (s *Store) ChangeIdentity(ctx context.Context, channelID, oldID, newID string) error {
	if oldID == "" || newID == "" || oldID == newID {
		return nil
	}
	return s.tx(ctx, func(t *txn) error {
		var contactID string
		err := t.queryRow(`SELECT contact_id FROM contact_identities WHERE channel_id = $1 AND external_id = $2`,
			channelID, oldID).Scan(&contactID)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("store: change identity: %w", err)
		}
		res, err := t.exec(`INSERT INTO contact_identities (channel_id, external_id, contact_id) VALUES ($1, $2, $3)
			ON CONFLICT DO NOTHING`, channelID, newID, contactID)
		if err != nil {
			return fmt.Errorf("store: change identity: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		// The phone follows the number only where it still shows the old one
		// (what an agent typed in is kept).
		_, err = t.exec(`UPDATE contacts SET external_id = $2,
			phone = CASE WHEN phone = $3 OR phone = $4 THEN $5 ELSE phone END, updated_at = $6
			WHERE id = $1 AND external_id = $7`,
			contactID, newID, oldID, "+"+oldID, "+"+newID, ms(t.now), oldID)
		if err != nil {
			return fmt.Errorf("store: change identity: %w", err)
		}
		return nil
	})
}
