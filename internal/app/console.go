package app

import (
	"io/fs"
	"log/slog"
	"net/http"
	"path"
	"strings"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/httpkit"
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

// consoleHandler routes the console's paths to its built files.
type consoleHandler struct {
	files *httpkit.Static
	log   *slog.Logger
	built bool
}

func newConsoleHandler(files fs.FS, log *slog.Logger) *consoleHandler {
	_, err := fs.Stat(files, "index.html")
	return &consoleHandler{files: httpkit.NewStatic(files), log: log, built: err == nil}
}

func (h *consoleHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	for _, pre := range notConsole {
		if strings.HasPrefix(p, pre) {
			notFound(w, r)
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
	if body, ok := h.files.Read(name); ok {
		h.write(w, r, name, body)
		return
	}
	// A missing file (anything with an extension, or under assets/) is a
	// 404: answering HTML for a script would only hide the real error.
	if path.Ext(name) != "" || strings.HasPrefix(name, "assets/") {
		notFound(w, r)
		return
	}
	h.serveFile(w, r, "index.html") // an app route: the router in the page takes it from here
}

// serveFile writes one embedded file.
func (h *consoleHandler) serveFile(w http.ResponseWriter, r *http.Request, name string) {
	body, ok := h.files.Read(name)
	if !ok {
		h.log.Warn("console: read", "file", name)
		http.Error(w, "console file unreadable", http.StatusInternalServerError)
		return
	}
	h.write(w, r, name, body)
}

// write adds the console's own headers; the rest is httpkit.Static's.
func (h *consoleHandler) write(w http.ResponseWriter, r *http.Request, name string, body []byte) {
	hd := w.Header()
	hd.Set("Referrer-Policy", "same-origin")
	if name == "index.html" {
		hd.Set("Content-Security-Policy", consoleCSP(r.Host))
		hd.Set("X-Frame-Options", "DENY")
	}
	h.files.Write(w, r, name, body)
}

// consoleCSP allows the page only its own scripts, styles, media and
// socket: nothing is loaded from elsewhere.
func consoleCSP(host string) string {
	return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; " +
		"connect-src " + httpkit.SelfCSPConnect(host) + "; font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
}

// notFound answers a path that is no page: under /api/ in the API's error
// envelope, elsewhere as plain text.
func notFound(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		httpkit.WriteError(w, r, nil, desk.Errorf(desk.CodeNotFound, "no such route"))
		return
	}
	http.NotFound(w, r)
}

const notBuiltPage = `<!doctype html>
<meta charset="utf-8">
<title>Relevo</title>
<p>Relevo is running, but the console is not built: run <code>make build</code> (it builds web/ with npm, then the binary).</p>
<p>The API is up: see <a href="/api/openapi.json">/api/openapi.json</a>.</p>
`
