// Package ogg writes Ogg streams (RFC 3533) carrying Opus (RFC 7845): the
// container WhatsApp takes voice notes in. Browsers record Opus in WebM;
// FromWebM moves the same packets into Ogg, so nothing is re-encoded.
package ogg

import (
	"encoding/binary"
	"errors"
	"io"
)

// Page header flags.
const (
	flagBOS = 0x02 // first page of the stream
	flagEOS = 0x04 // last page of the stream
)

// maxSegments is the most lacing values one page can hold; maxPacket is
// the largest packet Writer puts on one page (every Opus packet fits).
const (
	maxSegments = 255
	maxPacket   = maxSegments*255 - 1
)

// ErrPacketTooLarge is a packet that does not fit in one page.
var ErrPacketTooLarge = errors.New("ogg: packet too large for one page")

// pageWriter writes the pages of one logical stream: packets are gathered
// into a page until it is flushed, and never split across pages.
type pageWriter struct {
	w       io.Writer
	serial  uint32
	seq     uint32
	segs    []byte
	body    []byte
	granule int64
	packets int
}

// add puts a packet on the current page; granule is the stream position
// once it is decoded. Call fits first.
func (p *pageWriter) add(packet []byte, granule int64) {
	n := len(packet)
	for ; n >= 255; n -= 255 {
		p.segs = append(p.segs, 255)
	}
	// A packet whose length is a multiple of 255 ends with a zero lacing
	// value, so readers know it ends here.
	p.segs = append(p.segs, byte(n))
	p.body = append(p.body, packet...)
	p.granule = granule
	p.packets++
}

// fits reports whether packet still fits on the current page.
func (p *pageWriter) fits(packet []byte) bool {
	return len(p.segs)+len(packet)/255+1 <= maxSegments
}

// flush writes the current page with flags.
func (p *pageWriter) flush(flags byte) error {
	hdr := make([]byte, 27, 27+len(p.segs))
	copy(hdr, "OggS")
	hdr[4] = 0 // version
	hdr[5] = flags
	granule := p.granule
	if p.packets == 0 {
		granule = -1 // no packet ends on this page
	}
	binary.LittleEndian.PutUint64(hdr[6:], uint64(granule))
	binary.LittleEndian.PutUint32(hdr[14:], p.serial)
	binary.LittleEndian.PutUint32(hdr[18:], p.seq)
	hdr[26] = byte(len(p.segs))
	hdr = append(hdr, p.segs...)
	crc := crcUpdate(crcUpdate(0, hdr), p.body)
	binary.LittleEndian.PutUint32(hdr[22:], crc)
	if _, err := p.w.Write(hdr); err != nil {
		return err
	}
	if _, err := p.w.Write(p.body); err != nil {
		return err
	}
	p.seq++
	p.segs, p.body, p.packets = p.segs[:0], p.body[:0], 0
	return nil
}

// crcTable is Ogg's CRC-32: polynomial 0x04C11DB7, fed most significant
// bit first, starting from zero, with no final inversion (not the IEEE
// CRC of hash/crc32, which is bit-reversed and inverted).
var crcTable = func() (t [256]uint32) {
	for i := range t {
		r := uint32(i) << 24
		for range 8 {
			if r&0x80000000 != 0 {
				r = r<<1 ^ 0x04C11DB7
			} else {
				r <<= 1
			}
		}
		t[i] = r
	}
	return t
}()

func crcUpdate(crc uint32, b []byte) uint32 {
	for _, x := range b {
		crc = crc<<8 ^ crcTable[byte(crc>>24)^x]
	}
	return crc
}
