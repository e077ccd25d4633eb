package store

import (
	"fmt"
	"strings"
)

// where builds a conjunction of conditions with numbered placeholders.
type where struct {
	conds []string
	args  []any
}

// arg adds a value and returns its placeholder.
func (w *where) arg(v any) string {
	w.args = append(w.args, v)
	return fmt.Sprintf("$%d", len(w.args))
}

// in returns a placeholder list for vs.
func (w *where) in(vs []string) string {
	marks := make([]string, len(vs))
	for i, v := range vs {
		marks[i] = w.arg(v)
	}
	return strings.Join(marks, ", ")
}

func (w *where) add(cond string) { w.conds = append(w.conds, cond) }

func (w *where) sql() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}
