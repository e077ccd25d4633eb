package httpapi

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
)

// newCannedRequest is POST /api/v1/canned-replies: a bot's reply (bot_id)
// or the caller's own (personal: true), exactly one of the two.
type newCannedRequest struct {
	BotID    *string `json:"bot_id"`
	Personal bool    `json:"personal"`
	// Shortcut is what follows "/" in the composer: 1..32 of [a-z0-9_-].
	Shortcut string `json:"shortcut" required:"true"`
	// Text may hold {contact.name}, {agent.name}, {protocol} and
	// {contact.<attribute>}; any other {variable} is refused.
	Text string `json:"text" required:"true" text:"multiline"`
	// AttachmentIDs are uploads (POST /api/v1/uploads) sent with the text
	// when the reply is used; at most one.
	AttachmentIDs []string `json:"attachment_ids"`
}

// cannedPatchRequest is PATCH /api/v1/canned-replies/{id}; absent fields stay.
type cannedPatchRequest struct {
	Shortcut *string `json:"shortcut"`
	Text     *string `json:"text" text:"multiline"`
	// AttachmentIDs replaces the reply's files; [] removes them.
	AttachmentIDs *[]string `json:"attachment_ids"`
}

// maxCannedQuery bounds the search: longer than any shortcut or a
// sentence worth typing after "/".
const maxCannedQuery = 200

func (s *Server) listCanned(w http.ResponseWriter, r *http.Request) {
	a := actorOf(r)
	q := r.URL.Query().Get("q")
	if utf8.RuneCountInString(q) > maxCannedQuery {
		writeError(w, r, s.log, desk.Invalid("q", "at most %d characters", maxCannedQuery))
		return
	}
	bots := desk.BotScope(a)
	if bot := strings.TrimSpace(r.URL.Query().Get("bot")); bot != "" {
		if !a.CanSeeBot(bot) {
			writeError(w, r, s.log, desk.NotFound("bot"))
			return
		}
		bots = []string{bot}
	}
	out, err := s.store.ListCanned(r.Context(), a, bots, q)
	s.respond(w, r, newPage(out, ""), err)
}

func (s *Server) createCanned(w http.ResponseWriter, r *http.Request) {
	var in newCannedRequest
	if err := decodeJSON(w, r, &in, defaultBodyLimit); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	if (in.BotID != nil && *in.BotID != "") == in.Personal {
		writeError(w, r, s.log, desk.Invalid("bot_id", "give either bot_id (a bot's reply) or personal: true (your own)"))
		return
	}
	if err := s.checkAttachable(r.Context(), actorOf(r), "attachment_ids", in.AttachmentIDs); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	c := desk.CannedReply{Shortcut: in.Shortcut, Text: in.Text}
	for _, id := range in.AttachmentIDs {
		c.Attachments = append(c.Attachments, desk.Attachment{ID: id})
	}
	if !in.Personal {
		c.BotID = in.BotID
	}
	out, err := s.store.CreateCanned(r.Context(), actorOf(r), c)
	s.respond(w, r, out, err)
}

func (s *Server) patchCanned(w http.ResponseWriter, r *http.Request) {
	var in cannedPatchRequest
	if err := decodeJSON(w, r, &in, defaultBodyLimit); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	if in.AttachmentIDs != nil {
		if err := s.checkAttachable(r.Context(), actorOf(r), "attachment_ids", *in.AttachmentIDs); err != nil {
			writeError(w, r, s.log, err)
			return
		}
	}
	out, err := s.store.UpdateCanned(r.Context(), actorOf(r), r.PathValue("id"), store.CannedPatch{Shortcut: in.Shortcut, Text: in.Text, AttachmentIDs: in.AttachmentIDs})
	s.respond(w, r, out, err)
}

func (s *Server) deleteCanned(w http.ResponseWriter, r *http.Request) {
	s.noContent(w, r, s.store.DeleteCanned(r.Context(), actorOf(r), r.PathValue("id")))
}
