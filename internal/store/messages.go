package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/relevo/relevo/internal/desk"
)

// TemplateSend picks an approved template and fills its {{n}} parameters.
type TemplateSend struct {
	ID     string
	Params []string
}

// SendInput is a message from an agent or a bot to the customer.
type SendInput struct {
	Text          string
	AttachmentIDs []string
	Template      *TemplateSend
	// ClientID makes the send idempotent: the same id from the same author
	// in the same conversation returns the first message.
	ClientID string
	// Buttons are quick replies offered with the text (a flow's menu).
	Buttons []desk.Button
}

func validateSend(in SendInput) error {
	if err := desk.CheckTextLen("text", in.Text); err != nil {
		return err
	}
	if in.Template == nil && strings.TrimSpace(in.Text) == "" && len(in.AttachmentIDs) == 0 {
		return desk.Invalid("text", "text, attachment_ids or template required")
	}
	if in.Template != nil && (in.Text != "" || len(in.AttachmentIDs) > 0) {
		return desk.Invalid("template", "a template is sent on its own")
	}
	if len(in.AttachmentIDs) > 10 {
		return desk.Invalid("attachment_ids", "at most 10")
	}
	if len(in.ClientID) > 100 {
		return desk.Invalid("client_id", "at most 100 characters")
	}
	if len(in.Buttons) > 10 {
		return desk.Invalid("buttons", "at most 10")
	}
	for _, b := range in.Buttons {
		// WhatsApp's limits: a list row title has 24 characters at most.
		if b.ID == "" || len(b.ID) > 200 || strings.TrimSpace(b.Title) == "" || utf8.RuneCountInString(b.Title) > 24 {
			return desk.Invalid("buttons", "each needs an id (at most 200 bytes) and a title of 1 to 24 characters")
		}
	}
	return nil
}

// Send stores an outbound message as pending and queues its delivery. The
// assignee writes in phase human, the bot in phase bot; on Meta channels
// outside the 24-hour window only templates go out.
func (s *Store) Send(ctx context.Context, actor desk.Actor, convID string, in SendInput) (desk.Message, error) {
	if err := validateSend(in); err != nil {
		return desk.Message{}, err
	}
	var m desk.Message
	err := s.tx(ctx, func(t *txn) error {
		c, err := t.loadForChange(convID, actor, desk.ActSend)
		if err != nil {
			return err
		}
		author := authorOf(actor)
		if in.ClientID != "" {
			if prev, ok, err := t.byClientID(c.ID, author, in.ClientID); err != nil || ok {
				m = prev
				return err
			}
		}
		m = desk.Message{Author: author, Kind: desk.KindText, Text: in.Text, Status: desk.StatusPending, ClientID: in.ClientID,
			MessageExtra: desk.MessageExtra{Buttons: in.Buttons}}
		if in.Template != nil {
			if err := t.renderTemplate(c, actor, *in.Template, &m); err != nil {
				return err
			}
		} else if !c.WindowOpen(t.now) {
			return desk.Errorf(desk.CodeWindowClosed, "the 24-hour window is closed; send an approved template").
				WithDetail("window_expires_at", c.WindowExpiresAt)
		}
		if len(in.AttachmentIDs) > 0 {
			if m.Attachments, err = t.attachments(in.AttachmentIDs, actor); err != nil {
				return err
			}
			m.Kind = desk.KindOfMime(m.Attachments[0].Mime)
		}
		if err := t.addMessage(&c, &m); err != nil {
			return err
		}
		if err := t.activity(&c); err != nil {
			return err
		}
		if actor.User != nil {
			if err := t.answered(c); err != nil {
				return err
			}
		}
		return t.enqueue(OutboxMessage, &c, m.ID, nil, nil)
	})
	return m, err
}

// activity moves the last-message time and the auto-close deadline.
func (t *txn) activity(c *desk.Conversation) error {
	bot, err := t.loadBot(c.BotID)
	if err != nil {
		return err
	}
	_, err = t.exec(`UPDATE conversations SET last_message_at = $2, auto_close_at = $3 WHERE id = $1`,
		c.ID, ms(t.now), ms(t.now.Add(bot.AutoCloseAfter.Duration())))
	return err
}

func (t *txn) byClientID(convID string, author desk.Author, clientID string) (desk.Message, bool, error) {
	row := t.queryRow(`SELECT `+messageCols+` FROM messages WHERE conversation_id = $1 AND client_id = $2
		AND author_type = $3 AND COALESCE(author_id, '') = $4`, convID, clientID, string(author.Type), deref(author.ID))
	m, err := scanMessage(row)
	if errors.Is(err, sql.ErrNoRows) {
		return m, false, nil
	}
	return m, err == nil, err
}

// renderTemplate fills m from an approved template the actor's role may use.
func (t *txn) renderTemplate(c desk.Conversation, actor desk.Actor, ts TemplateSend, m *desk.Message) error {
	tpl, err := getTemplate(t.ctx, t.tx, ts.ID)
	if err != nil || tpl.ChannelID != c.ChannelID || tpl.Status != "APPROVED" {
		return desk.Invalid("template.id", "no such approved template on this channel")
	}
	if actor.User != nil && !tpl.AllowedFor(actor.User.Role) {
		return desk.Invalid("template.id", "this template is not offered to your role")
	}
	body := tpl.Body
	for i, p := range ts.Params {
		if utf8.RuneCountInString(p) > 1024 {
			return desk.Invalid("template.params", "parameter %d is too long", i+1)
		}
		body = strings.ReplaceAll(body, fmt.Sprintf("{{%d}}", i+1), p)
	}
	m.Kind, m.Text = desk.KindTemplate, body
	m.Template = &desk.TemplateRef{Name: tpl.Name, Language: tpl.Language, Params: ts.Params}
	return nil
}

// attachments resolves upload ids to attachments.
func (t *txn) attachments(ids []string, actor desk.Actor) ([]desk.Attachment, error) {
	out := make([]desk.Attachment, 0, len(ids))
	for _, id := range ids {
		f, err := getUpload(t.ctx, t.tx, id)
		u := f.Attachment
		if err != nil {
			return nil, desk.Invalid("attachment_ids", "no such upload %s", id)
		}
		out = append(out, u)
	}
	return out, nil
}

// AddNote writes an internal note in the timeline, never sent to the
// customer. Notes are free during the processing lock.
func (s *Store) AddNote(ctx context.Context, actor desk.Actor, convID, text string) (desk.Message, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return desk.Message{}, desk.Invalid("text", "required")
	}
	if utf8.RuneCountInString(text) > 10000 {
		return desk.Message{}, desk.Invalid("text", "at most 10000 characters")
	}
	var m desk.Message
	err := s.tx(ctx, func(t *txn) error {
		c, err := t.loadForChange(convID, actor, desk.ActNote)
		if err != nil {
			return err
		}
		m = desk.Message{Author: authorOf(actor), Kind: desk.KindNote, Text: text, Status: desk.StatusSent}
		return t.addMessage(&c, &m)
	})
	return m, err
}

// MessagePage selects part of a timeline: after AfterSeq (catch-up after a
// reconnect), or the latest Limit before BeforeSeq (scrolling back; 0 means
// the newest).
type MessagePage struct {
	AfterSeq  *int64
	BeforeSeq int64
	Limit     int
}

// ListMessages reads a conversation's timeline, oldest first, if actor can
// see it.
func (s *Store) ListMessages(ctx context.Context, actor desk.Actor, convID string, p MessagePage) ([]desk.Message, error) {
	c, err := s.getConversation(ctx, s.reads, convID, "")
	if err != nil {
		return nil, err
	}
	if !actor.CanSee(c) {
		return nil, desk.NotFound("conversation")
	}
	var rows *sql.Rows
	if p.AfterSeq != nil {
		rows, err = s.reads.QueryContext(ctx, `SELECT `+messageCols+` FROM messages WHERE conversation_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
			convID, *p.AfterSeq, p.Limit)
	} else {
		before := p.BeforeSeq
		if before <= 0 {
			before = c.Seq + 1
		}
		rows, err = s.reads.QueryContext(ctx, `SELECT `+messageCols+` FROM (SELECT `+messageCols+` FROM messages
			WHERE conversation_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3) AS page ORDER BY seq`, convID, before, p.Limit)
	}
	if err != nil {
		return nil, fmt.Errorf("store: list messages: %w", err)
	}
	defer rows.Close()
	out := []desk.Message{}
	for rows.Next() {
		m, err := scanMessage(rows)
		if err != nil {
			return nil, fmt.Errorf("store: list messages: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// GetMessage reads one message (system use: scope is the caller's job).
func (s *Store) GetMessage(ctx context.Context, id string) (desk.Message, error) {
	return getMessage(ctx, s.r, id)
}

const messageCols = `id, conversation_id, seq, author_type, author_id, author_name, kind, text, attachments,
	event, status, error, external_id, client_id, created_at, extra`

func scanMessage(sc scanner) (desk.Message, error) {
	var m desk.Message
	var authorID, event, errText, external, client, extra sql.NullString
	var atts string
	var created int64
	err := sc.Scan(&m.ID, &m.ConversationID, &m.Seq, &m.Author.Type, &authorID, &m.Author.Name, &m.Kind, &m.Text, &atts,
		&event, &m.Status, &errText, &external, &client, &created, &extra)
	if err != nil {
		return m, err
	}
	m.Author.ID, m.Error = nullStr(authorID), nullStr(errText)
	m.ExternalID, m.ClientID = external.String, client.String
	m.CreatedAt = fromMS(created)
	if err := json.Unmarshal([]byte(atts), &m.Attachments); err != nil || m.Attachments == nil {
		m.Attachments = []desk.Attachment{}
	}
	if extra.Valid {
		_ = json.Unmarshal([]byte(extra.String), &m.MessageExtra)
	}
	if event.Valid {
		var ev desk.Event
		if json.Unmarshal([]byte(event.String), &ev) == nil {
			m.Event = &ev
		}
	}
	return m, nil
}

// getMessage reads one message.
func getMessage(ctx context.Context, q querier, id string) (desk.Message, error) {
	m, err := scanMessage(q.QueryRowContext(ctx, `SELECT `+messageCols+` FROM messages WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return m, desk.NotFound("message")
	}
	if err != nil {
		return m, fmt.Errorf("store: get message: %w", err)
	}
	return m, nil
}
