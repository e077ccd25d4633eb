package httpkit

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/relevo/relevo/internal/desk"
)

type textsInner struct {
	Title string `json:"title"`
}

type textsEmbedded struct {
	Label string `json:"label"`
}

type textsTarget struct {
	textsEmbedded
	Name     string            `json:"name"`
	Body     string            `json:"body" text:"multiline"`
	Said     string            `json:"said" text:"strip"`
	Who      *string           `json:"who" text:"strip-line"`
	Items    []textsInner      `json:"items"`
	Attrs    map[string]string `json:"attrs" text:"multiline"`
	Any      any               `json:"any"`
	Raw      json.RawMessage   `json:"raw"`
	Untagged string
}

// The decoder holds every string of a request to desk's text rules, and
// names the JSON path of the first refusal.
func TestDecodeAppliesTheTextRules(t *testing.T) {
	for _, tc := range []struct {
		body, field string // field "" means accepted
	}{
		{`{"name": "ok", "body": "a\nb\tc", "raw": {"x": "\u0000"}}`, ""},
		{`{"name": "nul\u0000"}`, "name"},
		{`{"label": "bidi\u202e"}`, "label"},
		{`{"body": "esc\u001b"}`, "body"},
		{`{"items": [{"title": "ok"}, {"title": "two\nlines"}]}`, "items[1].title"},
		{`{"attrs": {"plan": "bell\u0007"}}`, "attrs.plan"},
		{`{"attrs": {"pl\nan": "gold"}}`, "attrs.pl\nan"},
		{`{"any": {"deep": ["\u0000"]}}`, "any.deep[0]"},
		{`{"Untagged": "\u0085"}`, "Untagged"},
		{`"\u0000"`, ""}, // not our type: the decode error is the json package's
	} {
		var dst textsTarget
		r := httptest.NewRequest("POST", "/", strings.NewReader(tc.body))
		err := DecodeJSON(httptest.NewRecorder(), r, &dst, 1<<10)
		if tc.body[0] == '"' {
			if desk.ErrorCode(err) != desk.CodeBadRequest {
				t.Errorf("%s: %v", tc.body, err)
			}
			continue
		}
		if tc.field == "" {
			if err != nil {
				t.Errorf("%s: %v", tc.body, err)
			}
			continue
		}
		var de *desk.Error
		if e, ok := err.(*desk.Error); ok {
			de = e
		}
		if de == nil || de.Code != desk.CodeValidationFailed || de.Details["field"] != tc.field {
			t.Errorf("%s: %v, want validation_failed on %q", tc.body, err, tc.field)
		}
	}
}

func TestDecodeNormalisesAndStrips(t *testing.T) {
	var dst textsTarget
	body := `{"body": "a\r\nb\rc", "said": "hi\u0000 there\r\n", "who": "Dana\u202e\tCosta", "attrs": {"addr": "1 Way\r\nTown"}}`
	if err := DecodeJSON(httptest.NewRecorder(), httptest.NewRequest("POST", "/", strings.NewReader(body)), &dst, 1<<10); err != nil {
		t.Fatal(err)
	}
	if dst.Body != "a\nb\nc" || dst.Said != "hi there\n" || *dst.Who != "Dana Costa" || dst.Attrs["addr"] != "1 Way\nTown" {
		t.Fatalf("decoded %+v (who %q)", dst, *dst.Who)
	}
}

func TestRequestParamsRefuseControls(t *testing.T) {
	for target, field := range map[string]string{
		"/api/v1/conversations?q=hello":           "",
		"/api/v1/conversations?q=%00":             "q",
		"/api/v1/conversations?q=%1b":             "q",
		"/api/v1/conversations?q=%ff":             "q",
		"/api/v1/conversations?%00=1":             "(query)",
		"/api/v1/conversations/%00":               "(path)",
		"/api/v1/conversations/caf%C3%A9?q=a%20b": "",
	} {
		err := CheckRequestParams(httptest.NewRequest("GET", target, nil))
		if field == "" {
			if err != nil {
				t.Errorf("%s: %v", target, err)
			}
			continue
		}
		if desk.ErrorCode(err) != desk.CodeBadRequest || err.(*desk.Error).Details["field"] != field {
			t.Errorf("%s: %v, want bad_request on %s", target, err, field)
		}
	}
}
