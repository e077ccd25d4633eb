package store

import "testing"

// A merge step is skipped while FTS5 could pick a level holding a big
// segment (it would rewrite each common word's whole list in one step),
// and runs where only small segments wait.
func TestSearchMergeLeavesBigSegmentsAlone(t *testing.T) {
	seg := func(id, pages uint64) []byte { return []byte{byte(id), 1, byte(pages)} }
	for _, c := range []struct {
		name   string
		levels [][]uint64 // pages of each segment, per level
		want   bool
	}{
		{"two small on level 0", [][]uint64{{10, 12}}, true},
		{"one small per level", [][]uint64{{10}, {40}}, false},
		{"big alone above two small", [][]uint64{{10, 12}, {bigSegmentPages + 1}}, true},
		{"big with a small on its level", [][]uint64{{10}, {bigSegmentPages + 1, 30}}, false},
		{"big level beside small work", [][]uint64{{10, 12}, {bigSegmentPages + 1, 30}}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			// cookie, levels, segments, write counter, then per level:
			// merging, count, (id, first page, last page) per segment.
			total := 0
			for _, l := range c.levels {
				total += len(l)
			}
			b := []byte{0, 0, 0, 1, byte(len(c.levels)), byte(total), 7}
			id := uint64(1)
			for _, l := range c.levels {
				b = append(b, 0, byte(len(l)))
				for _, pages := range l {
					if pages > 127 { // two-byte varint: first page 1, last page pages
						b = append(b, byte(id), 1, byte(0x80|pages>>7), byte(pages&0x7f))
					} else {
						b = append(b, seg(id, pages)...)
					}
					id++
				}
			}
			g, err := parseFTS5Structure(b)
			if err != nil {
				t.Fatal(err)
			}
			if g.Total != total {
				t.Fatalf("%d segments, want %d", g.Total, total)
			}
			if got := g.Mergeable(); got != c.want {
				t.Fatalf("Mergeable() = %v, want %v (levels %v, big %v)", got, c.want, g.Levels, g.Big)
			}
		})
	}
}
