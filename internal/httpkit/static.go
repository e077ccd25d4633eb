package httpkit

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
)

// Static serves files of a built front end embedded in the binary (the
// console, the widget). It knows how to send a file; which path is which
// file, and a page's own headers (its CSP, framing), are the caller's.
type Static struct {
	files fs.FS
	// gz holds gzipped copies of compressible files, made on first request.
	gz sync.Map // name → []byte
}

// NewStatic serves files; nil serves nothing (a binary built without the
// front end).
func NewStatic(files fs.FS) *Static { return &Static{files: files} }

// Read is the file name's bytes, false when there is no such file.
func (s *Static) Read(name string) ([]byte, bool) {
	if s.files == nil {
		return nil, false
	}
	if st, err := fs.Stat(s.files, name); err != nil || st.IsDir() {
		return nil, false
	}
	b, err := fs.ReadFile(s.files, name)
	return b, err == nil
}

// Write sends body as the file name: nosniff; a cache policy unless the
// caller set one (Vite puts a content hash in every name under assets/, so
// those never change; anything else is revalidated); gzipped when the
// client accepts it; and an ETag of the bytes sent, since embedded files
// carry no modification time.
func (s *Static) Write(w http.ResponseWriter, r *http.Request, name string, body []byte) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	if h.Get("Cache-Control") == "" {
		if strings.HasPrefix(name, "assets/") {
			h.Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			h.Set("Cache-Control", "no-cache")
		}
	}
	if compressible(name) && strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		h.Set("Content-Encoding", "gzip")
		h.Add("Vary", "Accept-Encoding")
		body = s.gzipped(name, body)
	}
	h.Set("ETag", fmt.Sprintf(`"%08x-%d"`, crc32.ChecksumIEEE(body), len(body)))
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(body))
}

func (s *Static) gzipped(name string, body []byte) []byte {
	if v, ok := s.gz.Load(name); ok {
		return v.([]byte)
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	_, _ = zw.Write(body)
	_ = zw.Close()
	s.gz.Store(name, buf.Bytes())
	return buf.Bytes()
}

func compressible(name string) bool {
	switch path.Ext(name) {
	case ".js", ".css", ".html", ".svg", ".json", ".txt", ".map":
		return true
	}
	return false
}

// SelfCSPConnect is a page's connect-src: its own origin and its own
// WebSocket, whichever scheme the page came over. A Host that could break
// out of the header is left out.
func SelfCSPConnect(host string) string {
	connect := "'self'"
	if host != "" && !strings.ContainsAny(host, " ;'\"") {
		connect += " ws://" + host + " wss://" + host
	}
	return connect
}
