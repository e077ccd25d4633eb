package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/relevo/relevo/internal/desk"
)

// KeptDeliveries is how many webhook attempts a bot's delivery log keeps.
const KeptDeliveries = 50

// BotDelivery is one POST to a bot's webhook_url, as its delivery log shows
// it. Status is the receiver's HTTP status, or null with ErrorKind saying
// why no answer came (connection_refused, timeout, dns, tls, network,
// invalid_url). URL is the host and path only; Response the first 500
// bytes of the answer's body.
type BotDelivery struct {
	ID        string    `json:"id"`
	BotID     string    `json:"bot_id"`
	EventID   string    `json:"event_id"`
	EventType string    `json:"event_type"`
	URL       string    `json:"url"`
	Status    *int      `json:"status"`
	ErrorKind string    `json:"error_kind"`
	LatencyMS int64     `json:"latency_ms"`
	Response  string    `json:"response"`
	Test      bool      `json:"test"`
	CreatedAt time.Time `json:"created_at"`
}

const botDeliveryCols = `id, bot_id, event_id, event_type, url, status, error_kind, latency_ms, response, test, created_at`

// RecordBotDelivery adds d to its bot's log and trims the log to the last
// KeptDeliveries in the same transaction, so it never grows past them and
// needs no sweeper. The bot's row is locked first (PostgreSQL) so two
// nodes recording at once trim one after the other.
func (s *Store) RecordBotDelivery(ctx context.Context, d BotDelivery) (BotDelivery, error) {
	d.Response = textOf(d.Response)
	err := s.tx(ctx, func(t *txn) error {
		var id string
		if err := t.queryRow(`SELECT id FROM bots WHERE id = $1`+s.d.forUpdate(), d.BotID).Scan(&id); err != nil {
			return desk.NotFound("bot")
		}
		d.ID, d.CreatedAt = s.ids.New(), t.now.UTC()
		if _, err := t.exec(`INSERT INTO bot_deliveries (`+botDeliveryCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
			d.ID, d.BotID, d.EventID, d.EventType, d.URL, d.Status, d.ErrorKind, d.LatencyMS, d.Response, boolInt(d.Test),
			ms(t.now)); err != nil {
			return fmt.Errorf("store: record bot delivery: %w", err)
		}
		// Ids sort by creation: everything older than the 50th newest goes.
		_, err := t.exec(`DELETE FROM bot_deliveries WHERE bot_id = $1 AND id < (SELECT id FROM bot_deliveries
			WHERE bot_id = $1 ORDER BY id DESC LIMIT 1 OFFSET $2)`, d.BotID, KeptDeliveries-1)
		if err != nil {
			return fmt.Errorf("store: trim bot deliveries: %w", err)
		}
		return nil
	})
	return d, err
}

// ListBotDeliveries is a bot's delivery log, newest first.
func (s *Store) ListBotDeliveries(ctx context.Context, botID string) ([]BotDelivery, error) {
	list, err := queryList(ctx, s.r, "list bot deliveries", `SELECT `+botDeliveryCols+` FROM bot_deliveries
		WHERE bot_id = $1 ORDER BY id DESC LIMIT $2`, []any{botID, KeptDeliveries}, scanBotDelivery)
	if list == nil {
		list = []BotDelivery{}
	}
	return list, err
}

// RotateBotSecret gives a bot a new webhook secret and answers it: the one
// time anybody reads it.
func (s *Store) RotateBotSecret(ctx context.Context, botID string) (string, error) {
	secret, err := newSecret()
	if err != nil {
		return "", err
	}
	err = s.tx(ctx, func(t *txn) error {
		res, err := t.exec(`UPDATE bots SET webhook_secret = $2 WHERE id = $1`, botID, secret)
		if err != nil {
			return fmt.Errorf("store: rotate bot secret: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return desk.NotFound("bot")
		}
		return nil
	})
	if err == nil {
		// Events are signed with the cached bot's secret: every node
		// must drop it now.
		err = s.settingsChanged()
	}
	return secret, err
}

func scanBotDelivery(sc scanner) (BotDelivery, error) {
	var d BotDelivery
	var created, test int64
	err := sc.Scan(&d.ID, &d.BotID, &d.EventID, &d.EventType, &d.URL, &d.Status, &d.ErrorKind, &d.LatencyMS, &d.Response,
		&test, &created)
	d.Test, d.CreatedAt = test != 0, fromMS(created)
	return d, err
}

// textOf makes a receiver's bytes storable as text: PostgreSQL refuses
// invalid UTF-8 and NUL, and a cut in the middle of a character is common.
func textOf(s string) string {
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
}
