package ids

import (
	"strings"
	"testing"
)

func TestRandomIDsAreUniqueOrderedAndWellFormed(t *testing.T) {
	var g Random
	prev := ""
	seen := map[string]bool{}
	for i := 0; i < 10000; i++ {
		id := g.New()
		if len(id) != 26 {
			t.Fatalf("id %q has length %d", id, len(id))
		}
		for _, c := range id {
			if !strings.ContainsRune(alphabet, c) {
				t.Fatalf("id %q has %q", id, c)
			}
		}
		if seen[id] {
			t.Fatalf("duplicate id %q", id)
		}
		seen[id] = true
		if id <= prev {
			t.Fatalf("ids not increasing: %q then %q", prev, id)
		}
		prev = id
	}
}

func TestSequenceIsDeterministic(t *testing.T) {
	s := Sequence{Prefix: "c_"}
	if a, b := s.New(), s.New(); a != "c_00000001" || b != "c_00000002" {
		t.Fatalf("got %q %q", a, b)
	}
}
