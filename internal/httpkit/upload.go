package httpkit

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/media/webm"
)

// allowedMime are the file types accepted as attachments: what customers'
// channels can carry and agents' browsers can show.
var allowedMime = []string{"image/", "audio/", "video/", "text/plain", "text/csv", "application/pdf", "application/zip",
	"application/msword", "application/vnd.openxmlformats-officedocument.", "application/vnd.ms-excel", "application/vnd.ms-powerpoint",
	"application/vnd.oasis.opendocument."}

// AllowedTypes lists the accepted types: a type ending in "/" or "." is a
// prefix (the OpenAPI document shows a download's possible types).
func AllowedTypes() []string { return append([]string(nil), allowedMime...) }

func mimeAllowed(m string) bool {
	for _, p := range allowedMime {
		if strings.HasPrefix(m, p) {
			return true
		}
	}
	return false
}

// ReceiveUpload writes the request's multipart field "file" to dir/id, at
// most limit bytes, of an allowed type sniffed from its bytes; it returns
// the file (not yet recorded) and its path. Every client mistake comes back
// as a *desk.Error, and nothing is left on disk when it fails.
func ReceiveUpload(w http.ResponseWriter, r *http.Request, dir string, limit int64, id string) (desk.Attachment, string, error) {
	r.Body = http.MaxBytesReader(w, r.Body, limit+64<<10)
	mr, err := r.MultipartReader()
	if err != nil {
		return desk.Attachment{}, "", desk.Errorf(desk.CodeBadRequest, "send multipart/form-data with one field \"file\"")
	}
	var part interface {
		io.Reader
		FileName() string
		FormName() string
	}
	for {
		p, err := mr.NextPart()
		if err != nil {
			return desk.Attachment{}, "", uploadErr(err, limit)
		}
		if p.FormName() == "file" && p.FileName() != "" {
			part = p
			break
		}
	}
	name := filepath.Base(part.FileName())
	if len(name) > 200 {
		name = name[len(name)-200:]
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return desk.Attachment{}, "", err
	}
	path := filepath.Join(dir, id)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return desk.Attachment{}, "", err
	}
	// The head is what the type is decided from: 512 bytes for the
	// sniffer, more for a WebM's tracks (after its header and seek index).
	head := make([]byte, sniffHead)
	n, _ := io.ReadFull(part, head)
	head = head[:n]
	size, err := io.Copy(f, io.MultiReader(strings.NewReader(string(head)), io.LimitReader(part, limit-int64(n)+1)))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && size > limit {
		err = desk.Errorf(desk.CodePayloadTooLarge, "a file may be at most %d bytes", limit).WithDetail("limit", limit)
	}
	mt := Sniff(head, name)
	if err == nil && (size == 0 || !mimeAllowed(mt)) {
		err = desk.Invalid("file", "empty, or a file type that cannot be attached (%s)", mt)
	}
	if err != nil {
		os.Remove(path)
		return desk.Attachment{}, "", uploadErr(err, limit)
	}
	return desk.Attachment{ID: id, Name: name, Mime: mt, Size: size}, path, nil
}

// sniffHead is how much of a file Sniff reads.
const sniffHead = 64 << 10

// Sniff picks the content type from the bytes; where sniffing only finds
// generic text or bytes, the file extension refines it (audio/ogg voice
// notes, office documents).
func Sniff(head []byte, name string) string {
	mt, _, _ := mime.ParseMediaType(http.DetectContentType(head))
	// Every WebM sniffs as video/webm, but browsers record voice in WebM
	// with only an audio track: the tracks decide, not the client's word.
	if mt == "video/webm" && webm.AudioOnly(head) {
		return "audio/webm"
	}
	byExt, _, err := mime.ParseMediaType(mime.TypeByExtension(filepath.Ext(name)))
	if err != nil {
		byExt = ""
	}
	// Ogg (WhatsApp and browser voice notes) sniffs as application/ogg,
	// which no channel takes; the bytes say Ogg, the name says which kind.
	if mt == "application/ogg" {
		if strings.HasPrefix(byExt, "video/") {
			return "video/ogg"
		}
		return "audio/ogg"
	}
	// The name may refine generic bytes, but never into an image: every
	// image type shown inline (PNG, JPEG, GIF, WebP, BMP, ICO) is known by
	// its bytes, so an "image" the sniffer did not recognise is something
	// else renamed (a program, an SVG with scripts) and stays untyped.
	if mt == "application/octet-stream" || mt == "text/plain" || mt == "application/zip" {
		if byExt != "" && !strings.HasPrefix(byExt, "text/html") && !strings.HasPrefix(byExt, "image/") {
			return byExt
		}
	}
	return mt
}

func uploadErr(err error, limit int64) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return desk.Errorf(desk.CodePayloadTooLarge, "a file may be at most %d bytes", limit).WithDetail("limit", limit)
	}
	var de *desk.Error
	if errors.As(err, &de) {
		return de
	}
	if errors.Is(err, io.EOF) {
		return desk.Errorf(desk.CodeBadRequest, "no field \"file\" in the form")
	}
	return desk.Errorf(desk.CodeBadRequest, "malformed multipart body")
}
