package whatsapp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
)

// mediaClass is a WhatsApp media type, which sets its size limit and the
// file types accepted.
type mediaClass string

// Media classes, named as the webhook's message types.
const (
	classImage    mediaClass = "image"
	classVideo    mediaClass = "video"
	classAudio    mediaClass = "audio"
	classDocument mediaClass = "document"
	classSticker  mediaClass = "sticker"
)

// limit is the largest file of the class Relevo stores (WhatsApp's own
// limits; stickers are at most 500 KB at Meta, 1 MiB here).
func (c mediaClass) limit() int64 {
	switch c {
	case classImage:
		return 5 << 20
	case classVideo, classAudio:
		return 16 << 20
	case classSticker:
		return 1 << 20
	}
	return 100 << 20
}

// mediaTypes are the file types accepted per class: WhatsApp's supported
// media types, and for documents the office, text and archive types the
// console can offer for download.
var mediaTypes = map[mediaClass][]string{
	classImage:   {"image/jpeg", "image/png"},
	classSticker: {"image/webp"},
	classVideo:   {"video/mp4", "video/3gpp"},
	classAudio:   {"audio/aac", "audio/amr", "audio/mpeg", "audio/mp4", "audio/ogg", "audio/opus"},
	classDocument: {"application/pdf", "text/plain", "text/csv", "application/zip", "application/msword",
		"application/vnd.ms-excel", "application/vnd.ms-powerpoint", "application/vnd.openxmlformats-officedocument.",
		"application/vnd.oasis.opendocument.", "image/jpeg", "image/png", "audio/", "video/mp4"},
}

func (c mediaClass) allows(mt string) bool {
	for _, p := range mediaTypes[c] {
		if mt == p || (strings.HasSuffix(p, ".") || strings.HasSuffix(p, "/")) && strings.HasPrefix(mt, p) {
			return true
		}
	}
	return false
}

// mediaRefused is a file Relevo will not store however often Meta retries
// (too large, a refused type, gone at Meta): the message is kept with a
// note instead of the file.
type mediaRefused struct{ reason string }

func (m mediaRefused) Error() string { return m.reason }

// mediaInfo is the Graph API's answer for GET /{media-id}.
type mediaInfo struct {
	URL      string  `json:"url"`
	MimeType string  `json:"mime_type"`
	FileSize flexInt `json:"file_size"`
	ID       string  `json:"id"`
}

// fetchMedia downloads a media file into the uploads folder: the id gives
// a short-lived URL, downloaded with the same bearer token. A refusal that
// retrying cannot change is a mediaRefused; anything else (network, 5xx)
// is worth Meta's retry of the whole webhook.
func (s *Service) fetchMedia(ctx context.Context, ch desk.Channel, cfg Config, ref mediaRef) (desk.Attachment, error) {
	ctx, cancel := context.WithTimeout(ctx, s.mediaTimeout)
	defer cancel()
	var info mediaInfo
	err := s.graphJSON(ctx, cfg, http.MethodGet, cfg.GraphURL+"/"+ref.ID+"?phone_number_id="+cfg.PhoneNumberID, nil, &info)
	var ge *GraphError
	if errors.As(err, &ge) && !ge.Retryable() {
		return desk.Attachment{}, mediaRefused{"Meta did not hand out the file: " + ge.Error()}
	}
	if err != nil {
		return desk.Attachment{}, err
	}
	mt := baseType(firstNonEmpty(info.MimeType, ref.Mime))
	limit := ref.Class.limit()
	switch u, err := url.Parse(info.URL); {
	case !ref.Class.allows(mt):
		return desk.Attachment{}, mediaRefused{fmt.Sprintf("a %s of type %q is not accepted", ref.Class, mt)}
	case int64(info.FileSize) > limit:
		return desk.Attachment{}, mediaRefused{tooLarge(ref.Class, int64(info.FileSize))}
	case err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "":
		return desk.Attachment{}, mediaRefused{"Meta gave no usable download URL"}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, info.URL, nil)
	if err != nil {
		return desk.Attachment{}, mediaRefused{"Meta gave no usable download URL"}
	}
	req.Header.Set("Authorization", "Bearer "+cfg.AccessToken)
	resp, err := s.http.Do(req)
	if err != nil {
		return desk.Attachment{}, transportError{err}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		if resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests {
			return desk.Attachment{}, fmt.Errorf("whatsapp: media download: HTTP %d", resp.StatusCode)
		}
		return desk.Attachment{}, mediaRefused{fmt.Sprintf("the download was refused (HTTP %d)", resp.StatusCode)}
	}
	return s.saveMedia(ctx, ch, ref, mt, limit, resp.Body)
}

// saveMedia writes the download to the uploads folder and records it.
func (s *Service) saveMedia(ctx context.Context, ch desk.Channel, ref mediaRef, mt string, limit int64, body io.Reader) (desk.Attachment, error) {
	head := make([]byte, 512)
	n, err := io.ReadFull(body, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return desk.Attachment{}, transportError{err}
	}
	head = head[:n]
	if n == 0 {
		return desk.Attachment{}, mediaRefused{"the file is empty"}
	}
	// Images are shown inline in the console: the bytes must be an image,
	// whatever the declared type says.
	if (ref.Class == classImage || ref.Class == classSticker) && !strings.HasPrefix(http.DetectContentType(head), "image/") {
		return desk.Attachment{}, mediaRefused{"the file is not the image it claims to be"}
	}
	if err := os.MkdirAll(s.uploads, 0o750); err != nil {
		return desk.Attachment{}, fmt.Errorf("whatsapp: uploads folder: %w", err)
	}
	id := s.store.NewID()
	path := filepath.Join(s.uploads, id)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return desk.Attachment{}, fmt.Errorf("whatsapp: media file: %w", err)
	}
	size, err := io.Copy(f, io.MultiReader(strings.NewReader(string(head)), io.LimitReader(body, limit-int64(n)+1)))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && size > limit {
		err = mediaRefused{tooLarge(ref.Class, size)}
	}
	if err != nil {
		os.Remove(path)
		var refused mediaRefused
		if !errors.As(err, &refused) {
			err = transportError{err}
		}
		return desk.Attachment{}, err
	}
	att, err := s.store.CreateUpload(ctx, store.Upload{
		Attachment: desk.Attachment{ID: id, Name: mediaName(ref, mt), Mime: mt, Size: size},
		Path:       path, CreatedBy: "channel:" + ch.ID})
	if err != nil {
		os.Remove(path)
	}
	return att, err
}

func tooLarge(c mediaClass, size int64) string {
	return fmt.Sprintf("the %s is too large (%.1f MiB; at most %d MiB)", c, float64(size)/(1<<20), c.limit()>>20)
}

// baseType drops parameters ("audio/ogg; codecs=opus" is audio/ogg).
func baseType(mt string) string {
	if t, _, err := mime.ParseMediaType(mt); err == nil {
		return t
	}
	return strings.ToLower(strings.TrimSpace(mt))
}

// extensions name files that came without a name.
var extensions = map[string]string{
	"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "video/mp4": ".mp4", "video/3gpp": ".3gp",
	"audio/aac": ".aac", "audio/amr": ".amr", "audio/mpeg": ".mp3", "audio/mp4": ".m4a", "audio/ogg": ".ogg",
	"audio/opus": ".opus", "application/pdf": ".pdf", "text/plain": ".txt",
}

// mediaName is the file's name as shown: the customer's document name
// (without any path), or the class and the media id.
func mediaName(ref mediaRef, mt string) string {
	name := strings.ReplaceAll(ref.Name, "\\", "/")
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, filepath.Base(name))
	if name == "." || name == "/" || strings.TrimSpace(name) == "" {
		name = string(ref.Class) + "-" + ref.ID
	}
	if filepath.Ext(name) == "" {
		name += extensions[mt]
	}
	return clip(name, 200)
}
