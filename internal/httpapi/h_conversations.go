package httpapi

import (
	"net/http"
	"strconv"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
)

// The customer's own words (name, text) are stripped of what the text
// rules refuse rather than refused, so a stray control character never
// loses a customer's message; ids are the integration's and refused.
type inboundContact struct {
	ExternalID string `json:"external_id" required:"true"`
	Name       string `json:"name" text:"strip-line"`
	Phone      string `json:"phone" text:"strip-line"`
	Email      string `json:"email" text:"strip-line"`
}

type inboundMessage struct {
	ID            string   `json:"id" required:"true"`
	Text          string   `json:"text" text:"strip"`
	AttachmentIDs []string `json:"attachments"`
}

type inboundRequest struct {
	Contact inboundContact `json:"contact" required:"true"`
	Message inboundMessage `json:"message" required:"true"`
}

type inboundResponse struct {
	ConversationID string `json:"conversation_id"`
	MessageID      string `json:"message_id"`
	Duplicate      bool   `json:"duplicate"`
}

// inbound stores a customer message arriving through an API channel. It
// answers only after the message is committed; a repeat of the same
// message id is acknowledged with the first one's ids.
func (s *Server) inbound(w http.ResponseWriter, r *http.Request) {
	var in inboundRequest
	if err := decodeJSON(w, r, &in, defaultBodyLimit); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	ctx := r.Context()
	ch, err := s.store.GetChannel(ctx, r.PathValue("id"))
	if err == nil && (ch.Type != desk.ChannelAPI || !actorOf(r).ActsAsBot(ch.BotID)) {
		err = desk.NotFound("channel")
	}
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	// The text's limit (desk.MaxTextLen characters) is the store's, as for
	// every channel.
	if len(in.Contact.ExternalID) > 200 {
		writeError(w, r, s.log, desk.Invalid("contact.external_id", "at most 200 bytes"))
		return
	}
	if len(in.Message.ID) > 200 {
		writeError(w, r, s.log, desk.Invalid("message.id", "at most 200 bytes"))
		return
	}
	if err := s.checkAttachable(ctx, actorOf(r), "message.attachments", in.Message.AttachmentIDs); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	var atts []desk.Attachment
	for _, id := range in.Message.AttachmentIDs {
		a, err := s.store.GetUpload(ctx, id)
		if err != nil {
			writeError(w, r, s.log, desk.Invalid("message.attachments", "no such upload %s", id))
			return
		}
		atts = append(atts, a)
	}
	kind := desk.KindText
	if len(atts) > 0 {
		kind = desk.KindOfMime(atts[0].Mime)
	}
	res, err := s.store.Inbound(ctx, ch.ID,
		store.InboundContact{ExternalID: in.Contact.ExternalID, Name: in.Contact.Name, Phone: in.Contact.Phone, Email: in.Contact.Email},
		store.InboundMessage{ExternalID: in.Message.ID, Kind: kind, Text: in.Message.Text, Attachments: atts})
	s.respond(w, r, inboundResponse{ConversationID: res.ConversationID, MessageID: res.MessageID, Duplicate: res.Duplicate}, err)
}

func (s *Server) listConversations(w http.ResponseWriter, r *http.Request) {
	f, err := conversationFilter(r)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	list, next, err := s.store.ListConversations(r.Context(), actorOf(r), f)
	s.respond(w, r, newPage(s.forCaller(r, list), next), err)
}

func (s *Server) getConversation(w http.ResponseWriter, r *http.Request) {
	c, err := s.store.GetConversation(r.Context(), actorOf(r), r.PathValue("id"))
	s.respondConv(w, r, c, err)
}

func (s *Server) listMessages(w http.ResponseWriter, r *http.Request) {
	limit, err := queryInt(r, "limit", 50, 1, 200)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	p := store.MessagePage{Limit: limit}
	if cur := r.URL.Query().Get("cursor"); cur != "" {
		// next_cursor continues an after_seq walk; clients pass it back as
		// ?cursor= like on every list (API.md), so it must be read here or
		// the second page silently becomes "the latest messages".
		n, err := strconv.ParseInt(cur, 10, 64)
		if err != nil || n < 0 {
			writeError(w, r, s.log, desk.Invalid("cursor", "not a cursor this server gave"))
			return
		}
		p.AfterSeq = &n
	} else if r.URL.Query().Has("after_seq") {
		after, err := queryInt(r, "after_seq", 0, 0, 1<<62)
		if err != nil {
			writeError(w, r, s.log, err)
			return
		}
		a := int64(after)
		p.AfterSeq = &a
	}
	before, err := queryInt(r, "before_seq", 0, 0, 1<<62)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	p.BeforeSeq = int64(before)
	msgs, err := s.store.ListMessages(r.Context(), actorOf(r), r.PathValue("id"), p)
	next := ""
	if err == nil && p.AfterSeq != nil && len(msgs) == limit {
		next = itoa64(msgs[len(msgs)-1].Seq)
	}
	s.respond(w, r, newPage(msgs, next), err)
}

type templateRequest struct {
	ID     string   `json:"id" required:"true"`
	Params []string `json:"params"`
}

type sendRequest struct {
	Text          string           `json:"text" text:"multiline"`
	AttachmentIDs []string         `json:"attachment_ids"`
	Template      *templateRequest `json:"template"`
	ClientID      string           `json:"client_id"`
	// Buttons are quick replies offered with the text (external bots).
	Buttons []buttonRequest `json:"buttons"`
}

func (s *Server) send(w http.ResponseWriter, r *http.Request) {
	var in sendRequest
	if err := decodeJSON(w, r, &in, defaultBodyLimit); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	if err := s.checkAttachable(r.Context(), actorOf(r), "attachment_ids", in.AttachmentIDs); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	si := store.SendInput{Text: in.Text, AttachmentIDs: in.AttachmentIDs, ClientID: in.ClientID, Buttons: buttons(in.Buttons)}
	if in.Template != nil {
		si.Template = &store.TemplateSend{ID: in.Template.ID, Params: in.Template.Params}
	}
	m, err := s.store.Send(r.Context(), actorOf(r), r.PathValue("id"), si)
	s.respond(w, r, m, err)
}

type textRequest struct {
	Text string `json:"text" text:"multiline" required:"true"`
}

func (s *Server) addNote(w http.ResponseWriter, r *http.Request) {
	var in textRequest
	if err := decodeJSON(w, r, &in, defaultBodyLimit); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	m, err := s.store.AddNote(r.Context(), actorOf(r), r.PathValue("id"), in.Text)
	s.respond(w, r, m, err)
}

type handoverRequest struct {
	TeamID string `json:"team_id"`
	Note   string `json:"note" text:"multiline"`
}

func (s *Server) handover(w http.ResponseWriter, r *http.Request) {
	var in handoverRequest
	if err := decodeOptionalJSON(w, r, &in, defaultBodyLimit); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	if len(in.Note) > 2000 {
		writeError(w, r, s.log, desk.Invalid("note", "at most 2000 characters"))
		return
	}
	c, err := s.store.Handover(r.Context(), actorOf(r), r.PathValue("id"), store.HandoverInput{TeamID: in.TeamID, Note: in.Note})
	s.respondConv(w, r, c, err)
}

type assignRequest struct {
	AgentID string `json:"agent_id"`
}

func (s *Server) assign(w http.ResponseWriter, r *http.Request) {
	var in assignRequest
	if err := decodeOptionalJSON(w, r, &in, defaultBodyLimit); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	c, err := s.store.Assign(r.Context(), actorOf(r), r.PathValue("id"), store.AssignInput{AgentID: in.AgentID})
	s.respondConv(w, r, c, err)
}

func (s *Server) unassign(w http.ResponseWriter, r *http.Request) {
	c, err := s.store.Unassign(r.Context(), actorOf(r), r.PathValue("id"))
	s.respondConv(w, r, c, err)
}

type transferRequest struct {
	AgentID  string `json:"agent_id"`
	TeamID   string `json:"team_id"`
	ReasonID string `json:"reason_id" required:"true"`
	Note     string `json:"note" text:"multiline"`
}

func (in transferRequest) input() store.TransferInput {
	return store.TransferInput{AgentID: in.AgentID, TeamID: in.TeamID, ReasonID: in.ReasonID, Note: in.Note}
}

func (s *Server) transfer(w http.ResponseWriter, r *http.Request) {
	var in transferRequest
	if err := decodeJSON(w, r, &in, defaultBodyLimit); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	c, err := s.store.Transfer(r.Context(), actorOf(r), r.PathValue("id"), in.input())
	s.respondConv(w, r, c, err)
}

func (s *Server) resolve(w http.ResponseWriter, r *http.Request) {
	c, err := s.store.Resolve(r.Context(), actorOf(r), r.PathValue("id"))
	s.respondConv(w, r, c, err)
}

func (s *Server) blockConversation(w http.ResponseWriter, r *http.Request) {
	c, err := s.store.BlockContact(r.Context(), actorOf(r), r.PathValue("id"))
	s.respondConv(w, r, c, err)
}

func (s *Server) addTag(w http.ResponseWriter, r *http.Request) {
	c, err := s.store.AddTag(r.Context(), actorOf(r), r.PathValue("id"), r.PathValue("tag_id"))
	s.respondConv(w, r, c, err)
}

func (s *Server) removeTag(w http.ResponseWriter, r *http.Request) {
	c, err := s.store.RemoveTag(r.Context(), actorOf(r), r.PathValue("id"), r.PathValue("tag_id"))
	s.respondConv(w, r, c, err)
}

func (s *Server) markRead(w http.ResponseWriter, r *http.Request) {
	c, err := s.store.MarkRead(r.Context(), actorOf(r), r.PathValue("id"))
	s.respondConv(w, r, c, err)
}

func (s *Server) markUnread(w http.ResponseWriter, r *http.Request) {
	c, err := s.store.MarkUnread(r.Context(), actorOf(r), r.PathValue("id"))
	s.respondConv(w, r, c, err)
}

type bulkRequest struct {
	Action   string   `json:"action" required:"true"`
	IDs      []string `json:"ids" required:"true"`
	AgentID  string   `json:"agent_id"`
	TeamID   string   `json:"team_id"`
	ReasonID string   `json:"reason_id"`
	Note     string   `json:"note" text:"multiline"`
}

type bulkResponse struct {
	Results []store.BulkResult `json:"results"`
}

func (s *Server) bulk(w http.ResponseWriter, r *http.Request) {
	var in bulkRequest
	if err := decodeJSON(w, r, &in, defaultBodyLimit); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	tr := transferRequest{AgentID: in.AgentID, TeamID: in.TeamID, ReasonID: in.ReasonID, Note: in.Note}
	res, err := s.store.Bulk(r.Context(), actorOf(r), store.BulkInput{Action: in.Action, IDs: in.IDs, Transfer: tr.input()})
	for _, one := range res {
		if one.Conversation != nil {
			one.Conversation.ForViewer(actorOf(r), s.store.Now())
		}
	}
	s.respond(w, r, bulkResponse{Results: res}, err)
}

// respondConv answers one conversation with what the caller may do with it
// now: desk.AllowedActions, computed for this caller alone, so the console
// offers exactly what the server accepts and mirrors no rule.
func (s *Server) respondConv(w http.ResponseWriter, r *http.Request, c desk.Conversation, err error) {
	if err == nil {
		c.ForViewer(actorOf(r), s.store.Now())
	}
	s.respond(w, r, c, err)
}

// forCaller sets allowed_actions on each conversation of a list.
func (s *Server) forCaller(r *http.Request, list []desk.Conversation) []desk.Conversation {
	now, a := s.store.Now(), actorOf(r)
	for i := range list {
		list[i].ForViewer(a, now)
	}
	return list
}
