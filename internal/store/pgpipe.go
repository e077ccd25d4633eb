package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

// PostgreSQL's write transactions in fewer round trips (docs/PERFORMANCE.md,
// "PostgreSQL with fsync on: round trips cut again"). Each statement is a
// round trip: a wake-up of the server's process and of ours, which on a
// small machine costs more than the commit's WAL flush. The store opens
// PostgreSQL through this driver, a thin layer over pgx's database/sql
// driver that owes the server what need not be answered on its own and
// sends it with the next statement, in one pgx batch (one round trip):
//
//   - BEGIN: a transaction's BEGIN goes with its first statement;
//   - the transaction's deferred writes (pending.go), handed over in its
//     pgPlan, go with its next statement;
//   - COMMIT goes with the statement the pgPlan marks as the last (the
//     final read of the conversation), so one round trip carries the last
//     writes, that read and the COMMIT.
//
// Every guarantee of a plain transaction is kept: the members of a batch
// run in order on the transaction's connection, an error stops the rest
// (the server skips to the batch's end, and the transaction is rolled
// back), and the statement that carries the COMMIT returns its rows only
// once the COMMIT succeeded; its error otherwise.

// pgPlan is what a write transaction hands its connection to send with
// its next statement. It is bound to the connection at BeginTx (through
// the context) and used only by that connection.
type pgPlan struct {
	before []deferred // writes sent ahead of the next statement
	commit bool       // COMMIT after the next statement
	// err is the first error of a write in before: the request fails with
	// it (a unique violation reaches Inbound's retry as such).
	err error
}

type pgPlanKey struct{}

func withPgPlan(ctx context.Context, p *pgPlan) context.Context {
	return context.WithValue(ctx, pgPlanKey{}, p)
}

// pipeDriver opens pipeConns over pgx's driver; tr counts what they send
// (nil: nothing).
type pipeDriver struct {
	inner driver.Driver
	tr    *StatementTrace
}

func (d pipeDriver) Open(dsn string) (driver.Conn, error) {
	c, err := d.inner.Open(dsn)
	if err != nil {
		return nil, err
	}
	sc, ok := c.(*stdlib.Conn)
	if !ok {
		c.Close()
		return nil, fmt.Errorf("store: the PostgreSQL driver is not pgx (%T)", c)
	}
	return &pipeConn{c: sc, tr: d.tr}, nil
}

// pipeConn is one connection. database/sql uses a connection from one
// goroutine at a time, so its fields need no lock.
type pipeConn struct {
	c  *stdlib.Conn
	tr *StatementTrace
	// begin: a transaction was begun and its BEGIN not sent yet.
	begin bool
	// plan is the open transaction's, if it has one.
	plan *pgPlan
	// committed: the last statement carried the COMMIT, so Commit has
	// nothing left to send.
	committed bool
	txCtx     context.Context
}

// pgx is the connection under database/sql (seed_copy.go uses it too).
func (c *pipeConn) pgx() *pgx.Conn { return c.c.Conn() }

func (c *pipeConn) owes() bool {
	return c.begin || (c.plan != nil && (len(c.plan.before) > 0 || c.plan.commit))
}

func (c *pipeConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if c.pgx().IsClosed() {
		return nil, driver.ErrBadConn
	}
	if opts.Isolation != 0 || opts.ReadOnly {
		// Not the store's write transactions: pgx's own, BEGIN at once.
		c.tr.count(traceBegin)
		tx, err := c.c.BeginTx(ctx, opts)
		if err != nil {
			return nil, err
		}
		return tracedTx{tx: tx, tr: c.tr}, nil
	}
	p, _ := ctx.Value(pgPlanKey{}).(*pgPlan)
	c.begin, c.plan, c.committed, c.txCtx = true, p, false, ctx
	return pipeTx{c: c}, nil
}

func (c *pipeConn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

func (c *pipeConn) ExecContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	if len(args) == 0 {
		// It may hold several statements (a migration), which only the
		// simple protocol takes, and pgx sends it so: what is owed goes
		// first, on its own.
		if err := c.settle(ctx); err != nil {
			return nil, err
		}
	}
	if !c.owes() || len(args) == 0 {
		c.tr.noteText(q)
		return c.c.ExecContext(ctx, q, args)
	}
	var tag pgconn.CommandTag
	err := c.batch(ctx, q, values(args), func(br pgx.BatchResults) (err error) {
		tag, err = br.Exec()
		return err
	})
	if err != nil {
		return nil, err
	}
	return driver.RowsAffected(tag.RowsAffected()), nil
}

func (c *pipeConn) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	if !c.owes() {
		c.tr.noteText(q)
		return c.c.QueryContext(ctx, q, args)
	}
	var rows *bufferedRows
	err := c.batch(ctx, q, values(args), func(br pgx.BatchResults) (err error) {
		rows, err = bufferRows(c.pgx().TypeMap(), br)
		return err
	})
	if err != nil {
		return nil, err
	}
	return rows, nil
}

// batch sends what is owed and q (nil: none) in one round trip, and reads
// the results in order: the owed BEGIN and writes, q's (through read), the
// COMMIT if the plan asked for it. What is owed is consumed whatever
// happens: on an error the transaction is rolled back.
func (c *pipeConn) batch(ctx context.Context, q string, args []any, read func(pgx.BatchResults) error) error {
	var b pgx.Batch
	begin := c.begin
	var before []deferred
	commit := false
	if c.plan != nil {
		before, commit = c.plan.before, c.plan.commit
		c.plan.before, c.plan.commit = nil, false
	}
	c.begin = false
	if begin {
		b.Queue("BEGIN")
	}
	for _, d := range before {
		b.Queue(d.q, d.args...)
	}
	if read != nil {
		b.Queue(q, args...)
	}
	if commit {
		b.Queue("COMMIT")
	}
	c.tr.noteBatch(begin, before, q, read != nil, commit)
	br := c.pgx().SendBatch(ctx, &b)
	err := c.results(br, begin, before, read, commit)
	if cerr := br.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil && pgconn.SafeToRetry(err) {
		return driver.ErrBadConn // nothing reached the server
	}
	return err
}

func (c *pipeConn) results(br pgx.BatchResults, begin bool, before []deferred, read func(pgx.BatchResults) error, commit bool) error {
	if begin {
		if _, err := br.Exec(); err != nil {
			return fmt.Errorf("begin: %w", err)
		}
	}
	for _, d := range before {
		if _, err := br.Exec(); err != nil {
			if c.plan != nil && c.plan.err == nil {
				c.plan.err = fmt.Errorf("store: %s: %w", d.what, err)
			}
			return err
		}
	}
	if read != nil {
		if err := read(br); err != nil {
			return err
		}
	}
	if commit {
		tag, err := br.Exec()
		if err != nil {
			return fmt.Errorf("commit: %w", err)
		}
		if tag.String() == "ROLLBACK" {
			return fmt.Errorf("commit: %w", pgx.ErrTxCommitRollback)
		}
		c.committed = true
	}
	return nil
}

// settle sends the owed BEGIN and writes on their own, for the statements
// that cannot carry them (prepared, or several in one text). A COMMIT asked
// for stays owed: it must follow the statement, and goes with Commit.
func (c *pipeConn) settle(ctx context.Context) error {
	if !c.begin && (c.plan == nil || len(c.plan.before) == 0) {
		return nil
	}
	commit := false
	if c.plan != nil {
		commit, c.plan.commit = c.plan.commit, false
	}
	err := c.batch(ctx, "", nil, nil)
	if c.plan != nil {
		c.plan.commit = commit
	}
	return err
}

func (c *pipeConn) Prepare(q string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), q)
}

func (c *pipeConn) PrepareContext(ctx context.Context, q string) (driver.Stmt, error) {
	c.tr.count(tracePrepare)
	st, err := c.c.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	return &pipeStmt{tracedStmt: tracedStmt{s: st, q: q, tr: c.tr}, c: c}, nil
}

func (c *pipeConn) Close() error { return c.c.Close() }

func (c *pipeConn) Ping(ctx context.Context) error { return c.c.Ping(ctx) }

// ResetSession also drops what an abandoned transaction owed; pgx's discards
// a connection left inside a transaction.
func (c *pipeConn) ResetSession(ctx context.Context) error {
	c.begin, c.plan, c.committed, c.txCtx = false, nil, false, nil
	return c.c.ResetSession(ctx)
}

func (c *pipeConn) CheckNamedValue(nv *driver.NamedValue) error { return c.c.CheckNamedValue(nv) }

// pipeTx ends a pipeConn's transaction with what is left to send.
type pipeTx struct{ c *pipeConn }

func (t pipeTx) Commit() error {
	c := t.c
	defer func() { c.plan, c.txCtx = nil, nil }()
	switch {
	case c.committed:
		c.committed = false
		return nil
	case c.begin && (c.plan == nil || len(c.plan.before) == 0):
		c.begin = false // nothing was sent: nothing to commit
		return nil
	}
	if c.plan == nil {
		c.plan = &pgPlan{}
	}
	c.plan.commit = true
	err := c.batch(c.txCtx, "", nil, nil)
	c.committed = false
	return err
}

func (t pipeTx) Rollback() error {
	c := t.c
	c.begin, c.committed, c.plan = false, false, nil // never sent
	if c.pgx().PgConn().TxStatus() == 'I' {
		return nil // the server is in no transaction (a failed COMMIT ended it)
	}
	c.tr.count(traceCommit)
	ctx := c.txCtx
	if ctx == nil || ctx.Err() != nil {
		ctx = context.Background()
	}
	c.txCtx = nil
	_, err := c.pgx().Exec(ctx, "ROLLBACK")
	if errors.Is(err, context.Canceled) {
		return driver.ErrBadConn
	}
	return err
}

// pipeStmt is a statement prepared through database/sql: what is owed goes
// first, on its own.
type pipeStmt struct {
	tracedStmt
	c *pipeConn
}

func (s *pipeStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	if err := s.c.settle(ctx); err != nil {
		return nil, err
	}
	return s.tracedStmt.ExecContext(ctx, args)
}

func (s *pipeStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	if err := s.c.settle(ctx); err != nil {
		return nil, err
	}
	return s.tracedStmt.QueryContext(ctx, args)
}

func values(args []driver.NamedValue) []any {
	out := make([]any, len(args))
	for i, a := range args {
		out[i] = a.Value
	}
	return out
}
