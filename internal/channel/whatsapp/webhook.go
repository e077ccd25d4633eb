package whatsapp

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/httpkit"
)

// MaxWebhookBody bounds a webhook body; Meta's are a few KiB.
const MaxWebhookBody = 1 << 20

// ServeVerify answers Meta's verification handshake:
// GET ?hub.mode=subscribe&hub.verify_token=T&hub.challenge=C echoes C as
// plain text when T is the channel's verify_token, 403 otherwise.
func (s *Service) ServeVerify(w http.ResponseWriter, r *http.Request, channelID string) {
	ch, cfg, err := s.channel(r.Context(), channelID)
	if err != nil {
		s.refuse(w, r, ch, err)
		return
	}
	q := r.URL.Query()
	challenge := q.Get("hub.challenge")
	if cfg.VerifyToken == "" || q.Get("hub.mode") != "subscribe" ||
		!hmac.Equal([]byte(q.Get("hub.verify_token")), []byte(cfg.VerifyToken)) {
		httpkit.WriteStatusError(w, http.StatusForbidden, desk.CodeForbidden, "hub.mode must be subscribe and hub.verify_token the channel's verify_token")
		return
	}
	if challenge == "" || len(challenge) > 1024 {
		httpkit.WriteStatusError(w, http.StatusBadRequest, desk.CodeBadRequest, "hub.challenge is missing or too long")
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, challenge)
}

// ServeWebhook receives a notification: checks X-Hub-Signature-256 over
// the bytes exactly as received, stores every message and applies every
// status, and only then answers 200. Whatever could not be stored answers
// 500, so Meta sends the whole notification again (storing is idempotent).
func (s *Service) ServeWebhook(w http.ResponseWriter, r *http.Request, channelID string) {
	ch, cfg, err := s.channel(r.Context(), channelID)
	if err != nil {
		s.refuse(w, r, ch, err)
		return
	}
	if cfg.AppSecret == "" {
		// Unverifiable: refuse it as not stored, so Meta keeps it until an
		// admin sets the secret.
		s.log.Error("whatsapp: webhook for a channel without app_secret", "channel", ch.ID)
		httpkit.WriteStatusError(w, http.StatusServiceUnavailable, desk.CodeInternal, "this channel cannot verify webhooks yet (no app_secret)")
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxWebhookBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			httpkit.WriteStatusError(w, http.StatusRequestEntityTooLarge, desk.CodePayloadTooLarge, "the body is larger than 1 MiB")
			return
		}
		httpkit.WriteStatusError(w, http.StatusBadRequest, desk.CodeBadRequest, "the body could not be read")
		return
	}
	if !ValidSignature(cfg.AppSecret, body, r.Header.Get("X-Hub-Signature-256")) {
		httpkit.WriteStatusError(w, http.StatusUnauthorized, desk.CodeInvalidSignature, "X-Hub-Signature-256 does not match the body")
		return
	}
	wh, err := ParseWebhook(body)
	if err != nil {
		httpkit.WriteStatusError(w, http.StatusBadRequest, desk.CodeBadRequest, "the body is not a webhook notification")
		return
	}
	if err := s.Handle(r.Context(), ch, cfg, wh); err != nil {
		s.log.Error("whatsapp: webhook not stored; Meta will retry", "channel", ch.ID, "err", err)
		httpkit.WriteStatusError(w, http.StatusInternalServerError, desk.CodeInternal, "the notification could not be stored; retry")
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, "ok")
}

// ValidSignature checks header = "sha256=" + hex(HMAC-SHA256(secret, body))
// in constant time.
func ValidSignature(secret string, body []byte, header string) bool {
	got, ok := strings.CutPrefix(header, "sha256=")
	if !ok {
		return false
	}
	sig, err := hex.DecodeString(got)
	if err != nil {
		return false
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return hmac.Equal(sig, mac.Sum(nil))
}

// Sign is the X-Hub-Signature-256 value Meta would send for body (tests,
// tools).
func Sign(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// Handle stores what a verified notification carries for ch: changes of
// fields "messages" and "calls" (callsvc.go); other fields are ignored. It goes on
// after a failure, so one bad item delays only itself, and returns the
// failures joined.
func (s *Service) Handle(ctx context.Context, ch desk.Channel, cfg Config, wh *Webhook) error {
	var errs []error
	for _, e := range wh.Entry {
		for _, c := range e.Changes {
			if c.Field != "messages" && c.Field != "calls" && c.Field != "" {
				continue
			}
			tch, tcfg, ok := s.target(ctx, ch, cfg, string(c.Value.Metadata.PhoneNumberID))
			if !ok {
				continue
			}
			if c.Field == "calls" {
				errs = append(errs, s.handleCalls(ctx, tch, tcfg, c.Value))
				continue
			}
			errs = append(errs, s.handleValue(ctx, tch, tcfg, c.Value))
		}
	}
	return errors.Join(errs...)
}

// target is the channel a change is for. Meta posts every number of an app
// to the app's callback URL, so a change may name another number than this
// channel's: it goes to the WhatsApp channel of that number when that one
// shares this app secret (the signature then vouches for it too), and is
// dropped otherwise.
func (s *Service) target(ctx context.Context, ch desk.Channel, cfg Config, number string) (desk.Channel, Config, bool) {
	if number == "" || number == cfg.PhoneNumberID {
		return ch, cfg, true
	}
	all, err := s.store.ListChannels(ctx, nil)
	if err == nil {
		for _, o := range all {
			if o.Type != desk.ChannelWhatsApp {
				continue
			}
			ocfg, err := ParseConfig(o.Config)
			if err == nil && ocfg.PhoneNumberID == number && hmac.Equal([]byte(ocfg.AppSecret), []byte(cfg.AppSecret)) {
				return o, ocfg, true
			}
		}
	}
	s.log.Warn("whatsapp: webhook for a number no channel here serves", "channel", ch.ID, "phone_number_id", number)
	return ch, cfg, false
}

func (s *Service) handleValue(ctx context.Context, ch desk.Channel, cfg Config, v Value) error {
	names := make(map[string]string, len(v.Contacts))
	for _, c := range v.Contacts {
		names[string(c.WaID)] = c.Profile.Name
	}
	var errs []error
	for _, m := range v.Messages {
		errs = append(errs, s.storeMessage(ctx, ch, cfg, names, m))
	}
	for _, st := range v.Statuses {
		if st.Type == "call" {
			continue // a call's status names a call, not a message (callsvc.go)
		}
		errs = append(errs, s.applyStatus(ctx, ch, st))
	}
	for _, e := range v.Errors {
		msg, _ := errorText([]Error{e})
		s.log.Warn("whatsapp: Meta reported an error", "channel", ch.ID, "error", msg)
	}
	return errors.Join(errs...)
}

// refuse answers a channel lookup failure: not found, a config that cannot
// work (503, so Meta retries once an admin fixed it; logged once by
// misconfig), or a store failure.
func (s *Service) refuse(w http.ResponseWriter, r *http.Request, ch desk.Channel, err error) {
	switch desk.ErrorCode(err) {
	case desk.CodeNotFound:
		httpkit.WriteStatusError(w, http.StatusNotFound, desk.CodeNotFound, "no such WhatsApp channel")
	case desk.CodeValidationFailed:
		e := s.misconfig.Refuse(ch, err)
		httpkit.WriteStatusError(w, http.StatusServiceUnavailable, e.Code, e.Message)
	default:
		s.log.Error("whatsapp: channel lookup", "path", r.URL.Path, "err", err)
		httpkit.WriteStatusError(w, http.StatusInternalServerError, desk.CodeInternal, "internal error")
	}
}
