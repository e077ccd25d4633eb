package store

import (
	"context"
	"encoding/base64"
	"fmt"
	"strconv"
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
	Phases       []desk.Phase // empty: every open phase
	AllPhases    bool
	AssigneeIDs  []string // user ids; "none" matches unassigned
	TeamIDs      []string
	ChannelIDs   []string
	BotIDs       []string
	TagIDs       []string
	Contact      string // exact name or phone
	ContactID    string
	Protocol     string
	Query        string // full-text over messages and contact name/phone
	Unread       *bool
	From, To     *time.Time // created between
	UpdatedAfter *time.Time
	Sort         string
	Limit        int
	Cursor       string
}

// ListConversations returns one page of the conversations actor may see.
func (s *Store) ListConversations(ctx context.Context, actor desk.Actor, f ConversationFilter) ([]desk.Conversation, string, error) {
	offset, err := decodeCursor(f.Cursor)
	if err != nil {
		return nil, "", err
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	w := &where{}
	w.arg(viewerOf(actor)) // $1: read state is the viewer's
	if err := s.scope(w, actor, f.ContactID != ""); err != nil {
		return nil, "", err
	}
	s.filter(w, f)
	order := ` ORDER BY c.last_message_at DESC, c.id DESC`
	if f.Sort == SortWaiting {
		order = ` ORDER BY CASE WHEN unread > 0 OR marked > 0 THEN 0 ELSE 1 END,
			COALESCE(oldest_unread, CASE WHEN marked > 0 THEN c.last_message_at END) ASC,
			COALESCE(c.waiting_since, c.last_message_at) ASC, c.id`
	}
	// The derived columns are computed once per row in a subquery so the
	// ORDER BY and the unread filter can use them by name on both databases.
	q := `SELECT * FROM (SELECT ` + conversationCols + ` AS unread, COALESCE(r.marked_unread, 0) AS marked,
		(SELECT MIN(m.created_at) FROM messages m WHERE m.conversation_id = c.id AND m.author_type = 'contact'
			AND m.seq > COALESCE(r.last_read_seq, 0)) AS oldest_unread` + conversationFrom + w.sql() + `) AS c`
	if f.Unread != nil {
		if *f.Unread {
			q += ` WHERE (c.unread > 0 OR c.marked > 0)`
		} else {
			q += ` WHERE c.unread = 0 AND c.marked = 0`
		}
	}
	q += order
	q += fmt.Sprintf(` LIMIT %d OFFSET %d`, f.Limit+1, offset)
	rows, err := s.r.QueryContext(ctx, q, w.args...)
	if err != nil {
		return nil, "", fmt.Errorf("store: list conversations: %w", err)
	}
	defer rows.Close()
	out := []desk.Conversation{}
	now := s.clock.Now()
	for rows.Next() {
		var marked int
		var oldest any
		c, err := scanConversation(extra{rows, []any{&marked, &oldest}}, now)
		if err != nil {
			return nil, "", fmt.Errorf("store: list conversations: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	next := ""
	if len(out) > f.Limit {
		out = out[:f.Limit]
		next = encodeCursor(offset + f.Limit)
	}
	ptrs := make([]*desk.Conversation, len(out))
	for i := range out {
		ptrs[i] = &out[i]
	}
	return out, next, s.loadTags(ctx, s.r, ptrs)
}

// extra scans a row's leading conversation columns and then more.
type extra struct {
	sc   scanner
	more []any
}

func (e extra) Scan(dest ...any) error { return e.sc.Scan(append(dest, e.more...)...) }

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
		w.add("c.bot_id IN (" + w.in(actor.User.BotIDs) + ")")
		if !actor.User.Role.SeesAll() && !history {
			w.add("(c.phase = 'waiting' OR c.assignee_id = " + w.arg(actor.User.ID) + ")")
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
		w.add("c.phase IN (" + w.in(ps) + ")")
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
			w.add(l.col + " IN (" + w.in(l.vals) + ")")
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
	if f.Query != "" {
		fq := s.d.ftsQuery(f.Query)
		cond := "c.protocol = " + w.arg(f.Query)
		if fq != "" {
			p := w.arg(fq)
			cond = "(" + cond + " OR c.id IN (" + s.d.messageSearch(p) + ") OR c.contact_id IN (" + s.d.contactSearch(p) + "))"
		}
		w.add(cond)
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

func decodeCursor(c string) (int, error) {
	if c == "" {
		return 0, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || len(b) < 2 || b[0] != 'o' {
		return 0, desk.Invalid("cursor", "not a cursor this server gave")
	}
	n, err := strconv.Atoi(string(b[1:]))
	if err != nil || n < 0 || n > 1_000_000 {
		return 0, desk.Invalid("cursor", "not a cursor this server gave")
	}
	return n, nil
}
