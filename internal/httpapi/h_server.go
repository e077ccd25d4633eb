package httpapi

import "net/http"

// ServerInfo tells the console what it is talking to.
type ServerInfo struct {
	Version string `json:"version"`
	// Demo is true on `relevo serve --demo`: the demo's WhatsApp channel
	// sends to an in-process stand-in for Meta's Graph API, and the console
	// says so.
	Demo bool `json:"demo"`
}

func (s *Server) serverInfo(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, ServerInfo{Version: s.cfg.Version, Demo: s.cfg.Demo})
}
