package web

import (
	"mime"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/httpkit"
	"github.com/relevo/relevo/internal/store"
)

// ServeUpload stores one file from the visitor, with the console's rules
// (type sniffed from the bytes, the same allow-list) and the widget's own
// size limit; the visitor then sends it by id.
func (s *Service) ServeUpload(w http.ResponseWriter, r *http.Request) {
	a, err := s.upload(w, r)
	if err != nil {
		httpkit.WriteError(w, r, s.log, err)
		return
	}
	httpkit.WriteJSON(w, http.StatusOK, a)
}

func (s *Service) upload(w http.ResponseWriter, r *http.Request) (desk.Attachment, error) {
	v, err := s.authenticate(w, r, false)
	if err != nil {
		return desk.Attachment{}, err
	}
	if err := s.messages.Allow("token:" + v.tokenHash); err != nil {
		return desk.Attachment{}, err
	}
	f, path, err := httpkit.ReceiveUpload(w, r, s.uploads, s.maxUpload, s.store.NewID())
	if err != nil {
		return desk.Attachment{}, err
	}
	a, err := s.store.CreateUpload(r.Context(), store.Upload{Attachment: f, Path: path, CreatedBy: v.uploader()})
	if err != nil {
		os.Remove(path)
		return desk.Attachment{}, err
	}
	a.URL = "/widget/v1/uploads/" + a.ID
	return a, nil
}

// ServeDownload serves a file the visitor uploaded or that is attached to
// a message it can see; anything else is not found.
func (s *Service) ServeDownload(w http.ResponseWriter, r *http.Request, uploadID string) {
	v, err := s.authenticate(w, r, false)
	var ok bool
	if err == nil {
		ok, err = s.store.CustomerSeesUpload(r.Context(), v.ChannelID, v.ContactID, v.uploader(), uploadID)
	}
	var u store.Upload
	if err == nil && ok {
		u, err = s.store.UploadFile(r.Context(), uploadID)
	} else if err == nil {
		err = desk.NotFound("upload")
	}
	var f *os.File
	if err == nil {
		if f, err = os.Open(u.Path); err != nil {
			err = desk.NotFound("upload")
		}
	}
	if err != nil {
		httpkit.WriteError(w, r, s.log, err)
		return
	}
	defer f.Close()
	h := w.Header()
	h.Set("Content-Type", u.Mime)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox")
	h.Set("Cache-Control", "private, max-age=3600")
	disp := "attachment"
	if strings.HasPrefix(u.Mime, "image/") || strings.HasPrefix(u.Mime, "audio/") || strings.HasPrefix(u.Mime, "video/") {
		disp = "inline"
	}
	h.Set("Content-Disposition", mime.FormatMediaType(disp, map[string]string{"filename": u.Name}))
	http.ServeContent(w, r, "", time.Time{}, f)
}
