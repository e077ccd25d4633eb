package httpapi

import (
	"net/http"

	"github.com/relevo/relevo/internal/desk"
)

// botSecretResponse answers a rotated webhook secret: the one time it is
// shown.
type botSecretResponse struct {
	WebhookSecret string `json:"webhook_secret"`
}

// scopedBot reads the bot of the path if the caller may see it; another
// bot's answers not_found, so its existence never leaks.
func (s *Server) scopedBot(r *http.Request) (desk.Bot, error) {
	id := r.PathValue("id")
	if !actorOf(r).CanSeeBot(id) {
		return desk.Bot{}, desk.NotFound("bot")
	}
	return s.store.GetBot(r.Context(), id)
}

func (s *Server) testBotWebhook(w http.ResponseWriter, r *http.Request) {
	b, err := s.scopedBot(r)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	row, err := s.botEvents.Ping(r.Context(), b)
	s.respond(w, r, row, err)
}

func (s *Server) listBotDeliveries(w http.ResponseWriter, r *http.Request) {
	b, err := s.scopedBot(r)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	list, err := s.store.ListBotDeliveries(r.Context(), b.ID)
	s.respond(w, r, newPage(list, ""), err)
}

func (s *Server) rotateBotSecret(w http.ResponseWriter, r *http.Request) {
	b, err := s.scopedBot(r)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	secret, err := s.store.RotateBotSecret(r.Context(), b.ID)
	s.respond(w, r, botSecretResponse{WebhookSecret: secret}, err)
}
