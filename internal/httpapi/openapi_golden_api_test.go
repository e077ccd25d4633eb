package httpapi

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// goldenOpenAPIPath is the committed OpenAPI document the console's TypeScript
// types are generated from (web: npm run gen:api).
var goldenOpenAPIPath = filepath.Join("..", "..", "docs", "openapi.json")

// TestOpenAPIGoldenMatchesServedDocument keeps docs/openapi.json in step with
// the route table, so the console's generated API types cannot drift from
// the server. After changing a route, a request/response type or a route's
// error codes, run `make api` (which runs
//
//	go test ./internal/httpapi -run OpenAPIGolden -update
//	cd web && npm run gen:api && npm run typecheck).
func TestOpenAPIGoldenMatchesServedDocument(t *testing.T) {
	s, err := New(Config{Version: "dev"}, Deps{})
	if err != nil {
		t.Fatal(err)
	}
	got := append(bytes.TrimRight(s.OpenAPI(), "\n"), '\n')
	if *update {
		if err := os.WriteFile(goldenOpenAPIPath, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(goldenOpenAPIPath)
	if err != nil {
		t.Fatalf("%v (create it: go test ./internal/httpapi -run OpenAPIGolden -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("docs/openapi.json is stale: run make api (go test ./internal/httpapi -run OpenAPIGolden -update, then cd web && npm run gen:api)\n%s",
			goldenFirstDiff(want, got))
	}
}

// goldenFirstDiff shows the first line where the committed document and the
// served one differ.
func goldenFirstDiff(want, got []byte) string {
	w, g := bytes.Split(want, []byte("\n")), bytes.Split(got, []byte("\n"))
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl []byte
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if !bytes.Equal(wl, gl) {
			return "line " + strconv.Itoa(i+1) + ":\n  committed: " + string(wl) + "\n  served:    " + string(gl)
		}
	}
	return ""
}
