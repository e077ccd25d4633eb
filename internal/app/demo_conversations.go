package app

import (
	"fmt"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
)

// conversations puts a few conversations in every phase.
func (d *demo) conversations(support, sales desk.Channel, team desk.Team) error {
	bot := desk.Actor{Integration: true}
	// Read the agent again: it became a member of the bots after it was made.
	agent, err := d.s.GetUser(d.ctx, d.users["agent@demo.relevo"].ID)
	if err != nil {
		return err
	}
	type script struct {
		ch       desk.Channel
		id, name string
		phone    string
		lines    []string
		then     string // "", "handover", "assign", "resolve"
	}
	scripts := []script{
		{support, "demo-1", "Maria Luiza dos Santos", "5535998765432", []string{"Hi, my invoice is wrong", "It charges me twice this month"}, "handover"},
		{support, "demo-2", "John Carter", "14155550123", []string{"The app crashes when I log in"}, "handover"},
		{sales, "demo-3", "Lucía Fernández", "5491155550199", []string{"¿Tienen planes para empresas?"}, ""},
		{support, "demo-4", "Priya Natarajan", "447700900123", []string{"Where is my order #4411?"}, "assign"},
		{support, "demo-5", "Tom Becker", "4915123456789", []string{"Thanks for the quick fix!"}, "resolve"},
		{support, "demo-6", "Aiko Tanaka", "819012345678", []string{"Do you ship to Japan?"}, ""},
	}
	if agent, err = d.s.SetStatus(d.ctx, agent.ID, desk.StatusOnline, ""); err != nil {
		return err
	}
	for i, sc := range scripts {
		var res store.InboundResult
		var err error
		for j, line := range sc.lines {
			res, err = d.s.Inbound(d.ctx, sc.ch.ID, store.InboundContact{ExternalID: sc.id, Name: sc.name, Phone: sc.phone},
				store.InboundMessage{ExternalID: sc.id + "-" + string(rune('a'+j)), Text: line})
			if err != nil {
				return err
			}
		}
		id := res.ConversationID
		if res.Phase == desk.PhaseBot {
			if _, err := d.s.Send(d.ctx, bot, id, store.SendInput{Text: "Hi! I'm the Acme assistant. How can I help?"}); err != nil {
				return err
			}
		}
		if sc.then == "" {
			continue
		}
		if res.Phase == desk.PhaseBot {
			in := store.HandoverInput{Note: "Customer asked for a person"}
			if i == 0 {
				in.TeamID = team.ID
			}
			if _, err := d.s.Handover(d.ctx, bot, id, in); err != nil {
				return err
			}
		}
		if sc.then == "assign" || sc.then == "resolve" {
			if _, err := d.s.Assign(d.ctx, desk.UserActor(agent), id, store.AssignInput{}); err != nil {
				return err
			}
		}
		if sc.then == "resolve" {
			// Deliver the hand-over notice so the processing lock ends,
			// exactly as the running worker would.
			if err := d.drain(d.ctx); err != nil {
				return err
			}
			if _, err := d.s.Resolve(d.ctx, desk.UserActor(agent), id); err != nil {
				return err
			}
		}
	}
	_, err = d.s.SetStatus(d.ctx, agent.ID, desk.StatusOffline, "")
	return err
}

// whatsappConversation leaves one WhatsApp customer in the queue who last
// wrote 25 hours ago: the 24-hour window is closed, so whoever takes it sees
// the closed-window banner and can only send an approved template.
func (d *demo) whatsappConversation(ch desk.Channel) error {
	sent := time.Now().Add(-25 * time.Hour)
	contact := store.InboundContact{ExternalID: "5511987654321", Name: "Rafael Costa", Phone: "5511987654321"}
	var res store.InboundResult
	for i, line := range []string{"Olá! My package arrived damaged", "Can someone help me with a replacement?"} {
		var err error
		res, err = d.s.Inbound(d.ctx, ch.ID, contact, store.InboundMessage{ExternalID: fmt.Sprintf("wamid.DEMOIN%02d", i),
			Text: line, SentAt: sent.Add(time.Duration(i) * time.Minute)})
		if err != nil {
			return err
		}
	}
	if res.Phase != desk.PhaseBot {
		return nil
	}
	_, err := d.s.Handover(d.ctx, desk.Actor{Integration: true}, res.ConversationID, store.HandoverInput{Note: "Damaged package; the customer wrote yesterday"})
	return err
}
