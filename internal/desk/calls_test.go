package desk

import (
	"testing"
	"time"
)

func TestCheckCallSettings(t *testing.T) {
	for _, tc := range []struct {
		in   CallMode
		want CallMode
		code Code
	}{
		{"", CallsOff, ""}, {CallsOff, CallsOff, ""}, {CallsAudio, CallsAudio, ""}, {CallsVideo, CallsVideo, ""},
		{"phone", "", CodeValidationFailed},
	} {
		s := CallSettings{Mode: tc.in}
		err := CheckCallSettings(&s)
		if tc.code != "" {
			var de *Error
			if !IsCode(err, tc.code) || !asError(err, &de) || de.Details["field"] != "calls.mode" {
				t.Errorf("%q: err %v, want %s on calls.mode", tc.in, err, tc.code)
			}
			continue
		}
		if err != nil || s.Mode != tc.want {
			t.Errorf("%q: got %q, %v; want %q", tc.in, s.Mode, err, tc.want)
		}
	}
}

func TestCheckCallStart(t *testing.T) {
	agent := "u1"
	held := Conversation{Phase: PhaseHuman, AssigneeID: &agent}
	audio := CallSettings{Mode: CallsAudio}
	video := CallSettings{Mode: CallsVideo, CustomerMayStart: true}
	for _, tc := range []struct {
		name  string
		s     CallSettings
		c     Conversation
		by    CallParty
		agent string
		media CallMedia
		code  Code
	}{
		{"agent audio", audio, held, PartyAgent, agent, MediaAudio, ""},
		{"agent video in video bot", video, held, PartyAgent, agent, MediaVideo, ""},
		{"customer allowed", video, held, PartyCustomer, "", MediaAudio, ""},
		{"calls off", CallSettings{Mode: CallsOff}, held, PartyAgent, agent, MediaAudio, CodeCallsOff},
		{"empty mode is off", CallSettings{}, held, PartyAgent, agent, MediaAudio, CodeCallsOff},
		{"video in audio bot", audio, held, PartyAgent, agent, MediaVideo, CodeCallMediaNotAllowed},
		{"bad media", audio, held, PartyAgent, agent, "smoke", CodeValidationFailed},
		{"waiting", audio, Conversation{Phase: PhaseWaiting}, PartyAgent, agent, MediaAudio, CodeInvalidPhase},
		{"bot phase", video, Conversation{Phase: PhaseBot}, PartyCustomer, "", MediaAudio, CodeInvalidPhase},
		{"closed", audio, Conversation{Phase: PhaseClosed, AssigneeID: &agent}, PartyAgent, agent, MediaAudio, CodeInvalidPhase},
		{"another agent", audio, held, PartyAgent, "u2", MediaAudio, CodeForbidden},
		{"customer not allowed", audio, held, PartyCustomer, "", MediaAudio, CodeForbidden},
		{"no party", audio, held, "", "", MediaAudio, CodeValidationFailed},
	} {
		err := CheckCallStart(tc.s, tc.c, tc.by, tc.agent, tc.media)
		if tc.code == "" && err != nil || tc.code != "" && !IsCode(err, tc.code) {
			t.Errorf("%s: err %v, want %q", tc.name, err, tc.code)
		}
	}
}

func TestNextCallState(t *testing.T) {
	byAgent := Call{StartedBy: PartyAgent, State: CallRinging}
	byCustomer := Call{StartedBy: PartyCustomer, State: CallRinging}
	talking := Call{StartedBy: PartyAgent, State: CallAccepted}
	for _, tc := range []struct {
		name   string
		c      Call
		act    CallAction
		by     CallParty
		want   CallState
		reason CallEndReason
		code   Code
	}{
		{"callee accepts", byAgent, ActAccept, PartyCustomer, CallAccepted, "", ""},
		{"caller cannot accept", byAgent, ActAccept, PartyAgent, "", "", CodeNotCallParty},
		{"agent accepts customer's call", byCustomer, ActAccept, PartyAgent, CallAccepted, "", ""},
		{"callee declines", byCustomer, ActDecline, PartyAgent, CallDeclined, "", ""},
		{"caller cannot decline", byCustomer, ActDecline, PartyCustomer, "", "", CodeNotCallParty},
		{"caller hangs up while ringing", byAgent, ActHangup, PartyAgent, CallCancelled, EndHangupAgent, ""},
		{"callee hangs up while ringing", byAgent, ActHangup, PartyCustomer, CallDeclined, "", ""},
		{"ring timeout", byAgent, ActMiss, "", CallMissed, "", ""},
		{"no miss once answered", talking, ActMiss, "", "", "", CodeCallOver},
		{"agent hangs up", talking, ActHangup, PartyAgent, CallEnded, EndHangupAgent, ""},
		{"customer hangs up", talking, ActHangup, PartyCustomer, CallEnded, EndHangupCustomer, ""},
		{"stranger hangs up", talking, ActHangup, "", "", "", CodeNotCallParty},
		{"accept twice", talking, ActAccept, PartyCustomer, "", "", CodeCallOver},
		{"restart while talking", talking, ActRestart, "", CallEnded, EndNodeRestart, ""},
		{"restart while ringing", byAgent, ActRestart, "", CallCancelled, EndNodeRestart, ""},
		{"conversation closed", talking, ActClose, "", CallEnded, EndConversationClosed, ""},
		{"over is over", Call{StartedBy: PartyAgent, State: CallEnded}, ActHangup, PartyAgent, "", "", CodeCallOver},
		{"missed is over", Call{StartedBy: PartyAgent, State: CallMissed}, ActAccept, PartyCustomer, "", "", CodeCallOver},
		{"unknown action", talking, "dance", PartyAgent, "", "", CodeBadRequest},
		{"customer gone while talking", talking, ActGone, PartyCustomer, CallEnded, EndHangupCustomer, ""},
		{"agent gone while talking", talking, ActGone, PartyAgent, CallEnded, EndHangupAgent, ""},
		{"caller gone while ringing", byCustomer, ActGone, PartyCustomer, CallCancelled, EndHangupCustomer, ""},
		{"callee gone while ringing", byAgent, ActGone, PartyCustomer, CallMissed, "", ""},
		{"agent gone from a customer's call", byCustomer, ActGone, PartyAgent, CallMissed, "", ""},
		{"nobody gone", talking, ActGone, "", "", "", CodeNotCallParty},
		{"gone after the end", Call{StartedBy: PartyAgent, State: CallDeclined}, ActGone, PartyCustomer, "", "", CodeCallOver},
	} {
		got, reason, err := NextCallState(tc.c, tc.act, tc.by)
		if tc.code != "" {
			if !IsCode(err, tc.code) {
				t.Errorf("%s: err %v, want %s", tc.name, err, tc.code)
			}
			continue
		}
		if err != nil || got != tc.want || reason != tc.reason {
			t.Errorf("%s: got %q %q %v, want %q %q", tc.name, got, reason, err, tc.want, tc.reason)
		}
	}
}

func TestCallDurationAndEvents(t *testing.T) {
	start := time.Unix(1000, 0)
	end := start.Add(90*time.Second + 400*time.Millisecond)
	if d := (Call{AnsweredAt: &start, EndedAt: &end}).Duration(); d != 90 {
		t.Errorf("duration %d, want 90", d)
	}
	if d := (Call{EndedAt: &end}).Duration(); d != 0 {
		t.Errorf("unanswered duration %d, want 0", d)
	}
	want := map[CallState]EventType{CallRinging: EventCallStarted, CallAccepted: EventCallAnswered, CallDeclined: EventCallDeclined,
		CallMissed: EventCallMissed, CallCancelled: EventCallCancelled, CallEnded: EventCallEnded}
	for s, e := range want {
		if got := CallEventFor(s); got != e {
			t.Errorf("%s: %s, want %s", s, got, e)
		}
	}
	if !(CallSettings{Mode: CallsVideo}).Allows(MediaAudio) || (CallSettings{Mode: CallsAudio}).Allows(MediaVideo) {
		t.Error("video mode must allow audio, audio mode no video")
	}
}

func TestCheckCallSignal(t *testing.T) {
	talking := Call{StartedBy: PartyAgent, State: CallAccepted}
	ringing := Call{StartedBy: PartyAgent, State: CallRinging}
	big := string(make([]byte, MaxCallSignal+1))
	for _, tc := range []struct {
		name string
		c    Call
		by   CallParty
		s    CallSignal
		code Code
	}{
		{"offer", talking, PartyAgent, CallSignal{Kind: SignalOffer, SDP: "v=0"}, ""},
		{"answer", talking, PartyCustomer, CallSignal{Kind: SignalAnswer, SDP: "v=0"}, ""},
		{"ice", talking, PartyCustomer, CallSignal{Kind: SignalICE, Candidate: []byte(`{"candidate":"x"}`)}, ""},
		{"no signal while ringing", ringing, PartyAgent, CallSignal{Kind: SignalOffer, SDP: "v=0"}, CodeCallOver},
		{"no signal once over", Call{State: CallEnded}, PartyAgent, CallSignal{Kind: SignalOffer, SDP: "v=0"}, CodeCallOver},
		{"unknown kind", talking, PartyAgent, CallSignal{Kind: "bye", SDP: "v=0"}, CodeValidationFailed},
		{"offer without sdp", talking, PartyAgent, CallSignal{Kind: SignalOffer}, CodeValidationFailed},
		{"ice without candidate", talking, PartyAgent, CallSignal{Kind: SignalICE, SDP: "v=0"}, CodeValidationFailed},
		{"oversize", talking, PartyAgent, CallSignal{Kind: SignalOffer, SDP: big}, CodePayloadTooLarge},
		{"no party", talking, "", CallSignal{Kind: SignalOffer, SDP: "v=0"}, CodeNotCallParty},
	} {
		err := CheckCallSignal(tc.c, tc.by, tc.s)
		if tc.code == "" && err != nil || tc.code != "" && !IsCode(err, tc.code) {
			t.Errorf("%s: err %v, want %q", tc.name, err, tc.code)
		}
	}
}
