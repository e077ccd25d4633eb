package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/relevo/relevo/internal/desk"
)

// ChannelPatch changes some fields of a channel; nil fields stay as they
// are. Config replaces the whole configuration, but for the secrets it
// leaves out or sends masked (desk.KeepChannelSecrets). Secret sets a web
// channel's identity-verification secret alone, in the same transaction.
type ChannelPatch struct {
	Name   *string
	Config *json.RawMessage
	Secret *string
}

// maxChannelConfig bounds a channel's configuration (ids and secrets).
const maxChannelConfig = 64 << 10

const channelCols = `id, bot_id, type, name, config, created_at`

// CreateChannel adds a channel to a bot. Its config is a JSON object
// (default {}); a WhatsApp channel needs at least config.phone_number_id.
func (s *Store) CreateChannel(ctx context.Context, c desk.Channel) (desk.Channel, error) {
	if !c.Type.Valid() {
		return desk.Channel{}, desk.Invalid("type", "must be web, whatsapp or api")
	}
	c.Config = desk.KeepChannelSecrets(nil, c.Config)
	if err := checkChannel(&c); err != nil {
		return desk.Channel{}, err
	}
	var out desk.Channel
	err := s.tx(ctx, func(t *txn) error {
		if missing, err := t.firstMissing(`SELECT id FROM bots WHERE id IN`, []string{c.BotID}); err != nil {
			return err
		} else if missing != "" {
			return desk.Invalid("bot_id", "no such bot")
		}
		id := s.ids.New()
		if _, err := t.exec(`INSERT INTO channels (id, bot_id, type, name, config, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
			id, c.BotID, string(c.Type), c.Name, string(c.Config), ms(t.now)); err != nil {
			return fmt.Errorf("store: create channel: %w", err)
		}
		var err error
		out, err = getChannel(ctx, t.tx, id)
		return err
	})
	return out, err
}

// UpdateChannel applies p to a channel.
func (s *Store) UpdateChannel(ctx context.Context, id string, p ChannelPatch) (desk.Channel, error) {
	var out desk.Channel
	err := s.tx(ctx, func(t *txn) error {
		c, err := getChannel(ctx, t.tx, id)
		if err != nil {
			return err
		}
		if p.Name != nil {
			c.Name = *p.Name
		}
		if p.Config != nil {
			c.Config = desk.KeepChannelSecrets(c.Config, *p.Config)
		}
		if p.Secret != nil {
			if err := desk.CheckIdentitySecret(c); err != nil {
				return err
			}
			if c.Config, err = withSecret(c.Config, *p.Secret); err != nil {
				return err
			}
		}
		if err := checkChannel(&c); err != nil {
			return err
		}
		if _, err := t.exec(`UPDATE channels SET name = $2, config = $3 WHERE id = $1`, id, c.Name, string(c.Config)); err != nil {
			return fmt.Errorf("store: update channel: %w", err)
		}
		out, err = getChannel(ctx, t.tx, id)
		return err
	})
	if err == nil {
		err = s.settingsChanged()
	}
	return out, err
}

// GetChannel reads a channel, from memory when it can (cache.go).
func (s *Store) GetChannel(ctx context.Context, id string) (desk.Channel, error) {
	return s.cachedChannel(ctx, id)
}

// ListChannels lists channels by name: all when botIDs is nil, else those
// of botIDs.
func (s *Store) ListChannels(ctx context.Context, botIDs []string) ([]desk.Channel, error) {
	q := `SELECT ` + channelCols + ` FROM channels`
	if botIDs != nil {
		if len(botIDs) == 0 {
			return []desk.Channel{}, nil
		}
		q += ` WHERE bot_id IN (` + paramList(1, len(botIDs)) + `)`
	}
	return queryList(ctx, s.r, "list channels", q+` ORDER BY LOWER(name), name, id`, anyArgs(botIDs), scanChannel)
}

// checkChannel validates name and config, normalising the config to a
// compact JSON object.
func checkChannel(c *desk.Channel) error {
	name, err := cleanText("name", c.Name, true, 200)
	if err != nil {
		return err
	}
	c.Name = name
	cfg, err := jsonObject("config", c.Config, maxChannelConfig)
	if err != nil {
		return err
	}
	if len(cfg) == 0 {
		cfg = json.RawMessage(`{}`)
	}
	c.Config = cfg
	// Every key and value is checked here, once, so a channel that was
	// saved always works: a typo in a key or an origin is refused now,
	// not discovered by visitors later.
	return desk.CheckChannelConfig(c.Type, cfg, desk.Strict)
}

// checkChannelID is the validation error for a channel_id that names no
// channel.
func (t *txn) checkChannelID(id string) error {
	if missing, err := t.firstMissing(`SELECT id FROM channels WHERE id IN`, []string{id}); err != nil {
		return err
	} else if missing != "" {
		return desk.Invalid("channel_id", "no such channel")
	}
	return nil
}

func getChannel(ctx context.Context, q querier, id string) (desk.Channel, error) {
	c, err := scanChannel(q.QueryRowContext(ctx, `SELECT `+channelCols+` FROM channels WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, desk.NotFound("channel")
	}
	if err != nil {
		return c, fmt.Errorf("store: get channel: %w", err)
	}
	return c, nil
}

func scanChannel(sc scanner) (desk.Channel, error) {
	var c desk.Channel
	var cfg string
	var created int64
	if err := sc.Scan(&c.ID, &c.BotID, &c.Type, &c.Name, &cfg, &created); err != nil {
		return c, err
	}
	c.Config, c.CreatedAt = json.RawMessage(cfg), fromMS(created)
	return c, nil
}

// Helpers shared by the settings files (users, bots, teams, channels,
// catalog, tokens, contacts).

// withSecret is cfg with its "secret" set to secret.
func withSecret(cfg json.RawMessage, secret string) (json.RawMessage, error) {
	m := map[string]json.RawMessage{}
	if len(cfg) > 0 && json.Unmarshal(cfg, &m) != nil {
		return nil, desk.Errorf(desk.CodeChannelMisconfigured, "the channel's stored config cannot be read: save it again first")
	}
	m["secret"], _ = json.Marshal(secret)
	return json.Marshal(m)
}
