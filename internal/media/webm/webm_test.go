package webm

import (
	"bytes"
	"errors"
	"os"
	"testing"
)

// testdata/chromium-opus.webm is a 2-second recording made by Chromium's
// MediaRecorder ("audio/webm;codecs=opus", 250 ms timeslices) from its
// fake audio device: the file the console's voice recorder uploads.
func recording(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/chromium-opus.webm")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseChromiumRecording(t *testing.T) {
	f, err := Parse(recording(t))
	if err != nil {
		t.Fatal(err)
	}
	if f.DocType != "webm" || f.Truncated || len(f.Tracks) != 1 {
		t.Fatalf("doc %q truncated %v tracks %+v", f.DocType, f.Truncated, f.Tracks)
	}
	tr := f.Tracks[0]
	if tr.Number != 1 || tr.Type != TrackAudio || tr.CodecID != "A_OPUS" || tr.SampleRate != 48000 || tr.Channels != 1 ||
		!bytes.HasPrefix(tr.CodecPrivate, []byte("OpusHead")) || len(tr.CodecPrivate) != 19 {
		t.Fatalf("track %+v", tr)
	}
	// Chromium writes one 60 ms Opus packet per SimpleBlock, across
	// clusters of unknown size.
	if len(f.Frames) != 33 {
		t.Fatalf("%d frames, want 33", len(f.Frames))
	}
	for i, fr := range f.Frames {
		if fr.Track != 1 || fr.Time != int64(i)*60_000_000 || len(fr.Data) == 0 {
			t.Fatalf("frame %d: track %d time %d size %d", i, fr.Track, fr.Time, len(fr.Data))
		}
	}
}

func TestAudioOnlyDecidesByTrackTypes(t *testing.T) {
	rec := recording(t)
	video := withTrackType(t, rec, TrackVideo)
	for _, tc := range []struct {
		name string
		head []byte
		want bool
	}{
		{"a voice recording", rec, true},
		{"its first 512 bytes", rec[:512], true},
		{"cut inside its tracks", rec[:0x70], false},
		{"the same file with a video track", video, false},
		{"not EBML", []byte("OggS\x00\x02 not webm at all"), false},
		{"empty", nil, false},
	} {
		if got := AudioOnly(tc.head); got != tc.want {
			t.Errorf("%s: AudioOnly = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// withTrackType returns a copy of the recording whose one track claims
// another type (the TrackType element is one byte: 0x83 0x81 type).
func withTrackType(t *testing.T, rec []byte, typ byte) []byte {
	t.Helper()
	i := bytes.Index(rec, []byte{0x83, 0x81, TrackAudio})
	if i < 0 {
		t.Fatal("no TrackType in the recording")
	}
	b := bytes.Clone(rec)
	b[i+2] = typ
	return b
}

func TestTruncatedFileKeepsWholeFrames(t *testing.T) {
	rec := recording(t)
	f, err := Parse(rec[:len(rec)-100])
	if err != nil {
		t.Fatal(err)
	}
	if !f.Truncated || len(f.Frames) != 32 {
		t.Fatalf("truncated %v, %d frames", f.Truncated, len(f.Frames))
	}
	if _, err := Parse(rec[:0x60]); !errors.Is(err, ErrMalformed) {
		t.Fatalf("cut before the tracks: %v", err)
	}
}

// file builds a minimal WebM: header, a sized segment with one audio
// track, and one cluster holding blocks.
func file(blocks ...[]byte) []byte {
	el := func(id []byte, body ...[]byte) []byte {
		b := bytes.Join(body, nil)
		out := append([]byte{}, id...)
		out = append(out, 0x01, 0, 0, 0, 0, 0, 0, 0) // 8-byte size
		for i := 0; i < 7; i++ {
			out[len(id)+1+i] = byte(uint64(len(b)) >> (8 * (6 - i)))
		}
		return append(out, b...)
	}
	ebml := el([]byte{0x1A, 0x45, 0xDF, 0xA3}, el([]byte{0x42, 0x82}, []byte("webm")))
	track := el([]byte{0xAE}, el([]byte{0xD7}, []byte{1}), el([]byte{0x83}, []byte{2}), el([]byte{0x86}, []byte("A_OPUS")))
	tracks := el([]byte{0x16, 0x54, 0xAE, 0x6B}, track)
	cluster := el([]byte{0x1F, 0x43, 0xB6, 0x75}, append([][]byte{el([]byte{0xE7}, []byte{0x10})}, blocks...)...)
	return append(ebml, el([]byte{0x18, 0x53, 0x80, 0x67}, tracks, cluster)...)
}

func simpleBlock(flags byte, payload ...byte) []byte {
	return append([]byte{0xA3, 0x80 | byte(4+len(payload)), 0x81, 0x00, 0x02, flags}, payload...)
}

func TestLacing(t *testing.T) {
	for _, tc := range []struct {
		name  string
		block []byte
		want  []string
	}{
		{"none", simpleBlock(0x80, 'a', 'b', 'c'), []string{"abc"}},
		{"xiph", simpleBlock(0x82, 2, 1, 2, 'a', 'b', 'b', 'c', 'c', 'c'), []string{"a", "bb", "ccc"}},
		{"fixed", simpleBlock(0x84, 2, 'a', 'a', 'b', 'b', 'c', 'c'), []string{"aa", "bb", "cc"}},
		// EBML: the first size (2), then 3 = 2 + 1 stored as 1 + 63.
		{"ebml", simpleBlock(0x86, 2, 0x82, 0x80|64, 'a', 'a', 'b', 'b', 'b', 'c'), []string{"aa", "bbb", "c"}},
	} {
		f, err := Parse(file(tc.block))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		var got []string
		for _, fr := range f.Frames {
			got = append(got, string(fr.Data))
			if fr.Time != (16+2)*1_000_000 {
				t.Errorf("%s: time %d", tc.name, fr.Time)
			}
		}
		if len(got) != len(tc.want) || !equal(got, tc.want) {
			t.Errorf("%s: frames %q, want %q", tc.name, got, tc.want)
		}
	}
	for _, bad := range [][]byte{
		simpleBlock(0x84, 2, 'a', 'b'),           // fixed sizes that do not divide
		simpleBlock(0x82, 1, 9, 'a'),             // xiph size beyond the block
		simpleBlock(0x86, 2, 0x82, 0x80|70, 'a'), // ebml size beyond the block
	} {
		if _, err := Parse(file(bad)); !errors.Is(err, ErrMalformed) {
			t.Errorf("% x: %v, want ErrMalformed", bad, err)
		}
	}
}

func equal(a, b []string) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
