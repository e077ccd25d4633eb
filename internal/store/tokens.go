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
	// RateLimit is the token's own request rate (requests a second, burst
	// desk.TokenBurst); nil is the server's default.
	RateLimit *int `json:"rate_limit"`
	// LastUsedAt is when a request last came with the token, to the minute
	// (TouchToken); null when it never did.
	LastUsedAt *time.Time `json:"last_used_at"`
}

const tokenCols = `id, name, bot_id, created_by, created_at, rate_limit, last_used_at`

// CreateToken stores a new token under tokenHash, at the server's default
// rate.
func (s *Store) CreateToken(ctx context.Context, name, botID, createdBy, tokenHash string) (Token, error) {
	return s.CreateTokenRate(ctx, name, botID, createdBy, tokenHash, nil)
}

// CreateTokenRate stores a new token under tokenHash with its own rate
// limit (nil: the server's default).
func (s *Store) CreateTokenRate(ctx context.Context, name, botID, createdBy, tokenHash string, rateLimit *int) (Token, error) {
	name, err := cleanText("name", name, true, 200)
	if err != nil {
		return Token{}, err
	}
	if err := desk.CheckTokenRate(rateLimit); err != nil {
		return Token{}, err
	}
	if tokenHash == "" {
		return Token{}, fmt.Errorf("store: create token: empty hash")
	}
	tok := Token{ID: s.ids.New(), Name: name, BotID: botID, CreatedBy: createdBy, RateLimit: rateLimit}
	err = s.tx(ctx, func(t *txn) error {
		if botID != "" {
			if missing, err := t.firstMissing(`SELECT id FROM bots WHERE id IN`, []string{botID}); err != nil {
				return err
			} else if missing != "" {
				return desk.Invalid("bot_id", "no such bot")
			}
		}
		tok.CreatedAt = t.now
		_, err := t.exec(`INSERT INTO tokens (id, name, bot_id, token_hash, created_by, created_at, rate_limit)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, tok.ID, tok.Name, tok.BotID, tokenHash, tok.CreatedBy, ms(t.now), rateLimit)
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
// not found. Served from memory when it can (cache.go).
func (s *Store) TokenByHash(ctx context.Context, hash string) (Token, error) {
	return cached(s, ctx, func(c *settingsCache) *map[string]Token { return &c.tokens }, hash,
		func() (Token, error) { return tokenByHash(ctx, s.r, hash) })
}

func tokenByHash(ctx context.Context, r querier, hash string) (Token, error) {
	tok, err := scanToken(r.QueryRowContext(ctx, `SELECT `+tokenCols+` FROM tokens
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
	err := s.tx(ctx, func(t *txn) error {
		res, err := t.exec(`UPDATE tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL`, id, ms(t.now))
		if err != nil {
			return fmt.Errorf("store: revoke token: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return desk.NotFound("token")
		}
		return nil
	})
	if err != nil {
		return err
	}
	return s.settingsChanged()
}

// SetTokenRate changes a live token's own rate limit (nil: back to the
// server's default). Every node reads it with the token on the next request.
func (s *Store) SetTokenRate(ctx context.Context, id string, rateLimit *int) (Token, error) {
	if err := desk.CheckTokenRate(rateLimit); err != nil {
		return Token{}, err
	}
	var tok Token
	err := s.tx(ctx, func(t *txn) error {
		var err error
		tok, err = scanToken(t.queryRow(`UPDATE tokens SET rate_limit = $2 WHERE id = $1 AND revoked_at IS NULL
			RETURNING `+tokenCols, id, rateLimit))
		if errors.Is(err, sql.ErrNoRows) {
			return desk.NotFound("token")
		}
		if err != nil {
			return fmt.Errorf("store: set token rate: %w", err)
		}
		return nil
	})
	if err == nil {
		err = s.settingsChanged()
	}
	return tok, err
}

// TokenTouchEvery is how stale a token's last_used_at may get: a request
// writes it only when the value it read with the token is older than this.
const TokenTouchEvery = time.Minute

// TouchToken records that tok was used now, unless the last_used_at read
// with it is younger than TokenTouchEvery: most requests write nothing, and
// the condition in the UPDATE makes nodes racing on the same minute write
// it once.
func (s *Store) TouchToken(ctx context.Context, tok Token) error {
	now := s.Now()
	if tok.LastUsedAt != nil && now.Sub(*tok.LastUsedAt) < TokenTouchEvery {
		return nil
	}
	if at, ok := s.touched.Load(tok.ID); ok && now.Sub(at.(time.Time)) < TokenTouchEvery {
		return nil
	}
	err := s.tx(ctx, func(t *txn) error {
		_, err := t.exec(`UPDATE tokens SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at <= $3)`,
			tok.ID, ms(t.now), ms(t.now.Add(-TokenTouchEvery)))
		if err != nil {
			return fmt.Errorf("store: touch token: %w", err)
		}
		return nil
	})
	if err == nil {
		s.touched.Store(tok.ID, now)
	}
	return err
}

func scanToken(sc scanner) (Token, error) {
	var tok Token
	var created int64
	var rate, used sql.NullInt64
	if err := sc.Scan(&tok.ID, &tok.Name, &tok.BotID, &tok.CreatedBy, &created, &rate, &used); err != nil {
		return tok, err
	}
	if used.Valid {
		at := fromMS(used.Int64)
		tok.LastUsedAt = &at
	}
	tok.CreatedAt = fromMS(created)
	if rate.Valid {
		n := int(rate.Int64)
		tok.RateLimit = &n
	}
	return tok, nil
}
