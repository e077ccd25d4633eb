package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/relevo/relevo/internal/desk"
)

const contactCols = `id, bot_id, name, phone, email, external_id, attributes, blocked, created_at`

// readContact reads a contact through q, so transactions see their own
// uncommitted contacts.
func readContact(ctx context.Context, q querier, id string) (desk.Contact, error) {
	var c desk.Contact
	var attrs string
	var blocked int
	var created int64
	err := q.QueryRowContext(ctx, `SELECT `+contactCols+` FROM contacts WHERE id = $1`, id).
		Scan(&c.ID, &c.BotID, &c.Name, &c.Phone, &c.Email, &c.ExternalID, &attrs, &blocked, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return c, desk.NotFound("contact")
	}
	if err != nil {
		return c, fmt.Errorf("store: read contact: %w", err)
	}
	c.Blocked, c.CreatedAt = blocked != 0, fromMS(created)
	if json.Unmarshal([]byte(attrs), &c.Attributes) != nil || c.Attributes == nil {
		c.Attributes = map[string]string{}
	}
	return c, nil
}
