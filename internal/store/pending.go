package store

import (
	"fmt"
	"strconv"
	"strings"
)

// Deferred writes (docs/PERFORMANCE.md, "Round trips per message"). The
// writes of a request that nothing in the request reads back (events,
// messages, outbox items, the conversation's seq and times, read marks)
// are kept in the txn and sent together: before the request's next
// statement, whatever it is, and at its end. So every statement still sees
// every earlier write, and on PostgreSQL the deferred writes cost one round
// trip (one statement, data-modifying CTEs) instead of one each.
//
// Seqs: once the txn holds the conversation's row lock and knows its seq
// (the compare-and-set's RETURNING, a FOR UPDATE read, or a first bump),
// the next seqs are counted here and written once, in the conversation's
// one UPDATE: gapless and race-free as before, since no other transaction
// can take a seq of a row this one has locked. On SQLite the single writer
// gives the same guarantee.

// deferred is one write statement and its arguments ($1… its own).
type deferred struct {
	what string
	q    string
	args []any
}

// convPatch is what the request changes in a conversation's row besides
// its placement, folded into one UPDATE.
type convPatch struct {
	id string
	// seq is the last seq counted locally; 0 when none was.
	seq int64
	// firstContact is the oldest customer message written (ms); nil: none.
	firstContact *int64
	// deadlines are set by an inbound message: last message, auto close,
	// and the window (which only moves forward; nil: no window).
	deadlines                bool
	lastMessageAt, autoClose int64
	window                   any
}

// patchQuery folds the seq, first_contact_at and the deadlines into one
// statement. Parameters absent from a patch are NULL and leave the column
// as it is. The casts: PostgreSQL cannot infer a parameter's type from
// "IS NULL" alone (SQLSTATE 42P08).
const patchQuery = `UPDATE conversations SET
	seq = COALESCE(CAST($2 AS BIGINT), seq),
	updated_at = CASE WHEN CAST($2 AS BIGINT) IS NULL THEN updated_at ELSE $3 END,
	first_contact_at = CASE WHEN CAST($4 AS BIGINT) IS NOT NULL AND (first_contact_at IS NULL OR first_contact_at > $4)
		THEN $4 ELSE first_contact_at END,
	last_message_at = COALESCE(CAST($5 AS BIGINT), last_message_at),
	auto_close_at = CASE WHEN CAST($5 AS BIGINT) IS NULL THEN auto_close_at ELSE $6 END,
	window_expires_at = CASE WHEN CAST($7 AS BIGINT) IS NULL THEN window_expires_at
		WHEN window_expires_at IS NULL OR window_expires_at < $7 THEN $7 ELSE window_expires_at END
	WHERE id = $1`

func (p *convPatch) stmt(now int64) deferred {
	var seq, last, autoClose any
	if p.seq != 0 {
		seq = p.seq
	}
	if p.deadlines {
		last, autoClose = p.lastMessageAt, p.autoClose
	}
	var first any
	if p.firstContact != nil {
		first = *p.firstContact
	}
	return deferred{what: "conversation", q: patchQuery, args: []any{p.id, seq, now, first, last, autoClose, p.window}}
}

// later queues a write for the next flush.
func (t *txn) later(what, q string, args ...any) {
	t.pending = append(t.pending, deferred{what: what, q: q, args: args})
}

// patch is the conversation's pending row change, created on first use.
func (t *txn) patch(convID string) *convPatch {
	for _, p := range t.patches {
		if p.id == convID {
			return p
		}
	}
	p := &convPatch{id: convID}
	t.patches = append(t.patches, p)
	return p
}

// knowSeq records that the txn holds convID's row lock and its seq is seq.
func (t *txn) knowSeq(convID string, seq int64) {
	if t.seqs == nil {
		t.seqs = map[string]int64{}
	}
	if _, ok := t.seqs[convID]; !ok {
		t.seqs[convID] = seq
	}
}

// discard drops what is queued and the flush's error: the request failed
// and is rolled back (the batch's ROLLBACK TO runs through the txn).
func (t *txn) discard() {
	t.pending, t.patches, t.flushErr = nil, nil, nil
	if t.plan != nil {
		t.plan.before, t.plan.commit = nil, false
	}
}

// writeErr is the first error of the deferred writes: a flush's, or on
// PostgreSQL the connection's, which sends them with the next statement.
func (t *txn) writeErr() error {
	if t.flushErr == nil && t.plan != nil && t.plan.err != nil {
		t.flushErr = t.plan.err
	}
	return t.flushErr
}

// flush sends the queued writes. Its error sticks to the txn (the request
// fails with it, whatever the statements after it answered), so a unique
// violation reaches Inbound's retry as such.
func (t *txn) flush() error {
	if t.flushing || (len(t.pending) == 0 && len(t.patches) == 0) {
		return t.writeErr()
	}
	t.flushing = true
	defer func() { t.flushing = false }()
	list := t.pending
	for _, p := range t.patches {
		list = append(list, p.stmt(ms(t.now)))
	}
	t.pending, t.patches = nil, nil
	if err := t.writeErr(); err != nil {
		return err
	}
	list = multiRow(list)
	if t.plan != nil {
		// PostgreSQL: handed to the connection, which sends them with the
		// request's next statement, in the same round trip (pgpipe.go); their
		// error comes back through the plan (writeErr).
		d := list[0]
		if len(list) > 1 {
			q, args := mergeWrites(list)
			d = deferred{what: fmt.Sprintf("write %d statements", len(list)), q: q, args: args}
		}
		t.plan.before = append(t.plan.before, d)
		return nil
	}
	for _, d := range list {
		if _, err := t.exec(d.q, d.args...); err != nil {
			t.flushErr = fmt.Errorf("store: %s: %w", d.what, err)
			return t.flushErr
		}
	}
	return nil
}

// mergeWrites makes one PostgreSQL statement of several writes: all but
// the last as data-modifying CTEs, which run to completion whether or not
// the main statement reads them, their placeholders renumbered. They all
// see the snapshot the statement starts with, so a flush never holds two
// writes where one reads what the other writes, nor two UPDATEs of one row
// (one patch per conversation). Foreign keys are checked at the statement's
// end, as triggers fire.
func mergeWrites(list []deferred) (string, []any) {
	var b strings.Builder
	var args []any
	for i, d := range list {
		switch {
		case i == 0:
			b.WriteString("WITH ")
		case i < len(list)-1:
			b.WriteString(", ")
		default:
			b.WriteString(" ")
		}
		q := renumber(d.q, len(args))
		if i < len(list)-1 {
			fmt.Fprintf(&b, "w%d AS (%s)", i, q)
		} else {
			b.WriteString(q)
		}
		args = append(args, d.args...)
	}
	return b.String(), args
}

// renumber shifts every $N of q by off. The store's SQL has no "$" in
// literals.
func renumber(q string, off int) string {
	if off == 0 {
		return q
	}
	var b strings.Builder
	for i := 0; i < len(q); i++ {
		if q[i] != '$' {
			b.WriteByte(q[i])
			continue
		}
		j := i + 1
		for j < len(q) && q[j] >= '0' && q[j] <= '9' {
			j++
		}
		n, err := strconv.Atoi(q[i+1 : j])
		if err != nil {
			b.WriteByte(q[i])
			continue
		}
		b.WriteString("$" + strconv.Itoa(n+off))
		i = j - 1
	}
	return b.String()
}

// maxRowsPerInsert bounds a multi-row INSERT, and so the number of
// statement texts (each one prepared, and cached, on its own).
const maxRowsPerInsert = 8

// multiRow merges the INSERTs of one statement text (an assign's three
// events, its two messages) into multi-row INSERTs, at the place of the
// first: one statement instead of several on both databases. Rows keep
// their order; nothing in a flush reads what another write of it wrote.
func multiRow(list []deferred) []deferred {
	out := make([]deferred, 0, len(list))
	open := map[string]int{} // statement text → its merged statement in out
	rows := map[int]int{}    // merged statement → rows in it
	for _, d := range list {
		at := strings.LastIndex(d.q, "VALUES (")
		i, ok := open[d.q]
		if at < 0 || !strings.HasPrefix(d.q, "INSERT INTO ") || !strings.HasSuffix(d.q, ")") {
			out = append(out, d)
			continue
		}
		if !ok || rows[i] == maxRowsPerInsert {
			open[d.q] = len(out)
			rows[len(out)] = 1
			out = append(out, deferred{what: d.what, q: d.q, args: append([]any{}, d.args...)})
			continue
		}
		m := &out[i]
		m.q += ", " + renumber(d.q[at+len("VALUES "):], len(m.args))
		m.args = append(m.args, d.args...)
		rows[i]++
	}
	return out
}
