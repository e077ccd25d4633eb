package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/relevo/relevo/internal/desk"
)

// Web widget sessions (migration 0006). A visitor's browser holds an opaque
// token; the table holds its hash and the contact the token speaks for on
// one web channel. Sessions slide like console sessions: used in the second
// half of their life, they are renewed for a full one.

// WidgetSession is what a widget token stands for.
type WidgetSession struct {
	ChannelID  string
	ContactID  string
	ExternalID string
	ExpiresAt  time.Time
}

// CreateWidgetSession finds or creates the contact behind ic.ExternalID on
// the web channel channelID (filling in its name and email where it has
// none) and stores a session for it under tokenHash, valid for ttl.
// Expired sessions are swept on the way.
func (s *Store) CreateWidgetSession(ctx context.Context, channelID, tokenHash string, ic InboundContact, ttl time.Duration) (WidgetSession, error) {
	if ic.ExternalID == "" || tokenHash == "" || ttl < time.Second {
		return WidgetSession{}, fmt.Errorf("store: widget session: external id, token hash and ttl required")
	}
	ch, err := s.GetChannel(ctx, channelID)
	if err != nil {
		return WidgetSession{}, err
	}
	if ch.Type != desk.ChannelWeb {
		return WidgetSession{}, desk.NotFound("channel")
	}
	var ws WidgetSession
	// Two first sessions of one identifier (two tabs) meet at the
	// identities' primary key; the retry finds the winner's contact.
	for attempt := 0; ; attempt++ {
		err = s.tx(ctx, func(t *txn) error {
			contact, err := t.contactFor(ch, ic)
			if err != nil {
				return err
			}
			if _, err := t.exec(`DELETE FROM widget_sessions WHERE expires_at < $1`, ms(t.now)); err != nil {
				return fmt.Errorf("store: sweep widget sessions: %w", err)
			}
			ws = WidgetSession{ChannelID: ch.ID, ContactID: contact.ID, ExternalID: ic.ExternalID, ExpiresAt: t.now.Add(ttl)}
			if _, err := t.exec(`INSERT INTO widget_sessions (token_hash, channel_id, contact_id, external_id, created_at, expires_at)
				VALUES ($1, $2, $3, $4, $5, $6)`, tokenHash, ch.ID, contact.ID, ic.ExternalID, ms(t.now), ms(ws.ExpiresAt)); err != nil {
				return fmt.Errorf("store: create widget session: %w", err)
			}
			return nil
		})
		if err == nil || attempt == 2 || !s.d.isUnique(err) {
			return ws, err
		}
	}
}

// WidgetSessionByHash reads the live session stored under tokenHash, or
// fails unauthenticated.
func (s *Store) WidgetSessionByHash(ctx context.Context, tokenHash string) (WidgetSession, error) {
	var ws WidgetSession
	var created, expires int64
	err := s.r.QueryRowContext(ctx, `SELECT channel_id, contact_id, external_id, created_at, expires_at FROM widget_sessions
		WHERE token_hash = $1`, tokenHash).Scan(&ws.ChannelID, &ws.ContactID, &ws.ExternalID, &created, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return ws, desk.Errorf(desk.CodeUnauthenticated, "unknown or expired widget session")
	}
	if err != nil {
		return ws, fmt.Errorf("store: widget session: %w", err)
	}
	now := ms(s.clock.Now())
	if expires <= now {
		return ws, desk.Errorf(desk.CodeUnauthenticated, "unknown or expired widget session")
	}
	if ttl := expires - created; expires-now < ttl/2 {
		// Conditional on the old expiry: concurrent requests renew it once.
		if _, err := s.w.ExecContext(ctx, `UPDATE widget_sessions SET created_at = $2, expires_at = $3
			WHERE token_hash = $1 AND expires_at = $4`, tokenHash, now, now+ttl, expires); err != nil {
			return ws, fmt.Errorf("store: renew widget session: %w", err)
		}
		expires = now + ttl
	}
	ws.ExpiresAt = time.UnixMilli(expires).UTC()
	return ws, nil
}

// WidgetConversation is the conversation a widget shows its contact on a
// channel: the open one, else the latest. Not found when the contact has
// never written there.
func (s *Store) WidgetConversation(ctx context.Context, channelID, contactID string) (desk.Conversation, error) {
	var id string
	err := s.reads.QueryRowContext(ctx, `SELECT id FROM conversations WHERE contact_id = $1 AND channel_id = $2
		ORDER BY CASE WHEN phase <> 'closed' THEN 0 ELSE 1 END, created_at DESC, id DESC LIMIT 1`, contactID, channelID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return desk.Conversation{}, desk.NotFound("conversation")
	}
	if err != nil {
		return desk.Conversation{}, fmt.Errorf("store: widget conversation: %w", err)
	}
	return s.getConversation(ctx, s.reads, id, "")
}

// customerKinds filters the messages a customer may see, as
// desk.CustomerSees decides: never internal notes, of the timeline's events
// only how a call ended. p is the messages table's alias prefix ("" or "m.").
func customerKinds(p string) string {
	quoted := make([]string, len(desk.CustomerCallEvents))
	for i, t := range desk.CustomerCallEvents {
		quoted[i] = "'" + string(t) + "'"
	}
	return "(" + p + "kind NOT IN ('note', 'event') OR (" + p + "kind = 'event' AND " + p + "event_type IN (" +
		strings.Join(quoted, ", ") + ")))"
}

var customerSees = customerKinds("")

// CustomerMessages lists what the customer sees of a conversation, oldest
// first: its own messages, the bot's and agents' and the notices sent to it.
// With afterSeq it pages forward from there; without, it reads the newest
// limit messages.
func (s *Store) CustomerMessages(ctx context.Context, convID string, afterSeq *int64, limit int) ([]desk.Message, error) {
	var rows *sql.Rows
	var err error
	if afterSeq != nil {
		rows, err = s.r.QueryContext(ctx, `SELECT `+messageCols+` FROM messages WHERE conversation_id = $1 AND seq > $2 AND `+
			customerSees+` ORDER BY seq LIMIT $3`, convID, *afterSeq, limit)
	} else {
		rows, err = s.r.QueryContext(ctx, `SELECT `+messageCols+` FROM (SELECT `+messageCols+` FROM messages
			WHERE conversation_id = $1 AND `+customerSees+` ORDER BY seq DESC LIMIT $2) AS page ORDER BY seq`, convID, limit)
	}
	if err != nil {
		return nil, fmt.Errorf("store: customer messages: %w", err)
	}
	defer rows.Close()
	out := []desk.Message{}
	for rows.Next() {
		m, err := scanMessage(rows)
		if err != nil {
			return nil, fmt.Errorf("store: customer messages: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// CustomerSeesUpload reports whether a contact may download an upload: it
// uploaded it (createdBy is its uploader key), or the file is attached to a
// message it can see in one of its conversations on the channel.
func (s *Store) CustomerSeesUpload(ctx context.Context, channelID, contactID, createdBy, uploadID string) (bool, error) {
	u, err := getUpload(ctx, s.r, uploadID)
	if err != nil {
		if desk.IsCode(err, desk.CodeNotFound) {
			return false, nil
		}
		return false, err
	}
	if u.CreatedBy == createdBy {
		return true, nil
	}
	esc := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(uploadID)
	var n int
	err = s.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id
		WHERE c.contact_id = $1 AND c.channel_id = $2 AND `+customerKinds("m.")+` AND m.attachments LIKE $3 ESCAPE '\'`,
		contactID, channelID, `%"id":"`+esc+`"%`).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("store: customer upload scope: %w", err)
	}
	return n > 0, nil
}
