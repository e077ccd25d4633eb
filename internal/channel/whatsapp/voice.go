package whatsapp

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/media/ogg"
	"github.com/relevo/relevo/internal/store"
)

// outFile is an attachment as it goes to WhatsApp: the stored file, or
// one made for WhatsApp from it (data).
type outFile struct {
	name, mime string
	typ        string // image, video, audio or document
	voice      bool
	path       string
	data       []byte
}

// outgoing prepares an attachment: a browser's voice recording becomes a
// voice note; anything else goes as stored, typed by its media type.
func (s *Service) outgoing(ctx context.Context, a desk.Attachment) (outFile, error) {
	u, err := s.store.UploadFile(ctx, a.ID)
	if err != nil {
		return outFile{}, fmt.Errorf("whatsapp: attachment %s: %w", a.Name, err)
	}
	if u.Mime == "audio/webm" && u.Size <= classAudio.limit() {
		if f, ok := s.voiceNote(u); ok {
			return f, nil
		}
	}
	typ, err := mediaType(u.Mime, u.Size)
	if err != nil {
		return outFile{}, err
	}
	return outFile{name: u.Name, mime: u.Mime, typ: typ, path: u.Path}, nil
}

// voiceNote remuxes a WebM/Opus recording (what browsers record) into Ogg
// Opus, the only voice note format WhatsApp takes: the same packets in
// another container, so nothing is re-encoded. A WebM that is not Opus
// cannot be one and is sent as it is.
func (s *Service) voiceNote(u store.Upload) (outFile, bool) {
	data, err := os.ReadFile(u.Path)
	if err != nil {
		return outFile{}, false // sent as stored, which reports the missing file
	}
	var buf bytes.Buffer
	if _, err := ogg.FromWebM(&buf, data); err != nil || int64(buf.Len()) > classAudio.limit() {
		s.log.Info("whatsapp: a WebM audio is sent as a document", "upload", u.ID, "err", err)
		return outFile{}, false
	}
	name := strings.TrimSuffix(u.Name, filepath.Ext(u.Name)) + ".ogg"
	return outFile{name: name, mime: "audio/ogg", typ: "audio", voice: true, data: buf.Bytes()}, true
}
