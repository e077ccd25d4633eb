package httpapi

import (
	"context"
	"net/http"

	"github.com/relevo/relevo/internal/desk"
)

// ICESource makes a caller's ICE configuration (ice.Service).
type ICESource interface {
	For(ctx context.Context, subject string) (desk.IceConfig, error)
	// Relay is this node's relay's turn: URLs (none: off).
	Relay() []string
}

// callsICE answers the signed-in user's ICE configuration: TURN
// credentials made for their own id.
func (s *Server) callsICE(w http.ResponseWriter, r *http.Request) {
	a := actorOf(r)
	cfg, err := s.ice.For(r.Context(), a.User.ID)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	writeJSON(w, http.StatusOK, cfg)
}
