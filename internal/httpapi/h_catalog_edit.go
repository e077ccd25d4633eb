package httpapi

import (
	"net/http"

	"github.com/relevo/relevo/internal/store"
)

// reasonPatchRequest renames a transfer reason (its bot stays).
type reasonPatchRequest struct {
	Name string `json:"name" required:"true"`
}

// tagPatchRequest renames or recolours a tag; absent fields stay, color
// "" takes the colour away.
type tagPatchRequest struct {
	Name  *string `json:"name"`
	Color *string `json:"color"`
}

func (s *Server) patchReason(w http.ResponseWriter, r *http.Request) {
	var in reasonPatchRequest
	if err := decodeJSON(w, r, &in, defaultBodyLimit); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	out, err := s.store.RenameReason(r.Context(), r.PathValue("id"), in.Name)
	s.respond(w, r, out, err)
}

func (s *Server) deleteReason(w http.ResponseWriter, r *http.Request) {
	s.noContent(w, r, s.store.DeleteReason(r.Context(), r.PathValue("id")))
}

func (s *Server) patchTag(w http.ResponseWriter, r *http.Request) {
	var in tagPatchRequest
	if err := decodeJSON(w, r, &in, defaultBodyLimit); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	out, err := s.store.UpdateTag(r.Context(), r.PathValue("id"), store.TagPatch{Name: in.Name, Color: in.Color})
	s.respond(w, r, out, err)
}

func (s *Server) deleteTag(w http.ResponseWriter, r *http.Request) {
	s.noContent(w, r, s.store.DeleteTag(r.Context(), r.PathValue("id")))
}
