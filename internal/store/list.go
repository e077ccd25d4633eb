package store

import (
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/relevo/relevo/internal/desk"
)

// Sorts of the conversation list.
const (
	// SortWaiting puts conversations with unread (or marked unread)
	// customer messages first, the oldest unread message first.
	SortWaiting = "waiting"
	// SortUpdated puts the latest exchange first.
	SortUpdated = "updated"
)

// ConversationFilter selects and orders conversations. Empty fields do not
// filter; list fields match any of their values.
type ConversationFilter struct {
	Phases      []desk.Phase // empty: every open phase
	AllPhases   bool
	AssigneeIDs []string // user ids; "none" matches unassigned
	TeamIDs     []string
	ChannelIDs  []string
	BotIDs      []string
	TagIDs      []string
	Contact     string // exact name or phone
	ContactID   string
	// ContactHistory lists the contact's whole history (ContactID set) to
	// anyone who may see its bot: the contact panel's view. Only that
	// handler sets it; the main list stays scoped.
	ContactHistory bool
	Protocol       string
	Query          string // full-text over messages and contact name/phone (search.go)
	Unread         *bool
	From, To       *time.Time // created between
	UpdatedAfter   *time.Time
	Sort           string
	Limit          int
	Cursor         string
}

// ListConversations returns one page of the conversations actor may see.
func (s *Store) ListConversations(ctx context.Context, actor desk.Actor, f ConversationFilter) ([]desk.Conversation, string, error) {
	offset, after, err := decodeCursor(f.Cursor)
	if err != nil {
		return nil, "", err
	}
	// The updated order pages by its key, not by an offset: page k costs
	// what page 1 costs (a CSV of 100k rows walks 500 pages), and a row
	// that moves meanwhile is never read twice (one that moves above the
	// cursor is the next walk's).
	keyed := f.Sort != SortWaiting && f.Unread == nil
	if after != nil && !keyed {
		return nil, "", desk.Invalid("cursor", "not a cursor of this order")
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	w := &where{}
	w.arg(viewerOf(actor)) // $1: read state is the viewer's
	if err := s.scope(w, actor, f.ContactHistory && f.ContactID != ""); err != nil {
		return nil, "", err
	}
	s.filter(w, f)
	if f.Query != "" {
		if err := s.search(ctx, w, f.Query); err != nil {
			return nil, "", err
		}
	}
	if keyed && after != nil {
		at := w.arg(after.at)
		w.add("(c.last_message_at < " + at + " OR (c.last_message_at = " + at + " AND c.id < " + w.arg(after.id) + "))")
		offset = 0
	}
	// listPage (below) picks the page's ids in index order first and
	// reads only those rows in full: fast at 100k conversations.
	out, err := s.listPage(ctx, w, f, offset)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(out) > f.Limit {
		out = out[:f.Limit]
		if last := out[len(out)-1]; keyed {
			next = encodeKeyCursor(ms(last.LastMessageAt), last.ID)
		} else {
			next = encodeCursor(offset + f.Limit)
		}
	}
	ptrs := make([]*desk.Conversation, len(out))
	for i := range out {
		ptrs[i] = &out[i]
	}
	return out, next, s.loadTags(ctx, s.r, ptrs)
}

// scope restricts w to what actor may see: bot membership for everyone but
// admins; for agents, the queue plus their own conversations, except in a
// contact's history, which the contact panel shows whole (protocols and
// dates; opening one is still scoped).
func (s *Store) scope(w *where, actor desk.Actor, history bool) error {
	switch {
	case actor.System:
	case actor.User == nil:
		if actor.BotID != "" {
			w.add("c.bot_id = " + w.arg(actor.BotID))
		}
	case actor.User.Role == desk.RoleAdmin:
	default:
		if len(actor.User.BotIDs) == 0 {
			w.add("1 = 0")
			return nil
		}
		// noIndex: see its comment below.
		w.add(s.noIndex("c.bot_id") + " IN (" + w.in(actor.User.BotIDs) + ")")
		if !actor.User.Role.SeesAll() && !history {
			w.add("(" + s.noIndex("c.phase") + " = 'waiting' OR c.assignee_id = " + w.arg(actor.User.ID) + ")")
		}
	}
	return nil
}

func (s *Store) filter(w *where, f ConversationFilter) {
	switch {
	case f.AllPhases:
	case len(f.Phases) == 0:
		w.add("c.phase <> 'closed'")
	default:
		ps := make([]string, len(f.Phases))
		for i, p := range f.Phases {
			ps[i] = string(p)
		}
		w.add(s.noIndex("c.phase") + " IN (" + w.in(ps) + ")")
		if openOnly(f) {
			// Redundant, and what lets the open-only indexes serve
			// (migration 0005).
			w.add("c.phase <> 'closed'")
		}
	}
	if len(f.AssigneeIDs) > 0 {
		ids, none := withoutNone(f.AssigneeIDs)
		cond := "c.assignee_id IN (" + w.in(ids) + ")"
		if len(ids) == 0 {
			cond = "1 = 0"
		}
		if none {
			cond = "(" + cond + " OR c.assignee_id IS NULL)"
		}
		w.add(cond)
	}
	for _, l := range []struct {
		col  string
		vals []string
	}{{"c.team_id", f.TeamIDs}, {"c.channel_id", f.ChannelIDs}, {"c.bot_id", f.BotIDs}} {
		if len(l.vals) > 0 {
			w.add(s.noIndex(l.col) + " IN (" + w.in(l.vals) + ")")
		}
	}
	if len(f.TagIDs) > 0 {
		w.add("EXISTS (SELECT 1 FROM conversation_tags t WHERE t.conversation_id = c.id AND t.tag_id IN (" + w.in(f.TagIDs) + "))")
	}
	if f.Contact != "" {
		p := w.arg(f.Contact)
		w.add("(ct.name = " + p + " OR ct.phone = " + p + ")")
	}
	if f.ContactID != "" {
		w.add("c.contact_id = " + w.arg(f.ContactID))
	}
	if f.Protocol != "" {
		w.add("c.protocol = " + w.arg(f.Protocol))
	}
	if f.From != nil {
		w.add("c.created_at >= " + w.arg(ms(*f.From)))
	}
	if f.To != nil {
		w.add("c.created_at < " + w.arg(ms(*f.To)))
	}
	if f.UpdatedAfter != nil {
		w.add("c.updated_at > " + w.arg(ms(*f.UpdatedAfter)))
	}
}

// openOnly reports whether f lists no closed conversation.
func openOnly(f ConversationFilter) bool {
	return !f.AllPhases && !slices.Contains(f.Phases, desk.PhaseClosed)
}

func withoutNone(ids []string) ([]string, bool) {
	out := ids[:0:0]
	none := false
	for _, id := range ids {
		if id == "none" {
			none = true
		} else {
			out = append(out, id)
		}
	}
	return out, none
}

func encodeCursor(offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("o" + strconv.Itoa(offset)))
}

// keyCursor is where a page of the updated order ends: the last row's
// last_message_at (ms) and id.
type keyCursor struct {
	at int64
	id string
}

func encodeKeyCursor(at int64, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte("k" + strconv.FormatInt(at, 10) + ":" + id))
}

// decodeCursor reads an offset cursor ("o…") or a key cursor ("k…"); an
// offset cursor still works in the updated order (cursors given before).
func decodeCursor(c string) (int, *keyCursor, error) {
	bad := desk.Invalid("cursor", "not a cursor this server gave")
	if c == "" {
		return 0, nil, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || len(b) < 2 || (b[0] != 'o' && b[0] != 'k') {
		return 0, nil, bad
	}
	if b[0] == 'k' {
		at, id, ok := strings.Cut(string(b[1:]), ":")
		n, err := strconv.ParseInt(at, 10, 64)
		if !ok || err != nil || n < 0 || id == "" || len(id) > 64 {
			return 0, nil, bad
		}
		return 0, &keyCursor{at: n, id: id}, nil
	}
	n, err := strconv.Atoi(string(b[1:]))
	if err != nil || n < 0 || n > 1_000_000 {
		return 0, nil, bad
	}
	return n, nil, nil
}

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
		// A list of open conversations seeks past the read marks of
		// closed ones in reads_unread (migration 0024) instead of looking
		// each one up to drop it.
		openReads := ""
		if openOnly(f) {
			openReads = ` AND r.closed = 0`
		}
		opened := `SELECT c.id, COALESCE(r.unread_since, c.last_message_at) AS k1, ` + key2 + ` AS k2
			FROM reads r JOIN conversations c ON c.id = r.conversation_id` + joinContacts + `
			WHERE r.user_id = $1` + openReads + ` AND (r.unread_since IS NOT NULL OR r.marked_unread = 1) AND ` + cond + `
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
	if s.listTrace != nil {
		s.listTrace(q, args)
	}
	rows, err := s.reads.QueryContext(ctx, q, args...)
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
	rows, err := s.reads.QueryContext(ctx, `SELECT `+conversationCols+conversationFrom+` WHERE c.id IN (`+strings.Join(marks, ", ")+`)`, args...)
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
