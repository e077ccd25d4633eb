package httpapi

import (
	"encoding/json"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/desk"
)

type decodeTarget struct {
	Name    string `json:"name"`
	Contact struct {
		Name string `json:"name"`
		Age  int    `json:"age"`
	} `json:"contact"`
	Tags []string `json:"tags"`
}

func TestDecodeJSON(t *testing.T) {
	for _, tc := range []struct {
		name        string
		body        string
		contentType string
		limit       int64
		code        desk.Code // "" means success
		details     map[string]any
		optionalOK  bool // decodeOptionalJSON succeeds where decodeJSON fails
	}{
		{name: "object", body: `{"name":"Ana","contact":{"name":"B","age":3}}`},
		{name: "unknown fields accepted", body: `{"name":"Ana","added_later":true}`},
		{name: "json with charset", body: `{}`, contentType: "application/json; charset=utf-8"},
		{name: "trailing whitespace", body: "{}\n\t "},
		{name: "empty", body: "", code: desk.CodeBadRequest, optionalOK: true},
		{name: "only whitespace", body: " \n", code: desk.CodeBadRequest, optionalOK: true},
		{name: "wrong content type", body: `{}`, contentType: "text/plain", code: desk.CodeBadRequest},
		{name: "form content type", body: `name=x`, contentType: "application/x-www-form-urlencoded", code: desk.CodeBadRequest},
		{name: "wrong content type, JSON body", body: `{"name":"x"}`, contentType: "text/plain", code: desk.CodeBadRequest},
		{name: "wrong content type, empty body", body: ``, contentType: "application/x-www-form-urlencoded", code: desk.CodeBadRequest, optionalOK: true},
		{name: "malformed content type", body: `{}`, contentType: "application/json; =", code: desk.CodeBadRequest},
		{name: "syntax error", body: `{"name": nope}`, code: desk.CodeBadRequest, details: map[string]any{"offset": float64(11)}},
		{name: "truncated", body: `{"name":`, code: desk.CodeBadRequest},
		{name: "nested wrong type", body: `{"contact":{"name":5}}`, code: desk.CodeBadRequest,
			details: map[string]any{"field": "contact.name", "expected": "string"}},
		{name: "wrong type in list", body: `{"tags":[1]}`, code: desk.CodeBadRequest,
			details: map[string]any{"field": "tags", "expected": "string"}},
		{name: "not an object", body: `[1]`, code: desk.CodeBadRequest, details: map[string]any{"field": "(body)", "expected": "object"}},
		{name: "two objects", body: `{} {}`, code: desk.CodeBadRequest},
		{name: "trailing garbage", body: `{}x`, code: desk.CodeBadRequest},
		{name: "too large", body: `{"name":"` + strings.Repeat("a", 100) + `"}`, limit: 50,
			code: desk.CodePayloadTooLarge, details: map[string]any{"limit": float64(50)}},
		{name: "too large after the value", body: `{}` + strings.Repeat(" ", 100) + `{}`, limit: 50, code: desk.CodePayloadTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			limit := tc.limit
			if limit == 0 {
				limit = defaultBodyLimit
			}
			for _, optional := range []bool{false, true} {
				req := httptest.NewRequest("POST", "/x", strings.NewReader(tc.body))
				if tc.contentType != "" {
					req.Header.Set("Content-Type", tc.contentType)
				}
				var dst decodeTarget
				decode := decodeJSON
				if optional {
					decode = decodeOptionalJSON
				}
				err := decode(httptest.NewRecorder(), req, &dst, limit)
				want := tc.code
				if optional && tc.optionalOK {
					want = ""
				}
				if want == "" {
					if err != nil {
						t.Errorf("optional=%v: err = %v; want nil", optional, err)
					}
					continue
				}
				if got := desk.ErrorCode(err); got != want {
					t.Fatalf("optional=%v: code = %s (%v); want %s", optional, got, err, want)
				}
				de := err.(*desk.Error)
				for k, v := range tc.details {
					// Round-trip through JSON: that is what the client sees.
					b, _ := json.Marshal(de.Details)
					var wire map[string]any
					_ = json.Unmarshal(b, &wire)
					if !reflect.DeepEqual(wire[k], v) {
						t.Errorf("details[%s] = %#v; want %#v (all: %v)", k, wire[k], v, de.Details)
					}
				}
			}
		})
	}
}

func TestDecodeJSONFillsTarget(t *testing.T) {
	req := httptest.NewRequest("POST", "/x", strings.NewReader(`{"name":"Ana","contact":{"name":"B","age":3},"tags":["a"]}`))
	var dst decodeTarget
	if err := decodeJSON(httptest.NewRecorder(), req, &dst, defaultBodyLimit); err != nil {
		t.Fatal(err)
	}
	if dst.Name != "Ana" || dst.Contact.Age != 3 || len(dst.Tags) != 1 {
		t.Errorf("decoded %+v", dst)
	}
}

func TestDecodeJSONReportsBadTimeAsBadRequest(t *testing.T) {
	req := httptest.NewRequest("POST", "/x", strings.NewReader(`{"at":"yesterday"}`))
	var dst struct {
		At time.Time `json:"at"`
	}
	if err := decodeJSON(httptest.NewRecorder(), req, &dst, defaultBodyLimit); !desk.IsCode(err, desk.CodeBadRequest) {
		t.Errorf("err = %v; want bad_request", err)
	}
}

func TestQueryInt(t *testing.T) {
	for _, tc := range []struct {
		query string
		want  int
		fails bool
	}{
		{"", 50, false},
		{"limit=", 50, false},
		{"limit=1", 1, false},
		{"limit=200", 200, false},
		{"limit=0", 0, true},
		{"limit=201", 0, true},
		{"limit=-5", 0, true},
		{"limit=ten", 0, true},
		{"limit=1.5", 0, true},
	} {
		got, err := queryInt(httptest.NewRequest("GET", "/x?"+tc.query, nil), "limit", 50, 1, 200)
		if tc.fails {
			var de *desk.Error
			if !desk.IsCode(err, desk.CodeValidationFailed) || !asDesk(err, &de) || de.Details["field"] != "limit" {
				t.Errorf("%q: err = %v; want validation_failed on field limit", tc.query, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%q: got %d, %v; want %d", tc.query, got, err, tc.want)
		}
	}
}

func asDesk(err error, de **desk.Error) bool {
	d, ok := err.(*desk.Error)
	*de = d
	return ok
}

func TestParseTimeParam(t *testing.T) {
	for _, tc := range []struct {
		raw   string // already query-escaped
		want  string // RFC 3339 in UTC; "" = nil
		fails bool
	}{
		{"", "", false},
		{"2024-03-01T10:00:00Z", "2024-03-01T10:00:00Z", false},
		{"2024-03-01T10:00:00.5Z", "2024-03-01T10:00:00.5Z", false},
		{"2024-03-01T12:00:00%2B02:00", "2024-03-01T10:00:00Z", false},
		{"2024-03-01T12:00:00+02:00", "2024-03-01T10:00:00Z", false}, // unescaped "+"
		{"2024-03-01", "2024-03-01T00:00:00Z", false},
		{"2024-02-30", "", true},
		{"01/03/2024", "", true},
		{"yesterday", "", true},
		{"1709287200", "", true},
	} {
		got, err := parseTimeParam(httptest.NewRequest("GET", "/x?from="+tc.raw, nil), "from")
		switch {
		case tc.fails:
			if !desk.IsCode(err, desk.CodeValidationFailed) {
				t.Errorf("%q: err = %v; want validation_failed", tc.raw, err)
			}
		case err != nil:
			t.Errorf("%q: %v", tc.raw, err)
		case tc.want == "" && got != nil:
			t.Errorf("%q: got %v; want nil", tc.raw, got)
		case tc.want != "" && (got == nil || got.Format(time.RFC3339Nano) != tc.want):
			t.Errorf("%q: got %v; want %s", tc.raw, got, tc.want)
		}
	}
}

func TestPageEncodesEmptyItemsAsArray(t *testing.T) {
	next := "abc"
	for _, tc := range []struct {
		name string
		page any
		want string
	}{
		{"nil items", page[string]{}, `{"items":[],"next_cursor":null}`},
		{"newPage nil", newPage[int](nil, ""), `{"items":[],"next_cursor":null}`},
		{"with cursor", newPage([]int{1, 2}, "abc"), `{"items":[1,2],"next_cursor":"abc"}`},
		{"pointer", &page[string]{Items: []string{"a"}, NextCursor: &next}, `{"items":["a"],"next_cursor":"abc"}`},
	} {
		b, err := json.Marshal(tc.page)
		if err != nil || string(b) != tc.want {
			t.Errorf("%s: %s, %v; want %s", tc.name, b, err, tc.want)
		}
	}
}

func TestParseListQuery(t *testing.T) {
	q, err := parseListQuery(httptest.NewRequest("GET", "/x?cursor=opaque%3D&limit=10", nil))
	if err != nil || q != (listQuery{Limit: 10, Cursor: "opaque="}) {
		t.Errorf("got %+v, %v", q, err)
	}
	if _, err := parseListQuery(httptest.NewRequest("GET", "/x?limit=500", nil)); !desk.IsCode(err, desk.CodeValidationFailed) {
		t.Errorf("limit=500: err = %v; want validation_failed", err)
	}
}
