package desk

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// CannedReply is a saved answer an agent inserts from the composer with
// "/shortcut". It belongs either to a bot (BotID set: every member may use
// it, its admins and supervisors manage it) or to one user (OwnerID set:
// a personal reply, seen and managed by that user alone).
type CannedReply struct {
	ID       string  `json:"id"`
	BotID    *string `json:"bot_id"`
	OwnerID  *string `json:"owner_id"`
	Shortcut string  `json:"shortcut"`
	Text     string  `json:"text"`
	// Attachments go with the text when the reply is used (at most
	// MaxCannedAttachments); always a list, empty when none.
	Attachments []Attachment `json:"attachments"`
	CreatedAt   time.Time    `json:"created_at"`
	UpdatedAt   time.Time    `json:"updated_at"`
}

// Bounds of a canned reply.
const (
	MaxCannedShortcut = 32
	MaxCannedText     = 4000
	// MaxCannedList bounds one answer of the list: the picker shows a
	// handful, the search narrows the rest.
	MaxCannedList = 50
	// MaxCannedAttachments: one file, the composer's usual case (a price
	// list, a form); more are sent from the composer.
	MaxCannedAttachments = 1
)

// CheckCannedAttachments bounds the files a canned reply carries.
func CheckCannedAttachments(ids []string) error {
	if len(ids) > MaxCannedAttachments {
		return Invalid("attachment_ids", "at most %d file", MaxCannedAttachments).WithDetail("max", MaxCannedAttachments)
	}
	return nil
}

var cannedShortcut = regexp.MustCompile(`^[a-z0-9_-]+$`)

// CheckCannedShortcut holds a shortcut to 1..32 of [a-z0-9_-]: what
// follows "/" in the composer, typed without a shift key.
func CheckCannedShortcut(s string) error {
	if s == "" {
		return Invalid("shortcut", "required")
	}
	if n := utf8.RuneCountInString(s); n > MaxCannedShortcut {
		return Invalid("shortcut", "at most %d characters", MaxCannedShortcut).WithDetail("max", MaxCannedShortcut)
	}
	if !cannedShortcut.MatchString(s) {
		return Invalid("shortcut", "only lowercase letters, digits, _ and -")
	}
	return nil
}

// cannedVar finds what looks like a variable: a name in braces, without
// spaces (so "{ok}" is checked, "{ this }" is prose).
var cannedVar = regexp.MustCompile(`\{([A-Za-z0-9_.\-]+)\}`)

// contactAttr is the part after "contact." of an attribute variable.
var contactAttr = regexp.MustCompile(`^[A-Za-z0-9_\-]+$`)

// KnownCannedVariable reports whether name (without braces) is one the
// console fills in: contact.name, agent.name, protocol, or
// contact.<attribute>.
func KnownCannedVariable(name string) bool {
	switch name {
	case "contact.name", "agent.name", "protocol":
		return true
	}
	attr, ok := strings.CutPrefix(name, "contact.")
	return ok && contactAttr.MatchString(attr)
}

// CleanCannedText applies the multi-line text rules, trims, bounds the
// length to 1..4000 characters and refuses an unknown variable, so a typo
// is caught when the reply is saved instead of reaching a customer as
// "{typo}".
func CleanCannedText(v string) (string, error) {
	v, err := CleanText("text", v)
	if err != nil {
		return "", err
	}
	v = strings.TrimSpace(v)
	if v == "" {
		return "", Invalid("text", "required")
	}
	if n := utf8.RuneCountInString(v); n > MaxCannedText {
		return "", Invalid("text", "at most %d characters (this one has %d)", MaxCannedText, n).WithDetail("max", MaxCannedText)
	}
	for _, m := range cannedVar.FindAllStringSubmatch(v, -1) {
		if !KnownCannedVariable(m[1]) {
			return "", Invalid("text", "unknown variable %s: use {contact.name}, {agent.name}, {protocol} or {contact.<attribute>}", m[0]).
				WithDetail("variable", m[0])
		}
	}
	return v, nil
}

// CanSeeCanned reports whether a may read and use c: a bot's replies are
// for the bot's members, a personal reply for its owner only (admins
// included: a personal reply is nobody else's business).
func CanSeeCanned(a Actor, c CannedReply) bool {
	if a.User == nil {
		return false
	}
	if c.OwnerID != nil {
		return *c.OwnerID == a.User.ID
	}
	return c.BotID != nil && a.User.MemberOf(*c.BotID)
}

// CheckWriteCanned decides whether a may create, change or delete c:
// not_found when a may not even see it (existence never leaks), forbidden
// when a sees it but it is not a's to manage. A bot's replies are managed
// by the bot's supervisors and admins; a personal one by its owner.
func CheckWriteCanned(a Actor, c CannedReply) error {
	if !CanSeeCanned(a, c) {
		return NotFound("canned reply")
	}
	if c.BotID != nil && !a.User.Role.Supervises() {
		return Errorf(CodeForbidden, "only supervisors and admins manage a bot's canned replies")
	}
	return nil
}
