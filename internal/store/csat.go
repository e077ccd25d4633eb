package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/relevo/relevo/internal/botapi"
	"github.com/relevo/relevo/internal/desk"
)

// CSATPayloadPrefix starts the payload of the rating choices sent on
// messaging channels ("csat:4"), so a customer's press is told apart from
// a menu's.
const CSATPayloadPrefix = "csat:"

// askCSAT asks the customer of a conversation an agent just resolved for a
// rating, when the bot asks (desk.ShouldAskCSAT). The web widget shows
// the survey in its panel from csat_asked_at; WhatsApp gets a list of the
// five scores, but only inside the 24-hour window (a template would be
// needed outside it, and a survey is no reason to pay for one): outside,
// a csat_not_asked event says so. Other channels are not asked.
func (t *txn) askCSAT(c *desk.Conversation, bot desk.Bot, actor desk.Actor, assignee *string) error {
	before := *c
	before.AssigneeID = assignee
	if !desk.ShouldAskCSAT(bot.CSAT, before, actor) {
		return nil
	}
	switch c.ChannelType {
	case desk.ChannelWeb:
	case desk.ChannelWhatsApp:
		if !c.WindowOpen(t.now) {
			return t.addEvent(c, desk.SystemActor, desk.Event{Type: desk.EventCSATNotAsked},
				"Satisfaction survey not sent: the 24-hour window is closed")
		}
		contact, err := readContact(t.ctx, t.tx, c.Contact.ID)
		if err != nil {
			return err
		}
		m := &desk.Message{Author: desk.Author{Type: desk.AuthorSystem, Name: bot.Name}, Kind: desk.KindText,
			Text: bot.CSAT.QuestionFor(contact.Attributes[desk.LanguageAttribute]), Status: desk.StatusPending,
			MessageExtra: desk.MessageExtra{Buttons: csatButtons()}}
		if err := t.addMessage(c, m); err != nil {
			return err
		}
		if err := t.enqueue(OutboxMessage, c, m.ID, nil, nil); err != nil {
			return err
		}
	default:
		return nil
	}
	// Asked once: a conversation resolved again after a reopen keeps its
	// first survey.
	_, err := t.exec(`UPDATE conversations SET csat_asked_at = $2 WHERE id = $1 AND csat_asked_at IS NULL`, c.ID, ms(t.now))
	return err
}

// csatButtons are the five scores as choices, best last like the widget.
func csatButtons() []desk.Button {
	out := make([]desk.Button, 0, 5)
	for i := 1; i <= 5; i++ {
		out = append(out, desk.Button{ID: CSATPayloadPrefix + strconv.Itoa(i), Title: strings.Repeat("★", i) + " " + strconv.Itoa(i)})
	}
	return out
}

// CSATOf reads where a conversation's survey stands.
func (s *Store) CSATOf(ctx context.Context, conversationID string) (desk.CSATState, error) {
	return csatOf(ctx, s.r, conversationID)
}

func csatOf(ctx context.Context, q querier, id string) (desk.CSATState, error) {
	var st desk.CSATState
	var asked, at, score sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT csat_asked_at, csat_score, csat_comment, csat_at FROM conversations WHERE id = $1`, id).
		Scan(&asked, &score, &st.Comment, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return st, desk.NotFound("conversation")
	}
	if err != nil {
		return st, fmt.Errorf("store: csat: %w", err)
	}
	if asked.Valid {
		v := fromMS(asked.Int64)
		st.AskedAt = &v
	}
	if score.Valid {
		n := int(score.Int64)
		st.Score = &n
	}
	if at.Valid {
		v := fromMS(at.Int64)
		st.AnsweredAt = &v
	}
	return st, nil
}

// AnswerCSAT stores a customer's rating of a conversation, once: the
// update is a compare-and-set on csat_score IS NULL, so of two answers
// (two tabs, a repeated WhatsApp press, two nodes) one wins and the other
// is told csat_already_answered; one after desk.CSATAnswerWindow, or on a
// conversation never asked, is csat_closed. The caller checked the
// customer owns the conversation.
func (s *Store) AnswerCSAT(ctx context.Context, conversationID string, a desk.CSATAnswer) (desk.CSATState, error) {
	if err := desk.CheckCSATAnswer(&a); err != nil {
		return desk.CSATState{}, err
	}
	var st desk.CSATState
	err := s.tx(ctx, func(t *txn) error {
		var err error
		st, err = t.answerCSAT(conversationID, a)
		return err
	})
	return st, err
}

func (t *txn) answerCSAT(id string, a desk.CSATAnswer) (desk.CSATState, error) {
	res, err := t.exec(`UPDATE conversations SET csat_score = $2, csat_comment = $3, csat_at = $4
		WHERE id = $1 AND csat_score IS NULL AND csat_asked_at IS NOT NULL AND csat_asked_at >= $5`,
		id, a.Score, a.Comment, ms(t.now), ms(t.now.Add(-desk.CSATAnswerWindow)))
	if err != nil {
		return desk.CSATState{}, fmt.Errorf("store: answer csat: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		st, err := csatOf(t.ctx, t.tx, id)
		if err != nil {
			return st, err
		}
		if err := desk.CheckCSATOpen(st, t.now); err != nil {
			return st, err
		}
		return st, desk.Errorf(desk.CodeConflict, "the rating changed meanwhile")
	}
	c, err := t.s.getConversation(t.ctx, t.tx, id, "")
	if err != nil {
		return desk.CSATState{}, err
	}
	text := fmt.Sprintf("Customer rating: %d/5", a.Score)
	if a.Comment != "" {
		text += ": " + a.Comment
	}
	ans := a
	m := &desk.Message{Author: desk.Author{Type: desk.AuthorSystem, Name: c.Contact.Name}, Kind: desk.KindEvent, Text: text,
		Event: &desk.Event{Type: desk.EventCSAT, CSAT: &ans}, Status: desk.StatusSent}
	if err := t.addMessage(&c, m); err != nil {
		return desk.CSATState{}, err
	}
	bot, err := t.loadBot(c.BotID)
	if err != nil {
		return desk.CSATState{}, err
	}
	if bot.WebhookURL != "" {
		ev := botapi.Event{ID: t.s.ids.New(), Type: botapi.EventCSAT, BotID: bot.ID, ConversationID: c.ID, Phase: c.Phase,
			AssigneeID: c.AssigneeID, TeamID: c.TeamID, CSAT: &ans, CreatedAt: t.now}
		body, err := json.Marshal(ev)
		if err != nil {
			return desk.CSATState{}, err
		}
		if err := t.enqueue(OutboxBotEvent, &c, "", nil, body); err != nil {
			return desk.CSATState{}, err
		}
	}
	return csatOf(t.ctx, t.tx, id)
}

// csatReply answers a survey from a pressed choice (payload "csat:N") on
// a messaging channel: the contact's latest asked conversation on ch
// takes it. handled is false when the contact has none, so the press
// goes in as an ordinary message; a repeated or late press is handled
// and changes nothing.
func (t *txn) csatReply(ch desk.Channel, contact desk.Contact, payload string, res *InboundResult) (handled bool, err error) {
	score, err := strconv.Atoi(strings.TrimPrefix(payload, CSATPayloadPrefix))
	if err != nil || score < 1 || score > 5 {
		return false, nil
	}
	var id string
	err = t.queryRow(`SELECT id FROM conversations WHERE contact_id = $1 AND channel_id = $2 AND csat_asked_at IS NOT NULL
		ORDER BY csat_asked_at DESC LIMIT 1`, contact.ID, ch.ID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("store: csat reply: %w", err)
	}
	*res = InboundResult{ConversationID: id, Duplicate: true}
	if _, err := t.answerCSAT(id, desk.CSATAnswer{Score: score}); err != nil && !desk.IsCode(err, desk.CodeCSATAnswered) &&
		!desk.IsCode(err, desk.CodeCSATClosed) {
		return true, err
	}
	return true, nil
}
