package httpapi

import (
	"net/http"
	"time"

	"github.com/relevo/relevo/internal/auth"
	"github.com/relevo/relevo/internal/desk"
)

// What admins set up of a WhatsApp channel besides its config: the
// connection check, the verify token a new channel gets, and who may send
// each of its templates.

// checkChannel calls the Graph API with a WhatsApp channel's settings and
// answers what is wrong in words (a refusal by Meta is a 200 answer with
// problems; only a channel that is not WhatsApp is refused).
func (s *Server) checkChannel(w http.ResponseWriter, r *http.Request) {
	if s.whatsapp == nil {
		writeError(w, r, s.log, desk.NotFound("whatsapp channel"))
		return
	}
	out, err := s.whatsapp.Check(r.Context(), r.PathValue("id"))
	s.respond(w, r, out, err)
}

// withVerifyToken gives a new WhatsApp channel a verify token when the
// admin chose none: random and URL-safe, readable by admins to paste into
// Meta's dashboard.
func withVerifyToken(c *desk.Channel) error {
	if c.Type != desk.ChannelWhatsApp {
		return nil
	}
	tok, _, err := auth.NewToken("")
	if err != nil {
		return err
	}
	c.Config = desk.WithVerifyToken(c.Config, tok)
	return nil
}

// channelTemplates is a channel's templates as admins manage them.
type channelTemplates struct {
	// Items are every template of the channel, whatever Meta's status.
	Items []desk.Template `json:"items"`
	// SyncedAt is when the templates were last read from Meta (null: never).
	SyncedAt *time.Time `json:"synced_at"`
}

// listChannelTemplates answers every template of a channel the caller's
// bots include, with its status and category, for the templates settings.
func (s *Server) listChannelTemplates(w http.ResponseWriter, r *http.Request) {
	a := actorOf(r)
	ch, err := s.store.GetChannel(r.Context(), r.PathValue("id"))
	if err == nil && !a.CanSeeBot(ch.BotID) {
		err = desk.NotFound("channel")
	}
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	list, synced, err := s.store.ChannelTemplates(r.Context(), ch.ID)
	s.respond(w, r, channelTemplates{Items: list, SyncedAt: synced}, err)
}

// templateRolesRequest is PATCH /api/v1/templates/{id}: who is offered the
// template (admins always are).
type templateRolesRequest struct {
	Roles []desk.Role `json:"roles" required:"true"`
}

func (s *Server) patchTemplate(w http.ResponseWriter, r *http.Request) {
	var in templateRolesRequest
	if err := decodeJSON(w, r, &in, defaultBodyLimit); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	t, err := s.store.SetTemplateRoles(r.Context(), r.PathValue("id"), in.Roles)
	s.respond(w, r, t, err)
}
