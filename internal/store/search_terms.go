package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"modernc.org/sqlite"
)

// maxPrefixTerms bounds how many words a typed prefix may stand for in the
// SQLite broad plan; a shorter prefix ("o") keeps the plan that collects
// the matches once.
const maxPrefixTerms = 16

// Every SQLite connection gets a temporary fts5vocab table over the
// messages' index (its words, in order), to expand prefixes. query_only is
// set by the readers' DSN before this hook runs, so it is lifted for this
// one statement.
func init() {
	sqlite.RegisterConnectionHook(func(c sqlite.ExecQuerierContext, dsn string) error {
		stmts := []string{"CREATE VIRTUAL TABLE IF NOT EXISTS temp.message_terms USING fts5vocab(main, message_words, instance)"}
		if strings.Contains(dsn, "query_only(1)") {
			stmts = []string{"PRAGMA query_only = 0", stmts[0], "PRAGMA query_only = 1"}
		}
		for _, q := range stmts {
			if _, err := c.ExecContext(context.Background(), q, nil); err != nil {
				return fmt.Errorf("store: message terms: %w", err)
			}
		}
		return nil
	})
}

// exactTerms is the SQLite broad plan's message query without prefixes, one
// group per typed word (the query is their AND):
// FTS5 answers a prefix by merging the doclists of every word it starts,
// from the first, at each query, whatever the rowid asked; so a test per
// conversation with "order"* cost a whole merge each (75 s for a page at
// ten million messages), while an exact word seeks to the rowid. Each
// typed word becomes the OR of the indexed words it starts, read from the
// index's vocabulary one seek at a time. ok is false when a word is not
// plain ASCII (the index stores words folded, the vocabulary is compared
// as stored) or starts more than maxPrefixTerms words.
func (s *Store) exactTerms(ctx context.Context, q string) (groups []string, ok bool, err error) {
	for _, word := range searchWords(q) {
		for _, r := range word {
			if r >= 0x80 {
				return nil, false, nil
			}
		}
		end := word[:len(word)-1] + string(word[len(word)-1]+1)
		var terms []string
		from := word
		for len(terms) <= maxPrefixTerms {
			var t string
			err := s.r.QueryRowContext(ctx, `SELECT term FROM temp.message_terms WHERE term >= $1 AND term < $2 LIMIT 1`, from, end).Scan(&t)
			if err == sql.ErrNoRows {
				break
			}
			if err != nil {
				return nil, false, fmt.Errorf("store: search terms: %w", err)
			}
			terms = append(terms, `"`+t+`"`)
			from = t + "\x01" // the next word: nothing sorts between
		}
		if len(terms) > maxPrefixTerms {
			return nil, false, nil
		}
		if len(terms) == 0 {
			terms = append(terms, `"`+word+`"`) // no such word: nothing matches
		}
		groups = append(groups, "("+strings.Join(terms, " OR ")+")")
	}
	return groups, len(groups) > 0, nil
}

// sqliteMessageSeek is true when conversation c (the conversations
// table's alias) has a message matching the exact-word query $n: one FTS5
// seek per word to the conversation's rowid range in message_words
// (migration 0022), whatever its number of messages. TestSearchSeeksOnce
// PerConversation checks the plan.
func sqliteMessageSeek(c, n string) string {
	return `EXISTS (SELECT 1 FROM message_words WHERE message_words MATCH ` + n +
		` AND rowid BETWEEN ` + c + `.search_key << 32 AND (` + c + `.search_key << 32) | 4294967295)`
}
