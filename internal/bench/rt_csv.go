package bench

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/relevo/relevo/internal/app"
	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/realtime/rtclient"
	"github.com/relevo/relevo/internal/store"
)

// runCSV is `relevo-bench csv`: the conversations report exported as CSV
// through the real route, from a node whose store holds a seeded
// population. It reports the time to the first byte and to the last row,
// the rows and bytes, and the node's Go heap while it streams, sampled
// every 20 ms, against the heap before: an export that streams keeps the
// heap flat however many rows it writes; one that buffers grows with them.
// The client and the node share one process, so the heap figures include
// the client, which only counts lines and keeps nothing.
func runCSV(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("relevo-bench csv", flag.ContinueOnError)
	conversations := fs.Int("conversations", 100_000, "conversations to seed (every one is a row)")
	runs := fs.Int("runs", 3, "exports to time")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the exports to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *conversations < 1 || *conversations > 2_000_000 || *runs < 1 || *runs > 20 {
		return errors.New("-conversations must be 1..2000000, -runs 1..20")
	}
	fmt.Fprintf(out, "relevo-bench csv: %s\n", machine())
	n, err := newNode(ctx, app.Options{}, "")
	if err != nil {
		return err
	}
	defer n.close()
	t0 := time.Now()
	w, err := n.app.Store.Seed(ctx, store.SeedOptions{Conversations: *conversations})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%d conversations seeded in %v\n", w.Conversations, time.Since(t0).Round(time.Millisecond))
	emails, err := n.users(ctx, "admin", 1, desk.RoleAdmin)
	if err != nil {
		return err
	}
	if err := n.start(); err != nil {
		return err
	}
	c, err := rtclient.Login(ctx, n.url(), emails[0], rtPassword)
	if err != nil {
		return err
	}
	stopProfile, err := cpuProfile(*cpuprofile)
	if err != nil {
		return err
	}
	defer stopProfile()
	fmt.Fprintf(out, "%-5s %10s %10s %10s %12s %14s %14s\n", "run", "rows", "MB", "first-ms", "total-ms", "heap-before", "heap-peak")
	for r := 1; r <= *runs; r++ {
		res, err := exportCSV(ctx, c)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "%-5d %10d %10.1f %10d %12d %11.1f MB %11.1f MB\n", r, res.rows, float64(res.bytes)/1e6,
			res.first.Milliseconds(), res.total.Milliseconds(), mb(res.heapBefore), mb(res.heapPeak))
	}
	return nil
}

func mb(b uint64) float64 { return float64(b) / (1 << 20) }

type csvRun struct {
	rows, bytes          int
	first, total         time.Duration
	heapBefore, heapPeak uint64
}

// exportCSV downloads every conversation as CSV and counts its lines.
func exportCSV(ctx context.Context, c *rtclient.Client) (res csvRun, err error) {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	res.heapBefore = ms.HeapInuse
	var peak atomic.Uint64
	peak.Store(ms.HeapInuse)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				if m.HeapInuse > peak.Load() {
					peak.Store(m.HeapInuse)
				}
			}
		}
	}()
	defer func() { close(stop); wg.Wait(); res.heapPeak = peak.Load() }()

	req, err := http.NewRequestWithContext(ctx, "GET", c.Base+"/api/v1/reports/conversations?format=csv&phase=all", nil)
	if err != nil {
		return res, err
	}
	start := time.Now()
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return res, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return res, fmt.Errorf("csv: %d %s", resp.StatusCode, b)
	}
	br := bufio.NewReaderSize(resp.Body, 64<<10)
	for {
		line, err := br.ReadSlice('\n')
		if res.bytes == 0 && len(line) > 0 {
			res.first = time.Since(start)
		}
		res.bytes += len(line)
		if len(line) > 0 && line[len(line)-1] == '\n' {
			res.rows++
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return res, err
		}
	}
	res.total = time.Since(start)
	res.rows-- // the header
	return res, nil
}
