package httpapi

import (
	"encoding/json"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/desk"
)

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
