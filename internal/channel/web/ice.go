package web

import (
	"net/http"

	"github.com/relevo/relevo/internal/httpkit"
)

// ServeICE answers the visitor's ICE configuration: TURN credentials made
// for its own contact id, so a relay's logs name whom it relayed.
func (s *Service) ServeICE(w http.ResponseWriter, r *http.Request) {
	v, err := s.authenticate(w, r, false)
	if err != nil {
		httpkit.WriteError(w, r, s.log, err)
		return
	}
	cfg, err := s.ice.For(r.Context(), v.ContactID)
	if err != nil {
		httpkit.WriteError(w, r, s.log, err)
		return
	}
	httpkit.WriteJSON(w, http.StatusOK, cfg)
}
