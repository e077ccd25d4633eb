package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/relevo/relevo/internal/desk"
)

// txn is one write request plus what it will announce after commit. On
// SQLite it is one request of a group-committed batch (committer.go); on
// PostgreSQL, or with group commit off, its own transaction.
type txn struct {
	ctx context.Context
	tx  txConn  // what request code runs statements on
	raw *sql.Tx // the shared transaction, for prepared statements
	s   *Store
	now time.Time
	// changes and outbox are announced after the commit.
	changes []desk.Change
	outbox  bool
	// lockWork counts outbox items queued per processing lock.
	lockWork map[string]int
	// Deferred writes (pending.go): queued statements, conversation row
	// patches, the seqs of conversations whose row the txn has locked,
	// and a flush's error, which fails the request.
	pending  []deferred
	patches  []*convPatch
	seqs     map[string]int64
	flushErr error
	flushing bool
	// view asks for a conversation as a viewer sees it, read at the end
	// of the request (run).
	view *viewRequest
	// plan is what the PostgreSQL connection sends with the next statement
	// (pgpipe.go): the deferred writes, and the COMMIT with the last read;
	// nil on SQLite.
	plan *pgPlan
}

// txConn is the transaction as request code sees it (a querier, plus
// ExecContext). In a batch, statements ignore the request's cancellation:
// SQLite answers a write interrupted inside a transaction by rolling back
// the whole transaction, which would take every other request of the batch
// with it. A request whose context ends before its turn is not run at all.
type txConn struct {
	tx     *sql.Tx
	pinned bool
	// w's deferred writes are sent before any statement (pending.go).
	w *txn
}

func (c txConn) flush() error {
	if c.w == nil {
		return nil
	}
	return c.w.flush()
}

func (c txConn) ctx(ctx context.Context) context.Context {
	if c.pinned {
		return context.WithoutCancel(ctx)
	}
	return ctx
}

func (c txConn) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if err := c.flush(); err != nil {
		return nil, err
	}
	return c.tx.ExecContext(c.ctx(ctx), q, args...)
}

func (c txConn) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if err := c.flush(); err != nil {
		return nil, err
	}
	return c.tx.QueryContext(c.ctx(ctx), q, args...)
}

func (c txConn) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	_ = c.flush() // its error fails the request (txn.flushErr)
	return c.tx.QueryRowContext(c.ctx(ctx), q, args...)
}

// queryRowPrepared is QueryRowContext through the writer's statement
// cache (stmtcache.go), for the hot reads helpers share with the readers
// (conversationWhere); other helpers' statements stay unprepared, so
// texts built per call (id lists) cannot fill the cache.
func (c txConn) queryRowPrepared(ctx context.Context, q string, args ...any) *sql.Row {
	_ = c.flush() // its error fails the request (txn.flushErr)
	if c.w != nil {
		if st := c.w.s.stmts.get(q); st != nil {
			ctx = c.ctx(ctx)
			return c.tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
		}
	}
	return c.tx.QueryRowContext(c.ctx(ctx), q, args...)
}

// exec, query and queryRow send the deferred writes first, then use the
// writer's prepared statements when there are (SQLite, stmtcache.go).
func (t *txn) exec(q string, args ...any) (sql.Result, error) {
	if err := t.flush(); err != nil {
		return nil, err
	}
	if st := t.s.stmts.get(q); st != nil {
		return t.raw.StmtContext(t.ctx, st).ExecContext(t.ctx, args...)
	}
	return t.raw.ExecContext(t.ctx, q, args...)
}

func (t *txn) query(q string, args ...any) (*sql.Rows, error) {
	if err := t.flush(); err != nil {
		return nil, err
	}
	if st := t.s.stmts.get(q); st != nil {
		return t.raw.StmtContext(t.ctx, st).QueryContext(t.ctx, args...)
	}
	return t.raw.QueryContext(t.ctx, q, args...)
}

func (t *txn) queryRow(q string, args ...any) *sql.Row {
	_ = t.flush() // its error fails the request (txn.flushErr)
	if st := t.s.stmts.get(q); st != nil {
		return t.raw.StmtContext(t.ctx, st).QueryRowContext(t.ctx, args...)
	}
	return t.raw.QueryRowContext(t.ctx, q, args...)
}

// tx runs fn as one atomic write and, once it is committed, announces the
// changes and kicks the outbox. An error from fn undoes all of fn's writes
// and nothing else.
func (s *Store) tx(ctx context.Context, write func(*txn) error) error {
	fn := func(t *txn) error {
		err := write(t)
		if err == nil {
			err = t.flush()
		}
		if err == nil {
			// On PostgreSQL the writes just flushed go with the first of
			// these reads, and the COMMIT with the last (pgpipe.go).
			err = t.attachPayloads()
		}
		if ferr := t.writeErr(); ferr != nil {
			err = ferr // what failed first; later statements' errors follow from it
		}
		if err != nil {
			t.discard()
		}
		return err
	}
	if s.commits != nil {
		return s.commits.do(ctx, fn)
	}
	s.stmts.prepare(ctx, s.w) // before BeginTx takes the writer connection
	var plan *pgPlan
	if s.d.name() == "postgres" {
		plan = &pgPlan{}
	}
	// The plan reaches the connection through BeginTx's context only; the
	// statements' context stays the caller's.
	sqlTx, err := s.w.BeginTx(withPgPlan(ctx, plan), nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	t := &txn{ctx: ctx, tx: txConn{tx: sqlTx}, raw: sqlTx, s: s, now: s.clock.Now(), plan: plan}
	t.tx.w = t
	if err := fn(t); err != nil {
		_ = sqlTx.Rollback()
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	s.announce(t)
	return nil
}

// announce publishes what a committed txn changed and kicks the outbox.
func (s *Store) announce(t *txn) {
	if len(t.changes) > 0 && s.onCommit != nil {
		s.onCommit(t.changes)
	}
	if t.outbox && s.onOutbox != nil {
		s.onOutbox()
	}
}

// querier is what both *sql.DB and *sql.Tx offer, so read helpers serve
// inside and outside transactions.
type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}
