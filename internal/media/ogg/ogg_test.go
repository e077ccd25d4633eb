package ogg

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"testing"

	"github.com/relevo/relevo/internal/media/webm"
)

// page is one Ogg page as read back by the tests' own reader.
type page struct {
	flags   byte
	granule int64
	serial  uint32
	seq     uint32
	packets [][]byte
	// open is true when the page's last packet continues on the next.
	open bool
}

// readPages parses an Ogg stream independently of the writer, checking
// each page's capture pattern, version and CRC.
func readPages(t *testing.T, b []byte) []page {
	t.Helper()
	var out []page
	for len(b) > 0 {
		if len(b) < 27 || string(b[:4]) != "OggS" || b[4] != 0 {
			t.Fatalf("page %d: bad header", len(out))
		}
		n := int(b[26])
		segs := b[27 : 27+n]
		size := 0
		for _, s := range segs {
			size += int(s)
		}
		whole := b[:27+n+size]
		want := binary.LittleEndian.Uint32(whole[22:])
		check := bytes.Clone(whole)
		clear(check[22:26])
		if got := bitwiseCRC(check); got != want {
			t.Fatalf("page %d: CRC %08x, header says %08x", len(out), got, want)
		}
		p := page{flags: b[5], granule: int64(binary.LittleEndian.Uint64(b[6:])), serial: binary.LittleEndian.Uint32(b[14:]),
			seq: binary.LittleEndian.Uint32(b[18:])}
		body := whole[27+n:]
		var cur []byte
		for _, s := range segs {
			cur = append(cur, body[:s]...)
			body = body[s:]
			if s < 255 {
				p.packets = append(p.packets, cur)
				cur = nil
			}
		}
		p.open = cur != nil
		out = append(out, p)
		b = b[len(whole):]
	}
	return out
}

// bitwiseCRC is Ogg's CRC-32 computed bit by bit, as RFC 3533 describes
// it, to check the writer's table-driven one.
func bitwiseCRC(b []byte) uint32 {
	var crc uint32
	for _, x := range b {
		crc ^= uint32(x) << 24
		for range 8 {
			if crc&0x80000000 != 0 {
				crc = crc<<1 ^ 0x04C11DB7
			} else {
				crc <<= 1
			}
		}
	}
	return crc
}

func TestFromWebMChromiumRecording(t *testing.T) {
	rec, err := os.ReadFile("../webm/testdata/chromium-opus.webm")
	if err != nil {
		t.Fatal(err)
	}
	in, err := webm.Parse(rec)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	info, err := FromWebM(&out, rec)
	if err != nil {
		t.Fatal(err)
	}
	pages := readPages(t, out.Bytes())
	if info.Pages != len(pages) || len(pages) < 4 {
		t.Fatalf("info says %d pages; read %d", info.Pages, len(pages))
	}
	for i, p := range pages {
		if p.seq != uint32(i) || p.serial != pages[0].serial || p.open {
			t.Fatalf("page %d: seq %d serial %d open %v", i, p.seq, p.serial, p.open)
		}
		wantFlags := byte(0)
		switch i {
		case 0:
			wantFlags = flagBOS
		case len(pages) - 1:
			wantFlags = flagEOS
		}
		if p.flags != wantFlags {
			t.Errorf("page %d: flags %#x, want %#x", i, p.flags, wantFlags)
		}
	}
	// The identification header alone on the first page, the comment
	// header alone on the second, both at granule 0 (RFC 7845 §3).
	if len(pages[0].packets) != 1 || !bytes.Equal(pages[0].packets[0], in.Tracks[0].CodecPrivate) || pages[0].granule != 0 {
		t.Fatalf("first page %+v", pages[0])
	}
	if len(pages[1].packets) != 1 || !bytes.HasPrefix(pages[1].packets[0], []byte("OpusTags")) || pages[1].granule != 0 {
		t.Fatalf("second page %+v", pages[1])
	}
	// The audio pages carry the WebM frames unchanged, and each page's
	// granule is the samples decoded by its end: 60 ms packets, 2880 each.
	var packets [][]byte
	var decoded int64
	for _, p := range pages[2:] {
		for _, pk := range p.packets {
			d, err := PacketSamples(pk)
			if err != nil || d != 2880 {
				t.Fatalf("packet of %d samples: %v", d, err)
			}
			decoded += d
		}
		if p.granule != decoded {
			t.Fatalf("page %d: granule %d, want %d", p.seq, p.granule, decoded)
		}
		if int64(len(p.packets))*2880 > pageSpan {
			t.Errorf("page %d holds more than a second", p.seq)
		}
		packets = append(packets, p.packets...)
	}
	if len(packets) != len(in.Frames) || info.Samples != 33*2880 || decoded != info.Samples {
		t.Fatalf("%d packets, %d samples; want %d, %d", len(packets), info.Samples, len(in.Frames), 33*2880)
	}
	for i, pk := range packets {
		if !bytes.Equal(pk, in.Frames[i].Data) {
			t.Fatalf("packet %d differs from the WebM frame", i)
		}
	}
}

func TestFromWebMRefusesWhatIsNotOpus(t *testing.T) {
	rec, err := os.ReadFile("../webm/testdata/chromium-opus.webm")
	if err != nil {
		t.Fatal(err)
	}
	vorbis := bytes.Replace(rec, []byte("A_OPUS"), []byte("A_VORB"), 1)
	if _, err := FromWebM(&bytes.Buffer{}, vorbis); !errors.Is(err, ErrNotOpus) {
		t.Errorf("a Vorbis track: %v", err)
	}
	if _, err := FromWebM(&bytes.Buffer{}, []byte("RIFF....WAVE")); !errors.Is(err, webm.ErrNotWebM) {
		t.Errorf("a WAV file: %v", err)
	}
}

func TestPacketSamples(t *testing.T) {
	for _, tc := range []struct {
		pk   []byte
		want int64
	}{
		{[]byte{0x00}, 480},            // SILK NB 10 ms, one frame
		{[]byte{0x18 | 1}, 2 * 2880},   // SILK NB 60 ms, two frames
		{[]byte{0x78}, 960},            // hybrid FB 20 ms
		{[]byte{0x80}, 120},            // CELT NB 2.5 ms
		{[]byte{0xfb, 0x03}, 3 * 960},  // CELT FB 20 ms, three frames (Chromium)
		{[]byte{0x83, 0x30}, 48 * 120}, // CELT NB 2.5 ms, 48 frames: 120 ms
	} {
		got, err := PacketSamples(tc.pk)
		if err != nil || got != tc.want {
			t.Errorf("% x: %d, %v; want %d", tc.pk, got, err, tc.want)
		}
	}
	// Empty; a frame count missing or zero; 7 frames of 20 ms (140 ms).
	for _, bad := range [][]byte{nil, {0x03}, {0x03, 0x00}, {0xfb, 0x07}} {
		if _, err := PacketSamples(bad); !errors.Is(err, ErrBadOpus) {
			t.Errorf("% x: %v", bad, err)
		}
	}
}

func TestLargePacketsAreLacedAndPagesFill(t *testing.T) {
	head := []byte("OpusHead\x01\x01\x38\x01\x80\xbb\x00\x00\x00\x00\x00")
	// 2.5 ms CELT packets (so pages fill by segments, not by time) of 255
	// and 600 bytes: lacing 255,0 and 255,255,90.
	p255 := append([]byte{0x80}, bytes.Repeat([]byte{1}, 254)...)
	p600 := append([]byte{0x80}, bytes.Repeat([]byte{2}, 599)...)
	var packets [][]byte
	for range 60 {
		packets = append(packets, p255, p600)
	}
	var out bytes.Buffer
	info, err := WriteOpus(&out, Opus{Head: head, Packets: packets, EndTrim: 100, Serial: 7})
	if err != nil {
		t.Fatal(err)
	}
	pages := readPages(t, out.Bytes())
	var got [][]byte
	for _, p := range pages[2:] {
		got = append(got, p.packets...)
	}
	if len(got) != len(packets) {
		t.Fatalf("%d packets back, want %d", len(got), len(packets))
	}
	for i := range got {
		if !bytes.Equal(got[i], packets[i]) {
			t.Fatalf("packet %d differs", i)
		}
	}
	// 5 segments per pair: 51 pairs fill the 255 segments of a page, so
	// the 300 segments take two pages; the end trim comes off the last
	// page's granule.
	if len(pages) != 2+2 || len(pages[2].packets) != 102 {
		t.Fatalf("%d pages, the first audio one of %d packets", len(pages), len(pages[2].packets))
	}
	last := pages[len(pages)-1]
	if want := int64(120*120 - 100); last.granule != want || info.Samples != want {
		t.Fatalf("last granule %d, info %d; want %d", last.granule, info.Samples, want)
	}
	if _, err := WriteOpus(&out, Opus{Head: head[:18], Packets: packets}); !errors.Is(err, ErrBadOpus) {
		t.Errorf("a short OpusHead: %v", err)
	}
}
