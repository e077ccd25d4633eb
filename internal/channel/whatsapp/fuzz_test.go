package whatsapp

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

// FuzzParseWebhook feeds the parser and the message translation anything:
// they must never panic, and what they produce must be storable (encodable
// extra, text within the store's bounds).
func FuzzParseWebhook(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.json")
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"entry":[{"changes":[{"value":{"messages":[{"type":"location","location":{"latitude":"NaN","longitude":1e999}}]}}]}]}`))
	f.Add([]byte(`{"entry":[{"changes":[{"value":{"messages":[{"id":7,"from":{},"timestamp":[],"type":"image","image":{"id":"../x"}}]}}]}]}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		wh, err := ParseWebhook(raw)
		if err != nil {
			return
		}
		for _, e := range wh.Entry {
			for _, c := range e.Changes {
				for _, m := range c.Value.Messages {
					d := draftOf(m)
					if _, err := json.Marshal(d.Extra); err != nil {
						t.Fatalf("extra does not encode: %v", err)
					}
					if utf8.RuneCountInString(d.Text) > 4096 {
						t.Fatalf("text of %d runes", utf8.RuneCountInString(d.Text))
					}
					if d.Media != nil && !digits(d.Media.ID) {
						t.Fatalf("media id %q would go into a URL path", d.Media.ID)
					}
					_ = sentAt(m.Timestamp)
				}
				for _, st := range c.Value.Statuses {
					_, _ = errorText(st.Errors)
				}
			}
		}
	})
}
