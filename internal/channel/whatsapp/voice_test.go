package whatsapp_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/media/ogg"
	"github.com/relevo/relevo/internal/store/storetest"
)

// An agent's voice recording (WebM/Opus from the browser) reaches the
// customer as a WhatsApp voice note: the same Opus packets remuxed into
// Ogg, uploaded as audio/ogg and sent as audio with voice set. A WebM that
// is not Opus cannot be a voice note and goes as a document, as it is.
func TestVoiceRecordingGoesAsOggOpusVoiceNote(t *testing.T) {
	rec, err := os.ReadFile("../../media/webm/testdata/chromium-opus.webm")
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	if _, err := ogg.FromWebM(&want, rec); err != nil {
		t.Fatal(err)
	}
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		e := newEnv(t, db)
		e.opened()
		voice := e.upload("voice-2026-01-01T10-00-00-000Z.webm", "audio/webm", rec)
		got := e.sendBodies(desk.Message{Kind: desk.KindAudio, Text: "Listen", Attachments: []desk.Attachment{voice}})
		if len(got) != 2 {
			t.Fatalf("%d sends, want the text then the voice note", len(got))
		}
		jsonEq(t, "voice note", got[1], `{`+to+`,"type":"audio","audio":{"id":"9000000000000001","voice":true}}`)
		up := e.graph.uploads[0]
		if up.Type != "audio/ogg" || up.PartType != "audio/ogg" || up.Filename != "voice-2026-01-01T10-00-00-000Z.ogg" {
			t.Errorf("uploaded type %q, part %q, name %q", up.Type, up.PartType, up.Filename)
		}
		if !bytes.HasPrefix(up.Data, []byte("OggS")) || !bytes.Contains(up.Data, []byte("OpusHead")) || !bytes.Equal(up.Data, want.Bytes()) {
			t.Errorf("uploaded %d bytes, not the recording in Ogg", len(up.Data))
		}

		vorbis := e.upload("music.webm", "audio/webm", bytes.Replace(rec, []byte("A_OPUS"), []byte("A_VORB"), 1))
		got = e.sendBodies(desk.Message{Kind: desk.KindAudio, Attachments: []desk.Attachment{vorbis}})
		jsonEq(t, "not Opus", got[0], `{`+to+`,"type":"document","document":{"id":"9000000000000002","filename":"music.webm"}}`)
		if up := e.graph.uploads[1]; up.Type != "audio/webm" || up.Filename != "music.webm" || !bytes.HasPrefix(up.Data, []byte("\x1a\x45\xdf\xa3")) {
			t.Errorf("a Vorbis WebM was uploaded as %q %q", up.Type, up.Filename)
		}
	})
}
