package store

import (
	"context"
	"fmt"
	"strings"
)

// SetBroadSearch sets how many matching messages make a search broad
// (search.go), so tests run both plans on a small desk;
// below 0, every search is broad.
func SetBroadSearch(s *Store, n int) { s.broad = n }

// TraceLists calls fn with each id query the conversation list runs.
func TraceLists(s *Store, fn func(q string, args []any)) { s.listTrace = fn }

// ExplainList returns the plan the database picks for q, one line per
// node. PostgreSQL is told not to read tables whole: on a test's few rows
// it would, and the plan to judge is the one a large table gets.
func ExplainList(ctx context.Context, s *Store, q string, args []any) (string, error) {
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	explain := "EXPLAIN QUERY PLAN "
	if s.d.name() == "postgres" {
		if _, err := conn.ExecContext(ctx, "SET enable_seqscan = off"); err != nil {
			return "", err
		}
		defer conn.ExecContext(ctx, "RESET enable_seqscan")
		explain = "EXPLAIN "
	}
	rows, err := conn.QueryContext(ctx, explain+q, args...)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return "", err
	}
	var lines []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return "", err
		}
		lines = append(lines, fmt.Sprint(vals[len(vals)-1]))
	}
	return strings.Join(lines, "\n"), rows.Err()
}
