// Package store is Relevo's database: hand-written SQL over SQLite (the
// embedded default) or PostgreSQL, one schema per dialect, one set of
// queries for both. Every state change of a conversation is one transaction
// that updates the rows, applies the lifecycle rules of package desk with a
// compare-and-set, and appends an event with the conversation's next seq.
//
// The store never keeps state that matters in memory: what it returns after
// a commit (changes to publish, outbox work to kick) is a hint for speed,
// never the truth.
//
// One package on purpose (one transaction type, txn), so files carry the
// structure: each is one aggregate or one use case, and docs/ARCHITECTURE.md
// maps them. seed.go and seed_rows.go generate the benchmark and demo-scale
// dataset; they stay here because the throughput work will ship that
// generator in the binary, where it needs the store's own transaction.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver "pgx"
	_ "modernc.org/sqlite"             // SQLite driver "sqlite"

	"github.com/relevo/relevo/internal/clock"
	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/ids"
)

//go:embed migrations
var migrations embed.FS

// Options configure a Store.
type Options struct {
	// DatabaseURL selects PostgreSQL when it starts with postgres:// or
	// postgresql://; otherwise DataDir holds relevo.db.
	DatabaseURL string
	DataDir     string
	Clock       clock.Clock
	IDs         ids.Generator
	// LockMax bounds the processing lock (default 30 s).
	LockMax time.Duration
	// OnCommit, when set, receives what a transaction changed, after it
	// committed: the bus publishes it.
	OnCommit func([]desk.Change)
	// OnOutbox, when set, is called after a commit that queued outbound
	// work, so a worker picks it up now instead of at its next poll.
	OnOutbox func()
	// Notices, when set, keeps the settings cache of every node in step
	// (cache.go); nil with a single node.
	Notices SettingsNotices
	// Synchronous is SQLite's durability: "full" (the default; a commit
	// is on disk when acknowledged, power loss included) or "normal" (a
	// commit survives a crash of the process, not of the machine).
	Synchronous string
	// SerialWrites turns SQLite's group commit off: each write is its own
	// transaction. For measuring the difference (relevo-bench).
	SerialWrites bool
	// Trace, when set, counts the statements sent to the database
	// (stmttrace.go): for tests and measurements.
	Trace *StatementTrace
}

// Store is the database handle. Safe for concurrent use.
type Store struct {
	w, r      *sql.DB // writer and readers; the same pool on PostgreSQL
	d         dialect
	clock     clock.Clock
	ids       ids.Generator
	lockMax   time.Duration
	onCommit  func([]desk.Change)
	onOutbox  func()
	stmts     *stmtCache        // SQLite writer only; nil on PostgreSQL
	reads     querier           // the readers, through readCache on SQLite
	convSQL   [convForms]string // conversationWhere's statements (conversations.go)
	assignSQL string            // the assign's read (assignread.go)
	commits   *committer        // SQLite group commit; nil on PostgreSQL or when off
	// broad: matching messages from which a search walks the list's order
	// (search.go); 0 is broadSearch. Tests lower it to run both plans.
	broad int
	// listTrace, set by tests only, sees each id query of the list
	// (list.go), so a test can ask the database for its plan.
	listTrace func(q string, args []any)
	// collect: on SQLite, matching messages from which the broad plan
	// seeks per conversation instead of collecting the matches once
	// (search.go); 0 is collectSearch, below 0 always seek. Tests set it.
	collect int
	// cache holds hot settings rows (cache.go); notices keeps the nodes'
	// caches in step (nil: a single node).
	cache   settingsCache
	notices SettingsNotices
	// touched is when this node last wrote a token's last_used_at (token
	// id → time.Time): the cached token row keeps the value it was read
	// with, so without this every request after the first minute would
	// try the write again (tokens.go, TouchToken).
	touched sync.Map
}

// Open connects to the database chosen by opts and applies migrations.
func Open(ctx context.Context, opts Options) (*Store, error) {
	s := &Store{clock: opts.Clock, ids: opts.IDs, lockMax: opts.LockMax,
		onCommit: opts.OnCommit, onOutbox: opts.OnOutbox, notices: opts.Notices}
	if s.clock == nil {
		s.clock = clock.System{}
	}
	if s.ids == nil {
		s.ids = &ids.Random{}
	}
	if s.lockMax <= 0 {
		s.lockMax = 30 * time.Second
	}
	var err error
	if IsPostgresURL(opts.DatabaseURL) {
		err = s.openPostgres(opts.DatabaseURL, opts.Trace)
	} else {
		err = s.openSQLite(opts.DataDir, opts.Synchronous, opts.Trace)
		if err == nil && !opts.SerialWrites {
			s.commits = newCommitter(s)
		}
	}
	if err != nil {
		return nil, err
	}
	s.convSQL, s.assignSQL = conversationSQL(s.d), assignReadSQL()
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// IsPostgresURL reports whether url selects PostgreSQL.
func IsPostgresURL(url string) bool {
	return strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://")
}

func (s *Store) openPostgres(url string, tr *StatementTrace) error {
	db, err := sqlOpen("pgx", url, tr)
	if err != nil {
		return fmt.Errorf("store: open postgres: %w", err)
	}
	db.SetMaxOpenConns(32)
	db.SetMaxIdleConns(16)
	db.SetConnMaxIdleTime(5 * time.Minute)
	s.w, s.r, s.d = db, db, postgresDialect{}
	s.reads = db
	return nil
}

// SynchronousModes are the values Options.Synchronous takes ("" is full).
var SynchronousModes = []string{"full", "normal"}

func (s *Store) openSQLite(dir, synchronous string, tr *StatementTrace) error {
	if dir == "" {
		dir = "data"
	}
	// FULL by default: the fsync a commit then waits for is paid once per
	// group-committed batch, and an acknowledged message survives power loss.
	switch synchronous {
	case "", "full":
		synchronous = "FULL"
	case "normal":
		synchronous = "NORMAL"
	default:
		return fmt.Errorf("store: synchronous %q: want full or normal", synchronous)
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("store: data folder: %w", err)
	}
	path := filepath.Join(dir, "relevo.db")
	pragmas := "_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=synchronous(" + synchronous + ")"
	// Reads through a memory map: every connection shares the OS page cache
	// instead of a private 2 MB cache refilled with pread calls, which was a
	// quarter of a conversation list's time at 100k (docs/PERFORMANCE.md).
	pragmas += "&_pragma=mmap_size(1073741824)"
	// One writer connection: SQLite has one writer anyway, and queueing
	// (the committer's, or database/sql's) is cheaper than SQLITE_BUSY retries. _txlock=immediate
	// takes the write lock at BEGIN so a read-then-write never deadlocks.
	w, err := sqlOpen("sqlite", "file:"+path+"?"+pragmas+"&_txlock=immediate", tr)
	if err != nil {
		return fmt.Errorf("store: open sqlite: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	r, err := sqlOpen("sqlite", "file:"+path+"?"+pragmas+"&_pragma=query_only(1)", tr)
	if err != nil {
		w.Close()
		return fmt.Errorf("store: open sqlite readers: %w", err)
	}
	r.SetMaxOpenConns(8)
	r.SetMaxIdleConns(8)
	r.SetConnMaxLifetime(0)
	s.w, s.r, s.d = w, r, sqliteDialect{}
	s.stmts = newStmtCache()
	s.reads = newReadCache(r)
	return nil
}

// Close finishes the queued writes and releases the connections.
func (s *Store) Close() error {
	if s.commits != nil {
		s.commits.close()
	}
	var err error
	if rc, ok := s.reads.(*readCache); ok {
		rc.close()
	}
	if s.r != nil && s.r != s.w {
		err = s.r.Close()
	}
	s.stmts.close()
	if s.w != nil {
		err = errors.Join(err, s.w.Close())
	}
	return err
}

// Dialect names the database in use: "sqlite" or "postgres".
func (s *Store) Dialect() string { return s.d.name() }

// Ping checks the database answers (readiness).
func (s *Store) Ping(ctx context.Context) error {
	var one int
	return s.r.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// Now is the store's clock, for callers that must agree with it.
func (s *Store) Now() time.Time { return s.clock.Now() }

// LockMax is the longest a processing lock lasts.
func (s *Store) LockMax() time.Duration { return s.lockMax }

func (s *Store) migrate(ctx context.Context) error {
	dir := "migrations/" + s.d.name()
	entries, err := fs.ReadDir(migrations, dir)
	if err != nil {
		return fmt.Errorf("store: migrations: %w", err)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	if _, err := s.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)`); err != nil {
		return fmt.Errorf("store: migrations table: %w", err)
	}
	for _, e := range entries {
		name := e.Name()
		err := s.tx(ctx, func(tx *txn) error {
			// Serialise concurrent nodes migrating one PostgreSQL.
			if s.d.name() == "postgres" {
				if _, err := tx.exec(`SELECT pg_advisory_xact_lock(7215)`); err != nil {
					return err
				}
			}
			var n int
			if err := tx.queryRow(`SELECT COUNT(*) FROM schema_migrations WHERE name = $1`, name).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			body, err := migrations.ReadFile(dir + "/" + name)
			if err != nil {
				return err
			}
			if _, err := tx.tx.ExecContext(ctx, string(body)); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			_, err = tx.exec(`INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)`, name, ms(s.clock.Now()))
			return err
		})
		if err != nil {
			return fmt.Errorf("store: migrate: %w", err)
		}
	}
	return nil
}
