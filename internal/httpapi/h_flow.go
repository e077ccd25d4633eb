package httpapi

import (
	"encoding/json"
	"maps"
	"net/http"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/flow"
	"github.com/relevo/relevo/internal/httpkit"
	"github.com/relevo/relevo/internal/store"
)

// flowSimulateRequest is POST /api/v1/bots/{id}/flow/simulate: one customer
// message run through a flow with no customer, no conversation and no
// channel, so the flow editor can try unsaved edits.
type flowSimulateRequest struct {
	// Flow is the flow to run; absent, the bot's saved flow.
	Flow *json.RawMessage `json:"flow"`
	// State is the previous answer's state; absent, the flow starts.
	State *flowSimulateStateIn `json:"state"`
	// Attributes are the pretend contact's attributes, read by conditions.
	Attributes map[string]string `json:"attributes"`
	Input      flowSimulateInput `json:"input" required:"true"`
}

// flowSimulateInput is what the customer sends: text, or the id of a quick
// reply they pressed (payload), as a channel delivers it.
type flowSimulateInput struct {
	Text    string `json:"text" text:"multiline"`
	Payload string `json:"payload"`
}

// flowSimulateStateIn is a state the client got back from the previous answer.
type flowSimulateStateIn struct {
	Node    string `json:"node"`
	Retries int    `json:"retries"`
	Done    bool   `json:"done"`
}

// flowSimulateState is where the simulated conversation stands: send it back
// as is with the next message.
type flowSimulateState struct {
	Node    string `json:"node,omitempty"`
	Retries int    `json:"retries,omitempty"`
	Done    bool   `json:"done,omitempty"`
}

// flowSimulateReply is one message the bot would send.
type flowSimulateReply struct {
	Text    string        `json:"text"`
	Buttons []desk.Button `json:"buttons"`
}

// flowSimulateHandover is the handover the bot would ask for.
type flowSimulateHandover struct {
	TeamID string `json:"team_id,omitempty"`
	Note   string `json:"note,omitempty"`
	// NodeID is the flow node that handed over; empty for a keyword.
	NodeID string `json:"node_id,omitempty"`
	// Keyword is set when the text held one of the bot's handover
	// keywords: inbound hands over before the flow runs.
	Keyword bool `json:"keyword,omitempty"`
}

type flowSimulateResponse struct {
	Replies  []flowSimulateReply   `json:"replies"`
	Handover *flowSimulateHandover `json:"handover,omitempty"`
	// Attributes are the pretend contact's attributes after the step.
	Attributes map[string]string `json:"attributes"`
	State      flowSimulateState `json:"state"`
	// Done is set when the flow ended or handed over; the next message
	// starts it again.
	Done bool `json:"done"`
}

// maxPayload bounds a pressed button's id, as the API channel's inbound does.
const maxPayload = 200

// simulateFlow runs one customer message as inbound and the flow runner
// would: the bot's handover keywords first, then flow.Step. It reads the
// bot and nothing else:
// no conversation, message, contact or outbox row is written.
func (s *Server) simulateFlow(w http.ResponseWriter, r *http.Request) {
	var in flowSimulateRequest
	if err := httpkit.DecodeStrictJSON(w, r, &in, defaultBodyLimit); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	// Scope before the body's contents: another bot's id is not found,
	// whatever was sent.
	id := r.PathValue("id")
	if !actorOf(r).CanSeeBot(id) {
		writeError(w, r, s.log, desk.NotFound("bot"))
		return
	}
	b, err := s.store.GetBot(r.Context(), id)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	out, err := simulate(b, in)
	s.respond(w, r, out, err)
}

func simulate(b desk.Bot, in flowSimulateRequest) (flowSimulateResponse, error) {
	if err := in.check(); err != nil {
		return flowSimulateResponse{}, err
	}
	raw := []byte(b.Flow)
	if in.Flow != nil {
		raw = *in.Flow
	} else if b.WebhookURL != "" || !b.HasFlow() {
		return flowSimulateResponse{}, desk.Invalid("flow", "the bot has no built-in flow: send one")
	}
	f, err := flow.Parse(raw)
	if err != nil {
		return flowSimulateResponse{}, err
	}
	if flow.WantsHuman(in.Input.Text, b.HandoverKeywords) {
		// As inbound does: asking for a person wins over any step.
		attrs := in.Attributes
		if attrs == nil {
			attrs = map[string]string{}
		}
		return flowSimulateResponse{Replies: []flowSimulateReply{}, Attributes: attrs, State: flowSimulateState{Done: true}, Done: true,
			Handover: &flowSimulateHandover{Note: store.KeywordHandoverNote, Keyword: true}}, nil
	}
	var st flow.State
	if in.State != nil {
		st = flow.State{Node: in.State.Node, Retries: in.State.Retries, Done: in.State.Done}
	}
	acts, next, err := f.Step(st, flow.Input{Text: in.Input.Text, Payload: in.Input.Payload, Attributes: in.Attributes})
	if err != nil {
		// Parse passed, so Step cannot fail; if it ever does, it is ours.
		return flowSimulateResponse{}, err
	}
	attrs := maps.Clone(in.Attributes)
	if attrs == nil {
		attrs = map[string]string{}
	}
	if a := acts.Save; a != nil {
		attrs[a.Name] = a.Value
	}
	out := flowSimulateResponse{Replies: make([]flowSimulateReply, 0, len(acts.Send)), Attributes: attrs,
		State: flowSimulateState{Node: next.Node, Retries: next.Retries, Done: next.Done}, Done: next.Done}
	for _, rep := range acts.Send {
		buttons := rep.Buttons
		if buttons == nil {
			buttons = []desk.Button{}
		}
		out.Replies = append(out.Replies, flowSimulateReply{Text: rep.Text, Buttons: buttons})
	}
	if h := acts.Handover; h != nil {
		out.Handover = &flowSimulateHandover{TeamID: h.TeamID, Note: h.Note, NodeID: h.NodeID}
	}
	return out, nil
}

// check holds the body to what a channel would deliver and the store
// would keep.
func (in flowSimulateRequest) check() error {
	if in.Input.Text == "" && in.Input.Payload == "" {
		return desk.Invalid("input", "text or payload required")
	}
	if err := desk.CheckTextLen("input.text", in.Input.Text); err != nil {
		return err
	}
	if len(in.Input.Payload) > maxPayload {
		return desk.Invalid("input.payload", "at most %d bytes", maxPayload)
	}
	if st := in.State; st != nil {
		if len(st.Node) > 64 {
			return desk.Invalid("state.node", "at most 64 bytes")
		}
		if st.Retries < 0 || st.Retries > flow.MaxRetries {
			return desk.Invalid("state.retries", "between 0 and %d", flow.MaxRetries).
				WithDetail("min", 0).WithDetail("max", flow.MaxRetries)
		}
	}
	return desk.CheckAttributes(in.Attributes)
}
