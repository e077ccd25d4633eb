package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/relevo/relevo/internal/desk"
)

// Token is an integration token as stored: the secret itself is never
// kept, only its hash (auth.HashToken). A token with a BotID acts as that
// bot; without one it acts for every bot.
type Token struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	BotID     string    `json:"bot_id"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

const tokenCols = `id, name, bot_id, created_by, created_at`

// CreateToken stores a new token under tokenHash.
func (s *Store) CreateToken(ctx context.Context, name, botID, createdBy, tokenHash string) (Token, error) {
	name, err := cleanText("name", name, true, 200)
	if err != nil {
		return Token{}, err
	}
	if tokenHash == "" {
		return Token{}, fmt.Errorf("store: create token: empty hash")
	}
	tok := Token{ID: s.ids.New(), Name: name, BotID: botID, CreatedBy: createdBy}
	err = s.tx(ctx, func(t *txn) error {
		if botID != "" {
			if missing, err := t.firstMissing(`SELECT id FROM bots WHERE id IN`, []string{botID}); err != nil {
				return err
			} else if missing != "" {
				return desk.Invalid("bot_id", "no such bot")
			}
		}
		tok.CreatedAt = t.now
		_, err := t.exec(`INSERT INTO tokens (id, name, bot_id, token_hash, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
			tok.ID, tok.Name, tok.BotID, tokenHash, tok.CreatedBy, ms(t.now))
		if s.d.isUnique(err) {
			return desk.Errorf(desk.CodeConflict, "token already exists")
		}
		if err != nil {
			return fmt.Errorf("store: create token: %w", err)
		}
		return nil
	})
	if err != nil {
		return Token{}, err
	}
	return tok, nil
}

// TokenByHash finds the live token stored under hash; revoked tokens are
// not found.
func (s *Store) TokenByHash(ctx context.Context, hash string) (Token, error) {
	tok, err := scanToken(s.r.QueryRowContext(ctx, `SELECT `+tokenCols+` FROM tokens
		WHERE token_hash = $1 AND revoked_at IS NULL`, hash))
	if errors.Is(err, sql.ErrNoRows) {
		return tok, desk.NotFound("token")
	}
	if err != nil {
		return tok, fmt.Errorf("store: token by hash: %w", err)
	}
	return tok, nil
}

// ListTokens lists live tokens, oldest first.
func (s *Store) ListTokens(ctx context.Context) ([]Token, error) {
	return queryList(ctx, s.r, "list tokens", `SELECT `+tokenCols+` FROM tokens WHERE revoked_at IS NULL
		ORDER BY created_at, id`, nil, scanToken)
}

// RevokeToken ends a token; the row stays so the audit trail does.
func (s *Store) RevokeToken(ctx context.Context, id string) error {
	return s.tx(ctx, func(t *txn) error {
		res, err := t.exec(`UPDATE tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL`, id, ms(t.now))
		if err != nil {
			return fmt.Errorf("store: revoke token: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return desk.NotFound("token")
		}
		return nil
	})
}

func scanToken(sc scanner) (Token, error) {
	var tok Token
	var created int64
	if err := sc.Scan(&tok.ID, &tok.Name, &tok.BotID, &tok.CreatedBy, &created); err != nil {
		return tok, err
	}
	tok.CreatedAt = fromMS(created)
	return tok, nil
}
