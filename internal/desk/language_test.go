package desk

import "testing"

func TestCustomerLanguageAndPick(t *testing.T) {
	for in, want := range map[string]string{"es": "es", "es-MX": "es", "PT": "pt-BR", "pt-PT": "pt-BR", "en-GB": "en", "fr": "", "": "", "-": ""} {
		if got := CustomerLanguage(in); got != want {
			t.Errorf("CustomerLanguage(%q) = %q, want %q", in, got, want)
		}
	}
	all := CustomerLanguages
	for _, c := range []struct {
		offered, preferred []string
		want               string
	}{
		{all, []string{"fr", "es-MX", "en"}, "es"},
		{all, []string{"pt"}, "pt-BR"},
		{[]string{"es"}, []string{"en", "pt-BR"}, ""},
		{[]string{"en", "es"}, []string{"de", "EN-us"}, "en"},
	} {
		if got := PickLanguage(c.offered, c.preferred); got != c.want {
			t.Errorf("PickLanguage(%v, %v) = %q, want %q", c.offered, c.preferred, got, c.want)
		}
	}
}

func TestNoticesForFallsBackTextByText(t *testing.T) {
	n := DefaultNotices
	n.Translations = map[string]NoticeTexts{"es": {Queued: "En breve", Resolved: "  "}}
	es := n.For("es-AR")
	if es.Queued != "En breve" || es.Assigned != DefaultNotices.Assigned || es.Resolved != DefaultNotices.Resolved || es.Translations != nil {
		t.Fatalf("es: %+v", es)
	}
	for _, l := range []string{"pt-BR", "", "xx"} {
		if got := n.For(l); got.Queued != DefaultNotices.Queued {
			t.Errorf("%q: %+v", l, got)
		}
	}
}
