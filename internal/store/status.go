package store

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/relevo/relevo/internal/desk"
)

// SetStatus changes a user's presence. A pause carries a reason.
func (s *Store) SetStatus(ctx context.Context, userID string, status desk.UserStatus, reason string) (desk.User, error) {
	if !status.Valid() {
		return desk.User{}, desk.Invalid("status", "one of online, paused, offline")
	}
	if err := validPauseReason(status, &reason); err != nil {
		return desk.User{}, err
	}
	err := s.tx(ctx, func(t *txn) error {
		return t.setStatus(userID, status, reason, "")
	})
	if err != nil {
		return desk.User{}, err
	}
	return s.GetUser(ctx, userID)
}

func validPauseReason(status desk.UserStatus, reason *string) error {
	*reason = strings.TrimSpace(*reason)
	if status != desk.StatusPaused {
		*reason = ""
	}
	if utf8.RuneCountInString(*reason) > 200 {
		return desk.Invalid("pause_reason", "at most 200 characters")
	}
	return nil
}

// setStatus updates the status; extra is an SQL condition that must hold.
// status_since moves only when the status itself changes: a new pause
// reason, or going online while online, keeps the time in status.
func (t *txn) setStatus(userID string, status desk.UserStatus, reason, extra string) error {
	res, err := t.exec(`UPDATE users SET status = $2, pause_reason = $3,
		status_since = CASE WHEN status = $2 THEN status_since ELSE $4 END
		WHERE id = $1 AND deleted_at IS NULL`+extra,
		userID, string(status), reason, ms(t.now))
	if err != nil {
		return fmt.Errorf("store: set status: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if extra != "" {
			var exists int
			if err := t.queryRow(`SELECT COUNT(*) FROM users WHERE id = $1 AND deleted_at IS NULL`, userID).Scan(&exists); err == nil && exists > 0 {
				return desk.Errorf(desk.CodeAgentHasOpenSessions, "the agent still has open conversations; they can be paused once those are finished or transferred")
			}
		}
		return desk.NotFound("user")
	}
	t.changes = append(t.changes, desk.Change{Type: desk.ChangeAgentStatus, UserID: userID})
	return nil
}

// PauseAgent forces an agent into pause, only when it has no open
// conversations: the check and the update are one statement, so an
// assignment cannot slip in between.
func (s *Store) PauseAgent(ctx context.Context, userID, reason string) (desk.User, error) {
	if err := validPauseReason(desk.StatusPaused, &reason); err != nil {
		return desk.User{}, err
	}
	err := s.tx(ctx, func(t *txn) error {
		return t.setStatus(userID, desk.StatusPaused, reason,
			` AND NOT EXISTS (SELECT 1 FROM conversations WHERE assignee_id = $1 AND phase = 'human')`)
	})
	if err != nil {
		return desk.User{}, err
	}
	return s.GetUser(ctx, userID)
}

// LogoutAgent ends all of a user's sessions and sets it offline; its
// sockets are closed by whoever listens for the change.
func (s *Store) LogoutAgent(ctx context.Context, userID string) (desk.User, error) {
	err := s.tx(ctx, func(t *txn) error {
		if err := t.setStatus(userID, desk.StatusOffline, "", ""); err != nil {
			return err
		}
		if _, err := t.exec(`DELETE FROM sessions WHERE user_id = $1`, userID); err != nil {
			return err
		}
		t.changes = append(t.changes, desk.Change{Type: desk.ChangeUserLoggedOut, UserID: userID})
		return nil
	})
	if err != nil {
		return desk.User{}, err
	}
	return s.GetUser(ctx, userID)
}
