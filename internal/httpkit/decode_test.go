package httpkit

import (
	"encoding/json"
	"errors"
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
		optionalOK  bool // DecodeOptionalJSON succeeds where DecodeJSON fails
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
				limit = DefaultBodyLimit
			}
			for _, optional := range []bool{false, true} {
				req := httptest.NewRequest("POST", "/x", strings.NewReader(tc.body))
				if tc.contentType != "" {
					req.Header.Set("Content-Type", tc.contentType)
				}
				var dst decodeTarget
				decode := DecodeJSON
				if optional {
					decode = DecodeOptionalJSON
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
	if err := DecodeJSON(httptest.NewRecorder(), req, &dst, DefaultBodyLimit); err != nil {
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
	if err := DecodeJSON(httptest.NewRecorder(), req, &dst, DefaultBodyLimit); !desk.IsCode(err, desk.CodeBadRequest) {
		t.Errorf("err = %v; want bad_request", err)
	}
}

func TestDecodeStrictJSONRefusesUnknownFields(t *testing.T) {
	var dst struct {
		Name string `json:"name"`
	}
	req := httptest.NewRequest("POST", "/x", strings.NewReader(`{"name":"Ana","nmae":"typo"}`))
	err := DecodeStrictJSON(httptest.NewRecorder(), req, &dst, DefaultBodyLimit)
	var de *desk.Error
	if !errors.As(err, &de) || de.Code != desk.CodeValidationFailed || de.Details["field"] != "nmae" {
		t.Errorf("err = %#v; want validation_failed on field nmae", err)
	}
	// The same body is fine for the lenient decoder.
	req = httptest.NewRequest("POST", "/x", strings.NewReader(`{"name":"Ana","nmae":"typo"}`))
	if err := DecodeJSON(httptest.NewRecorder(), req, &dst, DefaultBodyLimit); err != nil {
		t.Errorf("DecodeJSON: %v", err)
	}
}
