package desk

import (
	"encoding/json"
	"time"
)

// Calls (issue 13): audio and video calls between the agent holding a
// conversation and its customer. This file holds the rules; the store
// keeps each call's state (so a node restart ends it cleanly) and
// internal/realtime relays the signalling.

// CallMode is what a bot allows: no calls, audio only, or audio and video.
type CallMode string

// Call modes; off is the default.
const (
	CallsOff   CallMode = "off"
	CallsAudio CallMode = "audio"
	CallsVideo CallMode = "video"
)

// CallSettings is a bot's call setting.
type CallSettings struct {
	Mode CallMode `json:"mode"`
	// CustomerMayStart lets the customer call the agent holding the
	// conversation; otherwise only the agent starts calls.
	CustomerMayStart bool `json:"customer_may_start"`
}

// CheckCallSettings validates a bot's call setting; empty mode is off.
func CheckCallSettings(s *CallSettings) error {
	switch s.Mode {
	case "":
		s.Mode = CallsOff
	case CallsOff, CallsAudio, CallsVideo:
	default:
		return Invalid("calls.mode", "must be off, audio or video")
	}
	return nil
}

// Allows reports whether the setting permits a call with media m: video
// mode allows audio calls too.
func (s CallSettings) Allows(m CallMedia) bool {
	switch m {
	case MediaAudio:
		return s.Mode == CallsAudio || s.Mode == CallsVideo
	case MediaVideo:
		return s.Mode == CallsVideo
	}
	return false
}

// CallMedia is what a call carries.
type CallMedia string

// Call media.
const (
	MediaAudio CallMedia = "audio"
	MediaVideo CallMedia = "video"
)

// CallParty is one side of a call.
type CallParty string

// Call parties.
const (
	PartyAgent    CallParty = "agent"
	PartyCustomer CallParty = "customer"
)

// Other is the party a call from p rings.
func (p CallParty) Other() CallParty {
	if p == PartyAgent {
		return PartyCustomer
	}
	return PartyAgent
}

// CallState is where a call stands: ringing, then accepted and ended, or
// one of declined, missed and cancelled. Only ringing and accepted are live.
type CallState string

// Call states.
const (
	CallRinging   CallState = "ringing"
	CallAccepted  CallState = "accepted"
	CallEnded     CallState = "ended"
	CallDeclined  CallState = "declined"
	CallMissed    CallState = "missed"
	CallCancelled CallState = "cancelled"
)

// Live reports whether a call in state s still rings or carries media.
func (s CallState) Live() bool { return s == CallRinging || s == CallAccepted }

// CallEndReason says why a call that was not declined or missed stopped.
type CallEndReason string

// End reasons.
const (
	EndHangupAgent        CallEndReason = "hangup_agent"
	EndHangupCustomer     CallEndReason = "hangup_customer"
	EndNodeRestart        CallEndReason = "node_restart"
	EndConversationClosed CallEndReason = "conversation_closed"
)

// CallRingTimeout is how long a call rings before it is missed.
const CallRingTimeout = 45 * time.Second

// Call error codes (all 409 but calls_off and not_call_party, 403).
const (
	CodeCallsOff            Code = "calls_off"
	CodeCallMediaNotAllowed Code = "call_media_not_allowed"
	CodeCallInProgress      Code = "call_in_progress"
	CodeNotCallParty        Code = "not_call_party"
	// CodeCallOver: the call already left the state the action needs
	// (answered elsewhere, hung up, missed).
	CodeCallOver Code = "call_over"
)

// Call is one call in a conversation.
type Call struct {
	ID             string        `json:"id"`
	ConversationID string        `json:"conversation_id"`
	BotID          string        `json:"bot_id"`
	StartedBy      CallParty     `json:"started_by"`
	AgentID        string        `json:"agent_id"`
	Media          CallMedia     `json:"media"`
	State          CallState     `json:"state"`
	CreatedAt      time.Time     `json:"created_at"`
	RingUntil      time.Time     `json:"ring_until"`
	AnsweredAt     *time.Time    `json:"answered_at"`
	EndedAt        *time.Time    `json:"ended_at"`
	EndReason      CallEndReason `json:"end_reason,omitempty"`
	// NodeID is the node that started the call: on restart it ends its own.
	NodeID string `json:"node_id"`
	// Via is where the customer is: the web widget, or WhatsApp (wacalls.go).
	Via CallVia `json:"via"`
	// ExternalID is WhatsApp's call id (wacid...); OfferSDP is Meta's offer,
	// read from the store when the agent accepts, never sent on the bus.
	ExternalID string `json:"external_id,omitempty"`
	OfferSDP   string `json:"-"`
}

// Duration is the talk time in whole seconds (0 for a call never answered).
func (c Call) Duration() int64 {
	if c.AnsweredAt == nil || c.EndedAt == nil {
		return 0
	}
	return int64(c.EndedAt.Sub(*c.AnsweredAt) / time.Second)
}

// CheckCallStart says whether by (the agent agentID, or the customer) may
// start a call with media in c, under the bot's setting s. A call needs a
// person: the conversation is in phase human and held by an agent.
func CheckCallStart(s CallSettings, c Conversation, by CallParty, agentID string, media CallMedia) error {
	if media != MediaAudio && media != MediaVideo {
		return Invalid("media", "must be audio or video")
	}
	if s.Mode == CallsOff || s.Mode == "" {
		return Errorf(CodeCallsOff, "calls are off for this bot")
	}
	if !s.Allows(media) {
		return Errorf(CodeCallMediaNotAllowed, "this bot allows %s calls only", s.Mode).WithDetail("field", "media")
	}
	if c.Phase != PhaseHuman || c.AssigneeID == nil {
		return Errorf(CodeInvalidPhase, "calls need an agent holding the conversation")
	}
	switch by {
	case PartyAgent:
		if agentID != *c.AssigneeID {
			return Errorf(CodeForbidden, "only the agent holding the conversation may call")
		}
	case PartyCustomer:
		if !s.CustomerMayStart {
			return Errorf(CodeForbidden, "customers may not start calls in this bot")
		}
	default:
		return Invalid("started_by", "must be agent or customer")
	}
	return nil
}

// CallAction is what moves a call.
type CallAction string

// Call actions: accept and decline are the callee's, hangup either
// party's; miss (ring timeout), restart (its node went away), close (the
// conversation closed) and gone (a party's last socket closed and did not
// come back within CallPartyGrace) are the server's.
const (
	ActAccept  CallAction = "accept"
	ActDecline CallAction = "decline"
	ActHangup  CallAction = "hangup"
	ActMiss    CallAction = "miss"
	ActRestart CallAction = "restart"
	ActClose   CallAction = "close"
	ActGone    CallAction = "gone"
)

// CallPartyGrace is how long a party's last socket may be gone before its
// live call ends: long enough for a reload or a network blip to reconnect,
// short enough that the other party is not left talking to nobody.
const CallPartyGrace = 15 * time.Second

// serverActs end a call whoever's side it is on.
var serverEnd = map[CallAction]CallEndReason{ActRestart: EndNodeRestart, ActClose: EndConversationClosed, ActFail: EndChannelError}

// NextCallState is the state call c moves to when by does act (by is
// empty for the server's actions), with the end reason where there is one.
func NextCallState(c Call, act CallAction, by CallParty) (CallState, CallEndReason, error) {
	if !c.State.Live() {
		return "", "", Errorf(CodeCallOver, "the call is %s", c.State)
	}
	callee := c.StartedBy.Other()
	if reason, ok := serverEnd[act]; ok {
		if c.State == CallRinging {
			return CallCancelled, reason, nil
		}
		return CallEnded, reason, nil
	}
	switch act {
	case ActGone:
		return goneCallState(c, by)
	case ActMiss:
		if c.State != CallRinging {
			return "", "", Errorf(CodeCallOver, "the call was answered")
		}
		return CallMissed, "", nil
	case ActAccept, ActDecline:
		if by != callee {
			return "", "", Errorf(CodeNotCallParty, "only the called party answers")
		}
		if c.State != CallRinging {
			return "", "", Errorf(CodeCallOver, "the call was answered")
		}
		if act == ActAccept {
			return CallAccepted, "", nil
		}
		return CallDeclined, "", nil
	case ActHangup:
		reason, err := hangupReason(by)
		if err != nil {
			return "", "", err
		}
		if c.State == CallRinging {
			if by == callee {
				return CallDeclined, "", nil // hanging up on a ringing call declines it
			}
			return CallCancelled, reason, nil
		}
		return CallEnded, reason, nil
	}
	return "", "", Errorf(CodeBadRequest, "unknown call action")
}

// hangupReason is the end reason of a call party by hangs up (or leaves).
func hangupReason(by CallParty) (CallEndReason, error) {
	switch by {
	case PartyAgent:
		return EndHangupAgent, nil
	case PartyCustomer:
		return EndHangupCustomer, nil
	}
	return "", Errorf(CodeNotCallParty, "not a party to this call")
}

// goneCallState is where c goes when party by went away: a call it was
// talking in ends as if it hung up; a call it made stops ringing
// (cancelled); a call ringing for it was not answered (missed).
func goneCallState(c Call, by CallParty) (CallState, CallEndReason, error) {
	reason, err := hangupReason(by)
	if err != nil {
		return "", "", err
	}
	switch {
	case c.State == CallAccepted:
		return CallEnded, reason, nil
	case c.StartedBy == by:
		return CallCancelled, reason, nil
	}
	return CallMissed, "", nil
}

// Call timeline events.
const (
	EventCallStarted   EventType = "call_started"
	EventCallAnswered  EventType = "call_answered"
	EventCallDeclined  EventType = "call_declined"
	EventCallMissed    EventType = "call_missed"
	EventCallCancelled EventType = "call_cancelled"
	EventCallEnded     EventType = "call_ended"
)

// CallEventFor is the timeline event a call in state s writes.
func CallEventFor(s CallState) EventType {
	switch s {
	case CallRinging:
		return EventCallStarted
	case CallAccepted:
		return EventCallAnswered
	case CallDeclined:
		return EventCallDeclined
	case CallMissed:
		return EventCallMissed
	case CallCancelled:
		return EventCallCancelled
	}
	return EventCallEnded
}

// CallInfo is a call event's payload in the timeline.
type CallInfo struct {
	// Event is the timeline event this is (for the bot's webhook).
	Event     EventType     `json:"event"`
	ID        string        `json:"id"`
	Media     CallMedia     `json:"media"`
	StartedBy CallParty     `json:"started_by"`
	EndReason CallEndReason `json:"end_reason,omitempty"`
	// DurationSeconds is the talk time, on call_ended.
	DurationSeconds int64 `json:"duration_seconds"`
}

// CallSignal is WebRTC signalling from one party to the other, relayed
// as is: an offer or answer carries SDP, ice a candidate.
type CallSignal struct {
	CallID    string          `json:"call_id"`
	From      CallParty       `json:"from"`
	Kind      SignalKind      `json:"kind"`
	SDP       string          `json:"sdp,omitempty"`
	Candidate json.RawMessage `json:"candidate,omitempty"`
}

// SignalKind is what a signal carries.
type SignalKind string

// Signal kinds.
const (
	SignalOffer  SignalKind = "offer"
	SignalAnswer SignalKind = "answer"
	SignalICE    SignalKind = "ice"
)

// MaxCallSignal bounds one signal (SDP or candidate): a real offer is a
// few KiB.
const MaxCallSignal = 16 << 10

// CheckCallSignal validates a signal from party by on call c: the call is
// accepted (nothing reaches the callee's browser before it accepts), the
// sender is a party, the kind and size are right.
func CheckCallSignal(c Call, by CallParty, s CallSignal) error {
	switch s.Kind {
	case SignalOffer, SignalAnswer:
		if s.SDP == "" || len(s.Candidate) > 0 {
			return Invalid("sdp", "an %s carries sdp only", s.Kind)
		}
	case SignalICE:
		if len(s.Candidate) == 0 || s.SDP != "" {
			return Invalid("candidate", "ice carries a candidate only")
		}
	default:
		return Invalid("kind", "must be offer, answer or ice")
	}
	if len(s.SDP)+len(s.Candidate) > MaxCallSignal {
		return Errorf(CodePayloadTooLarge, "a signal is at most %d bytes", MaxCallSignal).WithDetail("field", "sdp")
	}
	if by != PartyAgent && by != PartyCustomer {
		return Errorf(CodeNotCallParty, "not a party to this call")
	}
	if c.State != CallAccepted {
		return Errorf(CodeCallOver, "signals flow once the call is accepted, until it ends")
	}
	return nil
}

// IsCallParty reports whether by is a party to c: the agent by its user
// id, the customer by the conversation its widget session holds.
func IsCallParty(c Call, by CallParty, agentID, conversationID string) bool {
	switch by {
	case PartyAgent:
		return agentID != "" && agentID == c.AgentID
	case PartyCustomer:
		return conversationID != "" && conversationID == c.ConversationID
	}
	return false
}
