package store

import (
	"context"
	"fmt"
	"strconv"
)

// broadSearch is the number of matching messages from which a search stops
// collecting matches and walks the list's own order instead (see search).
const broadSearch = 1000

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
		exact, ok, err := s.exactTerms(ctx, q)
		if err != nil {
			return err
		}
		probeQ := fq
		if ok {
			probeQ = exact
		}
		var n int
		probe := `SELECT count(*) FROM (` + s.d.messageMatches("$1") + ` LIMIT ` + strconv.Itoa(limit) + `) AS x`
		if err := s.r.QueryRowContext(ctx, probe, probeQ).Scan(&n); err != nil {
			return fmt.Errorf("store: search: %w", err)
		}
		if n < limit {
			w.add("c.id IN (" + s.d.messageSearch(p) + " UNION SELECT cs.id FROM conversations cs WHERE cs.contact_id IN (" +
				contacts + ") UNION SELECT cp.id FROM conversations cp WHERE cp.protocol = " + proto + ")")
			return nil
		}
		if ok {
			w.add("(c.protocol = " + proto + " OR c.contact_id IN (" + contacts + ") OR " + sqliteMessageSeek("c", w.arg(exact)) + ")")
			return nil
		}
	}
	w.add("(c.protocol = " + proto + " OR c.contact_id IN (" + contacts + ") OR " + s.d.messageIn("c", p) + ")")
	return nil
}
