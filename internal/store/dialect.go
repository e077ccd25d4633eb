package store

import (
	"errors"
	"strings"
	"unicode"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// dialect holds the few things SQLite and PostgreSQL do differently. All
// other SQL is shared ($N placeholders work on both).
type dialect interface {
	name() string
	// messageSearch is a subquery yielding conversation ids whose messages
	// match the full-text query in parameter $n.
	messageSearch(n string) string
	// messageMatches is a subquery yielding one row per message matching
	// $n, as cheaply as the dialect allows (search.go counts them).
	messageMatches(n string) string
	// messageIn is a condition true when conversation c (the
	// conversations table's alias) has a message matching $n, tested per
	// conversation (search.go, broad plan).
	messageIn(c, n string) string
	// contactSearch is a subquery yielding contact ids matching $n.
	contactSearch(n string) string
	// ftsQuery turns what a user typed into the dialect's query syntax, or
	// "" when nothing searchable is left.
	ftsQuery(q string) string
	isUnique(err error) bool
	// forUpdate ends a SELECT that must row-lock what it reads until the
	// transaction ends: " FOR UPDATE" on PostgreSQL; nothing on SQLite,
	// whose single writer (BEGIN IMMEDIATE) serialises read-then-write.
	forUpdate() string
	// lockRowsOf ends a SELECT that must row-lock the rows of one table
	// (alias a) it reads, in a query with outer joins: " FOR UPDATE OF a"
	// on PostgreSQL; nothing on SQLite (as forUpdate).
	lockRowsOf(a string) string
}

type sqliteDialect struct{}

func (sqliteDialect) name() string { return "sqlite" }

func (sqliteDialect) forUpdate() string        { return "" }
func (sqliteDialect) lockRowsOf(string) string { return "" }

// messageSearch: a match's rowid holds its conversation's search_key in
// its high bits (migration 0022), so no content row is read.
func (sqliteDialect) messageSearch(n string) string {
	return `SELECT cw.id FROM conversations cw WHERE cw.search_key IN (SELECT rowid >> 32 FROM message_words WHERE message_words MATCH ` + n + `)`
}

// messageMatches reads rowids only (message_words keeps no content).
func (sqliteDialect) messageMatches(n string) string {
	return `SELECT rowid FROM message_words WHERE message_words MATCH ` + n
}

// messageIn collects the matching conversations' keys once per statement
// (SQLite materialises an uncorrelated IN list; the unary plus keeps the
// planner walking the list's sort index instead of reading every match's
// conversation and sorting) and each conversation walked is one probe of
// it. search.go uses it for up to collectSearch matches, and for the
// prefixes search_terms.go cannot expand (more than maxPrefixTerms words,
// or non-ASCII): FTS5 cannot seek with a prefix (it merges every word's
// list at each query).
func (sqliteDialect) messageIn(c, n string) string {
	return `+` + c + `.search_key IN (SELECT rowid >> 32 FROM message_words WHERE message_words MATCH ` + n + `)`
}
func (sqliteDialect) contactSearch(n string) string {
	return `SELECT contact_id FROM contact_fts WHERE contact_fts MATCH ` + n
}

// ftsQuery quotes every word and makes it a prefix, so user input can never
// be read as FTS5 syntax.
func (sqliteDialect) ftsQuery(q string) string {
	words := searchWords(q)
	for i, w := range words {
		words[i] = `"` + w + `"*`
	}
	return strings.Join(words, " ")
}
func (sqliteDialect) isUnique(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		c := se.Code()
		return c == sqlite3.SQLITE_CONSTRAINT_UNIQUE || c == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

type postgresDialect struct{}

func (postgresDialect) name() string { return "postgres" }

func (postgresDialect) forUpdate() string          { return " FOR UPDATE" }
func (postgresDialect) lockRowsOf(a string) string { return " FOR UPDATE OF " + a }
func (postgresDialect) messageSearch(n string) string {
	return `SELECT conversation_id FROM messages WHERE tsv @@ to_tsquery('simple', ` + n + `)`
}
func (postgresDialect) messageMatches(n string) string {
	return `SELECT 1 FROM messages WHERE tsv @@ to_tsquery('simple', ` + n + `)`
}

// messageIn is a scalar subquery, not EXISTS: PostgreSQL turns an EXISTS
// into a hashed subplan that collects every match first (250 ms for a
// common word at 100k conversations), while a scalar subquery runs per
// conversation walked. IS TRUE keeps the probe on the conversation's own
// messages instead of the word's GIN list.
func (postgresDialect) messageIn(c, n string) string {
	return `(SELECT 1 FROM messages m WHERE m.conversation_id = ` + c + `.id` +
		` AND (m.tsv @@ to_tsquery('simple', ` + n + `)) IS TRUE LIMIT 1) IS NOT NULL`
}
func (postgresDialect) contactSearch(n string) string {
	return `SELECT id FROM contacts WHERE tsv @@ to_tsquery('simple', ` + n + `)`
}
func (postgresDialect) ftsQuery(q string) string {
	words := searchWords(q)
	for i, w := range words {
		words[i] = w + ":*"
	}
	return strings.Join(words, " & ")
}
func (postgresDialect) isUnique(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

// searchWords splits q into lower-case runs of letters and digits; every
// other character is a separator. At most 8 words are kept.
func searchWords(q string) []string {
	words := strings.FieldsFunc(strings.ToLower(q), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	if len(words) > 8 {
		words = words[:8]
	}
	return words
}
