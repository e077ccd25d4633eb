package whatsapp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/jobs"
	"github.com/relevo/relevo/internal/store"
)

// handleCalls applies a "calls" change for ch: a customer's call rings the
// agent holding the conversation (or is rejected, missed), a terminate
// ends the call. Events Relevo does not handle are counted and dropped:
// answering them 500 would only make Meta send them again.
func (s *Service) handleCalls(ctx context.Context, ch desk.Channel, cfg Config, v Value) error {
	var errs []error
	for _, c := range v.Calls {
		kind, why := c.Classify()
		switch kind {
		case CallConnect:
			errs = append(errs, s.ringCall(ctx, ch, cfg, c))
		case CallTerminate:
			if _, _, err := s.store.EndWhatsAppCall(ctx, ch.BotID, c.ID); err != nil {
				errs = append(errs, err)
			}
		default:
			s.callsIgnored.Add(1)
			s.log.Info("whatsapp: call event ignored", "channel", ch.ID, "event", c.Event, "reason", why)
		}
	}
	// The field's statuses (type call: RINGING, ACCEPTED, REJECTED) say
	// what Relevo's own call state already does: not read.
	return errors.Join(errs...)
}

// IgnoredCallEvents is how many calls events were dropped as unknown or
// invalid since start.
func (s *Service) IgnoredCallEvents() int64 { return s.callsIgnored.Load() }

func (s *Service) ringCall(ctx context.Context, ch desk.Channel, cfg Config, c Call) error {
	res, err := s.store.RingWhatsAppCall(ctx, store.WhatsAppCallIn{ChannelID: ch.ID, WaID: string(c.From),
		ExternalID: c.ID, SDP: c.Session.SDP})
	if err != nil {
		return err
	}
	if res.Refused == desk.CodeNotFound {
		// No open conversation to note it in: reject it here, once (a
		// failure is logged; Meta ends an unanswered call by itself).
		if err := s.callAction(ctx, cfg, desk.GraphReject, c.ID, ""); err != nil {
			s.log.Warn("whatsapp: rejecting a call", "channel", ch.ID, "err", err)
		}
	}
	if res.Refused != "" {
		s.log.Info("whatsapp: call refused", "channel", ch.ID, "reason", res.Refused)
	}
	return nil
}

// callRequest is POST /{phone-number-id}/calls.
type callRequest struct {
	MessagingProduct string               `json:"messaging_product"`
	CallID           string               `json:"call_id"`
	Action           desk.GraphCallAction `json:"action"`
	Session          *CallSession         `json:"session,omitempty"`
}

// callAction sends one call action to the Graph API; pre_accept and
// accept carry the agent's SDP answer.
func (s *Service) callAction(ctx context.Context, cfg Config, action desk.GraphCallAction, callID, sdp string) error {
	if err := cfg.require("access_token"); err != nil {
		return err
	}
	in := callRequest{MessagingProduct: "whatsapp", CallID: callID, Action: action}
	if sdp != "" {
		in.Session = &CallSession{SDPType: "answer", SDP: sdp}
	}
	var ans struct {
		Success bool `json:"success"`
	}
	if err := s.graphJSON(ctx, cfg, http.MethodPost, cfg.GraphURL+"/"+cfg.PhoneNumberID+"/calls", in, &ans); err != nil {
		return err
	}
	if !ans.Success {
		return fmt.Errorf("whatsapp: the Graph API did not accept the call's %s", action)
	}
	return nil
}

// AnswerCall hands the agent's SDP answer to Meta: pre_accept first, as
// Meta recommends, so the media connection is set up before the call is
// connected (no clipped first words), then accept with the same answer.
func (s *Service) AnswerCall(ctx context.Context, c desk.Call, sdp string) error {
	conv, err := s.store.GetConversation(ctx, desk.SystemActor, c.ConversationID)
	if err != nil {
		return err
	}
	_, cfg, err := s.channel(ctx, conv.ChannelID)
	if err != nil {
		return err
	}
	if err := s.callAction(ctx, cfg, desk.GraphPreAccept, c.ExternalID, sdp); err != nil {
		return err
	}
	return s.callAction(ctx, cfg, desk.GraphAccept, c.ExternalID, sdp)
}

// CallSender delivers the outbox's call actions (reject, terminate).
func (s *Service) CallSender() jobs.Sender {
	return jobs.SenderFunc(func(ctx context.Context, d store.Delivery) (string, error) {
		var a store.WhatsAppCallAction
		if err := json.Unmarshal(d.Item.Payload, &a); err != nil || !validCallID(a.CallID) {
			return "", jobs.Permanent(errors.New("whatsapp: a call action without a call id"))
		}
		cfg, err := ParseConfig(d.Channel.Config)
		if err != nil {
			return "", jobs.Permanent(fmt.Errorf("whatsapp: channel config: %w", err))
		}
		return "", forOutbox(s.callAction(ctx, cfg, a.Action, a.CallID, ""))
	})
}
