package store

import "context"

// ReadMarksClosed counts reads rows by their closed flag (migration 0024):
// set, and out of step with their conversation's phase.
func ReadMarksClosed(ctx context.Context, s *Store) (closed, wrong int, err error) {
	err = s.r.QueryRowContext(ctx, `SELECT
		COALESCE(SUM(r.closed), 0),
		COALESCE(SUM(CASE WHEN (r.closed = 1) <> (c.phase = 'closed') THEN 1 ELSE 0 END), 0)
		FROM reads r JOIN conversations c ON c.id = r.conversation_id`).Scan(&closed, &wrong)
	return closed, wrong, err
}
