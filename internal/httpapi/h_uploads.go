package httpapi

import (
	"context"
	"mime"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/httpkit"
	"github.com/relevo/relevo/internal/store"
)

// upload stores one multipart file. The type is sniffed from the bytes, not
// trusted from the client, and the file is written before it is recorded.
func (s *Server) upload(w http.ResponseWriter, r *http.Request) {
	id := s.store.NewID()
	f, path, err := httpkit.ReceiveUpload(w, r, s.cfg.UploadDir, s.cfg.MaxUpload, id)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	a, err := s.store.CreateUpload(r.Context(), store.Upload{Attachment: f, Path: path, CreatedBy: uploaderOf(actorOf(r))})
	if err != nil {
		os.Remove(path)
	}
	s.respond(w, r, a, err)
}

// checkAttachable refuses upload ids a caller may not attach: only its own
// uploads, or files already in a conversation it can see (forwarding). An
// upload id is no capability: download follows the conversations a file is
// attached to, so attaching someone else's file to one's own conversation
// would otherwise hand that file over (an agent of another bot, say).
func (s *Server) checkAttachable(ctx context.Context, a desk.Actor, field string, ids []string) error {
	for _, id := range ids {
		u, err := s.store.UploadFile(ctx, id)
		if err == nil && u.CreatedBy != uploaderOf(a) {
			ok, cerr := s.store.CanSeeUpload(ctx, a, id)
			if cerr != nil {
				return cerr
			}
			if !ok {
				err = desk.NotFound("upload")
			}
		}
		if desk.IsCode(err, desk.CodeNotFound) {
			return desk.Invalid(field, "no such upload %s", id)
		}
		if err != nil {
			return err
		}
	}
	return nil
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
