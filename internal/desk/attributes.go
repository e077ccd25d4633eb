package desk

import "unicode/utf8"

// Bounds of a contact's attributes (what agents edit and flows save).
const (
	MaxAttributes     = 100
	MaxAttributeKey   = 64
	MaxAttributeValue = 1000
)

// CheckAttribute refuses an attribute name or value out of bounds.
func CheckAttribute(name, value string) error {
	if name == "" || utf8.RuneCountInString(name) > MaxAttributeKey {
		return Invalid("attributes", "names must have 1 to %d characters", MaxAttributeKey)
	}
	if utf8.RuneCountInString(value) > MaxAttributeValue {
		return Invalid("attributes", "%s: at most %d characters", name, MaxAttributeValue)
	}
	return nil
}

// CheckAttributes refuses a set of attributes out of bounds.
func CheckAttributes(attrs map[string]string) error {
	if len(attrs) > MaxAttributes {
		return Invalid("attributes", "at most %d attributes", MaxAttributes)
	}
	for k, v := range attrs {
		if err := CheckAttribute(k, v); err != nil {
			return err
		}
	}
	return nil
}
