package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/relevo/relevo/internal/desk"
)

// Console sessions. The table holds the hash of each session token; the
// lifetime of a session is expires_at - created_at, where created_at is
// the start of its current period: a renewal moves both, so the lifetime
// stays what CreateSession was given without a column of its own.

// CreateSession stores a session of userID under tokenHash, valid for ttl.
func (s *Store) CreateSession(ctx context.Context, userID, tokenHash string, ttl time.Duration) error {
	if ttl < time.Second {
		return fmt.Errorf("store: create session: ttl %v too short", ttl)
	}
	return s.tx(ctx, func(t *txn) error {
		if _, err := getUser(ctx, t.tx, userID); err != nil {
			return err
		}
		_, err := t.exec(`INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
			tokenHash, userID, ms(t.now), ms(t.now.Add(ttl)))
		if s.d.isUnique(err) {
			return desk.Errorf(desk.CodeConflict, "session already exists")
		}
		if err != nil {
			return fmt.Errorf("store: create session: %w", err)
		}
		return nil
	})
}

// UserBySession returns the live user of an unexpired session. Sessions
// slide: once less than half the lifetime is left, the session is renewed
// for a full lifetime from now, so people who keep working stay logged in.
func (s *Store) UserBySession(ctx context.Context, tokenHash string) (desk.User, error) {
	var userID string
	var created, expires int64
	err := s.r.QueryRowContext(ctx, `SELECT s.user_id, s.created_at, s.expires_at FROM sessions s
		JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND u.deleted_at IS NULL`, tokenHash).
		Scan(&userID, &created, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return desk.User{}, desk.Errorf(desk.CodeUnauthenticated, "no such session")
	}
	if err != nil {
		return desk.User{}, fmt.Errorf("store: session: %w", err)
	}
	now := ms(s.clock.Now())
	if expires <= now {
		return desk.User{}, desk.Errorf(desk.CodeUnauthenticated, "session expired")
	}
	if ttl := expires - created; expires-now < ttl/2 {
		// Conditional on the old expiry: concurrent requests (or nodes)
		// renew it once.
		err := s.tx(ctx, func(t *txn) error {
			_, err := t.exec(`UPDATE sessions SET created_at = $2, expires_at = $3 WHERE token_hash = $1 AND expires_at = $4`,
				tokenHash, ms(t.now), ms(t.now)+ttl, expires)
			return err
		})
		if err != nil {
			return desk.User{}, fmt.Errorf("store: renew session: %w", err)
		}
	}
	u, err := s.GetUser(ctx, userID)
	if desk.IsCode(err, desk.CodeNotFound) {
		return u, desk.Errorf(desk.CodeUnauthenticated, "no such session")
	}
	return u, err
}

// DeleteSession ends one session (logout). Ending a session that does not
// exist is not an error.
func (s *Store) DeleteSession(ctx context.Context, tokenHash string) error {
	return s.tx(ctx, func(t *txn) error {
		if _, err := t.exec(`DELETE FROM sessions WHERE token_hash = $1`, tokenHash); err != nil {
			return fmt.Errorf("store: delete session: %w", err)
		}
		return nil
	})
}

// DeleteUserSessions ends every session of a user (forced logout) and
// announces it, so the user's open sockets close on every node.
func (s *Store) DeleteUserSessions(ctx context.Context, userID string) (int, error) {
	var n int64
	err := s.tx(ctx, func(t *txn) error {
		res, err := t.exec(`DELETE FROM sessions WHERE user_id = $1`, userID)
		if err != nil {
			return fmt.Errorf("store: delete user sessions: %w", err)
		}
		n, _ = res.RowsAffected()
		t.changes = append(t.changes, desk.Change{Type: desk.ChangeUserLoggedOut, UserID: userID})
		return nil
	})
	return int(n), err
}

// SweepSessions deletes expired sessions and login-failure windows older
// than loginWindow, so neither table grows without bound. Safe to run on
// every node at once.
func (s *Store) SweepSessions(ctx context.Context, loginWindow time.Duration) (int, error) {
	var n int64
	err := s.tx(ctx, func(t *txn) error {
		res, err := t.exec(`DELETE FROM sessions WHERE expires_at <= $1`, ms(t.now))
		if err != nil {
			return fmt.Errorf("store: sweep sessions: %w", err)
		}
		n, _ = res.RowsAffected()
		if _, err := t.exec(`DELETE FROM login_attempts WHERE window_start <= $1`, ms(t.now.Add(-loginWindow))); err != nil {
			return fmt.Errorf("store: sweep login attempts: %w", err)
		}
		return nil
	})
	return int(n), err
}

// Login throttling lives in the database, not in memory, so it holds
// across nodes and restarts. Each key (an email, an address) counts its
// failures in a fixed window that starts at the first failure and
// restarts once it is over.

// LoginThrottled returns how long to wait when any of keys has maxFailures or more
// failures inside its current window, 0 otherwise.
func (s *Store) LoginThrottled(ctx context.Context, keys []string, maxFailures int, window time.Duration) (time.Duration, error) {
	keys = uniqueIDs(keys)
	if len(keys) == 0 {
		return 0, nil
	}
	now := ms(s.clock.Now())
	rows, err := s.r.QueryContext(ctx, `SELECT window_start FROM login_attempts
		WHERE key IN (`+paramList(3, len(keys))+`) AND failures >= $1 AND window_start > $2`,
		append([]any{maxFailures, now - window.Milliseconds()}, anyArgs(keys)...)...)
	if err != nil {
		return 0, fmt.Errorf("store: login throttled: %w", err)
	}
	defer rows.Close()
	var wait int64
	for rows.Next() {
		var start int64
		if err := rows.Scan(&start); err != nil {
			return 0, fmt.Errorf("store: login throttled: %w", err)
		}
		wait = max(wait, start+window.Milliseconds()-now)
	}
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("store: login throttled: %w", err)
	}
	return time.Duration(wait) * time.Millisecond, nil
}

// RecordLoginFailure counts one failed login against each of keys.
func (s *Store) RecordLoginFailure(ctx context.Context, keys []string, window time.Duration) error {
	keys = uniqueIDs(keys)
	return s.tx(ctx, func(t *txn) error {
		expired := ms(t.now) - window.Milliseconds()
		for _, k := range keys {
			_, err := t.exec(`INSERT INTO login_attempts (key, window_start, failures) VALUES ($1, $2, 1)
				ON CONFLICT (key) DO UPDATE SET
					failures = CASE WHEN login_attempts.window_start <= $3 THEN 1 ELSE login_attempts.failures + 1 END,
					window_start = CASE WHEN login_attempts.window_start <= $3 THEN $2 ELSE login_attempts.window_start END`,
				k, ms(t.now), expired)
			if err != nil {
				return fmt.Errorf("store: record login failure: %w", err)
			}
		}
		return nil
	})
}

// ClearLoginFailures forgets the failures of keys (after a good login).
func (s *Store) ClearLoginFailures(ctx context.Context, keys []string) error {
	keys = uniqueIDs(keys)
	if len(keys) == 0 {
		return nil
	}
	return s.tx(ctx, func(t *txn) error {
		if _, err := t.exec(`DELETE FROM login_attempts WHERE key IN (`+paramList(1, len(keys))+`)`, anyArgs(keys)...); err != nil {
			return fmt.Errorf("store: clear login failures: %w", err)
		}
		return nil
	})
}
