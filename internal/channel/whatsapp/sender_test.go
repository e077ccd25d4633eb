package whatsapp_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// The bodies POSTed to /{phone-number-id}/messages, exactly as the Cloud
// API documents them.

const to = `"messaging_product":"whatsapp","recipient_type":"individual","to":"16505551234"`

// sendBodies sends m through the channel and returns the message bodies
// the fake Graph API received.
func (e *env) sendBodies(m desk.Message) [][]byte {
	e.t.Helper()
	before := len(e.graph.requests(pnid + "/messages"))
	c := e.only()
	k, err := e.s.GetContact(context.Background(), c.Contact.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	id, err := e.wa.Send(context.Background(), store.Delivery{Conversation: c, Message: &m, Contact: k, Channel: e.ch, Bot: e.bot})
	if err != nil || id != outWamid {
		e.t.Fatalf("Send = %q, %v", id, err)
	}
	var out [][]byte
	for _, r := range e.graph.requests(pnid + "/messages")[before:] {
		if r.Auth != "Bearer "+token || r.ContentType != "application/json" {
			e.t.Errorf("send with Authorization %q, Content-Type %q", r.Auth, r.ContentType)
		}
		out = append(out, r.Body)
	}
	return out
}

func TestSendBodies(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		e := newEnv(t, db)
		e.opened()
		buttons := func(n int) []desk.Button {
			all := []desk.Button{{ID: "billing", Title: "Billing"}, {ID: "returns", Title: "Returns"},
				{ID: "other", Title: "Something else entirely"}, {ID: "hours", Title: "Opening hours"},
				{ID: "human", Title: "Talk to a person, please, right now"}}
			for i := len(all); i < n; i++ {
				all = append(all, desk.Button{ID: "o" + string(rune('a'+i)), Title: "Option " + string(rune('A'+i))})
			}
			return all[:n]
		}
		for _, tc := range []struct {
			name string
			m    desk.Message
			want []string
		}{
			{"text, links never previewed", desk.Message{Kind: desk.KindText, Text: "See https://example.com"},
				[]string{`{` + to + `,"type":"text","text":{"preview_url":false,"body":"See https://example.com"}}`}},
			{"reply buttons up to 3, titles cut to 20", desk.Message{Kind: desk.KindText, Text: "How can we help?",
				MessageExtra: desk.MessageExtra{Buttons: buttons(3)}},
				[]string{`{` + to + `,"type":"interactive","interactive":{"type":"button","body":{"text":"How can we help?"},"action":{"buttons":[` +
					`{"type":"reply","reply":{"id":"billing","title":"Billing"}},{"type":"reply","reply":{"id":"returns","title":"Returns"}},` +
					`{"type":"reply","reply":{"id":"other","title":"Something else enti…"}}]}}}`}},
			{"a list beyond 3", desk.Message{Kind: desk.KindText, Text: "Pick a topic", MessageExtra: desk.MessageExtra{Buttons: buttons(5)}},
				[]string{`{` + to + `,"type":"interactive","interactive":{"type":"list","body":{"text":"Pick a topic"},"action":{"button":"Options","sections":[{"rows":[` +
					`{"id":"billing","title":"Billing"},{"id":"returns","title":"Returns"},{"id":"other","title":"Something else entirely"},` +
					`{"id":"hours","title":"Opening hours"},{"id":"human","title":"Talk to a person, pleas…","description":"Talk to a person, please, right now"}]}]}}}`}},
			{"text beyond 10 options", desk.Message{Kind: desk.KindText, Text: "Pick", MessageExtra: desk.MessageExtra{Buttons: buttons(11)}},
				[]string{`{` + to + `,"type":"text","text":{"preview_url":false,"body":"Pick\n1. Billing\n2. Returns\n3. Something else entirely\n4. Opening hours\n5. Talk to a person, please, right now\n6. Option F\n7. Option G\n8. Option H\n9. Option I\n10. Option J\n11. Option K"}}`}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got := e.sendBodies(tc.m)
				if len(got) != len(tc.want) {
					t.Fatalf("%d sends, want %d", len(got), len(tc.want))
				}
				for i := range got {
					jsonEq(t, tc.name, got[i], tc.want[i])
				}
			})
		}
		t.Run("template with header, body and buttons", func(t *testing.T) {
			m := desk.Message{Kind: desk.KindTemplate, Text: "rendered", MessageExtra: desk.MessageExtra{Template: &desk.TemplateRef{
				Name: "order_update", Language: "pt_BR", Params: []string{"Pablo", "860198"}, HeaderParams: []string{"Pedido"},
				Buttons: []desk.TemplateButton{{Index: 0, SubType: "url", Value: "860198"}, {Index: 1, SubType: "quick_reply", Value: "STOP"}}}}}
			jsonEq(t, "template", e.sendBodies(m)[0], `{`+to+`,"type":"template","template":{"name":"order_update","language":{"code":"pt_BR"},"components":[`+
				`{"type":"header","parameters":[{"type":"text","text":"Pedido"}]},`+
				`{"type":"body","parameters":[{"type":"text","text":"Pablo"},{"type":"text","text":"860198"}]},`+
				`{"type":"button","sub_type":"url","index":"0","parameters":[{"type":"text","text":"860198"}]},`+
				`{"type":"button","sub_type":"quick_reply","index":"1","parameters":[{"type":"payload","payload":"STOP"}]}]}}`)
		})
	})
}

func TestTemplateSentFromTheStoreCarriesNameLanguageAndParams(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		e := newEnv(t, db)
		c := e.opened()
		tpl, err := e.s.CreateTemplate(context.Background(), desk.Template{ChannelID: e.ch.ID, Name: "order_update",
			Language: "en_US", Category: "UTILITY", Body: "Hi {{1}}, your order {{2}} has shipped."})
		if err != nil {
			t.Fatal(err)
		}
		m := e.send(c.ID, store.SendInput{Template: &store.TemplateSend{ID: tpl.ID, Params: []string{"Pablo", "860198-230332"}}})
		if m.Status != desk.StatusSent || m.Text != "Hi Pablo, your order 860198-230332 has shipped." {
			t.Fatalf("%s %q %q", m.Status, m.Text, errText(m))
		}
		reqs := e.graph.requests(pnid + "/messages")
		jsonEq(t, "template", reqs[len(reqs)-1].Body, `{`+to+`,"type":"template","template":{"name":"order_update","language":{"code":"en_US"},`+
			`"components":[{"type":"body","parameters":[{"type":"text","text":"Pablo"},{"type":"text","text":"860198-230332"}]}]}}`)
	})
}

// upload stores a file as an agent's upload would.
func (e *env) upload(name, mime string, data []byte) desk.Attachment {
	e.t.Helper()
	path := filepath.Join(e.uploads, "agent-"+name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		e.t.Fatal(err)
	}
	a, err := e.s.CreateUpload(context.Background(), store.Upload{Attachment: desk.Attachment{Name: name, Mime: mime,
		Size: int64(len(data))}, Path: path, CreatedBy: "test"})
	if err != nil {
		e.t.Fatal(err)
	}
	return a
}

func TestMediaIsUploadedThenSentByID(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		e := newEnv(t, db)
		e.opened()
		jpeg := append([]byte("\xff\xd8\xff\xe0"), bytes.Repeat([]byte{1}, 100)...)
		photo := e.upload("shelf.jpg", "image/jpeg", jpeg)
		terms := e.upload("terms.pdf", "application/pdf", []byte("%PDF-1.7\nterms"))
		note := e.upload("note.ogg", "audio/ogg", []byte("OggS voice"))

		got := e.sendBodies(desk.Message{Kind: desk.KindImage, Text: "This shelf?", Attachments: []desk.Attachment{photo, terms}})
		if len(got) != 2 {
			t.Fatalf("%d sends, want 2", len(got))
		}
		jsonEq(t, "image", got[0], `{`+to+`,"type":"image","image":{"id":"9000000000000001","caption":"This shelf?"}}`)
		jsonEq(t, "document", got[1], `{`+to+`,"type":"document","document":{"id":"9000000000000002","filename":"terms.pdf"}}`)
		if up := e.graph.uploads[0]; up.Product != "whatsapp" || up.Type != "image/jpeg" || up.PartType != "image/jpeg" ||
			up.Filename != "shelf.jpg" || !bytes.Equal(up.Data, jpeg) {
			t.Errorf("upload %+v", up)
		}

		// Audio takes no caption: the text goes first, on its own.
		got = e.sendBodies(desk.Message{Kind: desk.KindAudio, Text: "Listen to this", Attachments: []desk.Attachment{note}})
		if len(got) != 2 {
			t.Fatalf("%d sends, want 2", len(got))
		}
		jsonEq(t, "text", got[0], `{`+to+`,"type":"text","text":{"preview_url":false,"body":"Listen to this"}}`)
		jsonEq(t, "audio", got[1], `{`+to+`,"type":"audio","audio":{"id":"9000000000000003"}}`)
	})
}

func TestReadReceipt(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		e := newEnv(t, db)
		if err := e.wa.MarkRead(context.Background(), e.ch.ID, "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA="); err != nil {
			t.Fatal(err)
		}
		reqs := e.graph.requests(pnid + "/messages")
		jsonEq(t, "read receipt", reqs[0].Body, `{"messaging_product":"whatsapp","status":"read","message_id":"wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA="}`)
	})
}
