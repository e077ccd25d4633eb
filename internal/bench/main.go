// Package bench measures the store outside `go test`: the speed
// targets of docs/PERFORMANCE.md (inbound, assign, conversation lists at
// 100k conversations) and the sustained inbound throughput of concurrent
// clients, which shows the single-writer ceiling.
//
//	go run ./cmd/relevo-bench                       # SQLite in a temp folder
//	go run ./cmd/relevo-bench -database-url postgres://...   # a fresh schema there
//	go run ./cmd/relevo-bench -compare -clients 1,4,16,64     # SQLite: group commit off/on × synchronous NORMAL/FULL, side by side
//	go run ./cmd/relevo-bench -group-commit=false -synchronous normal   # the store before group commit
//
// It seeds its own data (store.Seed) and never touches anything else: on
// PostgreSQL it works in a new schema it drops at the end.
//
// Subcommands measure the real-time socket (docs/realtime.md) on a whole
// node on 127.0.0.1 (SQLite in a temp folder), each printing its table:
//
//	go run ./cmd/relevo-bench realtime -sockets 500 -rate 500 -duration 20s   # message accepted → agent sockets
//	go run ./cmd/relevo-bench ceiling -sockets 500 -rate 500 -duration 20s    # the same on a bare WebSocket server, and the ratio
//	go run ./cmd/relevo-bench idle -sockets 20000                             # memory per idle socket
//	go run ./cmd/relevo-bench monitors -monitors 50                           # commit → monitor.counters
//	go run ./cmd/relevo-bench csv -conversations 100000                       # the conversations CSV: time and heap
//	go run ./cmd/relevo-bench webhooks -rate 1000 -duration 10s               # signed WhatsApp webhooks → 200 → agent socket (load_webhooks.go)
//	go run ./cmd/relevo-bench widget -visitors 500 -rate 1000 -duration 10s   # widget visitors' messages → agents and the visitor (load_widget.go)
//	go run ./cmd/relevo-bench assign -agents 20 -conversations 2000           # the assignment race; fails on two owners (load_assign.go)
//	go run ./cmd/relevo-bench dataset -conversations 1000000 -data-dir DIR    # 1M conversations, 10M messages: lists and search (dataset.go)
package bench

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/jobs"
	"github.com/relevo/relevo/internal/store"
)

type config struct {
	conversations int
	databaseURL   string
	dataDir       string
	n             int
	clients       []int
	duration      time.Duration
	groupCommit   bool   // SQLite group commit (store.Options.SerialWrites is its opposite)
	synchronous   string // SQLite synchronous mode
	compare       bool   // sustained runs in every SQLite write mode, interleaved
	rounds        int    // with compare: turns each mode takes per client count
}

// SelfArgs are the arguments that make this executable run the bench: none
// for relevo-bench, "bench" for relevo. The idle run starts copies of
// itself as socket clients with them.
var SelfArgs []string

// Run runs the bench that args name (the store's without a subcommand) and
// prints its report to out.
func Run(ctx context.Context, args []string, out io.Writer) error { return run(ctx, args, out) }

// subcommands are the real-time runs (rt_*.go); without one, the store's.
var subcommands = map[string]func(context.Context, []string, io.Writer) error{
	"realtime": runRealtime, "ceiling": runCeiling, "idle": runIdle, "monitors": runMonitors, "csv": runCSV, idleClientsCmd: runIdleClients,
	"webhooks": runWebhooks, "widget": runWidget, "assign": runAssign, "dataset": runDataset,
}

// runNames lists the subcommands, sorted, for the unknown-run error.
func runNames() string {
	names := make([]string, 0, len(subcommands))
	for n := range subcommands {
		if n != idleClientsCmd {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

func run(ctx context.Context, args []string, out io.Writer) error {
	if len(args) > 0 {
		if sub, ok := subcommands[args[0]]; ok {
			return sub(ctx, args[1:], out)
		}
		// A misspelt run name must not start the long store run instead.
		if a := args[0]; a != "" && a[0] != '-' {
			return fmt.Errorf("unknown run %q (runs: %s)", a, runNames())
		}
	}
	fs := flag.NewFlagSet("relevo-bench", flag.ContinueOnError)
	var c config
	var clients string
	fs.IntVar(&c.conversations, "conversations", 100_000, "conversations to seed")
	fs.StringVar(&c.databaseURL, "database-url", "", "PostgreSQL URL (a fresh schema is made and dropped); empty: SQLite")
	fs.StringVar(&c.dataDir, "data-dir", "", "SQLite folder to use and keep, so a second run skips seeding (default: a temp folder)")
	fs.IntVar(&c.n, "n", 2000, "iterations of each timed operation")
	fs.StringVar(&clients, "clients", "1,4,16", "concurrent clients for the sustained inbound runs")
	fs.DurationVar(&c.duration, "duration", 10*time.Second, "length of each sustained inbound run")
	fs.BoolVar(&c.groupCommit, "group-commit", true, "SQLite: group commit (false: each write its own transaction)")
	fs.StringVar(&c.synchronous, "synchronous", "full", "SQLite synchronous mode: full or normal")
	fs.BoolVar(&c.compare, "compare", false, "SQLite: run the sustained inbound in each write mode (group commit off/on × synchronous normal/full), interleaved, with ratios")
	fs.IntVar(&c.rounds, "rounds", 1, "with -compare: how many turns of -duration each mode takes per client count (its figures are their sum)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if c.rounds < 1 {
		return fmt.Errorf("-rounds must be ≥ 1")
	}
	for _, f := range strings.Split(clients, ",") {
		k, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || k < 1 {
			return fmt.Errorf("-clients: %q is not a number ≥ 1", f)
		}
		c.clients = append(c.clients, k)
	}
	o, cleanup, err := open(ctx, &c)
	if err != nil {
		return err
	}
	defer cleanup()
	s := o.s

	fmt.Fprintf(out, "relevo-bench: %s, %s, GOMAXPROCS %d, %d CPUs\n", s.Dialect(), runtime.Version(), runtime.GOMAXPROCS(0), runtime.NumCPU())
	t0 := time.Now()
	w, err := s.Seed(ctx, store.SeedOptions{Conversations: c.conversations})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%d conversations ready in %v\n\n", w.Conversations, time.Since(t0).Round(time.Millisecond))
	// The search index's merge steps run beside the writes, as in serve;
	// not with -compare, which closes and reopens the store per write mode.
	mctx, stop := context.WithCancel(ctx)
	merged := make(chan struct{})
	if c.compare {
		close(merged)
	} else {
		go func() { defer close(merged); (&jobs.SearchMerger{Store: s}).Run(mctx) }()
	}
	err = measure(ctx, o, w, c, out)
	stop()
	<-merged
	if g, gerr := o.s.SearchSegments(ctx); gerr == nil && o.s.Dialect() == "sqlite" {
		fmt.Fprintf(out, "\nsearch index: %d segments, per level %v\n", g.Total, g.Levels)
	}
	return err
}

// opened is the store under measurement and how it was opened, so the
// comparison can reopen the same file in another write mode.
type opened struct {
	s    *store.Store
	opts store.Options
}

// open opens the store: SQLite in c.dataDir or a temp folder, or a fresh
// schema on the PostgreSQL server of c.databaseURL.
func open(ctx context.Context, c *config) (*opened, func(), error) {
	cleanup := func() {}
	opts := store.Options{DataDir: c.dataDir, SerialWrites: !c.groupCommit, Synchronous: c.synchronous}
	if store.IsPostgresURL(c.databaseURL) {
		u, drop, err := freshSchema(c.databaseURL)
		if err != nil {
			return nil, nil, err
		}
		opts.DatabaseURL, cleanup = u, drop
	} else if c.dataDir == "" {
		dir, err := os.MkdirTemp("", "relevo-bench-")
		if err != nil {
			return nil, nil, err
		}
		opts.DataDir, cleanup = dir, func() { os.RemoveAll(dir) }
	}
	s, err := store.Open(ctx, opts)
	if err != nil {
		cleanup()
		return nil, nil, err
	}
	o := &opened{s: s, opts: opts}
	return o, func() { o.s.Close(); cleanup() }, nil
}

func freshSchema(base string) (string, func(), error) {
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "bench_" + hex.EncodeToString(b[:])
	db, err := sql.Open("pgx", base)
	if err != nil {
		return "", nil, err
	}
	if _, err := db.Exec(`CREATE SCHEMA ` + schema); err != nil {
		db.Close()
		return "", nil, fmt.Errorf("create schema: %w", err)
	}
	drop := func() {
		_, _ = db.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
		db.Close()
	}
	u, err := withSchema(base, schema)
	if err != nil {
		drop()
		return "", nil, err
	}
	return u, drop, nil
}

// withSchema is base with schema as its search path.
func withSchema(base, schema string) (string, error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// result is one line of the table.
type result struct {
	name, target string
	d            []time.Duration
	wall         time.Duration
	cpu          time.Duration // process CPU time over the run; 0: unknown
	pass         func(p50, p99 time.Duration) bool
}

func measure(ctx context.Context, o *opened, w store.SeedWorld, c config, out io.Writer) error {
	s := o.s
	targets, err := s.SeedTargets(ctx, 5000, desk.PhaseBot, desk.PhaseWaiting, desk.PhaseHuman)
	if err != nil || len(targets) == 0 {
		return fmt.Errorf("no open conversations to write to: %v", err)
	}
	waiting, err := s.SeedTargets(ctx, 5000, desk.PhaseWaiting)
	if err != nil || len(waiting) == 0 {
		return fmt.Errorf("no waiting conversations to assign: %v", err)
	}
	median := func(max time.Duration) func(p50, p99 time.Duration) bool {
		return func(p50, _ time.Duration) bool { return p50 <= max }
	}
	run := uniq()
	var results []result
	r, err := timeOps(c.n, func(i int) error {
		tg := targets[i%len(targets)]
		_, err := s.Inbound(ctx, tg.ChannelID, store.InboundContact{ExternalID: tg.ContactExternalID},
			store.InboundMessage{ExternalID: run + "-" + strconv.Itoa(i), Text: "One more thing about my refund"})
		return err
	})
	if err != nil {
		return fmt.Errorf("inbound: %w", err)
	}
	results = append(results, result{name: "inbound, open conversation", target: "median ≤ 0.5 ms", d: r.d, wall: r.wall, cpu: r.cpu,
		pass: median(500 * time.Microsecond)})
	r, err = timeOps(c.n, func(i int) error {
		id := run + "-new-" + strconv.Itoa(i)
		_, err := s.Inbound(ctx, w.Channels[0].ID, store.InboundContact{ExternalID: id, Name: "New Customer"},
			store.InboundMessage{ExternalID: id, Text: "Hello, is anyone there?"})
		return err
	})
	if err != nil {
		return fmt.Errorf("inbound: %w", err)
	}
	results = append(results, result{name: "inbound, new conversation", target: "(informative)", d: r.d, wall: r.wall, cpu: r.cpu})

	agent, sup := desk.UserActor(w.Agents[0]), desk.UserActor(w.Supervisor)
	var d []time.Duration
	var wall, cpu time.Duration
	for i := 0; i < c.n; i++ {
		k := i % len(waiting)
		if i > 0 && k == 0 { // the queue ran dry: put it back, untimed
			for _, tg := range waiting {
				if _, err := s.Unassign(ctx, sup, tg.ConversationID); err != nil {
					return fmt.Errorf("unassign: %w", err)
				}
			}
		}
		c0, t0 := cpuTime(), time.Now()
		if _, err := s.Assign(ctx, agent, waiting[k].ConversationID, store.AssignInput{}); err != nil {
			return fmt.Errorf("assign: %w", err)
		}
		d = append(d, time.Since(t0))
		wall, cpu = wall+d[len(d)-1], cpu+cpuTime()-c0
	}
	results = append(results, result{name: "assign", target: "median ≤ 1 ms", d: d, wall: wall, cpu: cpu, pass: median(time.Millisecond)})

	for _, lc := range w.ListCases() {
		r, err := timeOps(c.n, func(int) error {
			_, _, err := s.ListConversations(ctx, lc.Actor, lc.Filter)
			return err
		})
		if err != nil {
			return fmt.Errorf("list %s: %w", lc.Name, err)
		}
		results = append(results, result{name: "list " + lc.Name, target: "p99 ≤ 5 ms", d: r.d, wall: r.wall, cpu: r.cpu,
			pass: func(_, p99 time.Duration) bool { return p99 <= 5*time.Millisecond }})
	}
	printTable(out, s.Dialect(), w.Conversations, results)
	if c.compare && s.Dialect() == "sqlite" {
		return compareModes(ctx, o, targets, c, run, out)
	}

	fmt.Fprintf(out, "\nsustained inbound into open conversations (%v per run, each client its own conversations):\n", c.duration)
	fmt.Fprintf(out, "%8s %10s %10s %10s %10s %6s\n", "clients", "messages", "msg/s", "median", "p99", "load1")
	for _, k := range c.clients {
		n, d, err := sustained(ctx, s, targets, k, c.duration, run)
		if err != nil {
			return fmt.Errorf("sustained inbound: %w", err)
		}
		p50, p99 := percentiles(d)
		fmt.Fprintf(out, "%8d %10d %10.0f %10s %10s %6s\n", k, n, float64(n)/c.duration.Seconds(), ms(p50), ms(p99), load1())
	}
	return nil
}

type timed struct {
	d         []time.Duration
	wall, cpu time.Duration
}

// timeOps runs op n times after a short warm-up, timing each call.
func timeOps(n int, op func(i int) error) (timed, error) {
	var r timed
	for i := 0; i < min(20, n); i++ {
		if err := op(n + i); err != nil {
			return r, err
		}
	}
	c0 := cpuTime()
	for i := 0; i < n; i++ {
		t0 := time.Now()
		if err := op(i); err != nil {
			return r, err
		}
		r.d = append(r.d, time.Since(t0))
		r.wall += r.d[i]
	}
	r.cpu = cpuTime() - c0
	return r, nil
}

// sustained runs clients goroutines storing inbound messages for dur; each
// writes to its own share of targets, as real traffic spreads over
// conversations.
func sustained(ctx context.Context, s *store.Store, targets []store.SeedTarget, clients int, dur time.Duration, run string) (int, []time.Duration, error) {
	ctx, cancel := context.WithTimeout(ctx, dur)
	defer cancel()
	var mu sync.Mutex
	var all []time.Duration
	var firstErr error
	var wg sync.WaitGroup
	for k := 0; k < clients; k++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var d []time.Duration
			for i := 0; ctx.Err() == nil; i++ {
				tg := targets[(i*clients+k)%len(targets)]
				t0 := time.Now()
				_, err := s.Inbound(context.Background(), tg.ChannelID, store.InboundContact{ExternalID: tg.ContactExternalID},
					store.InboundMessage{ExternalID: fmt.Sprintf("%s-c%d-%d-%d", run, clients, k, i), Text: "Are you still there?"})
				if err != nil {
					mu.Lock()
					firstErr = err
					mu.Unlock()
					return
				}
				d = append(d, time.Since(t0))
			}
			mu.Lock()
			all = append(all, d...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return len(all), all, firstErr
}

func printTable(out io.Writer, dialect string, conversations int, results []result) {
	fmt.Fprintf(out, "%s, %d conversations, one client:\n", dialect, conversations)
	fmt.Fprintf(out, "%-32s %6s %10s %10s %9s %10s  %-16s %s\n", "operation", "n", "median", "p99", "ops/s", "cpu/op", "target", "result")
	for _, r := range results {
		p50, p99 := percentiles(r.d)
		verdict := "-"
		if r.pass != nil {
			verdict = "FAIL"
			if r.pass(p50, p99) {
				verdict = "pass"
			}
		}
		cpu := "-"
		if r.cpu > 0 {
			cpu = ms(r.cpu / time.Duration(len(r.d)))
		}
		fmt.Fprintf(out, "%-32s %6d %10s %10s %9.0f %10s  %-16s %s\n", r.name, len(r.d), ms(p50), ms(p99),
			float64(len(r.d))/r.wall.Seconds(), cpu, r.target, verdict)
	}
}

func percentiles(d []time.Duration) (p50, p99 time.Duration) {
	if len(d) == 0 {
		return 0, 0
	}
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	return d[len(d)/2], d[(len(d)*99+99)/100-1]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.3f ms", float64(d)/1e6) }

// cpuTime is this process's CPU time (user + system) from /proc/self/stat,
// or 0 where there is none. On a shared machine it tells work from waiting:
// the database's own work counts only for SQLite, which runs in-process.
func cpuTime() time.Duration {
	b, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return 0
	}
	// Fields after the command name, which is in parentheses: utime and
	// stime are the 12th and 13th, in clock ticks of 1/100 s.
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	s, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(u+s) * 10 * time.Millisecond
}

// uniq tells this run's message ids from an earlier run's on a kept
// database (-data-dir).
func uniq() string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return "bench-" + hex.EncodeToString(b[:])
}
