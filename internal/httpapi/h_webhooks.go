package httpapi

import (
	"context"
	"net/http"

	"github.com/relevo/relevo/internal/desk"
)

// WhatsApp is the WhatsApp Cloud API channel as the HTTP layer needs it:
// Meta's webhook (handshake and notifications, answered by the channel
// itself since Meta, not a Relevo client, reads the answer), the template
// sync and the connection check admins trigger.
type WhatsApp interface {
	ServeVerify(w http.ResponseWriter, r *http.Request, channelID string)
	ServeWebhook(w http.ResponseWriter, r *http.Request, channelID string)
	SyncTemplates(ctx context.Context, channelID string) ([]desk.Template, error)
	// Check calls the Graph API with the channel's settings and words
	// what is wrong (h_whatsapp_settings.go).
	Check(ctx context.Context, channelID string) (desk.ChannelCheck, error)
}

func (s *Server) whatsappVerify(w http.ResponseWriter, r *http.Request) {
	if s.whatsapp == nil {
		writeError(w, r, s.log, desk.NotFound("whatsapp channel"))
		return
	}
	s.whatsapp.ServeVerify(w, r, r.PathValue("channel_id"))
}

func (s *Server) whatsappWebhook(w http.ResponseWriter, r *http.Request) {
	if s.whatsapp == nil {
		writeError(w, r, s.log, desk.NotFound("whatsapp channel"))
		return
	}
	s.whatsapp.ServeWebhook(w, r, r.PathValue("channel_id"))
}

// syncTemplates reads the channel's templates from its WhatsApp Business
// Account; roles set in Relevo are kept.
func (s *Server) syncTemplates(w http.ResponseWriter, r *http.Request) {
	if s.whatsapp == nil {
		writeError(w, r, s.log, desk.NotFound("whatsapp channel"))
		return
	}
	list, err := s.whatsapp.SyncTemplates(r.Context(), r.PathValue("id"))
	s.respond(w, r, newPage(list, ""), err)
}
