package httpapi_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// apiMDRoutes is every route of the HTTP contract (docs/API.md, "Start-up and
// configuration" and "Routes"), written out by hand from the contract,
// except Real time, Web widget and WhatsApp (other issues). A route the
// contract promises and the served document forgets fails here.
var apiMDRoutes = []string{
	"GET /healthz", "GET /readyz", "GET /metrics",

	"POST /api/v1/auth/login", "POST /api/v1/auth/logout", "GET /api/v1/me", "PUT /api/v1/me/status",

	"GET /api/v1/users", "POST /api/v1/users",
	"GET /api/v1/users/{id}", "PATCH /api/v1/users/{id}", "DELETE /api/v1/users/{id}",
	"GET /api/v1/teams", "POST /api/v1/teams", "PATCH /api/v1/teams/{id}", "DELETE /api/v1/teams/{id}",
	"GET /api/v1/bots", "POST /api/v1/bots", "GET /api/v1/bots/{id}", "PATCH /api/v1/bots/{id}",
	"GET /api/v1/channels", "POST /api/v1/channels", "PATCH /api/v1/channels/{id}",
	"GET /api/v1/reasons", "POST /api/v1/reasons", "GET /api/v1/tags", "POST /api/v1/tags",
	"POST /api/v1/templates", "GET /api/v1/templates", "POST /api/v1/tokens", "PATCH /api/v1/tokens/{id}",

	"POST /api/v1/channels/{id}/inbound",

	"GET /api/v1/conversations", "GET /api/v1/conversations/{id}",
	"GET /api/v1/conversations/{id}/messages", "POST /api/v1/conversations/{id}/messages",
	"POST /api/v1/conversations/{id}/notes", "POST /api/v1/conversations/{id}/handover",
	"POST /api/v1/conversations/{id}/assign", "POST /api/v1/conversations/{id}/unassign",
	"POST /api/v1/conversations/{id}/transfer", "POST /api/v1/conversations/{id}/resolve",
	"PUT /api/v1/conversations/{id}/tags/{tag_id}", "DELETE /api/v1/conversations/{id}/tags/{tag_id}",
	"POST /api/v1/conversations/{id}/read", "POST /api/v1/conversations/{id}/unread",
	"POST /api/v1/conversations/bulk", "POST /api/v1/uploads",

	"GET /api/v1/contacts/{id}", "PATCH /api/v1/contacts/{id}", "GET /api/v1/contacts/{id}/conversations",
	"GET /api/v1/contacts/{id}/notes", "POST /api/v1/contacts/{id}/notes",
	"POST /api/v1/contacts/{id}/block", "POST /api/v1/contacts/{id}/unblock",

	"GET /api/v1/monitor", "POST /api/v1/agents/{id}/pause", "POST /api/v1/agents/{id}/unpause",
	"POST /api/v1/agents/{id}/logout", "GET /api/v1/chats/{user_id}/messages", "POST /api/v1/chats/{user_id}/messages",

	"GET /api/v1/reports/conversations", "GET /api/v1/reports/agents", "GET /api/v1/reports/queues", "GET /api/v1/reports/bots",
}

// servedDoc fetches GET /api/openapi.json and lists its operations as
// "METHOD /path".
func servedDoc(t *testing.T, w *world) (map[string]any, map[string]bool) {
	t.Helper()
	r := w.anon().get("/api/openapi.json").want(200)
	if !json.Valid(r.Body) {
		t.Fatalf("GET /api/openapi.json is not valid JSON: %.200s", r.Body)
	}
	doc := r.obj()
	if v := str(doc["openapi"]); !strings.HasPrefix(v, "3.") {
		t.Errorf("openapi version %q", v)
	}
	paths, _ := doc["paths"].(map[string]any)
	ops := map[string]bool{}
	seenIDs := map[string]string{}
	for path, item := range paths {
		for method, op := range item.(map[string]any) {
			key := strings.ToUpper(method) + " " + path
			ops[key] = true
			o := op.(map[string]any)
			id := str(o["operationId"])
			if prev, dup := seenIDs[id]; id == "" || dup {
				t.Errorf("%s: operationId %q (also %s)", key, id, prev)
			}
			seenIDs[id] = key
			if resps, _ := o["responses"].(map[string]any); len(resps) == 0 {
				t.Errorf("%s has no responses", key)
			}
		}
	}
	return doc, ops
}

func TestOpenAPIDescribesEveryRouteOfTheContract(t *testing.T) {
	w := sqliteWorld(t)
	_, ops := servedDoc(t, w)
	for _, rt := range apiMDRoutes {
		if !ops[rt] {
			t.Errorf("API.md route %s is missing from GET /api/openapi.json", rt)
		}
	}
}

func TestOpenAPIDescribesEveryRouteOfTheRouter(t *testing.T) {
	w := sqliteWorld(t)
	_, ops := servedDoc(t, w)
	for _, rt := range w.srv.Routes() {
		if !ops[rt.Method+" "+rt.Pattern] {
			t.Errorf("route %s %s is missing from GET /api/openapi.json", rt.Method, rt.Pattern)
		}
	}
}

// Every operation of the document reaches a handler: the router answers
// it itself (a JSON answer, or the route's own content), never with the
// mux's plain-text "404 page not found" or "405 method not allowed".
func TestOpenAPIHasNoPathTheRouterDoesNotServe(t *testing.T) {
	w := sqliteWorld(t)
	_, ops := servedDoc(t, w)
	table := map[string]bool{}
	for _, rt := range w.srv.Routes() {
		table[rt.Method+" "+rt.Pattern] = true
	}
	keys := make([]string, 0, len(ops))
	for k := range ops {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	param := regexp.MustCompile(`\{[^}]+\}`)
	for _, op := range keys {
		if !table[op] {
			t.Errorf("document operation %s is not in the route table", op)
		}
		method, path, _ := strings.Cut(op, " ")
		r := w.anon().do(method, param.ReplaceAllString(path, "x"), nil)
		if r.Status == http.StatusMethodNotAllowed || (r.Status == http.StatusNotFound && !json.Valid(r.Body)) {
			t.Errorf("%s: the router does not serve it (%d %q)", op, r.Status, r.Body)
		}
	}
	// And the mux does refuse what is not there, so the check above bites.
	if r := w.anon().get("/api/v1/nowhere"); r.Status != http.StatusNotFound || json.Valid(r.Body) {
		t.Errorf("GET /api/v1/nowhere: %d %q", r.Status, r.Body)
	}
}

// The document shows who may call each route, from the same table line
// the router enforces.
func TestOpenAPIShowsEachRoutesAccess(t *testing.T) {
	w := sqliteWorld(t)
	doc, _ := servedDoc(t, w)
	paths := doc["paths"].(map[string]any)
	for _, rt := range w.srv.Routes() {
		op, _ := paths[rt.Pattern].(map[string]any)[strings.ToLower(rt.Method)].(map[string]any)
		if op == nil {
			continue // reported by TestOpenAPIDescribesEveryRouteOfTheRouter
		}
		if got := str(op["x-relevo-access"]); got != string(rt.Access) {
			t.Errorf("%s %s: x-relevo-access %q, want %q", rt.Method, rt.Pattern, got, rt.Access)
		}
		sec, ok := op["security"].([]any)
		if !ok {
			t.Errorf("%s %s: no security list", rt.Method, rt.Pattern)
		} else if open := rt.Access == "public" || rt.Access == "webhook"; open != (len(sec) == 0) {
			t.Errorf("%s %s (%s): security %v", rt.Method, rt.Pattern, rt.Access, sec)
		}
	}
}
