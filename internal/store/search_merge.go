package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// SQLite's message index (message_words, FTS5) gets one segment per write
// transaction, and FTS5 merges on its own only every so many pages
// written, inside whichever customer's write crosses the mark. The broad
// search seeks each word once per segment, so its cost follows their
// number (docs/PERFORMANCE.md, "Keeping the index in few segments").
// MergeSearchIndex is a small merge step a background job runs, through
// the one writer like any other write.

// searchMergePages bounds one merge step: the FTS5 pages it may write.
// Each step holds the writer (and the batch it joins) for its time.
const searchMergePages = 64

// usermerge is message_words' setting (migration 0025): a level is merged
// once it holds this many segments.
const usermerge = 2

// bigSegmentPages is the size from which a segment is left to FTS5's own
// merging: a step stops only between two words, so merging a big segment
// rewrites each common word's whole list in one go (at a million
// conversations, `the` alone is tens of megabytes: seconds of holding the
// writer). FTS5 picks the level a 'merge' works on, so a step is skipped
// while any level it could pick holds such a segment; the small levels,
// where writes keep adding segments, are the ones kept merged.
const bigSegmentPages = 1024

// SearchSegments is the shape of SQLite's message index.
type SearchSegments struct {
	Total  int   // segments in the index
	Levels []int // segments on each level
	// Big marks the levels holding a segment of more than bigSegmentPages.
	Big []bool
	// Merging marks the levels a merge step stopped half way through, so
	// the next step has work there even below usermerge.
	Merging []bool
}

// Mergeable reports whether a bounded 'merge' step has work it may do:
// some level FTS5 could pick (usermerge segments, or a merge under way),
// and none of those holds a big segment.
func (g SearchSegments) Mergeable() bool {
	work := false
	for l, n := range g.Levels {
		if n >= usermerge || g.Merging[l] {
			if g.Big[l] {
				return false
			}
			work = true
		}
	}
	return work
}

// SearchSegments reads message_words' structure record (one row); on
// PostgreSQL there is nothing to read and it returns the zero value.
func (s *Store) SearchSegments(ctx context.Context) (SearchSegments, error) {
	if s.d.name() != "sqlite" {
		return SearchSegments{}, nil
	}
	var block []byte
	// FTS5 keeps the structure in the %_data row whose id is 10.
	err := s.reads.QueryRowContext(ctx, `SELECT block FROM message_words_data WHERE id = 10`).Scan(&block)
	if errors.Is(err, sql.ErrNoRows) {
		return SearchSegments{}, nil
	}
	if err != nil {
		return SearchSegments{}, fmt.Errorf("store: search segments: %w", err)
	}
	return parseFTS5Structure(block)
}

// MergeSearchIndex runs one bounded merge step of message_words when it
// has something to merge (checked on a reader first, so an idle index
// costs no write), and reports whether it ran one. PostgreSQL: nothing.
func (s *Store) MergeSearchIndex(ctx context.Context) (bool, error) {
	g, err := s.SearchSegments(ctx)
	if err != nil || !g.Mergeable() {
		return false, err
	}
	err = s.tx(ctx, func(t *txn) error {
		_, err := t.exec(`INSERT INTO message_words (message_words, rank) VALUES ('merge', $1)`, searchMergePages)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("store: merge search index: %w", err)
	}
	return true, nil
}

// fts5StructureV2 follows the cookie when segments carry tombstone fields.
var fts5StructureV2 = [4]byte{0xff, 0x00, 0x00, 0x01}

// parseFTS5Structure decodes FTS5's structure record: a 4-byte cookie,
// optionally the V2 marker, then varints: levels, segments, the write
// counter, and per level the segments being merged, the segment count and
// each segment's id and first and last page (V2: five more fields each).
func parseFTS5Structure(b []byte) (SearchSegments, error) {
	bad := func() (SearchSegments, error) {
		return SearchSegments{}, errors.New("store: search segments: unreadable FTS5 structure")
	}
	if len(b) < 4 {
		return bad()
	}
	i, v2 := 4, false
	if len(b) >= 8 && [4]byte(b[4:8]) == fts5StructureV2 {
		i, v2 = 8, true
	}
	next := func() (uint64, bool) {
		v, n := sqliteVarint(b[i:])
		i += n
		return v, n > 0
	}
	levels, ok1 := next()
	total, ok2 := next()
	_, ok3 := next() // write counter
	if !ok1 || !ok2 || !ok3 || levels > 64 {
		return bad()
	}
	perSeg := 3
	if v2 {
		perSeg = 8
	}
	g := SearchSegments{Total: int(total), Levels: make([]int, levels), Big: make([]bool, levels), Merging: make([]bool, levels)}
	sum := 0
	for l := range g.Levels {
		merging, ok1 := next()
		n, ok2 := next()
		if !ok1 || !ok2 || n > total {
			return bad()
		}
		g.Levels[l], g.Merging[l], sum = int(n), merging > 0, sum+int(n)
		for range int(n) {
			var f [8]uint64 // id, first page, last page (V2: five more)
			for k := range perSeg {
				v, ok := next()
				if !ok {
					return bad()
				}
				f[k] = v
			}
			if f[2] >= f[1] && f[2]-f[1]+1 > bigSegmentPages {
				g.Big[l] = true
			}
		}
	}
	if sum != g.Total {
		return bad()
	}
	return g, nil
}

// sqliteVarint reads SQLite's big-endian varint (FTS5 uses the same): 7
// bits a byte while the top bit is set, all 8 bits of a ninth. n is 0 when
// b ends first.
func sqliteVarint(b []byte) (v uint64, n int) {
	for n < len(b) && n < 8 {
		c := b[n]
		n++
		v = v<<7 | uint64(c&0x7f)
		if c < 0x80 {
			return v, n
		}
	}
	if n == 8 && len(b) > 8 {
		return v<<8 | uint64(b[8]), 9
	}
	return 0, 0
}
