package store

import (
	"context"
	"fmt"

	"github.com/relevo/relevo/internal/desk"
)

// TeamPatch changes some fields of a team; nil fields stay as they are.
// MemberIDs, when set, replaces the members.
type TeamPatch struct {
	Name         *string
	MemberIDs    *[]string
	Assignment   *desk.AssignmentMode
	ReofferAfter *desk.Seconds
}

// CreateTeam adds a team to a bot with the members in t.MemberIDs.
func (s *Store) CreateTeam(ctx context.Context, team desk.Team) (desk.Team, error) {
	name, err := cleanText("name", team.Name, true, 200)
	if err != nil {
		return desk.Team{}, err
	}
	if err := desk.CheckAssignment(&team.Assignment, team.ReofferAfter); err != nil {
		return desk.Team{}, err
	}
	var out desk.Team
	err = s.tx(ctx, func(t *txn) error {
		if missing, err := t.firstMissing(`SELECT id FROM bots WHERE id IN`, []string{team.BotID}); err != nil {
			return err
		} else if missing != "" {
			return desk.Invalid("bot_id", "no such bot")
		}
		id := s.ids.New()
		if _, err := t.exec(`INSERT INTO teams (id, name, bot_id, assignment, reoffer_after) VALUES ($1, $2, $3, $4, $5)`,
			id, name, team.BotID, string(team.Assignment), int64(team.ReofferAfter)*1000); err != nil {
			return fmt.Errorf("store: create team: %w", err)
		}
		if err := t.setTeamMembers(id, team.MemberIDs); err != nil {
			return err
		}
		out, err = getTeam(ctx, t.tx, id)
		return err
	})
	return out, err
}

// UpdateTeam applies p to a live team.
func (s *Store) UpdateTeam(ctx context.Context, id string, p TeamPatch) (desk.Team, error) {
	var out desk.Team
	err := s.tx(ctx, func(t *txn) error {
		team, err := getTeam(ctx, t.tx, id)
		if err != nil {
			return err
		}
		if p.Name != nil {
			name, err := cleanText("name", *p.Name, true, 200)
			if err != nil {
				return err
			}
			if _, err := t.exec(`UPDATE teams SET name = $2 WHERE id = $1`, id, name); err != nil {
				return fmt.Errorf("store: update team: %w", err)
			}
		}
		if p.MemberIDs != nil {
			if err := t.setTeamMembers(team.ID, *p.MemberIDs); err != nil {
				return err
			}
		}
		if err := t.setTeamAssignment(team, p); err != nil {
			return err
		}
		out, err = getTeam(ctx, t.tx, id)
		return err
	})
	return out, err
}

// teamCols are a team's own columns; reoffer_after is stored in
// milliseconds like every time of the schema.
const teamCols = `id, name, bot_id, assignment, reoffer_after`

// setTeamAssignment applies the assignment fields of p; switching to
// automatic is announced so the drainer serves what already waits.
func (t *txn) setTeamAssignment(team desk.Team, p TeamPatch) error {
	if p.Assignment == nil && p.ReofferAfter == nil {
		return nil
	}
	if p.Assignment != nil {
		team.Assignment = *p.Assignment
	}
	if p.ReofferAfter != nil {
		team.ReofferAfter = *p.ReofferAfter
	}
	if err := desk.CheckAssignment(&team.Assignment, team.ReofferAfter); err != nil {
		return err
	}
	if _, err := t.exec(`UPDATE teams SET assignment = $2, reoffer_after = $3 WHERE id = $1`,
		team.ID, string(team.Assignment), int64(team.ReofferAfter)*1000); err != nil {
		return fmt.Errorf("store: update team: %w", err)
	}
	if team.Assignment == desk.AssignAutomatic {
		t.capacityChanged(team.BotID)
	}
	return nil
}

// GetTeam reads a live team with its members.
func (s *Store) GetTeam(ctx context.Context, id string) (desk.Team, error) {
	return getTeam(ctx, s.r, id)
}

// DeleteTeam soft-deletes a team: the row stays because conversations and
// reports refer to it; its memberships go.
func (s *Store) DeleteTeam(ctx context.Context, id string) error {
	return s.tx(ctx, func(t *txn) error {
		res, err := t.exec(`UPDATE teams SET deleted_at = $2 WHERE id = $1 AND deleted_at IS NULL`, id, ms(t.now))
		if err != nil {
			return fmt.Errorf("store: delete team: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return desk.NotFound("team")
		}
		if _, err := t.exec(`DELETE FROM team_members WHERE team_id = $1`, id); err != nil {
			return fmt.Errorf("store: delete team: %w", err)
		}
		return nil
	})
}

// ListTeams lists live teams by name: all when botIDs is nil, else those
// of botIDs.
func (s *Store) ListTeams(ctx context.Context, botIDs []string) ([]desk.Team, error) {
	q := `SELECT ` + teamCols + ` FROM teams WHERE deleted_at IS NULL`
	if botIDs != nil {
		if len(botIDs) == 0 {
			return []desk.Team{}, nil
		}
		q += ` AND bot_id IN (` + paramList(1, len(botIDs)) + `)`
	}
	return listTeams(ctx, s.r, q+` ORDER BY LOWER(name), name, id`, anyArgs(botIDs)...)
}

func getTeam(ctx context.Context, q querier, id string) (desk.Team, error) {
	list, err := listTeams(ctx, q, `SELECT `+teamCols+` FROM teams WHERE id = $1 AND deleted_at IS NULL`, id)
	if err != nil {
		return desk.Team{}, err
	}
	if len(list) == 0 {
		return desk.Team{}, desk.NotFound("team")
	}
	return list[0], nil
}

func listTeams(ctx context.Context, q querier, query string, args ...any) ([]desk.Team, error) {
	list, err := queryList(ctx, q, "list teams", query, args, func(sc scanner) (team desk.Team, err error) {
		var reoffer int64
		err = sc.Scan(&team.ID, &team.Name, &team.BotID, &team.Assignment, &reoffer)
		team.ReofferAfter = desk.Seconds(reoffer / 1000)
		return team, err
	})
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(list))
	for i, team := range list {
		ids[i] = team.ID
	}
	members, err := loadPairs(ctx, q, `SELECT tm.team_id, tm.user_id FROM team_members tm JOIN users u ON u.id = tm.user_id
		WHERE u.deleted_at IS NULL AND tm.team_id IN (%s) ORDER BY tm.user_id`, ids)
	if err != nil {
		return nil, err
	}
	for i := range list {
		list[i].MemberIDs = orEmpty(members[list[i].ID])
	}
	return list, nil
}

// Memberships. bot_members is the truth for who sees a bot; team_members
// must stay a subset of it: a team member must see the bot's queue to take
// the conversations queued for the team. So joining a team joins its bot,
// and leaving a bot leaves its teams. Inserts ignore existing rows, so two
// admins editing the same memberships at once do not fail on a duplicate.

// setTeamMembers replaces the members of team and makes each of them a
// member of the team's bot.
func (t *txn) setTeamMembers(teamID string, userIDs []string) error {
	userIDs = uniqueIDs(userIDs)
	if missing, err := t.firstMissing(`SELECT id FROM users WHERE deleted_at IS NULL AND id IN`, userIDs); err != nil {
		return err
	} else if missing != "" {
		return desk.Invalid("member_ids", "no such user %q", missing)
	}
	if _, err := t.exec(`DELETE FROM team_members WHERE team_id = $1`, teamID); err != nil {
		return fmt.Errorf("store: team members: %w", err)
	}
	for _, u := range userIDs {
		if err := t.joinTeam(teamID, u); err != nil {
			return err
		}
	}
	return nil
}

// setUserTeams replaces the live teams of user, joining their bots.
func (t *txn) setUserTeams(userID string, teamIDs []string) error {
	teamIDs = uniqueIDs(teamIDs)
	if missing, err := t.firstMissing(`SELECT id FROM teams WHERE deleted_at IS NULL AND id IN`, teamIDs); err != nil {
		return err
	} else if missing != "" {
		return desk.Invalid("team_ids", "no such team %q", missing)
	}
	if _, err := t.exec(`DELETE FROM team_members WHERE user_id = $1`, userID); err != nil {
		return fmt.Errorf("store: user teams: %w", err)
	}
	for _, team := range teamIDs {
		if err := t.joinTeam(team, userID); err != nil {
			return err
		}
	}
	return nil
}

func (t *txn) joinTeam(teamID, userID string) error {
	if _, err := t.exec(`INSERT INTO team_members (team_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, teamID, userID); err != nil {
		return fmt.Errorf("store: join team: %w", err)
	}
	if _, err := t.exec(`INSERT INTO bot_members (bot_id, user_id) SELECT bot_id, $2 FROM teams WHERE id = $1
		ON CONFLICT DO NOTHING`, teamID, userID); err != nil {
		return fmt.Errorf("store: join team's bot: %w", err)
	}
	// A new member may take what waits in the team's (and its bot's)
	// automatic queue now, not at the drainer's next safety pass.
	t.capacityChanged("")
	return nil
}

// setUserBots replaces the bots of user and drops it from the teams of
// the bots it left.
func (t *txn) setUserBots(userID string, botIDs []string) error {
	botIDs = uniqueIDs(botIDs)
	if missing, err := t.firstMissing(`SELECT id FROM bots WHERE id IN`, botIDs); err != nil {
		return err
	} else if missing != "" {
		return desk.Invalid("bot_ids", "no such bot %q", missing)
	}
	if _, err := t.exec(`DELETE FROM bot_members WHERE user_id = $1`, userID); err != nil {
		return fmt.Errorf("store: user bots: %w", err)
	}
	for _, b := range botIDs {
		if _, err := t.exec(`INSERT INTO bot_members (bot_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, b, userID); err != nil {
			return fmt.Errorf("store: user bots: %w", err)
		}
	}
	_, err := t.exec(`DELETE FROM team_members WHERE user_id = $1 AND team_id IN (SELECT id FROM teams
		WHERE bot_id NOT IN (SELECT bot_id FROM bot_members WHERE user_id = $1))`, userID)
	if err != nil {
		return fmt.Errorf("store: user bots: %w", err)
	}
	if len(botIDs) > 0 {
		t.capacityChanged("") // a bot's automatic queue may have a new server
	}
	return nil
}

// setBotMembers replaces the members of bot and drops the users who left
// from the bot's teams.
func (t *txn) setBotMembers(botID string, userIDs []string) error {
	userIDs = uniqueIDs(userIDs)
	if missing, err := t.firstMissing(`SELECT id FROM users WHERE deleted_at IS NULL AND id IN`, userIDs); err != nil {
		return err
	} else if missing != "" {
		return desk.Invalid("member_ids", "no such user %q", missing)
	}
	if _, err := t.exec(`DELETE FROM bot_members WHERE bot_id = $1`, botID); err != nil {
		return fmt.Errorf("store: bot members: %w", err)
	}
	for _, u := range userIDs {
		if _, err := t.exec(`INSERT INTO bot_members (bot_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, botID, u); err != nil {
			return fmt.Errorf("store: bot members: %w", err)
		}
	}
	_, err := t.exec(`DELETE FROM team_members WHERE team_id IN (SELECT id FROM teams WHERE bot_id = $1)
		AND user_id NOT IN (SELECT user_id FROM bot_members WHERE bot_id = $1)`, botID)
	if err != nil {
		return fmt.Errorf("store: bot members: %w", err)
	}
	if len(userIDs) > 0 {
		t.capacityChanged(botID) // the bot's automatic queue may have a new server
	}
	return nil
}
