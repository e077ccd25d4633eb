package app

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
)

// DemoPassword is every demo user's password.
const DemoPassword = "relevo-demo"

// demoUsers are the demo logins, one per role and a second agent to
// transfer to.
// Agents may hold five conversations at once, so the monitor's load and
// capacity read like a real floor's.
var demoUsers = []struct {
	name, email string
	role        desk.Role
	maxChats    int
}{
	{"Ada Admin", "admin@demo.relevo", desk.RoleAdmin, 0},
	{"Sam Supervisor", "supervisor@demo.relevo", desk.RoleSupervisor, 0},
	{"Alice Agent", "agent@demo.relevo", desk.RoleAgent, 5},
	{"Bruno Agent", "agent2@demo.relevo", desk.RoleAgent, 5},
	{"Olga Auditor", "auditor@demo.relevo", desk.RoleAuditor, 0},
}

// demoFlow is a small built-in flow so the demo bot owns its conversations
// until they are handed over: a menu whose first two choices the bot answers
// itself (then offers the menu again) and whose last hands over.
var demoFlow = json.RawMessage(`{"start":"welcome","nodes":{
"welcome":{"type":"menu","text":"Hi! How can we help?","options":[
 {"id":"order","label":"Where is my order?","next":"order"},
 {"id":"hours","label":"Opening hours","next":"hours"},
 {"id":"human","label":"Talk to a person","next":"handover"}]},
"order":{"type":"message","text":"Orders leave our warehouse within 2 working days; the tracking link is in your confirmation email.","next":"more"},
"hours":{"type":"message","text":"Our team answers Monday to Friday, 9:00 to 18:00.","next":"more"},
"more":{"type":"menu","text":"Anything else?","options":[
 {"id":"order","label":"Where is my order?","next":"order"},
 {"id":"hours","label":"Opening hours","next":"hours"},
 {"id":"human","label":"Talk to a person","next":"handover"}]},
"handover":{"type":"handover","note":"The customer asked for a person in the menu"}}}`)

// demoWidgetConfig is the demo web channel's: a greeting and a pre-chat
// form asking for the visitor's name.
var demoWidgetConfig = json.RawMessage(`{"greeting":"Hi! We usually answer within a few minutes.","prechat":[{"name":"name","required":true},{"name":"email"}]}`)

func (a *App) printDemo() {
	fmt.Printf("\nRelevo demo is running at %s\n\nLog in with any of these (password %q):\n", a.URL(), DemoPassword)
	for _, u := range demoUsers {
		fmt.Printf("  %-11s %s\n", u.role, u.email)
	}
	if a.demoPage != nil {
		fmt.Printf("\nPlay the customer (the web chat widget) at %s/demo\n", a.URL())
	}
	fmt.Println()
}

// loadDemo builds the demo world once; it does nothing when the demo admin
// already exists.
func loadDemo(ctx context.Context, s *store.Store, hash func(string) (string, error), drain func(context.Context) error) error {
	if _, _, err := s.UserByEmail(ctx, demoUsers[0].email); err == nil {
		return nil
	}
	h, err := hash(DemoPassword)
	if err != nil {
		return err
	}
	d := &demo{s: s, ctx: ctx, drain: drain, users: map[string]desk.User{}}
	for _, u := range demoUsers {
		d.users[u.email], err = s.CreateUser(ctx, desk.User{Name: u.name, Email: u.email, Role: u.role, MaxChats: u.maxChats}, h)
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
	}
	if err := d.world(); err != nil {
		return err
	}
	// The demo's web channel is already on a page (/demo), which is what the
	// guided start's snippet step asks for: with it every step is done and
	// the demo admin's dashboard shows no checklist.
	done := true
	_, err = s.SetOnboarding(ctx, d.users[demoUsers[0].email].ID, store.OnboardingPatch{SnippetDone: &done})
	return err
}

type demo struct {
	s     *store.Store
	ctx   context.Context
	drain func(context.Context) error
	users map[string]desk.User
}

func (d *demo) member(emails ...string) []string {
	var ids []string
	for _, e := range emails {
		ids = append(ids, d.users[e].ID)
	}
	return ids
}

func (d *demo) world() error {
	s, ctx := d.s, d.ctx
	staff := d.member("supervisor@demo.relevo", "agent@demo.relevo", "agent2@demo.relevo", "auditor@demo.relevo")
	// Calls are on in the demo's support desk, so a first try shows them
	// (a new bot has them off).
	support, err := s.CreateBot(ctx, desk.Bot{Name: "Acme Support", MemberIDs: staff, Flow: demoFlow,
		Calls: desk.CallSettings{Mode: desk.CallsVideo, CustomerMayStart: true}})
	if err != nil {
		return err
	}
	sales, err := s.CreateBot(ctx, desk.Bot{Name: "Acme Sales", MemberIDs: staff})
	if err != nil {
		return err
	}
	apiCh, err := s.CreateChannel(ctx, desk.Channel{BotID: support.ID, Type: desk.ChannelAPI, Name: "Support API"})
	if err != nil {
		return err
	}
	if _, err := s.CreateChannel(ctx, desk.Channel{BotID: support.ID, Type: desk.ChannelWeb, Name: demoChannelName, Config: demoWidgetConfig}); err != nil {
		return err
	}
	waCh, err := s.CreateChannel(ctx, desk.Channel{BotID: support.ID, Type: desk.ChannelWhatsApp, Name: demoWhatsAppName, Config: demoWhatsAppConfig})
	if err != nil {
		return err
	}
	for _, t := range demoWATemplates {
		if _, err := s.CreateTemplate(ctx, desk.Template{ChannelID: waCh.ID, Name: t.Name, Language: t.Language,
			Category: t.Category, Body: t.Body, Roles: t.Roles}); err != nil {
			return err
		}
	}
	salesCh, err := s.CreateChannel(ctx, desk.Channel{BotID: sales.ID, Type: desk.ChannelAPI, Name: "Sales API"})
	if err != nil {
		return err
	}
	if _, err := s.CreateTeam(ctx, desk.Team{Name: "Sales", BotID: sales.ID, MemberIDs: d.member("agent2@demo.relevo")}); err != nil {
		return err
	}
	supportTeam, err := s.CreateTeam(ctx, desk.Team{Name: "Support", BotID: support.ID, MemberIDs: d.member("agent@demo.relevo", "agent2@demo.relevo")})
	if err != nil {
		return err
	}
	for _, r := range []string{"Billing", "Technical issue", "Sales inquiry", "Needs a specialist"} {
		if _, err := s.CreateReason(ctx, desk.Reason{Name: r}); err != nil {
			return err
		}
	}
	for _, t := range []desk.Tag{{Name: "VIP", Color: "#b7791f"}, {Name: "Complaint", Color: "#c53030"}, {Name: "Follow-up", Color: "#2b6cb0"}} {
		if _, err := s.CreateTag(ctx, t); err != nil {
			return err
		}
	}
	if err := d.conversations(apiCh, salesCh, supportTeam); err != nil {
		return err
	}
	return d.whatsappConversation(waCh)
}
