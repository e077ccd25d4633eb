package store_test

import (
	"sync"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// csatWorld is a world whose bot asks for ratings, with a web channel.
func csatWorld(t *testing.T, db *storetest.DB) (*World, desk.Channel) {
	w := NewWorld(t, db, WorldOptions{NoFlow: true})
	on := desk.CSAT{Enabled: true, AskComment: true, Question: map[string]string{"es": "¿Qué tal?"}}
	b, err := w.S.UpdateBot(w.Ctx, w.Bot.ID, store.BotPatch{CSAT: &on})
	if err != nil {
		t.Fatal(err)
	}
	w.Bot = b
	web := w.Seed().Channel(desk.Channel{BotID: w.Bot.ID, Type: desk.ChannelWeb, Name: "Site"})
	return w, web
}

func csatEvents(w *World, id string) []desk.Message {
	var out []desk.Message
	for _, m := range w.Messages(id) {
		if m.Event != nil && (m.Event.Type == desk.EventCSAT || m.Event.Type == desk.EventCSATNotAsked) {
			out = append(out, m)
		}
	}
	return out
}

func TestCSATSettingIsValidated(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := NewWorld(t, db, WorldOptions{})
		if w.Bot.CSAT.Enabled {
			t.Fatal("CSAT is on by default")
		}
		for _, bad := range []desk.CSAT{
			{Question: map[string]string{"fr": "Ça va ?"}},
			{Question: map[string]string{"en": string(make([]rune, desk.MaxCSATQuestion+1))}},
		} {
			if _, err := w.S.UpdateBot(w.Ctx, w.Bot.ID, store.BotPatch{CSAT: &bad}); !desk.IsCode(err, desk.CodeValidationFailed) {
				t.Fatalf("csat %v: err = %v, want validation_failed", bad.Question, err)
			}
		}
		on := desk.CSAT{Enabled: true, Question: map[string]string{"en": "  Rate us  ", "es": " "}}
		b, err := w.S.UpdateBot(w.Ctx, w.Bot.ID, store.BotPatch{CSAT: &on})
		if err != nil || !b.CSAT.Enabled || b.CSAT.Question["en"] != "Rate us" || len(b.CSAT.Question) != 1 {
			t.Fatalf("bot csat = %+v, %v", b.CSAT, err)
		}
		if b.CSAT.QuestionFor("es") != desk.DefaultCSATQuestions["es"] || b.CSAT.QuestionFor("") != "Rate us" {
			t.Fatalf("questions: %q %q", b.CSAT.QuestionFor("es"), b.CSAT.QuestionFor(""))
		}
	})
}

func TestCSATAskedOnceAfterAnAgentResolves(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w, web := csatWorld(t, db)
		c := w.InPhaseOn(web, desk.PhaseClosed)
		st, err := w.S.CSATOf(w.Ctx, c.ID)
		if err != nil || st.AskedAt == nil || st.Score != nil {
			t.Fatalf("after resolve: %+v, %v", st, err)
		}
		// Not asked: a blocked conversation, one never with a person, and
		// one on a bot that does not ask.
		blocked := w.InPhaseOn(web, desk.PhaseHuman)
		if _, err := w.S.BlockContact(w.Ctx, w.As(w.Agent), blocked.ID); err != nil {
			t.Fatal(err)
		}
		waiting := w.InPhaseOn(web, desk.PhaseWaiting)
		w.Check(w.S.Resolve(w.Ctx, w.As(w.Supervisor), waiting.ID))
		for _, id := range []string{blocked.ID, waiting.ID} {
			if st, _ := w.S.CSATOf(w.Ctx, id); st.AskedAt != nil {
				t.Fatalf("conversation %s asked: %+v", id, st)
			}
		}
	})
}

func TestCSATAnswerIsStoredOnceAndShownInTheTimeline(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w, web := csatWorld(t, db)
		c := w.InPhaseOn(web, desk.PhaseClosed)
		if _, err := w.S.AnswerCSAT(w.Ctx, c.ID, desk.CSATAnswer{Score: 6}); !desk.IsCode(err, desk.CodeValidationFailed) {
			t.Fatalf("score 6: %v", err)
		}
		// Two answers at once (two tabs): one wins, the other is told.
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = w.S.AnswerCSAT(w.Ctx, c.ID, desk.CSATAnswer{Score: 4 - i, Comment: " Quick and kind "})
			}()
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch {
			case err == nil:
				won++
			case !desk.IsCode(err, desk.CodeCSATAnswered) && !desk.IsCode(err, desk.CodeConflict):
				t.Fatalf("losing answer: %v", err)
			}
		}
		if won != 1 {
			t.Fatalf("%d answers won (%v)", won, errs)
		}
		if _, err := w.S.AnswerCSAT(w.Ctx, c.ID, desk.CSATAnswer{Score: 1}); !desk.IsCode(err, desk.CodeCSATAnswered) {
			t.Fatalf("repeated answer: %v", err)
		}
		st, _ := w.S.CSATOf(w.Ctx, c.ID)
		evs := csatEvents(w, c.ID)
		if st.Score == nil || st.Comment != "Quick and kind" || len(evs) != 1 || evs[0].Event.CSAT.Score != *st.Score {
			t.Fatalf("state %+v, events %+v", st, evs)
		}
		// The contact's history lists the conversation with its rating.
		if got := w.Get(c.ID).CSATScore; got == nil || *got != *st.Score {
			t.Fatalf("conversation csat_score = %v, want %d", got, *st.Score)
		}
	})
}

func TestCSATLateOrUnaskedAnswerIsRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w, web := csatWorld(t, db)
		c := w.InPhaseOn(web, desk.PhaseClosed)
		open := w.InPhaseOn(web, desk.PhaseHuman)
		if _, err := w.S.AnswerCSAT(w.Ctx, open.ID, desk.CSATAnswer{Score: 5}); !desk.IsCode(err, desk.CodeCSATClosed) {
			t.Fatalf("unasked: %v", err)
		}
		db.Clock.Advance(desk.CSATAnswerWindow + time.Minute)
		if _, err := w.S.AnswerCSAT(w.Ctx, c.ID, desk.CSATAnswer{Score: 5}); !desk.IsCode(err, desk.CodeCSATClosed) {
			t.Fatalf("late: %v", err)
		}
		if len(csatEvents(w, c.ID)) != 0 {
			t.Fatal("a refused answer left an event")
		}
	})
}

func TestCSATOnWhatsAppIsAListInsideTheWindowOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w, _ := csatWorld(t, db)
		c := w.InPhaseOn(w.WhatsApp, desk.PhaseClosed)
		last := w.Last(c.ID, 1)[0]
		if len(last.Buttons) != 5 || last.Buttons[3].ID != store.CSATPayloadPrefix+"4" || last.Text != desk.DefaultCSATQuestions["en"] {
			t.Fatalf("survey message = %+v", last)
		}
		// The customer presses 4 twice (Meta redelivers, or the customer
		// presses again): one answer, no new conversation.
		ct, _ := w.S.GetContact(w.Ctx, c.Contact.ID)
		for i := 0; i < 2; i++ {
			res, err := w.S.Inbound(w.Ctx, w.WhatsApp.ID, store.InboundContact{ExternalID: ct.ExternalID},
				store.InboundMessage{ExternalID: "wamid.csat" + string(rune('a'+i)), Text: "★★★★ 4",
					Extra: desk.MessageExtra{Payload: store.CSATPayloadPrefix + "4"}})
			if err != nil || res.ConversationID != c.ID {
				t.Fatalf("press %d: %+v, %v", i, res, err)
			}
		}
		if st, _ := w.S.CSATOf(w.Ctx, c.ID); st.Score == nil || *st.Score != 4 || len(csatEvents(w, c.ID)) != 1 {
			t.Fatalf("state %+v", st)
		}
		// Outside the 24-hour window: not asked, and the timeline says so.
		late := w.InPhaseOn(w.WhatsApp, desk.PhaseHuman)
		db.Clock.Advance(25 * time.Hour)
		w.Check(w.S.Resolve(w.Ctx, w.As(w.Agent), late.ID))
		evs := csatEvents(w, late.ID)
		if st, _ := w.S.CSATOf(w.Ctx, late.ID); st.AskedAt != nil || len(evs) != 1 || evs[0].Event.Type != desk.EventCSATNotAsked {
			t.Fatalf("outside the window: %+v, events %+v", st, evs)
		}
	})
}

func TestCSATReportPerAgentAndTeamInScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w, web := csatWorld(t, db)
		from := db.Clock.Now()
		a := w.InPhaseOn(web, desk.PhaseClosed)
		b := w.InPhaseOn(web, desk.PhaseClosed)
		w.InPhaseOn(web, desk.PhaseClosed) // asked, never answered
		for _, x := range []struct {
			c     desk.Conversation
			score int
			text  string
		}{{a, 5, "Great"}, {b, 2, ""}} {
			if _, err := w.S.AnswerCSAT(w.Ctx, x.c.ID, desk.CSATAnswer{Score: x.score, Comment: x.text}); err != nil {
				t.Fatal(err)
			}
		}
		to := db.Clock.Now().Add(time.Minute)
		r, err := w.S.CSATReport(w.Ctx, []string{w.Bot.ID}, from, to)
		if err != nil {
			t.Fatal(err)
		}
		if r.Total.Asked != 3 || r.Total.Answers != 2 || *r.Total.Average != 3.5 || *r.Total.ResponseRate != 2.0/3 {
			t.Fatalf("total %+v", r.Total)
		}
		if len(r.Agents) != 1 || r.Agents[0].Name != w.Agent.Name || r.Agents[0].Answers != 2 {
			t.Fatalf("agents %+v", r.Agents)
		}
		if len(r.Comments) != 1 || r.Comments[0].Comment != "Great" || r.Comments[0].Score != 5 || r.Comments[0].Protocol == "" {
			t.Fatalf("comments %+v", r.Comments)
		}
		// Another bot's people see nothing of this one.
		other, err := w.S.CSATReport(w.Ctx, []string{w.OtherBot.ID}, from, to)
		if err != nil || other.Total.Asked != 0 || len(other.Comments) != 0 {
			t.Fatalf("other bot: %+v, %v", other, err)
		}
	})
}
