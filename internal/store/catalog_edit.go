package store

import (
	"context"
	"fmt"

	"github.com/relevo/relevo/internal/desk"
)

// Renaming and deleting the catalog's reasons and tags.

// reasonNameFree refuses a name another live reason of the same bot (or
// another global one) already has, ignoring case: the transfer dialog
// would offer two reasons no one can tell apart.
func (t *txn) reasonNameFree(r desk.Reason, self string) error {
	var n int
	if err := t.queryRow(`SELECT COUNT(*) FROM reasons WHERE deleted_at IS NULL AND bot_id = $1
		AND LOWER(name) = LOWER($2) AND id <> $3`, r.BotID, r.Name, self).Scan(&n); err != nil {
		return fmt.Errorf("store: reason name: %w", err)
	}
	if n > 0 {
		return desk.Errorf(desk.CodeConflict, "a reason named %q already exists", r.Name).WithDetail("field", "name")
	}
	return nil
}

// RenameReason changes a live reason's name. Past transfer events keep the
// name they were made with (it is copied into each event).
func (s *Store) RenameReason(ctx context.Context, id, name string) (desk.Reason, error) {
	name, err := cleanText("name", name, true, 100)
	if err != nil {
		return desk.Reason{}, err
	}
	var r desk.Reason
	err = s.tx(ctx, func(t *txn) error {
		if r, err = getReason(t.ctx, t.tx, id); err != nil {
			return err
		}
		r.Name = name
		if err := t.reasonNameFree(r, id); err != nil {
			return err
		}
		_, err := t.exec(`UPDATE reasons SET name = $2 WHERE id = $1`, id, name)
		return err
	})
	if err != nil {
		return desk.Reason{}, err
	}
	return r, nil
}

// DeleteReason stops offering a reason. The row stays (deleted_at), so the
// transfers made with it and the reports that join it keep its name.
func (s *Store) DeleteReason(ctx context.Context, id string) error {
	return s.tx(ctx, func(t *txn) error {
		res, err := t.exec(`UPDATE reasons SET deleted_at = $2 WHERE id = $1 AND deleted_at IS NULL`, id, ms(t.now))
		if err != nil {
			return fmt.Errorf("store: delete reason: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return desk.NotFound("reason")
		}
		return nil
	})
}

// TagPatch is a change to a tag; nil fields stay.
type TagPatch struct {
	Name  *string
	Color *string
}

// UpdateTag renames or recolours a tag; names stay unique.
func (s *Store) UpdateTag(ctx context.Context, id string, p TagPatch) (desk.Tag, error) {
	var tag desk.Tag
	err := s.tx(ctx, func(t *txn) error {
		var err error
		if tag, err = getTag(t.ctx, t.tx, id); err != nil {
			return err
		}
		if p.Name != nil {
			if tag.Name, err = cleanText("name", *p.Name, true, 64); err != nil {
				return err
			}
		}
		if p.Color != nil {
			if tag.Color, err = desk.TagColor(*p.Color); err != nil {
				return err
			}
		}
		_, err = t.exec(`UPDATE tags SET name = $2, color = $3 WHERE id = $1`, id, tag.Name, tag.Color)
		if s.d.isUnique(err) {
			return desk.Errorf(desk.CodeConflict, "a tag named %q already exists", tag.Name).WithDetail("field", "name")
		}
		if err != nil {
			return fmt.Errorf("store: update tag: %w", err)
		}
		return nil
	})
	if err != nil {
		return desk.Tag{}, err
	}
	return tag, nil
}

// DeleteTag removes a tag and takes it off every conversation that had it,
// in one transaction. The timeline's "Tag added" events keep their text.
func (s *Store) DeleteTag(ctx context.Context, id string) error {
	return s.tx(ctx, func(t *txn) error {
		if _, err := t.exec(`DELETE FROM conversation_tags WHERE tag_id = $1`, id); err != nil {
			return fmt.Errorf("store: delete tag: %w", err)
		}
		res, err := t.exec(`DELETE FROM tags WHERE id = $1`, id)
		if err != nil {
			return fmt.Errorf("store: delete tag: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return desk.NotFound("tag")
		}
		// One change, not a conversation.updated per tagged conversation:
		// consoles drop the tag everywhere they show it, and no
		// conversation's seq or updated_at moves for it.
		t.changes = append(t.changes, desk.Change{Type: desk.ChangeTagDeleted, TagID: id})
		return nil
	})
}
