package jobs

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
)

// Sender delivers one item. It returns the channel's id for what it sent
// (may be empty), or an error; wrap it with Permanent when retrying cannot
// help.
type Sender interface {
	Send(ctx context.Context, d store.Delivery) (externalID string, err error)
}

// SenderFunc adapts a function to Sender.
type SenderFunc func(ctx context.Context, d store.Delivery) (string, error)

// Send calls f.
func (f SenderFunc) Send(ctx context.Context, d store.Delivery) (string, error) { return f(ctx, d) }

// permanentError marks a failure retries cannot fix.
type permanentError struct{ err error }

func (p permanentError) Error() string { return p.err.Error() }
func (p permanentError) Unwrap() error { return p.err }

// Permanent marks err as not worth retrying (a 4xx from the receiver, a
// message the channel cannot carry).
func Permanent(err error) error { return permanentError{err} }

// Routes picks the sender for an item: customer messages by channel type,
// bot events and flow steps by kind.
type Routes struct {
	Channels map[desk.ChannelType]Sender
	BotEvent Sender
	// Flow runs built-in flow steps (store.OutboxFlow).
	Flow Sender
	// WhatsAppCall tells Meta a call's reject or terminate (store.OutboxWhatsAppCall).
	WhatsAppCall Sender
}

func (r Routes) senderFor(d store.Delivery) Sender {
	switch d.Item.Kind {
	case store.OutboxBotEvent:
		return r.BotEvent
	case store.OutboxFlow:
		return r.Flow
	case store.OutboxWhatsAppCall:
		return r.WhatsAppCall
	}
	return r.Channels[d.Channel.Type]
}

// Outbox is the delivery worker.
type Outbox struct {
	Store  *store.Store
	Routes Routes
	Log    *slog.Logger
	// MaxAttempts before an item is failed for good (default 8).
	MaxAttempts int
	// Poll is the longest the worker sleeps without a kick (default 1 s);
	// it also finds work queued by other nodes and retries falling due.
	Poll time.Duration
	// Lease is how long a claim lasts before another worker may take the
	// item again (default 60 s).
	Lease time.Duration
	// Concurrency is how many items are delivered at once (default 8).
	Concurrency int

	kick chan struct{}
	once sync.Once
}

func (o *Outbox) init() {
	o.once.Do(func() {
		o.kick = make(chan struct{}, 1)
		if o.MaxAttempts <= 0 {
			o.MaxAttempts = 8
		}
		if o.Poll <= 0 {
			o.Poll = time.Second
		}
		if o.Lease <= 0 {
			o.Lease = time.Minute
		}
		if o.Concurrency <= 0 {
			o.Concurrency = 8
		}
		if o.Log == nil {
			o.Log = slog.Default()
		}
	})
}

// Kick wakes the worker now: new work was committed. Never blocks.
func (o *Outbox) Kick() {
	o.init()
	select {
	case o.kick <- struct{}{}:
	default:
	}
}

// Run delivers until ctx ends.
func (o *Outbox) Run(ctx context.Context) {
	o.init()
	sem := make(chan struct{}, o.Concurrency)
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		n, err := o.RunOnce(ctx, sem, &wg)
		if err != nil && ctx.Err() == nil {
			o.Log.Error("outbox: claim", "err", err)
		}
		if n > 0 {
			continue // there may be more
		}
		select {
		case <-ctx.Done():
			return
		case <-o.kick:
		case <-time.After(o.Poll):
		}
	}
}

// RunOnce claims one batch and delivers it, returning how many it claimed.
// Deliveries run on up to Concurrency goroutines tracked by wg.
func (o *Outbox) RunOnce(ctx context.Context, sem chan struct{}, wg *sync.WaitGroup) (int, error) {
	o.init()
	items, err := o.Store.ClaimOutbox(ctx, cap(sem), o.Lease)
	if err != nil {
		return 0, err
	}
	for _, it := range items {
		sem <- struct{}{}
		wg.Add(1)
		go func(it store.OutboxItem) {
			defer func() { <-sem; wg.Done() }()
			o.deliver(ctx, it)
		}(it)
	}
	wg.Wait()
	return len(items), nil
}

// Drain delivers everything due now, synchronously (tests, shutdown).
func (o *Outbox) Drain(ctx context.Context) error {
	o.init()
	sem := make(chan struct{}, o.Concurrency)
	var wg sync.WaitGroup
	for {
		n, err := o.RunOnce(ctx, sem, &wg)
		if err != nil || n == 0 {
			return err
		}
	}
}

func (o *Outbox) deliver(ctx context.Context, it store.OutboxItem) {
	d, err := o.Store.LoadDelivery(ctx, it)
	if err != nil {
		o.fail(ctx, it, err)
		return
	}
	s := o.Routes.senderFor(d)
	if s == nil {
		o.fail(ctx, it, Permanent(errors.New("no sender for channel type "+string(d.Channel.Type))))
		return
	}
	sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	ext, err := s.Send(sctx, d)
	cancel()
	if err != nil {
		o.fail(ctx, it, err)
		return
	}
	if err := o.Store.CompleteOutbox(ctx, it, ext); err != nil {
		o.Log.Error("outbox: complete", "item", it.ID, "err", err)
	}
}

func (o *Outbox) fail(ctx context.Context, it store.OutboxItem, err error) {
	var retryAt *time.Time
	var perm permanentError
	if !errors.As(err, &perm) && it.Attempts < o.MaxAttempts {
		t := o.Store.Now().Add(Backoff(it.Attempts))
		retryAt = &t
	}
	o.Log.Warn("outbox: delivery failed", "item", it.ID, "kind", it.Kind, "attempt", it.Attempts, "final", retryAt == nil, "err", err)
	if ferr := o.Store.FailOutbox(ctx, it, err.Error(), retryAt); ferr != nil {
		o.Log.Error("outbox: record failure", "item", it.ID, "err", ferr)
	}
}

// Backoff is the wait before retry n (1-based): exponential from 1 s,
// capped at 5 minutes, with ±20 % jitter so retries from many items do not
// arrive together.
func Backoff(attempt int) time.Duration {
	if attempt < 1 {
		attempt = 1
	}
	d := time.Second << min(attempt-1, 9)
	if d > 5*time.Minute {
		d = 5 * time.Minute
	}
	jitter := 0.8 + 0.4*rand.Float64()
	return time.Duration(float64(d) * jitter)
}
