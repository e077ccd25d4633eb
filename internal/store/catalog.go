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

// The catalog: the small lists admins configure and agents pick from
// (transfer reasons, conversation tags, message templates).

// CreateReason adds a transfer reason, for one bot or (BotID "") for all.
func (s *Store) CreateReason(ctx context.Context, r desk.Reason) (desk.Reason, error) {
	name, err := cleanText("name", r.Name, true, 100)
	if err != nil {
		return desk.Reason{}, err
	}
	r.Name, r.ID = name, s.ids.New()
	err = s.tx(ctx, func(t *txn) error {
		if r.BotID != "" {
			if missing, err := t.firstMissing(`SELECT id FROM bots WHERE id IN`, []string{r.BotID}); err != nil {
				return err
			} else if missing != "" {
				return desk.Invalid("bot_id", "no such bot")
			}
		}
		if err := t.reasonNameFree(r, ""); err != nil {
			return err
		}
		if _, err := t.exec(`INSERT INTO reasons (id, name, bot_id) VALUES ($1, $2, $3)`, r.ID, r.Name, r.BotID); err != nil {
			return fmt.Errorf("store: create reason: %w", err)
		}
		return nil
	})
	if err != nil {
		return desk.Reason{}, err
	}
	return r, nil
}

// ListReasons lists reasons by name: all when botIDs is nil, else the
// global ones and those of botIDs.
func (s *Store) ListReasons(ctx context.Context, botIDs []string) ([]desk.Reason, error) {
	q := `SELECT id, name, bot_id FROM reasons WHERE deleted_at IS NULL`
	if botIDs != nil {
		q += ` AND (bot_id = ''`
		if len(botIDs) > 0 {
			q += ` OR bot_id IN (` + paramList(1, len(botIDs)) + `)`
		}
		q += `)`
	}
	return queryList(ctx, s.r, "list reasons", q+` ORDER BY LOWER(name), name, id`, anyArgs(botIDs), scanReason)
}

// GetReason reads one live reason (deleted ones are not found).
func (s *Store) GetReason(ctx context.Context, id string) (desk.Reason, error) {
	return getReason(ctx, s.r, id)
}

// getReason reads through q, so transactions need no second connection.
func getReason(ctx context.Context, q querier, id string) (desk.Reason, error) {
	r, err := scanReason(q.QueryRowContext(ctx, `SELECT id, name, bot_id FROM reasons WHERE id = $1 AND deleted_at IS NULL`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, desk.NotFound("reason")
	}
	if err != nil {
		return r, fmt.Errorf("store: get reason: %w", err)
	}
	return r, nil
}

func scanReason(sc scanner) (r desk.Reason, err error) {
	return r, sc.Scan(&r.ID, &r.Name, &r.BotID)
}

// CreateTag adds a tag; names are unique.
func (s *Store) CreateTag(ctx context.Context, tag desk.Tag) (desk.Tag, error) {
	name, err := cleanText("name", tag.Name, true, 64)
	if err != nil {
		return desk.Tag{}, err
	}
	color, err := desk.TagColor(tag.Color)
	if err != nil {
		return desk.Tag{}, err
	}
	tag.Name, tag.Color = name, color
	tag.ID = s.ids.New()
	err = s.tx(ctx, func(t *txn) error {
		_, err := t.exec(`INSERT INTO tags (id, name, color) VALUES ($1, $2, $3)`, tag.ID, tag.Name, tag.Color)
		if s.d.isUnique(err) {
			return desk.Errorf(desk.CodeConflict, "a tag named %q already exists", tag.Name).WithDetail("field", "name")
		}
		if err != nil {
			return fmt.Errorf("store: create tag: %w", err)
		}
		return nil
	})
	if err != nil {
		return desk.Tag{}, err
	}
	return tag, nil
}

// ListTags lists every tag by name.
func (s *Store) ListTags(ctx context.Context) ([]desk.Tag, error) {
	return queryList(ctx, s.r, "list tags", `SELECT id, name, color FROM tags ORDER BY LOWER(name), name, id`, nil, scanTag)
}

// GetTag reads one tag.
func (s *Store) GetTag(ctx context.Context, id string) (desk.Tag, error) {
	return getTag(ctx, s.r, id)
}

func getTag(ctx context.Context, q querier, id string) (desk.Tag, error) {
	tag, err := scanTag(q.QueryRowContext(ctx, `SELECT id, name, color FROM tags WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return tag, desk.NotFound("tag")
	}
	if err != nil {
		return tag, fmt.Errorf("store: get tag: %w", err)
	}
	return tag, nil
}

func scanTag(sc scanner) (tag desk.Tag, err error) {
	return tag, sc.Scan(&tag.ID, &tag.Name, &tag.Color)
}

// allRoles is a template's default audience.
var allRoles = []desk.Role{desk.RoleAgent, desk.RoleAuditor, desk.RoleSupervisor, desk.RoleAdmin}

const templateCols = `id, channel_id, name, language, category, body, roles, status`

// CreateTemplate adds a template to a channel. Roles default to every
// role, status to APPROVED; (channel, name, language) is unique.
func (s *Store) CreateTemplate(ctx context.Context, tpl desk.Template) (desk.Template, error) {
	roles, err := checkTemplate(&tpl)
	if err != nil {
		return desk.Template{}, err
	}
	tpl.ID = s.ids.New()
	err = s.tx(ctx, func(t *txn) error {
		if err := t.checkChannelID(tpl.ChannelID); err != nil {
			return err
		}
		_, err := t.exec(`INSERT INTO templates (`+templateCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
			tpl.ID, tpl.ChannelID, tpl.Name, tpl.Language, tpl.Category, tpl.Body, roles, tpl.Status)
		if s.d.isUnique(err) {
			return desk.Errorf(desk.CodeConflict, "template %s (%s) already exists on this channel", tpl.Name, tpl.Language)
		}
		if err != nil {
			return fmt.Errorf("store: create template: %w", err)
		}
		return nil
	})
	if err != nil {
		return desk.Template{}, err
	}
	return tpl, nil
}

// UpsertTemplate inserts tpl, or, when the channel already has a template
// of that name and language, updates its body, category and status while
// keeping its id and roles (what the WhatsApp Business sync needs: Meta
// owns the text and approval, admins own the audience).
func (s *Store) UpsertTemplate(ctx context.Context, tpl desk.Template) (desk.Template, error) {
	roles, err := checkTemplate(&tpl)
	if err != nil {
		return desk.Template{}, err
	}
	var out desk.Template
	err = s.tx(ctx, func(t *txn) error {
		if err := t.checkChannelID(tpl.ChannelID); err != nil {
			return err
		}
		var id string
		err := t.queryRow(`INSERT INTO templates (`+templateCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
			ON CONFLICT (channel_id, name, language) DO UPDATE SET
				category = excluded.category, body = excluded.body, status = excluded.status
			RETURNING id`,
			s.ids.New(), tpl.ChannelID, tpl.Name, tpl.Language, tpl.Category, tpl.Body, roles, tpl.Status).Scan(&id)
		if err != nil {
			return fmt.Errorf("store: upsert template: %w", err)
		}
		out, err = getTemplate(ctx, t.tx, id)
		return err
	})
	return out, err
}

// GetTemplate reads one template.
func (s *Store) GetTemplate(ctx context.Context, id string) (desk.Template, error) {
	return getTemplate(ctx, s.r, id)
}

// ListTemplates lists a channel's approved templates by name that role may
// send; role "" lists them all.
func (s *Store) ListTemplates(ctx context.Context, channelID string, role desk.Role) ([]desk.Template, error) {
	all, err := queryList(ctx, s.r, "list templates", `SELECT `+templateCols+` FROM templates
		WHERE channel_id = $1 AND status = 'APPROVED' ORDER BY name, language, id`, []any{channelID}, scanTemplate)
	if err != nil {
		return nil, err
	}
	list := []desk.Template{}
	for _, tpl := range all {
		if role == "" || tpl.AllowedFor(role) {
			list = append(list, tpl)
		}
	}
	return list, nil
}

// checkTemplate validates and normalises tpl and returns its roles as
// stored JSON.
func checkTemplate(tpl *desk.Template) (string, error) {
	var err error
	for _, f := range []struct {
		field string
		v     *string
		req   bool
		max   int
	}{{"name", &tpl.Name, true, 512}, {"language", &tpl.Language, true, 32},
		{"body", &tpl.Body, true, 4096}, {"category", &tpl.Category, false, 64}, {"status", &tpl.Status, false, 32}} {
		if *f.v, err = cleanText(f.field, *f.v, f.req, f.max); err != nil {
			return "", err
		}
	}
	tpl.Status = strings.ToUpper(tpl.Status)
	if tpl.Status == "" {
		tpl.Status = "APPROVED"
	}
	if len(tpl.Roles) == 0 {
		tpl.Roles = append([]desk.Role(nil), allRoles...)
	}
	var stored string
	tpl.Roles, stored, err = templateRoles(tpl.Roles)
	return stored, err
}

// templateRoles checks a template's roles, drops repeats, and returns them
// with their stored JSON.
func templateRoles(in []desk.Role) ([]desk.Role, string, error) {
	seen := map[desk.Role]bool{}
	roles := make([]desk.Role, 0, len(in))
	for _, r := range in {
		if !r.Valid() {
			return nil, "", desk.Invalid("roles", "unknown role %q", r)
		}
		if !seen[r] {
			seen[r] = true
			roles = append(roles, r)
		}
	}
	b, err := json.Marshal(roles)
	if err != nil {
		return nil, "", fmt.Errorf("store: template roles: %w", err)
	}
	return roles, string(b), nil
}

func getTemplate(ctx context.Context, q querier, id string) (desk.Template, error) {
	tpl, err := scanTemplate(q.QueryRowContext(ctx, `SELECT `+templateCols+` FROM templates WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return tpl, desk.NotFound("template")
	}
	if err != nil {
		return tpl, fmt.Errorf("store: get template: %w", err)
	}
	return tpl, nil
}

func scanTemplate(sc scanner) (desk.Template, error) {
	var tpl desk.Template
	var roles string
	if err := sc.Scan(&tpl.ID, &tpl.ChannelID, &tpl.Name, &tpl.Language, &tpl.Category, &tpl.Body, &roles, &tpl.Status); err != nil {
		return tpl, err
	}
	if json.Unmarshal([]byte(roles), &tpl.Roles) != nil || tpl.Roles == nil {
		tpl.Roles = []desk.Role{}
	}
	return tpl, nil
}
