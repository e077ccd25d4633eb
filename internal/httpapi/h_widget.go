package httpapi

import (
	"net/http"

	"github.com/relevo/relevo/internal/desk"
)

// Widget is the web chat widget's customer side as the HTTP layer needs
// it. Its routes are called by visitors' browsers, not by Relevo users: the
// widget authenticates its own session tokens, enforces each channel's
// allowed origins and answers CORS, so every handler here only hands the
// request over.
type Widget interface {
	// ServeLoader answers GET /widget.js, the script sites embed.
	ServeLoader(w http.ResponseWriter, r *http.Request)
	// ServeConfig answers a channel's public settings (never secrets).
	ServeConfig(w http.ResponseWriter, r *http.Request, channelID string)
	ServeSession(w http.ResponseWriter, r *http.Request)
	ServeMessages(w http.ResponseWriter, r *http.Request)
	ServeSend(w http.ResponseWriter, r *http.Request)
	// ServeCSAT takes the visitor's rating of a resolved conversation.
	ServeCSAT(w http.ResponseWriter, r *http.Request)
	ServeUpload(w http.ResponseWriter, r *http.Request)
	ServeDownload(w http.ResponseWriter, r *http.Request, uploadID string)
	ServeSocket(w http.ResponseWriter, r *http.Request)
	// ServeICE answers the visitor's ICE configuration for calls.
	ServeICE(w http.ResponseWriter, r *http.Request)
	// ServePreflight answers CORS preflight requests for /widget/v1/.
	ServePreflight(w http.ResponseWriter, r *http.Request)
}

func (s *Server) widgetOr404(w http.ResponseWriter, r *http.Request) Widget {
	if s.widget == nil {
		writeError(w, r, s.log, desk.NotFound("web widget"))
	}
	return s.widget
}

func (s *Server) widgetLoader(w http.ResponseWriter, r *http.Request) {
	if wd := s.widgetOr404(w, r); wd != nil {
		wd.ServeLoader(w, r)
	}
}

func (s *Server) widgetConfig(w http.ResponseWriter, r *http.Request) {
	if wd := s.widgetOr404(w, r); wd != nil {
		wd.ServeConfig(w, r, r.PathValue("id"))
	}
}

func (s *Server) widgetSession(w http.ResponseWriter, r *http.Request) {
	if wd := s.widgetOr404(w, r); wd != nil {
		wd.ServeSession(w, r)
	}
}

func (s *Server) widgetMessages(w http.ResponseWriter, r *http.Request) {
	if wd := s.widgetOr404(w, r); wd != nil {
		wd.ServeMessages(w, r)
	}
}

func (s *Server) widgetSend(w http.ResponseWriter, r *http.Request) {
	if wd := s.widgetOr404(w, r); wd != nil {
		wd.ServeSend(w, r)
	}
}

func (s *Server) widgetUpload(w http.ResponseWriter, r *http.Request) {
	if wd := s.widgetOr404(w, r); wd != nil {
		wd.ServeUpload(w, r)
	}
}

func (s *Server) widgetDownload(w http.ResponseWriter, r *http.Request) {
	if wd := s.widgetOr404(w, r); wd != nil {
		wd.ServeDownload(w, r, r.PathValue("id"))
	}
}

func (s *Server) widgetSocket(w http.ResponseWriter, r *http.Request) {
	if wd := s.widgetOr404(w, r); wd != nil {
		wd.ServeSocket(w, r)
	}
}

func (s *Server) widgetPreflight(w http.ResponseWriter, r *http.Request) {
	if wd := s.widgetOr404(w, r); wd != nil {
		wd.ServePreflight(w, r)
	}
}

func (s *Server) widgetCSAT(w http.ResponseWriter, r *http.Request) {
	if wd := s.widgetOr404(w, r); wd != nil {
		wd.ServeCSAT(w, r)
	}
}

func (s *Server) widgetICE(w http.ResponseWriter, r *http.Request) {
	if wd := s.widgetOr404(w, r); wd != nil {
		wd.ServeICE(w, r)
	}
}
