package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/httpkit"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/widgetapi"
)

// Message limits of the widget.
const (
	maxSendBody    = 64 << 10
	maxClientMsgID = 100
	maxPayload     = 200
	maxAttachments = 10
)

// ServeMessages lists the visitor's conversation as the customer sees it.
func (s *Service) ServeMessages(w http.ResponseWriter, r *http.Request) {
	res, err := s.messagesOf(w, r)
	if err != nil {
		httpkit.WriteError(w, r, s.log, err)
		return
	}
	httpkit.WriteJSON(w, http.StatusOK, res)
}

func (s *Service) messagesOf(w http.ResponseWriter, r *http.Request) (widgetapi.WidgetMessages, error) {
	res := widgetapi.WidgetMessages{Items: []widgetapi.WidgetMessage{}}
	v, err := s.authenticate(w, r, false)
	if err != nil {
		return res, err
	}
	q := r.URL.Query()
	limit, err := intParam(q.Get("limit"), "limit", 50, 1, 200)
	if err != nil {
		return res, err
	}
	var after *int64
	if raw := q.Get("after_seq"); raw != "" {
		n, err := intParam(raw, "after_seq", 0, 0, 1<<53)
		if err != nil {
			return res, err
		}
		a := int64(n)
		after = &a
	}
	ctx := r.Context()
	var conv desk.Conversation
	if id := q.Get("conversation_id"); id != "" {
		conv, err = s.ownConversation(ctx, v, id)
	} else {
		conv, err = s.store.WidgetConversation(ctx, v.ChannelID, v.ContactID)
		if desk.IsCode(err, desk.CodeNotFound) {
			return res, nil // nothing written yet
		}
	}
	if err != nil {
		return res, err
	}
	msgs, err := s.store.CustomerMessages(ctx, conv.ID, after, limit)
	if err != nil {
		return res, err
	}
	wc := s.conversationView(ctx, conv)
	res.Conversation = &wc
	bot := s.botName(ctx, conv.BotID)
	for _, m := range msgs {
		res.Items = append(res.Items, messageView(m, v.ContactID, bot))
	}
	return res, nil
}

// ownConversation reads a conversation of the visitor's contact on its
// channel; any other is not found, exactly like one that does not exist.
func (s *Service) ownConversation(ctx context.Context, v visitor, id string) (desk.Conversation, error) {
	c, err := s.store.GetConversation(ctx, desk.SystemActor, id)
	if err != nil || c.Contact.ID != v.ContactID || c.ChannelID != v.ChannelID {
		return desk.Conversation{}, desk.NotFound("conversation")
	}
	return c, nil
}

// ServeSend stores the visitor's message as an inbound customer message:
// the conversation opens or continues, the bot or the agent hears of it.
func (s *Service) ServeSend(w http.ResponseWriter, r *http.Request) {
	m, err := s.send(w, r)
	if err != nil {
		httpkit.WriteError(w, r, s.log, err)
		return
	}
	httpkit.WriteJSON(w, http.StatusOK, m)
}

func (s *Service) send(w http.ResponseWriter, r *http.Request) (widgetapi.WidgetMessage, error) {
	v, err := s.authenticate(w, r, false)
	if err != nil {
		return widgetapi.WidgetMessage{}, err
	}
	if err := s.messages.Allow("token:" + v.tokenHash); err != nil {
		return widgetapi.WidgetMessage{}, err
	}
	var in widgetapi.WidgetSendRequest
	if err := httpkit.DecodeJSON(w, r, &in, maxSendBody); err != nil {
		return widgetapi.WidgetMessage{}, err
	}
	if err := checkSend(in); err != nil {
		return widgetapi.WidgetMessage{}, err
	}
	ctx := r.Context()
	var atts []desk.Attachment
	for _, id := range in.AttachmentIDs {
		// Only the visitor's own uploads: an upload id is no capability.
		u, err := s.store.UploadFile(ctx, id)
		if err != nil || u.CreatedBy != v.uploader() {
			return widgetapi.WidgetMessage{}, desk.Invalid("attachment_ids", "no such upload %s", id)
		}
		atts = append(atts, u.Attachment)
	}
	kind := desk.KindText
	if len(atts) > 0 {
		kind = desk.KindOfMime(atts[0].Mime)
	}
	res, err := s.store.Inbound(ctx, v.ChannelID, store.InboundContact{ExternalID: v.ExternalID},
		store.InboundMessage{ExternalID: externalID(v.ContactID, in.ID), Kind: kind, Text: in.Text, Attachments: atts,
			Extra: desk.MessageExtra{Payload: in.Payload}})
	if err != nil {
		return widgetapi.WidgetMessage{}, err
	}
	if res.Message != nil { // as its transaction wrote it: no read after the commit
		return messageView(*res.Message, v.ContactID, ""), nil
	}
	m, err := s.store.GetMessage(ctx, res.MessageID)
	if err != nil {
		return widgetapi.WidgetMessage{}, err
	}
	return messageView(m, v.ContactID, ""), nil
}

// checkSend validates a visitor's message before anything is read.
func checkSend(in widgetapi.WidgetSendRequest) error {
	switch {
	case in.ID == "" || len(in.ID) > maxClientMsgID:
		return desk.Invalid("id", "required, at most %d bytes", maxClientMsgID)
	case desk.CheckTextLen("text", in.Text) != nil:
		return desk.CheckTextLen("text", in.Text)
	case len(in.AttachmentIDs) > maxAttachments:
		return desk.Invalid("attachment_ids", "at most %d", maxAttachments)
	case len(in.Payload) > maxPayload:
		return desk.Invalid("payload", "at most %d bytes", maxPayload)
	case strings.TrimSpace(in.Text) == "" && len(in.AttachmentIDs) == 0 && in.Payload == "":
		return desk.Invalid("text", "text, attachment_ids or payload required")
	}
	return nil
}

// externalID is the stored message id of a visitor's message: the contact
// is part of it, so one visitor's ids can never collide with another's.
func externalID(contactID, clientID string) string { return "w:" + contactID + ":" + clientID }

// messageView is m as its customer sees it: names without ids (the bot
// under its own name), the widget's own id for its messages, files at the
// widget's download route.
func messageView(m desk.Message, contactID, botName string) widgetapi.WidgetMessage {
	out := widgetapi.WidgetMessage{ID: m.ID, ConversationID: m.ConversationID, Seq: m.Seq,
		Author: widgetapi.WidgetAuthor{Type: m.Author.Type, Name: m.Author.Name}, Kind: m.Kind, Text: m.Text,
		Attachments: make([]desk.Attachment, 0, len(m.Attachments)), Buttons: m.Buttons, Status: m.Status, CreatedAt: m.CreatedAt}
	if m.Author.Type == desk.AuthorBot && botName != "" {
		out.Author.Name = botName
	}
	if m.Event != nil && m.Event.Call != nil {
		// Only what the line needs: no actor, no media or who started it.
		out.Call = &widgetapi.WidgetCallLine{ID: m.Event.Call.ID, Event: m.Event.Type, DurationSeconds: m.Event.Call.DurationSeconds}
	}
	for _, a := range m.Attachments {
		a.URL = "/widget/v1/uploads/" + a.ID
		out.Attachments = append(out.Attachments, a)
	}
	if m.Author.Type == desk.AuthorContact {
		if id, ok := strings.CutPrefix(m.ExternalID, "w:"+contactID+":"); ok {
			out.ClientID = id
		}
	}
	return out
}

// conversationView is where the conversation stands for its customer: the
// agent's name while one talks with it, never staff ids.
func (s *Service) conversationView(ctx context.Context, c desk.Conversation) widgetapi.WidgetConversation {
	wc := widgetapi.WidgetConversation{ID: c.ID, Phase: c.Phase, Seq: c.Seq}
	if c.Phase == desk.PhaseHuman && c.AssigneeID != nil {
		if u, err := s.store.GetUser(ctx, *c.AssigneeID); err == nil {
			wc.Agent = u.Name
		}
	}
	wc.CSAT = s.csatView(ctx, c)
	return wc
}

// botNames caches bots' names for messageView: bot messages are stored
// under a generic name, customers see the bot's.
type botNames struct {
	mu    sync.Mutex
	names map[string]botName
}

type botName struct {
	name string
	read time.Time
}

// botName is a bot's name, read at most once a minute.
func (s *Service) botName(ctx context.Context, id string) string {
	c := &s.bots
	c.mu.Lock()
	n, ok := c.names[id]
	c.mu.Unlock()
	if ok && time.Since(n.read) < time.Minute {
		return n.name
	}
	b, err := s.store.GetBot(ctx, id)
	if err != nil {
		return n.name
	}
	c.mu.Lock()
	if c.names == nil || len(c.names) > 10_000 {
		c.names = map[string]botName{}
	}
	c.names[id] = botName{name: b.Name, read: time.Now()}
	c.mu.Unlock()
	return b.Name
}

func intParam(raw, name string, def, lo, hi int) (int, error) {
	if raw == "" {
		return def, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < lo || n > hi {
		return 0, desk.Invalid(name, "must be an integer between %d and %d", lo, hi)
	}
	return n, nil
}
