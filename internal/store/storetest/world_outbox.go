package storetest

import (
	"context"
	"database/sql"
	"log/slog"
	"sync/atomic"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/jobs"
	"github.com/relevo/relevo/internal/store"
)

// Messages reads a whole timeline, oldest first.
func (w *World) Messages(id string) []desk.Message {
	w.T.Helper()
	list, err := w.S.ListMessages(w.Ctx, desk.SystemActor, id, store.MessagePage{Limit: 10000})
	if err != nil {
		w.T.Fatalf("world: messages: %v", err)
	}
	return list
}

// Last returns the last n messages of a timeline, oldest first.
func (w *World) Last(id string, n int) []desk.Message {
	w.T.Helper()
	list := w.Messages(id)
	if len(list) < n {
		w.T.Fatalf("world: %d messages, want at least %d", len(list), n)
	}
	return list[len(list)-n:]
}

// Deliver runs an outbox worker whose senders accept everything until
// nothing is due, and returns how many items it delivered.
func (w *World) Deliver() int {
	w.T.Helper()
	var n atomic.Int64
	ok := jobs.SenderFunc(func(_ context.Context, d store.Delivery) (string, error) {
		n.Add(1)
		return "ext-" + d.Item.ID, nil
	})
	if err := NewOutbox(w.S, ok).Drain(w.Ctx); err != nil {
		w.T.Fatalf("world: deliver: %v", err)
	}
	return int(n.Load())
}

// NewOutbox is an outbox worker on s that hands every item, whatever its
// channel or kind, to sender, and logs nothing.
func NewOutbox(s *store.Store, sender jobs.Sender) *jobs.Outbox {
	return &jobs.Outbox{Store: s, Log: slog.New(slog.DiscardHandler), Routes: jobs.Routes{
		Channels: map[desk.ChannelType]jobs.Sender{desk.ChannelAPI: sender, desk.ChannelWeb: sender, desk.ChannelWhatsApp: sender},
		BotEvent: sender,
	}}
}

// OutboxRow is one stored outbox item, read straight from the table.
type OutboxRow struct {
	Kind, MessageID, LockID, Status string
	Attempts                        int
}

// Outbox reads the outbox items of a conversation, oldest first.
func (w *World) Outbox(convID string) []OutboxRow {
	w.T.Helper()
	rows, err := w.Raw().QueryContext(w.Ctx, `SELECT kind, COALESCE(message_id, ''), COALESCE(lock_id, ''), status, attempts
		FROM outbox WHERE conversation_id = $1 ORDER BY created_at, kind DESC, id`, convID)
	if err != nil {
		w.T.Fatalf("world: outbox: %v", err)
	}
	defer rows.Close()
	var out []OutboxRow
	for rows.Next() {
		var r OutboxRow
		if err := rows.Scan(&r.Kind, &r.MessageID, &r.LockID, &r.Status, &r.Attempts); err != nil {
			w.T.Fatalf("world: outbox: %v", err)
		}
		out = append(out, r)
	}
	return out
}

// EventRow is one entry of a conversation's real-time feed.
type EventRow struct {
	Seq       int64
	Type      desk.ChangeType
	MessageID string
}

// Events reads a conversation's feed (the events table) by seq.
func (w *World) Events(convID string) []EventRow {
	w.T.Helper()
	rows, err := w.Raw().QueryContext(w.Ctx, `SELECT seq, type, COALESCE(message_id, '') FROM events
		WHERE conversation_id = $1 ORDER BY seq`, convID)
	if err != nil {
		w.T.Fatalf("world: events: %v", err)
	}
	defer rows.Close()
	var out []EventRow
	for rows.Next() {
		var e EventRow
		if err := rows.Scan(&e.Seq, &e.Type, &e.MessageID); err != nil {
			w.T.Fatalf("world: events: %v", err)
		}
		out = append(out, e)
	}
	return out
}

// Raw is a plain connection to the world's database, for reading what
// the store's API does not show (outbox, events). Never write through it.
func (w *World) Raw() *sql.DB {
	w.rawOnce.Do(func() {
		raw, err := w.DB.openRaw("query_only(1)")
		if err != nil {
			w.T.Fatalf("world: raw: %v", err)
		}
		w.raw = raw
		w.root.Cleanup(func() { raw.Close() })
	})
	return w.raw
}
