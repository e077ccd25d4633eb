// Package webm reads WebM files (the Matroska subset browsers record):
// their tracks, to tell an audio-only recording from a video, and the
// frames of each track, to remux them into another container without
// decoding. It reads bytes already in memory and never trusts a size.
package webm

import (
	"encoding/binary"
	"errors"
	"math"
)

// Errors a caller can tell apart.
var (
	// ErrNotWebM means the bytes do not start with an EBML header of a
	// WebM or Matroska document.
	ErrNotWebM = errors.New("webm: not a WebM file")
	// ErrMalformed means an element is broken (a bad length, a size that
	// cannot be, an unknown size where the parser needs one).
	ErrMalformed = errors.New("webm: malformed file")
)

// Element IDs used here, with their length markers as written in files.
const (
	idEBML           = 0x1A45DFA3
	idDocType        = 0x4282
	idSegment        = 0x18538067
	idInfo           = 0x1549A966
	idTimecodeScale  = 0x2AD7B1
	idTracks         = 0x1654AE6B
	idTrackEntry     = 0xAE
	idTrackNumber    = 0xD7
	idTrackType      = 0x83
	idCodecID        = 0x86
	idCodecPrivate   = 0x63A2
	idCodecDelay     = 0x56AA
	idAudio          = 0xE1
	idSampling       = 0xB5
	idChannels       = 0x9F
	idCluster        = 0x1F43B675
	idTimecode       = 0xE7
	idSimpleBlock    = 0xA3
	idBlockGroup     = 0xA0
	idBlock          = 0xA1
	idDiscardPadding = 0x75A2
)

// unknownSize marks an element whose size was written as "unknown" (all
// value bits set), as live recorders write the Segment and each Cluster.
const unknownSize = math.MaxUint64

// vint reads an EBML variable-length integer at b[0:]: its value (the
// length marker removed unless keepMarker, as for IDs) and its length.
// An all-ones value (without marker) is reported as unknownSize.
func vint(b []byte, keepMarker bool) (uint64, int, error) {
	if len(b) == 0 {
		return 0, 0, errShort
	}
	n := 1
	for mask := byte(0x80); n <= 8 && b[0]&mask == 0; mask >>= 1 {
		n++
	}
	if n > 8 {
		return 0, 0, ErrMalformed
	}
	if len(b) < n {
		return 0, 0, errShort
	}
	v := uint64(b[0])
	if !keepMarker {
		v &= uint64(0xFF) >> n
	}
	allOnes := v == uint64(0xFF)>>n
	for _, x := range b[1:n] {
		v = v<<8 | uint64(x)
		allOnes = allOnes && x == 0xFF
	}
	if !keepMarker && allOnes {
		return unknownSize, n, nil
	}
	return v, n, nil
}

// errShort means the data ends inside an element's header or body: a
// truncated file, or a head of a file read for its tracks only.
var errShort = errors.New("webm: data ends inside an element")

// element is one element's header: its ID, where its body starts and its
// size (unknownSize when not written).
type element struct {
	id   uint64
	body int
	size uint64
}

// header reads the element header at b[pos:].
func header(b []byte, pos int) (element, error) {
	id, n, err := vint(b[pos:], true)
	if err != nil {
		return element{}, err
	}
	if n > 4 {
		return element{}, ErrMalformed // IDs are at most 4 bytes long
	}
	size, m, err := vint(b[pos+n:], false)
	if err != nil {
		return element{}, err
	}
	return element{id: id, body: pos + n + m, size: size}, nil
}

// bodyOf returns the element's body within b, or errShort when b ends
// before it does.
func bodyOf(b []byte, e element) ([]byte, error) {
	if e.size == unknownSize {
		return nil, ErrMalformed
	}
	if e.size > uint64(len(b)-e.body) {
		return nil, errShort
	}
	return b[e.body : e.body+int(e.size)], nil
}

// children calls fn for each element inside body, which must hold whole
// elements with known sizes.
func children(body []byte, fn func(id uint64, data []byte) error) error {
	for pos := 0; pos < len(body); {
		e, err := header(body, pos)
		if err != nil {
			return err
		}
		data, err := bodyOf(body, e)
		if err != nil {
			return err
		}
		if err := fn(e.id, data); err != nil {
			return err
		}
		pos = e.body + len(data)
	}
	return nil
}

func readUint(b []byte) (uint64, error) {
	if len(b) > 8 {
		return 0, ErrMalformed
	}
	var v uint64
	for _, x := range b {
		v = v<<8 | uint64(x)
	}
	return v, nil
}

func readFloat(b []byte) (float64, error) {
	switch len(b) {
	case 0:
		return 0, nil
	case 4:
		return float64(math.Float32frombits(binary.BigEndian.Uint32(b))), nil
	case 8:
		return math.Float64frombits(binary.BigEndian.Uint64(b)), nil
	}
	return 0, ErrMalformed
}

// readString reads an EBML string, which may be padded with zero bytes.
func readString(b []byte) string {
	for i, x := range b {
		if x == 0 {
			return string(b[:i])
		}
	}
	return string(b)
}
