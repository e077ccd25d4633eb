package store

import (
	"context"
	"database/sql"
	"sync"
)

// stmtCache keeps the SQLite writer's statements prepared. modernc's
// driver parses every statement it is given, and an inbound message runs
// about fifteen: parsing was a quarter of its time (docs/PERFORMANCE.md).
//
// database/sql reuses a statement across transactions only when it was
// prepared on the database, and preparing needs the connection, which a
// transaction already holds (there is one writer connection). So a statement
// first seen inside a transaction runs unprepared as before and is prepared
// when the next transaction starts, before it takes the connection.
// PostgreSQL needs none of this: pgx caches prepared statements itself.
type stmtCache struct {
	mu      sync.Mutex
	ready   map[string]*sql.Stmt
	pending map[string]bool
}

// Bounds: statements are few and fixed, except the odd one built with an
// id list (a few) or a bulk insert (too big to be worth keeping).
const (
	maxCachedStmts   = 256
	maxCachedStmtLen = 4096
)

func newStmtCache() *stmtCache {
	return &stmtCache{ready: map[string]*sql.Stmt{}, pending: map[string]bool{}}
}

// get returns q prepared, or nil (and notes q for preparing).
func (c *stmtCache) get(q string) *sql.Stmt {
	if c == nil || len(q) > maxCachedStmtLen {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if st := c.ready[q]; st != nil {
		return st
	}
	if len(c.ready)+len(c.pending) < maxCachedStmts {
		c.pending[q] = true
	}
	return nil
}

// prepare prepares the statements noted since the last call. The caller
// must not hold a connection of db.
func (c *stmtCache) prepare(ctx context.Context, db *sql.DB) {
	if c == nil {
		return
	}
	c.mu.Lock()
	if len(c.pending) == 0 {
		c.mu.Unlock()
		return
	}
	var qs []string
	for q := range c.pending {
		qs = append(qs, q)
	}
	clear(c.pending)
	c.mu.Unlock()
	for _, q := range qs {
		st, err := db.PrepareContext(ctx, q)
		if err != nil {
			continue // it keeps running unprepared
		}
		c.mu.Lock()
		if c.ready[q] == nil {
			c.ready[q], st = st, nil
		}
		c.mu.Unlock()
		if st != nil {
			st.Close()
		}
	}
}

func (c *stmtCache) close() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for q, st := range c.ready {
		st.Close()
		delete(c.ready, q)
	}
}

// readCache keeps the SQLite readers' statements prepared: routing a change
// from another node reads the conversation and the message, and parsing
// them was most of those reads' time (docs/PERFORMANCE.md, "Round trips per
// message"). A statement prepared on the pool is prepared again by
// database/sql on each reader connection that runs it, once. It is a
// querier; on PostgreSQL the store reads through the pool itself (pgx keeps
// its statements prepared per connection).
type readCache struct {
	db *sql.DB
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

func newReadCache(db *sql.DB) *readCache {
	return &readCache{db: db, m: map[string]*sql.Stmt{}}
}

// stmt returns q prepared, preparing it on first use; nil when q is not
// worth keeping (too long, the cache full, or it failed to prepare: it then
// runs unprepared and reports its own error).
func (c *readCache) stmt(ctx context.Context, q string) *sql.Stmt {
	if len(q) > maxCachedStmtLen {
		return nil
	}
	c.mu.Lock()
	st, ok := c.m[q]
	c.mu.Unlock()
	if ok || c.full() {
		return st
	}
	st, err := c.db.PrepareContext(ctx, q)
	if err != nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old := c.m[q]; old != nil {
		st.Close()
		return old
	}
	c.m[q] = st
	return st
}

func (c *readCache) full() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m) >= maxCachedStmts
}

func (c *readCache) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if st := c.stmt(ctx, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return c.db.QueryContext(ctx, q, args...)
}

func (c *readCache) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	if st := c.stmt(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return c.db.QueryRowContext(ctx, q, args...)
}

func (c *readCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for q, st := range c.m {
		st.Close()
		delete(c.m, q)
	}
}
