package flow

import (
	"fmt"
	"maps"

	"github.com/relevo/relevo/internal/desk"
)

// MaxRetries is how many unaccepted answers a question or menu takes
// before the flow gives up and hands the customer to people: someone who
// cannot get past a step needs a person, not a fourth prompt.
const MaxRetries = 3

// State is where one conversation stands in its bot's flow, stored with
// the conversation as JSON. The zero State has not started.
type State struct {
	// Node is the question or menu waiting for the customer's answer.
	Node string `json:"node,omitempty"`
	// Retries counts unaccepted answers to Node.
	Retries int `json:"retries,omitempty"`
	// Done is set when the flow reached an end or a handover; the next
	// message starts it again.
	Done bool `json:"done,omitempty"`
	// LastSeq and LastMessageID are the runner's bookkeeping: the newest
	// customer message already run through the flow. Step keeps them.
	LastSeq       int64  `json:"last_seq,omitempty"`
	LastMessageID string `json:"last_message_id,omitempty"`
}

// Input is the customer's message and what the flow may read.
type Input struct {
	Text string
	// Payload is the id of the quick reply the customer pressed.
	Payload string
	// Attributes are the contact's attributes, read by conditions.
	Attributes map[string]string
}

// Reply is one message the bot sends, with quick replies for a menu.
type Reply struct {
	Text    string
	Buttons []desk.Button
}

// Attribute is a contact attribute to save.
type Attribute struct {
	Name, Value string
}

// HandoverTo asks for the conversation to go to people.
type HandoverTo struct {
	TeamID string
	Note   string
	// NodeID is the node the handover was decided at, for the bots report.
	NodeID string
}

// Actions is what a step decided, applied in this order: save the
// answer, send the replies, hand over.
type Actions struct {
	Save     *Attribute
	Send     []Reply
	Handover *HandoverTo
}

// Step moves a conversation through f by one customer message. A state
// waiting at a question or menu takes the message as its answer; any
// other state (new, finished, or pointing at a node the flow no longer
// has) starts at f.Start, and the message only wakes the bot. Step then
// runs on through messages and conditions until the flow waits again or
// finishes. It is pure: the same state and input always give the same
// result. It fails only for a flow that did not pass Validate.
func (f *Flow) Step(st State, in Input) (Actions, State, error) {
	var acts Actions
	attrs := maps.Clone(in.Attributes)
	if attrs == nil {
		attrs = map[string]string{}
	}
	next := f.Start
	if n, ok := f.Nodes[st.Node]; ok && !st.Done && n.Type.waits() {
		target, save, ok := n.answer(st.Node, in)
		if !ok {
			return f.retry(st, n)
		}
		if save != nil {
			acts.Save = save
			attrs[save.Name] = save.Value
		}
		next = target
	}
	st.Node, st.Retries, st.Done = "", 0, false
	for hops := 0; hops <= len(f.Nodes); hops++ {
		n, ok := f.Nodes[next]
		if !ok {
			return Actions{}, st, fmt.Errorf("flow: unknown node %q", next)
		}
		switch n.Type {
		case TypeMessage:
			acts.Send = append(acts.Send, Reply{Text: n.Text})
			next = n.Next
		case TypeCondition:
			if n.holds(attrs) {
				next = n.Then
			} else {
				next = n.Else
			}
		case TypeQuestion, TypeMenu:
			acts.Send = append(acts.Send, Reply{Text: n.Text, Buttons: n.buttons(next)})
			st.Node = next
			return acts, st, nil
		case TypeHandover:
			acts.Handover = &HandoverTo{TeamID: n.TeamID, Note: n.Note, NodeID: next}
			st.Done = true
			return acts, st, nil
		case TypeEnd:
			if n.Text != "" {
				acts.Send = append(acts.Send, Reply{Text: n.Text})
			}
			st.Done = true
			return acts, st, nil
		default:
			return Actions{}, st, fmt.Errorf("flow: node %q has unknown type %q", next, n.Type)
		}
	}
	return Actions{}, st, fmt.Errorf("flow: no question or menu reached after %d nodes", len(f.Nodes)+1)
}

// retry answers an unaccepted answer: the node asks again (with its
// retry text when it has one) until MaxRetries, then people take over.
func (f *Flow) retry(st State, n Node) (Actions, State, error) {
	st.Retries++
	if st.Retries > MaxRetries {
		note := fmt.Sprintf("The customer gave no accepted answer to %q after %d tries", st.Node, st.Retries)
		return Actions{Handover: &HandoverTo{Note: note, NodeID: st.Node}}, State{Done: true, LastSeq: st.LastSeq, LastMessageID: st.LastMessageID}, nil
	}
	text := n.RetryText
	if text == "" {
		text = n.Text
	}
	return Actions{Send: []Reply{{Text: text, Buttons: n.buttons(st.Node)}}}, st, nil
}

// buttons are the quick replies a question or menu offers (none for a
// free-form question).
func (n Node) buttons(id string) []desk.Button {
	if n.Type == TypeQuestion && n.Validate != CheckOptions || len(n.Options) == 0 {
		return nil
	}
	out := make([]desk.Button, len(n.Options))
	for i, o := range n.Options {
		out[i] = desk.Button{ID: o.buttonID(id, i), Title: o.Label}
	}
	return out
}

// answer checks the customer's message against a waiting node: the node
// to go on to, the attribute to save, and whether it was accepted.
func (n Node) answer(id string, in Input) (next string, save *Attribute, ok bool) {
	if n.Type == TypeMenu {
		i := n.choice(id, in)
		if i < 0 {
			return "", nil, false
		}
		return n.Options[i].Next, nil, true
	}
	var value string
	if n.Validate == CheckOptions {
		i := n.choice(id, in)
		if i < 0 {
			return "", nil, false
		}
		value = n.Options[i].ID
		if value == "" {
			value = n.Options[i].Label
		}
	} else if value, ok = accept(n.Validate, in.Text); !ok {
		return "", nil, false
	}
	return n.Next, &Attribute{Name: n.Attribute, Value: value}, true
}
