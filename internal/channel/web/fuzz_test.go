package web

import (
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/httpkit"
	"github.com/relevo/relevo/internal/widgetapi"
)

// FuzzRequestParsing feeds arbitrary bodies through the session and
// message request parsing: nothing panics, a session is anonymous or
// verified by the channel's secret, and an accepted message is well formed.
//
//	go test -fuzz FuzzRequestParsing ./internal/channel/web/
func FuzzRequestParsing(f *testing.F) {
	const secret = "fuzz-secret"
	for _, seed := range []string{
		`{"channel_id":"c","name":"Carla","email":"carla@example.com"}`,
		`{"channel_id":"c","identifier":"42","identifier_hash":"` + IdentifierHash(secret, "42") + `"}`,
		`{"channel_id":"c","identifier":"42","identifier_hash":"00"}`,
		`{"id":"m1","text":"hello"}`,
		`{"id":"m1","payload":"talk","text":"Talk to a person"}`,
		`{"id":"m1","attachment_ids":["u1","u2"]}`,
		`{"id":1}`, `[]`, `{"name":"\u0000"}`, `{"text":"` + strings.Repeat("é", 5000) + `"}`, ``,
	} {
		f.Add([]byte(seed))
	}
	cfg := Config{desk.WebConfig{Secret: secret, Prechat: []desk.PrechatField{{Name: "name", Required: true}}}}
	f.Fuzz(func(t *testing.T, body []byte) {
		var sr widgetapi.WidgetSessionRequest
		r := httptest.NewRequest("POST", "/widget/v1/sessions", strings.NewReader(string(body)))
		if httpkit.DecodeJSON(httptest.NewRecorder(), r, &sr, maxSessionBody) == nil {
			ic, err := sessionContact(sr, cfg)
			if err == nil {
				switch {
				case strings.HasPrefix(ic.ExternalID, "u:"):
					if sr.Identifier == "" || !verifyIdentifier(secret, sr.Identifier, sr.IdentifierHash) || ic.ExternalID != "u:"+sr.Identifier {
						t.Fatalf("unverified identity accepted: %+v", sr)
					}
				case strings.HasPrefix(ic.ExternalID, "v:"):
					if sr.Identifier != "" || ic.Name == "" {
						t.Fatalf("anonymous session %+v from %+v", ic, sr)
					}
				default:
					t.Fatalf("external id %q", ic.ExternalID)
				}
				if strings.ContainsAny(ic.Name, "\r\n\x00") || utf8.RuneCountInString(ic.Name) > 200 {
					t.Fatalf("name %q accepted", ic.Name)
				}
			}
		}
		var mr widgetapi.WidgetSendRequest
		r = httptest.NewRequest("POST", "/widget/v1/messages", strings.NewReader(string(body)))
		if httpkit.DecodeJSON(httptest.NewRecorder(), r, &mr, maxSendBody) == nil && checkSend(mr) == nil {
			if mr.ID == "" || len(mr.ID) > maxClientMsgID || utf8.RuneCountInString(mr.Text) > desk.MaxTextLen ||
				len(mr.AttachmentIDs) > maxAttachments || len(mr.Payload) > maxPayload || !utf8.ValidString(mr.Text) {
				t.Fatalf("accepted %+v", mr)
			}
			if strings.TrimSpace(mr.Text) == "" && len(mr.AttachmentIDs) == 0 && mr.Payload == "" {
				t.Fatalf("accepted an empty message %+v", mr)
			}
		}
	})
}
