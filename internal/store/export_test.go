package store

import "context"

// SetBroadSearch sets how many matching messages make a search broad
// (search.go), so tests run both plans on a small desk;
// below 0, every search is broad.
func SetBroadSearch(s *Store, n int) { s.broad = n }

// SearchPlan is SQLite's EXPLAIN QUERY PLAN of a page of the updated sort
// filtered by the search q in the broad plan, one line per step.
func SearchPlan(ctx context.Context, s *Store, q string) ([]string, error) {
	s.broad = -1
	defer func() { s.broad = 0 }()
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
