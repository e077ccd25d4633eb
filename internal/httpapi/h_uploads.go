package httpapi

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
)

// allowedMime are the file types accepted as attachments: what customers'
// channels can carry and agents' browsers can show.
var allowedMime = []string{"image/", "audio/", "video/", "text/plain", "text/csv", "application/pdf", "application/zip",
	"application/msword", "application/vnd.openxmlformats-officedocument.", "application/vnd.ms-excel", "application/vnd.ms-powerpoint",
	"application/vnd.oasis.opendocument."}

func mimeAllowed(m string) bool {
	for _, p := range allowedMime {
		if strings.HasPrefix(m, p) {
			return true
		}
	}
	return false
}

// upload stores one multipart file. The type is sniffed from the bytes, not
// trusted from the client, and the file is written before it is recorded.
func (s *Server) upload(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxUpload+64<<10)
	mr, err := r.MultipartReader()
	if err != nil {
		writeError(w, r, s.log, desk.Errorf(desk.CodeBadRequest, "send multipart/form-data with one field \"file\""))
		return
	}
	var part interface {
		io.Reader
		FileName() string
		FormName() string
	}
	for {
		p, err := mr.NextPart()
		if err != nil {
			writeError(w, r, s.log, uploadErr(err, s.cfg.MaxUpload))
			return
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
	id := s.store.NewID()
	if err := os.MkdirAll(s.cfg.UploadDir, 0o750); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	path := filepath.Join(s.cfg.UploadDir, id)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	head := make([]byte, 512)
	n, _ := io.ReadFull(part, head)
	head = head[:n]
	size, err := io.Copy(f, io.MultiReader(strings.NewReader(string(head)), io.LimitReader(part, s.cfg.MaxUpload-int64(n)+1)))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && size > s.cfg.MaxUpload {
		err = desk.Errorf(desk.CodePayloadTooLarge, "a file may be at most %d bytes", s.cfg.MaxUpload).WithDetail("limit", s.cfg.MaxUpload)
	}
	mt := sniff(head, name)
	if err == nil && (size == 0 || !mimeAllowed(mt)) {
		err = desk.Invalid("file", "empty, or a file type that cannot be attached (%s)", mt)
	}
	if err != nil {
		os.Remove(path)
		writeError(w, r, s.log, uploadErr(err, s.cfg.MaxUpload))
		return
	}
	a, err := s.store.CreateUpload(r.Context(), store.Upload{Attachment: desk.Attachment{ID: id, Name: name, Mime: mt, Size: size},
		Path: path, CreatedBy: uploaderOf(actorOf(r))})
	if err != nil {
		os.Remove(path)
	}
	s.respond(w, r, a, err)
}

// sniff picks the content type from the bytes; where sniffing only finds
// generic text or bytes, the file extension refines it (audio/ogg voice
// notes, office documents).
func sniff(head []byte, name string) string {
	mt, _, _ := mime.ParseMediaType(http.DetectContentType(head))
	if mt == "application/octet-stream" || mt == "text/plain" || mt == "application/zip" {
		if byExt, _, err := mime.ParseMediaType(mime.TypeByExtension(filepath.Ext(name))); err == nil && byExt != "" && !strings.HasPrefix(byExt, "text/html") {
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

func uploaderOf(a desk.Actor) string {
	if a.User != nil {
		return a.User.ID
	}
	return "bot:" + a.BotID
}

// download serves an upload to whoever uploaded it or may see a
// conversation it is attached to.
func (s *Server) download(w http.ResponseWriter, r *http.Request) {
	a := actorOf(r)
	u, err := s.store.UploadFile(r.Context(), r.PathValue("id"))
	if err == nil && u.CreatedBy != uploaderOf(a) {
		if ok, cerr := s.store.CanSeeUpload(r.Context(), a, u.ID); cerr != nil || !ok {
			err = desk.NotFound("upload")
		}
	}
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	f, err := os.Open(u.Path)
	if err != nil {
		writeError(w, r, s.log, desk.NotFound("upload"))
		return
	}
	defer f.Close()
	w.Header().Set("Content-Type", u.Mime)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", "sandbox")
	disp := "attachment"
	if strings.HasPrefix(u.Mime, "image/") || strings.HasPrefix(u.Mime, "audio/") || strings.HasPrefix(u.Mime, "video/") {
		disp = "inline"
	}
	w.Header().Set("Content-Disposition", mime.FormatMediaType(disp, map[string]string{"filename": u.Name}))
	http.ServeContent(w, r, "", time.Time{}, f)
}
