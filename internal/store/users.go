package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/relevo/relevo/internal/desk"
)

// UserPatch changes some fields of a user; nil fields stay as they are.
// BotIDs and TeamIDs, when set, replace the user's memberships.
type UserPatch struct {
	Name, Email  *string
	Role         *desk.Role
	MaxChats     *int
	BotIDs       *[]string
	TeamIDs      *[]string
	PasswordHash *string
	// KeepSession is the token hash of the one session a new password
	// leaves open: the caller's own, when they change their own password.
	// Every other session of the user ends with the change.
	KeepSession string
}

const userCols = `id, name, email, role, status, pause_reason, COALESCE(status_since, created_at), max_chats, created_at`

// CreateUser adds a console user, offline, with the memberships in
// u.BotIDs and u.TeamIDs (a team also makes the user a member of its bot).
func (s *Store) CreateUser(ctx context.Context, u desk.User, passwordHash string) (desk.User, error) {
	if err := checkUser(&u); err != nil {
		return desk.User{}, err
	}
	var out desk.User
	err := s.tx(ctx, func(t *txn) (err error) {
		out, err = t.insertUser(ctx, u, passwordHash)
		return err
	})
	return out, err
}

// CreateFirstAdmin creates u as an admin only while no admin exists
// (desk.CheckFirstAdmin): the browser's setup page and RELEVO_ADMIN_EMAIL
// both come here. Every first-admin attempt first writes the same
// counters row, which serialises them (a row lock on PostgreSQL, the
// single writer on SQLite), so the admins counted after it include any
// admin a concurrent attempt committed: of two racing, one wins and the
// other gets setup_done.
func (s *Store) CreateFirstAdmin(ctx context.Context, u desk.User, passwordHash string) (desk.User, error) {
	u.Role = desk.RoleAdmin
	if err := checkUser(&u); err != nil {
		return desk.User{}, err
	}
	var out desk.User
	err := s.tx(ctx, func(t *txn) error {
		if _, err := t.exec(`INSERT INTO counters (name, value) VALUES ('first_admin', 1)
			ON CONFLICT (name) DO UPDATE SET value = counters.value + 1`); err != nil {
			return fmt.Errorf("store: first admin slot: %w", err)
		}
		var n int
		if err := t.queryRow(`SELECT COUNT(*) FROM users WHERE role = 'admin' AND deleted_at IS NULL`).Scan(&n); err != nil {
			return fmt.Errorf("store: count admins: %w", err)
		}
		if err := desk.CheckFirstAdmin(n); err != nil {
			return err
		}
		var err error
		out, err = t.insertUser(ctx, u, passwordHash)
		return err
	})
	return out, err
}

// insertUser writes a checked user and its memberships.
func (t *txn) insertUser(ctx context.Context, u desk.User, passwordHash string) (desk.User, error) {
	id := t.s.ids.New()
	_, err := t.exec(`INSERT INTO users (id, name, email, role, status, pause_reason, max_chats, password_hash, created_at, status_since)
		VALUES ($1, $2, $3, $4, $5, '', $6, $7, $8, $8)`,
		id, u.Name, u.Email, string(u.Role), string(desk.StatusOffline), u.MaxChats, passwordHash, ms(t.now))
	if t.s.d.isUnique(err) {
		return desk.User{}, emailTaken(u.Email)
	}
	if err != nil {
		return desk.User{}, fmt.Errorf("store: create user: %w", err)
	}
	if err := t.setUserBots(id, u.BotIDs); err != nil {
		return desk.User{}, err
	}
	if err := t.setUserTeams(id, u.TeamIDs); err != nil {
		return desk.User{}, err
	}
	return getUser(ctx, t.tx, id)
}

// UpdateUser applies p to a live user.
func (s *Store) UpdateUser(ctx context.Context, id string, p UserPatch) (desk.User, error) {
	var out desk.User
	err := s.tx(ctx, func(t *txn) error {
		u, err := getUser(ctx, t.tx, id)
		if err != nil {
			return err
		}
		before := u
		if p.Name != nil {
			u.Name = *p.Name
		}
		if p.Email != nil {
			u.Email = *p.Email
		}
		if p.Role != nil {
			u.Role = *p.Role
		}
		if p.MaxChats != nil {
			u.MaxChats = *p.MaxChats
		}
		if err := checkUser(&u); err != nil {
			return err
		}
		if err := t.keepAnAdmin(before, u.Role); err != nil {
			return err
		}
		_, err = t.exec(`UPDATE users SET name = $2, email = $3, role = $4, max_chats = $5 WHERE id = $1`,
			id, u.Name, u.Email, string(u.Role), u.MaxChats)
		if s.d.isUnique(err) {
			return emailTaken(u.Email)
		}
		if err != nil {
			return fmt.Errorf("store: update user: %w", err)
		}
		if u.MaxChats > before.MaxChats {
			t.capacityChanged("") // the drainer may give them more now
		}
		if p.PasswordHash != nil {
			if err := t.resetPassword(id, *p.PasswordHash, p.KeepSession); err != nil {
				return err
			}
		}
		if p.BotIDs != nil {
			if err := t.setUserBots(id, *p.BotIDs); err != nil {
				return err
			}
		}
		if p.TeamIDs != nil {
			if err := t.setUserTeams(id, *p.TeamIDs); err != nil {
				return err
			}
		}
		out, err = getUser(ctx, t.tx, id)
		return err
	})
	return out, err
}

// resetPassword sets a new password and, in the same transaction, ends
// the user's sessions but keep: whoever knew the old password is out the
// moment the new one counts. Their sockets close (ChangeUserLoggedOut)
// unless the user keeps a session, whose sockets must stay.
func (t *txn) resetPassword(id, hash, keep string) error {
	if _, err := t.exec(`UPDATE users SET password_hash = $2 WHERE id = $1`, id, hash); err != nil {
		return fmt.Errorf("store: update password: %w", err)
	}
	if _, err := t.exec(`DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2`, id, keep); err != nil {
		return fmt.Errorf("store: end sessions: %w", err)
	}
	if keep == "" {
		t.changes = append(t.changes, desk.Change{Type: desk.ChangeUserLoggedOut, UserID: id})
	}
	return nil
}

// GetUser reads a live user with its memberships; deleted users are not
// found.
func (s *Store) GetUser(ctx context.Context, id string) (desk.User, error) {
	return getUser(ctx, s.r, id)
}

// ListUsers lists live users by name: all of them when botIDs is nil,
// otherwise the members of any of botIDs plus every admin (admins belong
// to every bot).
func (s *Store) ListUsers(ctx context.Context, botIDs []string) ([]desk.User, error) {
	q := `SELECT ` + userCols + ` FROM users WHERE deleted_at IS NULL`
	var args []any
	if botIDs != nil {
		q += ` AND (role = 'admin'`
		if len(botIDs) > 0 {
			q += ` OR id IN (SELECT user_id FROM bot_members WHERE bot_id IN (` + paramList(1, len(botIDs)) + `))`
			args = anyArgs(botIDs)
		}
		q += `)`
	}
	return listUsers(ctx, s.r, q+` ORDER BY LOWER(name), name, id`, args...)
}

// DeleteUser soft-deletes a user: the row stays for history (authors,
// reports), its memberships and sessions go. A user still holding
// conversations with customers is refused, so nobody is left waiting on a
// deleted agent.
func (s *Store) DeleteUser(ctx context.Context, id string) error {
	return s.tx(ctx, func(t *txn) error {
		u, err := getUser(ctx, t.tx, id)
		if err != nil {
			return err
		}
		if err := t.keepAnAdmin(u, ""); err != nil {
			return err
		}
		var open int
		if err := t.queryRow(`SELECT COUNT(*) FROM conversations WHERE assignee_id = $1 AND phase = $2`,
			id, string(desk.PhaseHuman)).Scan(&open); err != nil {
			return fmt.Errorf("store: delete user: %w", err)
		}
		if open > 0 {
			return desk.Errorf(desk.CodeAgentHasOpenSessions, "the user still has %d open conversations", open).
				WithDetail("open", open)
		}
		if _, err := t.exec(`UPDATE users SET deleted_at = $2, status = 'offline', status_since = $2 WHERE id = $1`, id, ms(t.now)); err != nil {
			return fmt.Errorf("store: delete user: %w", err)
		}
		for _, q := range []string{
			`DELETE FROM bot_members WHERE user_id = $1`,
			`DELETE FROM team_members WHERE user_id = $1`,
			`DELETE FROM sessions WHERE user_id = $1`,
		} {
			if _, err := t.exec(q, id); err != nil {
				return fmt.Errorf("store: delete user: %w", err)
			}
		}
		// Its open sockets must close too.
		t.changes = append(t.changes, desk.Change{Type: desk.ChangeUserLoggedOut, UserID: id})
		return nil
	})
}

// UserByEmail finds a live user and its password hash by email, ignoring
// case and surrounding spaces.
func (s *Store) UserByEmail(ctx context.Context, email string) (desk.User, string, error) {
	var id, hash string
	err := s.r.QueryRowContext(ctx, `SELECT id, password_hash FROM users WHERE email = $1 AND deleted_at IS NULL`,
		normEmail(email)).Scan(&id, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return desk.User{}, "", desk.NotFound("user")
	}
	if err != nil {
		return desk.User{}, "", fmt.Errorf("store: user by email: %w", err)
	}
	u, err := getUser(ctx, s.r, id)
	return u, hash, err
}

// keepAnAdmin applies desk.CheckKeepsAnAdmin to u losing the admin role
// (newRole "" for a deletion) inside the writing transaction. The live
// admins' rows are locked while they are counted (FOR UPDATE on
// PostgreSQL; SQLite's single writer serialises), so of two admins
// demoting or deleting each other at once, the second counts after the
// first has committed and is refused.
func (t *txn) keepAnAdmin(u desk.User, newRole desk.Role) error {
	if u.Role != desk.RoleAdmin || newRole == desk.RoleAdmin {
		return nil
	}
	rows, err := t.query(`SELECT id FROM users WHERE role = 'admin' AND deleted_at IS NULL` + t.s.d.forUpdate())
	if err != nil {
		return fmt.Errorf("store: lock admins: %w", err)
	}
	ids, err := collectIDs(rows)
	if err != nil {
		return fmt.Errorf("store: lock admins: %w", err)
	}
	return desk.CheckKeepsAnAdmin(u, newRole, len(ids))
}

// CountAdmins counts live admins (the last one must not be removed).
func (s *Store) CountAdmins(ctx context.Context) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE role = 'admin' AND deleted_at IS NULL`).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: count admins: %w", err)
	}
	return n, nil
}

// checkUser validates u's own fields and normalises name and email.
func checkUser(u *desk.User) error {
	name, err := cleanText("name", u.Name, true, 200)
	if err != nil {
		return err
	}
	u.Name, u.Email = name, normEmail(u.Email)
	if !strings.Contains(u.Email, "@") || len(u.Email) > 254 {
		return desk.Invalid("email", "must be an email address")
	}
	if !u.Role.Valid() {
		return desk.Invalid("role", "must be admin, supervisor, agent or auditor")
	}
	if u.MaxChats < 0 || u.MaxChats > 100 {
		return desk.Invalid("max_chats", "must be between 0 and 100")
	}
	return nil
}

func normEmail(e string) string { return strings.ToLower(strings.TrimSpace(e)) }

func emailTaken(email string) error {
	return desk.Errorf(desk.CodeConflict, "a user with email %s already exists", email).WithDetail("field", "email")
}

// getUser reads one live user with its memberships through q, in one
// statement (one round trip on PostgreSQL, not three): the memberships as
// ordered lists, as listUsers loads them. string_agg with ORDER BY is in
// both dialects (SQLite since 3.44); ids have no commas.
func getUser(ctx context.Context, q querier, id string) (desk.User, error) {
	var u userRow
	err := q.QueryRowContext(ctx, userSelect("$1"), id).Scan(u.dest()...)
	if errors.Is(err, sql.ErrNoRows) {
		return desk.User{}, desk.NotFound("user")
	}
	if err != nil {
		return desk.User{}, fmt.Errorf("store: get user: %w", err)
	}
	return u.user(), nil
}

// userSelect reads the live user whose id is param with its memberships;
// the assign's read joins it to the conversation's (assignread.go).
func userSelect(param string) string {
	return `SELECT ` + userCols + `,
		(SELECT string_agg(bot_id, ',' ORDER BY bot_id) FROM bot_members WHERE user_id = users.id) AS bots,
		(SELECT string_agg(tm.team_id, ',' ORDER BY tm.team_id) FROM team_members tm JOIN teams t ON t.id = tm.team_id
			WHERE t.deleted_at IS NULL AND tm.user_id = users.id) AS teams
		FROM users WHERE id = ` + param + ` AND deleted_at IS NULL`
}

// userRow scans userSelect's columns; an absent user (a LEFT JOIN's
// NULLs) has no valid id.
type userRow struct {
	id, name, email, role, status, pause sql.NullString
	since, created, maxChats             sql.NullInt64
	bots, teams                          sql.NullString
}

func (r *userRow) dest() []any {
	return []any{&r.id, &r.name, &r.email, &r.role, &r.status, &r.pause, &r.since, &r.maxChats, &r.created, &r.bots, &r.teams}
}

func (r *userRow) user() desk.User {
	return desk.User{ID: r.id.String, Name: r.name.String, Email: r.email.String, Role: desk.Role(r.role.String),
		Status: desk.UserStatus(r.status.String), PauseReason: r.pause.String, MaxChats: int(r.maxChats.Int64),
		CreatedAt: fromMS(r.created.Int64), StatusSince: fromMS(r.since.Int64),
		BotIDs: splitList(r.bots), TeamIDs: splitList(r.teams)}
}

// splitList reads a string_agg list ("" or NULL: empty).
func splitList(v sql.NullString) []string {
	if v.String == "" {
		return []string{}
	}
	return strings.Split(v.String, ",")
}

// listUsers runs a query selecting userCols and fills in memberships.
func listUsers(ctx context.Context, q querier, query string, args ...any) ([]desk.User, error) {
	list, err := queryList(ctx, q, "list users", query, args, func(sc scanner) (u desk.User, err error) {
		var created, since int64
		err = sc.Scan(&u.ID, &u.Name, &u.Email, &u.Role, &u.Status, &u.PauseReason, &since, &u.MaxChats, &created)
		u.CreatedAt, u.StatusSince = fromMS(created), fromMS(since)
		return u, err
	})
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(list))
	for i, u := range list {
		ids[i] = u.ID
	}
	bots, err := loadPairs(ctx, q, `SELECT user_id, bot_id FROM bot_members WHERE user_id IN (%s) ORDER BY bot_id`, ids)
	if err != nil {
		return nil, err
	}
	teams, err := loadPairs(ctx, q, `SELECT tm.user_id, tm.team_id FROM team_members tm JOIN teams t ON t.id = tm.team_id
		WHERE t.deleted_at IS NULL AND tm.user_id IN (%s) ORDER BY tm.team_id`, ids)
	if err != nil {
		return nil, err
	}
	for i := range list {
		list[i].BotIDs, list[i].TeamIDs = orEmpty(bots[list[i].ID]), orEmpty(teams[list[i].ID])
	}
	return list, nil
}
