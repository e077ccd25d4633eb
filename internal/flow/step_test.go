package flow

import (
	"reflect"
	"testing"

	"github.com/relevo/relevo/internal/desk"
)

func mustParse(t testing.TB, raw []byte) *Flow {
	t.Helper()
	f, err := Parse(raw)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return f
}

func say(texts ...string) []Reply {
	out := make([]Reply, len(texts))
	for i, s := range texts {
		out[i] = Reply{Text: s}
	}
	return out
}

var (
	menuButtons = []desk.Button{{ID: "billing", Title: "Billing"}, {ID: "menu:2", Title: "Order status"}, {ID: "menu:3", Title: "Talk to a person"}}
	menuReply   = Reply{Text: "How can we help?", Buttons: menuButtons}
	faqReply    = Reply{Text: "Does acme.example/billing answer your question?",
		Buttons: []desk.Button{{ID: "billing_faq:1", Title: "Yes"}, {ID: "billing_faq:2", Title: "No"}}}
	withEmail = map[string]string{"email": "ana@example.com"}
)

func TestStepRunsTheSupportFlow(t *testing.T) {
	f := mustParse(t, supportFlow(t))
	for _, tc := range []struct {
		name  string
		state State
		in    Input
		want  Actions
		next  State
	}{
		{"a new conversation starts at start and runs to the first question",
			State{}, Input{Text: "hi"},
			Actions{Send: say("Hi! I'm Acme's assistant.", "What is your email?")}, State{Node: "ask_email"}},
		{"a condition skips what the contact already told",
			State{}, Input{Text: "hi", Attributes: withEmail},
			Actions{Send: []Reply{{Text: "Hi! I'm Acme's assistant."}, menuReply}}, State{Node: "menu"}},
		{"an accepted answer is saved and the flow goes on",
			State{Node: "ask_email"}, Input{Text: "  ana@example.com "},
			Actions{Save: &Attribute{"email", "ana@example.com"}, Send: []Reply{menuReply}}, State{Node: "menu"}},
		{"a refused answer is asked again with the retry text",
			State{Node: "ask_email"}, Input{Text: "ana at example"},
			Actions{Send: say("That does not look like an email address. Please try again.")}, State{Node: "ask_email", Retries: 1}},
		{"a message without text is no answer",
			State{Node: "ask_email", Retries: 1}, Input{},
			Actions{Send: say("That does not look like an email address. Please try again.")}, State{Node: "ask_email", Retries: 2}},
		{"too many refused answers hand over",
			State{Node: "ask_email", Retries: MaxRetries, LastSeq: 9}, Input{Text: "no"},
			Actions{Handover: &HandoverTo{Note: `The customer gave no accepted answer to "ask_email" after 4 tries`, NodeID: "ask_email"}}, State{Done: true, LastSeq: 9}},
		{"a pressed button picks its option",
			State{Node: "menu"}, Input{Text: "Billing", Payload: "billing"},
			Actions{Send: say("What is the amount of the invoice?")}, State{Node: "ask_amount"}},
		{"a typed label picks its option ignoring case",
			State{Node: "menu"}, Input{Text: "order STATUS"},
			Actions{Send: say("What is your order number?")}, State{Node: "ask_order"}},
		{"a typed number picks that option",
			State{Node: "menu"}, Input{Text: " 3 "},
			Actions{Handover: &HandoverTo{NodeID: "to_people"}}, State{Done: true}},
		{"more than a label is no answer",
			State{Node: "menu"}, Input{Text: "BILLING please"},
			Actions{Send: []Reply{menuReply}}, State{Node: "menu", Retries: 1}},
		{"a button of another menu is no answer; the menu is offered again",
			State{Node: "menu"}, Input{Payload: "other:1"},
			Actions{Send: []Reply{menuReply}}, State{Node: "menu", Retries: 1}},
		{"a number over the threshold goes to the billing team",
			State{Node: "ask_amount"}, Input{Text: "1500,50"},
			Actions{Save: &Attribute{"invoice_amount", "1500.5"}, Handover: &HandoverTo{TeamID: "billing-team", Note: "Invoice question", NodeID: "to_billing"}}, State{Done: true}},
		{"a small number gets the FAQ question with its options as buttons",
			State{Node: "ask_amount"}, Input{Text: "12"},
			Actions{Save: &Attribute{"invoice_amount", "12"}, Send: []Reply{faqReply}}, State{Node: "billing_faq"}},
		{"a word is no number",
			State{Node: "ask_amount"}, Input{Text: "twelve"},
			Actions{Send: say("What is the amount of the invoice?")}, State{Node: "ask_amount", Retries: 1}},
		{"an option answer saves the label and conditions compare it ignoring case",
			State{Node: "billing_faq"}, Input{Payload: "billing_faq:1"},
			Actions{Save: &Attribute{"faq_helped", "Yes"}, Send: say("Glad we could help. Bye!")}, State{Done: true}},
		{"a typed option answer with accents and case",
			State{Node: "billing_faq"}, Input{Text: "NÓ"},
			Actions{Save: &Attribute{"faq_helped", "No"}, Handover: &HandoverTo{TeamID: "billing-team", Note: "Invoice question", NodeID: "to_billing"}}, State{Done: true}},
		{"free text answers anything and messages run on to the end",
			State{Node: "ask_order"}, Input{Text: "A-123"},
			Actions{Save: &Attribute{"order_number", "A-123"}, Send: say("Thanks! Your order is on its way.", "Glad we could help. Bye!")}, State{Done: true}},
		{"a finished flow starts again",
			State{Done: true, LastSeq: 4, LastMessageID: "m4"}, Input{Text: "hello again", Attributes: withEmail},
			Actions{Send: []Reply{{Text: "Hi! I'm Acme's assistant."}, menuReply}}, State{Node: "menu", LastSeq: 4, LastMessageID: "m4"}},
		{"a state at a node the flow no longer has starts again",
			State{Node: "deleted", Retries: 2}, Input{Text: "x", Attributes: withEmail},
			Actions{Send: []Reply{{Text: "Hi! I'm Acme's assistant."}, menuReply}}, State{Node: "menu"}},
		{"a state at a node that does not wait starts again",
			State{Node: "welcome"}, Input{Text: "x"},
			Actions{Send: say("Hi! I'm Acme's assistant.", "What is your email?")}, State{Node: "ask_email"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, next, err := f.Step(tc.state, tc.in)
			if err != nil {
				t.Fatalf("Step: %v", err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("actions =\n%+v\nwant\n%+v", got, tc.want)
			}
			if next != tc.next {
				t.Fatalf("state = %+v, want %+v", next, tc.next)
			}
		})
	}
}

func TestMenuAcceptsAnOptionIDTyped(t *testing.T) {
	f := mustParse(t, []byte(`{"start":"m","nodes":{"m":{"type":"menu","text":"?","options":[
		{"id":"pt","label":"Português","next":"a"},{"id":"es","label":"Español","next":"b"}]},
		"a":{"type":"end","text":"Olá"},"b":{"type":"end","text":"Hola"}}}`))
	for text, want := range map[string]string{"ES": "Hola", "portugues": "Olá", "2": "Hola"} {
		got, _, err := f.Step(State{Node: "m"}, Input{Text: text})
		if err != nil || len(got.Send) != 1 || got.Send[0].Text != want {
			t.Errorf("%q: Step = %+v, %v; want %q", text, got, err, want)
		}
	}
}

func TestStepDoesNotChangeTheCallersAttributes(t *testing.T) {
	f := mustParse(t, supportFlow(t))
	attrs := map[string]string{}
	if _, _, err := f.Step(State{Node: "ask_email"}, Input{Text: "a@b.co", Attributes: attrs}); err != nil {
		t.Fatal(err)
	}
	if len(attrs) != 0 {
		t.Fatalf("attributes changed: %v", attrs)
	}
}

func TestStepSeesTheAnswerItJustSaved(t *testing.T) {
	f := mustParse(t, []byte(`{"start":"q","nodes":{
		"q":{"type":"question","text":"Age?","attribute":"age","validate":"number","next":"c"},
		"c":{"type":"condition","attribute":"age","operator":"less_than","value":"18","then":"minor","else":"adult"},
		"minor":{"type":"end","text":"Ask a parent"},"adult":{"type":"handover","note":"adult"}}}`))
	got, _, err := f.Step(State{Node: "q"}, Input{Text: "17", Attributes: map[string]string{"age": "40"}})
	if err != nil || len(got.Send) != 1 || got.Send[0].Text != "Ask a parent" {
		t.Fatalf("Step = %+v, %v", got, err)
	}
}

func TestStepRefusesBrokenFlowsInsteadOfLooping(t *testing.T) {
	for name, f := range map[string]*Flow{
		"loop":         {Start: "a", Nodes: map[string]Node{"a": {Type: TypeMessage, Text: "x", Next: "a"}}},
		"dangling":     {Start: "a", Nodes: map[string]Node{"a": {Type: TypeMessage, Text: "x", Next: "b"}}},
		"unknown type": {Start: "a", Nodes: map[string]Node{"a": {Type: "goto"}}},
		"empty":        {Start: "a"},
	} {
		t.Run(name, func(t *testing.T) {
			if _, _, err := f.Step(State{}, Input{Text: "hi"}); err == nil {
				t.Fatal("Step ran a broken flow without error")
			}
		})
	}
}

func TestAcceptChecksAnswers(t *testing.T) {
	for _, tc := range []struct {
		check Check
		in    string
		want  string
		ok    bool
	}{
		{CheckText, " anything ", "anything", true},
		{CheckText, "   ", "", false},
		{"", "default is text", "default is text", true},
		{CheckEmail, "ana@example.com", "ana@example.com", true},
		{CheckEmail, "ana@example", "", false},
		{CheckEmail, "ana@@example.com", "", false},
		{CheckEmail, "@example.com", "", false},
		{CheckEmail, "ana maria@example.com", "", false},
		{CheckEmail, "ana@example..com", "", false},
		{CheckPhone, "+55 (35) 99876-5432", "+5535998765432", true},
		{CheckPhone, "0800.123.4567", "08001234567", true},
		{CheckPhone, "12345", "", false},
		{CheckPhone, "555-CALL-NOW", "", false},
		{CheckPhone, "1+2345678", "", false},
		{CheckPhone, "1234567890123456", "", false},
		{CheckNumber, "42", "42", true},
		{CheckNumber, "-3.25", "-3.25", true},
		{CheckNumber, "1,5", "1.5", true},
		{CheckNumber, "1.000,50", "", false},
		{CheckNumber, "NaN", "", false},
		{CheckNumber, "inf", "", false},
		{CheckNumber, "0x10", "", false},
	} {
		got, ok := accept(tc.check, tc.in)
		if ok != tc.ok || ok && got != tc.want {
			t.Errorf("accept(%s, %q) = %q, %v; want %q, %v", tc.check, tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestConditionsCompareAttributes(t *testing.T) {
	attrs := map[string]string{"city": "São Paulo", "plan": "VIP", "age": "30", "blank": "  ", "word": "abc"}
	for _, tc := range []struct {
		attr  string
		op    Operator
		value string
		want  bool
	}{
		{"city", OpEquals, "sao paulo", true},
		{"city", OpEquals, "Rio", false},
		{"missing", OpEquals, "x", false},
		{"plan", OpNotEquals, "vip", false},
		{"plan", OpNotEquals, "basic", true},
		{"missing", OpNotEquals, "x", true},
		{"city", OpContains, "PAULO", true},
		{"city", OpContains, "rio", false},
		{"plan", OpExists, "", true},
		{"blank", OpExists, "", false},
		{"missing", OpExists, "", false},
		{"age", OpGreaterThan, "18", true},
		{"age", OpGreaterThan, "30", false},
		{"age", OpLessThan, "30,5", true},
		{"word", OpGreaterThan, "1", false},
		{"word", OpLessThan, "1", false},
		{"missing", OpLessThan, "1", false},
	} {
		n := Node{Type: TypeCondition, Attribute: tc.attr, Operator: tc.op, Value: tc.value}
		if got := n.holds(attrs); got != tc.want {
			t.Errorf("%s %s %q = %v, want %v", tc.attr, tc.op, tc.value, got, tc.want)
		}
	}
}
