package ogg

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"

	"github.com/relevo/relevo/internal/media/webm"
)

// Errors of Opus streams.
var (
	// ErrNotOpus means the file has no Opus audio track.
	ErrNotOpus = errors.New("ogg: the file has no Opus audio")
	// ErrBadOpus means a header or packet is not valid Opus.
	ErrBadOpus = errors.New("ogg: invalid Opus stream")
)

// Opus is an Opus stream to write.
type Opus struct {
	// Head is the OpusHead identification header (RFC 7845 §5.1).
	Head    []byte
	Packets [][]byte
	// EndTrim is how many samples (at 48 kHz) of the last packet's end
	// are padding, dropped on playback.
	EndTrim int64
	// Serial names the logical stream.
	Serial uint32
}

// Info describes what was written.
type Info struct {
	// Samples is the final granule position: the 48 kHz samples decoded,
	// pre-skip included and end trim excluded.
	Samples int64
	Pages   int
}

// pageSpan is how much audio a page carries at most, in 48 kHz samples:
// one second, so a player seeking by page never reads far.
const pageSpan = 48000

// WriteOpus writes s as an Ogg Opus stream: the OpusHead page, the
// OpusTags page, then the packets, each page's granule position being the
// samples decoded once its last packet is.
func WriteOpus(w io.Writer, s Opus) (Info, error) {
	if err := checkHead(s.Head); err != nil {
		return Info{}, err
	}
	if len(s.Packets) == 0 {
		return Info{}, fmt.Errorf("%w: no audio packets", ErrBadOpus)
	}
	durations := make([]int64, len(s.Packets))
	for i, pk := range s.Packets {
		d, err := PacketSamples(pk)
		if err != nil {
			return Info{}, fmt.Errorf("packet %d: %w", i, err)
		}
		if len(pk) > maxPacket {
			return Info{}, ErrPacketTooLarge
		}
		durations[i] = d
	}
	p := &pageWriter{w: w, serial: s.Serial}
	p.add(s.Head, 0)
	if err := p.flush(flagBOS); err != nil {
		return Info{}, err
	}
	p.add(opusTags(), 0)
	if err := p.flush(0); err != nil {
		return Info{}, err
	}
	var granule, pageStart int64
	for i, pk := range s.Packets {
		if p.packets > 0 && (!p.fits(pk) || granule+durations[i]-pageStart > pageSpan) {
			if err := p.flush(0); err != nil {
				return Info{}, err
			}
			pageStart = granule
		}
		granule += durations[i]
		p.add(pk, granule)
	}
	// The end trim may only cut into the last packet (RFC 7845 §4.4).
	trim := min(max(s.EndTrim, 0), durations[len(durations)-1])
	p.granule -= trim
	if err := p.flush(flagEOS); err != nil {
		return Info{}, err
	}
	return Info{Samples: granule - trim, Pages: int(p.seq)}, nil
}

// checkHead accepts an OpusHead of version 0.x with a channel count its
// mapping family allows.
func checkHead(h []byte) error {
	if len(h) < 19 || string(h[:8]) != "OpusHead" || h[8]>>4 != 0 || h[9] == 0 {
		return fmt.Errorf("%w: bad OpusHead", ErrBadOpus)
	}
	if family := h[18]; family == 0 && (h[9] > 2 || len(h) != 19) || family != 0 && len(h) < 21+int(h[9]) {
		return fmt.Errorf("%w: bad channel mapping", ErrBadOpus)
	}
	return nil
}

// opusTags is the comment header (RFC 7845 §5.2): a vendor, no comments.
func opusTags() []byte {
	const vendor = "Relevo"
	b := make([]byte, 0, 8+4+len(vendor)+4)
	b = append(b, "OpusTags"...)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(vendor)))
	b = append(b, vendor...)
	return binary.LittleEndian.AppendUint32(b, 0)
}

// PacketSamples is an Opus packet's duration in 48 kHz samples, read from
// its TOC byte and frame count (RFC 6716 §3.1).
func PacketSamples(pk []byte) (int64, error) {
	if len(pk) == 0 {
		return 0, fmt.Errorf("%w: empty packet", ErrBadOpus)
	}
	toc := pk[0]
	cfg := toc >> 3
	var frame int64
	switch {
	case cfg < 12: // SILK: 10, 20, 40, 60 ms
		frame = [4]int64{480, 960, 1920, 2880}[cfg&3]
	case cfg < 16: // hybrid: 10, 20 ms
		frame = [2]int64{480, 960}[cfg&1]
	default: // CELT: 2.5, 5, 10, 20 ms
		frame = [4]int64{120, 240, 480, 960}[cfg&3]
	}
	count := int64(1)
	switch toc & 3 {
	case 1, 2:
		count = 2
	case 3:
		if len(pk) < 2 || pk[1]&0x3F == 0 {
			return 0, fmt.Errorf("%w: bad frame count", ErrBadOpus)
		}
		count = int64(pk[1] & 0x3F)
	}
	if frame*count > 5760 { // a packet holds at most 120 ms
		return 0, fmt.Errorf("%w: packet longer than 120 ms", ErrBadOpus)
	}
	return frame * count, nil
}

// FromWebM writes the Opus audio of a WebM file (a browser's recording)
// as Ogg Opus: the same packets in another container.
func FromWebM(w io.Writer, data []byte) (Info, error) {
	f, err := webm.Parse(data)
	if err != nil {
		return Info{}, err
	}
	t, ok := f.Audio()
	if !ok || t.CodecID != "A_OPUS" {
		return Info{}, ErrNotOpus
	}
	s := Opus{Serial: crc32.ChecksumIEEE(data)}
	s.Head, err = headFor(t)
	if err != nil {
		return Info{}, err
	}
	for _, fr := range f.Frames {
		if fr.Track == t.Number {
			s.Packets = append(s.Packets, fr.Data)
			s.EndTrim = fr.DiscardPadding * 48 / 1_000_000
		}
	}
	return WriteOpus(w, s)
}

// headFor is the track's OpusHead: its CodecPrivate (which Matroska
// defines as exactly that), or one made from the track's fields, with
// the pre-skip taken from CodecDelay when the head leaves it out.
func headFor(t webm.Track) ([]byte, error) {
	preSkip := t.CodecDelay * 48 / 1_000_000 // ns at 48 kHz
	if preSkip > 0xFFFF {
		return nil, fmt.Errorf("%w: codec delay", ErrBadOpus)
	}
	if len(t.CodecPrivate) > 0 {
		h := append([]byte(nil), t.CodecPrivate...)
		if err := checkHead(h); err != nil {
			return nil, err
		}
		if binary.LittleEndian.Uint16(h[10:]) == 0 {
			binary.LittleEndian.PutUint16(h[10:], uint16(preSkip))
		}
		return h, nil
	}
	if t.Channels < 1 || t.Channels > 2 {
		return nil, fmt.Errorf("%w: %d channels without a channel mapping", ErrBadOpus, t.Channels)
	}
	h := []byte("OpusHead\x01")
	h = append(h, byte(t.Channels))
	h = binary.LittleEndian.AppendUint16(h, uint16(preSkip))
	rate := uint32(48000)
	if t.SampleRate >= 1 && t.SampleRate <= 192000 {
		rate = uint32(t.SampleRate)
	}
	h = binary.LittleEndian.AppendUint32(h, rate)
	h = binary.LittleEndian.AppendUint16(h, 0) // output gain
	return append(h, 0), nil                   // mapping family 0
}
