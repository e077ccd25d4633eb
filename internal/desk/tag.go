package desk

import (
	"regexp"
	"strings"
)

// tagColorRE is the one form a tag's colour takes: what the console's
// colour picker reads and writes, and nothing that could carry CSS.
var tagColorRE = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

// TagColor checks a tag's colour: empty (no colour) or #rrggbb, answered in
// lower case so one colour is stored one way.
func TagColor(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	if !tagColorRE.MatchString(s) {
		return "", Invalid("color", "must be a colour like #1e88e5")
	}
	return strings.ToLower(s), nil
}
