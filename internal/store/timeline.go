package store

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/relevo/relevo/internal/desk"
)

// nextSeq takes the conversation's next seq and marks it updated. The
// first one of a conversation whose seq the txn does not know yet is an
// UPDATE, which also row-locks the conversation on PostgreSQL, so seqs
// never race; the next ones are counted here and written with the
// conversation's patch (pending.go).
func (t *txn) nextSeq(convID string) (int64, error) {
	if last, ok := t.seqs[convID]; ok {
		last++
		t.seqs[convID] = last
		t.patch(convID).seq = last
		return last, nil
	}
	var seq int64
	err := t.queryRow(`UPDATE conversations SET seq = seq + 1, updated_at = $2 WHERE id = $1 RETURNING seq`,
		convID, ms(t.now)).Scan(&seq)
	if err != nil {
		return 0, fmt.Errorf("store: next seq: %w", err)
	}
	t.knowSeq(convID, seq)
	return seq, nil
}

// appendEvent records a state change in the real-time feed with the next
// seq and queues its announcement.
func (t *txn) appendEvent(c *desk.Conversation, typ desk.ChangeType, messageID string) (int64, error) {
	seq, err := t.nextSeq(c.ID)
	if err != nil {
		return 0, err
	}
	t.later("append event", `INSERT INTO events (conversation_id, seq, type, message_id, created_at) VALUES ($1, $2, $3, $4, $5)`,
		c.ID, seq, string(typ), strOrNil(messageID), ms(t.now))
	c.Seq = seq
	t.changes = append(t.changes, desk.Change{Type: typ, ConversationID: c.ID, BotID: c.BotID, Seq: seq, MessageID: messageID})
	return seq, nil
}

// touch announces that the conversation row itself changed.
func (t *txn) touch(c *desk.Conversation) error {
	_, err := t.appendEvent(c, desk.ChangeConversation, "")
	return err
}

// addMessage stores m in c's timeline with the next seq. Timestamps and id
// are filled in when empty.
func (t *txn) addMessage(c *desk.Conversation, m *desk.Message) error {
	if m.ID == "" {
		m.ID = t.s.ids.New()
	}
	if m.CreatedAt.IsZero() {
		m.CreatedAt = t.now
	}
	m.ConversationID = c.ID
	seq, err := t.appendEvent(c, desk.ChangeMessageCreated, m.ID)
	if err != nil {
		return err
	}
	m.Seq = seq
	if m.Attachments == nil {
		m.Attachments = []desk.Attachment{}
	}
	atts, err := json.Marshal(m.Attachments)
	if err != nil {
		return fmt.Errorf("store: attachments: %w", err)
	}
	var extra any
	if !m.MessageExtra.Empty() {
		b, err := json.Marshal(m.MessageExtra)
		if err != nil {
			return fmt.Errorf("store: message extra: %w", err)
		}
		extra = string(b)
	}
	var event, eventType, eventTo, reasonID, eventNode any
	if m.Event != nil {
		b, err := json.Marshal(m.Event)
		if err != nil {
			return fmt.Errorf("store: event: %w", err)
		}
		event, eventType, eventTo, eventNode = string(b), string(m.Event.Type), strOrNil(m.Event.To), strOrNil(m.Event.NodeID)
		if m.Event.Reason != nil {
			reasonID = m.Event.Reason.ID
		}
	}
	t.later("insert message", `INSERT INTO messages (id, conversation_id, channel_id, seq, author_type, author_id, author_name,
		kind, text, attachments, event, event_type, event_to, reason_id, status, error, external_id, client_id, created_at, updated_at, extra, event_node)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)`,
		m.ID, c.ID, c.ChannelID, seq, string(m.Author.Type), m.Author.ID, m.Author.Name,
		string(m.Kind), m.Text, string(atts), event, eventType, eventTo, reasonID, string(m.Status), m.Error,
		strOrNil(m.ExternalID), strOrNil(m.ClientID), ms(m.CreatedAt), ms(t.now), extra, eventNode)
	t.changes[len(t.changes)-1].Message = insertedMessage(*m, event)
	if m.Author.Type == desk.AuthorContact {
		return t.customerWrote(c.ID, seq, m.CreatedAt)
	}
	return nil
}

// customerWrote keeps the waiting sort's columns (migration 0005,
// list.go): the conversation's oldest customer message, and for each
// user who read the conversation before this message, their oldest unread
// one. Times only move back: a late webhook may carry an older one.
//
// Both are deferred writes (pending.go): first_contact_at in the
// conversation's patch, the read marks with the next flush.
func (t *txn) customerWrote(convID string, seq int64, at time.Time) error {
	p, v := t.patch(convID), ms(at)
	if p.firstContact == nil || *p.firstContact > v {
		p.firstContact = &v
	}
	t.later("unread since", `UPDATE reads SET unread_since = $2
		WHERE conversation_id = $1 AND last_read_seq < $3 AND (unread_since IS NULL OR unread_since > $2)`,
		convID, v, seq)
	return nil
}

// addEvent appends a timeline event message written by actor.
func (t *txn) addEvent(c *desk.Conversation, actor desk.Actor, ev desk.Event, text string) error {
	ev.ActorID = actor.ID()
	m := &desk.Message{
		Author: authorOf(actor),
		Kind:   desk.KindEvent,
		Text:   text,
		Event:  &ev,
		Status: desk.StatusSent,
	}
	return t.addMessage(c, m)
}

// authorOf is how actor appears as a message author.
func authorOf(a desk.Actor) desk.Author {
	switch {
	case a.User != nil:
		return desk.Author{Type: desk.AuthorAgent, ID: a.ID(), Name: a.User.Name}
	case a.Integration:
		return desk.Author{Type: desk.AuthorBot, Name: "Bot"}
	}
	return desk.Author{Type: desk.AuthorSystem, Name: "Relevo"}
}
