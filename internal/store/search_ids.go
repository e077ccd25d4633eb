package store

import (
	"context"
	"fmt"
	"strconv"
)

// searchByIDs is PostgreSQL's narrow plan. Its planner cannot know how many
// messages or contacts a prefix tsquery matches and assumes thousands
// (2,000 messages and 20,000 contacts for a word found 23 times in ten
// million messages), so a subquery there made it hash-join and read every
// conversation (1.4 s at a million). Instead the matching conversation ids
// are read first, at most limit of them: the same query tells narrow from
// broad, and under limit the list gets them as an array, whose size the
// planner sees. The contacts likewise; when they reach limit, their
// subquery stays. It reports false (nothing added) when the messages reach
// limit: the broad plan then applies.
func (s *Store) searchByIDs(ctx context.Context, w *where, fq, proto string, limit int) (bool, error) {
	convs, err := s.firstIDs(ctx, s.d.messageSearch("$1"), fq, limit)
	if err != nil || len(convs) >= limit {
		return false, err
	}
	contacts, err := s.firstIDs(ctx, s.d.contactSearch("$1"), fq, limit)
	if err != nil {
		return false, err
	}
	// Every placeholder made must be used: PostgreSQL cannot type one that
	// is not.
	var contactCond string
	if len(contacts) >= limit {
		contactCond = "c.contact_id IN (" + s.d.contactSearch(w.arg(fq)) + ")"
	} else {
		contactCond = "c.contact_id = ANY(" + w.arg(contacts) + "::text[])"
	}
	w.add("(c.id = ANY(" + w.arg(uniqueIDs(convs)) + "::text[]) OR " + contactCond + " OR c.protocol = " + proto + ")")
	return true, nil
}

// firstIDs reads the first limit ids of query (one id column, parameter $1
// = fq); one per matching row, so duplicates count towards limit.
func (s *Store) firstIDs(ctx context.Context, query, fq string, limit int) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, query+" LIMIT "+strconv.Itoa(limit), fq)
	if err != nil {
		return nil, fmt.Errorf("store: search: %w", err)
	}
	ids, err := collectIDs(rows)
	if err != nil {
		return nil, fmt.Errorf("store: search: %w", err)
	}
	return orEmpty(ids), nil
}
