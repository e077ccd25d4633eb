package store_test

import (
	"reflect"
	"testing"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// qPhases reads the phase of each id as an admin sees it.
func qPhases(w *qWorld, adm desk.User, ids []string) []desk.Phase {
	w.t.Helper()
	out := make([]desk.Phase, len(ids))
	for i, id := range ids {
		out[i] = w.get(adm, id).Phase
	}
	return out
}

func TestBulkTakesAtMostFiveAndAnswersPerID(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := qNew(t, db)
		a := w.bot("A")
		ch := w.channel(a, "api")
		ana, sup, adm := w.user("Ana", desk.RoleAgent, a), w.user("Sup", desk.RoleSupervisor, a), w.user("Adm", desk.RoleAdmin)
		support, why := w.team("Support", a), w.reason("Billing")
		var ids []string
		for i, p := range []desk.Phase{desk.PhaseHuman, desk.PhaseWaiting, desk.PhaseBot, desk.PhaseHuman, desk.PhaseWaiting, desk.PhaseHuman} {
			ids = append(ids, w.open(ch, "c"+string(rune('0'+i)), p, ana, nil))
		}
		before := qPhases(w, adm, ids)
		actor := desk.UserActor(sup)
		transfer := store.TransferInput{TeamID: support.ID, ReasonID: why.ID}
		for _, tc := range []struct {
			name string
			in   store.BulkInput
			code desk.Code
		}{
			{"six ids", store.BulkInput{Action: "resolve", IDs: ids}, desk.CodeBulkLimitExceeded},
			{"six ids to transfer", store.BulkInput{Action: "transfer", IDs: ids, Transfer: transfer}, desk.CodeBulkLimitExceeded},
			{"transfer without reason", store.BulkInput{Action: "transfer", IDs: ids[:1], Transfer: store.TransferInput{TeamID: support.ID}}, desk.CodeReasonRequired},
			{"transfer without target", store.BulkInput{Action: "transfer", IDs: ids[:1], Transfer: store.TransferInput{ReasonID: why.ID}}, desk.CodeValidationFailed},
			{"duplicate id", store.BulkInput{Action: "resolve", IDs: []string{ids[0], ids[1], ids[0]}}, desk.CodeValidationFailed},
			{"no ids", store.BulkInput{Action: "resolve"}, desk.CodeValidationFailed},
			{"unknown action", store.BulkInput{Action: "delete", IDs: ids[:1]}, desk.CodeValidationFailed},
		} {
			res, err := w.s.Bulk(w.ctx, actor, tc.in)
			if !desk.IsCode(err, tc.code) || res != nil {
				t.Errorf("%s: %v, %v; want %s and no results", tc.name, res, err, tc.code)
			}
		}
		if got := qPhases(w, adm, ids); !reflect.DeepEqual(got, before) {
			t.Fatalf("refused bulk actions changed phases: %v, want %v", got, before)
		}

		// Five, one of them still with the bot: four resolved, one refused.
		res, err := w.s.Bulk(w.ctx, actor, store.BulkInput{Action: "resolve", IDs: ids[:5]})
		if err != nil || len(res) != 5 {
			t.Fatalf("Bulk resolve = %v, %v", res, err)
		}
		for i, r := range res {
			wantOK := i != 2
			if r.ID != ids[i] || r.OK != wantOK || (r.Conversation != nil) != wantOK || (r.Error == nil) != wantOK {
				t.Errorf("result %d = %+v", i, r)
			}
			if wantOK && r.Conversation.Phase != desk.PhaseClosed {
				t.Errorf("result %d phase %s", i, r.Conversation.Phase)
			}
		}
		if r := res[2]; r.Error == nil || r.Error.Code != desk.CodeInvalidPhase {
			t.Errorf("bot-phase result = %+v, want invalid_phase", r.Error)
		}
		want := []desk.Phase{desk.PhaseClosed, desk.PhaseClosed, desk.PhaseBot, desk.PhaseClosed, desk.PhaseClosed, desk.PhaseHuman}
		if got := qPhases(w, adm, ids); !reflect.DeepEqual(got, want) {
			t.Errorf("after bulk resolve: %v, want %v", got, want)
		}

		// Transfer with a reason queues the human one for the team; the
		// closed one is refused on its own.
		res, err = w.s.Bulk(w.ctx, actor, store.BulkInput{Action: "transfer", IDs: []string{ids[5], ids[0]}, Transfer: transfer})
		if err != nil || len(res) != 2 || !res[0].OK || res[1].OK || res[1].Error.Code != desk.CodeInvalidPhase {
			t.Fatalf("Bulk transfer = %+v, %v", res, err)
		}
		if c := w.get(adm, ids[5]); c.Phase != desk.PhaseWaiting || c.TeamID == nil || *c.TeamID != support.ID {
			t.Errorf("transferred: phase %s team %v", c.Phase, c.TeamID)
		}
		// An agent may not bulk-act on what is not its own.
		res, err = w.s.Bulk(w.ctx, desk.UserActor(ana), store.BulkInput{Action: "resolve", IDs: ids[5:]})
		if err != nil || res[0].OK || res[0].Error.Code != desk.CodeForbidden {
			t.Errorf("agent's bulk resolve of the queue = %+v, %v", res, err)
		}
	})
}
