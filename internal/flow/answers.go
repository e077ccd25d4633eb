package flow

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxAnswer bounds a saved answer (the store's limit on an attribute).
const maxAnswer = 1000

// choice finds the option the customer picked: the pressed quick reply,
// or typed text equal to a label (ignoring case and accents), an option
// number ("2") or an option id. Channels without buttons still work that
// way. It returns -1 for no option.
func (n Node) choice(id string, in Input) int {
	if in.Payload != "" {
		for i, o := range n.Options {
			if o.buttonID(id, i) == in.Payload {
				return i
			}
		}
	}
	t := fold(in.Text)
	if t == "" {
		return -1
	}
	for i, o := range n.Options {
		if fold(o.Label) == t {
			return i
		}
	}
	if k, err := strconv.Atoi(t); err == nil && k >= 1 && k <= len(n.Options) {
		return k - 1
	}
	for i, o := range n.Options {
		if o.ID != "" && fold(o.ID) == t {
			return i
		}
	}
	return -1
}

// accept checks a free-form answer and returns it as saved: trimmed,
// phones as "+" and digits, numbers in canonical form.
func accept(c Check, text string) (string, bool) {
	text = strings.TrimSpace(text)
	if text == "" || utf8.RuneCountInString(text) > maxAnswer {
		return "", false
	}
	switch c {
	case CheckEmail:
		return text, isEmail(text)
	case CheckPhone:
		return phone(text)
	case CheckNumber:
		v, ok := number(text)
		return strconv.FormatFloat(v, 'f', -1, 64), ok
	}
	return text, true
}

// isEmail is a deliberately loose check: one @, something before it, a
// dotted domain after it, no spaces. Mail servers are the real judge.
func isEmail(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || len(s) > 254 || strings.ContainsAny(s, " \t\r\n<>,;\"") || strings.Contains(domain, "@") {
		return false
	}
	dot := strings.LastIndexByte(domain, '.')
	return dot > 0 && dot < len(domain)-1 && !strings.Contains(domain, "..")
}

// phone accepts 7 to 15 digits (E.164's limit) with the usual separators
// and an optional leading +, and returns them without separators.
func phone(s string) (string, bool) {
	var b strings.Builder
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0:
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '(' || r == ')' || r == '.':
		default:
			return "", false
		}
	}
	out := b.String()
	digits := len(strings.TrimPrefix(out, "+"))
	return out, digits >= 7 && digits <= 15
}

// number reads a decimal number; a lone comma is a decimal comma ("1,5"),
// as customers in Spanish and Portuguese write it.
func number(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	if s == "" || strings.ContainsAny(s, "xXpP_") {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

// holds evaluates a condition node on the contact's attributes.
func (n Node) holds(attrs map[string]string) bool {
	v, ok := attrs[n.Attribute]
	switch n.Operator {
	case OpExists:
		return strings.TrimSpace(v) != ""
	case OpEquals:
		return ok && fold(v) == fold(n.Value)
	case OpNotEquals:
		return !ok || fold(v) != fold(n.Value)
	case OpContains:
		return ok && strings.Contains(fold(v), fold(n.Value))
	case OpGreaterThan, OpLessThan:
		a, okA := number(v)
		b, okB := number(n.Value)
		if !ok || !okA || !okB {
			return false
		}
		if n.Operator == OpGreaterThan {
			return a > b
		}
		return a < b
	}
	return false
}
