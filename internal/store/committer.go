package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"
)

// committer is group commit for SQLite (docs/PERFORMANCE.md, "Group
// commit"). Every write request goes to one goroutine, which runs what is
// queued as one transaction: BEGIN IMMEDIATE, a SAVEPOINT per request (an
// error undoes that request only), one COMMIT. A commit costs the same for
// one request or sixty-four, and with synchronous=FULL it is an fsync.
//
// Nothing is answered or published before the shared COMMIT: a request that
// failed may have failed because of an earlier one in its batch (two agents
// assigning one conversation), and its caller must be able to read the state
// that beat it. Requests run in queue order on one connection, each seeing
// the ones before it, so compare-and-set and seq behave as in serial
// transactions.
type committer struct {
	s       *Store
	mu      sync.RWMutex // closed and sends on queue
	closed  bool
	queue   chan *writeReq
	stopped chan struct{}
	batches atomic.Int64 // for tests: transactions begun
}

// maxBatch bounds a transaction: enough to pay a commit once per many
// messages, few enough that the first request does not wait long for the
// last.
const maxBatch = 64

// ErrClosed answers a write sent after Close.
var ErrClosed = errors.New("store: closed")

// ErrWritePanicked wraps a panic inside a write request: that request is
// undone and answered with it; the rest of its batch goes on.
var ErrWritePanicked = errors.New("store: write panicked")

const (
	reqQueued int32 = iota
	reqTaken
	reqAbandoned // the caller's context ended while queued: never run
)

type writeReq struct {
	ctx   context.Context
	fn    func(*txn) error
	state atomic.Int32
	done  chan writeResult
	t     *txn
	err   error
}

// writeResult is a request's answer. pub is a panic raised while
// publishing its (committed) changes: the caller re-raises it, as it would
// have before group commit, when publishing ran on its goroutine.
type writeResult struct {
	err error
	pub any
}

func (r *writeReq) take() bool { return r.state.CompareAndSwap(reqQueued, reqTaken) }

func newCommitter(s *Store) *committer {
	c := &committer{s: s, queue: make(chan *writeReq, 4*maxBatch), stopped: make(chan struct{})}
	go c.run()
	return c
}

// do queues fn and waits for its answer. A caller whose context ends while
// the request is still queued gets the context's error and the request is
// dropped; once taken, the answer is the truth (committed or not).
func (c *committer) do(ctx context.Context, fn func(*txn) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	r := &writeReq{ctx: ctx, fn: fn, done: make(chan writeResult, 1)}
	c.mu.RLock()
	if c.closed {
		c.mu.RUnlock()
		return ErrClosed
	}
	select {
	case c.queue <- r:
		c.mu.RUnlock()
	case <-ctx.Done():
		c.mu.RUnlock()
		return ctx.Err()
	}
	var res writeResult
	select {
	case res = <-r.done:
	case <-ctx.Done():
		if r.state.CompareAndSwap(reqQueued, reqAbandoned) {
			return ctx.Err()
		}
		res = <-r.done
	}
	if res.pub != nil {
		panic(res.pub)
	}
	return res.err
}

// close refuses new requests, runs the queued ones and waits for the last
// commit.
func (c *committer) close() {
	c.mu.Lock()
	if !c.closed {
		c.closed = true
		close(c.queue)
	}
	c.mu.Unlock()
	<-c.stopped
}

// run takes the first request and whatever else is already queued: no
// added wait for a lone request; under load, requests queue while the
// previous batch runs, and batches form by themselves.
func (c *committer) run() {
	defer close(c.stopped)
	batch := make([]*writeReq, 0, maxBatch)
	for r := range c.queue {
		batch = append(batch[:0], r)
	collect:
		for len(batch) < maxBatch {
			select {
			case r, ok := <-c.queue:
				if !ok {
					break collect
				}
				batch = append(batch, r)
			default:
				break collect
			}
		}
		c.commit(batch)
		clear(batch)
	}
}

// commit runs batch as one transaction and answers every request in it.
func (c *committer) commit(batch []*writeReq) {
	s, ctx := c.s, context.Background()
	s.stmts.prepare(ctx, s.w) // before BeginTx takes the writer connection
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		c.fail(batch, fmt.Errorf("store: begin: %w", err))
		return
	}
	c.batches.Add(1)
	savepoints := len(batch) > 1 // alone, a request's error rolls back the transaction
	var ran []*writeReq
	for i, r := range batch {
		if !r.take() {
			continue
		}
		if err := r.ctx.Err(); err != nil {
			r.done <- writeResult{err: err} // skipped before its turn: nothing ran
			continue
		}
		r.t = &txn{ctx: context.WithoutCancel(r.ctx), tx: txConn{tx: tx, pinned: true}, raw: tx, s: s, now: s.clock.Now()}
		r.t.tx.w = r.t
		ran = append(ran, r)
		if !savepoints {
			r.err = runGuarded(r.fn, r.t)
			break
		}
		if _, err := r.t.exec(`SAVEPOINT w`); err != nil {
			c.abort(tx, ran, batch[i+1:], err)
			return
		}
		if r.err = runGuarded(r.fn, r.t); r.err != nil {
			r.t.discard() // a panic may leave deferred writes: rolled back unsent
			if _, err := r.t.exec(`ROLLBACK TO w`); err != nil {
				// SQLite dropped the whole transaction (an I/O error,
				// a full disk): the batch cannot be saved.
				c.abort(tx, ran, batch[i+1:], fmt.Errorf("%w (after %v)", err, r.err))
				return
			}
		}
		if _, err := r.t.exec(`RELEASE w`); err != nil {
			c.abort(tx, ran, batch[i+1:], err)
			return
		}
	}
	if len(ran) == 0 || (!savepoints && ran[0].err != nil) {
		_ = tx.Rollback()
		for _, r := range ran {
			r.done <- writeResult{err: r.err}
		}
		return
	}
	if err := tx.Commit(); err != nil {
		// The driver rolls back a COMMIT that failed and left the
		// transaction open (a deferred constraint): the next batch can begin.
		err = fmt.Errorf("store: commit: %w", err)
		for _, r := range ran {
			if r.err == nil {
				r.err = err
			}
			r.done <- writeResult{err: r.err}
		}
		return
	}
	for _, r := range ran {
		var pub any
		if r.err == nil {
			pub = announceGuarded(s, r.t)
		}
		r.done <- writeResult{err: r.err, pub: pub}
	}
}

// abort rolls the transaction back after a failure that leaves no
// savepoint to return to: the requests that ran get err; those not yet
// run go to a fresh transaction.
func (c *committer) abort(tx *sql.Tx, ran, rest []*writeReq, err error) {
	_ = tx.Rollback()
	err = fmt.Errorf("store: write batch rolled back: %w", err)
	for _, r := range ran {
		r.done <- writeResult{err: err}
	}
	if len(rest) > 0 {
		c.commit(rest)
	}
}

// fail answers every request still waiting in batch with err.
func (c *committer) fail(batch []*writeReq, err error) {
	for _, r := range batch {
		if r.take() {
			r.done <- writeResult{err: err}
		}
	}
}

// runGuarded runs fn, turning a panic into that request's error so the
// committer, and the batch, survive it.
func runGuarded(fn func(*txn) error, t *txn) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: %v\n%s", ErrWritePanicked, p, debug.Stack())
		}
	}()
	return fn(t)
}

// announceGuarded publishes t's changes and returns a panic raised there,
// for its caller to re-raise.
func announceGuarded(s *Store, t *txn) (p any) {
	defer func() { p = recover() }()
	s.announce(t)
	return nil
}

func (c *committer) isClosed() bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.closed
}
