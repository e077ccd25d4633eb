package desk

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Text rules: what characters a value may hold, by the kind of field. They
// are applied where input arrives (the HTTP decoders, the channels'
// parsers), so the store only ever sees clean text: a NUL byte is a driver
// error on PostgreSQL, and control or bidi-override characters let one
// name pose as another in the console.
//
//   - one-line fields (names, emails, ids, subjects): no C0 or C1 control
//     (tab, CR and LF included), no DEL, no line or paragraph separator,
//     no bidi embedding, override or isolate (U+202A–U+202E,
//     U+2066–U+2069). Refused.
//   - multi-line texts (messages, notes): \n and \t are kept, \r\n and a
//     lone \r become \n, every other control is refused. Bidi formatting
//     characters are allowed: right-to-left writers use them, and each
//     message is shown in its own paragraph.
//   - customer text arriving from a channel: what the rule above would
//     refuse is dropped instead, so a stray control character never loses
//     a customer's message.
//   - query and path parameters: no control character and valid UTF-8, or
//     400 bad_request.

// MaxTextLen bounds a message's text in characters, whoever writes it
// (agents, bots, customers on every channel). It is WhatsApp's own limit.
const MaxTextLen = 4096

// CheckTextLen refuses a message text longer than MaxTextLen characters.
func CheckTextLen(field, text string) error {
	if n := utf8.RuneCountInString(text); n > MaxTextLen {
		return Invalid(field, "at most %d characters (this one has %d)", MaxTextLen, n).WithDetail("max", MaxTextLen)
	}
	return nil
}

// badLine reports whether r may not appear in a one-line field.
func badLine(r rune) bool {
	return r < 0x20 || (r >= 0x7f && r <= 0x9f) || r == 0x2028 || r == 0x2029 ||
		(r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}

// badText reports whether r may not appear in a multi-line text (after
// line endings are normalised).
func badText(r rune) bool {
	return (r < 0x20 && r != '\n' && r != '\t') || (r >= 0x7f && r <= 0x9f)
}

// firstBad finds the first rune of s that bad refuses, or invalid UTF-8;
// at is its position in characters.
func firstBad(s string, bad func(rune) bool) (r rune, at int, found bool) {
	n := 0
	for i, r := range s { // invalid UTF-8 arrives as utf8.RuneError
		if bad(r) || r == utf8.RuneError && !validAt(s, i) {
			return r, n, true
		}
		n++
	}
	return 0, 0, false
}

func refused(field string, r rune, at int, what string) *Error {
	name := fmt.Sprintf("U+%04X", r)
	if r == utf8.RuneError {
		name = "invalid UTF-8"
	}
	return Invalid(field, "%s (%s at character %d)", what, name, at).WithDetail("char", name).WithDetail("position", at)
}

// CheckLine refuses a one-line value holding a control, line-break or
// bidi-override character, or invalid UTF-8.
func CheckLine(field, v string) error {
	if r, at, bad := firstBad(v, badLine); bad {
		return refused(field, r, at, "must be one line without control or bidi-override characters")
	}
	return nil
}

// normalizeNewlines turns \r\n and lone \r into \n.
func normalizeNewlines(v string) string {
	if !strings.Contains(v, "\r") {
		return v
	}
	return strings.ReplaceAll(strings.ReplaceAll(v, "\r\n", "\n"), "\r", "\n")
}

// CleanText normalises a multi-line text's line endings and refuses any
// other control character, or invalid UTF-8.
func CleanText(field, v string) (string, error) {
	v = normalizeNewlines(v)
	if r, at, bad := firstBad(v, badText); bad {
		return "", refused(field, r, at, "must not contain control characters other than line breaks and tabs")
	}
	return v, nil
}

// StripText is CleanText for customer text from a channel: what CleanText
// refuses is dropped.
func StripText(v string) string {
	return strip(normalizeNewlines(v), badText, false)
}

// StripLine is CheckLine for customer values from a channel (a profile
// name): line breaks and tabs become spaces, the rest of what CheckLine
// refuses is dropped.
func StripLine(v string) string {
	return strip(v, badLine, true)
}

func strip(v string, bad func(rune) bool, spaces bool) string {
	if _, _, found := firstBad(v, bad); !found {
		return v
	}
	var b strings.Builder
	b.Grow(len(v))
	for i, r := range v {
		switch {
		case r == utf8.RuneError && !validAt(v, i):
		case spaces && (r == '\t' || r == '\n' || r == '\r' || r == 0x2028 || r == 0x2029):
			b.WriteByte(' ')
		case !bad(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// CheckParam refuses a query or path parameter holding a control character
// or invalid UTF-8: a malformed request (400), never a database error.
func CheckParam(name, v string) error {
	if _, _, bad := firstBad(v, badParam); bad {
		return Errorf(CodeBadRequest, "parameter %s must not contain control characters or invalid UTF-8", name).
			WithDetail("field", name)
	}
	return nil
}

func badParam(r rune) bool { return r < 0x20 || (r >= 0x7f && r <= 0x9f) }

// validAt reports whether the U+FFFD decoded at byte i of v was written as
// such (three bytes) rather than decoded from invalid UTF-8.
func validAt(v string, i int) bool {
	_, size := utf8.DecodeRuneInString(v[i:])
	return size == 3
}
