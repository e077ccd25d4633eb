package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// broadSearch is the number of matching messages from which a search stops
// collecting matches and walks the list's own order instead (see search).
const broadSearch = 1000

// collectSearch is, on SQLite, the number of matching messages from which
// the broad plan tests each conversation walked with its own FTS5 seek
// (sqliteMessageSeek) instead of collecting the matching conversations'
// keys once per query (messageIn). Collecting costs in proportion to the
// matches (6.5 ms of CPU for 23,000 at 100k conversations) and not to the
// index's shape; a seek per conversation costs a page's walk times the
// index's segments (2.4 ms with one segment, 21 ms with sixteen, which a
// day of small writes makes). Past this many matches collecting costs
// more than the worst walk measured (docs/PERFORMANCE.md).
const collectSearch = 50000

// search restricts w to the conversations matching q: a message's text,
// the contact's name, phone or email (full text), or the protocol exactly.
//
// Two plans, same rows and same order (the list's sort):
//   - narrow (fewer than broadSearch matching messages): the matching ids
//     are collected once, as one list (an OR of three conditions made
//     SQLite run each search twice), and the page is sorted from them;
//   - broad (a common word: "refund" matches 21,000 of 100,000
//     conversations): collecting and sorting every match cost 70–130 ms.
//     Instead the database walks the list's sort index and tests each
//     conversation for a matching message, stopping after the page (about
//     five conversations walked per match found for such a word). The test
//     is a per-conversation index probe, so its cost follows how far the
//     page lies, not how many conversations match (docs/PERFORMANCE.md).
//     On SQLite the probe is one of two: a word in fewer than collectSearch
//     messages has its conversations collected once per query; a commoner
//     one is sought in each conversation's rowid range (migration 0022).
//
// Telling them apart costs one query reading at most broadSearch matches.
func (s *Store) search(ctx context.Context, w *where, q string) error {
	fq := s.d.ftsQuery(q)
	proto := w.arg(q)
	if fq == "" {
		w.add("c.protocol = " + proto)
		return nil
	}
	limit := broadSearch
	if s.broad != 0 {
		limit = max(s.broad, 0) // tests: below 0, always broad
	}
	if s.d.name() == "postgres" {
		// PostgreSQL reads the matching conversation ids in the probe.
		if done, err := s.searchByIDs(ctx, w, fq, proto, limit); done || err != nil {
			return err
		}
	}
	p := w.arg(fq)
	contacts := s.d.contactSearch(p)
	if s.d.name() != "postgres" {
		// SQLite: the exact words the prefixes stand for, when few, for
		// the probe and the broad plan both: a prefix costs a merge of
		// every word it starts, each time (search_terms.go).
		groups, ok, err := s.exactTerms(ctx, q)
		if err != nil {
			return err
		}
		exact := strings.Join(groups, " AND ")
		probeQ := fq
		if ok {
			probeQ = exact
		}
		n, err := s.countMatches(ctx, probeQ, limit)
		if err != nil {
			return err
		}
		if n < limit {
			w.add("c.id IN (" + s.d.messageSearch(p) + " UNION SELECT cs.id FROM conversations cs WHERE cs.contact_id IN (" +
				contacts + ") UNION SELECT cp.id FROM conversations cp WHERE cp.protocol = " + proto + ")")
			return nil
		}
		if ok {
			few, err := s.fewMatches(ctx, groups)
			if err != nil {
				return err
			}
			if !few {
				w.add("(c.protocol = " + proto + " OR c.contact_id IN (" + contacts + ") OR " + sqliteMessageSeek("c", w.arg(exact)) + ")")
				return nil
			}
			p = w.arg(exact) // the exact words: a prefix merges every word's list
		}
	}
	w.add("(c.protocol = " + proto + " OR c.contact_id IN (" + contacts + ") OR " + s.d.messageIn("c", p) + ")")
	return nil
}

// fewMatches is true when one of the words (exactTerms' groups) is in fewer
// than collectSearch messages, and so is their AND: then SQLite's broad plan
// collects the matches once. Each word is counted alone (rowids only), as
// counting an AND of common words costs their intersection (25 ms of CPU
// for "order the" at 1M).
func (s *Store) fewMatches(ctx context.Context, groups []string) (bool, error) {
	collect := collectSearch
	if s.collect != 0 {
		collect = max(s.collect, 0) // tests: below 0, always seek
	}
	for _, g := range groups {
		n, err := s.countMatches(ctx, g, collect)
		if err != nil || n < collect {
			return err == nil, err
		}
	}
	return false, nil
}

// countMatches counts SQLite's messages matching the FTS5 query fq, up to
// limit (rowids only).
func (s *Store) countMatches(ctx context.Context, fq string, limit int) (int, error) {
	var n int
	probe := `SELECT count(*) FROM (` + s.d.messageMatches("$1") + ` LIMIT ` + strconv.Itoa(limit) + `) AS x`
	if err := s.r.QueryRowContext(ctx, probe, fq).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: search: %w", err)
	}
	return n, nil
}
