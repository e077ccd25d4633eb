package app

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"hash/crc32"
	"io/fs"
	"log/slog"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/relevo/relevo/web"
)

// consoleRoot is where Vite writes the console inside web.Dist.
const consoleRoot = "dist/console"

// notConsole are the path prefixes the console never answers for: an unknown
// path under them is a 404, not the single-page app's index.html.
var notConsole = []string{"/api/", "/widget", "/webhooks", "/healthz", "/readyz", "/metrics"}

// consoleRoutes mounts the agent console, embedded from web/dist/console, at
// "GET /": hashed assets with long cache headers, index.html for every app
// path (client-side routing), and a plain page saying how to build it when
// the binary was built without the front end.
func consoleRoutes(log *slog.Logger) map[string]http.Handler {
	sub, err := fs.Sub(web.Dist, consoleRoot)
	if err != nil {
		panic(err) // consoleRoot is a constant path; Sub fails only on an invalid one
	}
	return map[string]http.Handler{"GET /": newConsoleHandler(sub, log)}
}

// consoleHandler serves the built console from files.
type consoleHandler struct {
	files fs.FS
	log   *slog.Logger
	built bool
	// gz holds gzipped copies of compressible files, made on first request.
	gz sync.Map // name → []byte
}

func newConsoleHandler(files fs.FS, log *slog.Logger) *consoleHandler {
	_, err := fs.Stat(files, "index.html")
	return &consoleHandler{files: files, log: log, built: err == nil}
}

func (h *consoleHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	for _, pre := range notConsole {
		if strings.HasPrefix(p, pre) {
			notFound(w, p)
			return
		}
	}
	if !h.built {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte(notBuiltPage))
		return
	}
	name := strings.TrimPrefix(path.Clean(p), "/")
	if name == "" || name == "index.html" {
		h.serveFile(w, r, "index.html")
		return
	}
	if st, err := fs.Stat(h.files, name); err == nil && !st.IsDir() {
		h.serveFile(w, r, name)
		return
	}
	// A missing file (anything with an extension, or under assets/) is a
	// 404: answering HTML for a script would only hide the real error.
	if path.Ext(name) != "" || strings.HasPrefix(name, "assets/") {
		notFound(w, p)
		return
	}
	h.serveFile(w, r, "index.html") // an app route: the router in the page takes it from here
}

// serveFile writes one embedded file with its cache policy, gzipped when
// the client accepts it.
func (h *consoleHandler) serveFile(w http.ResponseWriter, r *http.Request, name string) {
	body, err := fs.ReadFile(h.files, name)
	if err != nil {
		h.log.Warn("console: read", "file", name, "err", err)
		http.Error(w, "console file unreadable", http.StatusInternalServerError)
		return
	}
	hd := w.Header()
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "same-origin")
	if strings.HasPrefix(name, "assets/") {
		// Vite puts a content hash in every asset name: it never changes.
		hd.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		hd.Set("Cache-Control", "no-cache")
	}
	if name == "index.html" {
		hd.Set("Content-Security-Policy", consoleCSP(r.Host))
		hd.Set("X-Frame-Options", "DENY")
	}
	if compressible(name) && strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		hd.Set("Content-Encoding", "gzip")
		hd.Add("Vary", "Accept-Encoding")
		body = h.gzipped(name, body)
	}
	// The embedded files carry no modification time: an ETag of the bytes
	// sent lets browsers revalidate index.html cheaply.
	hd.Set("ETag", fmt.Sprintf(`"%08x-%d"`, crc32.ChecksumIEEE(body), len(body)))
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(body))
}

func (h *consoleHandler) gzipped(name string, body []byte) []byte {
	if v, ok := h.gz.Load(name); ok {
		return v.([]byte)
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	_, _ = zw.Write(body)
	_ = zw.Close()
	h.gz.Store(name, buf.Bytes())
	return buf.Bytes()
}

func compressible(name string) bool {
	switch path.Ext(name) {
	case ".js", ".css", ".html", ".svg", ".json", ".txt", ".map":
		return true
	}
	return false
}

// consoleCSP allows the page only its own scripts, styles, media and
// socket: nothing is loaded from elsewhere.
func consoleCSP(host string) string {
	connect := "'self'"
	if host != "" && !strings.ContainsAny(host, " ;'\"") {
		connect += " ws://" + host + " wss://" + host
	}
	return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; " +
		"connect-src " + connect + "; font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
}

func notFound(w http.ResponseWriter, p string) {
	if strings.HasPrefix(p, "/api/") {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"error":{"code":"not_found","message":"no such route","details":{}}}` + "\n"))
		return
	}
	http.NotFound(w, nil)
}

const notBuiltPage = `<!doctype html>
<meta charset="utf-8">
<title>Relevo</title>
<p>Relevo is running, but the console is not built: run <code>make build</code> (it builds web/ with npm, then the binary).</p>
<p>The API is up: see <a href="/api/openapi.json">/api/openapi.json</a>.</p>
`
