package store_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// snapshot is everything a lifecycle request could change.
type snapshot struct {
	Conversation desk.Conversation
	Messages     []desk.Message
	Outbox       []OutboxRow
	Events       int
	Blocked      bool
}

func (w *World) snapshot(id string) snapshot {
	w.T.Helper()
	c := w.Get(id)
	ct, err := w.S.GetContact(w.Ctx, c.Contact.ID)
	if err != nil {
		w.T.Fatal(err)
	}
	return snapshot{Conversation: c, Messages: w.Messages(id), Outbox: w.Outbox(id), Events: len(w.Events(id)), Blocked: ct.Blocked}
}

// refusal is a request the desk must refuse with code (and, for
// validation_failed, on field).
type refusal struct {
	name  string
	phase desk.Phase
	do    func(w *World, id string) error
	code  desk.Code
	field string
}

func refusals() []refusal {
	assign := func(by func(w *World) desk.User, target func(w *World) desk.User) func(w *World, id string) error {
		return func(w *World, id string) error {
			in := store.AssignInput{}
			if target != nil {
				in.AgentID = target(w).ID
			}
			_, err := w.S.Assign(w.Ctx, w.As(by(w)), id, in)
			return err
		}
	}
	transfer := func(by func(w *World) desk.User, in func(w *World) store.TransferInput) func(w *World, id string) error {
		return func(w *World, id string) error {
			_, err := w.S.Transfer(w.Ctx, w.As(by(w)), id, in(w))
			return err
		}
	}
	as := func(u func(w *World) desk.User, f func(w *World, a desk.Actor, id string) error) func(w *World, id string) error {
		return func(w *World, id string) error { return f(w, w.As(u(w)), id) }
	}
	agent := func(w *World) desk.User { return w.Agent }
	agent2 := func(w *World) desk.User { return w.Agent2 }
	sup := func(w *World) desk.User { return w.Supervisor }
	aud := func(w *World) desk.User { return w.Auditor }
	offline := func(w *World) desk.User { return w.OfflineAgent }
	paused := func(w *World) desk.User { return w.PausedAgent }
	outsider := func(w *World) desk.User { return w.Outsider }
	toAgent := func(target func(w *World) desk.User) func(w *World) store.TransferInput {
		return func(w *World) store.TransferInput {
			return store.TransferInput{AgentID: target(w).ID, ReasonID: w.Reason.ID}
		}
	}
	resolve := func(w *World, a desk.Actor, id string) error { _, err := w.S.Resolve(w.Ctx, a, id); return err }
	block := func(w *World, a desk.Actor, id string) error { _, err := w.S.BlockContact(w.Ctx, a, id); return err }
	unassign := func(w *World, a desk.Actor, id string) error { _, err := w.S.Unassign(w.Ctx, a, id); return err }
	send := func(text string) func(w *World, a desk.Actor, id string) error {
		return func(w *World, a desk.Actor, id string) error {
			_, err := w.S.Send(w.Ctx, a, id, store.SendInput{Text: text})
			return err
		}
	}
	byBot := func(f func(w *World, a desk.Actor, id string) error) func(w *World, id string) error {
		return func(w *World, id string) error { return f(w, w.BotActor(), id) }
	}
	handover := func(team func(w *World) string) func(w *World, a desk.Actor, id string) error {
		return func(w *World, a desk.Actor, id string) error {
			_, err := w.S.Handover(w.Ctx, a, id, store.HandoverInput{TeamID: team(w)})
			return err
		}
	}
	noTeam := func(*World) string { return "" }
	H, W, B, C := desk.PhaseHuman, desk.PhaseWaiting, desk.PhaseBot, desk.PhaseClosed
	return []refusal{
		{"handover of a queued conversation", W, byBot(handover(noTeam)), desk.CodeInvalidPhase, ""},
		{"handover by an agent", W, as(agent, handover(noTeam)), desk.CodeForbidden, ""},
		{"handover to a team of another bot", B, byBot(handover(func(w *World) string { return w.OtherTeam.ID })), desk.CodeValidationFailed, "team_id"},
		{"assign of a taken conversation", H, assign(agent2, nil), desk.CodeAlreadyAssigned, ""},
		{"assign by an offline agent", W, assign(offline, nil), desk.CodeAgentUnavailable, ""},
		{"assign by a paused agent", W, assign(paused, nil), desk.CodeAgentUnavailable, ""},
		{"assign to an offline agent", W, assign(sup, offline), desk.CodeAgentUnavailable, ""},
		{"assign to an agent of another bot", W, assign(sup, outsider), desk.CodeAgentUnavailable, ""},
		{"agent assigns to a colleague", W, assign(agent, agent2), desk.CodeForbidden, ""},
		{"assign of a closed conversation", C, assign(sup, nil), desk.CodeInvalidPhase, ""},
		{"assign by an agent of another bot", W, assign(outsider, nil), desk.CodeNotFound, ""},
		{"assign by a bot token", W, byBot(func(w *World, a desk.Actor, id string) error {
			_, err := w.S.Assign(w.Ctx, a, id, store.AssignInput{})
			return err
		}), desk.CodeForbidden, ""},
		{"unassign of a queued conversation", W, as(sup, unassign), desk.CodeInvalidPhase, ""},
		{"unassign of a colleague's conversation", H, as(agent2, unassign), desk.CodeNotFound, ""},
		{"transfer without reason", H, transfer(agent, func(w *World) store.TransferInput {
			return store.TransferInput{AgentID: w.Agent2.ID}
		}), desk.CodeReasonRequired, ""},
		{"transfer to an offline agent", H, transfer(agent, toAgent(offline)), desk.CodeAgentUnavailable, ""},
		{"transfer to a paused agent", H, transfer(agent, toAgent(paused)), desk.CodeAgentUnavailable, ""},
		{"transfer to an agent of another bot", H, transfer(agent, toAgent(outsider)), desk.CodeAgentUnavailable, ""},
		{"transfer to the assignee itself", H, transfer(agent, toAgent(agent)), desk.CodeValidationFailed, "agent_id"},
		{"transfer to a team of another bot", H, transfer(agent, func(w *World) store.TransferInput {
			return store.TransferInput{TeamID: w.OtherTeam.ID, ReasonID: w.Reason.ID}
		}), desk.CodeValidationFailed, "team_id"},
		{"transfer with a reason of another bot", H, transfer(agent, func(w *World) store.TransferInput {
			return store.TransferInput{AgentID: w.Agent2.ID, ReasonID: w.OtherReason.ID}
		}), desk.CodeValidationFailed, "reason_id"},
		{"transfer to an agent and a team at once", H, transfer(agent, func(w *World) store.TransferInput {
			return store.TransferInput{AgentID: w.Agent2.ID, TeamID: w.Support.ID, ReasonID: w.Reason.ID}
		}), desk.CodeValidationFailed, "agent_id"},
		{"transfer of a queued conversation", W, transfer(sup, toAgent(agent2)), desk.CodeInvalidPhase, ""},
		{"transfer by an auditor", H, transfer(aud, toAgent(agent2)), desk.CodeForbidden, ""},
		{"resolve of a closed conversation", C, as(sup, resolve), desk.CodeInvalidPhase, ""},
		{"resolve in the bot phase", B, as(sup, resolve), desk.CodeInvalidPhase, ""},
		{"resolve by an auditor", H, as(aud, resolve), desk.CodeForbidden, ""},
		{"block by an auditor", H, as(aud, block), desk.CodeForbidden, ""},
		{"block of a closed conversation", C, as(sup, block), desk.CodeInvalidPhase, ""},
		{"send before assigning", W, as(sup, send("hi")), desk.CodeInvalidPhase, ""},
		{"send by a colleague", H, as(sup, send("hi")), desk.CodeForbidden, ""},
		{"send by the bot after handover", W, byBot(send("hi")), desk.CodeInvalidPhase, ""},
		{"send of nothing", H, as(agent, send("  ")), desk.CodeValidationFailed, "text"},
		{"note by the bot", H, byBot(func(w *World, a desk.Actor, id string) error {
			_, err := w.S.AddNote(w.Ctx, a, id, "x")
			return err
		}), desk.CodeForbidden, ""},
		{"tag of a queued conversation by an agent", W, as(agent, func(w *World, a desk.Actor, id string) error {
			_, err := w.S.AddTag(w.Ctx, a, id, w.Tag.ID)
			return err
		}), desk.CodeForbidden, ""},
		{"unknown tag", H, as(agent, func(w *World, a desk.Actor, id string) error {
			_, err := w.S.AddTag(w.Ctx, a, id, "no-such-tag")
			return err
		}), desk.CodeNotFound, ""},
	}
}

// TestRejectedRequestChangesNothing refuses each request and compares the
// conversation, its timeline, outbox and feed before and after.
func TestRejectedRequestChangesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := NewWorld(t, db, WorldOptions{})
		for _, tc := range refusals() {
			t.Run(tc.name, func(t *testing.T) {
				w.T = t
				id := w.InPhase(tc.phase).ID
				before := w.snapshot(id)
				err := tc.do(w, id)
				var de *desk.Error
				if !errors.As(err, &de) || de.Code != tc.code || tc.field != "" && de.Details["field"] != tc.field {
					t.Fatalf("err = %v, want %s %s", err, tc.code, tc.field)
				}
				if after := w.snapshot(id); !reflect.DeepEqual(after, before) {
					t.Fatalf("a refused request changed\n%+v\ninto\n%+v", before, after)
				}
			})
		}
	})
}
