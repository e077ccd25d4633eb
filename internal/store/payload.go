package store

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/relevo/relevo/internal/desk"
)

// The payload of a change (desk.Change.Conversation, .Message) is what the
// transaction wrote, so the node that wrote it builds its frames without
// reading back: on PostgreSQL each read back was a round trip queued behind
// the writes, and the agent's socket fell seconds behind the answers
// (docs/PERFORMANCE.md, "Real time without read-back").

// snapshotQuery reads a conversation as pushed to its viewers, inside the
// writing transaction: no per-user read state (frames leave it out, so the
// unread count's scan of the timeline is skipped) and the tags in the same
// row (one statement, one round trip on PostgreSQL).
const snapshotQuery = `SELECT ` + conversationRowCols + ` 0, 0, ` + lastMessageCol + `, ` + tagsCol + `
	FROM conversations c JOIN contacts ct ON ct.id = c.contact_id WHERE c.id = $1`

// withTags scans snapshotQuery's row: scanConversation's columns, then the
// tags.
type withTags struct {
	row  *sql.Row
	tags *sql.NullString
}

func (w withTags) Scan(dest ...any) error { return w.row.Scan(append(dest, w.tags)...) }

// attachPayloads gives every conversation change of the transaction the
// conversation as it will be committed: read once per conversation, after
// the request's last write, on the writer (no round trip on SQLite; one on
// PostgreSQL, inside the transaction). Changes of one conversation share
// the snapshot, as a read back after the commit would have shown them.
func (t *txn) attachPayloads() error {
	var done map[string]*desk.Conversation
	reads := t.payloadReads()
	if v := t.view; v != nil && v.id != "" {
		// The viewer's read is the snapshot plus the read state: frames
		// get it without the read state, as snapshotQuery reads it.
		t.lastRead(&reads)
		got, err := t.s.conversationWhere(t.ctx, t.tx, convByID, v.viewer, v.id)
		if errors.Is(err, sql.ErrNoRows) {
			return desk.NotFound("conversation")
		}
		if err != nil {
			return err
		}
		v.got = got
		shared := got
		shared.MarkedUnread, shared.UnreadCount = false, 0
		shared.Tags = append([]string{}, got.Tags...)
		done = map[string]*desk.Conversation{v.id: &shared}
	}
	for i := range t.changes {
		c := &t.changes[i]
		if c.ConversationID == "" || c.Type == desk.ChangeTyping {
			continue
		}
		conv, ok := done[c.ConversationID]
		if !ok {
			var tags sql.NullString
			t.lastRead(&reads)
			got, err := scanConversation(withTags{t.queryRow(snapshotQuery, c.ConversationID), &tags}, t.s.clock.Now())
			if err != nil {
				return fmt.Errorf("store: conversation as committed: %w", err)
			}
			if tags.String != "" {
				got.Tags = strings.Split(tags.String, ",")
			}
			conv = &got
			if done == nil {
				done = map[string]*desk.Conversation{}
			}
			done[c.ConversationID] = conv
		}
		c.Conversation = conv
	}
	return nil
}

// payloadReads counts the reads attachPayloads makes: the view, and one
// per other conversation changed.
func (t *txn) payloadReads() int {
	seen := map[string]bool{}
	if v := t.view; v != nil && v.id != "" {
		seen[v.id] = true
	}
	for _, c := range t.changes {
		if c.ConversationID != "" && c.Type != desk.ChangeTyping {
			seen[c.ConversationID] = true
		}
	}
	return len(seen)
}

// lastRead counts down the reads left; on PostgreSQL the last one carries
// the COMMIT (pgpipe.go): the writes flushed before it, the read and the
// COMMIT are one round trip, and the read's row comes back only once the
// COMMIT succeeded. Nothing is written after it.
func (t *txn) lastRead(left *int) {
	if *left--; *left == 0 && t.plan != nil {
		t.plan.commit = true
	}
}

// viewRequest is run's conversation as its viewer sees it, read inside the
// transaction after the request's last write.
type viewRequest struct {
	id, viewer string
	got        desk.Conversation
}

// insertedMessage is m as a read of its row returns it (scanMessage):
// times to the millisecond, the event and extras as decoded from their
// stored JSON.
func insertedMessage(m desk.Message, event any) *desk.Message {
	m.CreatedAt = fromMS(ms(m.CreatedAt))
	m.Event = nil
	if ev, ok := event.(string); ok {
		var e desk.Event
		if json.Unmarshal([]byte(ev), &e) == nil {
			m.Event = &e
		}
	}
	if !m.MessageExtra.Empty() {
		// Decoded from its JSON as a read would, so no field differs.
		var extra desk.MessageExtra
		if b, err := json.Marshal(m.MessageExtra); err == nil && json.Unmarshal(b, &extra) == nil {
			m.MessageExtra = extra
		}
	}
	if m.Attachments == nil {
		m.Attachments = []desk.Attachment{}
	}
	return &m
}
