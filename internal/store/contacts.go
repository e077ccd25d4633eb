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

// Reading and editing contacts. Contacts are created by inbound messages
// (inbound.go); here agents correct what the bot collected and keep notes.

// ContactPatch changes some fields of a contact; nil fields stay as they
// are. Attributes replaces the whole map.
type ContactPatch struct {
	Name, Phone, Email *string
	Attributes         *map[string]string
}

// GetContact reads one contact.
func (s *Store) GetContact(ctx context.Context, id string) (desk.Contact, error) {
	return readContact(ctx, s.r, id)
}

// UpdateContact applies p to a contact.
func (s *Store) UpdateContact(ctx context.Context, id string, p ContactPatch) (desk.Contact, error) {
	var out desk.Contact
	err := s.tx(ctx, func(t *txn) error {
		c, err := readContact(ctx, t.tx, id)
		if err != nil {
			return err
		}
		// Only what the patch sets is checked: a contact that arrived with
		// a phone the channel formats its own way stays editable.
		var probe desk.Contact
		if p.Name != nil {
			probe.Name = *p.Name
		}
		if p.Phone != nil {
			probe.Phone = *p.Phone
		}
		if p.Email != nil {
			probe.Email = *p.Email
		}
		if p.Attributes != nil {
			probe.Attributes = *p.Attributes
		}
		if err := checkContact(&probe); err != nil {
			return err
		}
		if p.Name != nil {
			c.Name = probe.Name
		}
		if p.Phone != nil {
			c.Phone = probe.Phone
		}
		if p.Email != nil {
			c.Email = probe.Email
		}
		if p.Attributes != nil {
			c.Attributes = probe.Attributes
		}
		attrs, err := json.Marshal(c.Attributes)
		if err != nil {
			return fmt.Errorf("store: contact attributes: %w", err)
		}
		if _, err := t.exec(`UPDATE contacts SET name = $2, phone = $3, email = $4, attributes = $5, updated_at = $6 WHERE id = $1`,
			id, c.Name, c.Phone, c.Email, string(attrs), ms(t.now)); err != nil {
			return fmt.Errorf("store: update contact: %w", err)
		}
		out, err = readContact(ctx, t.tx, id)
		return err
	})
	return out, err
}

// checkContact validates and trims the editable fields of c.
func checkContact(c *desk.Contact) error {
	var err error
	if c.Name, err = cleanText("name", c.Name, false, 200); err != nil {
		return err
	}
	if c.Phone, err = cleanText("phone", c.Phone, false, 32); err != nil {
		return err
	}
	for i, r := range c.Phone {
		if !(r >= '0' && r <= '9' || r == ' ' || r == '(' || r == ')' || r == '-' || r == '+' && i == 0) {
			return desk.Invalid("phone", "only digits, spaces, ( ) - and a leading +")
		}
	}
	if c.Email, err = cleanText("email", c.Email, false, 254); err != nil {
		return err
	}
	if c.Email != "" && !strings.Contains(c.Email, "@") {
		return desk.Invalid("email", "must be an email address")
	}
	if err := desk.CheckAttributes(c.Attributes); err != nil {
		return err
	}
	if c.Attributes == nil {
		c.Attributes = map[string]string{}
	}
	return nil
}

// AddContactNote adds an internal note by authorID to a contact.
func (s *Store) AddContactNote(ctx context.Context, contactID, authorID, text string) (desk.Note, error) {
	text, err := cleanText("text", text, true, 10000)
	if err != nil {
		return desk.Note{}, err
	}
	n := desk.Note{ID: s.ids.New(), AuthorID: authorID, Text: text}
	err = s.tx(ctx, func(t *txn) error {
		if _, err := readContact(ctx, t.tx, contactID); err != nil {
			return err
		}
		author, err := getUser(ctx, t.tx, authorID)
		if err != nil {
			return err
		}
		n.Author, n.CreatedAt = author.Name, t.now
		if _, err := t.exec(`INSERT INTO contact_notes (id, contact_id, author_id, text, created_at) VALUES ($1, $2, $3, $4, $5)`,
			n.ID, contactID, authorID, text, ms(t.now)); err != nil {
			return fmt.Errorf("store: add contact note: %w", err)
		}
		return nil
	})
	if err != nil {
		return desk.Note{}, err
	}
	return n, nil
}

// ListContactNotes lists a contact's notes, newest first. Notes of deleted
// users keep their author's name.
func (s *Store) ListContactNotes(ctx context.Context, contactID string) ([]desk.Note, error) {
	if _, err := readContact(ctx, s.r, contactID); err != nil {
		return nil, err
	}
	return queryList(ctx, s.r, "list contact notes", `SELECT n.id, n.author_id, COALESCE(u.name, ''), n.text, n.created_at
		FROM contact_notes n LEFT JOIN users u ON u.id = n.author_id
		WHERE n.contact_id = $1 ORDER BY n.created_at DESC, n.id DESC`, []any{contactID},
		func(sc scanner) (n desk.Note, err error) {
			var created int64
			err = sc.Scan(&n.ID, &n.AuthorID, &n.Author, &n.Text, &created)
			n.CreatedAt = fromMS(created)
			return n, err
		})
}

// VisibleContact reads a contact if actor may see its bot.
func (s *Store) VisibleContact(ctx context.Context, actor desk.Actor, id string) (desk.Contact, error) {
	c, err := s.GetContact(ctx, id)
	if err != nil {
		return c, err
	}
	if !actor.CanSeeBot(c.BotID) {
		return desk.Contact{}, desk.NotFound("contact")
	}
	return c, nil
}

const contactCols = `id, bot_id, name, phone, email, external_id, attributes, blocked, created_at`

// readContact reads a contact through q, so transactions see their own
// uncommitted contacts.
func readContact(ctx context.Context, q querier, id string) (desk.Contact, error) {
	c, err := scanContact(q.QueryRowContext(ctx, `SELECT `+contactCols+` FROM contacts WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, desk.NotFound("contact")
	}
	return c, err
}

// scanContact scans contactCols; sql.ErrNoRows is returned as is.
func scanContact(row scanner) (desk.Contact, error) {
	var c desk.Contact
	var attrs string
	var blocked int
	var created int64
	err := row.Scan(&c.ID, &c.BotID, &c.Name, &c.Phone, &c.Email, &c.ExternalID, &attrs, &blocked, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return c, err
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
