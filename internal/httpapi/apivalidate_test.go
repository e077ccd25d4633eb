package httpapi_test

// Every request and answer of the API tests is checked against the served
// OpenAPI document with kin-openapi's validator (client.raw calls check),
// so the document cannot drift from the server again: an answer that
// breaks its schema, a status or error code the route does not declare, or
// a request the document calls invalid that the server accepts fails the
// test that made it. A request the document calls invalid that the server
// refuses is fine: tests send bad requests on purpose.

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/relevo/relevo/internal/httpapi"
)

// docCheck validates exchanges against one document.
type docCheck struct {
	doc *openapi3.T
	mux *http.ServeMux // finds a request's route and path parameters
}

// docChecks caches a docCheck per document: every world serves the same.
var docChecks sync.Map // string(document) → *docCheck

func init() {
	// The widget loader is JavaScript text; kin-openapi has no decoder for
	// it (nor for the test page's HTML), and reading them as plain text is
	// what their schemas say.
	openapi3filter.RegisterBodyDecoder("text/javascript", openapi3filter.PlainBodyDecoder)
	openapi3filter.RegisterBodyDecoder("text/html", openapi3filter.PlainBodyDecoder)
}

// loadDocCheck loads and lints srv's document (once per document).
func loadDocCheck(t *testing.T, srv *httpapi.Server) *docCheck {
	t.Helper()
	raw := srv.OpenAPI()
	if dc, ok := docChecks.Load(string(raw)); ok {
		return dc.(*docCheck)
	}
	doc, err := openapi3.NewLoader().LoadFromData(raw)
	if err != nil {
		t.Fatalf("kin-openapi cannot load GET /api/openapi.json: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("GET /api/openapi.json is not a valid OpenAPI document: %v", err)
	}
	anyMeansAny(t, doc)
	dc := &docCheck{doc: doc, mux: http.NewServeMux()}
	for _, rt := range srv.Routes() {
		item := doc.Paths.Value(rt.Pattern)
		if item == nil || item.GetOperation(rt.Method) == nil {
			t.Fatalf("route %s %s is not in the document", rt.Method, rt.Pattern)
		}
		route := &routers.Route{Spec: doc, Path: rt.Pattern, PathItem: item, Method: rt.Method, Operation: item.GetOperation(rt.Method)}
		dc.mux.HandleFunc(rt.Method+" "+rt.Pattern, func(_ http.ResponseWriter, r *http.Request) {
			m := r.Context().Value(matchKey{}).(*match)
			m.route, m.params = route, map[string]string{}
			for _, p := range route.Operation.Parameters {
				if p.Value.In == "path" {
					m.params[p.Value.Name] = r.PathValue(p.Value.Name)
				}
			}
		})
	}
	actual, _ := docChecks.LoadOrStore(string(raw), dc)
	return actual.(*docCheck)
}

// jsonSchema2020 validates as OpenAPI 3.1 says: by JSON Schema 2020-12,
// where {} is any value, null included.
var jsonSchema2020 = []openapi3.SchemaValidationOption{openapi3.EnableJSONSchema2020()}

// anyMeansAny marks each empty schema {} as the schema true, which it is in
// JSON Schema 2020-12 (OpenAPI 3.1): any value, null included. kin-openapi
// v0.153.0 checks schemas with $refs by its OpenAPI 3.0 rules, where {}
// refuses null, and so would fail a bot without a flow ("flow": null).
func anyMeansAny(t *testing.T, doc *openapi3.T) {
	t.Helper()
	yes := true
	mark := func(_ string, ref *openapi3.SchemaRef) error {
		if ref.Value != nil && ref.Value.IsEmpty() {
			ref.Value.Always = &yes
		}
		return nil
	}
	var roots []*openapi3.SchemaRef
	for _, s := range doc.Components.Schemas {
		roots = append(roots, s)
	}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			if op.RequestBody != nil {
				for _, mt := range op.RequestBody.Value.Content {
					roots = append(roots, mt.Schema)
				}
			}
			for _, r := range op.Responses.Map() {
				for _, mt := range r.Value.Content {
					roots = append(roots, mt.Schema)
				}
			}
		}
	}
	for _, r := range roots {
		if err := r.WalkSubtree(mark); err != nil {
			t.Fatalf("walk the document's schemas: %v", err)
		}
	}
}

type matchKey struct{}

type match struct {
	route  *routers.Route
	params map[string]string
}

// find is req's route, or nil for a path the route table does not serve.
func (dc *docCheck) find(req *http.Request) *match {
	m := &match{}
	dc.mux.ServeHTTP(httptest.NewRecorder(), req.WithContext(context.WithValue(req.Context(), matchKey{}, m)))
	if m.route == nil {
		return nil
	}
	return m
}

// reporter is where check reports: the test that made the exchange.
type reporter interface {
	Helper()
	Errorf(format string, args ...any)
}

// check validates one exchange: req was sent with body, and answered
// status, header and answer. Mismatches are reported to t.
func (dc *docCheck) check(t reporter, req *http.Request, body []byte, status int, header http.Header, answer []byte) {
	t.Helper()
	m := dc.find(req)
	if m == nil {
		return // not an API route (a 404 or 405 of the mux itself)
	}
	what := req.Method + " " + req.URL.RequestURI()
	in := &openapi3filter.RequestValidationInput{
		Request:    cloneWithBody(req, body),
		PathParams: m.params,
		Route:      m.route,
		Options: &openapi3filter.Options{
			AuthenticationFunc:      openapi3filter.NoopAuthenticationFunc,
			MultiError:              true,
			SchemaValidationOptions: jsonSchema2020,
		},
	}
	ctx := context.Background()
	if err := openapi3filter.ValidateRequest(ctx, in); err != nil && status/100 == 2 {
		t.Errorf("%s: the server accepted (%d) a request the OpenAPI document calls invalid:\n%v", what, status, err)
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 status,
		Header:                 header,
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true,
			SchemaValidationOptions: jsonSchema2020},
	}
	out.SetBodyBytes(answer)
	if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
		t.Errorf("%s: the answer (%d) does not match the OpenAPI document:\n%v\nbody: %.500s", what, status, err, answer)
	}
}

// cloneWithBody is req again with body to read (the sent one is spent).
func cloneWithBody(req *http.Request, body []byte) *http.Request {
	r := req.Clone(context.Background())
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	if len(body) == 0 && !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		r.Body = http.NoBody
	}
	return r
}
