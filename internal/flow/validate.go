package flow

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/relevo/relevo/internal/desk"
)

// Bounds of a flow. Texts and labels follow WhatsApp's own limits, so a
// flow that validates can be carried by every channel: up to 3 options go
// out as reply buttons (title ≤ 20 characters), up to 10 as a list (row
// title ≤ 24).
const (
	MaxNodes       = 200
	MaxText        = desk.MaxTextLen
	MaxOptions     = 10
	MaxLabel       = 24
	MaxButtons     = 3
	MaxButtonLabel = 20
	maxID          = 64
	maxOptionID    = 200
	maxNote        = 2000
	maxRaw         = 1 << 20
	maxProblems    = 20
)

// Problem is one thing wrong with a flow, at a JSON path such as
// "nodes.ask_email.next".
type Problem struct {
	Path    string `json:"path"`
	Message string `json:"message"`
}

type problems []Problem

func (p *problems) add(path, format string, args ...any) {
	if len(*p) < maxProblems {
		*p = append(*p, Problem{Path: path, Message: fmt.Sprintf(format, args...)})
	}
}

// err is the validation error: the first problem in the message, all of
// them in the details.
func (p problems) err() *desk.Error {
	first := p[0]
	msg := first.Message
	if first.Path != "" {
		msg = first.Path + ": " + msg
	}
	return desk.Errorf(desk.CodeValidationFailed, "flow: %s", msg).
		WithDetail("field", "flow").WithDetail("path", first.Path).WithDetail("problems", []Problem(p))
}

// decode reads raw strictly: unknown fields, and fields that do not belong
// to a node's type, are problems rather than silently ignored.
func decode(raw []byte) (*Flow, problems) {
	var probs problems
	if len(raw) > maxRaw {
		probs.add("", "larger than %d bytes", maxRaw)
		return nil, probs
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(raw, &top); err != nil || top == nil {
		probs.add("", "must be a JSON object with start and nodes")
		return nil, probs
	}
	for _, k := range sortedKeys(top) {
		if k != "start" && k != "nodes" {
			probs.add(k, "unknown field")
		}
	}
	f := &Flow{Nodes: map[string]Node{}}
	if s, ok := top["start"]; ok && json.Unmarshal(s, &f.Start) != nil {
		probs.add("start", "must be a node id")
	}
	var nodes map[string]json.RawMessage
	if n, ok := top["nodes"]; ok && (json.Unmarshal(n, &nodes) != nil || nodes == nil) {
		probs.add("nodes", "must be an object of nodes by id")
	}
	if len(nodes) > MaxNodes {
		probs.add("nodes", "at most %d nodes", MaxNodes)
		return f, probs
	}
	for _, id := range sortedKeys(nodes) {
		n, ok := decodeNode("nodes."+id, nodes[id], &probs)
		if ok {
			f.Nodes[id] = n
		}
	}
	return f, probs
}

func decodeNode(path string, raw json.RawMessage, probs *problems) (Node, bool) {
	var fields map[string]json.RawMessage
	if json.Unmarshal(raw, &fields) != nil || fields == nil {
		probs.add(path, "must be an object")
		return Node{}, false
	}
	var typ NodeType
	if json.Unmarshal(fields["type"], &typ) != nil || typ == "" {
		probs.add(path+".type", "required: message, question, menu, condition, handover or end")
		return Node{}, false
	}
	allowed, ok := fieldsOf[typ]
	if !ok {
		probs.add(path+".type", "unknown type %q", typ)
		return Node{}, false
	}
	bad := false
	for _, k := range sortedKeys(fields) {
		if !slices.Contains(allowed, k) {
			probs.add(path+"."+k, "unknown field for a %s node", typ)
			bad = true
		}
	}
	var n Node
	if err := json.Unmarshal(raw, &n); err != nil {
		field := ""
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			field = "." + te.Field
		}
		probs.add(path+field, "has the wrong type")
		return Node{}, false
	}
	return n, !bad
}

// check validates a decoded flow's contents and shape.
func (f *Flow) check() problems {
	var probs problems
	switch {
	case len(f.Nodes) == 0:
		probs.add("nodes", "at least one node is required")
	case f.Start == "":
		probs.add("start", "required")
	case !f.has(f.Start):
		probs.add("start", "unknown node %q", f.Start)
	}
	for _, id := range sortedKeys(f.Nodes) {
		path := "nodes." + id
		if !validID(id, false) {
			probs.add(path, "node ids have 1 to %d letters, digits, _ or -", maxID)
		}
		f.checkNode(path, id, f.Nodes[id], &probs)
	}
	if len(probs) == 0 {
		f.checkReachable(&probs)
	}
	if len(probs) == 0 {
		f.checkLoops(&probs)
	}
	return probs
}

func (f *Flow) checkNode(path, id string, n Node, probs *problems) {
	switch n.Type {
	case TypeMessage:
		checkText(path+".text", n.Text, true, MaxText, probs)
		f.checkNext(path+".next", n.Next, probs)
	case TypeQuestion:
		checkText(path+".text", n.Text, true, MaxText, probs)
		checkText(path+".retry_text", n.RetryText, false, MaxText, probs)
		if !validID(n.Attribute, true) {
			probs.add(path+".attribute", "required: 1 to %d letters, digits, _, - or .", maxID)
		}
		switch n.Validate {
		case "", CheckText, CheckEmail, CheckPhone, CheckNumber:
			if len(n.Options) > 0 {
				probs.add(path+".options", "only with validate \"options\"")
			}
		case CheckOptions:
			checkOptions(path, id, n.Options, false, f, probs)
		default:
			probs.add(path+".validate", "unknown check %q: text, email, phone, number or options", n.Validate)
		}
		f.checkNext(path+".next", n.Next, probs)
	case TypeMenu:
		checkText(path+".text", n.Text, true, MaxText, probs)
		checkText(path+".retry_text", n.RetryText, false, MaxText, probs)
		checkOptions(path, id, n.Options, true, f, probs)
	case TypeCondition:
		if !validID(n.Attribute, true) {
			probs.add(path+".attribute", "required: 1 to %d letters, digits, _, - or .", maxID)
		}
		switch n.Operator {
		case OpExists:
			if n.Value != "" {
				probs.add(path+".value", "not used with exists")
			}
		case OpEquals, OpNotEquals, OpContains:
			checkText(path+".value", n.Value, true, 1000, probs)
		case OpGreaterThan, OpLessThan:
			if _, ok := number(n.Value); !ok {
				probs.add(path+".value", "must be a number with %s", n.Operator)
			}
		case "":
			probs.add(path+".operator", "required: equals, not_equals, contains, exists, greater_than or less_than")
		default:
			probs.add(path+".operator", "unknown operator %q", n.Operator)
		}
		f.checkNext(path+".then", n.Then, probs)
		f.checkNext(path+".else", n.Else, probs)
	case TypeHandover:
		if utf8.RuneCountInString(n.TeamID) > maxID {
			probs.add(path+".team_id", "at most %d characters", maxID)
		}
		checkText(path+".note", n.Note, false, maxNote, probs)
	case TypeEnd:
		checkText(path+".text", n.Text, false, MaxText, probs)
	}
}

func checkOptions(path, id string, opts []Option, menu bool, f *Flow, probs *problems) {
	if len(opts) == 0 || len(opts) > MaxOptions {
		probs.add(path+".options", "1 to %d options", MaxOptions)
		return
	}
	maxLabel := MaxLabel
	if len(opts) <= MaxButtons {
		maxLabel = MaxButtonLabel
	}
	labels, ids := map[string]bool{}, map[string]bool{}
	for i, o := range opts {
		p := path + ".options[" + strconv.Itoa(i) + "]"
		if strings.TrimSpace(o.Label) == "" {
			probs.add(p+".label", "required")
		} else if n := utf8.RuneCountInString(o.Label); n > maxLabel {
			probs.add(p+".label", "at most %d characters with %d options (WhatsApp's limit)", maxLabel, len(opts))
		} else if labels[fold(o.Label)] {
			probs.add(p+".label", "the same label as another option")
		}
		labels[fold(o.Label)] = true
		if len(o.ID) > maxOptionID {
			probs.add(p+".id", "at most %d bytes", maxOptionID)
		} else if b := o.buttonID(id, i); ids[b] {
			probs.add(p+".id", "the same id as another option")
		} else {
			ids[b] = true
		}
		if menu {
			f.checkNext(p+".next", o.Next, probs)
		} else if o.Next != "" {
			probs.add(p+".next", "a question's options do not branch; use a menu")
		}
	}
}

func (f *Flow) checkNext(path, next string, probs *problems) {
	switch {
	case next == "":
		probs.add(path, "required")
	case !f.has(next):
		probs.add(path, "unknown node %q", next)
	}
}

func checkText(path, s string, required bool, max int, probs *problems) {
	switch {
	case required && strings.TrimSpace(s) == "":
		probs.add(path, "required")
	case utf8.RuneCountInString(s) > max:
		probs.add(path, "at most %d characters", max)
	default:
		// A text goes to customers as a message: the same rule as an
		// agent's (a NUL would fail every send on PostgreSQL).
		if _, err := desk.CleanText(path, s); err != nil {
			probs.add(path, "must not contain control characters other than line breaks and tabs")
		}
	}
}

// checkReachable refuses nodes no path from start leads to: a flow has no
// drafts, so an orphan is a mistake (usually a missing next).
func (f *Flow) checkReachable(probs *problems) {
	seen := map[string]bool{f.Start: true}
	queue := []string{f.Start}
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		for _, e := range f.Nodes[id].edges() {
			if !seen[e.to] {
				seen[e.to] = true
				queue = append(queue, e.to)
			}
		}
	}
	for _, id := range sortedKeys(f.Nodes) {
		if !seen[id] {
			probs.add("nodes."+id, "not reachable from start")
		}
	}
}

// checkLoops refuses a cycle of messages and conditions: nothing in it
// waits for the customer, so the bot would talk to itself forever.
func (f *Flow) checkLoops(probs *problems) {
	const (
		white = iota
		grey
		black
	)
	color := map[string]int{}
	var visit func(id string) bool
	visit = func(id string) bool {
		color[id] = grey
		for _, e := range f.Nodes[id].edges() {
			if f.Nodes[e.to].Type.waits() {
				continue
			}
			switch color[e.to] {
			case grey:
				probs.add("nodes."+id+"."+e.field, "loops back to %q without a question or menu in between", e.to)
				return true
			case white:
				if visit(e.to) {
					return true
				}
			}
		}
		color[id] = black
		return false
	}
	for _, id := range sortedKeys(f.Nodes) {
		if color[id] == white && !f.Nodes[id].Type.waits() && visit(id) {
			return
		}
	}
}

// edge is a reference from one node to the next, by the field holding it.
type edge struct{ field, to string }

func (n Node) edges() []edge {
	switch n.Type {
	case TypeMessage, TypeQuestion:
		return []edge{{"next", n.Next}}
	case TypeCondition:
		return []edge{{"then", n.Then}, {"else", n.Else}}
	case TypeMenu:
		out := make([]edge, len(n.Options))
		for i, o := range n.Options {
			out[i] = edge{"options[" + strconv.Itoa(i) + "].next", o.Next}
		}
		return out
	}
	return nil
}

func (f *Flow) has(id string) bool {
	_, ok := f.Nodes[id]
	return ok
}

// validID accepts node ids (letters, digits, _ and -) and, with dots,
// attribute names.
func validID(s string, dots bool) bool {
	if s == "" || utf8.RuneCountInString(s) > maxID {
		return false
	}
	for _, r := range s {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '-' || dots && r == '.') {
			return false
		}
	}
	return true
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
