package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/desk"
)

// These tests drive the committer with raw write requests on a real SQLite
// file; a scratch table stands for the application's rows.

// gcStore opens a store in a fresh folder with the probe tables.
func gcStore(t *testing.T, opts Options) *Store {
	t.Helper()
	if opts.DataDir == "" {
		opts.DataDir = t.TempDir()
	}
	s, err := Open(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	err = s.tx(context.Background(), func(t *txn) error {
		_, err := t.tx.ExecContext(t.ctx, `CREATE TABLE IF NOT EXISTS gc_probe (k TEXT PRIMARY KEY);
			CREATE TABLE IF NOT EXISTS gc_child (k TEXT PRIMARY KEY, parent TEXT NOT NULL REFERENCES gc_probe (k));
			CREATE TRIGGER IF NOT EXISTS gc_drop BEFORE INSERT ON gc_probe WHEN new.k = 'drop'
				BEGIN SELECT RAISE(ROLLBACK, 'the whole transaction is gone'); END`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func put(keys ...string) func(*txn) error {
	return func(t *txn) error {
		for _, k := range keys {
			if _, err := t.exec(`INSERT INTO gc_probe (k) VALUES ($1)`, k); err != nil {
				return err
			}
		}
		return nil
	}
}

// present lists which of keys a fresh connection to dir's file sees: what
// is committed, whatever the store's own connections hold.
func present(t testing.TB, dir string, keys ...string) map[string]bool {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "relevo.db")+"?_pragma=busy_timeout(10000)&_pragma=query_only(1)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out := map[string]bool{}
	for _, k := range keys {
		var n int
		if err := db.QueryRow(`SELECT COUNT(*) FROM gc_probe WHERE k = ?`, k).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out[k] = n > 0
	}
	return out
}

// hold occupies the committer with a request that waits for release, so
// the requests sent meanwhile queue up and form the next batch together.
func hold(t *testing.T, s *Store) (release func()) {
	t.Helper()
	running, gate := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- s.tx(context.Background(), func(*txn) error { close(running); <-gate; return nil })
	}()
	<-running
	return func() {
		close(gate)
		if err := <-done; err != nil {
			t.Errorf("holding request: %v", err)
		}
	}
}

// queued waits until n requests wait in the committer's queue.
func queued(t *testing.T, s *Store, n int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for len(s.commits.queue) < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d requests queued, want %d", len(s.commits.queue), n)
		}
		time.Sleep(time.Millisecond)
	}
}

// batch sends fns one after the other (each queued before the next, so
// the queue keeps their order) while the committer is held, releases it
// and returns their answers in order, checking they shared one transaction.
func batch(t *testing.T, s *Store, ctxs []context.Context, fns ...func(*txn) error) []error {
	t.Helper()
	return batchIn(t, s, 1, ctxs, fns...)
}

// batchIn is batch, for requests that take wantTx transactions.
func batchIn(t *testing.T, s *Store, wantTx int64, ctxs []context.Context, fns ...func(*txn) error) []error {
	t.Helper()
	release := hold(t, s)
	errs := make([]error, len(fns))
	var wg sync.WaitGroup
	for i, fn := range fns {
		ctx := context.Background()
		if ctxs != nil && ctxs[i] != nil {
			ctx = ctxs[i]
		}
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = s.tx(ctx, fn) }()
		queued(t, s, i+1)
	}
	before := s.commits.batches.Load()
	release()
	wg.Wait()
	if got := s.commits.batches.Load() - before; got != wantTx {
		t.Fatalf("%d requests ran in %d transactions, want %d", len(fns), got, wantTx)
	}
	return errs
}

func TestGroupCommitOneFailedRequestIsUndoneAloneInItsBatch(t *testing.T) {
	dir := t.TempDir()
	s := gcStore(t, Options{DataDir: dir})
	boom := errors.New("refused after writing")
	var fns []func(*txn) error
	var keys []string
	for i := range 20 {
		k := fmt.Sprintf("k%02d", i)
		keys = append(keys, k)
		switch i {
		case 7: // writes, then fails
			fns = append(fns, func(t *txn) error {
				if err := put(k)(t); err != nil {
					return err
				}
				return boom
			})
		case 12: // writes, then breaks a unique index: k00 is the batch's own
			fns = append(fns, put(k, "k00"))
		default:
			fns = append(fns, put(k))
		}
	}
	errs := batch(t, s, nil, fns...)
	seen := present(t, dir, keys...)
	for i, k := range keys {
		switch {
		case i == 7 && !errors.Is(errs[i], boom), i == 12 && (errs[i] == nil || !strings.Contains(errs[i].Error(), "UNIQUE")):
			t.Errorf("request %d: err %v", i, errs[i])
		case (i == 7 || i == 12) && seen[k]:
			t.Errorf("request %d failed but its row %s was committed", i, k)
		case i != 7 && i != 12 && (errs[i] != nil || !seen[k]):
			t.Errorf("request %d: err %v, committed %v", i, errs[i], seen[k])
		}
	}
}

func TestGroupCommitPublishesAndAnswersOnlyAfterTheSharedCommit(t *testing.T) {
	dir := t.TempDir()
	const n = 10
	var keys []string
	for i := range n {
		keys = append(keys, fmt.Sprintf("p%d", i))
	}
	var mu sync.Mutex
	var published []string
	var problems []string
	s := gcStore(t, Options{DataDir: dir, OnCommit: func(ch []desk.Change) {
		if ch[0].MessageID == "" {
			return // the holding request's
		}
		// At the first publication the whole batch must be committed.
		seen := present(t, dir, keys...)
		mu.Lock()
		defer mu.Unlock()
		for _, k := range keys {
			if !seen[k] {
				problems = append(problems, fmt.Sprintf("%s not committed when %s was published", k, ch[0].MessageID))
			}
		}
		published = append(published, ch[0].MessageID)
	}})
	var fns []func(*txn) error
	for _, k := range keys {
		fns = append(fns, func(t *txn) error {
			t.changes = append(t.changes, desk.Change{Type: desk.ChangeMessageCreated, MessageID: k})
			return put(k)(t)
		})
	}
	for i, err := range batch(t, s, nil, fns...) {
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	for _, p := range problems {
		t.Error(p)
	}
	if strings.Join(published, ",") != strings.Join(keys, ",") {
		t.Errorf("published %v, want the requests' order %v", published, keys)
	}
}

func TestGroupCommitSkipsARequestWhoseContextEndedBeforeItsTurn(t *testing.T) {
	dir := t.TempDir()
	s := gcStore(t, Options{DataDir: dir})
	ctx, cancel := context.WithCancel(context.Background())
	var ran bool
	errs := batch(t, s, []context.Context{nil, ctx, nil},
		func(t *txn) error { cancel(); return put("a")(t) }, // ends the next one's context while the batch runs
		func(t *txn) error { ran = true; return put("b")(t) },
		put("c"))
	if ran || !errors.Is(errs[1], context.Canceled) {
		t.Errorf("cancelled request ran: %v, answered %v", ran, errs[1])
	}
	if errs[0] != nil || errs[2] != nil {
		t.Errorf("others: %v, %v", errs[0], errs[2])
	}
	if seen := present(t, dir, "a", "b", "c"); !seen["a"] || seen["b"] || !seen["c"] {
		t.Errorf("committed %v, want a and c", seen)
	}

	// A caller whose context ends while its request waits in the queue
	// gets its answer at once, and the request never runs.
	release := hold(t, s)
	ctx, cancel = context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.tx(ctx, func(t *txn) error { ran = true; return put("d")(t) }) }()
	queued(t, s, 1)
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("queued request answered %v", err)
	}
	release()
	if err := s.tx(context.Background(), put("e")); err != nil || ran || present(t, dir, "d")["d"] {
		t.Errorf("after: %v, abandoned request ran: %v", err, ran)
	}
}

func TestGroupCommitSurvivesAPanickingRequest(t *testing.T) {
	dir := t.TempDir()
	s := gcStore(t, Options{DataDir: dir})
	errs := batch(t, s, nil, put("a"), func(t *txn) error {
		if err := put("b")(t); err != nil {
			return err
		}
		rows, err := t.query(`SELECT k FROM gc_probe`) // left open by the panic
		if err != nil {
			return err
		}
		rows.Next()
		panic("a bug in one request")
	}, put("c"))
	if errs[0] != nil || errs[2] != nil || !errors.Is(errs[1], ErrWritePanicked) {
		t.Fatalf("answers %v", errs)
	}
	if seen := present(t, dir, "a", "b", "c"); !seen["a"] || seen["b"] || !seen["c"] {
		t.Errorf("committed %v, want a and c", seen)
	}
	// Alone in its transaction, too; and the committer goes on.
	if err := s.tx(context.Background(), func(*txn) error { panic("again") }); !errors.Is(err, ErrWritePanicked) {
		t.Errorf("lone panic answered %v", err)
	}
	if err := s.tx(context.Background(), put("d")); err != nil || !present(t, dir, "d")["d"] {
		t.Errorf("write after the panics: %v", err)
	}
}

func TestGroupCommitFailedCommitAnswersEveryRequest(t *testing.T) {
	dir := t.TempDir()
	s := gcStore(t, Options{DataDir: dir})
	// A deferred foreign key is checked at COMMIT: the only way to make a
	// real SQLite COMMIT fail on demand.
	dangling := func(t *txn) error {
		if _, err := t.exec(`PRAGMA defer_foreign_keys = ON`); err != nil {
			return err
		}
		_, err := t.exec(`INSERT INTO gc_child (k, parent) VALUES ('x', 'nobody')`)
		return err
	}
	errs := batch(t, s, nil, put("a"), dangling, put("c"))
	for i, err := range errs {
		if err == nil || !strings.Contains(err.Error(), "commit") {
			t.Errorf("request %d answered %v, want the commit's error", i, err)
		}
	}
	if seen := present(t, dir, "a", "c"); seen["a"] || seen["c"] {
		t.Errorf("committed %v after a failed commit", seen)
	}
	if err := s.tx(context.Background(), put("d")); err != nil || !present(t, dir, "d")["d"] {
		t.Errorf("write after the failed commit: %v", err)
	}
}

// When SQLite itself ends the transaction (RAISE(ROLLBACK) here; an I/O
// error or a full disk in life) there is no savepoint to go back to: the
// requests that ran are answered with the error, those not yet run get a
// fresh transaction.
func TestGroupCommitTransactionLostMidBatch(t *testing.T) {
	dir := t.TempDir()
	s := gcStore(t, Options{DataDir: dir})
	errs := batchIn(t, s, 2, nil, put("a"), put("drop"), put("c"), put("d"))
	for i, err := range errs[:2] {
		if err == nil || !strings.Contains(err.Error(), "batch rolled back") {
			t.Errorf("request %d answered %v, want the batch's loss", i, err)
		}
	}
	if errs[2] != nil || errs[3] != nil {
		t.Errorf("requests not yet run answered %v, %v; want a fresh transaction", errs[2], errs[3])
	}
	if seen := present(t, dir, "a", "c", "d"); seen["a"] || !seen["c"] || !seen["d"] {
		t.Errorf("committed %v, want c and d only", seen)
	}
}

func TestGroupCommitCloseRunsWhatIsQueued(t *testing.T) {
	dir := t.TempDir()
	s := gcStore(t, Options{DataDir: dir})
	release := hold(t, s)
	var keys []string
	errs := make(chan error, 10)
	for i := range 10 {
		k := fmt.Sprintf("q%d", i)
		keys = append(keys, k)
		go func() { errs <- s.tx(context.Background(), put(k)) }()
		queued(t, s, i+1)
	}
	closed := make(chan error, 1)
	go func() { closed <- s.Close() }()
	for !s.commits.isClosed() { // Close refuses new writes before it waits
		time.Sleep(time.Millisecond)
	}
	release()
	for range 10 {
		if err := <-errs; err != nil {
			t.Errorf("queued write: %v", err)
		}
	}
	if err := <-closed; err != nil {
		t.Fatal(err)
	}
	for k, ok := range present(t, dir, keys...) {
		if !ok {
			t.Errorf("%s lost at close", k)
		}
	}
	if err := s.tx(context.Background(), put("late")); !errors.Is(err, ErrClosed) {
		t.Errorf("write after close: %v", err)
	}
}

func TestSynchronousOption(t *testing.T) {
	for _, tc := range []struct{ in, want string }{{"", "2"}, {"full", "2"}, {"normal", "1"}} {
		s := gcStore(t, Options{Synchronous: tc.in})
		var got string
		if err := s.w.QueryRow(`PRAGMA synchronous`).Scan(&got); err != nil || got != tc.want {
			t.Errorf("synchronous %q: PRAGMA says %s (%v), want %s", tc.in, got, err, tc.want)
		}
	}
	if _, err := Open(context.Background(), Options{DataDir: t.TempDir(), Synchronous: "off"}); err == nil {
		t.Error("synchronous off accepted")
	}
}
