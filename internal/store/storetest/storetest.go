// Package storetest opens real databases for tests: a fresh SQLite file in
// a temporary folder, and, when RELEVO_TEST_DATABASE_URL points at a
// PostgreSQL server, a fresh schema on it. Suites call Each to run the same
// test on both, so the two dialects can never drift apart.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/clock"
	"github.com/relevo/relevo/internal/store"
)

// Epoch is the fake clock's starting time in every test.
var Epoch = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

// DB is one database under test.
type DB struct {
	Name  string // "sqlite" or "postgres"
	Store *store.Store
	Clock *clock.Fake
	// URL is the PostgreSQL URL of this test's schema ("" for SQLite), and
	// Dir the SQLite data folder ("" for PostgreSQL): a second node opens
	// the same database with them.
	URL string
	Dir string
}

// Dialects lists the databases available to this run: always sqlite, and
// postgres when RELEVO_TEST_DATABASE_URL is set.
func Dialects() []string {
	if os.Getenv("RELEVO_TEST_DATABASE_URL") != "" {
		return []string{"sqlite", "postgres"}
	}
	return []string{"sqlite"}
}

// Each runs fn once per available database, each with a fresh store.
func Each(t *testing.T, fn func(t *testing.T, db *DB)) {
	t.Helper()
	for _, name := range Dialects() {
		t.Run(name, func(t *testing.T) {
			fn(t, Open(t, name, func(*store.Options) {}))
		})
	}
}

// Open makes a fresh database of the named dialect; opt may adjust the
// options before the store opens.
func Open(t testing.TB, name string, opt func(*store.Options)) *DB {
	t.Helper()
	db := &DB{Name: name, Clock: clock.NewFake(Epoch)}
	switch name {
	case "sqlite":
		db.Dir = t.TempDir()
	case "postgres":
		db.URL = freshSchema(t)
	default:
		t.Fatalf("storetest: unknown dialect %q", name)
	}
	opts := store.Options{DatabaseURL: db.URL, DataDir: db.Dir, Clock: db.Clock, LockMax: 30 * time.Second}
	if opt != nil {
		opt(&opts)
	}
	s, err := store.Open(context.Background(), opts)
	if err != nil {
		t.Fatalf("storetest: open %s: %v", name, err)
	}
	t.Cleanup(func() { s.Close() })
	db.Store = s
	return db
}

// freshSchema creates an empty schema on the test server and returns a URL
// whose search_path points at it; the schema is dropped after the test.
func freshSchema(t testing.TB) string {
	t.Helper()
	base := os.Getenv("RELEVO_TEST_DATABASE_URL")
	if base == "" {
		t.Skip("RELEVO_TEST_DATABASE_URL not set")
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("storetest: %v", err)
	}
	defer admin.Close()
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatalf("storetest: create schema: %v", err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", base)
		if err == nil {
			_, _ = a.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
			a.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("storetest: bad RELEVO_TEST_DATABASE_URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// openRaw opens a plain connection to the database behind the store;
// pragma is added to SQLite's (query_only(1): a reader).
func (db *DB) openRaw(pragma string) (*sql.DB, error) {
	if db.URL != "" {
		return sql.Open("pgx", db.URL)
	}
	dsn := "file:" + filepath.Join(db.Dir, "relevo.db") + "?_pragma=busy_timeout(10000)"
	if pragma != "" {
		dsn += "&_pragma=" + pragma
	}
	return sql.Open("sqlite", dsn)
}

// Exec runs one statement on the database behind the store's back: for
// rows the store would refuse to write today but may find from an older
// version (a channel config saved before its checks).
func (db *DB) Exec(t testing.TB, query string, args ...any) {
	t.Helper()
	raw, err := db.openRaw("")
	if err != nil {
		t.Fatalf("storetest: exec: %v", err)
	}
	defer raw.Close()
	if _, err := raw.Exec(query, args...); err != nil {
		t.Fatalf("storetest: exec %q: %v", query, err)
	}
	// Written behind the store's back, as if before it started: it must
	// not answer from settings it cached earlier (cache.go).
	if err := db.Store.ForgetSettings(); err != nil {
		t.Fatalf("storetest: exec: %v", err)
	}
}

// EachWithOptions is Each with store options adjusted by opt (OnCommit,
// OnOutbox, LockMax).
func EachWithOptions(t *testing.T, opt func(*store.Options), fn func(t *testing.T, db *DB)) {
	t.Helper()
	for _, name := range Dialects() {
		t.Run(name, func(t *testing.T) { fn(t, Open(t, name, opt)) })
	}
}
