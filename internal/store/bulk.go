package store

import (
	"context"
	"errors"

	"github.com/relevo/relevo/internal/desk"
)

// MaxBulk is how many conversations one bulk action may take.
const MaxBulk = 5

// BulkError is why one id of a bulk action failed.
type BulkError struct {
	Code    desk.Code `json:"code"`
	Message string    `json:"message"`
}

// BulkResult is the outcome for one id.
type BulkResult struct {
	ID           string             `json:"id"`
	OK           bool               `json:"ok"`
	Error        *BulkError         `json:"error,omitempty"`
	Conversation *desk.Conversation `json:"conversation,omitempty"`
}

// BulkInput is a bulk action: resolve, or transfer with its target and
// reason.
type BulkInput struct {
	Action   string
	IDs      []string
	Transfer TransferInput
}

// Bulk resolves or transfers up to MaxBulk conversations, each in its own
// transaction: one failing does not undo the others, and each id gets its
// own result.
func (s *Store) Bulk(ctx context.Context, actor desk.Actor, in BulkInput) ([]BulkResult, error) {
	if len(in.IDs) == 0 {
		return nil, desk.Invalid("ids", "required")
	}
	if len(in.IDs) > MaxBulk {
		return nil, desk.Errorf(desk.CodeBulkLimitExceeded, "at most %d conversations at once", MaxBulk).
			WithDetail("max", MaxBulk)
	}
	seen := map[string]bool{}
	for _, id := range in.IDs {
		if seen[id] {
			return nil, desk.Invalid("ids", "%s is listed twice", id)
		}
		seen[id] = true
	}
	var op func(id string) (desk.Conversation, error)
	switch in.Action {
	case "resolve":
		op = func(id string) (desk.Conversation, error) { return s.Resolve(ctx, actor, id) }
	case "transfer":
		if err := validateTransfer(in.Transfer); err != nil {
			return nil, err
		}
		op = func(id string) (desk.Conversation, error) { return s.Transfer(ctx, actor, id, in.Transfer) }
	default:
		return nil, desk.Invalid("action", "one of resolve, transfer")
	}
	out := make([]BulkResult, 0, len(in.IDs))
	for _, id := range in.IDs {
		c, err := op(id)
		r := BulkResult{ID: id, OK: err == nil}
		if err != nil {
			var de *desk.Error
			if !errors.As(err, &de) {
				return nil, err
			}
			r.Error = &BulkError{Code: de.Code, Message: de.Message}
		} else {
			r.Conversation = &c
		}
		out = append(out, r)
	}
	return out, nil
}
