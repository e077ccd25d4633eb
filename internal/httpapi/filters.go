package httpapi

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
)

// list splits a comma-separated query parameter, dropping empties.
func list(r *http.Request, name string) []string {
	var out []string
	for _, v := range r.URL.Query()[name] {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// conversationFilter reads API.md's list filters.
func conversationFilter(r *http.Request) (store.ConversationFilter, error) {
	q := r.URL.Query()
	lq, err := parseListQuery(r)
	if err != nil {
		return store.ConversationFilter{}, err
	}
	f := store.ConversationFilter{
		TeamIDs: list(r, "team"), ChannelIDs: list(r, "channel"), BotIDs: list(r, "bot"), TagIDs: list(r, "tag"),
		Contact: strings.TrimSpace(q.Get("contact")), ContactID: q.Get("contact_id"), Protocol: strings.TrimSpace(q.Get("protocol")),
		Query: strings.TrimSpace(q.Get("q")), Limit: lq.Limit, Cursor: lq.Cursor, Sort: store.SortUpdated,
	}
	if len(f.Query) > 200 {
		return f, desk.Invalid("q", "at most 200 characters")
	}
	for _, p := range list(r, "phase") {
		if p == "all" {
			f.AllPhases = true
			continue
		}
		if !desk.Phase(p).Valid() {
			return f, desk.Invalid("phase", "one of bot, waiting, human, closed, all")
		}
		f.Phases = append(f.Phases, desk.Phase(p))
	}
	for _, a := range list(r, "assignee") {
		if a == "me" {
			u := actorOf(r).User
			if u == nil {
				return f, desk.Invalid("assignee", "me needs a logged-in user")
			}
			a = u.ID
		}
		f.AssigneeIDs = append(f.AssigneeIDs, a)
	}
	switch q.Get("sort") {
	case "", store.SortUpdated:
	case store.SortWaiting:
		f.Sort = store.SortWaiting
	default:
		return f, desk.Invalid("sort", "waiting or updated")
	}
	if v := q.Get("unread"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return f, desk.Invalid("unread", "true or false")
		}
		f.Unread = &b
	}
	if f.From, err = parseTimeParam(r, "from"); err != nil {
		return f, err
	}
	if f.To, err = parseTimeParam(r, "to"); err != nil {
		return f, err
	}
	if f.UpdatedAfter, err = parseTimeParam(r, "updated_after"); err != nil {
		return f, err
	}
	return f, nil
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
