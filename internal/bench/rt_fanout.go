package bench

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/relevo/relevo/internal/pace"
	"github.com/relevo/relevo/internal/realtime"
	"github.com/relevo/relevo/internal/realtime/rtclient"
)

// fanoutConfig are the flags of the realtime and ceiling runs.
type fanoutConfig struct {
	sockets, rate, conversations, senders int
	supervisors                           int // sockets of supervisors of the bot, beside the agents'
	duration, warmup, drain               time.Duration
	cpuprofile, databaseURL               string
	decode                                bool
	// A running server instead of a node of the bench's own (remote.go).
	url, token, channel, email, password string
	supervisorEmail                      string
}

func fanoutFlags(name string, c *fanoutConfig) *flag.FlagSet {
	fs := flag.NewFlagSet("relevo-bench "+name, flag.ContinueOnError)
	fs.IntVar(&c.sockets, "sockets", 500, "agent sockets connected (one agent user each)")
	fs.IntVar(&c.supervisors, "supervisors", 0, "supervisor sockets beside the agents' (they see every message of the bot)")
	paceFlags(fs, c, "customer messages a second, through POST /api/v1/channels/{id}/inbound", 20*time.Second, 32)
	fs.IntVar(&c.conversations, "conversations", 100, "waiting conversations the messages go to, in turn")
	fs.BoolVar(&c.decode, "decode", true, "agents decode every frame (rtclient Read); false: they only look for the "+
		"message in the raw bytes (ReadRaw), leaving more of the shared CPU to the server")
	remoteFlags(fs, c)
	return fs
}

// paceFlags are the flags of every run that sends at a rate: the
// open-loop schedule, the node's database and the profile.
func paceFlags(fs *flag.FlagSet, c *fanoutConfig, rate string, duration time.Duration, senders int) {
	fs.IntVar(&c.rate, "rate", 500, rate)
	fs.DurationVar(&c.duration, "duration", duration, "length of the measured part")
	fs.DurationVar(&c.warmup, "warmup", 2*time.Second, "traffic at the same rate before, not measured")
	fs.DurationVar(&c.drain, "drain", 10*time.Second, "longest wait after the last message for frames still on their way")
	fs.IntVar(&c.senders, "senders", senders, "concurrent HTTP senders (the most requests in flight)")
	fs.StringVar(&c.cpuprofile, "cpuprofile", "", "write a CPU profile of the timed part to this file")
	fs.StringVar(&c.databaseURL, "database-url", "", "run the node on PostgreSQL, in a fresh schema of this server (dropped after); empty: SQLite")
}

func (c fanoutConfig) check() error {
	if err := c.checkRemote(); err != nil {
		return err
	}
	switch {
	case c.sockets < 1 || c.sockets > 5000 || c.supervisors < 0 || c.supervisors > 1000:
		return errors.New("-sockets must be 1..5000, -supervisors 0..1000")
	case c.rate < 1 || c.rate > 5000:
		return errors.New("-rate must be 1..5000")
	case c.duration <= 0 || c.duration > 10*time.Minute || c.warmup < 0 || c.warmup > time.Minute:
		return errors.New("-duration must be in (0, 10m], -warmup in [0, 1m]")
	case c.conversations < 1 || c.senders < 1 || c.senders > 256:
		return errors.New("-conversations must be ≥ 1, -senders 1..256")
	}
	return nil
}

// fanoutTarget is a server ready to be measured: where its API and socket
// are, who logs in, where the messages go.
type fanoutTarget struct {
	name, base, channelID string
	api                   []*rtclient.Client // one per token; message i uses api[i % len]
	emails                []string           // one socket each
	contacts              []string           // message i goes to contacts[i % len]
	password              string             // of every email; "" is the bench's own users'
	supEmails             []string           // supervisors, one socket each
	// post, when set, sends message i instead of the API channel's
	// inbound (the webhook and widget runs, load.go); messageText(i) must
	// reach the agents.
	post func(ctx context.Context, i int) error
}

type fanoutResult struct {
	name                      string
	scheduled, accepted       int
	failed                    int
	firstErr                  error
	kinds                     map[string]int // failures by kind (failureKind)
	closeReason               string         // the first socket the server closed: the error its reader got
	first, last, http         []time.Duration
	sendLast                  []time.Duration // from the request's start: positive, comparable across servers
	sendFirst                 []time.Duration // request's start → first agent socket
	early, incomplete, closed int
	supLast                   []time.Duration // accept → last supervisor socket
	supIncomplete             int             // messages some supervisor socket missed
	frames                    int64
	frameData                 int
	span                      time.Duration
	cpu, wall                 time.Duration // this process's CPU time, and the time it was measured over
	allAccepted               int           // warm-up included, for the CPU figures
	allFrames                 int64
}

// messageText carries the message's index for the sockets to find; the
// rest makes it the size of a real customer message.
func messageText(i int) string {
	return "rt-" + strconv.Itoa(i) + " Hello, I ordered a blue jacket last week and it has not arrived yet. Can someone check?"
}

var marker = []byte(`"text":"rt-`)

// messageIndex finds messageText's index in a frame's data, or -1.
func messageIndex(data []byte) int {
	k := bytes.Index(data, marker)
	if k < 0 {
		return -1
	}
	n, seen := 0, false
	for _, b := range data[k+len(marker):] {
		if b < '0' || b > '9' {
			break
		}
		n, seen = n*10+int(b-'0'), true
	}
	if !seen {
		return -1
	}
	return n
}

var createdPrefix = []byte(`{"type":"` + realtime.FrameMessageCreated + `"`)

// readMessage reads the next frame and returns the data of a
// message.created (nil for any other frame): decoded as the Go client
// does, or found in the raw bytes (both servers encode "type" first).
// Reads take a context that never ends: a cancellable one costs the
// library a registration per read.
func readMessage(c *rtclient.Client, decode bool) ([]byte, error) {
	if decode {
		f, err := c.Read(context.Background())
		if err != nil || f.Type != realtime.FrameMessageCreated {
			return nil, err
		}
		return f.Data, nil
	}
	b, err := c.ReadRaw(context.Background())
	if err != nil || !bytes.HasPrefix(b, createdPrefix) {
		return nil, err
	}
	return b, nil
}

// casMin and casMax keep the earliest and latest arrival of a message.
func casMin(v *atomic.Int64, x int64) {
	for o := v.Load(); x < o && !v.CompareAndSwap(o, x); o = v.Load() {
	}
}

func casMax(v *atomic.Int64, x int64) {
	for o := v.Load(); x > o && !v.CompareAndSwap(o, x); o = v.Load() {
	}
}

// runFanout connects the sockets, sends rate messages a second for
// warmup+duration and times each message from its HTTP 200 to its first
// and its last arrival on the agent sockets. Clocks are this process's
// monotonic clock, taken right after the client returns.
func runFanout(ctx context.Context, t fanoutTarget, c fanoutConfig) (fanoutResult, error) {
	res := fanoutResult{name: t.name, kinds: map[string]int{}}
	password := t.password
	if password == "" {
		password = rtPassword
	}
	clients, err := connectAllAs(ctx, t.base, t.emails, password, 16, nil)
	if err != nil {
		return res, err
	}
	var sups []*rtclient.Client
	if len(t.supEmails) > 0 {
		if sups, err = connectAllAs(ctx, t.base, t.supEmails, password, 16, nil); err != nil {
			closeAll(clients)
			return res, err
		}
	}
	n := int(float64(c.rate) * (c.warmup + c.duration).Seconds())
	skip := int(float64(c.rate) * c.warmup.Seconds())
	first, last := make([]atomic.Int64, n), make([]atomic.Int64, n)
	count := make([]atomic.Int32, n)
	for i := range first {
		first[i].Store(math.MaxInt64)
	}
	supCount, supLast := make([]atomic.Int32, n), make([]atomic.Int64, n)
	var closed, supClosed atomic.Int32
	var closeErr atomic.Value // the first socket the server closed: why
	var frameData atomic.Int64
	start := time.Now().Add(200 * time.Millisecond)
	// The readers stop when the sockets are closed at the end.
	var stopping atomic.Bool
	var readers sync.WaitGroup
	read := func(cl *rtclient.Client, count []atomic.Int32, first, last []atomic.Int64, closed *atomic.Int32) {
		defer readers.Done()
		for {
			data, err := readMessage(cl, c.decode)
			now := int64(time.Since(start))
			if err != nil {
				if !stopping.Load() {
					closed.Add(1)
					closeErr.CompareAndSwap(nil, err.Error())
				}
				return
			}
			if i := messageIndex(data); i >= 0 && i < n {
				count[i].Add(1)
				if first != nil {
					casMin(&first[i], now)
				}
				casMax(&last[i], now)
				frameData.CompareAndSwap(0, int64(len(data)))
			}
		}
	}
	for _, cl := range clients {
		readers.Add(1)
		go read(cl, count, first, last, &closed)
	}
	for _, cl := range sups {
		readers.Add(1)
		go read(cl, supCount, nil, supLast, &supClosed)
	}

	sent, accepted := make([]int64, n), make([]int64, n)
	var failed atomic.Int32
	var errOnce sync.Once
	var kindsMu sync.Mutex
	run := uniq()
	stopProfile, err := cpuProfile(c.cpuprofile)
	if err != nil {
		return res, err
	}
	cpu0, wall0 := procCPU(), time.Now()
	prog := startProgress(t.name, n, start, c.warmup+c.duration)
	pace.OpenLoop(ctx, start, n, float64(c.rate), c.senders, func(i int) {
		s := time.Since(start)
		var err error
		if t.post != nil {
			err = t.post(ctx, i)
		} else {
			_, err = postInbound(ctx, t.api[i%len(t.api)], t.channelID, t.contacts[i%len(t.contacts)], run+"-"+strconv.Itoa(i), messageText(i))
		}
		a := time.Since(start)
		if err != nil {
			failed.Add(1)
			prog.failed.Add(1)
			errOnce.Do(func() { res.firstErr = err })
			kindsMu.Lock()
			res.kinds[failureKind(err)]++
			kindsMu.Unlock()
			return
		}
		sent[i], accepted[i] = int64(s), int64(a)
		prog.accepted.Add(1)
	})
	prog.stop()
	// Frames still on their way: wait until every accepted message has
	// reached every socket still open, or the drain time is up.
	for deadline := time.Now().Add(c.drain); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		done := true
		for i := range n {
			if accepted[i] != 0 && (int(count[i].Load()) < len(clients)-int(closed.Load()) ||
				int(supCount[i].Load()) < len(sups)-int(supClosed.Load())) {
				done = false
				break
			}
		}
		if done {
			break
		}
	}
	res.cpu, res.wall = procCPU()-cpu0, time.Since(wall0)
	stopProfile()
	stopping.Store(true)
	closeAll(clients)
	closeAll(sups)
	readers.Wait()

	res.scheduled, res.failed, res.closed = n-skip, int(failed.Load()), int(closed.Load()+supClosed.Load())
	res.closeReason, _ = closeErr.Load().(string)
	res.frameData = int(frameData.Load())
	for i := range n {
		if accepted[i] != 0 {
			res.allAccepted++
			res.allFrames += int64(count[i].Load())
		}
	}
	var lastAccept int64
	for i := skip; i < n; i++ {
		if accepted[i] == 0 {
			continue
		}
		res.accepted++
		lastAccept = max(lastAccept, accepted[i])
		res.http = append(res.http, time.Duration(accepted[i]-sent[i]))
		if len(sups) > 0 {
			if int(supCount[i].Load()) < len(sups) {
				res.supIncomplete++
			} else {
				res.supLast = append(res.supLast, time.Duration(supLast[i].Load()-accepted[i]))
			}
		}
		k := int(count[i].Load())
		res.frames += int64(k)
		if k == 0 {
			res.incomplete++
			continue
		}
		f := first[i].Load() - accepted[i]
		if f < 0 {
			res.early++ // the frame beat the HTTP answer back
		}
		res.first = append(res.first, time.Duration(f))
		res.sendFirst = append(res.sendFirst, time.Duration(first[i].Load()-sent[i]))
		if k < len(clients) {
			res.incomplete++
			continue
		}
		res.last = append(res.last, time.Duration(last[i].Load()-accepted[i]))
		res.sendLast = append(res.sendLast, time.Duration(last[i].Load()-sent[i]))
	}
	res.span = time.Duration(lastAccept) - c.warmup
	return res, nil
}

func (r fanoutResult) rate() float64 {
	if r.span <= 0 {
		return 0
	}
	return float64(r.accepted) / r.span.Seconds()
}

func (r fanoutResult) frameRate() float64 { return float64(r.frames) / max(r.span.Seconds(), 1e-9) }

// printFanout writes one run's table; it reports whether the targets held.
func printFanout(out io.Writer, r fanoutResult, c fanoutConfig) bool {
	target := map[string]time.Duration{"p50": 5 * time.Millisecond, "p99": 25 * time.Millisecond}
	client := "decode every frame"
	if !c.decode {
		client = "raw frames"
	}
	fmt.Fprintf(out, "\n%s: %d agent sockets (%s), %d msg/s for %v (after %v warm-up), %d waiting conversations, %d senders\n",
		r.name, c.sockets, client, c.rate, c.duration, c.warmup, c.conversations, c.senders)
	rows := []row{
		{name: "accept → first agent socket", d: r.first, limit: target},
		{name: fmt.Sprintf("accept → last of %d agent sockets", c.sockets), d: r.last, limit: target},
		{name: "send → accept (HTTP inbound)", d: r.http},
		{name: fmt.Sprintf("send → last of %d agent sockets", c.sockets), d: r.sendLast},
	}
	if c.supervisors > 0 {
		rows = append(rows, row{name: fmt.Sprintf("accept → last of %d supervisor sockets", c.supervisors), d: r.supLast})
	}
	printLatency(out, rows)
	okRate := r.rate() >= 0.98*float64(c.rate)
	verdict := map[bool]string{true: "pass", false: "FAIL"}
	fmt.Fprintf(out, "messages/s achieved: %.0f of %d (%d of %d accepted, %d failed)   %s\n", r.rate(), c.rate,
		r.accepted, r.scheduled, r.failed, verdict[okRate])
	size := "data"
	if !c.decode {
		size = "frame"
	}
	fmt.Fprintf(out, "frames/s to sockets: %.0f (message.created, %d bytes of %s); frame before the 200: %d; "+
		"messages some socket missed: %d; sockets closed by the server: %d\n",
		r.frameRate(), r.frameData, size, r.early, r.incomplete, r.closed)
	if c.supervisors > 0 {
		fmt.Fprintf(out, "messages some supervisor socket missed: %d\n", r.supIncomplete)
	}
	if r.allAccepted > 0 && r.allFrames > 0 && r.wall > 0 {
		// Client and server share the process: this is both, warm-up included.
		fmt.Fprintf(out, "process CPU: %.2f of %d cores on average; %.2f ms per message, %.1f µs per frame delivered (client and server together)\n",
			r.cpu.Seconds()/r.wall.Seconds(), runtime.NumCPU(), r.cpu.Seconds()*1e3/float64(r.allAccepted),
			r.cpu.Seconds()*1e6/float64(r.allFrames))
	}
	printKinds(out, r.kinds)
	if r.firstErr != nil {
		fmt.Fprintf(out, "first error: %v\n", r.firstErr)
	}
	lat := func(d []time.Duration) bool {
		_, v := verdictSorted(d, target)
		return v == "pass"
	}
	return okRate && lat(r.first) && lat(r.last) && r.incomplete == 0 && r.supIncomplete == 0 && r.failed == 0
}

func verdictSorted(d []time.Duration, limit map[string]time.Duration) (string, string) {
	s := slices.Clone(d)
	slices.Sort(s)
	return verdict(s, limit)
}
