package httpapi

import (
	"net/http"

	"github.com/relevo/relevo/internal/store"
)

// onboardingRequest is PUT /api/v1/me/onboarding: put the checklist away
// (dismissed true) or bring it back (false), and say the snippet step is
// done; absent fields stay.
type onboardingRequest struct {
	Dismissed   *bool `json:"dismissed"`
	SnippetDone *bool `json:"snippet_done"`
}

func (s *Server) getOnboarding(w http.ResponseWriter, r *http.Request) {
	o, err := s.store.Onboarding(r.Context(), actorOf(r).User.ID)
	s.respond(w, r, o, err)
}

func (s *Server) putOnboarding(w http.ResponseWriter, r *http.Request) {
	var in onboardingRequest
	if err := decodeJSON(w, r, &in, defaultBodyLimit); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	o, err := s.store.SetOnboarding(r.Context(), actorOf(r).User.ID, store.OnboardingPatch{Dismissed: in.Dismissed, SnippetDone: in.SnippetDone})
	s.respond(w, r, o, err)
}
