package web

import (
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/httpkit"
)

// The widget's files, built by Vite into web/dist/widget and embedded:
// widget.js (the loader sites embed, served at /widget.js), index.html
// (the chat panel, in the loader's iframe) and assets/ (content-hashed).
const (
	loaderFile = "widget.js"
	indexFile  = "index.html"
)

type static struct {
	s     *Service
	files *httpkit.Static
}

func newStatic(files fs.FS, s *Service) *static {
	return &static{s: s, files: httpkit.NewStatic(files)}
}

// ServeLoader answers GET /widget.js. It is cached for minutes, not
// forever: its URL never changes, and sites must pick up new versions.
func (s *Service) ServeLoader(w http.ResponseWriter, r *http.Request) {
	body, ok := s.static.files.Read(loaderFile)
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	if !ok {
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("console.warn('Relevo: the chat widget is not built (run make build)');\n"))
		return
	}
	w.Header().Set("Cache-Control", "public, max-age=300")
	s.static.files.Write(w, r, loaderFile, body)
}

// Files serves the widget's panel and assets under /widget/ (mount it at
// "GET /widget/").
func (s *Service) Files() http.Handler { return s.static }

func (st *static) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(path.Clean("/"+strings.TrimPrefix(r.URL.Path, "/widget/")), "/")
	if name == "" {
		name = indexFile
	}
	body, ok := st.files.Read(name)
	if !ok || strings.HasPrefix(name, "v1/") {
		if name == indexFile {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte("<!doctype html><meta charset=utf-8><p>The chat widget is not built: run <code>make build</code>.</p>\n"))
			return
		}
		http.NotFound(w, r)
		return
	}
	if name == indexFile {
		w.Header().Set("Content-Security-Policy", st.csp(r))
		w.Header().Set("Referrer-Policy", "no-referrer")
	}
	st.files.Write(w, r, name, body)
}

// csp keeps the panel to its own scripts, styles and server, and lets only
// the channel's allowed origins frame it.
func (st *static) csp(r *http.Request) string {
	ancestors := "*"
	if id := r.URL.Query().Get("channel"); id != "" {
		_, cfg, err := st.s.channel(r.Context(), id)
		switch {
		case desk.IsCode(err, desk.CodeChannelMisconfigured):
			ancestors = "'self'" // its origins are unknown: no foreign site may frame it
		case err == nil && len(cfg.AllowedOrigins) > 0:
			ancestors = "'self' " + strings.Join(cfg.AllowedOrigins, " ")
		}
	}
	return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; " +
		"connect-src " + httpkit.SelfCSPConnect(r.Host) + "; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors " + ancestors
}
