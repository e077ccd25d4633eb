package flow

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// Flow is one bot's flow: the node a conversation starts at and every node
// by id.
type Flow struct {
	Start string          `json:"start"`
	Nodes map[string]Node `json:"nodes"`
}

// NodeType says what a node does.
type NodeType string

// Node types. Question and menu wait for the customer; the others run on
// at once (message, condition) or finish the flow (handover, end).
const (
	TypeMessage   NodeType = "message"
	TypeQuestion  NodeType = "question"
	TypeMenu      NodeType = "menu"
	TypeCondition NodeType = "condition"
	TypeHandover  NodeType = "handover"
	TypeEnd       NodeType = "end"
)

// waits reports whether a node of type t waits for the customer's answer.
func (t NodeType) waits() bool { return t == TypeQuestion || t == TypeMenu }

// Check is what a question accepts as an answer.
type Check string

// Answer checks of a question ("" is CheckText).
const (
	CheckText    Check = "text"
	CheckEmail   Check = "email"
	CheckPhone   Check = "phone"
	CheckNumber  Check = "number"
	CheckOptions Check = "options"
)

// Operator compares a contact attribute in a condition.
type Operator string

// Condition operators. Text comparisons ignore case and accents; the
// numeric ones are false when either side is not a number.
const (
	OpEquals      Operator = "equals"
	OpNotEquals   Operator = "not_equals"
	OpContains    Operator = "contains"
	OpExists      Operator = "exists"
	OpGreaterThan Operator = "greater_than"
	OpLessThan    Operator = "less_than"
)

// Node is one step of a flow. Which fields a node may carry depends on its
// type (see fieldsOf); the validator refuses the others, so a typo never
// passes silently.
type Node struct {
	Type NodeType `json:"type"`
	// Text is sent to the customer: message, question, menu, end.
	Text string `json:"text,omitempty"`
	// Next is the node after a message or an answered question.
	Next string `json:"next,omitempty"`
	// Attribute is the contact attribute a question fills or a condition
	// reads.
	Attribute string `json:"attribute,omitempty"`
	// Validate is the answer a question accepts (default text).
	Validate Check `json:"validate,omitempty"`
	// Options are a menu's choices, or the answers a question with
	// validate "options" accepts (offered as quick replies).
	Options []Option `json:"options,omitempty"`
	// RetryText is sent instead of Text when an answer is not accepted.
	RetryText string `json:"retry_text,omitempty"`
	// Operator, Value, Then and Else make a condition.
	Operator Operator `json:"operator,omitempty"`
	Value    string   `json:"value,omitempty"`
	Then     string   `json:"then,omitempty"`
	Else     string   `json:"else,omitempty"`
	// TeamID and Note shape a handover.
	TeamID string `json:"team_id,omitempty"`
	Note   string `json:"note,omitempty"`
}

// fieldsOf lists the JSON fields a node of each type may carry.
var fieldsOf = map[NodeType][]string{
	TypeMessage:   {"type", "text", "next"},
	TypeQuestion:  {"type", "text", "attribute", "validate", "options", "retry_text", "next"},
	TypeMenu:      {"type", "text", "options", "retry_text"},
	TypeCondition: {"type", "attribute", "operator", "value", "then", "else"},
	TypeHandover:  {"type", "team_id", "note"},
	TypeEnd:       {"type", "text"},
}

// Option is one choice. In JSON a question's option may be just its label
// ("Yes"); a menu option names the node it leads to.
type Option struct {
	// ID is the quick reply's id (its payload when pressed); when empty,
	// one is made from the node id and the option's position.
	ID    string `json:"id,omitempty"`
	Label string `json:"label"`
	Next  string `json:"next,omitempty"`
}

// UnmarshalJSON accepts an option as a bare label or as an object.
func (o *Option) UnmarshalJSON(b []byte) error {
	if b = bytes.TrimSpace(b); len(b) > 0 && b[0] == '"' {
		*o = Option{}
		return json.Unmarshal(b, &o.Label)
	}
	type plain Option
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	*o = Option(p)
	return nil
}

// buttonID is the quick-reply id of option i of node id.
func (o Option) buttonID(node string, i int) string {
	if o.ID != "" {
		return o.ID
	}
	return node + ":" + strconv.Itoa(i+1)
}

// Parse decodes and validates a flow definition. Its error is the same as
// Validate's.
func Parse(raw []byte) (*Flow, error) {
	f, probs := decode(raw)
	if len(probs) == 0 {
		probs = f.check()
	}
	if len(probs) > 0 {
		return nil, probs.err()
	}
	return f, nil
}

// Validate reports whether raw is a flow Relevo can run: a desk
// validation_failed error on field "flow" whose details carry the JSON path
// of the first problem ("path") and up to maxProblems of them ("problems").
func Validate(raw []byte) error {
	_, err := Parse(raw)
	return err
}
