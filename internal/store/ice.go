package store

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"

	"github.com/relevo/relevo/internal/desk"
)

// ICESettings are calls' connectivity settings (the one row of
// ice_settings), with the relay's generated key made on first need. Read
// through the settings cache: every call's ICE request and every TURN
// allocation reads them.
func (s *Store) ICESettings(ctx context.Context) (desk.ICESettings, error) {
	set, err := cached(s, ctx, func(c *settingsCache) *map[string]desk.ICESettings { return &c.ice }, "",
		func() (desk.ICESettings, error) { return getICESettings(ctx, s.r) })
	if err != nil || set.RelaySecret != "" {
		return set, err
	}
	return s.makeRelaySecret(ctx)
}

func getICESettings(ctx context.Context, q querier) (desk.ICESettings, error) {
	var set desk.ICESettings
	var stun, turn string
	var relayOnly int
	err := q.QueryRowContext(ctx, `SELECT stun_urls, turn_urls, turn_secret, turn_username, turn_password,
		credential_ttl_seconds, relay_only, relay_secret FROM ice_settings WHERE id = 1`).
		Scan(&stun, &turn, &set.TURNSecret, &set.TURNUsername, &set.TURNPassword, &set.CredentialTTL, &relayOnly, &set.RelaySecret)
	if err != nil {
		return set, fmt.Errorf("store: ice settings: %w", err)
	}
	if err := json.Unmarshal([]byte(stun), &set.STUNURLs); err != nil {
		return set, fmt.Errorf("store: ice settings: stun_urls: %w", err)
	}
	if err := json.Unmarshal([]byte(turn), &set.TURNURLs); err != nil {
		return set, fmt.Errorf("store: ice settings: turn_urls: %w", err)
	}
	set.RelayOnly = relayOnly != 0
	return set, nil
}

// makeRelaySecret stores a random relay key unless a node did first; the
// row read afterwards holds the winner's, so all nodes share one.
func (s *Store) makeRelaySecret(ctx context.Context) (desk.ICESettings, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return desk.ICESettings{}, err
	}
	key := base64.RawURLEncoding.EncodeToString(b)
	err := s.tx(ctx, func(t *txn) error {
		_, err := t.exec(`UPDATE ice_settings SET relay_secret = $1 WHERE id = 1 AND relay_secret = ''`, key)
		return err
	})
	if err != nil {
		return desk.ICESettings{}, fmt.Errorf("store: relay secret: %w", err)
	}
	if err := s.settingsChanged(); err != nil {
		return desk.ICESettings{}, err
	}
	return getICESettings(ctx, s.r)
}

// SaveICESettings stores set whole (already checked and with its kept
// secrets filled in); the relay's generated key stays.
func (s *Store) SaveICESettings(ctx context.Context, set desk.ICESettings) (desk.ICESettings, error) {
	stun, _ := json.Marshal(nonNil(set.STUNURLs))
	turn, _ := json.Marshal(nonNil(set.TURNURLs))
	err := s.tx(ctx, func(t *txn) error {
		_, err := t.exec(`UPDATE ice_settings SET stun_urls = $1, turn_urls = $2, turn_secret = $3, turn_username = $4,
			turn_password = $5, credential_ttl_seconds = $6, relay_only = $7, updated_at = $8 WHERE id = 1`,
			string(stun), string(turn), set.TURNSecret, set.TURNUsername, set.TURNPassword, int64(set.CredentialTTL), boolInt(set.RelayOnly), ms(t.now))
		return err
	})
	if err != nil {
		return desk.ICESettings{}, fmt.Errorf("store: save ice settings: %w", err)
	}
	if err := s.settingsChanged(); err != nil {
		return desk.ICESettings{}, err
	}
	return s.ICESettings(ctx)
}

func nonNil(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}
