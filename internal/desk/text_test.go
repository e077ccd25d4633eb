package desk

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCheckLine(t *testing.T) {
	for _, tc := range []struct {
		in   string
		char string // "" when accepted
	}{
		{"Ada Lovelace", ""},
		{"José Ñandú 山田 🙂", ""},
		{"عربي", ""},
		{"\u200fmark", ""}, // a right-to-left mark is not an override
		{"\ufffd", ""},     // a real replacement character is text
		{"nul\x00@x.test", "U+0000"},
		{"bell\a", "U+0007"},
		{"esc\x1b[31m", "U+001B"},
		{"tab\there", "U+0009"},
		{"two\nlines", "U+000A"},
		{"cr\r", "U+000D"},
		{"del\x7f", "U+007F"},
		{"c1\u0085", "U+0085"},
		{"line\u2028sep", "U+2028"},
		{"evil\u202egpj.exe", "U+202E"},
		{"\u202aembed", "U+202A"},
		{"iso\u2066late", "U+2066"},
		{"pop\u2069", "U+2069"},
		{"bad\xffutf8", "invalid UTF-8"},
	} {
		err := CheckLine("name", tc.in)
		if tc.char == "" {
			if err != nil {
				t.Errorf("CheckLine(%q) = %v, want accepted", tc.in, err)
			}
			continue
		}
		var de *Error
		if !asError(err, &de) || de.Code != CodeValidationFailed || de.Details["field"] != "name" || de.Details["char"] != tc.char {
			t.Errorf("CheckLine(%q) = %v (details %v), want validation_failed on name for %s", tc.in, err, detailsOf(de), tc.char)
		}
	}
}

func TestCleanText(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		char     string // refused with this character
	}{
		{"hello", "hello", ""},
		{"a\nb\tc", "a\nb\tc", ""},
		{"windows\r\nline", "windows\nline", ""},
		{"old mac\rline", "old mac\nline", ""},
		{"rtl \u202bعربي\u202c ok", "rtl \u202bعربي\u202c ok", ""},
		{"nul\x00", "", "U+0000"},
		{"bell\a", "", "U+0007"},
		{"esc\x1b", "", "U+001B"},
		{"del\x7f", "", "U+007F"},
		{"c1\u009b", "", "U+009B"},
		{"bad\xc3", "", "invalid UTF-8"},
	} {
		got, err := CleanText("text", tc.in)
		if tc.char != "" {
			var de *Error
			if !asError(err, &de) || de.Code != CodeValidationFailed || de.Details["field"] != "text" || de.Details["char"] != tc.char {
				t.Errorf("CleanText(%q) = %q, %v, want refused for %s", tc.in, got, err, tc.char)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("CleanText(%q) = %q, %v, want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestStripKeepsTheCustomersWords(t *testing.T) {
	for _, tc := range []struct{ in, text, line string }{
		{"hi\x00 there\a", "hi there", "hi there"},
		{"a\r\nb\tc", "a\nb\tc", "a  b c"},
		{"\x1b[31mred", "[31mred", "[31mred"},
		{"name\u202e", "name\u202e", "name"},
		{"bad\xffbyte", "badbyte", "badbyte"},
		{"ok \ufffd", "ok \ufffd", "ok \ufffd"},
	} {
		if got := StripText(tc.in); got != tc.text {
			t.Errorf("StripText(%q) = %q, want %q", tc.in, got, tc.text)
		}
		if got := StripLine(tc.in); got != tc.line {
			t.Errorf("StripLine(%q) = %q, want %q", tc.in, got, tc.line)
		}
	}
}

func TestCheckParam(t *testing.T) {
	for in, ok := range map[string]bool{"": true, "dana costa": true, "ação": true, "\x00": false, "a\nb": false, "\xff": false, "\u0085": false} {
		err := CheckParam("q", in)
		if ok != (err == nil) {
			t.Errorf("CheckParam(%q) = %v", in, err)
		}
		if err != nil && (ErrorCode(err) != CodeBadRequest || err.(*Error).Details["field"] != "q") {
			t.Errorf("CheckParam(%q) = %v, want bad_request on q", in, err)
		}
	}
}

func TestCheckTextLenCountsCharacters(t *testing.T) {
	if err := CheckTextLen("text", strings.Repeat("é", MaxTextLen)); err != nil {
		t.Errorf("%d two-byte characters refused: %v", MaxTextLen, err)
	}
	err := CheckTextLen("message.text", strings.Repeat("a", MaxTextLen+1))
	if ErrorCode(err) != CodeValidationFailed || err.(*Error).Details["field"] != "message.text" {
		t.Errorf("%d characters: %v", MaxTextLen+1, err)
	}
}

// FuzzTextRules: whatever comes in, what the rules accept or leave behind
// is valid UTF-8 without NUL, the stripped forms pass the checks, and
// stripping clean text changes nothing.
func FuzzTextRules(f *testing.F) {
	for _, s := range []string{"", "hello", "a\r\nb", "nul\x00", "\u202e", "\xff\xfe", "\ufffd", "tab\t\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		line := StripLine(s)
		if err := CheckLine("f", line); err != nil {
			t.Fatalf("StripLine(%q) = %q, still refused: %v", s, line, err)
		}
		text := StripText(s)
		clean, err := CleanText("f", text)
		if err != nil || clean != text {
			t.Fatalf("StripText(%q) = %q, CleanText gives %q, %v", s, text, clean, err)
		}
		for _, out := range []string{line, text} {
			if !utf8.ValidString(out) || strings.ContainsRune(out, 0) || strings.ContainsRune(out, '\r') && out == text {
				t.Fatalf("%q left %q", s, out)
			}
		}
		if CheckLine("f", s) == nil && StripLine(s) != s {
			t.Fatalf("StripLine changed the clean line %q", s)
		}
		if c, err := CleanText("f", s); err == nil && StripText(s) != c {
			t.Fatalf("StripText(%q) = %q, CleanText = %q", s, StripText(s), c)
		}
		if CheckParam("f", s) == nil && !utf8.ValidString(s) {
			t.Fatalf("CheckParam accepted invalid UTF-8 %q", s)
		}
	})
}

func asError(err error, de **Error) bool {
	e, ok := err.(*Error)
	*de = e
	return ok
}

func detailsOf(e *Error) map[string]any {
	if e == nil {
		return nil
	}
	return e.Details
}
