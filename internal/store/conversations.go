package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/relevo/relevo/internal/desk"
)

// GetConversation reads one conversation as actor sees it.
func (s *Store) GetConversation(ctx context.Context, actor desk.Actor, id string) (desk.Conversation, error) {
	c, err := s.getConversation(ctx, s.reads, id, viewerOf(actor))
	if err != nil {
		return c, err
	}
	if !actor.CanSee(c) {
		return desk.Conversation{}, desk.NotFound("conversation")
	}
	return c, nil
}

// conversationCols selects a conversation as seen by the user in $1 (read
// state is per user; pass "" for none).
const conversationCols = conversationRowCols + `
	COALESCE(r.marked_unread, 0),
	(SELECT COUNT(*) FROM messages m WHERE m.conversation_id = c.id AND m.author_type = 'contact'
		AND m.seq > COALESCE(r.last_read_seq, 0)),
	` + lastMessageCol

// conversationRowCols are the conversation's own columns and its contact's.
const conversationRowCols = `c.id, c.protocol, c.bot_id, c.channel_id, c.channel_type, c.contact_id, ct.name, ct.phone,
	c.phase, c.assignee_id, c.team_id, c.waiting_since, c.last_message_at, c.window_expires_at,
	c.locked_until, c.seq, c.version, c.closed_reason, c.created_at, c.closed_at, c.csat_score, c.out_of_hours,`

// lastMessageCol is the preview of the latest message the customer sees,
// as one "author kind text" string: one correlated subquery (walking the
// (conversation_id, seq) index backwards) instead of three. Author types
// and kinds have no spaces, so the first two split it back.
const lastMessageCol = `(SELECT m.author_type || ' ' || m.kind || ' ' || substr(m.text, 1, ` + previewChars + `)
		FROM messages m WHERE m.conversation_id = c.id AND m.kind <> 'note' AND m.kind <> 'event'
		ORDER BY m.seq DESC LIMIT 1)`

// previewChars is how much of a message a preview keeps (characters).
const previewChars = "140"

// parsePreview splits lastMessageCol's value.
func parsePreview(v sql.NullString) *desk.MessagePreview {
	if !v.Valid {
		return nil
	}
	parts := strings.SplitN(v.String, " ", 3)
	if len(parts) < 3 {
		return nil
	}
	return &desk.MessagePreview{Author: desk.AuthorType(parts[0]), Kind: desk.MessageKind(parts[1]), Text: parts[2]}
}

const conversationFrom = ` FROM conversations c JOIN contacts ct ON ct.id = c.contact_id
	LEFT JOIN reads r ON r.conversation_id = c.id AND r.user_id = $1`

func scanConversation(sc scanner, now time.Time) (desk.Conversation, error) {
	var c desk.Conversation
	var protocol, assignee, team, closedReason, preview sql.NullString
	var waiting, window, locked, closed, csat sql.NullInt64
	var last, created int64
	var marked, outOfHours int
	err := sc.Scan(&c.ID, &protocol, &c.BotID, &c.ChannelID, &c.ChannelType, &c.Contact.ID, &c.Contact.Name, &c.Contact.Phone,
		&c.Phase, &assignee, &team, &waiting, &last, &window,
		&locked, &c.Seq, &c.Version, &closedReason, &created, &closed, &csat, &outOfHours,
		&marked, &c.UnreadCount, &preview)
	if err != nil {
		return c, err
	}
	c.Protocol, c.AssigneeID, c.TeamID, c.ClosedReason = nullStr(protocol), nullStr(assignee), nullStr(team), nullStr(closedReason)
	c.WaitingSince, c.WindowExpiresAt, c.ClosedAt = fromNullMS(waiting), fromNullMS(window), fromNullMS(closed)
	c.LastMessageAt, c.CreatedAt = fromMS(last), fromMS(created)
	// An expired lock is no lock, even before the sweeper clears it.
	if l := fromNullMS(locked); l != nil && l.After(now) {
		c.LockedUntil = l
	}
	if csat.Valid {
		n := int(csat.Int64)
		c.CSATScore = &n
	}
	c.MarkedUnread, c.OutOfHours = marked != 0, outOfHours != 0
	c.LastMessage = parsePreview(preview)
	c.Tags = []string{}
	return c, nil
}

// getConversation reads one conversation for viewer (may be ""), its tags
// in the same statement (one round trip on PostgreSQL, not two).
func (s *Store) getConversation(ctx context.Context, q querier, id, viewer string) (desk.Conversation, error) {
	c, err := s.conversationWhere(ctx, q, convByID, viewer, id)
	if errors.Is(err, sql.ErrNoRows) {
		return c, desk.NotFound("conversation")
	}
	return c, err
}

// tagsCol is a conversation's tag ids, comma-separated in order. string_agg
// with ORDER BY is in both dialects (SQLite since 3.44). Tag ids have no
// commas.
const tagsCol = `(SELECT string_agg(tag_id, ',' ORDER BY tag_id) FROM conversation_tags WHERE conversation_id = c.id)`

// convForm is one of the fixed WHERE forms a single conversation is read
// by. A fixed set keeps the statement texts stable, so each is parsed once
// and then runs prepared (stmtcache.go): SQLite's parser was a quarter to a
// third of the CPU of inbound and assign when the text was built per call
// (docs/PERFORMANCE.md).
type convForm int

const (
	convByID convForm = iota // $2: the conversation's id
	// $2 contact, $3 channel: the contact's open conversation there,
	// row-locked where the dialect locks rows (inbound).
	convOpenOfContact
	convForms
)

// conversationSQL builds the statement of each form for dialect d, once.
func conversationSQL(d dialect) [convForms]string {
	sel := `SELECT ` + conversationCols + `, ` + tagsCol + conversationFrom + ` WHERE `
	return [convForms]string{
		convByID:          sel + `c.id = $2`,
		convOpenOfContact: sel + `c.contact_id = $2 AND c.channel_id = $3 AND c.phase <> 'closed'` + d.lockRowsOf("c"),
	}
}

// conversationWhere reads the one conversation matching form (whose
// parameters start at $2; $1 is viewer) with its tags; sql.ErrNoRows when
// none does. Inside a transaction it runs on the writer's prepared
// statement; the readers' querier prepares its own (readCache).
func (s *Store) conversationWhere(ctx context.Context, q querier, form convForm, viewer string, args ...any) (desk.Conversation, error) {
	var tags sql.NullString
	text, args := s.convSQL[form], append([]any{viewer}, args...)
	var row *sql.Row
	if tc, ok := q.(txConn); ok {
		row = tc.queryRowPrepared(ctx, text, args...)
	} else {
		row = q.QueryRowContext(ctx, text, args...)
	}
	c, err := scanConversation(withTags{row, &tags}, s.clock.Now())
	if errors.Is(err, sql.ErrNoRows) {
		return c, err
	}
	if err != nil {
		return c, fmt.Errorf("store: get conversation: %w", err)
	}
	if tags.String != "" {
		c.Tags = strings.Split(tags.String, ",")
	}
	return c, nil
}

// loadTags fills the tags of a page of conversations in one query.
func (s *Store) loadTags(ctx context.Context, q querier, list []*desk.Conversation) error {
	if len(list) == 0 {
		return nil
	}
	byID := make(map[string]*desk.Conversation, len(list))
	args := make([]any, 0, len(list))
	marks := make([]string, 0, len(list))
	for i, c := range list {
		byID[c.ID] = c
		args = append(args, c.ID)
		marks = append(marks, fmt.Sprintf("$%d", i+1))
	}
	rows, err := q.QueryContext(ctx, `SELECT conversation_id, tag_id FROM conversation_tags WHERE conversation_id IN (`+
		strings.Join(marks, ",")+`) ORDER BY tag_id`, args...)
	if err != nil {
		return fmt.Errorf("store: tags: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var cid, tid string
		if err := rows.Scan(&cid, &tid); err != nil {
			return fmt.Errorf("store: tags: %w", err)
		}
		byID[cid].Tags = append(byID[cid].Tags, tid)
	}
	return rows.Err()
}
