package httpapi_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// The requests of the issue "What a new user tripped over" (item 16) that
// the document used to call invalid while the server took them: every one
// goes through the validating client, so each fails here if the document
// lies about it again.
func TestOpenAPIAcceptsWhatTheServerAccepts(t *testing.T) {
	w := sqliteWorld(t)
	adm := w.adm()
	w.online(w.agent)
	w.online(w.agent2)
	alice := w.login(w.agent)

	id := w.waitingConv("truth-1")
	alice.post("/api/v1/conversations/"+id+"/assign", "{}").want(200) // assign {}
	w.drain()
	alice.post("/api/v1/conversations/"+id+"/transfer", map[string]any{ // no team_id
		"agent_id": w.agent2.ID, "reason_id": w.reason.ID}).want(200)
	adm.do("PATCH", "/api/v1/users/"+w.agent.ID, map[string]any{"name": "Alice A."}).want(200) // no password
	w.token(w.botA.ID).post("/api/v1/channels/"+w.apiA.ID+"/inbound", map[string]any{          // no email
		"contact": map[string]any{"external_id": "truth-2"}, "message": map[string]any{"id": "m-truth-2", "text": "hi"}}).want(200)
	// Tags, reasons and templates without the id and status the server sets.
	adm.post("/api/v1/tags", map[string]any{"name": "Truth"}).want(200)
	adm.post("/api/v1/reasons", map[string]any{"name": "Truth"}).want(200)
	adm.post("/api/v1/templates", map[string]any{"channel_id": w.waA.ID, "name": "truth", "language": "en", "body": "Hi"}).want(200)
	// And the answers the document used to get wrong: the report as CSV, a
	// download with its real type, the document itself as JSON.
	w.login(w.sup).get("/api/v1/reports/conversations?format=csv").want(200)
	adm.get("/api/openapi.json").want(200)
}

// recorder stands in for a test to see what the checker reports.
type recorder struct{ errs []string }

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, a ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, a...))
}

// The checker itself bites: an answer off its schema, an undeclared
// status or error code, and a request the document refuses but the server
// took are each reported; a refused bad request is not.
func TestOpenAPICheckerReportsMismatches(t *testing.T) {
	w := sqliteWorld(t)
	req := func(method, path string) *http.Request {
		r, err := http.NewRequest(method, w.ts.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		r.Header.Set("Content-Type", "application/json")
		return r
	}
	jsonHeader := http.Header{"Content-Type": {"application/json"}}
	errBody := func(code string) []byte {
		return []byte(`{"error":{"code":"` + code + `","message":"m"}}`)
	}
	for _, tc := range []struct {
		name         string
		method, path string
		body         string
		status       int
		answer       []byte
		want         string // "" for no report
	}{
		{"answer off its schema", "GET", "/api/v1/me", "", 200, []byte(`{"id":1}`), "does not match"},
		{"undeclared status", "GET", "/api/v1/me", "", 418, errBody("conflict"), "does not match"},
		{"undeclared code", "POST", "/api/v1/conversations/x/assign", "", 409, errBody("window_closed"), "does not match"},
		{"declared code", "POST", "/api/v1/conversations/x/assign", "", 409, errBody("already_assigned"), ""},
		{"invalid request taken", "POST", "/api/v1/tags", `{"color":"#fff"}`, 200, []byte(`{"id":"t","name":"n"}`), "calls invalid"},
		{"invalid request refused", "POST", "/api/v1/tags", `{"color":"#fff"}`, 422, errBody("validation_failed"), ""},
	} {
		var rec recorder
		w.doc.check(&rec, req(tc.method, tc.path), []byte(tc.body), tc.status, jsonHeader, tc.answer)
		got := strings.Join(rec.errs, "\n")
		if tc.want == "" && got != "" || tc.want != "" && !strings.Contains(got, tc.want) {
			t.Errorf("%s: reported %q, want %q", tc.name, got, tc.want)
		}
	}
}

// answer is a response of the document, or a $ref to one.
type answer struct {
	Ref     string                                      `json:"$ref"`
	Content map[string]struct{ Schema json.RawMessage } `json:"content"`
}

// What the document says of the answers no API test drives to success.
func TestOpenAPIDocumentsEveryAnswer(t *testing.T) {
	w := sqliteWorld(t)
	var doc struct {
		Servers []struct{ URL string } `json:"servers"`
		Paths   map[string]map[string]struct {
			RequestBody struct {
				Content map[string]struct{ Schema map[string]any } `json:"content"`
			} `json:"requestBody"`
			Responses map[string]answer `json:"responses"`
		} `json:"paths"`
		Components struct {
			Responses map[string]answer `json:"responses"`
		} `json:"components"`
	}
	w.anon().get("/api/openapi.json").want(200).into(&doc)
	if len(doc.Servers) != 1 || doc.Servers[0].URL != "/" {
		t.Errorf("servers = %+v, want one relative /", doc.Servers)
	}
	for _, path := range []string{"/api/v1/ws", "/widget/v1/ws"} {
		if _, ok := doc.Paths[path]["get"].Responses["101"]; !ok {
			t.Errorf("GET %s does not document 101 Switching Protocols", path)
		}
		if _, ok := doc.Paths[path]["get"].Responses["200"]; ok {
			t.Errorf("GET %s documents 200", path)
		}
	}
	if s := doc.Paths["/webhooks/whatsapp/{channel_id}"]["post"].RequestBody.Content["application/json"].Schema; s["type"] != "object" {
		t.Errorf("WhatsApp webhook body schema = %v, want an object", s)
	}
	if s := string(doc.Paths["/api/openapi.json"]["get"].Responses["200"].Content["application/json"].Schema); !strings.Contains(s, `"object"`) {
		t.Errorf("/api/openapi.json answer schema = %s, want an object", s)
	}
	if _, ok := doc.Paths["/api/v1/reports/conversations"]["get"].Responses["200"].Content["text/csv"]; !ok {
		t.Errorf("the CSV report is not documented")
	}
	for _, path := range []string{"/api/v1/uploads/{id}", "/widget/v1/uploads/{id}"} {
		content := doc.Paths[path]["get"].Responses["200"].Content
		if _, ok := content["image/*"]; !ok || content["application/octet-stream"].Schema != nil {
			t.Errorf("GET %s documents %v, want the uploaded types", path, slices.Sorted(maps.Keys(content)))
		}
	}
	codes := func(path, method, status string) string {
		a := doc.Paths[path][method].Responses[status]
		if name, ok := strings.CutPrefix(a.Ref, "#/components/responses/"); ok {
			a = doc.Components.Responses[name]
		}
		return string(a.Content["application/json"].Schema)
	}
	for _, tc := range []struct{ path, status, code string }{
		{"/api/v1/conversations/{id}/assign", "409", `"already_assigned"`},
		{"/api/v1/conversations/{id}/transfer", "422", `"reason_required"`},
		{"/api/v1/conversations/{id}/transfer", "423", `"conversation_locked"`},
	} {
		if got := codes(tc.path, "post", tc.status); !strings.Contains(got, tc.code) {
			t.Errorf("POST %s %s = %s, want %s among its codes", tc.path, tc.status, got, tc.code)
		}
	}
	if got := codes("/api/v1/conversations/{id}/assign", "post", "422"); strings.Contains(got, "reason_required") {
		t.Errorf("assign's 422 lists reason_required: %s", got)
	}
}
