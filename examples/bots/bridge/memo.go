package bridge

import (
	"sync"
	"time"
)

// Memo remembers a bot engine's answer to an event for a while. When
// Relevo redelivers an event (because a reply failed half-way), the bridge
// replays the remembered answer instead of asking the engine again, which
// would move the engine's conversation state a second time.
type Memo[T any] struct {
	TTL time.Duration // default 15 minutes

	mu sync.Mutex
	m  map[string]memoEntry[T]
}

type memoEntry[T any] struct {
	v  T
	at time.Time
}

// Get returns the remembered answer to event id.
func (m *Memo[T]) Get(id string) (T, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.m[id]
	if !ok || time.Since(e.at) > m.ttl() {
		var zero T
		return zero, false
	}
	return e.v, true
}

// Put remembers v as the answer to event id.
func (m *Memo[T]) Put(id string, v T) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.m == nil {
		m.m = map[string]memoEntry[T]{}
	}
	now := time.Now()
	if len(m.m) > 10_000 {
		for k, e := range m.m {
			if now.Sub(e.at) > m.ttl() {
				delete(m.m, k)
			}
		}
	}
	m.m[id] = memoEntry[T]{v: v, at: now}
}

func (m *Memo[T]) ttl() time.Duration {
	if m.TTL > 0 {
		return m.TTL
	}
	return 15 * time.Minute
}

// Ask returns the remembered answer to event id, or asks ask and
// remembers what it answers.
func (m *Memo[T]) Ask(id string, ask func() (T, error)) (T, error) {
	if v, ok := m.Get(id); ok {
		return v, nil
	}
	v, err := ask()
	if err == nil {
		m.Put(id, v)
	}
	return v, err
}
