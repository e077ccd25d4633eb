package httpapi

import (
	"net/http"

	"github.com/relevo/relevo/internal/store"
)

type contactRequest struct {
	Name       *string            `json:"name"`
	Phone      *string            `json:"phone"`
	Email      *string            `json:"email"`
	Attributes *map[string]string `json:"attributes" text:"multiline"` // an address may span lines
}

func (s *Server) getContact(w http.ResponseWriter, r *http.Request) {
	c, err := s.store.VisibleContact(r.Context(), actorOf(r), r.PathValue("id"))
	s.respond(w, r, c, err)
}

// patchContact saves corrections for every agent: what the bot collected
// is editable.
func (s *Server) patchContact(w http.ResponseWriter, r *http.Request) {
	var in contactRequest
	if err := decodeJSON(w, r, &in, defaultBodyLimit); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	if _, err := s.store.VisibleContact(r.Context(), actorOf(r), r.PathValue("id")); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	c, err := s.store.UpdateContact(r.Context(), r.PathValue("id"),
		store.ContactPatch{Name: in.Name, Phone: in.Phone, Email: in.Email, Attributes: in.Attributes})
	s.respond(w, r, c, err)
}

func (s *Server) contactConversations(w http.ResponseWriter, r *http.Request) {
	a := actorOf(r)
	if _, err := s.store.VisibleContact(r.Context(), a, r.PathValue("id")); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	lq, err := parseListQuery(r)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	list, next, err := s.store.ListConversations(r.Context(), a, store.ConversationFilter{
		ContactID: r.PathValue("id"), ContactHistory: true, AllPhases: true, Limit: lq.Limit, Cursor: lq.Cursor, Sort: store.SortUpdated})
	s.respond(w, r, newPage(s.forCaller(r, list), next), err)
}

func (s *Server) listContactNotes(w http.ResponseWriter, r *http.Request) {
	if _, err := s.store.VisibleContact(r.Context(), actorOf(r), r.PathValue("id")); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	notes, err := s.store.ListContactNotes(r.Context(), r.PathValue("id"))
	s.respond(w, r, newPage(notes, ""), err)
}

func (s *Server) addContactNote(w http.ResponseWriter, r *http.Request) {
	var in textRequest
	if err := decodeJSON(w, r, &in, defaultBodyLimit); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	a := actorOf(r)
	if _, err := s.store.VisibleContact(r.Context(), a, r.PathValue("id")); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	n, err := s.store.AddContactNote(r.Context(), r.PathValue("id"), a.User.ID, in.Text)
	s.respond(w, r, n, err)
}

func (s *Server) blockContact(w http.ResponseWriter, r *http.Request) {
	c, err := s.store.BlockContactByID(r.Context(), actorOf(r), r.PathValue("id"))
	s.respond(w, r, c, err)
}

func (s *Server) unblockContact(w http.ResponseWriter, r *http.Request) {
	c, err := s.store.UnblockContact(r.Context(), actorOf(r), r.PathValue("id"))
	s.respond(w, r, c, err)
}
