package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/relevo/relevo/internal/desk"
)

// Canned replies: a bot's (managed by its supervisors and admins) and
// each user's personal ones. Who may see and write is desk's
// (CanSeeCanned, CheckWriteCanned); this file persists what it allows.

const cannedCols = `id, bot_id, owner_id, shortcut, text, created_at, updated_at, attachments`

// CannedPatch is a change to a canned reply; nil fields stay.
type CannedPatch struct {
	Shortcut *string
	Text     *string
	// AttachmentIDs replaces the reply's files (uploads); empty removes them.
	AttachmentIDs *[]string
}

// CreateCanned saves a reply for c.BotID, or, without one, a personal
// reply of the actor. c.Attachments name uploads by ID; the rest of each
// is read from the upload. Whether the actor may attach them is the
// caller's check (as for messages).
func (s *Store) CreateCanned(ctx context.Context, a desk.Actor, c desk.CannedReply) (desk.CannedReply, error) {
	if a.User == nil {
		return desk.CannedReply{}, desk.Errorf(desk.CodeForbidden, "canned replies belong to users")
	}
	if c.BotID == nil {
		c.OwnerID = &a.User.ID
	} else {
		c.OwnerID = nil
		if !a.CanSeeBot(*c.BotID) {
			return desk.CannedReply{}, desk.NotFound("bot")
		}
	}
	if err := checkCanned(&c); err != nil {
		return desk.CannedReply{}, err
	}
	if err := desk.CheckWriteCanned(a, c); err != nil {
		return desk.CannedReply{}, err
	}
	c.ID = s.ids.New()
	err := s.tx(ctx, func(t *txn) error {
		if c.BotID != nil {
			var id string
			err := t.queryRow(`SELECT id FROM bots WHERE id = $1`, *c.BotID).Scan(&id)
			if errors.Is(err, sql.ErrNoRows) {
				return desk.NotFound("bot")
			} else if err != nil {
				return fmt.Errorf("store: canned reply's bot: %w", err)
			}
		}
		atts, err := t.cannedAttachments(c.Attachments)
		if err != nil {
			return err
		}
		c.Attachments = atts
		c.CreatedAt, c.UpdatedAt = t.now, t.now
		_, err = t.exec(`INSERT INTO canned_replies (`+cannedCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
			c.ID, c.BotID, c.OwnerID, c.Shortcut, c.Text, ms(t.now), ms(t.now), attachmentsJSON(c.Attachments))
		return s.cannedWriteErr(err, c.Shortcut, "create")
	})
	if err != nil {
		return desk.CannedReply{}, err
	}
	return c, nil
}

// UpdateCanned changes a reply the actor may manage.
func (s *Store) UpdateCanned(ctx context.Context, a desk.Actor, id string, p CannedPatch) (desk.CannedReply, error) {
	var out desk.CannedReply
	err := s.tx(ctx, func(t *txn) error {
		c, err := getCanned(ctx, t.tx, id, s.d.forUpdate())
		if err != nil {
			return err
		}
		if err := desk.CheckWriteCanned(a, c); err != nil {
			return err
		}
		if p.Shortcut != nil {
			c.Shortcut = *p.Shortcut
		}
		if p.Text != nil {
			c.Text = *p.Text
		}
		if err := checkCanned(&c); err != nil {
			return err
		}
		if p.AttachmentIDs != nil {
			refs := make([]desk.Attachment, len(*p.AttachmentIDs))
			for i, id := range *p.AttachmentIDs {
				refs[i].ID = id
			}
			if c.Attachments, err = t.cannedAttachments(refs); err != nil {
				return err
			}
		}
		c.UpdatedAt = t.now
		_, err = t.exec(`UPDATE canned_replies SET shortcut = $2, text = $3, updated_at = $4, attachments = $5 WHERE id = $1`,
			c.ID, c.Shortcut, c.Text, ms(t.now), attachmentsJSON(c.Attachments))
		out = c
		return s.cannedWriteErr(err, c.Shortcut, "update")
	})
	return out, err
}

// DeleteCanned removes a reply the actor may manage.
func (s *Store) DeleteCanned(ctx context.Context, a desk.Actor, id string) error {
	return s.tx(ctx, func(t *txn) error {
		c, err := getCanned(ctx, t.tx, id, s.d.forUpdate())
		if err != nil {
			return err
		}
		if err := desk.CheckWriteCanned(a, c); err != nil {
			return err
		}
		if _, err := t.exec(`DELETE FROM canned_replies WHERE id = $1`, id); err != nil {
			return fmt.Errorf("store: delete canned reply: %w", err)
		}
		return nil
	})
}

// GetCanned reads one reply the actor may see (not_found otherwise).
func (s *Store) GetCanned(ctx context.Context, a desk.Actor, id string) (desk.CannedReply, error) {
	c, err := getCanned(ctx, s.r, id, "")
	if err == nil && !desk.CanSeeCanned(a, c) {
		return desk.CannedReply{}, desk.NotFound("canned reply")
	}
	return c, err
}

// ListCanned lists, by shortcut (those starting with q first), the
// actor's personal replies and those of botIDs (nil: every bot), whose
// shortcut or text contains q; at most desk.MaxCannedList.
func (s *Store) ListCanned(ctx context.Context, a desk.Actor, botIDs []string, q string) ([]desk.CannedReply, error) {
	if a.User == nil {
		return []desk.CannedReply{}, nil
	}
	args := []any{a.User.ID}
	bots := `bot_id IS NOT NULL`
	if botIDs != nil {
		bots = `FALSE`
		if len(botIDs) > 0 {
			bots = `bot_id IN (` + paramList(2, len(botIDs)) + `)`
			args = append(args, anyArgs(botIDs)...)
		}
	}
	where := `(owner_id = $1 OR ` + bots + `)`
	first := ``
	if q = strings.ToLower(strings.TrimSpace(q)); q != "" {
		esc := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(q)
		n := len(args)
		where += fmt.Sprintf(` AND (shortcut LIKE $%d ESCAPE '\' OR LOWER(text) LIKE $%d ESCAPE '\')`, n+1, n+1)
		first = fmt.Sprintf(`CASE WHEN shortcut LIKE $%d ESCAPE '\' THEN 0 ELSE 1 END, `, n+2)
		args = append(args, "%"+esc+"%", esc+"%")
	}
	query := `SELECT ` + cannedCols + ` FROM canned_replies WHERE ` + where +
		` ORDER BY ` + first + `shortcut, CASE WHEN owner_id IS NULL THEN 1 ELSE 0 END, id LIMIT ` + fmt.Sprint(desk.MaxCannedList)
	return queryList(ctx, s.r, "list canned replies", query, args, scanCanned)
}

// cannedAttachments reads the uploads refs name (by ID), within desk's bound.
func (t *txn) cannedAttachments(refs []desk.Attachment) ([]desk.Attachment, error) {
	ids := make([]string, len(refs))
	for i, r := range refs {
		ids[i] = r.ID
	}
	if err := desk.CheckCannedAttachments(ids); err != nil {
		return nil, err
	}
	return t.attachments(ids, desk.SystemActor)
}

func attachmentsJSON(atts []desk.Attachment) string {
	if atts == nil {
		atts = []desk.Attachment{}
	}
	b, _ := json.Marshal(atts) // plain structs always encode
	return string(b)
}

// checkCanned applies desk's rules to a reply about to be written.
func checkCanned(c *desk.CannedReply) error {
	if err := desk.CheckCannedShortcut(c.Shortcut); err != nil {
		return err
	}
	text, err := desk.CleanCannedText(c.Text)
	if err != nil {
		return err
	}
	c.Text = text
	return nil
}

// cannedWriteErr names a duplicate shortcut (within the bot, or within
// the owner's own replies) as a conflict on the field.
func (s *Store) cannedWriteErr(err error, shortcut, what string) error {
	if s.d.isUnique(err) {
		return desk.Errorf(desk.CodeConflict, "a canned reply /%s already exists here", shortcut).WithDetail("field", "shortcut")
	}
	if err != nil {
		return fmt.Errorf("store: %s canned reply: %w", what, err)
	}
	return nil
}

func getCanned(ctx context.Context, q querier, id, lock string) (desk.CannedReply, error) {
	c, err := scanCanned(q.QueryRowContext(ctx, `SELECT `+cannedCols+` FROM canned_replies WHERE id = $1`+lock, id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, desk.NotFound("canned reply")
	}
	if err != nil {
		return c, fmt.Errorf("store: get canned reply: %w", err)
	}
	return c, nil
}

func scanCanned(sc scanner) (c desk.CannedReply, err error) {
	var bot, owner sql.NullString
	var created, updated int64
	var atts string
	err = sc.Scan(&c.ID, &bot, &owner, &c.Shortcut, &c.Text, &created, &updated, &atts)
	if json.Unmarshal([]byte(atts), &c.Attachments) != nil || c.Attachments == nil {
		c.Attachments = []desk.Attachment{}
	}
	c.BotID, c.OwnerID = nullStr(bot), nullStr(owner)
	c.CreatedAt, c.UpdatedAt = fromMS(created), fromMS(updated)
	return c, err
}
