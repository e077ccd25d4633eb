package desk

import (
	"encoding/json"
	"errors"
	"strconv"
	"testing"
	"time"
)

func TestSecondsUnmarshalJSON(t *testing.T) {
	good := map[string]Seconds{
		`172800`: 172800, `"48h"`: 172800, `"90m"`: 5400, `"1h30m"`: 5400, `0`: 0, `"0"`: 0,
		`"2000ms"`: 2, ` 60 `: 60, `"9223372036s"`: 9223372036, `9223372036`: 9223372036,
	}
	for in, want := range good {
		var s Seconds
		if err := json.Unmarshal([]byte(in), &s); err != nil || s != want {
			t.Errorf("%s: %d, %v; want %d", in, s, err, want)
		}
	}
	bad := map[string]error{
		`"-1h"`: errNegative, `-1`: errNegative, `-0`: errNegative, `"1.5"`: errNotDuration, `1.5`: errFraction,
		`1e3`: errFraction, `2.0`: errFraction, `"1.5s"`: errFraction, `"1500ms"`: errFraction,
		`"abc"`: errNotDuration, `""`: errNotDuration, `"NaN"`: errNotDuration, `"172800"`: errNotDuration,
		`"9999999h"`: errTooLong, `9223372037`: errTooLong, `99999999999999999999`: errTooLong,
		`true`: errNotDuration, `[]`: errNotDuration, `{}`: errNotDuration,
	}
	for in, want := range bad {
		s := Seconds(7)
		err := s.UnmarshalJSON([]byte(in))
		var typeErr *json.UnmarshalTypeError
		if !errors.As(err, &typeErr) || typeErr.Value != want.Error() || s != 7 {
			t.Errorf("%s: %v (left %d), want %q and the value untouched", in, err, s, want)
		}
	}
	// null leaves the value alone, as encoding/json does for its own types.
	s := Seconds(7)
	if err := json.Unmarshal([]byte(`null`), &s); err != nil || s != 7 {
		t.Errorf("null: %d, %v", s, err)
	}
}

// A refusal inside a body names the field, the path encoding/json adds to
// an UnmarshalTypeError.
func TestSecondsUnmarshalNamesTheField(t *testing.T) {
	var body struct {
		Bot struct {
			AutoClose *Seconds `json:"auto_close_after"`
		} `json:"bot"`
	}
	err := json.Unmarshal([]byte(`{"bot":{"auto_close_after":"-1h"}}`), &body)
	var typeErr *json.UnmarshalTypeError
	if !errors.As(err, &typeErr) || typeErr.Field != "bot.auto_close_after" {
		t.Fatalf("%#v, want the field's path", err)
	}
	if e := InvalidSeconds(typeErr.Field, typeErr.Value); e.Code != CodeValidationFailed || e.Details["field"] != "bot.auto_close_after" {
		t.Errorf("%+v", e)
	}
}

func TestParseSeconds(t *testing.T) {
	for in, want := range map[string]Seconds{"300": 300, "5m": 300, " 1h ": 3600, "0": 0} {
		if got, err := ParseSeconds(in); err != nil || got != want {
			t.Errorf("%q: %d, %v; want %d", in, got, err, want)
		}
	}
	for in, want := range map[string]error{"-300": errNegative, "-5m": errNegative, "1.5": errNotDuration, "": errNotDuration,
		"abc": errNotDuration, "9999999h": errTooLong, "99999999999999999999": errTooLong, "0.5s": errFraction} {
		if _, err := ParseSeconds(in); !errors.Is(err, want) {
			t.Errorf("%q: %v, want %v", in, err, want)
		}
	}
}

// FuzzSeconds: no input panics, and whatever is accepted holds a
// time.Duration and reads back the same from both of its written forms.
func FuzzSeconds(f *testing.F) {
	for _, seed := range []string{`172800`, `"48h"`, `"-1h"`, `1.5`, `"1.5"`, `"abc"`, `"9999999h"`, `1e3`, `null`, `"1h30m"`, `-0`, `"µs"`} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		var s Seconds
		if err := s.UnmarshalJSON([]byte(in)); err != nil {
			return
		}
		if s < 0 || int64(s) > maxSeconds || s.Duration()/time.Second != time.Duration(s) {
			t.Fatalf("%q accepted as %d, which no time.Duration holds", in, s)
		}
		var fromNumber, fromString Seconds
		if err := json.Unmarshal([]byte(strconv.FormatInt(int64(s), 10)), &fromNumber); err != nil || fromNumber != s {
			t.Fatalf("%q → %d → number: %d, %v", in, s, fromNumber, err)
		}
		str, _ := json.Marshal(s.Duration().String())
		if err := json.Unmarshal(str, &fromString); err != nil || fromString != s {
			t.Fatalf("%q → %d → %s: %d, %v", in, s, str, fromString, err)
		}
		if p, err := ParseSeconds(s.Duration().String()); err != nil || p != s {
			t.Fatalf("%q → %d → ParseSeconds: %d, %v", in, s, p, err)
		}
	})
}
