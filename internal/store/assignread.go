package store

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/relevo/relevo/internal/desk"
)

// An assign reads the conversation and the user it goes to in one
// statement: both ids are known before anything is read, and on PostgreSQL
// each statement is a round trip (docs/PERFORMANCE.md, "PostgreSQL with
// fsync on: round trips cut again"). On SQLite the text is fixed, so it
// runs prepared through the writer's statement cache.

// assignReadSQL is the conversation as convByID reads it ($1 viewer, $2
// id), with the live user $3 and their memberships (userSelect) beside it:
// NULLs when there is no such user.
func assignReadSQL() string {
	return `SELECT ` + conversationCols + `, ` + tagsCol + `, u.*` + conversationFrom +
		` LEFT JOIN (` + userSelect("$3") + `) u ON 1 = 1 WHERE c.id = $2`
}

// assignee is the user an assign goes to, as read with the conversation;
// found is false when no live user has the id.
type assignee struct {
	id    string
	found bool
	user  desk.User
}

// conversationAndAssignee reads conversation id and user userID inside t,
// in one statement.
func (t *txn) conversationAndAssignee(id, userID string) (desk.Conversation, *assignee, error) {
	var tags sql.NullString
	var u userRow
	row := t.tx.queryRowPrepared(t.ctx, t.s.assignSQL, "", id, userID)
	c, err := scanConversation(withUser{row, append([]any{&tags}, u.dest()...)}, t.s.clock.Now())
	if errors.Is(err, sql.ErrNoRows) {
		return c, nil, desk.NotFound("conversation")
	}
	if err != nil {
		return c, nil, fmt.Errorf("store: get conversation and user: %w", err)
	}
	if tags.String != "" {
		c.Tags = strings.Split(tags.String, ",")
	}
	a := &assignee{id: userID, found: u.id.Valid}
	if a.found {
		a.user = u.user()
	}
	return c, a, nil
}

// withUser scans the conversation's columns, then more.
type withUser struct {
	row  *sql.Row
	more []any
}

func (w withUser) Scan(dest ...any) error { return w.row.Scan(append(dest, w.more...)...) }

// target gives the assign's user: the one read with the conversation when
// it is the one, else read now.
func (t *txn) target(pre *assignee, id string) (desk.User, error) {
	if pre == nil || pre.id != id {
		return t.loadUser(id)
	}
	if !pre.found {
		return desk.User{}, desk.NotFound("user")
	}
	return pre.user, nil
}
