package store

// How ListConversations finds one page fast at 100k conversations
// (docs/PERFORMANCE.md). The page's ids are chosen first from sort keys that
// are plain columns, so the database walks an index in sort order and stops
// after the page; then only those rows are read in full, with their unread
// counts. Computing unread state for every matching row before sorting, as
// a single query would, costs up to a second at 100k conversations.
//
// The waiting sort's key is per viewer (DESIGN.md: unread first, by the
// oldest unread customer message). Two columns kept by the write path
// (migration 0005) make it cheap:
//   - a conversation the viewer never opened (no reads row) is unread from
//     its first customer message: conversations.first_contact_at;
//   - one they opened has reads.unread_since (NULL when all is read).
// So the unread part of the list is two index-ordered pieces: conversations
// without a reads row, by first_contact_at; and the viewer's reads rows
// that are unread or marked (few). The read part, ordered by waiting time,
// is only looked at once the unread part is exhausted.

import (
	"context"
	"fmt"
	"strings"

	"github.com/relevo/relevo/internal/desk"
)

// unreadCond selects the rows that are unread or marked unread for the
// viewer in reads r (want) or the others (!want).
func unreadCond(want bool) string {
	if want {
		return `((r.user_id IS NULL AND c.first_contact_at IS NOT NULL) OR r.unread_since IS NOT NULL OR r.marked_unread = 1)`
	}
	return `((r.user_id IS NULL AND c.first_contact_at IS NULL) OR (r.user_id IS NOT NULL AND r.unread_since IS NULL AND r.marked_unread = 0))`
}

// noIndex keeps a broad condition (bot scope, phase, team, channel) from
// steering SQLite's planner, which has no statistics and ignores LIMIT:
// left visible, it reads every matching row through that index and sorts,
// instead of walking the sort's index and stopping after the page. A unary
// plus changes nothing but the plan. PostgreSQL weighs LIMIT itself.
func (s *Store) noIndex(col string) string {
	if s.d.name() == "sqlite" {
		return "+" + col
	}
	return col
}

// listPage returns the conversations at [offset, offset+f.Limit] in f's
// order (one more than a page, to tell whether another follows).
func (s *Store) listPage(ctx context.Context, w *where, f ConversationFilter, offset int) ([]desk.Conversation, error) {
	cond := "1 = 1"
	if len(w.conds) > 0 {
		cond = strings.Join(w.conds, " AND ")
	}
	n := f.Limit + 1
	// Contacts are joined only for a filter on them: one lookup less for
	// every row walked.
	from, joinContacts := ` FROM conversations c`, ""
	if strings.Contains(cond, "ct.") {
		joinContacts = ` JOIN contacts ct ON ct.id = c.contact_id`
		from += joinContacts
	}
	withReads := from + ` LEFT JOIN reads r ON r.conversation_id = c.id AND r.user_id = $1`
	var ids []string
	var err error
	switch {
	case f.Sort != SortWaiting:
		// $1, the viewer, is always bound; PostgreSQL wants it used.
		q := `SELECT c.id` + from + ` WHERE CAST($1 AS TEXT) IS NOT NULL AND ` + cond
		if f.Unread != nil {
			q = `SELECT c.id` + withReads + ` WHERE ` + cond + ` AND ` + unreadCond(*f.Unread)
		}
		ids, err = s.listIDs(ctx, q+fmt.Sprintf(` ORDER BY c.last_message_at DESC, c.id DESC LIMIT %d OFFSET %d`, n, offset), w.args)
	case f.Unread != nil && !*f.Unread:
		ids, err = s.readPart(ctx, withReads, cond, w.args, n, offset)
	default:
		// The unread part: the first offset+n rows of it, of which the
		// page skips offset.
		k := offset + n
		key2 := `COALESCE(c.waiting_since, c.last_message_at)`
		never := `SELECT c.id, c.first_contact_at AS k1, ` + key2 + ` AS k2` + from + ` WHERE ` + cond + `
			AND c.first_contact_at IS NOT NULL
			AND NOT EXISTS (SELECT 1 FROM reads x WHERE x.user_id = $1 AND x.conversation_id = c.id)
			ORDER BY c.first_contact_at, k2, c.id` + fmt.Sprintf(` LIMIT %d`, k)
		opened := `SELECT c.id, COALESCE(r.unread_since, c.last_message_at) AS k1, ` + key2 + ` AS k2
			FROM reads r JOIN conversations c ON c.id = r.conversation_id` + joinContacts + `
			WHERE r.user_id = $1 AND (r.unread_since IS NOT NULL OR r.marked_unread = 1) AND ` + cond + `
			ORDER BY k1, k2, c.id` + fmt.Sprintf(` LIMIT %d`, k)
		q := `SELECT * FROM (` + never + `) AS a UNION ALL SELECT * FROM (` + opened + `) AS b ORDER BY 2, 3, 1` +
			fmt.Sprintf(` LIMIT %d`, k)
		unread, err := s.listIDs(ctx, q, w.args)
		if err != nil {
			return nil, err
		}
		if len(unread) > offset {
			ids = unread[offset:]
		}
		if len(unread) < k && f.Unread == nil {
			// The unread part ran out within the page: the read part follows.
			more, err := s.readPart(ctx, withReads, cond, w.args, n-len(ids), max(0, offset-len(unread)))
			if err != nil {
				return nil, err
			}
			ids = append(ids, more...)
		}
	}
	if err != nil {
		return nil, err
	}
	return s.conversationsByID(ctx, viewerArg(w), ids)
}

// readPart lists the rows of the waiting sort with nothing unread, by how
// long they have waited.
func (s *Store) readPart(ctx context.Context, withReads, cond string, args []any, n, offset int) ([]string, error) {
	q := `SELECT c.id` + withReads + ` WHERE ` + cond + ` AND ` + unreadCond(false) +
		fmt.Sprintf(` ORDER BY COALESCE(c.waiting_since, c.last_message_at), c.id LIMIT %d OFFSET %d`, n, offset)
	return s.listIDs(ctx, q, args)
}

func (s *Store) listIDs(ctx context.Context, q string, args []any) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: list conversations: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		var skip1, skip2 any
		dest := []any{&id}
		if cols, _ := rows.Columns(); len(cols) == 3 {
			dest = append(dest, &skip1, &skip2)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("store: list conversations: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// viewerArg is the viewer's id, always the first argument of a list query.
func viewerArg(w *where) string {
	v, _ := w.args[0].(string)
	return v
}

// conversationsByID reads the rows of ids as viewer sees them, in the
// order of ids.
func (s *Store) conversationsByID(ctx context.Context, viewer string, ids []string) ([]desk.Conversation, error) {
	out := make([]desk.Conversation, 0, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	args := []any{viewer}
	marks := make([]string, len(ids))
	for i, id := range ids {
		args = append(args, id)
		marks[i] = fmt.Sprintf("$%d", i+2)
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+conversationCols+conversationFrom+` WHERE c.id IN (`+strings.Join(marks, ", ")+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: list conversations: %w", err)
	}
	defer rows.Close()
	byID := make(map[string]desk.Conversation, len(ids))
	now := s.clock.Now()
	for rows.Next() {
		c, err := scanConversation(rows, now)
		if err != nil {
			return nil, fmt.Errorf("store: list conversations: %w", err)
		}
		byID[c.ID] = c
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, id := range ids {
		if c, ok := byID[id]; ok {
			out = append(out, c)
		}
	}
	return out, nil
}
