package httpkit

import (
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

// Static picks the cache policy by name unless the caller chose one (the
// widget's loader is cached for minutes), gzips what compresses, and
// revalidates by ETag.
func TestStaticCachePolicyGzipAndETag(t *testing.T) {
	s := NewStatic(fstest.MapFS{
		"assets/app-1a.js": {Data: []byte(strings.Repeat("let a = 1;", 40))},
		"loader.js":        {Data: []byte("x")},
		"dir/inner.txt":    {Data: []byte("y")},
	})
	if _, ok := s.Read("dir"); ok {
		t.Fatal("a directory reads as a file")
	}
	if _, ok := NewStatic(nil).Read("loader.js"); ok {
		t.Fatal("no files, yet a file")
	}
	serve := func(name, cache string, header ...string) *httptest.ResponseRecorder {
		body, ok := s.Read(name)
		if !ok {
			t.Fatalf("%s: not found", name)
		}
		r := httptest.NewRequest("GET", "/"+name, nil)
		for i := 0; i+1 < len(header); i += 2 {
			r.Header.Set(header[i], header[i+1])
		}
		w := httptest.NewRecorder()
		if cache != "" {
			w.Header().Set("Cache-Control", cache)
		}
		s.Write(w, r, name, body)
		return w
	}
	a := serve("assets/app-1a.js", "", "Accept-Encoding", "gzip")
	if a.Header().Get("Cache-Control") != "public, max-age=31536000, immutable" || a.Header().Get("Content-Encoding") != "gzip" ||
		a.Header().Get("X-Content-Type-Options") != "nosniff" || a.Body.Len() >= 400 {
		t.Fatalf("asset: %v, %d bytes", a.Header(), a.Body.Len())
	}
	l := serve("loader.js", "public, max-age=300")
	if l.Header().Get("Cache-Control") != "public, max-age=300" || l.Header().Get("Content-Encoding") != "" {
		t.Fatalf("loader: %v", l.Header())
	}
	if again := serve("loader.js", "", "If-None-Match", l.Header().Get("ETag")); again.Code != 304 || again.Header().Get("Cache-Control") != "no-cache" {
		t.Fatalf("revalidation: %d %v", again.Code, again.Header())
	}
}
