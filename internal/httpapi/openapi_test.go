package httpapi

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/desk"
)

var update = flag.Bool("update", false, "rewrite testdata golden files")

// Test types carry an "oa" prefix so they cannot clash with the package's
// own request and response types.
type oaBase struct {
	ID        string    `json:"id"`
	CreatedAt time.Time `json:"created_at"`
}

type oaContact struct {
	Name       string            `json:"name"`
	Phone      *string           `json:"phone"`
	Attributes map[string]string `json:"attributes,omitempty"`
}

type oaNode struct {
	oaBase
	Parent   *oaNode                    `json:"parent"`
	Children []oaNode                   `json:"children"`
	Contact  oaContact                  `json:"contact"`
	ClosedAt *time.Time                 `json:"closed_at"`
	Flow     json.RawMessage            `json:"flow"`
	Meta     map[string]json.RawMessage `json:"meta,omitempty"`
	Count    int64                      `json:"count,string"`
	Score    float64                    `json:"score"`
	Blob     []byte                     `json:"blob,omitzero"`
	Extra    any                        `json:"extra"`
	Phase    desk.Phase                 `json:"phase"`
	Untagged bool
	Secret   string `json:"-"`
	hidden   int
}

// oaCreate is a request: only what is tagged required is required.
type oaCreate struct {
	Name    string          `json:"name" required:"true"`
	Contact *oaContactInput `json:"contact,omitempty"`
	Inline  struct {
		X int `json:"x"`
	} `json:"inline"`
}

type oaContactInput struct {
	Name  string `json:"name" required:"true"`
	Phone string `json:"phone"`
}

func oaRoutes() []Route {
	return []Route{
		{Method: "GET", Pattern: "/api/v1/nodes", Summary: "List nodes", Tag: "nodes", Access: AccessUserOrToken,
			Response: page[oaNode]{}, Query: []Param{{Name: "limit", Type: "integer", Description: "page size"}, {Name: "from", Type: "date-time"}, {Name: "q"}}},
		{Method: "POST", Pattern: "/api/v1/nodes", Tag: "nodes", Access: AccessAdmin, Request: oaCreate{}, Response: &oaNode{}},
		{Method: "GET", Pattern: "/api/v1/nodes/{id}/children/{child_id}", Tag: "nodes", Access: AccessSession, Response: []oaNode{}},
		{Method: "POST", Pattern: "/api/v1/nodes/{id}/archive", Tag: "nodes", Access: AccessIntegration},
		{Method: "GET", Pattern: "/api/v1/reports/nodes", Tag: "reports", Access: AccessSupervisor, Response: rawBody{"text/csv"}},
		{Method: "POST", Pattern: "/api/v1/uploads", Access: AccessSession, Request: rawBody{"multipart/form-data"}, Response: page[string]{}},
		{Method: "GET", Pattern: "/files/{path...}", Access: AccessWidget, Response: rawBody{"application/octet-stream"}},
		{Method: "GET", Pattern: "/{$}", Access: AccessPublic},
		{Method: "POST", Pattern: "/webhooks/whatsapp/{channel_id}", Access: AccessWebhook},
	}
}

// get walks a decoded JSON document; a missing step fails the test.
func get(t *testing.T, v any, keys ...string) any {
	t.Helper()
	for i, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("%s is not an object", strings.Join(keys[:i], "."))
		}
		if v, ok = m[k]; !ok {
			t.Fatalf("%s missing", strings.Join(keys[:i+1], "."))
		}
	}
	return v
}

func buildDoc(t *testing.T, routes []Route) (map[string]any, []byte) {
	t.Helper()
	raw, err := buildOpenAPI(routes, "1.2.3")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("document is not JSON: %v", err)
	}
	return doc, raw
}

func TestOpenAPIDescribesRoutes(t *testing.T) {
	doc, _ := buildDoc(t, oaRoutes())
	if get(t, doc, "openapi") != "3.1.0" || get(t, doc, "info", "version") != "1.2.3" {
		t.Errorf("header = %v %v", doc["openapi"], doc["info"])
	}
	var paths []string
	for p := range get(t, doc, "paths").(map[string]any) {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	wantPaths := []string{"/", "/api/v1/nodes", "/api/v1/nodes/{id}/archive", "/api/v1/nodes/{id}/children/{child_id}",
		"/api/v1/reports/nodes", "/api/v1/uploads", "/files/{path}", "/webhooks/whatsapp/{channel_id}"}
	if !reflect.DeepEqual(paths, wantPaths) {
		t.Errorf("paths = %v\nwant    %v", paths, wantPaths)
	}

	for _, tc := range []struct {
		path, method, opID, okStatus string
		security                     string // JSON of the security requirement
		params                       string // "in:name" list
		body                         string // JSON of the 2xx body schema, or request schema for POST with a body
	}{
		{"/api/v1/nodes", "get", "getNodes", "200", `[{"session":[]},{"token":[]}]`, "query:limit query:from query:q",
			`{"$ref":"#/components/schemas/OaNodePage"}`},
		{"/api/v1/nodes", "post", "postNodes", "200", `[{"session":[]}]`, "", `{"$ref":"#/components/schemas/OaNode"}`},
		{"/api/v1/nodes/{id}/children/{child_id}", "get", "getNodesByIdChildrenByChildId", "200", `[{"session":[]}]`,
			"path:id path:child_id", `{"items":{"$ref":"#/components/schemas/OaNode"},"type":"array"}`},
		{"/api/v1/nodes/{id}/archive", "post", "postNodesByIdArchive", "204", `[{"token":[]}]`, "path:id", ""},
		{"/api/v1/reports/nodes", "get", "getReportsNodes", "200", `[{"session":[]}]`, "", `{"type":"string"}`},
		{"/api/v1/uploads", "post", "postUploads", "200", `[{"session":[]}]`, "", `{"$ref":"#/components/schemas/StringPage"}`},
		{"/files/{path}", "get", "getFilesByPath", "200", `[{"widget":[]}]`, "path:path", `{"format":"binary","type":"string"}`},
		{"/", "get", "get", "204", `[]`, "", ""},
		{"/webhooks/whatsapp/{channel_id}", "post", "postWebhooksWhatsappByChannelId", "204", `[]`, "path:channel_id", ""},
	} {
		op := get(t, doc, "paths", tc.path, tc.method)
		where := tc.method + " " + tc.path
		if id := get(t, op, "operationId"); id != tc.opID {
			t.Errorf("%s: operationId = %v; want %s", where, id, tc.opID)
		}
		if sec, _ := json.Marshal(get(t, op, "security")); string(sec) != tc.security {
			t.Errorf("%s: security = %s; want %s", where, sec, tc.security)
		}
		var params []string
		for _, p := range asList(op, "parameters") {
			pm := p.(map[string]any)
			params = append(params, pm["in"].(string)+":"+pm["name"].(string))
			if pm["in"] == "path" && pm["required"] != true {
				t.Errorf("%s: path parameter %s not required", where, pm["name"])
			}
		}
		if got := strings.Join(params, " "); got != tc.params {
			t.Errorf("%s: params = %q; want %q", where, got, tc.params)
		}
		if ref := get(t, op, "responses", "500", "$ref"); ref != "#/components/responses/Error500Internal" {
			t.Errorf("%s: 500 response = %v", where, ref)
		}
		resp := get(t, op, "responses", tc.okStatus).(map[string]any)
		if tc.body != "" && tc.okStatus == "200" {
			for _, media := range resp["content"].(map[string]any) {
				if s, _ := json.Marshal(media.(map[string]any)["schema"]); string(s) != tc.body {
					t.Errorf("%s: response schema = %s; want %s", where, s, tc.body)
				}
			}
		}
		if tc.okStatus == "204" && resp["content"] != nil {
			t.Errorf("%s: 204 has content", where)
		}
	}
	wantReq := `{"$ref":"#/components/schemas/OaCreate"}`
	if s, _ := json.Marshal(get(t, doc, "paths", "/api/v1/nodes", "post", "requestBody", "content", "application/json", "schema")); string(s) != wantReq {
		t.Errorf("request schema = %s; want %s", s, wantReq)
	}
	if _, ok := get(t, doc, "paths", "/api/v1/uploads", "post", "requestBody", "content").(map[string]any)["multipart/form-data"]; !ok {
		t.Errorf("upload request is not multipart")
	}
}

func asList(v any, key string) []any {
	l, _ := v.(map[string]any)[key].([]any)
	return l
}

// Every $ref must point at a schema or response that exists, or clients
// fail to load the document at all.
func TestOpenAPIRefsResolve(t *testing.T) {
	doc, raw := buildDoc(t, oaRoutes())
	refs := 0
	for _, part := range strings.Split(string(raw), `"$ref": "`)[1:] {
		ref := part[:strings.IndexByte(part, '"')]
		refs++
		kind, name, ok := strings.Cut(strings.TrimPrefix(ref, "#/components/"), "/")
		if _, found := get(t, doc, "components", kind).(map[string]any)[name]; !ok || !found || !strings.HasPrefix(ref, "#/components/") {
			t.Errorf("dangling $ref %s", ref)
		}
	}
	want := `{"allOf":[{"$ref":"#/components/schemas/Error"}],"properties":{"error":{"properties":{"code":{"enum":["unauthenticated"],"type":"string"}},"required":["code"]}},"required":["error"]}`
	if s, _ := json.Marshal(get(t, doc, "components", "responses", "Error401Unauthenticated", "content", "application/json", "schema")); string(s) != want {
		t.Errorf("Error401Unauthenticated = %s\nwant %s", s, want)
	}
	if refs < 10 {
		t.Errorf("only %d $refs found; the scan is broken", refs)
	}
}

func TestOpenAPIIsDeterministic(t *testing.T) {
	_, first := buildDoc(t, oaRoutes())
	for range 20 {
		if _, again := buildDoc(t, oaRoutes()); !bytes.Equal(first, again) {
			t.Fatal("two builds of one route table differ")
		}
	}
	golden := filepath.Join("testdata", "openapi_test_routes.json")
	if *update {
		if err := os.WriteFile(golden, first, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(first, want) {
		t.Errorf("document differs from %s; review and rerun with -update", golden)
	}
}

func TestOpenAPIRejectsRoutesItCannotDescribe(t *testing.T) {
	type withChan struct {
		C chan int `json:"c"`
	}
	for name, routes := range map[string][]Route{
		"duplicate route":        {{Method: "GET", Pattern: "/a", Access: AccessPublic}, {Method: "GET", Pattern: "/a", Access: AccessPublic}},
		"unknown access":         {{Method: "GET", Pattern: "/a", Access: "root"}},
		"missing access":         {{Method: "GET", Pattern: "/a"}},
		"unsupported type":       {{Method: "GET", Pattern: "/a", Access: AccessPublic, Response: withChan{}}},
		"clashing operation ids": {{Method: "GET", Pattern: "/a-b", Access: AccessPublic}, {Method: "GET", Pattern: "/a_b", Access: AccessPublic}},
		"domain request body":    {{Method: "POST", Pattern: "/a", Access: AccessAdmin, Request: desk.Tag{}, Response: desk.Tag{}}},
		"domain type inside a request": {{Method: "POST", Pattern: "/a", Access: AccessAdmin, Request: struct {
			B []desk.Button `json:"b"`
		}{}}},
		"request type as a response": {{Method: "POST", Pattern: "/a", Access: AccessAdmin, Request: oaCreate{}, Response: oaCreate{}}},
		"code without a status":      {{Method: "GET", Pattern: "/a", Access: AccessPublic, Errors: []desk.Code{"no_such_code"}}},
		"status twice":               {{Method: "GET", Pattern: "/a", Access: AccessPublic, Errors: []desk.Code{desk.CodeNotFound}, Also: []Answer{{Status: 404}}}},
	} {
		if _, err := buildOpenAPI(routes, "1"); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
