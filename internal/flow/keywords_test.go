package flow

import (
	"strings"
	"testing"

	"github.com/relevo/relevo/internal/desk"
)

func TestHandoverKeywordsMatchWholeWordsIgnoringCaseAndAccents(t *testing.T) {
	for _, tc := range []struct {
		text     string
		keywords []string
		want     bool
	}{
		{"agent", nil, true},
		{"I want to talk to an AGENT!", nil, true},
		{"Quiero hablar con un asesor, por favor", nil, true},
		{"quero um atendente", nil, true},
		{"HUMANO?", nil, true},
		{"Humáno", nil, true},
		{"agents are busy", nil, false},
		{"humanity", nil, false},
		{"reagent", nil, false},
		{"", nil, false},
		{"🙂", nil, false},
		{"I need an operator", nil, false},
		{"I need an operator", []string{"operator"}, true},
		{"agent", []string{"operator"}, false},
		{"quero falar com alguém", []string{"falar com alguém"}, true},
		{"quero FALAR   com alguem agora", []string{"falar com alguém"}, true},
		{"falar com", []string{"falar com alguém"}, false},
		{"com alguém falar", []string{"falar com alguém"}, false},
		{"Atención al cliente", []string{"atencion"}, true},
	} {
		if got := WantsHuman(tc.text, tc.keywords); got != tc.want {
			t.Errorf("WantsHuman(%q, %q) = %v, want %v", tc.text, tc.keywords, got, tc.want)
		}
	}
}

func TestCleanKeywordsTrimsAndDropsDuplicates(t *testing.T) {
	got, err := CleanKeywords([]string{" Agente ", "agente", "AGÉNTE", "falar com alguém"})
	if err != nil || strings.Join(got, "|") != "Agente|falar com alguém" {
		t.Fatalf("CleanKeywords = %q, %v", got, err)
	}
	if got, err := CleanKeywords(nil); err != nil || got == nil || len(got) != 0 {
		t.Fatalf("CleanKeywords(nil) = %#v, %v; want an empty list (the defaults)", got, err)
	}
}

func TestCleanKeywordsRefusesUnusableKeywords(t *testing.T) {
	many := make([]string, MaxKeywords+1)
	for i := range many {
		many[i] = "k" + strings.Repeat("x", i)
	}
	for name, list := range map[string][]string{
		"blank":       {"agent", "  "},
		"punctuation": {"?!"},
		"too long":    {strings.Repeat("a", 51)},
		"too many":    many,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := CleanKeywords(list)
			if !desk.IsCode(err, desk.CodeValidationFailed) {
				t.Fatalf("err = %v, want validation_failed", err)
			}
		})
	}
}
