package bench

import (
	"context"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/relevo/relevo/internal/app"
	"github.com/relevo/relevo/internal/desk"
)

// runRealtime is `relevo-bench realtime`: customer message accepted →
// agent sockets, on a Relevo node.
func runRealtime(ctx context.Context, args []string, out io.Writer) error {
	var c fanoutConfig
	if err := fanoutFlags("realtime", &c).Parse(args); err != nil {
		return err
	}
	if err := c.check(); err != nil {
		return err
	}
	fmt.Fprintf(out, "relevo-bench realtime: %s\n", machine())
	run := relevoFanout
	if c.url != "" {
		run = remoteFanout
	}
	r, err := run(ctx, c)
	if err != nil {
		return err
	}
	printFanout(out, r, c)
	return nil
}

// relevoFanout sets a node up (agents, tokens, waiting conversations, all
// untimed) and runs the fan-out against it.
func relevoFanout(ctx context.Context, c fanoutConfig) (fanoutResult, error) {
	raiseFileLimit(uint64(2*c.sockets + 1000))
	n, err := newNode(ctx, app.Options{}, c.databaseURL)
	if err != nil {
		return fanoutResult{}, err
	}
	defer n.close()
	emails, err := n.users(ctx, "agent", c.sockets, desk.RoleAgent)
	if err != nil {
		return fanoutResult{}, err
	}
	sups, err := n.users(ctx, "supervisor", c.supervisors, desk.RoleSupervisor)
	if err != nil {
		return fanoutResult{}, err
	}
	tokens, err := n.tokens(ctx, (c.rate+49)/50) // ≤ 50 requests/s each, half the API's per-token limit
	if err != nil {
		return fanoutResult{}, err
	}
	contacts, err := n.waiting(ctx, c.conversations)
	if err != nil {
		return fanoutResult{}, err
	}
	if err := n.start(); err != nil {
		return fanoutResult{}, err
	}
	name := "relevo (SQLite)"
	if c.databaseURL != "" {
		name = "relevo (PostgreSQL)"
	}
	return runFanout(ctx, fanoutTarget{name: name, base: n.url(), channelID: n.ch.ID,
		api: apiClients(n.url(), tokens, c.senders), emails: emails, contacts: contacts, supEmails: sups}, c)
}

// runCeiling is `relevo-bench ceiling`: the same run against a bare
// broadcast server, then against Relevo, and the ratio.
func runCeiling(ctx context.Context, args []string, out io.Writer) error {
	var c fanoutConfig
	fs := fanoutFlags("ceiling", &c)
	withRelevo := fs.Bool("relevo", true, "also run Relevo with the same flags and print the ratio")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := c.check(); err != nil {
		return err
	}
	fmt.Fprintf(out, "relevo-bench ceiling: %s\n", machine())
	raiseFileLimit(uint64(2*c.sockets + 1000))
	emails := make([]string, c.sockets)
	for i := range emails {
		emails[i] = fmt.Sprintf("bare-%d@bench.test", i)
	}
	contacts := make([]string, c.conversations)
	for i := range contacts {
		contacts[i] = fmt.Sprintf("waiting-%d", i)
	}
	sups := make([]string, c.supervisors) // the bare server sends every socket everything
	for i := range sups {
		sups[i] = fmt.Sprintf("bare-supervisor-%d@bench.test", i)
	}
	var bares []fanoutResult
	for _, batch := range []bool{false, true} {
		b, err := startBare(batch)
		if err != nil {
			return err
		}
		name := "bare coder/websocket broadcast, a write per frame"
		if batch {
			name = "bare coder/websocket broadcast, queued frames in one write"
		}
		r, err := runFanout(ctx, fanoutTarget{name: name, base: b.url(), channelID: "bare",
			api: apiClients(b.url(), []string{"bare"}, c.senders), emails: emails, contacts: contacts, supEmails: sups}, c)
		b.close()
		if err != nil {
			return err
		}
		printFanout(out, r, c)
		bares = append(bares, r)
		c.cpuprofile = "" // the profile, if asked, is the first bare server's
	}
	if !*withRelevo {
		return nil
	}
	run := relevoFanout
	if c.url != "" {
		run = remoteFanout
	}
	rr, err := run(ctx, c)
	if err != nil {
		return err
	}
	printFanout(out, rr, c)
	for _, b := range bares {
		printRatio(out, b, rr)
	}
	return nil
}

func printRatio(out io.Writer, bare, rel fanoutResult) {
	fmt.Fprintf(out, "\nceiling ratio, Relevo ÷ %s (same client, same flags):\n", bare.name)
	fmt.Fprintf(out, "%-32s %10s %10s %8s\n", "", "bare", "relevo", "ratio")
	q := func(d []time.Duration, p float64) time.Duration {
		s := slices.Clone(d)
		slices.Sort(s)
		return quantile(s, p)
	}
	for _, l := range []struct {
		name string
		b, r []time.Duration
		p    float64
	}{
		{"send → accept (HTTP), median", bare.http, rel.http, 0.5},
		{"send → accept (HTTP), p99", bare.http, rel.http, 0.99},
		{"accept → first socket, median", bare.first, rel.first, 0.5},
		{"accept → first socket, p99", bare.first, rel.first, 0.99},
		{"accept → last socket, median", bare.last, rel.last, 0.5},
		{"accept → last socket, p99", bare.last, rel.last, 0.99},
		{"send → last socket, median", bare.sendLast, rel.sendLast, 0.5},
		{"send → last socket, p99", bare.sendLast, rel.sendLast, 0.99},
	} {
		if len(l.b) == 0 || len(l.r) == 0 {
			fmt.Fprintf(out, "%-32s %10s %10s %8s\n", l.name, "-", "-", "n/a")
			continue
		}
		b, r := q(l.b, l.p), q(l.r, l.p)
		ratio := "n/a" // a frame that beats the HTTP answer makes no ratio
		if b > 0 && r > 0 {
			ratio = fmt.Sprintf("%.1f×", float64(r)/float64(b))
		}
		fmt.Fprintf(out, "%-32s %10s %10s %8s\n", l.name, fmtDur(b), fmtDur(r), ratio)
	}
	fmt.Fprintf(out, "%-32s %10d %10d\n", "sockets closed as too slow", bare.closed, rel.closed)
	fmt.Fprintf(out, "%-32s %10.0f %10.0f %7.2f×\n", "messages/s achieved", bare.rate(), rel.rate(), rel.rate()/max(bare.rate(), 1e-9))
	fmt.Fprintf(out, "%-32s %10.0f %10.0f %7.2f×\n", "frames/s delivered", bare.frameRate(), rel.frameRate(), rel.frameRate()/max(bare.frameRate(), 1e-9))
}
