package bench

// `relevo bench dataset`: the large dataset (issue 12: a million
// conversations, ten million messages) and the lists and searches of the
// desk timed on it. The rows come from store.Seed with its Messages option
// (multi-row INSERTs in big transactions on SQLite, COPY on PostgreSQL;
// search indexes filled by the schema, as for every stored message), so
// what is measured is what production holds. A kept database (-data-dir,
// -schema) is topped up, not rebuilt, so the measuring can be repeated.

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
)

type datasetConfig struct {
	conversations, messages, batch, n int
	databaseURL, dataDir, schema      string
	only, cpuprofile                  string
}

var schemaName = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

func runDataset(ctx context.Context, args []string, out io.Writer) error {
	fl := flag.NewFlagSet("relevo bench dataset", flag.ContinueOnError)
	var c datasetConfig
	fl.IntVar(&c.conversations, "conversations", 1_000_000, "conversations the database should hold")
	fl.IntVar(&c.messages, "messages-per-conversation", 10, "messages in each conversation")
	fl.IntVar(&c.batch, "batch", 10_000, "conversations written per transaction")
	fl.IntVar(&c.n, "n", 200, "iterations of each timed list and search")
	fl.StringVar(&c.databaseURL, "database-url", "", "PostgreSQL URL; empty: SQLite")
	fl.StringVar(&c.dataDir, "data-dir", "", "SQLite folder to use and keep (a second run measures without generating again); default: a temp folder")
	fl.StringVar(&c.schema, "schema", "", "PostgreSQL schema to use and keep (made if missing); default: a fresh schema, dropped after")
	fl.StringVar(&c.only, "only", "", "time only the lists whose name contains this")
	fl.StringVar(&c.cpuprofile, "cpuprofile", "", "write a CPU profile of the timed lists to this file")
	if err := fl.Parse(args); err != nil {
		return err
	}
	switch {
	case c.conversations < 1 || c.messages < 1 || c.messages > 1000 || c.batch < 1 || c.n < 1:
		return fmt.Errorf("-conversations, -batch and -n must be ≥ 1, -messages-per-conversation 1 to 1000")
	case c.schema != "" && !schemaName.MatchString(c.schema):
		return fmt.Errorf("-schema: %q is not a lower-case SQL name", c.schema)
	case c.schema != "" && !store.IsPostgresURL(c.databaseURL):
		return fmt.Errorf("-schema needs a PostgreSQL -database-url")
	}
	bc := config{databaseURL: c.databaseURL, dataDir: c.dataDir, groupCommit: true, synchronous: "full"}
	var o *opened
	var cleanup func()
	var err error
	if c.schema != "" {
		o, cleanup, err = openSchema(ctx, c.databaseURL, c.schema)
	} else {
		o, cleanup, err = open(ctx, &bc)
	}
	if err != nil {
		return err
	}
	defer cleanup()
	s := o.s
	fmt.Fprintf(out, "relevo-bench dataset: %s, %s, GOMAXPROCS %d, %d CPUs, load average %s\n",
		s.Dialect(), runtime.Version(), runtime.GOMAXPROCS(0), runtime.NumCPU(), loadavg())

	t0 := time.Now()
	lastShown := 0
	w, err := s.Seed(ctx, store.SeedOptions{Conversations: c.conversations, Messages: c.messages, Batch: c.batch,
		Progress: func(conv, msgs int) {
			el := time.Since(t0).Seconds()
			line := fmt.Sprintf("generating: %d of %d conversations, %d messages written, %.0f messages/s, %s elapsed, load %s",
				conv, c.conversations, msgs, float64(msgs)/el, time.Since(t0).Round(time.Second), load1())
			if progressOut != nil {
				fmt.Fprintf(progressOut, "\r\033[K%s", line)
			} else if conv*20/c.conversations > lastShown*20/c.conversations || conv == c.conversations {
				fmt.Fprintln(out, line) // a piped report shows every 5%
			}
			lastShown = conv
		}})
	if progressOut != nil {
		fmt.Fprint(progressOut, "\r\033[K")
	}
	if err != nil {
		return err
	}
	size, err := datasetSize(ctx, o)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%d conversations ready (%d messages each) in %v; size on disk %.2f GB; load average %s\n\n",
		w.Conversations, c.messages, time.Since(t0).Round(time.Second), float64(size)/1e9, loadavg())
	stopProfile, err := cpuProfile(c.cpuprofile)
	if err != nil {
		return err
	}
	defer stopProfile()
	return measureDataset(ctx, s, w, c, out)
}

// datasetCase is one timed list or search.
type datasetCase struct {
	name   string
	search bool
	actor  desk.Actor
	f      store.ConversationFilter
}

func datasetCases(w store.SeedWorld) []datasetCase {
	sup, agent := desk.UserActor(w.Supervisor), desk.UserActor(w.Agents[0])
	open := []desk.Phase{desk.PhaseWaiting, desk.PhaseHuman}
	team := []string{w.Teams[0].ID}
	// Words of the generated text (store/seed_text.go): "the" is its most
	// frequent word (in about 70% of chat lines), "order" a common one
	// (about 5%, and in the benchmarks' fixed lines), the rare one in a few
	// dozen messages of ten million; "refu" is a prefix (refund).
	top, common, rare, prefix := store.SeedWord(0), "order", store.SeedWord(59_000), "refu"
	return []datasetCase{
		{"queue (agent, waiting)", false, agent, store.ConversationFilter{Phases: []desk.Phase{desk.PhaseWaiting}, Sort: store.SortWaiting}},
		{"mine (agent)", false, agent, store.ConversationFilter{AssigneeIDs: []string{w.Agents[0].ID}, Sort: store.SortWaiting}},
		{"agent scope (queue + mine)", false, agent, store.ConversationFilter{Sort: store.SortWaiting}},
		{"all open, by waiting", false, sup, store.ConversationFilter{Sort: store.SortWaiting}},
		{"team + phases, by activity", false, sup, store.ConversationFilter{TeamIDs: team, Phases: open, Sort: store.SortUpdated}},
		{"all phases, by activity", false, sup, store.ConversationFilter{AllPhases: true, Sort: store.SortUpdated}},
		{"all phases, one channel, by activity", false, sup, store.ConversationFilter{AllPhases: true, ChannelIDs: []string{w.Channels[3].ID}, Sort: store.SortUpdated}},
		{"all phases, page 2 by cursor", false, sup, store.ConversationFilter{AllPhases: true, Sort: store.SortUpdated}},
		{"search common word " + common + ", open", true, sup, store.ConversationFilter{Query: common, Sort: store.SortUpdated}},
		{"search common word " + common + ", all", true, sup, store.ConversationFilter{Query: common, AllPhases: true, Sort: store.SortUpdated}},
		{"search rare word " + rare + ", all", true, sup, store.ConversationFilter{Query: rare, AllPhases: true, Sort: store.SortUpdated}},
		{"search prefix " + prefix + ", all", true, sup, store.ConversationFilter{Query: prefix, AllPhases: true, Sort: store.SortUpdated}},
		{"search top word " + top + ", all", true, sup, store.ConversationFilter{Query: top, AllPhases: true, Sort: store.SortUpdated}},
		{"search two words, all", true, sup, store.ConversationFilter{Query: common + " " + top, AllPhases: true, Sort: store.SortUpdated}},
		{"search contact name, all", true, sup, store.ConversationFilter{Query: "maria silva", AllPhases: true, Sort: store.SortUpdated}},
		{"search " + common + " + team + phases", true, sup, store.ConversationFilter{Query: common, TeamIDs: team, Phases: open, Sort: store.SortUpdated}},
	}
}

func measureDataset(ctx context.Context, s *store.Store, w store.SeedWorld, c datasetConfig, out io.Writer) error {
	n := c.n
	fmt.Fprintf(out, "%s, %d conversations, one client, pages of 50:\n", s.Dialect(), w.Conversations)
	fmt.Fprintf(out, "%-44s %5s %6s %10s %10s %10s  %-15s %-6s %s\n", "list", "rows", "n", "median", "p99", "cpu/op", "target", "result", "load1")
	for _, dc := range datasetCases(w) {
		if !strings.Contains(dc.name, c.only) {
			continue
		}
		f := dc.f
		page, next, err := s.ListConversations(ctx, dc.actor, f)
		if err != nil {
			return fmt.Errorf("%s: %w", dc.name, err)
		}
		if dc.name == "all phases, page 2 by cursor" {
			if next == "" {
				return fmt.Errorf("%s: no second page", dc.name)
			}
			f.Cursor = next
			if page, _, err = s.ListConversations(ctx, dc.actor, f); err != nil {
				return fmt.Errorf("%s: %w", dc.name, err)
			}
		}
		r, err := timeOps(n, func(int) error {
			_, _, err := s.ListConversations(ctx, dc.actor, f)
			return err
		})
		if err != nil {
			return fmt.Errorf("%s: %w", dc.name, err)
		}
		target, max := "p99 ≤ 10 ms", 10*time.Millisecond
		if dc.search {
			target, max = "p99 ≤ 100 ms", 100*time.Millisecond
		}
		p50, p99 := percentiles(r.d)
		verdict := "pass"
		if p99 > max {
			verdict = "FAIL"
		}
		fmt.Fprintf(out, "%-44s %5d %6d %10s %10s %10s  %-15s %-6s %s\n", dc.name, len(page), n, ms(p50), ms(p99),
			ms(r.cpu/time.Duration(n)), target, verdict, load1())
	}
	return nil
}

// openSchema opens the store in a named schema of the PostgreSQL server,
// making it if missing and keeping it.
func openSchema(ctx context.Context, base, schema string) (*opened, func(), error) {
	db, err := sql.Open("pgx", base)
	if err != nil {
		return nil, nil, err
	}
	_, err = db.ExecContext(ctx, `CREATE SCHEMA IF NOT EXISTS `+schema)
	db.Close()
	if err != nil {
		return nil, nil, fmt.Errorf("create schema: %w", err)
	}
	u, err := withSchema(base, schema)
	if err != nil {
		return nil, nil, err
	}
	opts := store.Options{DatabaseURL: u}
	s, err := store.Open(ctx, opts)
	if err != nil {
		return nil, nil, err
	}
	o := &opened{s: s, opts: opts}
	return o, func() { o.s.Close() }, nil
}

// datasetSize is the database's size on disk: the SQLite folder's files, or
// the PostgreSQL schema's tables with their indexes and TOAST.
func datasetSize(ctx context.Context, o *opened) (int64, error) {
	if o.opts.DatabaseURL == "" {
		var n int64
		err := filepath.WalkDir(o.opts.DataDir, func(_ string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			fi, err := d.Info()
			if err == nil {
				n += fi.Size()
			}
			return err
		})
		return n, err
	}
	db, err := sql.Open("pgx", o.opts.DatabaseURL)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var n sql.NullInt64
	err = db.QueryRowContext(ctx, `SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c
		JOIN pg_namespace ns ON ns.oid = c.relnamespace WHERE ns.nspname = current_schema() AND c.relkind IN ('r', 'm')`).Scan(&n)
	return n.Int64, err
}

// loadavg is the machine's three load averages.
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return "-"
}
