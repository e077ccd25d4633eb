package bus

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/nats-io/nats.go"
)

// SettingsSubject carries "channel, bot or token settings changed": every
// node drops its in-memory copies (store/cache.go) when it sees one.
const SettingsSubject = "relevo.settings"

// Settings tells the other nodes that settings changed, and lets a node
// make sure it has seen every such notice published before a request
// arrived. Unlike changes, a lost or late notice would let a revoked token
// in, so notices are not a hint: Sync waits for them.
type Settings struct {
	b   *Bus
	sub *nats.Subscription // synchronous: notices wait in it until Sync
	mu  sync.Mutex
	// dropped is the subscription's count of notices NATS dropped (a slow
	// consumer) when last looked at: any new drop counts as a change.
	dropped int
}

// WatchSettings subscribes to settings notices.
func (b *Bus) WatchSettings() (*Settings, error) {
	sub, err := b.nc.SubscribeSync(SettingsSubject)
	if err != nil {
		return nil, fmt.Errorf("bus: subscribe settings: %w", err)
	}
	// Sync flushes right after; make the subscription known to the server
	// before the first request can rely on it.
	if err := b.nc.Flush(); err != nil {
		return nil, fmt.Errorf("bus: subscribe settings: %w", err)
	}
	return &Settings{b: b, sub: sub}, nil
}

// Publish announces a committed settings change and returns once the NATS
// server holds it, so that an answer sent after Publish is never overtaken
// by a request that another node serves from memory.
func (s *Settings) Publish() error {
	m := &nats.Msg{Subject: SettingsSubject, Header: nats.Header{originHeader: []string{s.b.origin}}}
	if err := s.b.nc.PublishMsg(m); err != nil {
		return fmt.Errorf("bus: publish settings: %w", err)
	}
	if err := s.b.nc.Flush(); err != nil {
		return fmt.Errorf("bus: publish settings: %w", err)
	}
	return nil
}

// Sync reports whether another node changed settings since the last Sync,
// counting every notice the server held when Sync began. With the embedded
// server no other node exists: nothing to wait for. Otherwise it costs one
// round trip to NATS (a PING: the server sends what it holds for this
// connection before the PONG, and the client queues it before it reads
// the PONG).
func (s *Settings) Sync(ctx context.Context) (bool, error) {
	if s.b.srv != nil {
		return false, nil
	}
	if err := s.b.nc.FlushWithContext(ctx); err != nil {
		return false, fmt.Errorf("bus: sync settings: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	changed := false
	for {
		m, err := s.sub.NextMsg(0)
		if errors.Is(err, nats.ErrTimeout) {
			break
		}
		if err != nil {
			return true, fmt.Errorf("bus: sync settings: %w", err)
		}
		if m.Header.Get(originHeader) != s.b.origin {
			changed = true
		}
	}
	if d, err := s.sub.Dropped(); err != nil || d != s.dropped {
		s.dropped, changed = d, true
	}
	return changed, nil
}
