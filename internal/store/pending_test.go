package store

import (
	"fmt"
	"reflect"
	"testing"
)

// The statement builders of the deferred writes (pending.go): placeholders
// renumbered so every argument lands where it belongs, rows kept in order.
func TestDeferredWritesBuildOneStatement(t *testing.T) {
	if got := renumber(`x = $1, y = $12, z = CAST($2 AS BIGINT)`, 10); got != `x = $11, y = $22, z = CAST($12 AS BIGINT)` {
		t.Fatalf("renumber: %s", got)
	}
	ev := func(n int) deferred {
		return deferred{q: `INSERT INTO events (a, b) VALUES ($1, $2)`, args: []any{n, -n}}
	}
	upd := deferred{q: `UPDATE users SET x = $2 WHERE id = $1`, args: []any{"u", 7}}
	list := []deferred{ev(1), upd, ev(2)}
	for i := 3; i <= maxRowsPerInsert+1; i++ {
		list = append(list, ev(i))
	}
	got := multiRow(list)
	if len(got) != 3 {
		t.Fatalf("multiRow: %d statements, want 3 (events, the update, the events past the bound)", len(got))
	}
	want := `INSERT INTO events (a, b) VALUES ($1, $2)`
	var args []any
	for i := 2; i <= maxRowsPerInsert; i++ {
		want += fmt.Sprintf(", ($%d, $%d)", 2*i-1, 2*i)
	}
	for i := 1; i <= maxRowsPerInsert; i++ {
		args = append(args, i, -i)
	}
	if got[0].q != want || !reflect.DeepEqual(got[0].args, args) {
		t.Fatalf("multiRow: %s %v", got[0].q, got[0].args)
	}
	if got[1].q != upd.q || got[2].q != ev(0).q || !reflect.DeepEqual(got[2].args, []any{maxRowsPerInsert + 1, -(maxRowsPerInsert + 1)}) {
		t.Fatalf("multiRow: %+v", got[1:])
	}
	q, all := mergeWrites([]deferred{ev(1), upd})
	if q != `WITH w0 AS (INSERT INTO events (a, b) VALUES ($1, $2)) UPDATE users SET x = $4 WHERE id = $3` ||
		!reflect.DeepEqual(all, []any{1, -1, "u", 7}) {
		t.Fatalf("mergeWrites: %s %v", q, all)
	}
}
