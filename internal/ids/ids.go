// Package ids makes object identifiers: 26-character, lowercase, time-ordered
// strings (ULID layout in Crockford base32), so ids sort by creation and
// leak nothing but a creation time.
package ids

import (
	"crypto/rand"
	"sync"
	"time"
)

// Generator makes new ids.
type Generator interface {
	New() string
}

const alphabet = "0123456789abcdefghjkmnpqrstvwxyz"

// Random is the production generator: 48 bits of milliseconds and 80 bits
// of randomness. Within one millisecond the random part is incremented, so
// ids from one process are strictly increasing.
type Random struct {
	mu   sync.Mutex
	last int64
	rnd  [10]byte
}

// New returns a fresh id.
func (g *Random) New() string {
	g.mu.Lock()
	defer g.mu.Unlock()
	ms := time.Now().UnixMilli()
	if ms <= g.last {
		ms = g.last
		for i := len(g.rnd) - 1; i >= 0; i-- {
			g.rnd[i]++
			if g.rnd[i] != 0 {
				break
			}
		}
	} else {
		g.last = ms
		_, _ = rand.Read(g.rnd[:])
	}
	return encode(ms, g.rnd)
}

func encode(ms int64, rnd [10]byte) string {
	var b [16]byte
	b[0] = byte(ms >> 40)
	b[1] = byte(ms >> 32)
	b[2] = byte(ms >> 24)
	b[3] = byte(ms >> 16)
	b[4] = byte(ms >> 8)
	b[5] = byte(ms)
	copy(b[6:], rnd[:])
	// 128 bits → 26 base32 digits, the first carrying 3 bits.
	var out [26]byte
	var acc uint64
	bits := 2 // 2 leading zero bits make 130 = 26*5
	idx := 0
	for _, x := range b {
		acc = acc<<8 | uint64(x)
		bits += 8
		for bits >= 5 {
			bits -= 5
			out[idx] = alphabet[(acc>>uint(bits))&31]
			idx++
		}
	}
	return string(out[:idx])
}

// Sequence is a deterministic generator for tests: prefix + counter.
type Sequence struct {
	mu     sync.Mutex
	Prefix string
	n      int
}

// New returns the next id of the sequence.
func (s *Sequence) New() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n++
	const digits = "0123456789"
	n := s.n
	var buf [20]byte
	i := len(buf)
	for n > 0 {
		i--
		buf[i] = digits[n%10]
		n /= 10
	}
	for len(buf)-i < 8 {
		i--
		buf[i] = '0'
	}
	return s.Prefix + string(buf[i:])
}
