package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/jackc/pgx/v5/stdlib"
)

// StatementTrace counts what the store sends to the database: every
// statement run, every BEGIN, COMMIT and ROLLBACK, every PREPARE. On
// PostgreSQL each is one round trip (pgx keeps its statements prepared, so
// a statement seen before is one Bind/Execute); on SQLite each is one call
// into the engine. Tests use it to hold the cost of an inbound message and
// an assignment to a number (round trips are counted, not timed).
type StatementTrace struct {
	mu      sync.Mutex
	on      bool
	counts  TraceCounts
	queries []string
	// unprepared are the statements sent as text (SQLite parses each).
	unprepared []string
}

// TraceCounts is what a trace saw since its last Start.
type TraceCounts struct {
	Statements int // queries and execs, prepared or not
	Begins     int
	Commits    int // COMMIT and ROLLBACK
	Prepares   int
	// Unprepared is how many of Statements were sent as text, not through
	// a prepared statement: on SQLite each is parsed again. (pgx prepares
	// behind the text, so on PostgreSQL it is every statement.)
	Unprepared int
	// Pipelined is how many of the above rode in a batch with another
	// (PostgreSQL, pgpipe.go): sent and answered in the same round trip.
	Pipelined int
}

// RoundTrips is everything sent: statements, transaction bounds, prepares,
// a batch counting once.
func (c TraceCounts) RoundTrips() int {
	return c.Statements + c.Begins + c.Commits + c.Prepares - c.Pipelined
}

// Start clears the counts and starts counting.
func (tr *StatementTrace) Start() {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tr.on, tr.counts, tr.queries, tr.unprepared = true, TraceCounts{}, nil, nil
}

// Unprepared returns the statements sent as text since the last Start, in
// order.
func (tr *StatementTrace) Unprepared() []string {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return append([]string(nil), tr.unprepared...)
}

// noteText counts a statement sent as text.
func (tr *StatementTrace) noteText(q string) {
	if tr == nil {
		return
	}
	tr.mu.Lock()
	defer tr.mu.Unlock()
	if tr.on {
		tr.counts.Statements++
		tr.queries = append(tr.queries, q)
		tr.counts.Unprepared++
		tr.unprepared = append(tr.unprepared, q)
	}
}

type traceKind int

const (
	traceBegin traceKind = iota
	traceCommit
	tracePrepare
	traceStatement
)

// count counts one of kind; q is the statement's text (traceStatement).
func (tr *StatementTrace) count(kind traceKind, q ...string) {
	if tr == nil {
		return
	}
	tr.mu.Lock()
	defer tr.mu.Unlock()
	if !tr.on {
		return
	}
	switch kind {
	case traceBegin:
		tr.counts.Begins++
	case traceCommit:
		tr.counts.Commits++
	case tracePrepare:
		tr.counts.Prepares++
	case traceStatement:
		tr.counts.Statements++
		tr.queries = append(tr.queries, q...)
	}
}

// noteBatch counts one round trip of pgpipe.go: an owed BEGIN, writes,
// the statement q (when withQ), a COMMIT. In the list of statements the
// members after the first are marked "+".
func (tr *StatementTrace) noteBatch(begin bool, before []deferred, q string, withQ, commit bool) {
	if tr == nil {
		return
	}
	tr.mu.Lock()
	defer tr.mu.Unlock()
	if !tr.on {
		return
	}
	members := 0
	mark := func(q string) string {
		if members++; members > 1 {
			return "+ " + q
		}
		return q
	}
	if begin {
		tr.counts.Begins++
		tr.queries = append(tr.queries, mark("BEGIN"))
	}
	for _, d := range before {
		tr.counts.Statements++
		tr.counts.Unprepared++
		tr.queries = append(tr.queries, mark(d.q))
	}
	if withQ {
		tr.counts.Statements++
		tr.counts.Unprepared++
		tr.queries = append(tr.queries, mark(q))
		tr.unprepared = append(tr.unprepared, q)
	}
	if commit {
		tr.counts.Commits++
		tr.queries = append(tr.queries, mark("COMMIT"))
	}
	if members > 1 {
		tr.counts.Pipelined += members - 1
	}
}

// Stop stops counting and returns the counts and the statements run, in
// order.
func (tr *StatementTrace) Stop() (TraceCounts, []string) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tr.on = false
	return tr.counts, tr.queries
}

var traceDrivers atomic.Int64

// sqlOpen is sql.Open, through a counting driver when tr is set, and on
// PostgreSQL ("pgx") always through pgpipe.go's, which counts when tr is
// set. Each store registers its own driver name (database/sql keeps drivers
// by name, for good), but with no trace all PostgreSQL stores share one.
func sqlOpen(name, dsn string, tr *StatementTrace) (*sql.DB, error) {
	if tr == nil && name != "pgx" {
		return sql.Open(name, dsn)
	}
	if name == "pgx" && tr == nil {
		pipeOnce.Do(func() { sql.Register("pgx-pipe", pipeDriver{inner: stdlib.GetDefaultDriver()}) })
		return sql.Open("pgx-pipe", dsn)
	}
	probe, err := sql.Open(name, "")
	if err != nil {
		return nil, err
	}
	inner := probe.Driver()
	probe.Close()
	traced := fmt.Sprintf("%s-traced-%d", name, traceDrivers.Add(1))
	if name == "pgx" {
		sql.Register(traced, pipeDriver{inner: inner, tr: tr})
	} else {
		sql.Register(traced, tracedDriver{inner: inner, tr: tr})
	}
	return sql.Open(traced, dsn)
}

var pipeOnce sync.Once

type tracedDriver struct {
	inner driver.Driver
	tr    *StatementTrace
}

func (d tracedDriver) Open(dsn string) (driver.Conn, error) {
	c, err := d.inner.Open(dsn)
	if err != nil {
		return nil, err
	}
	return &tracedConn{c: c, tr: d.tr}, nil
}

// tracedConn forwards to the driver's connection; the context interfaces
// are what both drivers implement (database/sql prefers them).
type tracedConn struct {
	c  driver.Conn
	tr *StatementTrace
}

func (c *tracedConn) Prepare(q string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), q)
}

func (c *tracedConn) PrepareContext(ctx context.Context, q string) (driver.Stmt, error) {
	c.tr.count(tracePrepare)
	st, err := c.c.(driver.ConnPrepareContext).PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	return &tracedStmt{s: st, q: q, tr: c.tr}, nil
}

func (c *tracedConn) Close() error { return c.c.Close() }

func (c *tracedConn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

func (c *tracedConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	c.tr.count(traceBegin)
	tx, err := c.c.(driver.ConnBeginTx).BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return tracedTx{tx: tx, tr: c.tr}, nil
}

func (c *tracedConn) ExecContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	c.tr.noteText(q)
	return c.c.(driver.ExecerContext).ExecContext(ctx, q, args)
}

func (c *tracedConn) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	c.tr.noteText(q)
	return c.c.(driver.QueryerContext).QueryContext(ctx, q, args)
}

func (c *tracedConn) Ping(ctx context.Context) error {
	if p, ok := c.c.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

func (c *tracedConn) ResetSession(ctx context.Context) error {
	if r, ok := c.c.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c *tracedConn) IsValid() bool {
	if v, ok := c.c.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

// CheckNamedValue keeps pgx's own argument conversion (it takes types
// database/sql's default converter refuses).
func (c *tracedConn) CheckNamedValue(nv *driver.NamedValue) error {
	if ch, ok := c.c.(driver.NamedValueChecker); ok {
		return ch.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}

type tracedTx struct {
	tx driver.Tx
	tr *StatementTrace
}

func (t tracedTx) Commit() error {
	t.tr.count(traceCommit)
	return t.tx.Commit()
}

func (t tracedTx) Rollback() error {
	t.tr.count(traceCommit)
	return t.tx.Rollback()
}

type tracedStmt struct {
	s  driver.Stmt
	q  string
	tr *StatementTrace
}

func (s *tracedStmt) Close() error  { return s.s.Close() }
func (s *tracedStmt) NumInput() int { return s.s.NumInput() }

func (s *tracedStmt) Exec(args []driver.Value) (driver.Result, error) {
	return nil, driver.ErrSkip // database/sql uses ExecContext
}

func (s *tracedStmt) Query(args []driver.Value) (driver.Rows, error) {
	return nil, driver.ErrSkip
}

func (s *tracedStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	s.tr.count(traceStatement, s.q)
	return s.s.(driver.StmtExecContext).ExecContext(ctx, args)
}

func (s *tracedStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	s.tr.count(traceStatement, s.q)
	return s.s.(driver.StmtQueryContext).QueryContext(ctx, args)
}

func (s *tracedStmt) CheckNamedValue(nv *driver.NamedValue) error {
	if ch, ok := s.s.(driver.NamedValueChecker); ok {
		return ch.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}
