package httpapi

import (
	"net/http"

	"github.com/relevo/relevo/internal/desk"
)

// callSettingsRequest changes calls' connectivity settings; a field left
// out keeps its value. Secrets sent as "********" keep theirs too, ""
// clears them (the channel secrets' rule).
type callSettingsRequest struct {
	STUNURLs      *[]string     `json:"stun_urls"`
	TURNURLs      *[]string     `json:"turn_urls"`
	TURNSecret    *string       `json:"turn_secret"`
	TURNUsername  *string       `json:"turn_username"`
	TURNPassword  *string       `json:"turn_password"`
	CredentialTTL *desk.Seconds `json:"credential_ttl"`
	RelayOnly     *bool         `json:"relay_only"`
}

// callSettingsView is the settings as admins read them: secrets masked,
// and whether this node runs Relevo's relay (a flag of `relevo serve`,
// not a setting).
type callSettingsView struct {
	STUNURLs      []string     `json:"stun_urls"`
	TURNURLs      []string     `json:"turn_urls"`
	TURNSecret    string       `json:"turn_secret"`
	TURNUsername  string       `json:"turn_username"`
	TURNPassword  string       `json:"turn_password"`
	CredentialTTL desk.Seconds `json:"credential_ttl"`
	RelayOnly     bool         `json:"relay_only"`
	// RelayURLs are the relay's turn: URLs; empty when it is off.
	RelayURLs []string `json:"relay_urls"`
}

func (s *Server) viewCallSettings(set desk.ICESettings) callSettingsView {
	v := callSettingsView{STUNURLs: set.STUNURLs, TURNURLs: set.TURNURLs, TURNSecret: desk.MaskSecret(set.TURNSecret),
		TURNUsername: set.TURNUsername, TURNPassword: desk.MaskSecret(set.TURNPassword),
		CredentialTTL: desk.Seconds(set.TTL().Seconds()), RelayOnly: set.RelayOnly, RelayURLs: []string{}}
	v.RelayURLs = append(v.RelayURLs, s.ice.Relay()...)
	for _, l := range []*[]string{&v.STUNURLs, &v.TURNURLs} {
		if *l == nil {
			*l = []string{}
		}
	}
	return v
}

func (s *Server) getCallSettings(w http.ResponseWriter, r *http.Request) {
	set, err := s.store.ICESettings(r.Context())
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	writeJSON(w, http.StatusOK, s.viewCallSettings(set))
}

func (s *Server) patchCallSettings(w http.ResponseWriter, r *http.Request) {
	var in callSettingsRequest
	if err := decodeJSON(w, r, &in, defaultBodyLimit); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	set, err := s.store.ICESettings(r.Context())
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	if in.STUNURLs != nil {
		set.STUNURLs = *in.STUNURLs
	}
	if in.TURNURLs != nil {
		set.TURNURLs = *in.TURNURLs
	}
	if in.TURNUsername != nil {
		set.TURNUsername = *in.TURNUsername
	}
	if in.CredentialTTL != nil {
		set.CredentialTTL = *in.CredentialTTL
	}
	if in.RelayOnly != nil {
		set.RelayOnly = *in.RelayOnly
	}
	set.TURNSecret = desk.KeepSecret(set.TURNSecret, in.TURNSecret)
	set.TURNPassword = desk.KeepSecret(set.TURNPassword, in.TURNPassword)
	if err := desk.CheckICESettings(&set); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	if set, err = s.store.SaveICESettings(r.Context(), set); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	writeJSON(w, http.StatusOK, s.viewCallSettings(set))
}
