package whatsapp_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/channel/whatsapp"
	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store/storetest"
)

// fixtureSent is the timestamp of every inbound fixture but text_late.json.
var fixtureSent = time.Unix(1793609940, 0).UTC()

func TestVerifyHandshakeEchoesChallenge(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		e := newEnv(t, db)
		for _, tc := range []struct {
			name, channel, query string
			status               int
			body                 string
		}{
			{"right token", e.ch.ID, "hub.mode=subscribe&hub.verify_token=" + verifyTok + "&hub.challenge=1158201444", 200, "1158201444"},
			{"wrong token", e.ch.ID, "hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1158201444", 403, `"forbidden"`},
			{"wrong mode", e.ch.ID, "hub.mode=unsubscribe&hub.verify_token=" + verifyTok + "&hub.challenge=1", 403, `"forbidden"`},
			{"no token", e.ch.ID, "hub.mode=subscribe&hub.challenge=1", 403, `"forbidden"`},
			{"unknown channel", "nope", "hub.mode=subscribe&hub.verify_token=" + verifyTok + "&hub.challenge=1", 404, `"not_found"`},
		} {
			t.Run(tc.name, func(t *testing.T) {
				w := httptest.NewRecorder()
				e.srv.ServeHTTP(w, httptest.NewRequest("GET", "/webhooks/whatsapp/"+tc.channel+"?"+tc.query, nil))
				if w.Code != tc.status || !strings.Contains(w.Body.String(), tc.body) {
					t.Fatalf("got %d %q, want %d %q", w.Code, w.Body, tc.status, tc.body)
				}
				if tc.status == 200 && !strings.HasPrefix(w.Header().Get("Content-Type"), "text/plain") {
					t.Errorf("Content-Type %q", w.Header().Get("Content-Type"))
				}
			})
		}
	})
}

func TestWebhookSignatureIsCheckedOverRawBytes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		e := newEnv(t, db)
		raw := fixture(t, "text.json")
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Fatal(err)
		}
		compact, _ := json.Marshal(v) // the same JSON, other whitespace
		sig := whatsapp.Sign(appSecret, raw)
		for _, tc := range []struct {
			name string
			body []byte
			sig  string
		}{
			{"re-marshalled body", compact, sig},
			{"no header", raw, ""},
			{"other secret", raw, whatsapp.Sign("not-the-secret", raw)},
			{"sha1 prefix", raw, "sha1=" + strings.TrimPrefix(sig, "sha256=")},
			{"not hex", raw, "sha256=zz"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				w := e.postSigned(tc.body, tc.sig)
				if w.Code != 401 || !strings.Contains(w.Body.String(), `"code":"invalid_signature"`) {
					t.Fatalf("got %d %s, want 401 invalid_signature", w.Code, w.Body)
				}
			})
		}
		if n := len(e.conversations()); n != 0 {
			t.Fatalf("an unsigned body stored %d conversations", n)
		}
		if w := e.postSigned(raw, sig); w.Code != 200 {
			t.Fatalf("the exact bytes: %d %s", w.Code, w.Body)
		}
	})
}

// mediaFiles are the files the media fixtures name, as Meta holds them.
func mediaFiles() map[string]fakeFile {
	pad := bytes.Repeat([]byte{0x42}, 2000)
	file := func(mime, head string) fakeFile {
		data := append([]byte(head), pad...)
		return fakeFile{Mime: mime, Size: int64(len(data)), Data: data}
	}
	return map[string]fakeFile{
		"1003383421387256": file("image/jpeg", "\xff\xd8\xff\xe0\x00\x10JFIF\x00"),
		"1184466889718744": file("video/mp4", "\x00\x00\x00\x18ftypmp42"),
		"1531426184426434": file("audio/mpeg", "ID3\x03\x00"),
		"1213456787654321": file("audio/ogg; codecs=opus", "OggS\x00\x02"),
		"1574216016567215": file("application/pdf", "%PDF-1.7\n"),
		"1228394858274615": file("image/webp", "RIFF\x24\x08\x00\x00WEBPVP8 "),
	}
}

func TestWebhookStoresEveryMessageType(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		for _, tc := range []struct {
			fixture string
			kind    desk.MessageKind
			text    string
			mime    string // of the one attachment, "" for none
			name    string
			payload string
			loc     *desk.Location
		}{
			{fixture: "text.json", kind: desk.KindText, text: "Does it come in another color?"},
			{fixture: "image.json", kind: desk.KindImage, text: "This is the one I ordered", mime: "image/jpeg", name: "image-1003383421387256.jpg"},
			{fixture: "video.json", kind: desk.KindVideo, text: "It makes this noise", mime: "video/mp4", name: "video-1184466889718744.mp4"},
			{fixture: "audio.json", kind: desk.KindAudio, mime: "audio/mpeg", name: "audio-1531426184426434.mp3"},
			{fixture: "voice.json", kind: desk.KindAudio, mime: "audio/ogg", name: "voice-note.ogg"},
			{fixture: "document.json", kind: desk.KindFile, text: "My invoice", mime: "application/pdf", name: "invoice-0042.pdf"},
			{fixture: "sticker.json", kind: desk.KindImage, mime: "image/webp", name: "sticker-1228394858274615.webp"},
			{fixture: "location.json", kind: desk.KindLocation, text: "Main Office, 1 Hacker Way, Menlo Park, CA 94025",
				loc: &desk.Location{Latitude: 37.483307, Longitude: -122.148981, Name: "Main Office", Address: "1 Hacker Way, Menlo Park, CA 94025"}},
			{fixture: "contacts.json", kind: desk.KindText, text: "Contact: Barbara J. Johnson (Lucky Shrub): +1 (650) 555-1234, bjohnson@example.com"},
			{fixture: "interactive_button_reply.json", kind: desk.KindText, text: "Billing", payload: "opt_billing"},
			{fixture: "interactive_list_reply.json", kind: desk.KindText, text: "Returns", payload: "opt_returns"},
			// A survey choice with no survey pending is an ordinary message.
			{fixture: "interactive_list_reply_csat.json", kind: desk.KindText, text: "★★★★ 4", payload: "csat:4"},
			{fixture: "button.json", kind: desk.KindText, text: "Stop promotions", payload: "STOP_PROMOTIONS"},
			{fixture: "unsupported.json", kind: desk.KindText, text: "[Unsupported WhatsApp message (edit): Message type is currently not supported.]"},
			{fixture: "system.json", kind: desk.KindText, text: "[User Sheena Nelson changed from 16505551234 to 16505559999]"},
			{fixture: "unknown.json", kind: desk.KindText, text: `[Unsupported WhatsApp message type "poll_creation"]`},
		} {
			t.Run(strings.TrimSuffix(tc.fixture, ".json"), func(t *testing.T) {
				e := newEnv(t, db)
				e.graph.files = mediaFiles()
				e.deliver(tc.fixture)
				c := e.only()
				ms := e.customerMessages(c.ID)
				if len(ms) != 1 {
					t.Fatalf("%d customer messages, want 1", len(ms))
				}
				m := ms[0]
				if m.Kind != tc.kind || m.Text != tc.text || m.Payload != tc.payload || m.Status != desk.StatusReceived {
					t.Errorf("stored %s %q payload %q status %s; want %s %q payload %q", m.Kind, m.Text, m.Payload, m.Status, tc.kind, tc.text, tc.payload)
				}
				if !m.CreatedAt.Equal(fixtureSent) {
					t.Errorf("created_at %s, want the message's own timestamp %s", m.CreatedAt, fixtureSent)
				}
				if (tc.loc == nil) != (m.Location == nil) || tc.loc != nil && *tc.loc != *m.Location {
					t.Errorf("location %+v, want %+v", m.Location, tc.loc)
				}
				if tc.mime == "" {
					if len(m.Attachments) != 0 {
						t.Errorf("attachments %+v, want none", m.Attachments)
					}
					return
				}
				if len(m.Attachments) != 1 || m.Attachments[0].Mime != tc.mime || m.Attachments[0].Name != tc.name {
					t.Fatalf("attachments %+v, want one %s named %s", m.Attachments, tc.mime, tc.name)
				}
				checkStoredFile(t, e, m.Attachments[0])
			})
		}
	})
}

// checkStoredFile wants the attachment's bytes on disk as Meta served them.
func checkStoredFile(t *testing.T, e *env, a desk.Attachment) {
	t.Helper()
	u, err := e.s.UploadFile(context.Background(), a.ID)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(u.Path)
	if err != nil {
		t.Fatal(err)
	}
	var want []byte
	for _, f := range e.graph.files {
		if int64(len(f.Data)) == a.Size && bytes.Equal(f.Data, got) {
			want = f.Data
		}
	}
	if want == nil || !strings.HasPrefix(u.Path, e.uploads) {
		t.Errorf("file %s (%d bytes) is not the one Meta served", u.Path, len(got))
	}
}

func TestWebhookIsIdempotentOnWamid(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		e := newEnv(t, db)
		e.graph.files = mediaFiles()
		for range 2 {
			e.deliver("text.json")
			e.deliver("image.json")
		}
		c := e.only()
		if ms := e.customerMessages(c.ID); len(ms) != 2 {
			t.Fatalf("%d customer messages after each webhook twice, want 2", len(ms))
		}
		if n := len(e.graph.requests("/files/1003383421387256")); n != 1 {
			t.Errorf("the image was downloaded %d times, want once", n)
		}
	})
}

func TestWindowCountsFromTheMessageTimestamp(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		e := newEnv(t, db)
		c := e.opened()
		if c.WindowExpiresAt == nil || !c.WindowExpiresAt.Equal(fixtureSent.Add(24*time.Hour)) {
			t.Fatalf("window_expires_at %v, want timestamp + 24 h (%s)", c.WindowExpiresAt, fixtureSent.Add(24*time.Hour))
		}
	})
}

func TestLateWebhookDoesNotOpenTheWindow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		e := newEnv(t, db)
		e.deliver("text_late.json") // written 25 h ago, delivered now
		c := e.only()
		if c.WindowOpen(db.Clock.Now()) {
			t.Fatalf("window open until %v for a message written 25 h ago", c.WindowExpiresAt)
		}
		_, err := e.s.Send(context.Background(), desk.Actor{Integration: true, BotID: e.bot.ID}, c.ID, sendText("hello?"))
		if !desk.IsCode(err, desk.CodeWindowClosed) {
			t.Fatalf("free-form send outside the window: %v, want window_closed", err)
		}
	})
}

func TestReactionShowsOnTheMessageItReactsTo(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		e := newEnv(t, db)
		c := e.opened()
		sent := e.send(c.ID, sendText("We have it in green."))
		e.deliver("reaction.json")
		m := e.message(c.ID, sent.ID)
		if len(m.Reactions) != 1 || m.Reactions[0] != (desk.Reaction{Emoji: "👍", Author: desk.AuthorContact}) {
			t.Fatalf("reactions %+v, want the customer's 👍", m.Reactions)
		}
		if n := len(e.customerMessages(c.ID)); n != 1 {
			t.Errorf("a reaction became a message of its own (%d customer messages)", n)
		}
		// Taking it back is a reaction without emoji.
		removal := bytes.Replace(fixture(t, "reaction.json"), []byte(`"👍"`), []byte(`""`), 1)
		removal = bytes.Replace(removal, []byte("QUIzQTk4RjEwRjA0NTE2RjdGQwA="), []byte("QUIzQTk4RjEwRjA0NTE2RjdGQwB="), 1)
		if w := e.post(removal); w.Code != 200 {
			t.Fatalf("removal: %d %s", w.Code, w.Body)
		}
		if m := e.message(c.ID, sent.ID); len(m.Reactions) != 0 {
			t.Fatalf("reactions %+v after removal", m.Reactions)
		}
	})
}

func TestButtonReplyPointsAtTheMenuItAnswers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		e := newEnv(t, db)
		c := e.opened()
		menu := e.send(c.ID, sendText("How can we help?"))
		e.deliver("interactive_button_reply.json")
		ms := e.customerMessages(c.ID)
		if last := ms[len(ms)-1]; last.ReplyTo != menu.ID || last.Payload != "opt_billing" {
			t.Fatalf("reply_to %q payload %q, want %q opt_billing", last.ReplyTo, last.Payload, menu.ID)
		}
	})
}

func TestNumberChangeKeepsTheContact(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		e := newEnv(t, db)
		c := e.opened()
		e.deliver("system.json")
		moved := bytes.ReplaceAll(fixture(t, "text.json"), []byte(waID), []byte("16505559999"))
		moved = bytes.Replace(moved, []byte("RTAzODEwMTQ0RgA="), []byte("RTAzODEwMTQ0RgB="), 1)
		if w := e.post(moved); w.Code != 200 {
			t.Fatalf("%d %s", w.Code, w.Body)
		}
		if got := e.only(); got.ID != c.ID {
			t.Fatalf("the new number opened conversation %s, want %s", got.ID, c.ID)
		}
		k, err := e.s.GetContact(context.Background(), c.Contact.ID)
		if err != nil || k.ExternalID != "16505559999" || k.Phone != "+16505559999" {
			t.Fatalf("contact %+v, %v: replies must go to the new number", k, err)
		}
	})
}

func TestWebhookForAnotherNumberIsIgnored(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		e := newEnv(t, db)
		other := bytes.ReplaceAll(fixture(t, "text.json"), []byte(pnid), []byte("999999999999"))
		if w := e.post(other); w.Code != 200 {
			t.Fatalf("%d %s", w.Code, w.Body)
		}
		if n := len(e.conversations()); n != 0 {
			t.Fatalf("a message to another number opened %d conversations here", n)
		}
	})
}

func TestWebhookRefusesOversizeAndMalformedBodies(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		e := newEnv(t, db)
		big := append([]byte(`{"object":"whatsapp_business_account","pad":"`), bytes.Repeat([]byte("x"), whatsapp.MaxWebhookBody)...)
		big = append(big, `"}`...)
		if w := e.post(big); w.Code != 413 || !strings.Contains(w.Body.String(), "payload_too_large") {
			t.Errorf("oversize: %d %s", w.Code, w.Body)
		}
		if w := e.post([]byte(`[1,2,3]`)); w.Code != 400 || !strings.Contains(w.Body.String(), "bad_request") {
			t.Errorf("not an object: %d %s", w.Code, w.Body)
		}
		if w := e.post([]byte(`{"object":"page","entry":[{"id":"1","messaging":[]}]}`)); w.Code != 200 {
			t.Errorf("another object type: %d %s, want 200 (ignored)", w.Code, w.Body)
		}
	})
}
