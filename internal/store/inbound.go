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
	"github.com/relevo/relevo/internal/flow"
)

// window is Meta's customer service window.
const window = 24 * time.Hour

// InboundContact identifies the customer on the channel.
type InboundContact struct {
	ExternalID string
	Name       string
	Phone      string
	Email      string
	// Language is the customer's language (one of desk.CustomerLanguages),
	// when the channel knows it: kept as the contact's language attribute.
	Language string
}

// InboundMessage is what the customer sent.
type InboundMessage struct {
	// ExternalID is the channel's message id; the same id twice stores one
	// message.
	ExternalID  string
	Kind        desk.MessageKind
	Text        string
	Attachments []desk.Attachment
	// SentAt is when the customer sent it, by the channel's clock (zero:
	// now). The 24-hour window counts from here, not from arrival.
	SentAt time.Time
	// Extra carries a pressed button's payload, a location, and ReplyTo as
	// the channel's id of the message answered (mapped to ours on store).
	Extra desk.MessageExtra
}

// InboundResult tells the channel what became of a message.
type InboundResult struct {
	ConversationID string
	MessageID      string
	// Duplicate is set when the message id was already stored.
	Duplicate bool
	// Blocked is set when the contact is blocked: stored, flagged, no
	// conversation opened.
	Blocked bool
	// Opened is set when the message started a new conversation.
	Opened bool
	Phase  desk.Phase
	// Message is the message as stored (as GetMessage reads it) when this
	// call stored it; nil for a duplicate or a survey answer. The widget
	// answers its POST with it: on PostgreSQL a read after the commit was
	// one more round trip per visitor message.
	Message *desk.Message
}

// Inbound stores a customer message: finds or creates the contact, finds the
// open conversation or opens one, appends the message, moves the deadlines.
// It is idempotent on (channel, message id), so webhook retries are safe.
func (s *Store) Inbound(ctx context.Context, channelID string, ic InboundContact, im InboundMessage) (InboundResult, error) {
	var res InboundResult
	if ic.ExternalID == "" {
		return res, desk.Invalid("contact.external_id", "required")
	}
	if im.ExternalID == "" {
		return res, desk.Invalid("message.id", "required")
	}
	if im.Text == "" && len(im.Attachments) == 0 && im.Extra.Location == nil && im.Extra.Payload == "" {
		return res, desk.Invalid("message.text", "text or attachments required")
	}
	if err := desk.CheckTextLen("message.text", im.Text); err != nil {
		return res, err
	}
	if im.Kind == "" {
		im.Kind = desk.KindText
	}
	ch, err := s.GetChannel(ctx, channelID)
	if err != nil {
		return res, err
	}
	bot, err := s.cachedBotSettings(ctx, ch.BotID) // members not needed
	if err != nil {
		return res, err
	}
	// Concurrent first messages of one contact (or one message delivered
	// twice at once) meet at a unique index; the retry then sees the
	// winner's rows. A message delivered again meets the unique index of
	// (channel, message id) too: the first attempt does not look for it
	// (a round trip saved on every message, a retry on the rare
	// duplicate), the retries do.
	for attempt := 0; ; attempt++ {
		err = s.inboundTx(ctx, ch, bot, ic, im, attempt > 0, &res)
		if err == nil || attempt == 2 || !s.d.isUnique(err) {
			return res, err
		}
	}
}

func (s *Store) inboundTx(ctx context.Context, ch desk.Channel, bot desk.Bot, ic InboundContact, im InboundMessage, dedupe bool, out *InboundResult) error {
	return s.tx(ctx, func(t *txn) error {
		res := InboundResult{}
		defer func() { *out = res }()
		if dedupe {
			var mid, cid string
			err := t.queryRow(`SELECT id, conversation_id FROM messages WHERE channel_id = $1 AND external_id = $2`,
				ch.ID, im.ExternalID).Scan(&mid, &cid)
			if err == nil {
				res = InboundResult{ConversationID: cid, MessageID: mid, Duplicate: true}
				return nil
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("store: inbound dedupe: %w", err)
			}
		}
		contact, err := t.contactFor(ch, ic)
		if err != nil {
			return err
		}
		if strings.HasPrefix(im.Extra.Payload, CSATPayloadPrefix) && !contact.Blocked {
			if handled, err := t.csatReply(ch, contact, im.Extra.Payload, &res); handled || err != nil {
				return err
			}
		}
		return t.inbound(ch, bot, contact, im, &res)
	})
}

func (t *txn) inbound(ch desk.Channel, bot desk.Bot, contact desk.Contact, im InboundMessage, res *InboundResult) error {
	sentAt := im.SentAt
	if sentAt.IsZero() || sentAt.After(t.now) {
		sentAt = t.now
	}
	m := &desk.Message{
		Author:       desk.Author{Type: desk.AuthorContact, ID: &contact.ID, Name: contact.Name},
		Kind:         im.Kind,
		Text:         im.Text,
		Attachments:  im.Attachments,
		Status:       desk.StatusReceived,
		ExternalID:   im.ExternalID,
		CreatedAt:    sentAt,
		MessageExtra: im.Extra,
	}
	if m.ReplyTo != "" {
		// The channel names the message answered by its own id.
		var id string
		if err := t.queryRow(`SELECT id FROM messages WHERE channel_id = $1 AND external_id = $2`, ch.ID, m.ReplyTo).Scan(&id); err == nil {
			m.ReplyTo = id
		} else {
			m.ReplyTo = ""
		}
	}
	if contact.Blocked {
		return t.inboundBlocked(ch, contact, m, res)
	}
	c, opened, err := t.openConversation(ch, bot, contact)
	if err != nil {
		return err
	}
	if err := t.addMessage(&c, m); err != nil {
		return err
	}
	stored := *t.changes[len(t.changes)-1].Message // shared with the change's readers: copied
	var win any
	if ch.Type.HasWindow() {
		win = ms(sentAt.Add(window))
	}
	// Written with the conversation's patch (pending.go), in the UPDATE
	// that also takes the seqs: the window only moves forward there, so a
	// late webhook for an old message never shortens it.
	p := t.patch(c.ID)
	p.deadlines, p.lastMessageAt, p.autoClose = true, ms(t.now), ms(t.now.Add(bot.AutoCloseAfter.Duration()))
	p.window = win
	// A hand-over below tells the customer in their language.
	bot.Notices = bot.Notices.For(contact.Attributes[desk.LanguageAttribute])
	switch {
	case opened && !bot.HasFlow():
		// Nobody automatic answers this bot: straight to the queue.
		err = t.handover(&c, bot, desk.SystemActor, HandoverInput{})
	case c.Phase != desk.PhaseBot:
	case flow.WantsHuman(im.Text, bot.HandoverKeywords):
		// Asking for a person works at any step of any bot.
		err = t.handover(&c, bot, desk.SystemActor, HandoverInput{Note: KeywordHandoverNote})
	case bot.WebhookURL != "":
		err = t.tellBotMessage(&c, bot, m)
	case runsFlow(bot):
		// The flow step runs from the outbox: queued with the message, so
		// a crash never loses it.
		err = t.enqueue(OutboxFlow, &c, m.ID, nil, nil)
	}
	if err != nil {
		return err
	}
	*res = InboundResult{ConversationID: c.ID, MessageID: m.ID, Opened: opened, Phase: c.Phase, Message: &stored}
	return nil
}

// tellBotMessage forwards a customer message to an external bot.
func (t *txn) tellBotMessage(c *desk.Conversation, bot desk.Bot, m *desk.Message) error {
	ev := botapi.Event{ID: t.s.ids.New(), Type: botapi.EventMessage, BotID: bot.ID, ConversationID: c.ID, Phase: c.Phase,
		AssigneeID: c.AssigneeID, TeamID: c.TeamID, Message: m, CreatedAt: t.now}
	body, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	return t.enqueue(OutboxBotEvent, c, "", nil, body)
}

// inboundBlocked keeps a blocked contact's message, flagged, in its latest
// conversation without reopening anything.
func (t *txn) inboundBlocked(ch desk.Channel, contact desk.Contact, m *desk.Message, res *InboundResult) error {
	var id string
	err := t.queryRow(`SELECT id FROM conversations WHERE contact_id = $1 AND channel_id = $2 ORDER BY created_at DESC LIMIT 1`,
		contact.ID, ch.ID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		c, err := t.insertConversation(ch, contact, desk.PhaseClosed)
		if err != nil {
			return err
		}
		id = c.ID
	} else if err != nil {
		return err
	}
	c, err := t.s.getConversation(t.ctx, t.tx, id, "")
	if err != nil {
		return err
	}
	flag := string(desk.CodeContactBlocked)
	m.Error = &flag
	if err := t.addMessage(&c, m); err != nil {
		return err
	}
	*res = InboundResult{ConversationID: c.ID, MessageID: m.ID, Blocked: true, Phase: c.Phase}
	return nil
}

// openConversation finds the contact's open conversation on ch or opens a
// new one in phase bot. Two messages racing for a new conversation meet at
// the one-open-per-contact index; the loser reads the winner's row.
func (t *txn) openConversation(ch desk.Channel, bot desk.Bot, contact desk.Contact) (desk.Conversation, bool, error) {
	// Found with its row in one statement (one round trip on PostgreSQL),
	// row-locked: its seq is then exact, and the message's is counted
	// in the txn (pending.go) instead of a statement of its own.
	find := func() (desk.Conversation, error) {
		c, err := t.s.conversationWhere(t.ctx, t.tx, convOpenOfContact, "", contact.ID, ch.ID)
		if err == nil {
			t.knowSeq(c.ID, c.Seq)
		}
		return c, err
	}
	c, err := find()
	if err == nil {
		return c, false, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return desk.Conversation{}, false, err
	}
	c, err = t.insertConversation(ch, contact, desk.PhaseBot)
	if err != nil {
		return c, false, err
	}
	if c.ID == "" {
		if c, err = find(); err != nil {
			return c, false, fmt.Errorf("store: open conversation: %w", err)
		}
		return c, false, nil
	}
	return c, true, nil
}

// insertConversation creates a conversation row; the returned ID is empty
// when an open one for the contact already exists.
func (t *txn) insertConversation(ch desk.Channel, contact desk.Contact, phase desk.Phase) (desk.Conversation, error) {
	id := t.s.ids.New()
	var closedAt, closedReason any
	if phase == desk.PhaseClosed {
		closedAt, closedReason = ms(t.now), "blocked"
	}
	res, err := t.exec(`INSERT INTO conversations (id, bot_id, channel_id, channel_type, contact_id, phase, last_message_at,
		seq, version, created_at, updated_at, closed_at, closed_reason)
		VALUES ($1, $2, $3, $4, $5, $6, $7, 0, 0, $7, $7, $8, $9) ON CONFLICT DO NOTHING`,
		id, ch.BotID, ch.ID, string(ch.Type), contact.ID, string(phase), ms(t.now), closedAt, closedReason)
	if err != nil {
		return desk.Conversation{}, fmt.Errorf("store: insert conversation: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return desk.Conversation{}, nil
	}
	c, err := t.s.getConversation(t.ctx, t.tx, id, "")
	if err != nil {
		return c, err
	}
	t.knowSeq(c.ID, c.Seq) // a row of this txn: nobody else sees it yet
	return c, t.moved(&c, desk.Placement{})
}

// contactFor finds the contact behind a channel identity, creating it on
// first contact, and fills in details the channel now knows.
func (t *txn) contactFor(ch desk.Channel, ic InboundContact) (desk.Contact, error) {
	// The contact is found with its row, and filled in with RETURNING: one
	// statement either way (a round trip each on PostgreSQL).
	c, err := scanContact(t.queryRow(`SELECT `+prefixed("ct.", contactCols)+` FROM contact_identities i
		JOIN contacts ct ON ct.id = i.contact_id WHERE i.channel_id = $1 AND i.external_id = $2`, ch.ID, ic.ExternalID))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		id := t.s.ids.New()
		name := ic.Name
		if name == "" {
			name = ic.Phone
		}
		if _, err := t.exec(`INSERT INTO contacts (id, bot_id, name, phone, email, external_id, attributes, blocked, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, '{}', 0, $7, $7)`, id, ch.BotID, name, ic.Phone, ic.Email, ic.ExternalID, ms(t.now)); err != nil {
			return desk.Contact{}, fmt.Errorf("store: insert contact: %w", err)
		}
		if _, err := t.exec(`INSERT INTO contact_identities (channel_id, external_id, contact_id) VALUES ($1, $2, $3)`,
			ch.ID, ic.ExternalID, id); err != nil {
			return desk.Contact{}, fmt.Errorf("store: insert identity: %w", err)
		}
		if c, err = readContact(t.ctx, t.tx, id); err != nil {
			return c, err
		}
	case err != nil:
		return desk.Contact{}, fmt.Errorf("store: find contact: %w", err)
	case fillsGaps(c, ic):
		// Fill gaps only: what an agent corrected is never overwritten.
		c, err = scanContact(t.queryRow(`UPDATE contacts SET
			name = CASE WHEN name = '' OR name = phone THEN COALESCE(NULLIF($2, ''), name) ELSE name END,
			phone = CASE WHEN phone = '' THEN $3 ELSE phone END,
			email = CASE WHEN email = '' THEN $4 ELSE email END
			WHERE id = $1 RETURNING `+contactCols, c.ID, ic.Name, ic.Phone, ic.Email))
		if err != nil {
			return desk.Contact{}, fmt.Errorf("store: update contact: %w", err)
		}
	}
	return c, t.setLanguage(&c, ic.Language)
}

// fillsGaps reports whether ic fills a detail c lacks (contactFor's UPDATE
// would change the row): a contact writing again costs no write.
func fillsGaps(c desk.Contact, ic InboundContact) bool {
	return (ic.Name != "" && (c.Name == "" || c.Name == c.Phone) && ic.Name != c.Name) ||
		(ic.Phone != "" && c.Phone == "") || (ic.Email != "" && c.Email == "")
}

// prefixed qualifies each of a comma-separated column list with p.
func prefixed(p, cols string) string {
	parts := strings.Split(cols, ",")
	for i, c := range parts {
		parts[i] = p + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}
