package web

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"hash/crc32"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/relevo/relevo/internal/desk"
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
	files fs.FS
	gz    sync.Map // name → gzipped bytes
}

func newStatic(files fs.FS, s *Service) *static { return &static{s: s, files: files} }

func (st *static) read(name string) ([]byte, bool) {
	if st.files == nil {
		return nil, false
	}
	b, err := fs.ReadFile(st.files, name)
	return b, err == nil
}

// ServeLoader answers GET /widget.js. It is cached for minutes, not
// forever: its URL never changes, and sites must pick up new versions.
func (s *Service) ServeLoader(w http.ResponseWriter, r *http.Request) {
	body, ok := s.static.read(loaderFile)
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	if !ok {
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("console.warn('Relevo: the chat widget is not built (run make build)');\n"))
		return
	}
	w.Header().Set("Cache-Control", "public, max-age=300")
	s.static.write(w, r, loaderFile, body)
}

// Files serves the widget's panel and assets under /widget/ (mount it at
// "GET /widget/").
func (s *Service) Files() http.Handler { return s.static }

func (st *static) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(path.Clean("/"+strings.TrimPrefix(r.URL.Path, "/widget/")), "/")
	if name == "" {
		name = indexFile
	}
	body, ok := st.read(name)
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
	h := w.Header()
	if strings.HasPrefix(name, "assets/") {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	if name == indexFile {
		h.Set("Content-Security-Policy", st.csp(r))
		h.Set("Referrer-Policy", "no-referrer")
	}
	st.write(w, r, name, body)
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
	connect := "'self'"
	if host := r.Host; host != "" && !strings.ContainsAny(host, " ;'\"") {
		connect += " ws://" + host + " wss://" + host
	}
	return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; " +
		"connect-src " + connect + "; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors " + ancestors
}

// write sends an embedded file, gzipped when the client accepts it.
func (st *static) write(w http.ResponseWriter, r *http.Request, name string, body []byte) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	switch path.Ext(name) {
	case ".js", ".css", ".html", ".svg", ".json":
		if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			h.Set("Content-Encoding", "gzip")
			h.Add("Vary", "Accept-Encoding")
			body = st.gzipped(name, body)
		}
	}
	h.Set("ETag", fmt.Sprintf(`"%08x-%d"`, crc32.ChecksumIEEE(body), len(body)))
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(body))
}

func (st *static) gzipped(name string, body []byte) []byte {
	if v, ok := st.gz.Load(name); ok {
		return v.([]byte)
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	_, _ = zw.Write(body)
	_ = zw.Close()
	st.gz.Store(name, buf.Bytes())
	return buf.Bytes()
}
