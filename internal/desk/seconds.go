package desk

import (
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// Durations on the wire. Every duration the API takes (a bot's
// auto_close_after, a supervisor's waiting threshold, the health route's
// ?threshold=) is a Seconds: a client may send whole seconds (172800) or a
// Go duration string ("48h", "90m", "1h30m"), whichever it finds clearer;
// answers are always whole seconds, so a reader needs one form only.

// SecondsRule is how a refused duration is explained to the client.
const SecondsRule = `whole seconds (172800) or a duration like "48h"`

// The refusals of ParseSeconds and UnmarshalJSON: each names what was
// sent, to follow "must be <SecondsRule>, got ...".
var (
	errNegative    = errors.New("a negative value")
	errFraction    = errors.New("a value that is not whole seconds")
	errTooLong     = errors.New("a value too long to hold")
	errNotDuration = errors.New("something else")
)

// InvalidSeconds is the validation failure of field for a refusal err of
// ParseSeconds (or the reason UnmarshalJSON gave).
func InvalidSeconds(field string, reason string) *Error {
	return Invalid(field, "must be %s, got %s", SecondsRule, reason)
}

// maxSeconds is the longest duration a time.Duration can hold, so that
// Seconds.Duration never overflows.
const maxSeconds = math.MaxInt64 / int64(time.Second)

// ParseSeconds reads a duration as a client writes it outside JSON (a
// query parameter, a flag): digits alone are seconds, anything else is a
// Go duration string. Negative values, fractions of a second and values
// past maxSeconds are refused; the error says which in words.
func ParseSeconds(raw string) (Seconds, error) {
	raw = strings.TrimSpace(raw)
	if raw != "" && strings.Trim(raw, "0123456789") == "" {
		return parseWholeSeconds(raw)
	}
	return parseDurationString(raw)
}

// UnmarshalJSON takes a JSON integer (seconds) or a Go duration string.
// A refusal is a *json.UnmarshalTypeError so encoding/json fills in the
// field's path; httpkit turns it into validation_failed on that field.
func (s *Seconds) UnmarshalJSON(b []byte) error {
	raw := strings.TrimSpace(string(b))
	if raw == "null" {
		return nil // encoding/json's convention: null leaves the value alone
	}
	var (
		v   Seconds
		err error
	)
	if strings.HasPrefix(raw, `"`) {
		var str string
		if json.Unmarshal([]byte(raw), &str) != nil {
			err = errNotDuration // encoding/json checks the syntax first; only direct calls land here
		} else {
			v, err = parseDurationString(str)
		}
	} else {
		v, err = parseSecondsNumber(raw)
	}
	if err != nil {
		return &json.UnmarshalTypeError{Value: err.Error(), Type: reflect.TypeFor[Seconds]()}
	}
	*s = v
	return nil
}

// parseSecondsNumber reads a JSON number literal: an integer, or a
// refusal that says why (a fraction, a sign, a size).
func parseSecondsNumber(raw string) (Seconds, error) {
	if strings.HasPrefix(raw, "-") {
		return 0, errNegative
	}
	if strings.Trim(raw, "0123456789") == "" && raw != "" {
		return parseWholeSeconds(raw)
	}
	if _, err := strconv.ParseFloat(raw, 64); err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, errNotDuration
	}
	// 1.5, 1e3, 2.0: JSON numbers, but not written as whole seconds (an
	// exponent is refused too: "whole" is checked on the text, not the value).
	return 0, errFraction
}

func parseWholeSeconds(digits string) (Seconds, error) {
	n, err := strconv.ParseInt(digits, 10, 64)
	if err != nil || n > maxSeconds {
		return 0, errTooLong
	}
	return Seconds(n), nil
}

// parseDurationString reads a Go duration string ("48h", "1h30m").
func parseDurationString(str string) (Seconds, error) {
	if strings.HasPrefix(strings.TrimSpace(str), "-") {
		return 0, errNegative
	}
	d, err := time.ParseDuration(str)
	switch {
	case err != nil && strings.Contains(err.Error(), "invalid duration") && looksLikeOverflow(str):
		return 0, errTooLong
	case err != nil:
		return 0, errNotDuration
	case d < 0:
		return 0, errNegative
	case d%time.Second != 0:
		return 0, errFraction
	}
	return Seconds(d / time.Second), nil
}

// looksLikeOverflow tells "9999999h" (well formed, too long for a
// time.Duration) from garbage: time.ParseDuration refuses both alike.
func looksLikeOverflow(str string) bool {
	for _, unit := range []string{"ns", "us", "µs", "μs", "ms", "s", "m", "h"} {
		str = strings.ReplaceAll(str, unit, " ")
	}
	fields := strings.Fields(str)
	for _, f := range fields {
		// Digits and a point only: ParseFloat would also take NaN and Inf.
		if strings.Trim(f, "0123456789.") != "" {
			return false
		}
	}
	return len(fields) > 0
}
