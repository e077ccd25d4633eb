package whatsapp

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
)

// storeMessage stores one customer message (or applies a reaction). It
// returns an error only for what a retry of the webhook may fix; what can
// never be stored is logged and dropped, so Meta does not retry it for
// days.
func (s *Service) storeMessage(ctx context.Context, ch desk.Channel, cfg Config, names map[string]string, m Message) error {
	from := string(m.From)
	if m.ID == "" || from == "" || len(from) > 128 || len(m.ID) > 256 {
		s.log.Warn("whatsapp: message without a usable id or sender dropped", "channel", ch.ID, "id", clip(m.ID, 80))
		return nil
	}
	d := draftOf(m)
	if d.Reaction != nil {
		err := s.store.React(ctx, ch.ID, d.Reaction.MessageID, desk.StripLine(d.Reaction.Emoji))
		if desk.IsCode(err, desk.CodeNotFound) || desk.IsCode(err, desk.CodeValidationFailed) {
			s.log.Info("whatsapp: reaction to a message Relevo does not have", "channel", ch.ID, "target", d.Reaction.MessageID)
			return nil
		}
		return err
	}
	var atts []desk.Attachment
	if d.Media != nil {
		// A retried webhook must not download (and orphan) the file again.
		if dup, err := s.store.HasExternalMessage(ctx, ch.ID, m.ID); err != nil || dup {
			return err
		}
		att, err := s.fetchMedia(ctx, ch, cfg, *d.Media)
		var refused mediaRefused
		switch {
		case errors.As(err, &refused):
			s.log.Warn("whatsapp: media not stored", "channel", ch.ID, "message", m.ID, "reason", refused.reason)
			note := fmt.Sprintf("[WhatsApp %s not stored: %s]", d.Media.Class, refused.reason)
			d.Kind, d.Text = desk.KindText, strings.TrimSpace(note+"\n"+d.Text)
		case err != nil:
			return fmt.Errorf("whatsapp: media of %s: %w", m.ID, err)
		default:
			atts = []desk.Attachment{att}
		}
	}
	// Customer text is stripped of what the text rules refuse, never
	// refused: a stray control character must not lose the message.
	ic := store.InboundContact{ExternalID: desk.StripLine(from), Name: desk.StripLine(clip(names[from], 200)), Phone: phoneOf(from)}
	d.Extra.Payload, d.Extra.ReplyTo = desk.StripLine(d.Extra.Payload), desk.StripLine(d.Extra.ReplyTo)
	if l := d.Extra.Location; l != nil {
		l.Name, l.Address = desk.StripLine(l.Name), desk.StripText(l.Address)
	}
	im := store.InboundMessage{ExternalID: desk.StripLine(m.ID), Kind: d.Kind, Text: desk.StripText(d.Text), Attachments: atts,
		SentAt: sentAt(m.Timestamp), Extra: d.Extra}
	_, err := s.store.Inbound(ctx, ch.ID, ic, im)
	if desk.IsCode(err, desk.CodeValidationFailed) {
		s.log.Error("whatsapp: message cannot be stored; dropped", "channel", ch.ID, "message", m.ID, "err", err)
		return nil
	}
	if err != nil {
		return err
	}
	if d.NewWaID != "" {
		return s.store.ChangeIdentity(ctx, ch.ID, from, d.NewWaID)
	}
	return nil
}

// applyStatus moves a sent message's ticks, or marks it failed with Meta's
// reason (131047 also closes the window).
func (s *Service) applyStatus(ctx context.Context, ch desk.Channel, st Status) error {
	var status desk.MessageStatus
	switch st.Status {
	case "sent":
		status = desk.StatusSent
	case "delivered":
		status = desk.StatusDelivered
	case "read", "played":
		status = desk.StatusRead
	case "failed":
		status = desk.StatusFailed
	default:
		return nil // "deleted", "warning" and statuses yet to come
	}
	if st.ID == "" {
		return nil
	}
	var errText *string
	closeWindow := false
	if status == desk.StatusFailed {
		text, closed := errorText(st.Errors)
		errText, closeWindow = &text, closed
	}
	err := s.store.SetStatusByExternalID(ctx, ch.ID, st.ID, status, errText, closeWindow)
	if !desk.IsCode(err, desk.CodeNotFound) {
		return err
	}
	// Meta may report a send before the outbox has recorded its wamid:
	// a fresh report is retried, an old one is for a message Relevo never
	// sent (another tool on the same number).
	if ts := sentAt(st.Timestamp); !ts.IsZero() {
		if age := s.store.Now().Sub(ts); age < s.recent && age > -s.recent {
			return fmt.Errorf("whatsapp: status %q for %s arrived before its message was recorded", st.Status, st.ID)
		}
	}
	return nil
}

// phoneOf is the customer's phone number when the WhatsApp id is one.
func phoneOf(waID string) string {
	if digits(waID) {
		return "+" + waID
	}
	return ""
}
