package app

import (
	"compress/gzip"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

func consoleFiles() fstest.MapFS {
	return fstest.MapFS{
		"index.html":          {Data: []byte(`<!doctype html><div id="app"></div>`)},
		"favicon.svg":         {Data: []byte(`<svg/>`)},
		"assets/index-Ab1.js": {Data: []byte(strings.Repeat("console.log('relevo');", 50))},
	}
}

func get(t *testing.T, h http.Handler, path string, header ...string) *http.Response {
	t.Helper()
	r := httptest.NewRequest("GET", path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Result()
}

func TestConsoleServesIndexForAppPaths(t *testing.T) {
	h := newConsoleHandler(consoleFiles(), slog.Default())
	for _, p := range []string{"/", "/login", "/bots/01abc/01def", "/index.html"} {
		res := get(t, h, p)
		body, _ := io.ReadAll(res.Body)
		if res.StatusCode != 200 || !strings.Contains(string(body), `id="app"`) {
			t.Errorf("GET %s: %d %q", p, res.StatusCode, body)
		}
		if cc := res.Header.Get("Cache-Control"); cc != "no-cache" {
			t.Errorf("GET %s: Cache-Control %q, want no-cache", p, cc)
		}
		if !strings.Contains(res.Header.Get("Content-Security-Policy"), "script-src 'self'") {
			t.Errorf("GET %s: no CSP", p)
		}
	}
}

func TestConsoleCachesHashedAssetsAndGzips(t *testing.T) {
	h := newConsoleHandler(consoleFiles(), slog.Default())
	res := get(t, h, "/assets/index-Ab1.js", "Accept-Encoding", "gzip, br")
	if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
		t.Fatalf("asset: %d %q", res.StatusCode, res.Header.Get("Cache-Control"))
	}
	if res.Header.Get("Content-Encoding") != "gzip" || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/javascript") {
		t.Fatalf("asset headers: %v", res.Header)
	}
	zr, err := gzip.NewReader(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := io.ReadAll(zr); !strings.HasPrefix(string(b), "console.log") {
		t.Errorf("gunzipped asset: %.40q", b)
	}
}

func TestConsoleAnswers404WhereItIsNotTheApp(t *testing.T) {
	h := newConsoleHandler(consoleFiles(), slog.Default())
	for _, p := range []string{"/api/v1/nope", "/widget/v1/x", "/webhooks/whatsapp/x", "/assets/missing.js", "/robots.txt", "/metricsx"} {
		if res := get(t, h, p); res.StatusCode != 404 {
			t.Errorf("GET %s: %d, want 404", p, res.StatusCode)
		}
	}
	res := get(t, h, "/api/v1/nope")
	if b, _ := io.ReadAll(res.Body); !strings.Contains(string(b), `"code":"not_found"`) {
		t.Errorf("API 404 is not the error envelope: %s", b)
	}
}

func TestConsoleNotBuiltSaysHowToBuildIt(t *testing.T) {
	h := newConsoleHandler(fstest.MapFS{}, slog.Default())
	res := get(t, h, "/")
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(b), "the console is not built: run <code>make build</code>") {
		t.Errorf("GET / without a build: %d %s", res.StatusCode, b)
	}
}
