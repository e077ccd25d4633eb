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

// SetCollectSearch sets, on SQLite, how many matching messages make the
// broad plan seek per conversation rather than collect the matches once
// (search.go); below 0, it always seeks.
func SetCollectSearch(s *Store, n int) { s.collect = n }

// SearchPlan is SQLite's EXPLAIN QUERY PLAN of a page of the updated sort
// filtered by the search q in the broad plan, one line per step; collect
// as SetCollectSearch.
func SearchPlan(ctx context.Context, s *Store, q string, collect int) ([]string, error) {
	s.broad, s.collect = -1, collect
	defer func() { s.broad, s.collect = 0, 0 }()
	w := &where{}
	if err := s.search(ctx, w, q); err != nil {
		return nil, err
	}
	rows, err := s.r.QueryContext(ctx, `EXPLAIN QUERY PLAN SELECT c.id FROM conversations c`+w.sql()+
		` ORDER BY c.last_message_at DESC, c.id DESC LIMIT 51`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			return nil, err
		}
		plan = append(plan, detail)
	}
	return plan, rows.Err()
}

// SearchSegmentIDs counts the distinct segments message_words' term index
// names: a second reading of the structure record's count, for tests.
func SearchSegmentIDs(ctx context.Context, s *Store) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT count(DISTINCT segid) FROM message_words_idx`).Scan(&n)
	return n, err
}
