package bus

import (
	"log/slog"
	"sync"

	"github.com/relevo/relevo/internal/desk"
)

// maxLocalPending is how many changes a local subscriber may fall behind
// before newer ones are dropped, like a NATS slow consumer: the bus is a
// hint and clients recover by seq.
const maxLocalPending = 1 << 16

// local delivers this node's own changes to one subscriber in process, in
// publication order, on a goroutine of its own (as NATS would), with the
// payload the store attached: nothing is encoded, nothing read back.
type local struct {
	fn   func(desk.Change)
	log  *slog.Logger
	mu   sync.Mutex
	q    []desk.Change
	shut bool
	wake chan struct{}
	done chan struct{}
}

func newLocal(fn func(desk.Change), log *slog.Logger) *local {
	l := &local{fn: fn, log: log, wake: make(chan struct{}, 1), done: make(chan struct{})}
	go l.run()
	return l
}

func (l *local) push(changes []desk.Change) {
	l.mu.Lock()
	if l.shut {
		l.mu.Unlock()
		return
	}
	room := maxLocalPending - len(l.q)
	dropped := 0
	if len(changes) > room {
		dropped, changes = len(changes)-room, changes[:room]
	}
	l.q = append(l.q, changes...)
	l.mu.Unlock()
	if dropped > 0 {
		l.log.Warn("bus: local subscriber behind, changes dropped", "dropped", dropped)
	}
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

func (l *local) run() {
	defer close(l.done)
	var batch []desk.Change
	for range l.wake {
		for {
			l.mu.Lock()
			batch, l.q = l.q, batch[:0]
			shut := l.shut
			l.mu.Unlock()
			if len(batch) == 0 {
				if shut {
					return
				}
				break
			}
			for i := range batch {
				l.fn(batch[i])
				batch[i] = desk.Change{} // let the payload go
			}
		}
	}
}

// stop delivers what is queued, then ends the goroutine.
func (l *local) stop() {
	l.mu.Lock()
	already := l.shut
	l.shut = true
	l.mu.Unlock()
	if already {
		return
	}
	select {
	case l.wake <- struct{}{}:
	default:
	}
	<-l.done
}
