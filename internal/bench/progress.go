package bench

import (
	"fmt"
	"io"
	"os"
	"sync/atomic"
	"time"
)

// progressOut is where a run shows how far it is: standard error when it
// is a terminal, nowhere otherwise (a report piped to a file stays clean).
var progressOut = func() io.Writer {
	if fi, err := os.Stderr.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
		return os.Stderr
	}
	return nil
}()

// progress rewrites one status line every half second until stop is
// called, which clears it.
type progress struct {
	name, what       string // what: the unit counted ("messages accepted")
	total            int
	start            time.Time
	length           time.Duration
	accepted, failed atomic.Int64
	done             chan struct{}
	ended            chan struct{}
}

func startProgress(name string, total int, start time.Time, length time.Duration) *progress {
	return startProgressOf(name, "messages accepted", total, start, length)
}

// startProgressOf is startProgress counting what; a length of 0 is not
// known in advance (the line shows the time so far).
func startProgressOf(name, what string, total int, start time.Time, length time.Duration) *progress {
	p := &progress{name: name, what: what, total: total, start: start, length: length, done: make(chan struct{}), ended: make(chan struct{})}
	if progressOut == nil {
		close(p.ended)
		return p
	}
	go func() {
		defer close(p.ended)
		t := time.NewTicker(500 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-p.done:
				fmt.Fprint(progressOut, "\r\033[K")
				return
			case <-t.C:
				el := max(time.Since(p.start), 0).Round(100 * time.Millisecond)
				of := fmt.Sprintf(" of %v", p.length)
				if p.length == 0 {
					of = ""
				}
				fmt.Fprintf(progressOut, "\r\033[K%s: %v%s, %d of %d %s, %d failed",
					p.name, el, of, p.accepted.Load(), p.total, p.what, p.failed.Load())
			}
		}
	}()
	return p
}

func (p *progress) stop() {
	close(p.done)
	<-p.ended
}
