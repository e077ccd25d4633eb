package desk

// WhatsApp calls (issue 13): a customer calls the business number, Meta
// sends the offer SDP in a webhook, and the agent holding the
// conversation answers in the browser. The Graph API takes the answer,
// the rejections and the hang-ups; these are the rules for them.

// CallVia is where a call's customer is.
type CallVia string

// Where customers call from.
const (
	ViaWeb      CallVia = "web"
	ViaWhatsApp CallVia = "whatsapp"
)

// EndChannelError: the channel (the Graph API) failed the call.
const EndChannelError CallEndReason = "channel_error"

// ActFail ends a call the channel could not carry on.
const ActFail CallAction = "fail"

// GraphCallAction is what a WhatsApp call's move tells Meta, if anything.
type GraphCallAction string

// Graph API call actions (POST /{phone-number-id}/calls).
const (
	GraphPreAccept GraphCallAction = "pre_accept"
	GraphAccept    GraphCallAction = "accept"
	GraphReject    GraphCallAction = "reject"
	GraphTerminate GraphCallAction = "terminate"
)

// WhatsAppCallAction is the Graph action a WhatsApp call owes Meta after
// moving from prev to next by party by: a call that stops ringing on our
// side is rejected, an answered one that ends is terminated. The
// customer's own moves come from Meta's webhook, which already knows; the
// accept is sent with the agent's SDP answer, not here.
func WhatsAppCallAction(prev, next CallState, by CallParty) GraphCallAction {
	if by == PartyCustomer || next.Live() {
		return ""
	}
	if prev == CallAccepted {
		return GraphTerminate
	}
	return GraphReject
}

// CheckWhatsAppSignal refuses what Meta cannot take: the agent answers
// Meta's offer with one complete SDP answer (no trickle ICE, no offer of
// its own).
func CheckWhatsAppSignal(s CallSignal) error {
	if s.Kind != SignalAnswer {
		return Invalid("kind", "a WhatsApp call takes one SDP answer with every candidate in it: no ice, no offer")
	}
	return nil
}

// CheckWhatsAppCall says whether a customer's WhatsApp call may ring the
// agent holding conversation c under the bot's setting s. WhatsApp calls
// are audio, and the customer starts them from WhatsApp's own call button
// (enabled on the number at Meta), so customer_may_start does not apply.
func CheckWhatsAppCall(s CallSettings, c Conversation) error {
	if !s.Allows(MediaAudio) {
		return Errorf(CodeCallsOff, "calls are off for this bot")
	}
	if c.Phase != PhaseHuman || c.AssigneeID == nil {
		return Errorf(CodeInvalidPhase, "no agent holds the conversation")
	}
	return nil
}
