package bench

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/relevo/relevo/internal/app"
	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/pace"
	"github.com/relevo/relevo/internal/realtime"
)

// counterFrame is a monitor.counters frame as a monitor got it.
type counterFrame struct {
	at      time.Duration
	waiting int
}

// runMonitors is `relevo-bench monitors`: supervisors' sockets, and the
// time from a state change's commit to the monitor.counters frame that
// counts it. The changes are new customers' first messages (through the
// API), each putting one more conversation in the queue, so the k-th
// change is counted by the first frame whose waiting count reaches k. The
// commit is timed in the node's publish hook, right after the commit.
func runMonitors(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("relevo-bench monitors", flag.ContinueOnError)
	monitors := fs.Int("monitors", 50, "supervisor sockets (one supervisor each)")
	rate := fs.Float64("rate", 20, "state changes a second (each a new conversation in the queue)")
	duration := fs.Duration("duration", 20*time.Second, "how long changes are made")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the timed part to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *monitors < 1 || *monitors > 5000 || *rate <= 0 || *rate > 500 || *duration <= 0 || *duration > 10*time.Minute {
		return errors.New("-monitors must be 1..5000, -rate in (0, 500], -duration in (0, 10m]")
	}
	fmt.Fprintf(out, "relevo-bench monitors: %s\n", machine())
	raiseFileLimit(uint64(2**monitors + 1000))

	var (
		recording atomic.Bool
		start     time.Time
		mu        sync.Mutex
		commits   []time.Duration
	)
	wrap := func(publish func([]desk.Change)) func([]desk.Change) {
		return func(cs []desk.Change) {
			if recording.Load() {
				now := time.Since(start)
				for _, c := range cs {
					if c.Move != nil && c.Move.Next.Phase == desk.PhaseWaiting && c.Move.Prev.Phase != desk.PhaseWaiting {
						mu.Lock()
						commits = append(commits, now)
						mu.Unlock()
					}
				}
			}
			publish(cs)
		}
	}
	n, err := newNode(ctx, app.Options{WrapPublish: wrap}, "")
	if err != nil {
		return err
	}
	defer n.close()
	emails, err := n.users(ctx, "supervisor", *monitors, desk.RoleSupervisor)
	if err != nil {
		return err
	}
	tokens, err := n.tokens(ctx, int(*rate+49)/50)
	if err != nil {
		return err
	}
	if err := n.start(); err != nil {
		return err
	}
	clients, err := connectAll(ctx, n.url(), emails, 16, nil)
	if err != nil {
		return err
	}
	frames := make([][]counterFrame, len(clients))
	rctx, stopReaders := context.WithCancel(ctx)
	defer stopReaders()
	start = time.Now().Add(500 * time.Millisecond) // after every monitor's first counters
	recording.Store(true)
	var readers sync.WaitGroup
	for k, cl := range clients {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for {
				f, err := cl.Read(rctx)
				at := time.Since(start)
				if err != nil {
					return
				}
				if f.Type != realtime.FrameMonitorCounters {
					continue
				}
				var mc realtime.MonitorCounters
				if json.Unmarshal(f.Data, &mc) == nil {
					frames[k] = append(frames[k], counterFrame{at: at, waiting: mc.Counters.Waiting})
				}
			}
		}()
	}

	count := int(*rate * duration.Seconds())
	api := apiClients(n.url(), tokens, 1)
	sent, accepted := make([]time.Duration, count), make([]time.Duration, count)
	var failed atomic.Int32
	var firstErr error
	stopProfile, err := cpuProfile(*cpuprofile)
	if err != nil {
		return err
	}
	run := uniq()
	pace.OpenLoop(ctx, start, count, *rate, 1, func(i int) {
		s := time.Since(start)
		_, err := postInbound(ctx, api[i%len(api)], n.ch.ID, run+"-new-"+strconv.Itoa(i), run+"-"+strconv.Itoa(i), "Hello, I need a person")
		if err != nil {
			failed.Add(1)
			firstErr = err // one sender: no race
			return
		}
		sent[i], accepted[i] = s, time.Since(start)
	})
	// The last push may be up to a counter interval away; give it a second
	// or two, then stop.
	time.Sleep(2 * time.Second)
	stopProfile()
	stopReaders()
	readers.Wait()
	closeAll(clients)
	recording.Store(false)
	mu.Lock()
	cs := append([]time.Duration(nil), commits...)
	mu.Unlock()

	var every, last, http []time.Duration
	missed := 0
	worst := make([]time.Duration, len(cs))
	for _, fr := range frames {
		j := 0
		for k, c := range cs {
			for j < len(fr) && fr[j].waiting < k+1 {
				j++
			}
			if j == len(fr) {
				missed += len(cs) - k
				break
			}
			d := fr[j].at - c
			every = append(every, d)
			worst[k] = max(worst[k], d)
		}
	}
	last = worst
	pushes := 0
	for i := range count {
		if accepted[i] != 0 {
			http = append(http, accepted[i]-sent[i])
		}
	}
	for _, fr := range frames {
		for _, f := range fr {
			if f.at >= 0 { // not the one sent on connect
				pushes++
			}
		}
	}
	target := map[string]time.Duration{"p99": 250 * time.Millisecond}
	fmt.Fprintf(out, "\nrelevo (SQLite): %d monitor sockets (supervisors), %.0f state changes/s for %v\n", *monitors, *rate, *duration)
	printLatency(out, []row{
		{name: "commit → monitor.counters, every monitor", d: every, limit: target},
		{name: fmt.Sprintf("commit → monitor.counters, last of %d", *monitors), d: last, limit: target},
		{name: "send → accept (HTTP inbound)", d: http},
	})
	fmt.Fprintf(out, "state changes: %d committed of %d sent (%d failed); changes a monitor never saw counted: %d; "+
		"counters frames: %.1f a second per monitor\n", len(cs), count, failed.Load(), missed,
		float64(pushes)/float64(len(clients))/(duration.Seconds()+2.5))
	if firstErr != nil {
		fmt.Fprintf(out, "first error: %v\n", firstErr)
	}
	return nil
}
