package store

import (
	"context"
	"sync"

	"github.com/relevo/relevo/internal/desk"
)

// SettingsNotices tells other nodes that channel, bot or token settings
// changed, and tells this node whether another one did (bus.Settings).
type SettingsNotices interface {
	// Publish returns once the notice is out (before the change's answer).
	Publish() error
	// Sync reports whether another node changed settings since the last
	// call, counting every notice published before Sync began.
	Sync(ctx context.Context) (bool, error)
}

// settingsCache holds the channel, bot and token rows the hot paths read
// on every request (inbound, webhooks, the widget, token auth), so those
// requests skip two or three queries (docs/PERFORMANCE.md).
//
// Settings change rarely, so any change drops everything: this node's own
// writes drop it after their commit; other nodes' writes arrive as notices
// that every cached read first syncs with (one NATS round trip, none with
// the embedded bus). gen makes a read that raced with a drop not store its
// (possibly older) row: a row is kept only if no drop happened while it was
// read. Only rows found are kept, so a flood of unknown tokens or channel
// ids grows nothing. Cached values are shared: callers must not modify a
// returned Config, Notices or Flow in place.
type settingsCache struct {
	mu       sync.Mutex
	gen      uint64
	channels map[string]desk.Channel
	bots     map[string]desk.Bot         // settings only: no members
	tokens   map[string]Token            // by hash
	ice      map[string]desk.ICESettings // one entry, key ""
}

func (c *settingsCache) drop() {
	c.mu.Lock()
	c.gen++
	c.channels, c.bots, c.tokens, c.ice = nil, nil, nil, nil
	c.mu.Unlock()
}

// cached serves key from the map that pick selects, or reads it with load
// and keeps it. A notice this node cannot sync with bypasses the cache.
func cached[V any](s *Store, ctx context.Context, pick func(*settingsCache) *map[string]V, key string, load func() (V, error)) (V, error) {
	c := &s.cache
	if s.notices != nil {
		changed, err := s.notices.Sync(ctx)
		if changed {
			c.drop()
		}
		if err != nil {
			return load()
		}
	}
	c.mu.Lock()
	v, ok := (*pick(c))[key]
	gen := c.gen
	c.mu.Unlock()
	if ok {
		return v, nil
	}
	v, err := load()
	if err != nil {
		return v, err
	}
	c.mu.Lock()
	if c.gen == gen {
		m := pick(c)
		if *m == nil {
			*m = map[string]V{}
		}
		(*m)[key] = v
	}
	c.mu.Unlock()
	return v, nil
}

// settingsChanged runs after a committed change of a channel, bot or
// token, before its answer: this node forgets at once, the others on their
// next cached read (their Sync sees the notice). A notice that cannot be
// sent is an error: the change is committed, but the caller must not be
// told it took effect everywhere.
func (s *Store) settingsChanged() error {
	s.cache.drop()
	if s.notices == nil {
		return nil
	}
	return s.notices.Publish()
}

// ForgetSettings drops the cached settings on every node, for rows changed
// behind the store's back (an operator's SQL; tests' storetest.DB.Exec),
// which the cache cannot see otherwise.
func (s *Store) ForgetSettings() error { return s.settingsChanged() }

func (s *Store) cachedChannel(ctx context.Context, id string) (desk.Channel, error) {
	return cached(s, ctx, func(c *settingsCache) *map[string]desk.Channel { return &c.channels }, id,
		func() (desk.Channel, error) { return getChannel(ctx, s.r, id) })
}

func (s *Store) cachedBotSettings(ctx context.Context, id string) (desk.Bot, error) {
	return cached(s, ctx, func(c *settingsCache) *map[string]desk.Bot { return &c.bots }, id,
		func() (desk.Bot, error) { return getBotSettings(ctx, s.r, id) })
}
