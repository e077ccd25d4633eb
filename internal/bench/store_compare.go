package bench

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/relevo/relevo/internal/store"
)

// writeMode is one way SQLite commits: group commit off or on, and the
// synchronous mode.
type writeMode struct {
	name        string
	serial      bool
	synchronous string
}

var writeModes = []writeMode{
	{"serial, NORMAL", true, "normal"},
	{"serial, FULL", true, "full"},
	{"group, NORMAL", false, "normal"},
	{"group, FULL", false, "full"},
}

// compareModes runs the sustained inbound measurement in every write mode,
// reopening the same file for each. The modes take turns at each client
// count (-rounds turns each), so they share the machine's load of the moment: on a shared
// machine only ratios measured side by side mean anything. The ratio is to
// the first mode (one transaction per message, synchronous=NORMAL: the
// store before group commit).
func compareModes(ctx context.Context, o *opened, targets []store.SeedTarget, c config, run string, out io.Writer) error {
	fmt.Fprintf(out, "\nsustained inbound into open conversations, by write mode (%d × %v per mode, taking turns; each client its own conversations):\n",
		c.rounds, c.duration)
	fmt.Fprintf(out, "%8s  %-15s %9s %9s %10s %10s %6s %7s\n", "clients", "mode", "messages", "msg/s", "median", "p99", "load1", "ratio")
	for _, k := range c.clients {
		n := make([]int, len(writeModes))
		d := make([][]time.Duration, len(writeModes))
		loads := make([][]string, len(writeModes))
		for round := range c.rounds {
			for i, m := range writeModes {
				if err := o.s.Close(); err != nil {
					return err
				}
				opts := o.opts
				opts.SerialWrites, opts.Synchronous = m.serial, m.synchronous
				s, err := store.Open(ctx, opts)
				if err != nil {
					return err
				}
				o.s = s
				got, lat, err := sustained(ctx, s, targets, k, c.duration, fmt.Sprintf("%s-r%d-m%d", run, round, i))
				if err != nil {
					return fmt.Errorf("sustained inbound (%s): %w", m.name, err)
				}
				n[i], d[i], loads[i] = n[i]+got, append(d[i], lat...), append(loads[i], load1())
			}
		}
		secs := c.duration.Seconds() * float64(c.rounds)
		base := float64(n[0]) / secs
		for i, m := range writeModes {
			rate := float64(n[i]) / secs
			p50, p99 := percentiles(d[i])
			fmt.Fprintf(out, "%8d  %-15s %9d %9.0f %10s %10s %6s %6.2fx\n", k, m.name, n[i], rate, ms(p50), ms(p99),
				strings.Join(loads[i], "/"), rate/base)
		}
	}
	return nil
}

// load1 is the machine's 1-minute load average, as /proc/loadavg says.
func load1() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "-"
	}
	return strings.Fields(string(b))[0]
}
