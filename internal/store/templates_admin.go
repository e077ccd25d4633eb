package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/relevo/relevo/internal/desk"
)

// What admins manage of a channel's message templates: every template
// whatever Meta's status, when the list was last read from Meta, and who
// may send each one.

// ChannelTemplates lists every template of a channel by name, whatever its
// status, and when they were last synced (nil: never).
func (s *Store) ChannelTemplates(ctx context.Context, channelID string) ([]desk.Template, *time.Time, error) {
	var synced sql.NullInt64
	err := s.r.QueryRowContext(ctx, `SELECT templates_synced_at FROM channels WHERE id = $1`, channelID).Scan(&synced)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, desk.NotFound("channel")
	}
	if err != nil {
		return nil, nil, fmt.Errorf("store: channel templates: %w", err)
	}
	list, err := queryList(ctx, s.r, "list channel templates", `SELECT `+templateCols+` FROM templates
		WHERE channel_id = $1 ORDER BY name, language, id`, []any{channelID}, scanTemplate)
	return list, fromNullMS(synced), err
}

// MarkTemplatesSynced records that the channel's templates were read from
// Meta now.
func (s *Store) MarkTemplatesSynced(ctx context.Context, channelID string) error {
	return s.tx(ctx, func(t *txn) error {
		res, err := t.exec(`UPDATE channels SET templates_synced_at = $2 WHERE id = $1`, channelID, ms(t.now))
		if err != nil {
			return fmt.Errorf("store: mark templates synced: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return desk.NotFound("channel")
		}
		return nil
	})
}

// SetTemplateRoles replaces the roles offered a template (admins send
// every template whatever its roles). At least one role is required: an
// empty list would read as "every role" elsewhere.
func (s *Store) SetTemplateRoles(ctx context.Context, id string, roles []desk.Role) (desk.Template, error) {
	if len(roles) == 0 {
		return desk.Template{}, desk.Invalid("roles", "at least one role (admins always see every template)")
	}
	_, stored, err := templateRoles(roles)
	if err != nil {
		return desk.Template{}, err
	}
	var out desk.Template
	err = s.tx(ctx, func(t *txn) error {
		res, err := t.exec(`UPDATE templates SET roles = $2 WHERE id = $1`, id, stored)
		if err != nil {
			return fmt.Errorf("store: set template roles: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return desk.NotFound("template")
		}
		out, err = getTemplate(ctx, t.tx, id)
		return err
	})
	return out, err
}
