package desk

import (
	"errors"
	"testing"
)

func TestTagColor(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"", "", true},
		{"  ", "", true},
		{"#1e88e5", "#1e88e5", true},
		{" #1E88E5 ", "#1e88e5", true},
		{"#fff", "", false},        // short form: the picker cannot show it
		{"#11223344", "", false},   // an alpha could make the swatch vanish
		{"1e88e5", "", false},      // no hash
		{"#1e88e", "", false},      // five digits
		{"#gggggg", "", false},     // not hex
		{"red", "", false},         // a name
		{"#1e88e5;x:y", "", false}, // CSS smuggled after a colour
	} {
		got, err := TagColor(tc.in)
		if tc.ok {
			if err != nil || got != tc.want {
				t.Errorf("TagColor(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
			}
			continue
		}
		var de *Error
		if !errors.As(err, &de) || de.Code != CodeValidationFailed || de.Details["field"] != "color" {
			t.Errorf("TagColor(%q) = %q, %v; want a validation error on color", tc.in, got, err)
		}
	}
}
