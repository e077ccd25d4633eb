package desk

import "strings"

// CustomerLanguages are the languages customers can be addressed in: the
// web widget's, and the per-language variants of a bot's notices and a
// web channel's greeting.
var CustomerLanguages = []string{"en", "es", "pt-BR"}

// LanguageAttribute is the contact attribute holding the customer's
// language (set from the web widget; agents may correct it).
const LanguageAttribute = "language"

// CustomerLanguage maps a language tag to one of CustomerLanguages by its
// base language ("es-MX" → "es", "pt" → "pt-BR"); "" when none matches.
func CustomerLanguage(tag string) string {
	base := strings.ToLower(strings.SplitN(strings.TrimSpace(tag), "-", 2)[0])
	for _, l := range CustomerLanguages {
		if strings.ToLower(strings.SplitN(l, "-", 2)[0]) == base && base != "" {
			return l
		}
	}
	return ""
}

// PickLanguage chooses from offered the first language of preferred (in the
// visitor's order of preference, exact tag first, then base language);
// "" when none is offered.
func PickLanguage(offered, preferred []string) string {
	for _, p := range preferred {
		for _, o := range offered {
			if strings.EqualFold(o, strings.TrimSpace(p)) {
				return o
			}
		}
		if l := CustomerLanguage(p); l != "" {
			for _, o := range offered {
				if o == l {
					return o
				}
			}
		}
	}
	return ""
}

// For is the notices in lang: each text of that language's variant, or the
// default text where the variant has none (or lang has no variant).
func (n Notices) For(lang string) Notices {
	v, ok := n.Translations[CustomerLanguage(lang)]
	out := Notices{Queued: n.Queued, Assigned: n.Assigned, Resolved: n.Resolved, OutOfHours: n.OutOfHours}
	// A bot that kept the default out-of-hours text speaks the customer's
	// language without anyone translating it.
	if d, has := DefaultOutOfHours[CustomerLanguage(lang)]; has && (out.OutOfHours == "" || out.OutOfHours == DefaultOutOfHours["en"]) {
		out.OutOfHours = d
	}
	if !ok {
		return out
	}
	for _, f := range []struct {
		dst *string
		src string
	}{{&out.Queued, v.Queued}, {&out.Assigned, v.Assigned}, {&out.Resolved, v.Resolved}, {&out.OutOfHours, v.OutOfHours}} {
		if strings.TrimSpace(f.src) != "" {
			*f.dst = f.src
		}
	}
	return out
}
