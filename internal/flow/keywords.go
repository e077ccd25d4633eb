package flow

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/relevo/relevo/internal/desk"
)

// DefaultKeywords hand a conversation over when a bot configures none:
// "agent" and "human" in English, Spanish and Portuguese.
var DefaultKeywords = []string{"agent", "human", "humano", "asesor", "atendente"}

// Bounds of a bot's handover keywords.
const (
	MaxKeywords   = 50
	maxKeywordLen = 50
)

// WantsHuman reports whether text asks for a person: it holds one of
// keywords (DefaultKeywords when empty) as whole words, ignoring case and
// accents. "Quiero un ASESOR" matches "asesor"; "agents" and "humanity" do
// not match "agent" and "human". A keyword of several words matches them
// in sequence ("talk to someone").
func WantsHuman(text string, keywords []string) bool {
	if len(keywords) == 0 {
		keywords = DefaultKeywords
	}
	ws := words(text)
	if len(ws) == 0 {
		return false
	}
	for _, k := range keywords {
		kw := words(k)
		if len(kw) == 0 || len(kw) > len(ws) {
			continue
		}
		for i := 0; i+len(kw) <= len(ws); i++ {
			if slices.Equal(ws[i:i+len(kw)], kw) {
				return true
			}
		}
	}
	return false
}

// CleanKeywords validates a bot's handover keywords and returns them
// trimmed, without duplicates (by their folded form), in their order. An
// empty list means DefaultKeywords.
func CleanKeywords(list []string) ([]string, error) {
	if len(list) > MaxKeywords {
		return nil, desk.Invalid("handover_keywords", "at most %d keywords", MaxKeywords)
	}
	out := []string{}
	seen := map[string]bool{}
	for _, k := range list {
		k = strings.TrimSpace(k)
		if utf8.RuneCountInString(k) > maxKeywordLen {
			return nil, desk.Invalid("handover_keywords", "%q: at most %d characters", k, maxKeywordLen)
		}
		key := strings.Join(words(k), " ")
		if key == "" {
			return nil, desk.Invalid("handover_keywords", "%q: a keyword needs a letter or digit", k)
		}
		if !seen[key] {
			seen[key] = true
			out = append(out, k)
		}
	}
	return out, nil
}

// words splits s into folded words: letters and digits only.
func words(s string) []string {
	return strings.FieldsFunc(fold(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
}

// fold is s for comparing: lower case, accents dropped, spaces trimmed and
// runs of spaces made one. "  São  PAULO " folds to "sao paulo".
func fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return strings.Join(strings.Fields(b.String()), " ")
}
