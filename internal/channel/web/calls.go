package web

import (
	"context"
	"encoding/json"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/realtime"
)

// call takes a call frame from the visitor: the customer is a party to
// calls in its own open conversation only (realtime.HandleCall has the
// rest). Refusals go back as error frames with the stable code.
func (s *socket) call(ctx context.Context, data []byte) {
	var f realtime.CallFrame
	_ = json.Unmarshal(data, &f) // read once already by read
	conv, err := s.hub.s.store.WidgetConversation(ctx, s.v.ChannelID, s.v.ContactID)
	if err == nil && !conv.Phase.Open() {
		err = desk.Errorf(desk.CodeInvalidPhase, "no open conversation")
	}
	if err == nil {
		// The widget's own conversation, never one the frame names.
		err = realtime.HandleCall(ctx, s.hub.s.store, s.hub.s.publish, "", realtime.CallParty{By: desk.PartyCustomer, ConversationID: conv.ID}, f)
	}
	if err != nil {
		s.enqueue(encode(realtime.FrameError, "", 0, realtime.ErrorFrame{Code: string(desk.ErrorCode(err)), Message: realtime.CallRefusal(err)}))
	}
}
