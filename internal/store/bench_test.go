package store_test

// Benchmarks of issue 2's speed targets (docs/PERFORMANCE.md has the
// results and the commands). Each operation is timed on its own, so every
// benchmark reports its median (p50-ms) and 99th percentile (p99-ms) next
// to ns/op. There are no timing assertions: the numbers are read, not
// checked.
//
// Every benchmark runs on a database holding RELEVO_BENCH_CONVERSATIONS
// (default 100 000) conversations made by store.Seed, once per dialect
// (postgres only when RELEVO_TEST_DATABASE_URL is set). The seeded SQLite
// file is cached under $TMPDIR/relevo-bench-cache, keyed by the size and a
// hash of the schema and the seeding code, and copied for each benchmark;
// PostgreSQL is seeded into a fresh schema each time.
//
//	go test ./internal/store -run '^$' -bench . -benchtime 2000x

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/clock"
	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// BenchmarkInbound times Inbound: a customer message stored with its event
// appended. existing writes into open conversations (the hot path, target
// 0.5 ms median); first_message opens a new conversation for a new contact.
func BenchmarkInbound(b *testing.B) {
	benchEach(b, func(b *testing.B, db *storetest.DB, w store.SeedWorld) {
		s, ctx := db.Store, context.Background()
		targets, err := s.SeedTargets(ctx, 5000, desk.PhaseBot, desk.PhaseWaiting, desk.PhaseHuman)
		if err != nil || len(targets) == 0 {
			b.Fatalf("SeedTargets: %d, %v", len(targets), err)
		}
		// -count repeats the sub-benchmarks on the same database: each
		// round writes new message ids.
		round := 0
		b.Run("existing", func(b *testing.B) {
			round++
			benchOps(b, func(i int) {
				tg := targets[i%len(targets)]
				_, err := s.Inbound(ctx, tg.ChannelID, store.InboundContact{ExternalID: tg.ContactExternalID},
					store.InboundMessage{ExternalID: fmt.Sprintf("bench-%d-%d", round, i), Text: "One more thing about my refund"})
				if err != nil {
					b.Fatal(err)
				}
			})
		})
		b.Run("first_message", func(b *testing.B) {
			ch := w.Channels[0]
			round++
			benchOps(b, func(i int) {
				id := fmt.Sprintf("bench-new-%d-%d", round, i)
				_, err := s.Inbound(ctx, ch.ID, store.InboundContact{ExternalID: id, Name: "New Customer " + strconv.Itoa(i)},
					store.InboundMessage{ExternalID: id, Text: "Hello, is anyone there?"})
				if err != nil {
					b.Fatal(err)
				}
			})
		})
	})
}

// BenchmarkAssign times an agent assigning a waiting conversation to
// itself (compare-and-set, event, customer notice, bot event). When the
// queue runs dry, the timer stops and a supervisor puts them back.
func BenchmarkAssign(b *testing.B) {
	benchEach(b, func(b *testing.B, db *storetest.DB, w store.SeedWorld) {
		s, ctx := db.Store, context.Background()
		targets, err := s.SeedTargets(ctx, 5000, desk.PhaseWaiting)
		if err != nil || len(targets) == 0 {
			b.Fatalf("SeedTargets: %d, %v", len(targets), err)
		}
		agent, sup := desk.UserActor(w.Agents[0]), desk.UserActor(w.Supervisor)
		benchOps(b, func(i int) {
			k := i % len(targets)
			if i > 0 && k == 0 {
				b.StopTimer()
				for _, tg := range targets {
					if _, err := s.Unassign(ctx, sup, tg.ConversationID); err != nil {
						b.Fatal(err)
					}
				}
				b.StartTimer()
			}
			if _, err := s.Assign(ctx, agent, targets[k].ConversationID, store.AssignInput{}); err != nil {
				b.Fatal(err)
			}
		})
	})
}

// BenchmarkListConversations times the desk's conversation lists (see
// store.SeedWorld.ListCases); the target is 5 ms at the 99th percentile.
func BenchmarkListConversations(b *testing.B) {
	benchEach(b, func(b *testing.B, db *storetest.DB, w store.SeedWorld) {
		ctx := context.Background()
		for _, lc := range w.ListCases() {
			b.Run(lc.Name, func(b *testing.B) {
				benchOps(b, func(int) {
					list, _, err := db.Store.ListConversations(ctx, lc.Actor, lc.Filter)
					if err != nil || len(list) == 0 {
						b.Fatalf("%s: %d rows, %v", lc.Name, len(list), err)
					}
				})
			})
		}
	})
}

// benchOps runs op in b.Loop, timing each call, and reports the median
// and the 99th percentile.
func benchOps(b *testing.B, op func(i int)) {
	b.Helper()
	var d []time.Duration
	for i := 0; b.Loop(); i++ {
		t0 := time.Now()
		op(i)
		d = append(d, time.Since(t0))
	}
	p50, p99 := benchPercentiles(d)
	b.ReportMetric(float64(p50)/1e6, "p50-ms")
	b.ReportMetric(float64(p99)/1e6, "p99-ms")
}

func benchPercentiles(d []time.Duration) (p50, p99 time.Duration) {
	if len(d) == 0 {
		return 0, 0
	}
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	return d[len(d)/2], d[(len(d)*99+99)/100-1]
}

// benchEach runs fn once per available dialect on a seeded database.
func benchEach(b *testing.B, fn func(b *testing.B, db *storetest.DB, w store.SeedWorld)) {
	n := 100_000
	if v := os.Getenv("RELEVO_BENCH_CONVERSATIONS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 100 {
			b.Fatalf("RELEVO_BENCH_CONVERSATIONS=%q: want a number ≥ 100", v)
		}
	}
	for _, name := range storetest.Dialects() {
		b.Run(name, func(b *testing.B) {
			var db *storetest.DB
			if name == "sqlite" {
				dir := b.TempDir()
				benchCopyCached(b, n, dir)
				db = storetest.Open(b, name, func(o *store.Options) { o.DataDir = dir })
			} else {
				db = storetest.Open(b, name, nil)
			}
			t0 := time.Now()
			w, err := db.Store.Seed(context.Background(), store.SeedOptions{Conversations: n})
			if err != nil {
				b.Fatal(err)
			}
			b.Logf("%s: %d conversations ready in %v", name, w.Conversations, time.Since(t0).Round(time.Millisecond))
			fn(b, db, w)
		})
	}
}

// benchCopyCached puts a seeded SQLite database of n conversations in dir,
// seeding it into the cache first when the cache has none.
func benchCopyCached(b *testing.B, n int, dir string) {
	h := sha256.New()
	for _, pat := range []string{"migrations/sqlite/*.sql", "seed*.go"} {
		files, _ := filepath.Glob(pat)
		for _, f := range files {
			body, err := os.ReadFile(f)
			if err != nil {
				b.Fatal(err)
			}
			h.Write(body)
		}
	}
	cache := filepath.Join(os.TempDir(), "relevo-bench-cache", fmt.Sprintf("n%d-%s", n, hex.EncodeToString(h.Sum(nil))[:12]))
	if _, err := os.Stat(filepath.Join(cache, "relevo.db")); err != nil {
		tmp, err := os.MkdirTemp(filepath.Dir(cache), "seeding-")
		if os.IsNotExist(err) {
			_ = os.MkdirAll(filepath.Dir(cache), 0o750)
			tmp, err = os.MkdirTemp(filepath.Dir(cache), "seeding-")
		}
		if err != nil {
			b.Fatal(err)
		}
		defer os.RemoveAll(tmp)
		s, err := store.Open(context.Background(), store.Options{DataDir: tmp, Clock: clock.NewFake(storetest.Epoch)})
		if err != nil {
			b.Fatal(err)
		}
		t0 := time.Now()
		_, err = s.Seed(context.Background(), store.SeedOptions{Conversations: n})
		s.Close() // checkpoints the WAL into relevo.db
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("sqlite: seeded %d conversations in %v (cached in %s)", n, time.Since(t0).Round(time.Millisecond), cache)
		if err := os.Rename(tmp, cache); err != nil && !os.IsExist(err) {
			if _, serr := os.Stat(filepath.Join(cache, "relevo.db")); serr != nil {
				b.Fatal(err) // not a concurrent run that won the race
			}
		}
	}
	for _, f := range []string{"relevo.db", "relevo.db-wal"} {
		if err := benchCopyFile(filepath.Join(cache, f), filepath.Join(dir, f)); err != nil && !os.IsNotExist(err) {
			b.Fatal(err)
		}
	}
}

func benchCopyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}
