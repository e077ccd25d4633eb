package webm

import (
	"bytes"
	"testing"
)

// FuzzParse: any bytes are read or refused, never a panic, and what is
// read lies inside the input.
func FuzzParse(f *testing.F) {
	rec := recording(f)
	f.Add(rec)
	f.Add(rec[:300])
	f.Add(file(simpleBlock(0x86, 2, 0x82, 0x80|64, 'a', 'a', 'b', 'b', 'b', 'c')))
	f.Add(file(simpleBlock(0x82, 2, 1, 2, 'a', 'b', 'b', 'c', 'c', 'c')))
	f.Fuzz(func(t *testing.T, data []byte) {
		AudioOnly(data)
		p, err := Parse(data)
		if err != nil {
			return
		}
		total := 0
		for _, fr := range p.Frames {
			total += len(fr.Data)
			if len(fr.Data) > 0 && !bytes.Contains(data, fr.Data) {
				t.Fatalf("a frame not from the input")
			}
		}
		if total > len(data) {
			t.Fatalf("%d bytes of frames from %d bytes", total, len(data))
		}
	})
}
