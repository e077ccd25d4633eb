package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/relevo/relevo/internal/desk"
)

// txn is one write transaction plus what it will announce after commit.
type txn struct {
	ctx     context.Context
	tx      *sql.Tx
	s       *Store
	now     time.Time
	changes []desk.Change
	outbox  bool
	// lockWork counts outbox items queued per processing lock.
	lockWork map[string]int
}

// exec, query and queryRow use the writer's prepared statements when there
// are (SQLite, stmtcache.go).
func (t *txn) exec(q string, args ...any) (sql.Result, error) {
	if st := t.s.stmts.get(q); st != nil {
		return t.tx.StmtContext(t.ctx, st).ExecContext(t.ctx, args...)
	}
	return t.tx.ExecContext(t.ctx, q, args...)
}

func (t *txn) query(q string, args ...any) (*sql.Rows, error) {
	if st := t.s.stmts.get(q); st != nil {
		return t.tx.StmtContext(t.ctx, st).QueryContext(t.ctx, args...)
	}
	return t.tx.QueryContext(t.ctx, q, args...)
}

func (t *txn) queryRow(q string, args ...any) *sql.Row {
	if st := t.s.stmts.get(q); st != nil {
		return t.tx.StmtContext(t.ctx, st).QueryRowContext(t.ctx, args...)
	}
	return t.tx.QueryRowContext(t.ctx, q, args...)
}

// tx runs fn in one write transaction and, after a successful commit,
// announces the changes and kicks the outbox.
func (s *Store) tx(ctx context.Context, fn func(*txn) error) error {
	s.stmts.prepare(ctx, s.w) // before BeginTx takes the writer connection
	sqlTx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	t := &txn{ctx: ctx, tx: sqlTx, s: s, now: s.clock.Now()}
	if err := fn(t); err != nil {
		_ = sqlTx.Rollback()
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	if len(t.changes) > 0 && s.onCommit != nil {
		s.onCommit(t.changes)
	}
	if t.outbox && s.onOutbox != nil {
		s.onOutbox()
	}
	return nil
}

// querier is what both *sql.DB and *sql.Tx offer, so read helpers serve
// inside and outside transactions.
type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}
