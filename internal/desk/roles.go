package desk

import (
	"strings"
	"unicode/utf8"
)

// Role and settings rules: who sees which bots, users and secrets, and
// what keeps the desk administrable. The HTTP layer and the store call
// these; neither holds a rule of its own.

// BotScope is the bots a caller may see: nil for admins and bot-less
// integration tokens (every bot), otherwise the caller's bots (never nil).
func BotScope(a Actor) []string {
	if a.User == nil {
		if a.BotID != "" {
			return []string{a.BotID}
		}
		return nil
	}
	if a.User.Role == RoleAdmin {
		return nil
	}
	if a.User.BotIDs == nil {
		return []string{}
	}
	return a.User.BotIDs
}

// CanSeeUser reports whether a may read u: admins see everyone, everyone
// sees themselves and the admins (who belong to every bot), others the
// users sharing one of their bots.
func CanSeeUser(a Actor, u User) bool {
	if a.User == nil {
		return false
	}
	if a.User.Role == RoleAdmin || u.ID == a.User.ID || u.Role == RoleAdmin {
		return true
	}
	for _, b := range u.BotIDs {
		if a.User.MemberOf(b) {
			return true
		}
	}
	return false
}

// MinPasswordLength and MaxPasswordLength bound a password. The upper
// bound keeps argon2id's input (and a request's cost) small.
const (
	MinPasswordLength = 8
	MaxPasswordLength = 256
)

// CheckPassword is the password policy, for every way a password is set
// (setup, users, RELEVO_ADMIN_PASSWORD).
func CheckPassword(pw string) error {
	if len(pw) < MinPasswordLength {
		return Invalid("password", "at least %d characters", MinPasswordLength)
	}
	if len(pw) > MaxPasswordLength {
		return Invalid("password", "at most %d characters", MaxPasswordLength)
	}
	return nil
}

// CheckDeleteUser refuses deleting oneself (an admin would lock itself out
// mid-request).
func CheckDeleteUser(a Actor, id string) error {
	if a.User != nil && a.User.ID == id {
		return Errorf(CodeConflict, "you cannot delete yourself")
	}
	return nil
}

// CheckKeepsAnAdmin refuses a change that takes the admin role from u
// (a demotion to newRole, or a deletion, newRole "") when u is the last
// admin. admins is the number of live admins counted in the same
// transaction as the write, with their rows locked, so two admins demoting
// each other at once cannot both pass.
func CheckKeepsAnAdmin(u User, newRole Role, admins int) error {
	if u.Role != RoleAdmin || newRole == RoleAdmin {
		return nil
	}
	if admins <= 1 {
		return Errorf(CodeConflict, "this is the last admin: make another user an admin first").WithDetail("reason", ReasonLastAdmin)
	}
	return nil
}

// CheckFirstAdmin allows the one-time setup (creating the first admin in
// the browser, or from RELEVO_ADMIN_EMAIL) only while no admin exists.
// admins is counted inside the writing transaction, after the setup slot
// is locked, so of two setups racing the second sees the first's admin.
func CheckFirstAdmin(admins int) error {
	if admins > 0 {
		return Errorf(CodeSetupDone, "the first admin already exists: log in")
	}
	return nil
}

// SeesSecrets reports whether a may read secrets back: channel credentials
// and bot webhook secrets are for admins only.
func SeesSecrets(a Actor) bool { return a.Role() == RoleAdmin }

// ViewBot is b as a may see it. Nobody reads the webhook secret back: it
// is answered once, when the bot is created or the secret rotated; admins
// see the mask (there is one), others nothing.
func ViewBot(a Actor, b Bot) Bot {
	if SeesSecrets(a) && b.WebhookSecret != "" {
		b.WebhookSecret = ChannelSecretMask
	} else {
		b.WebhookSecret = ""
	}
	return b
}

// CheckBlockContact says whether a may block a contact outright. With open
// conversations each is closed as a block and checked like one (Decide);
// with nothing open only supervisors and admins may.
func CheckBlockContact(a Actor, open int) error {
	if open == 0 && !a.Role().Supervises() {
		return Errorf(CodeForbidden, "only supervisors block contacts with no open conversation")
	}
	return nil
}

// CheckNotices validates a bot's customer notices and their language
// variants: known languages only, each text at most 1000 characters.
func CheckNotices(n Notices) error {
	type text struct{ field, text string }
	texts := []text{{"notices.queued", n.Queued}, {"notices.assigned", n.Assigned}, {"notices.resolved", n.Resolved},
		{"notices.out_of_hours", n.OutOfHours}}
	for lang, v := range n.Translations {
		if CustomerLanguage(lang) != lang {
			return Invalid("notices.translations", "%q is not one of en, es, pt-BR", lang)
		}
		p := "notices.translations." + lang + "."
		texts = append(texts, text{p + "queued", v.Queued}, text{p + "assigned", v.Assigned}, text{p + "resolved", v.Resolved},
			text{p + "out_of_hours", v.OutOfHours})
	}
	for _, f := range texts {
		if utf8.RuneCountInString(strings.TrimSpace(f.text)) > 1000 {
			return Invalid(f.field, "at most %d characters", 1000)
		}
	}
	return nil
}
