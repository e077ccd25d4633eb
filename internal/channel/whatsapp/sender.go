package whatsapp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/jobs"
	"github.com/relevo/relevo/internal/store"
)

// Send delivers one outbox message to the customer through the Graph API
// (it is the outbox's jobs.Sender for WhatsApp channels) and returns the
// wamid, which later status webhooks name. Rate limits, 5xx and network
// failures are retried by the outbox; anything else fails the message with
// Meta's reason, and 131047 also closes the conversation's window.
func (s *Service) Send(ctx context.Context, d store.Delivery) (string, error) {
	if d.Message == nil {
		return "", jobs.Permanent(errors.New("whatsapp: nothing to send"))
	}
	cfg, err := ParseConfig(d.Channel.Config)
	if err == nil {
		err = cfg.require("access_token")
	}
	if err != nil {
		return "", jobs.Permanent(fmt.Errorf("whatsapp: channel config: %w", err))
	}
	to := d.Contact.ExternalID
	if to == "" {
		to = strings.TrimPrefix(d.Contact.Phone, "+")
	}
	if to == "" {
		return "", jobs.Permanent(errors.New("whatsapp: the contact has no WhatsApp id"))
	}
	id, err := s.send(ctx, cfg, to, *d.Message)
	var ge *GraphError
	if errors.As(err, &ge) && ge.WindowClosed() {
		if cerr := s.store.CloseWindow(ctx, d.Conversation.ID, d.Message.CreatedAt); cerr != nil {
			s.log.Error("whatsapp: close window", "conversation", d.Conversation.ID, "err", cerr)
		}
	}
	return id, forOutbox(err)
}

func (s *Service) send(ctx context.Context, cfg Config, to string, m desk.Message) (string, error) {
	switch {
	case m.Kind == desk.KindNote || m.Kind == desk.KindEvent:
		return "", fmt.Errorf("whatsapp: a %s is never sent to the customer", m.Kind)
	case m.Kind == desk.KindTemplate:
		out, err := templateMessage(to, m)
		if err != nil {
			return "", err
		}
		return s.post(ctx, cfg, out)
	case len(m.Attachments) > 0:
		return s.sendMedia(ctx, cfg, to, m)
	case len(m.Buttons) > 0:
		return s.post(ctx, cfg, menuMessage(to, m))
	case strings.TrimSpace(m.Text) == "":
		return "", errors.New("whatsapp: the message has no text")
	case utf8.RuneCountInString(m.Text) > desk.MaxTextLen:
		return "", fmt.Errorf("whatsapp: a text may have at most %d characters", desk.MaxTextLen)
	}
	return s.post(ctx, cfg, textMessage(to, m.Text))
}

// sendMedia uploads each attachment and sends it by media id; the text is
// the first file's caption where WhatsApp allows one, else its own message
// before the files. It returns the last message's wamid: a retry after a
// partial failure sends the earlier parts again (WhatsApp has no
// idempotency key).
func (s *Service) sendMedia(ctx context.Context, cfg Config, to string, m desk.Message) (string, error) {
	files := make([]outFile, len(m.Attachments))
	for i, a := range m.Attachments {
		f, err := s.outgoing(ctx, a)
		if err != nil {
			return "", err
		}
		files[i] = f
	}
	caption := strings.TrimSpace(m.Text)
	if caption != "" && (files[0].typ == "audio" || utf8.RuneCountInString(caption) > maxCaption) {
		if _, err := s.post(ctx, cfg, textMessage(to, m.Text)); err != nil {
			return "", err
		}
		caption = ""
	}
	var last string
	for i, f := range files {
		mediaID, err := s.upload(ctx, cfg, f)
		if err != nil {
			return "", err
		}
		if i > 0 {
			caption = ""
		}
		out := mediaMessage(to, f.typ, mediaID, caption, f.name)
		if out.Audio != nil {
			out.Audio.Voice = f.voice
		}
		if last, err = s.post(ctx, cfg, out); err != nil {
			return "", err
		}
	}
	return last, nil
}

// upload sends a file to POST /{phone-number-id}/media (multipart:
// messaging_product, type, file) and returns its media id.
func (s *Service) upload(ctx context.Context, cfg Config, u outFile) (string, error) {
	var f io.ReadCloser = io.NopCloser(bytes.NewReader(u.data))
	if u.data == nil {
		file, err := os.Open(u.path)
		if err != nil {
			return "", fmt.Errorf("whatsapp: attachment %s is missing from the uploads folder", u.name)
		}
		f = file
	}
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		defer f.Close()
		err := mw.WriteField("messaging_product", "whatsapp")
		if err == nil {
			err = mw.WriteField("type", u.mime)
		}
		if err == nil {
			h := textproto.MIMEHeader{}
			h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%q`, strings.Map(safeNameRune, u.name)))
			h.Set("Content-Type", u.mime)
			var part io.Writer
			if part, err = mw.CreatePart(h); err == nil {
				_, err = io.Copy(part, f)
			}
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, cfg.GraphURL+"/"+cfg.PhoneNumberID+"/media", pr)
	if err != nil {
		pr.Close()
		return "", fmt.Errorf("whatsapp: upload request: %w", err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	var out struct {
		ID flexString `json:"id"`
	}
	if err := s.do(req, cfg, &out); err != nil {
		return "", err
	}
	if out.ID == "" {
		return "", errors.New("whatsapp: the media upload answered no id")
	}
	return string(out.ID), nil
}

// safeNameRune keeps a file name printable inside a quoted header value.
func safeNameRune(r rune) rune {
	if r < 0x20 || r == 0x7f || r == '"' || r == '\\' {
		return '_'
	}
	return r
}

// sendAnswer is the Cloud API's answer to a sent message.
type sendAnswer struct {
	Messages []struct {
		ID string `json:"id"`
	} `json:"messages"`
}

// post sends one message within the number's rate limit.
func (s *Service) post(ctx context.Context, cfg Config, out OutMessage) (string, error) {
	if err := s.limits.wait(ctx, cfg.PhoneNumberID, cfg.MaxPerSecond); err != nil {
		return "", transportError{err}
	}
	var ans sendAnswer
	if err := s.graphJSON(ctx, cfg, http.MethodPost, cfg.GraphURL+"/"+cfg.PhoneNumberID+"/messages", out, &ans); err != nil {
		return "", err
	}
	if len(ans.Messages) == 0 || ans.Messages[0].ID == "" {
		// Accepted without an id: sending again could deliver it twice.
		return "", errors.New("whatsapp: the Graph API accepted the message but answered no id")
	}
	return ans.Messages[0].ID, nil
}

// MarkRead sends a read receipt for the customer's message wamid on the
// channel (the blue ticks on the customer's phone).
func (s *Service) MarkRead(ctx context.Context, channelID, wamid string) error {
	if wamid == "" {
		return desk.Invalid("message_id", "required")
	}
	_, cfg, err := s.channel(ctx, channelID)
	if err == nil {
		err = cfg.require("access_token")
	}
	if err != nil {
		return err
	}
	in := struct {
		MessagingProduct string `json:"messaging_product"`
		Status           string `json:"status"`
		MessageID        string `json:"message_id"`
	}{"whatsapp", "read", wamid}
	var ans struct {
		Success bool `json:"success"`
	}
	if err := s.graphJSON(ctx, cfg, http.MethodPost, cfg.GraphURL+"/"+cfg.PhoneNumberID+"/messages", in, &ans); err != nil {
		return err
	}
	if !ans.Success {
		return errors.New("whatsapp: the read receipt was not accepted")
	}
	return nil
}
