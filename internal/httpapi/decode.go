package httpapi

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/relevo/relevo/internal/desk"
)

// queryInt reads an integer query parameter, def when absent or empty.
// Values outside [min, max] are refused rather than clamped so a client
// asking for limit=1000 learns it will not get 1000.
func queryInt(r *http.Request, name string, def, min, max int) (int, error) {
	raw := r.URL.Query().Get(name)
	if raw == "" {
		return def, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil {
		return 0, desk.Invalid(name, "must be an integer")
	}
	if n < min || n > max {
		return 0, desk.Invalid(name, "must be between %d and %d", min, max).
			WithDetail("min", min).WithDetail("max", max)
	}
	return n, nil
}

// querySeconds reads a duration query parameter (?threshold=300 or
// ?threshold=5m, desk.ParseSeconds), def when absent or empty; outside
// [min, max] is refused, as queryInt does.
func querySeconds(r *http.Request, name string, def, min, max desk.Seconds) (desk.Seconds, error) {
	raw := r.URL.Query().Get(name)
	if raw == "" {
		return def, nil
	}
	n, err := desk.ParseSeconds(raw)
	if err != nil {
		return 0, desk.InvalidSeconds(name, err.Error())
	}
	if n < min || n > max {
		return 0, desk.Invalid(name, "must be between %d and %d seconds", min, max).
			WithDetail("min", min).WithDetail("max", max)
	}
	return n, nil
}

// parseTimeParam reads an RFC 3339 time or a 2006-01-02 date (midnight UTC)
// from the query; nil when absent. Results are in UTC, as API.md promises.
func parseTimeParam(r *http.Request, name string) (*time.Time, error) {
	raw := r.URL.Query().Get(name)
	if raw == "" {
		return nil, nil
	}
	// An unescaped "+02:00" offset arrives as " 02:00" after query decoding;
	// restoring it is kinder than refusing the commonest hand-typed mistake.
	if i := strings.LastIndexByte(raw, ' '); i > len("2006-01-02") {
		raw = raw[:i] + "+" + raw[i+1:]
	}
	for _, layout := range []string{time.RFC3339Nano, time.DateOnly} {
		if t, err := time.Parse(layout, raw); err == nil {
			t = t.UTC()
			return &t, nil
		}
	}
	return nil, desk.Invalid(name, "must be an RFC 3339 time or a YYYY-MM-DD date")
}

// List limits of API.md's list convention.
const (
	defaultListLimit = 50
	maxListLimit     = 200
)

// listQuery is the ?limit= and ?cursor= pair every list endpoint takes.
type listQuery struct {
	Limit  int
	Cursor string // opaque to the client; the store decides what it holds
}

// parseListQuery reads limit (default 50, 1..200) and cursor.
func parseListQuery(r *http.Request) (listQuery, error) {
	limit, err := queryInt(r, "limit", defaultListLimit, 1, maxListLimit)
	if err != nil {
		return listQuery{}, err
	}
	return listQuery{Limit: limit, Cursor: r.URL.Query().Get("cursor")}, nil
}

// page is one page of a list response.
type page[T any] struct {
	Items      []T     `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

// newPage builds a page; next == "" means this is the last page.
func newPage[T any](items []T, next string) page[T] {
	p := page[T]{Items: items}
	if next != "" {
		p.NextCursor = &next
	}
	return p
}

// MarshalJSON writes an empty list as [] rather than null, whoever built
// the page: clients iterate over items without a null check.
func (p page[T]) MarshalJSON() ([]byte, error) {
	type plain page[T] // drops the method, so no recursion
	if p.Items == nil {
		p.Items = []T{}
	}
	return json.Marshal(plain(p))
}
