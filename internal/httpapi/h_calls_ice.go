package httpapi

import (
	"context"
	"net/http"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/ice"
)

// ICESource makes a caller's ICE configuration (ice.Service).
type ICESource interface {
	For(ctx context.Context, subject string) (desk.IceConfig, error)
}

// callsICE answers the signed-in user's ICE configuration: TURN
// credentials made for their own id.
func (s *Server) callsICE(w http.ResponseWriter, r *http.Request) {
	src := s.ice
	if src == nil {
		src = &ice.Service{}
	}
	a := actorOf(r)
	cfg, err := src.For(r.Context(), a.User.ID)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	writeJSON(w, http.StatusOK, cfg)
}
