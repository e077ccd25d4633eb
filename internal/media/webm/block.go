package webm

import "encoding/binary"

// block reads a SimpleBlock or a BlockGroup's Block: the track number, a
// time relative to the cluster, flags, then one frame or several laced.
func (p *parser) block(b []byte, padding int64) error {
	track, n, err := vint(b, false)
	if err != nil || track == unknownSize || len(b) < n+3 {
		return ErrMalformed
	}
	rel := int64(int16(binary.BigEndian.Uint16(b[n:])))
	flags := b[n+2]
	frames, err := unlace(b[n+3:], flags>>1&3)
	if err != nil {
		return err
	}
	// Times are in units of the timecode scale (a broken file's times may
	// wrap around; nothing relies on them being sane).
	t := (int64(p.clusterTime) + rel) * int64(p.scale)
	for i, f := range frames {
		fr := Frame{Track: track, Time: t, Data: f}
		if i == len(frames)-1 {
			fr.DiscardPadding = padding
		}
		p.f.Frames = append(p.f.Frames, fr)
	}
	return nil
}

// Lacing kinds, from the block flags' bits 1-2.
const (
	lacingNone  = 0
	lacingXiph  = 1
	lacingFixed = 2
	lacingEBML  = 3
)

// unlace splits a block's payload into its frames.
func unlace(b []byte, lacing byte) ([][]byte, error) {
	if lacing == lacingNone {
		return [][]byte{b}, nil
	}
	if len(b) < 1 {
		return nil, ErrMalformed
	}
	count := int(b[0]) + 1
	b = b[1:]
	sizes := make([]int, count)
	switch lacing {
	case lacingFixed:
		if len(b)%count != 0 {
			return nil, ErrMalformed
		}
		for i := range sizes {
			sizes[i] = len(b) / count
		}
	case lacingXiph:
		for i := 0; i < count-1; i++ {
			for {
				if len(b) == 0 {
					return nil, ErrMalformed
				}
				x := b[0]
				b = b[1:]
				sizes[i] += int(x)
				if x != 0xFF {
					break
				}
			}
		}
	case lacingEBML:
		first, n, err := vint(b, false)
		if err != nil || first == unknownSize || first > uint64(len(b)) {
			return nil, ErrMalformed
		}
		b = b[n:]
		sizes[0] = int(first)
		for i := 1; i < count-1; i++ {
			raw, n, err := vint(b, false)
			if err != nil {
				return nil, ErrMalformed
			}
			b = b[n:]
			// A signed difference from the previous size, stored with a
			// bias of half the range of its length (all ones, which vint
			// reports as unknownSize, is the largest difference).
			bias := int64(1)<<(7*n-1) - 1
			delta := int64(raw) - bias
			if raw == unknownSize {
				delta = bias + 1
			}
			s := int64(sizes[i-1]) + delta
			if s < 0 || s > int64(len(b)) {
				return nil, ErrMalformed
			}
			sizes[i] = int(s)
		}
	}
	if lacing != lacingFixed {
		rest := len(b)
		for _, s := range sizes[:count-1] {
			rest -= s
		}
		if rest < 0 {
			return nil, ErrMalformed
		}
		sizes[count-1] = rest
	}
	frames := make([][]byte, count)
	for i, s := range sizes {
		frames[i] = b[:s:s]
		b = b[s:]
	}
	return frames, nil
}
