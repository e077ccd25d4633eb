package whatsapp_test

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store/storetest"
)

const imageID = "1003383421387256" // image.json's media id

func TestMediaIsFetchedWithTheBearerToken(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		e := newEnv(t, db)
		e.graph.files = mediaFiles()
		e.deliver("image.json")
		info := e.graph.requests("/v21.0/" + imageID)
		dl := e.graph.requests("/files/" + imageID)
		if len(info) != 1 || info[0].Query != "phone_number_id="+pnid || len(dl) != 1 || dl[0].Auth != "Bearer "+token {
			t.Fatalf("media calls: info %+v, download %+v", info, dl)
		}
	})
}

func TestMediaLimitsAreEnforced(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		jpeg := func(n int) []byte { return append([]byte("\xff\xd8\xff\xe0"), bytes.Repeat([]byte{7}, n-4)...) }
		big := jpeg(5<<20 + 1)
		for _, tc := range []struct {
			name string
			file fakeFile
			note string
		}{
			{"announced too large", fakeFile{Mime: "image/jpeg", Size: int64(len(big)), Data: big}, "the image is too large (5.0 MiB; at most 5 MiB)"},
			{"larger than announced", fakeFile{Mime: "image/jpeg", Size: -1, Data: big}, "the image is too large"},
			{"type not accepted", fakeFile{Mime: "image/gif", Size: 10, Data: []byte("GIF89a....")}, `a image of type "image/gif" is not accepted`},
			{"not the image it claims", fakeFile{Mime: "image/jpeg", Size: 30, Data: []byte("<html><script>alert(1)</script>")}, "not the image it claims to be"},
			{"gone at Meta", fakeFile{Mime: "image/jpeg", Size: 10, Data: jpeg(10), Status: 404}, "the download was refused (HTTP 404)"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := newEnv(t, db)
				e.graph.files = map[string]fakeFile{imageID: tc.file}
				e.deliver("image.json")
				ms := e.customerMessages(e.only().ID)
				if len(ms) != 1 {
					t.Fatalf("%d messages", len(ms))
				}
				m := ms[0]
				if m.Kind != desk.KindText || len(m.Attachments) != 0 || !strings.Contains(m.Text, tc.note) ||
					!strings.HasSuffix(m.Text, "This is the one I ordered") {
					t.Fatalf("stored %s %q with %d attachments; want a note %q and the caption", m.Kind, m.Text, len(m.Attachments), tc.note)
				}
				if left, _ := os.ReadDir(e.uploads); len(left) != 0 {
					t.Errorf("%d files left in the uploads folder", len(left))
				}
			})
		}
	})
}

func TestMediaServerErrorAsksMetaToRetry(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		e := newEnv(t, db)
		e.graph.files = mediaFiles()
		e.graph.infoStatus = 500
		if w := e.post(fixture(t, "image.json")); w.Code != 500 {
			t.Fatalf("media lookup failing with 500: webhook %d, want 500 so Meta retries", w.Code)
		}
		if n := len(e.conversations()); n != 0 {
			t.Fatalf("%d conversations stored before the media", n)
		}
		e.graph.infoStatus = 0
		e.deliver("image.json")
		if ms := e.customerMessages(e.only().ID); len(ms) != 1 || len(ms[0].Attachments) != 1 {
			t.Fatalf("after Meta's retry: %+v", ms)
		}
	})
}
