package httpapi

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The names in the OpenAPI document: operation ids and component names are
// what generated clients call their functions and types, so they are
// derived to read well and to stay stable as routes are added.

// operationID derives a stable camelCase id from method and path, leaving
// out the "api" and version segments every path shares:
// POST /api/v1/conversations/{id}/assign -> postConversationsByIdAssign.
func operationID(method, path string) string {
	var b strings.Builder
	b.WriteString(method)
	for _, seg := range strings.Split(path, "/") {
		if seg == "api" || isVersion(seg) {
			continue
		}
		if strings.HasPrefix(seg, "{") {
			b.WriteString("By")
			seg = strings.Trim(seg, "{}")
		}
		for _, word := range strings.FieldsFunc(seg, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			b.WriteString(upperFirst(word))
		}
	}
	return b.String()
}

func isVersion(seg string) bool {
	return len(seg) > 1 && seg[0] == 'v' && strings.Trim(seg[1:], "0123456789") == ""
}

// readableTypeName turns reflect's names into component names:
// "page[github.com/x/desk.Conversation]" becomes "ConversationPage",
// "page[[]string]" becomes "StringListPage".
func readableTypeName(n string) string {
	n = strings.TrimLeft(n, "*")
	switch {
	case strings.HasPrefix(n, "[]"):
		return readableTypeName(n[2:]) + "List"
	case strings.HasPrefix(n, "map["):
		key, val := splitBracket(n[3:])
		return readableTypeName(key) + readableTypeName(val) + "Map"
	}
	if i := strings.IndexByte(n, '['); i >= 0 {
		args, _ := splitBracket(n[i:])
		var b strings.Builder
		for _, a := range splitTopLevel(args) {
			b.WriteString(readableTypeName(a))
		}
		return b.String() + readableTypeName(n[:i])
	}
	n = n[strings.LastIndexByte(n, '.')+1:] // drop the package path
	return upperFirst(strings.Map(func(r rune) rune {
		if r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return -1
	}, n))
}

// splitBracket splits "[inside]rest" at the bracket matching the first.
func splitBracket(s string) (inside, rest string) {
	depth := 0
	for i, r := range s {
		switch r {
		case '[':
			depth++
		case ']':
			if depth--; depth == 0 {
				return s[1:i], s[i+1:]
			}
		}
	}
	return s, ""
}

// splitTopLevel splits generic arguments at commas outside brackets.
func splitTopLevel(s string) []string {
	var parts []string
	depth, start := 0, 0
	for i, r := range s {
		switch r {
		case '[':
			depth++
		case ']':
			depth--
		case ',':
			if depth == 0 {
				parts = append(parts, s[start:i])
				start = i + 1
			}
		}
	}
	return append(parts, s[start:])
}

// upperFirst capitalises s so unexported Go names read as type names.
func upperFirst(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
