package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/relevo/relevo/internal/desk"
)

type scanner interface{ Scan(dest ...any) error }

// cleanText trims v and checks it is present (when required) and at most
// max characters long.
func cleanText(field, v string, required bool, max int) (string, error) {
	v = strings.TrimSpace(v)
	if required && v == "" {
		return "", desk.Invalid(field, "required")
	}
	if utf8.RuneCountInString(v) > max {
		return "", desk.Invalid(field, "at most %d characters", max)
	}
	return v, nil
}

// paramList is "$from, $from+1, ..." for n parameters.
func paramList(from, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "$%d", from+i)
	}
	return b.String()
}

func anyArgs(ids []string) []any {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return args
}

// uniqueIDs drops repeated ids, keeping the first of each.
func uniqueIDs(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// firstMissing returns the first of ids that selectIn (a query ending in
// "id IN") does not yield, or "" when all exist.
func (t *txn) firstMissing(selectIn string, ids []string) (string, error) {
	if len(ids) == 0 {
		return "", nil
	}
	found, err := loadPairs(t.ctx, t.tx, `SELECT id, id FROM (`+selectIn+` (%s)) x`, ids)
	if err != nil {
		return "", err
	}
	for _, id := range ids {
		if _, ok := found[id]; !ok {
			return id, nil
		}
	}
	return "", nil
}

// queryList runs query and scans every row with scan. The list is never
// nil, so it encodes as [] in JSON.
func queryList[T any](ctx context.Context, q querier, what, query string, args []any, scan func(scanner) (T, error)) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	defer rows.Close()
	list := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("store: %s: %w", what, err)
		}
		list = append(list, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	return list, nil
}

// loadPairs runs query, whose "%s" is replaced by one parameter per key,
// and groups the (key, value) rows it returns by key.
func loadPairs(ctx context.Context, q querier, query string, keys []string) (map[string][]string, error) {
	out := map[string][]string{}
	if len(keys) == 0 {
		return out, nil
	}
	pairs, err := queryList(ctx, q, "load", fmt.Sprintf(query, paramList(1, len(keys))), anyArgs(keys),
		func(sc scanner) (p [2]string, err error) { return p, sc.Scan(&p[0], &p[1]) })
	if err != nil {
		return nil, err
	}
	for _, p := range pairs {
		out[p[0]] = append(out[p[0]], p[1])
	}
	return out, nil
}

func collectIDs(rows interface {
	Next() bool
	Scan(...any) error
	Err() error
	Close() error
}) ([]string, error) {
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// ms converts a time to the stored integer milliseconds.
func ms(t time.Time) int64 { return t.UnixMilli() }

// msPtr converts an optional time.
func msPtr(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UnixMilli()
}

// fromMS converts stored milliseconds back to UTC.
func fromMS(v int64) time.Time { return time.UnixMilli(v).UTC() }

// fromNullMS converts an optional stored time.
func fromNullMS(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := fromMS(v.Int64)
	return &t
}

func nullStr(v sql.NullString) *string {
	if !v.Valid {
		return nil
	}
	s := v.String
	return &s
}

func strOrNil(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// where builds a conjunction of conditions with numbered placeholders.
type where struct {
	conds []string
	args  []any
}

// arg adds a value and returns its placeholder.
func (w *where) arg(v any) string {
	w.args = append(w.args, v)
	return fmt.Sprintf("$%d", len(w.args))
}

// in returns a placeholder list for vs.
func (w *where) in(vs []string) string {
	marks := make([]string, len(vs))
	for i, v := range vs {
		marks[i] = w.arg(v)
	}
	return strings.Join(marks, ", ")
}

func (w *where) add(cond string) { w.conds = append(w.conds, cond) }

func (w *where) sql() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}
