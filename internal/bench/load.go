package bench

// What the load sources (webhooks, widget) share: their flags, the
// failures sorted by kind, the report of one run, the bare pipeline of the
// same minute (rt_bare.go) and the count of what the store kept.

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/realtime/rtclient"
	"github.com/relevo/relevo/internal/store"
)

// loadFlags are the flags every load source takes; the run adds its own.
func loadFlags(name, rate, channel string, c *fanoutConfig, bare *bool) *flag.FlagSet {
	fs := flag.NewFlagSet("relevo-bench "+name, flag.ContinueOnError)
	fs.IntVar(&c.sockets, "sockets", 1, "agent sockets connected (one agent user each; with -url all log in as -email)")
	paceFlags(fs, c, rate, 10*time.Second, 256)
	serverFlags(fs, c, channel)
	fs.BoolVar(bare, "bare", true, "also run the bare pipeline (HTTP POST → WebSocket, nothing stored) with the same flags, and print the ratio")
	return fs
}

// checkLoad checks the shared flags; the agents read raw frames, leaving
// more of the shared CPU to the server.
func (c *fanoutConfig) checkLoad() error {
	c.decode, c.conversations = false, max(c.conversations, 1)
	if c.url != "" {
		c.password = cmp(c.password, os.Getenv("RELEVO_BENCH_PASSWORD"))
		if c.channel == "" || c.email == "" || c.password == "" {
			return errors.New("-url needs -channel, -email and -password")
		}
		if c.databaseURL != "" {
			return errors.New("-url and -database-url exclude each other: the server has its own database")
		}
	}
	switch {
	case c.sockets < 0 || c.sockets > 5000:
		return errors.New("-sockets must be 0..5000")
	case c.rate < 1 || c.rate > 5000:
		return errors.New("-rate must be 1..5000")
	case c.duration <= 0 || c.duration > 10*time.Minute || c.warmup < 0 || c.warmup > time.Minute:
		return errors.New("-duration must be in (0, 10m], -warmup in [0, 1m]")
	case c.senders < 1 || c.senders > 512:
		return errors.New("-senders must be 1..512")
	}
	return nil
}

// cmp is the first non-empty string.
func cmp(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// failureKind names a failed request for the report: status and error
// code for an answer, the kind of transport error otherwise.
func failureKind(err error) string {
	var api *rtclient.APIError
	switch {
	case errors.As(err, &api):
		return fmt.Sprintf("HTTP %d %s", api.Status, cmp(api.Code, "(no error code)"))
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled):
		return "timed out or cancelled"
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return "network timeout"
	}
	var oe *net.OpError
	if errors.As(err, &oe) {
		return "network: " + oe.Op
	}
	return "other"
}

// printKinds writes the failures by kind, most frequent first.
func printKinds(out io.Writer, kinds map[string]int) {
	if len(kinds) == 0 {
		return
	}
	names := make([]string, 0, len(kinds))
	for k := range kinds {
		names = append(names, k)
	}
	slices.SortFunc(names, func(a, b string) int { return kinds[b] - kinds[a] })
	parts := make([]string, len(names))
	for i, k := range names {
		parts[i] = fmt.Sprintf("%s × %d", k, kinds[k])
	}
	fmt.Fprintf(out, "failures by kind: %s\n", strings.Join(parts, ", "))
}

// loadReport is one load source's table: stage rows, then the line of
// counts every run prints.
type loadReport struct {
	title  string
	rows   []row
	extra  []string // lines after the counts
	stored int      // customer messages the store holds; -1: not counted (-url)
}

// printLoad writes the report and says whether the rate held with
// nothing failed, missed or lost.
func printLoad(out io.Writer, r fanoutResult, c fanoutConfig, rep loadReport) bool {
	fmt.Fprintf(out, "\n%s\n", rep.title)
	printLatency(out, rep.rows)
	// The rate of the accepted only: refusals do not count as taken.
	okRate := r.rate() >= 0.98*float64(c.rate) && r.accepted*100 >= r.scheduled*98
	verdict := map[bool]string{true: "pass", false: "FAIL"}
	fmt.Fprintf(out, "messages/s achieved: %.0f of %d (%d of %d accepted, %d failed)   %s\n", r.rate(), c.rate,
		r.accepted, r.scheduled, r.failed, verdict[okRate])
	fmt.Fprintf(out, "messages some agent socket missed: %d; agent sockets closed by the server: %d\n", r.incomplete, r.closed)
	if r.closeReason != "" {
		fmt.Fprintf(out, "first agent socket closed: %s\n", r.closeReason)
	}
	lost := false
	if rep.stored >= 0 {
		// Warm-up included: every 2xx must be in the store.
		lost = rep.stored < r.allAccepted
		fmt.Fprintf(out, "customer messages in the store: %d (accepted with a 2xx, warm-up included: %d)\n", rep.stored, r.allAccepted)
	}
	printKinds(out, r.kinds)
	for _, l := range rep.extra {
		fmt.Fprintln(out, l)
	}
	if r.allAccepted > 0 && r.wall > 0 {
		fmt.Fprintf(out, "process CPU: %.2f of %d cores on average; %.2f ms per message (client and server together)\n",
			r.cpu.Seconds()/r.wall.Seconds(), runtime.NumCPU(), r.cpu.Seconds()*1e3/float64(r.allAccepted))
	}
	if r.firstErr != nil {
		fmt.Fprintf(out, "first error: %v\n", r.firstErr)
	}
	return okRate && !lost && r.failed == 0 && r.incomplete == 0
}

// finishLoad counts what the store kept (count nil: not the bench's own
// node), prints the report, then the bare pipeline's run and the ratio.
func finishLoad(ctx context.Context, out io.Writer, r fanoutResult, c fanoutConfig, rep loadReport, count func() (int, error), bare bool) error {
	if count != nil {
		var err error
		if rep.stored, err = count(); err != nil {
			return err
		}
	}
	printLoad(out, r, c, rep)
	if !bare {
		return nil
	}
	b, err := bareRun(ctx, c, out)
	if err != nil {
		return err
	}
	printRatio(out, b, r)
	return nil
}

// bareRun is the bare pipeline (rt_bare.go, queued frames in one write)
// under the same client, rate and sockets: what this machine does when
// nothing is stored. The ratio is printed after the run it is compared to.
func bareRun(ctx context.Context, c fanoutConfig, out io.Writer) (fanoutResult, error) {
	b, err := startBare(true)
	if err != nil {
		return fanoutResult{}, err
	}
	defer b.close()
	emails := make([]string, max(c.sockets, 1))
	for i := range emails {
		emails[i] = fmt.Sprintf("bare-%d@bench.test", i)
	}
	c.sockets, c.cpuprofile = len(emails), ""
	r, err := runFanout(ctx, fanoutTarget{name: "bare coder/websocket broadcast, queued frames in one write", base: b.url(), channelID: "bare",
		api: apiClients(b.url(), []string{"bare"}, c.senders), emails: emails, contacts: []string{"bare"}}, c)
	if err != nil {
		return r, err
	}
	printFanout(out, r, c)
	return r, nil
}

// storedCustomerMessages counts the customers' messages of the bench (text
// from messageText) in the channel's conversations, read back from the
// store at the end of a run.
func storedCustomerMessages(ctx context.Context, st *store.Store, channelID string) (int, error) {
	n, cursor := 0, ""
	for {
		convs, next, err := st.ListConversations(ctx, desk.SystemActor,
			store.ConversationFilter{AllPhases: true, ChannelIDs: []string{channelID}, Limit: 100, Cursor: cursor})
		if err != nil {
			return n, err
		}
		for _, cv := range convs {
			var after int64
			for {
				ms, err := st.ListMessages(ctx, desk.SystemActor, cv.ID, store.MessagePage{AfterSeq: &after, Limit: 200})
				if err != nil {
					return n, err
				}
				for _, m := range ms {
					if m.Author.Type == desk.AuthorContact && messageIndex([]byte(`"text":"`+m.Text)) >= 0 {
						n++
					}
					after = m.Seq
				}
				if len(ms) < 200 {
					break
				}
			}
		}
		if next == "" || len(convs) == 0 {
			return n, nil
		}
		cursor = next
	}
}
