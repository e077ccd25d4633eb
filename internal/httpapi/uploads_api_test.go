package httpapi_test

import (
	"bytes"
	"image"
	"image/png"
	"mime/multipart"
	"os"
	"strings"
	"testing"

	"github.com/relevo/relevo/internal/httpapi"
)

// pngBytes is a real 2×2 PNG.
func pngBytes(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewRGBA(image.Rect(0, 0, 2, 2))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// upload posts one file as multipart field "file".
func (c *client) upload(name string, content []byte) *resp {
	c.w.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile("file", name)
	if err == nil {
		_, err = fw.Write(content)
	}
	if err == nil {
		err = mw.Close()
	}
	if err != nil {
		c.w.t.Fatal(err)
	}
	return c.raw("POST", "/api/v1/uploads", mw.FormDataContentType(), &buf)
}

func happyUploads(t *testing.T, w *world) {
	id := w.humanConv("u1", w.agent)
	ag := w.login(w.agent)
	img := pngBytes(t)
	a := ag.upload("photo.png", img).want(200).obj()
	checkAttachment(t, "POST /uploads", a)
	if a["mime"] != "image/png" || a["name"] != "photo.png" || num(a["size"]) != int64(len(img)) {
		t.Errorf("POST /uploads: %v", a)
	}
	d := ag.get("/api/v1/uploads/" + str(a["id"])).want(200)
	if !bytes.Equal(d.Body, img) || d.Header.Get("Content-Type") != "image/png" || d.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("GET /uploads/{id}: %d bytes, type %q, nosniff %q", len(d.Body), d.Header.Get("Content-Type"), d.Header.Get("X-Content-Type-Options"))
	}
	m := ag.post("/api/v1/conversations/"+id+"/messages", map[string]any{"attachment_ids": []string{str(a["id"])}}).want(200).obj()
	checkMessage(t, "POST messages with an attachment", m)
	atts, _ := m["attachments"].([]any)
	if m["kind"] != "image" || len(atts) != 1 {
		t.Fatalf("message with a PNG: kind %v, attachments %v", m["kind"], atts)
	}
	url := str(atts[0].(map[string]any)["url"])
	if url != "/api/v1/uploads/"+str(a["id"]) {
		t.Errorf("attachment url %q", url)
	}
	w.login(w.sup).get(url).want(200) // sees the conversation, so the file
}

func TestUploadIsTypedByItsContentNotItsName(t *testing.T) {
	w := sqliteWorld(t)
	ag := w.login(w.agent)
	ag.upload("page.png", []byte("<!DOCTYPE html><html><script>alert(1)</script></html>")).fails(422, "validation_failed")
	exe := append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"), bytes.Repeat([]byte{0x00, 0x01, 0xfe}, 100)...)
	if r := ag.upload("cat.png", exe); r.Status == 200 {
		if mt := str(r.obj()["mime"]); strings.HasPrefix(mt, "image/") {
			t.Errorf("a Windows program named cat.png was stored as %s", mt)
		}
	} else {
		r.fails(422, "validation_failed")
	}
	if a := ag.upload("notes.txt", pngBytes(t)).want(200).obj(); a["mime"] != "image/png" {
		t.Errorf("a PNG named notes.txt typed %v, want image/png", a["mime"])
	}
	if a := ag.upload("list.csv", []byte("a,b\n1,2\n")).want(200).obj(); a["mime"] != "text/csv" {
		t.Errorf("a CSV typed %v", a["mime"])
	}
	ag.upload("empty.png", nil).fails(422, "validation_failed")
}

func TestUploadOverTheLimitIsPayloadTooLarge(t *testing.T) {
	dir := t.TempDir()
	w := sqliteWorld(t, func(c *httpapi.Config) { c.MaxUpload, c.UploadDir = 1024, dir })
	ag := w.login(w.agent)
	big := append(pngBytes(t), bytes.Repeat([]byte("x"), 1024)...)
	ag.upload("big.png", big).fails(413, "payload_too_large")
	ag.upload("huge.png", append(pngBytes(t), bytes.Repeat([]byte("x"), 512<<10)...)).fails(413, "payload_too_large")
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("refused uploads left %d files behind", len(left))
	}
	ag.upload("fits.png", pngBytes(t)).want(200)
}

func TestUploadNeedsOneMultipartFile(t *testing.T) {
	w := sqliteWorld(t)
	ag := w.login(w.agent)
	ag.post("/api/v1/uploads", map[string]string{"file": "x"}).fails(400, "bad_request")
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("other", "x")
	_ = mw.Close()
	ag.raw("POST", "/api/v1/uploads", mw.FormDataContentType(), &buf).fails(400, "bad_request")
	w.anon().upload("a.png", pngBytes(t)).fails(401, "unauthenticated")
}

// A file is seen by its uploader and by whoever may see a conversation it
// is attached to; for everyone else it does not exist.
func TestDownloadOutsideScopeIsNotFound(t *testing.T) {
	w := sqliteWorld(t)
	id := w.humanConv("u1", w.agent)
	ag := w.login(w.agent)
	up := str(ag.upload("photo.png", pngBytes(t)).want(200).obj()["id"])
	w.login(w.agentB).get("/api/v1/uploads/"+up).fails(404, "not_found")
	w.login(w.agent2).get("/api/v1/uploads/"+up).fails(404, "not_found")
	ag.post("/api/v1/conversations/"+id+"/messages", map[string]any{"attachment_ids": []string{up}}).want(200)
	w.login(w.agentB).get("/api/v1/uploads/"+up).fails(404, "not_found")
	w.login(w.agent2).get("/api/v1/uploads/"+up).fails(404, "not_found")
	w.login(w.auditor).get("/api/v1/uploads/" + up).want(200)
	w.token(w.botA.ID).get("/api/v1/uploads/" + up).want(200)
	w.token(w.botB.ID).get("/api/v1/uploads/"+up).fails(404, "not_found")
	ag.get("/api/v1/uploads/nope").fails(404, "not_found")
}

// An upload id is no capability: attaching someone else's file to a
// conversation of another bot must not hand it over.
func TestAttachingAnotherUsersUploadIsRefused(t *testing.T) {
	w := sqliteWorld(t)
	up := str(w.login(w.agent).upload("secret.png", pngBytes(t)).want(200).obj()["id"])
	idB := w.convOn(w.apiB, "b1") // bot B has no flow: straight to the queue
	w.online(w.agentB)
	b := w.login(w.agentB)
	b.post("/api/v1/conversations/"+idB+"/assign", nil).want(200)
	w.drain()
	w.refused(t, idB, 422, "validation_failed", func() *resp {
		return b.post("/api/v1/conversations/"+idB+"/messages", map[string]any{"attachment_ids": []string{up}})
	})
	b.get("/api/v1/uploads/"+up).fails(404, "not_found")
	in := inboundBody("b2", "m1", "")
	in["message"] = map[string]any{"id": "m1", "attachments": []string{up}}
	w.token(w.botB.ID).post("/api/v1/channels/"+w.apiB.ID+"/inbound", in).fails(422, "validation_failed")
	b.get("/api/v1/uploads/"+up).fails(404, "not_found")
}

// Voice notes are Ogg: stored as audio and sent as kind audio. An SVG
// (scripts inside) is no image: refused, or kept as the text it is.
func TestVoiceNoteIsAudioAndSVGIsNoImage(t *testing.T) {
	w := sqliteWorld(t)
	id := w.humanConv("v1", w.agent)
	ag := w.login(w.agent)
	ogg := append([]byte("OggS\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00"), bytes.Repeat([]byte{1}, 100)...)
	a := ag.upload("voice.ogg", ogg).want(200).obj()
	if a["mime"] != "audio/ogg" {
		t.Fatalf("voice note typed %v, want audio/ogg", a["mime"])
	}
	m := ag.post("/api/v1/conversations/"+id+"/messages", map[string]any{"attachment_ids": []string{str(a["id"])}}).want(200).obj()
	if m["kind"] != "audio" {
		t.Errorf("voice note sent as kind %v", m["kind"])
	}
	svg := []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`)
	if r := ag.upload("logo.svg", svg); r.Status == 200 {
		if mt := str(r.obj()["mime"]); strings.HasPrefix(mt, "image/") {
			t.Errorf("an SVG with a script was stored as %s", mt)
		}
	} else {
		r.fails(422, "validation_failed")
	}
}

// A browser's voice recording is WebM with one Opus track, which the
// generic sniffer calls video/webm: it is audio/webm, decided by the
// container's track types (not the name), stored, served and sent as such.
func TestBrowserVoiceRecordingIsAudioWebM(t *testing.T) {
	w := sqliteWorld(t)
	id := w.humanConv("w1", w.agent)
	ag := w.login(w.agent)
	rec, err := os.ReadFile("../media/webm/testdata/chromium-opus.webm")
	if err != nil {
		t.Fatal(err)
	}
	a := ag.upload("voice-2026-01-01.webm", rec).want(200).obj()
	if a["mime"] != "audio/webm" {
		t.Fatalf("a Chromium voice recording typed %v, want audio/webm", a["mime"])
	}
	d := ag.get("/api/v1/uploads/" + str(a["id"])).want(200)
	if ct := d.Header.Get("Content-Type"); ct != "audio/webm" || !bytes.Equal(d.Body, rec) {
		t.Errorf("served as %q, %d bytes", ct, len(d.Body))
	}
	m := ag.post("/api/v1/conversations/"+id+"/messages", map[string]any{"attachment_ids": []string{str(a["id"])}}).want(200).obj()
	if m["kind"] != "audio" {
		t.Errorf("the recording was sent as kind %v", m["kind"])
	}
	// The name does not decide: the same bytes under a video name are
	// audio, and a WebM with a video track stays video whatever its name.
	if a := ag.upload("clip.mp4", rec).want(200).obj(); a["mime"] != "audio/webm" {
		t.Errorf("the recording named clip.mp4 typed %v", a["mime"])
	}
	video := bytes.Clone(rec)
	i := bytes.Index(video, []byte{0x83, 0x81, 0x02}) // TrackType: audio
	video[i+2] = 0x01                                 // video
	if a := ag.upload("voice.weba", video).want(200).obj(); a["mime"] != "video/webm" {
		t.Errorf("a WebM with a video track typed %v", a["mime"])
	}
}

// A bot uploads a customer's file and attaches it to the inbound message.
func TestBotAttachesItsOwnUploadToInbound(t *testing.T) {
	w := sqliteWorld(t)
	tok := w.token(w.botA.ID)
	up := str(tok.upload("receipt.png", pngBytes(t)).want(200).obj()["id"])
	in := inboundBody("r1", "m1", "")
	in["message"] = map[string]any{"id": "m1", "attachments": []string{up}}
	id := str(tok.post("/api/v1/channels/"+w.apiA.ID+"/inbound", in).want(200).obj()["conversation_id"])
	msgs := tok.timeline(id)
	if last := msgs[len(msgs)-1]; last["kind"] != "image" || len(last["attachments"].([]any)) != 1 {
		t.Errorf("inbound with a PNG: %v", last)
	}
	w.login(w.auditor).get("/api/v1/uploads/" + up).want(200)
}
