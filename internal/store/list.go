package store

import (
	"context"
	"encoding/base64"
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
	Query          string // full-text over messages and contact name/phone
	Unread         *bool
	From, To       *time.Time // created between
	UpdatedAfter   *time.Time
	Sort           string
	Limit          int
	Cursor         string
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
	if err := s.scope(w, actor, f.ContactHistory && f.ContactID != ""); err != nil {
		return nil, "", err
	}
	s.filter(w, f)
	// listPage (list_page.go) picks the page's ids in index order first and
	// reads only those rows in full: fast at 100k conversations.
	out, err := s.listPage(ctx, w, f, offset)
	if err != nil {
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
		// noIndex: see list_page.go.
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
		closed := false
		for i, p := range f.Phases {
			ps[i] = string(p)
			closed = closed || p == desk.PhaseClosed
		}
		w.add(s.noIndex("c.phase") + " IN (" + w.in(ps) + ")")
		if !closed {
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
	if f.Query != "" {
		fq := s.d.ftsQuery(f.Query)
		proto := w.arg(f.Query)
		cond := "c.protocol = " + proto
		if fq != "" {
			p := w.arg(fq)
			// One list of matching ids, built once: as an OR of three
			// conditions SQLite ran each search twice (docs/PERFORMANCE.md).
			cond = "c.id IN (" + s.d.messageSearch(p) + " UNION SELECT cs.id FROM conversations cs WHERE cs.contact_id IN (" +
				s.d.contactSearch(p) + ") UNION SELECT cp.id FROM conversations cp WHERE cp.protocol = " + proto + ")"
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
