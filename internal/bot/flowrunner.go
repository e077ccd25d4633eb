package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/flow"
	"github.com/relevo/relevo/internal/jobs"
	"github.com/relevo/relevo/internal/store"
)

// FlowRunner runs built-in flows. It is the outbox's sender for
// store.OutboxFlow items, which inbound queues with every customer message
// to a bot with a flow: it reads the conversation's flow state, runs
// flow.Step on the message, and applies the result through the store
// (attributes saved on the contact, replies sent as the bot, handover).
//
// One runner at a time owns a conversation: it takes a short lease in the
// flow state (compare-and-set) before it says anything, so items of one
// conversation on several workers or nodes never answer at once; the
// others are retried by the outbox and find their messages already run.
// A runner that dies mid-step leaves its lease to expire; the next one
// runs the step again and sends nothing twice, because replies carry the
// client id "flow:<message id>:<n>" and the state records the last
// message run.
type FlowRunner struct {
	Store *store.Store
	Log   *slog.Logger
}

// Bounds of one run: how long its lease holds (longer than the outbox's
// 30 s delivery timeout), and how many not yet run customer messages it
// runs, oldest first, up to its own.
const (
	lease      = time.Minute
	maxCatchUp = 20
)

// runState is what the runner stores as a conversation's flow state: the
// flow's state and the lease of the runner working on it.
type runState struct {
	flow.State
	// BusyUntil is when the current runner's lease ends (Unix ms).
	BusyUntil int64 `json:"busy_until,omitempty"`
}

// errBusy sends an item back to the outbox to be retried later.
var errBusy = errors.New("flow: another runner is working on this conversation")

// Send runs the flow for the item's message. It is a jobs.Sender.
func (r FlowRunner) Send(ctx context.Context, d store.Delivery) (string, error) {
	if d.Message == nil || d.Conversation.Phase != desk.PhaseBot || d.Bot.WebhookURL != "" || !d.Bot.HasFlow() {
		return "", nil // people or an external bot own it now, or the flow was removed
	}
	f, err := flow.Parse(d.Bot.Flow)
	if err != nil {
		// Flows are validated on save; one that no longer parses must not
		// strand the customer with a silent bot.
		return "", r.handover(ctx, d, flow.HandoverTo{Note: "The bot's flow could not run: " + err.Error()})
	}
	prev, err := r.Store.FlowState(ctx, d.Conversation.ID)
	if err != nil {
		return "", err
	}
	var st runState
	if len(prev) > 0 && json.Unmarshal(prev, &st) != nil {
		st = runState{} // unreadable: start over rather than stop
	}
	if st.LastSeq >= d.Message.Seq {
		return "", nil // already run: a retry, or a later item caught up with it
	}
	now := r.Store.Now()
	if st.BusyUntil > now.UnixMilli() {
		return "", errBusy
	}
	st.BusyUntil = now.Add(lease).UnixMilli()
	held, err := r.swap(ctx, d.Conversation.ID, prev, st)
	if err != nil {
		return "", err
	}
	st.BusyUntil = 0
	if err := r.run(ctx, d, f, &st.State); err != nil {
		// Let the retry in at once rather than after the lease.
		back := prev
		if len(back) == 0 {
			back = []byte(`{}`)
		}
		if rerr := r.Store.SetFlowState(context.WithoutCancel(ctx), d.Conversation.ID, held, back); rerr != nil {
			r.log().Warn("flow: release lease", "conversation", d.Conversation.ID, "err", rerr)
		}
		return "", err
	}
	_, err = r.swap(ctx, d.Conversation.ID, held, st)
	return "", err
}

// run runs the item's message, and the earlier ones not yet run, through
// the flow, moving st along.
func (r FlowRunner) run(ctx context.Context, d store.Delivery, f *flow.Flow, st *flow.State) error {
	msgs, err := r.pending(ctx, d, *st)
	if err != nil {
		return err
	}
	// Read the contact again: the previous runner may have saved to it.
	contact, err := r.Store.GetContact(ctx, d.Contact.ID)
	if err != nil {
		return err
	}
	attrs := maps.Clone(contact.Attributes)
	if attrs == nil {
		attrs = map[string]string{}
	}
	for _, m := range msgs {
		stop, err := r.step(ctx, d, f, st, attrs, m)
		if err != nil {
			return err
		}
		st.LastSeq, st.LastMessageID = m.Seq, m.ID
		if stop {
			break
		}
	}
	return nil
}

// swap stores next as the flow state if it still is prev, and returns
// what it stored.
func (r FlowRunner) swap(ctx context.Context, convID string, prev []byte, next runState) ([]byte, error) {
	raw, err := json.Marshal(next)
	if err != nil {
		return nil, err
	}
	if err := r.Store.SetFlowState(ctx, convID, prev, raw); err != nil {
		if desk.IsCode(err, desk.CodeConflict) {
			return nil, errBusy
		}
		return nil, err
	}
	return raw, nil
}

// pending lists the customer messages to run, oldest first: those after
// the last one run, up to and including the item's.
func (r FlowRunner) pending(ctx context.Context, d store.Delivery, st flow.State) ([]desk.Message, error) {
	after := st.LastSeq
	list, err := r.Store.ListMessages(ctx, desk.SystemActor, d.Conversation.ID, store.MessagePage{AfterSeq: &after, Limit: 500})
	if err != nil {
		return nil, err
	}
	var out []desk.Message
	for _, m := range list {
		if m.Author.Type == desk.AuthorContact && m.Seq < d.Message.Seq {
			out = append(out, m)
		}
	}
	if len(out) > maxCatchUp-1 {
		out = out[len(out)-(maxCatchUp-1):]
	}
	return append(out, *d.Message), nil
}

// step runs one customer message through the flow and applies what it
// decided. stop is set when the flow may not go on: handed over, or the
// conversation left the bot meanwhile.
func (r FlowRunner) step(ctx context.Context, d store.Delivery, f *flow.Flow, st *flow.State, attrs map[string]string, m desk.Message) (stop bool, err error) {
	acts, next, err := f.Step(*st, flow.Input{Text: m.Text, Payload: m.Payload, Attributes: attrs})
	if err != nil {
		return true, r.handover(ctx, d, flow.HandoverTo{Note: "The bot's flow could not run: " + err.Error()})
	}
	if a := acts.Save; a != nil {
		if _, err := r.Store.SaveAttribute(ctx, d.Contact.ID, a.Name, a.Value); err != nil {
			if !desk.IsCode(err, desk.CodeValidationFailed) {
				return false, err
			}
			// Over the contact's limits: the conversation matters more.
			r.log().Warn("flow: attribute not saved", "conversation", d.Conversation.ID, "attribute", a.Name, "err", err)
		}
		attrs[a.Name] = a.Value
	}
	actor := desk.Actor{Integration: true, BotID: d.Bot.ID}
	for i, reply := range acts.Send {
		in := store.SendInput{Text: reply.Text, Buttons: reply.Buttons, ClientID: fmt.Sprintf("flow:%s:%d", m.ID, i)}
		if _, err := r.Store.Send(ctx, actor, d.Conversation.ID, in); err != nil {
			return gone(err)
		}
	}
	*st = next
	if acts.Handover != nil {
		return true, r.handover(ctx, d, *acts.Handover)
	}
	return false, nil
}

// handover queues the conversation for people as the bot. A team deleted
// since the flow was saved does not keep the customer from a person.
func (r FlowRunner) handover(ctx context.Context, d store.Delivery, h flow.HandoverTo) error {
	actor := desk.Actor{Integration: true, BotID: d.Bot.ID}
	_, err := r.Store.Handover(ctx, actor, d.Conversation.ID, store.HandoverInput{TeamID: h.TeamID, Note: h.Note, NodeID: h.NodeID})
	if h.TeamID != "" && desk.IsCode(err, desk.CodeValidationFailed) {
		note := fmt.Sprintf("%s (team %s no longer exists)", h.Note, h.TeamID)
		_, err = r.Store.Handover(ctx, actor, d.Conversation.ID, store.HandoverInput{Note: note, NodeID: h.NodeID})
	}
	_, err = gone(err)
	return err
}

// gone reads a store error of a bot action: a conversation that left the
// bot (taken over, handed over, closed) or whose window closed is not an
// error, only a reason to stop; what retrying cannot fix is permanent.
func gone(err error) (stop bool, _ error) {
	if err == nil {
		return false, nil
	}
	switch desk.ErrorCode(err) {
	case desk.CodeInvalidPhase, desk.CodeNotFound, desk.CodeWindowClosed, desk.CodeContactBlocked:
		return true, nil
	case desk.CodeValidationFailed, desk.CodeForbidden:
		return true, jobs.Permanent(err)
	}
	return false, err
}

func (r FlowRunner) log() *slog.Logger {
	if r.Log != nil {
		return r.Log
	}
	return slog.Default()
}
