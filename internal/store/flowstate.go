package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/relevo/relevo/internal/desk"
)

// What the built-in flow runner (package bot) keeps in the store: where
// each conversation stands in its bot's flow, and the attributes the flow
// collects on the contact. Inbound queues the flow's work (inbound.go).

// KeywordHandoverNote is the note of a handover a customer's keyword
// asked for.
const KeywordHandoverNote = "Customer asked for a person (keyword)"

// runsFlow reports whether Relevo's built-in flow answers for b. An
// external bot (webhook_url) takes precedence: one bot, one voice.
func runsFlow(b desk.Bot) bool {
	return b.WebhookURL == "" && b.HasFlow()
}

// FlowState reads where a conversation stands in its bot's flow, as the
// runner stored it; nil before the flow first ran.
func (s *Store) FlowState(ctx context.Context, convID string) ([]byte, error) {
	var st sql.NullString
	err := s.w.QueryRowContext(ctx, `SELECT flow_state FROM conversations WHERE id = $1`, convID).Scan(&st)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, desk.NotFound("conversation")
	}
	if err != nil {
		return nil, fmt.Errorf("store: flow state: %w", err)
	}
	if !st.Valid || st.String == "" {
		return nil, nil
	}
	return []byte(st.String), nil
}

// SetFlowState stores next as the conversation's flow state if it still
// is prev (nil: never set). It is a compare-and-set, so two runners
// handling messages of one conversation at once cannot both move it: the
// loser gets conflict and runs again from the winner's state.
func (s *Store) SetFlowState(ctx context.Context, convID string, prev, next []byte) error {
	if !json.Valid(next) {
		return fmt.Errorf("store: flow state is not JSON")
	}
	return s.tx(ctx, func(t *txn) error {
		res, err := t.exec(`UPDATE conversations SET flow_state = $2 WHERE id = $1 AND COALESCE(flow_state, '') = $3`,
			convID, string(next), string(prev))
		if err != nil {
			return fmt.Errorf("store: set flow state: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			var id string
			if err := t.queryRow(`SELECT id FROM conversations WHERE id = $1`, convID).Scan(&id); errors.Is(err, sql.ErrNoRows) {
				return desk.NotFound("conversation")
			}
			return desk.Errorf(desk.CodeConflict, "the flow state changed meanwhile")
		}
		return nil
	})
}

// SaveAttribute sets one attribute on a contact, keeping the others: what
// a flow's question collected, shown in the contact panel. The attribute
// limits of contacts apply.
func (s *Store) SaveAttribute(ctx context.Context, contactID, name, value string) (desk.Contact, error) {
	if err := desk.CheckAttribute(name, value); err != nil {
		return desk.Contact{}, err
	}
	var out desk.Contact
	err := s.tx(ctx, func(t *txn) error {
		// Lock the row first (PostgreSQL), so two saves to one contact
		// cannot both read the old map and lose one of the values.
		if _, err := t.exec(`UPDATE contacts SET updated_at = updated_at WHERE id = $1`, contactID); err != nil {
			return fmt.Errorf("store: save attribute: %w", err)
		}
		c, err := readContact(ctx, t.tx, contactID)
		if err != nil {
			return err
		}
		out = c
		if v, ok := c.Attributes[name]; ok && v == value {
			return nil
		}
		c.Attributes[name] = value
		if len(c.Attributes) > desk.MaxAttributes {
			return desk.Invalid("attributes", "at most %d attributes", desk.MaxAttributes)
		}
		attrs, err := json.Marshal(c.Attributes)
		if err != nil {
			return fmt.Errorf("store: contact attributes: %w", err)
		}
		if _, err := t.exec(`UPDATE contacts SET attributes = $2, updated_at = $3 WHERE id = $1`, contactID, string(attrs), ms(t.now)); err != nil {
			return fmt.Errorf("store: save attribute: %w", err)
		}
		out = c
		return nil
	})
	return out, err
}
