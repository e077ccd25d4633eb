package store

// Bulk seeding, for benchmarks (bench_test.go, cmd/relevo-bench) and for
// loading a demo-scale database. Never run it on a database with real data.
//
// Seed builds a fixed cast (bots, channels, teams, a supervisor, online
// agents) through the ordinary API, then writes contacts, conversations in
// realistic phases, their messages, events, read state and tags with plain
// multi-row INSERTs, one transaction per batch. It bypasses the lifecycle
// code on purpose: 100k conversations through Inbound, Handover and Assign
// take minutes; this takes seconds. The rows it writes are the rows those
// calls would have written (seq, protocol counter, FTS, windows, deadlines).

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/relevo/relevo/internal/desk"
)

// SeedOptions size a synthetic load.
type SeedOptions struct {
	// Conversations is how many the database should hold (default 100 000).
	Conversations int
	// Batch is how many conversations, with their rows, one transaction
	// writes (default 10 000).
	Batch int
	// Messages makes every conversation hold this many messages, the
	// chat's text drawn from a Zipf-distributed vocabulary (seed_text.go),
	// for the large dataset (`relevo bench dataset`); 0: 3 to 9 each, the
	// store benchmarks' shape.
	Messages int
	// Progress, if set, is told after each batch how many conversations
	// the database holds and how many messages this call has written.
	Progress func(conversations, messages int)
}

// SeedWorld is the cast Seed builds once and finds again on a seeded
// database.
type SeedWorld struct {
	// Bots: [0] Support has an external bot (webhook), so its
	// conversations start in phase bot; [1] Sales has none, so a new
	// conversation is queued at once.
	Bots       []desk.Bot
	Channels   []desk.Channel // in the order of seedChannels
	Teams      []desk.Team    // in the order of seedTeams
	Supervisor desk.User      // member of both bots
	Agents     []desk.User    // online, members of both bots, one team each
	TagIDs     []string
	// Conversations is how many the database holds.
	Conversations int
}

var (
	seedBots     = []string{"Seed Support", "Seed Sales"}
	seedChannels = []struct {
		bot  int
		typ  desk.ChannelType
		name string
		pct  int // share of contacts
	}{{0, desk.ChannelAPI, "Seed Support API", 35}, {0, desk.ChannelWeb, "Seed Support Web", 25},
		{1, desk.ChannelAPI, "Seed Sales API", 20}, {1, desk.ChannelWhatsApp, "Seed Sales WhatsApp", 20}}
	seedTeams = []struct {
		bot  int
		name string
	}{{0, "Seed Billing"}, {0, "Seed Tech"}, {1, "Seed Deals"}}
	seedTags = []string{"Seed VIP", "Seed Complaint", "Seed Follow-up"}
)

const (
	seedAgents     = 200
	seedSupervisor = "supervisor@seed.relevo"
)

// Seed makes the database hold opts.Conversations synthetic conversations,
// adding only what is missing, and returns the cast.
func (s *Store) Seed(ctx context.Context, opts SeedOptions) (SeedWorld, error) {
	if opts.Conversations <= 0 {
		opts.Conversations = 100_000
	}
	if opts.Batch <= 0 {
		opts.Batch = 10_000
	}
	w, err := s.seedWorld(ctx)
	if err != nil {
		return w, fmt.Errorf("store: seed world: %w", err)
	}
	if err := s.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM conversations`).Scan(&w.Conversations); err != nil {
		return w, err
	}
	g := &seedGen{w: w, now: s.clock.Now(), ids: s.ids.New, messages: opts.Messages}
	start, written := w.Conversations, 0
	for from := w.Conversations; from < opts.Conversations; from += opts.Batch {
		to := min(from+opts.Batch, opts.Conversations)
		var err error
		if s.d.name() == "postgres" {
			err = s.copyBatch(ctx, g, from, to)
		} else {
			err = s.tx(ctx, func(t *txn) error { return g.batch(t, from, to) })
		}
		if err != nil {
			return w, err
		}
		w.Conversations, written = to, written+len(g.rows.msgs)
		if opts.Progress != nil {
			opts.Progress(to, written)
		}
	}
	if start < w.Conversations && s.d.name() == "postgres" {
		// What autovacuum does soon after a bulk load anyway: statistics,
		// and GIN pending lists merged into the full-text indexes.
		if _, err := s.w.ExecContext(ctx, `VACUUM ANALYZE`); err != nil {
			return w, err
		}
	}
	return w, nil
}

// seedWorld finds the cast, creating it on first use.
func (s *Store) seedWorld(ctx context.Context) (SeedWorld, error) {
	if _, _, err := s.UserByEmail(ctx, seedSupervisor); err != nil {
		if err := s.createSeedWorld(ctx); err != nil {
			return SeedWorld{}, err
		}
	}
	var w SeedWorld
	sup, _, err := s.UserByEmail(ctx, seedSupervisor)
	if err != nil {
		return w, err
	}
	users, err := s.ListUsers(ctx, nil)
	if err != nil {
		return w, err
	}
	for _, u := range users {
		if u.ID == sup.ID {
			w.Supervisor = u
		} else if strings.HasSuffix(u.Email, "@seed.relevo") {
			w.Agents = append(w.Agents, u)
		}
	}
	bots, err := s.ListBots(ctx, nil)
	if err != nil {
		return w, err
	}
	chans, err := s.ListChannels(ctx, nil)
	if err != nil {
		return w, err
	}
	teams, err := s.ListTeams(ctx, nil)
	if err != nil {
		return w, err
	}
	tags, err := s.ListTags(ctx)
	if err != nil {
		return w, err
	}
	for _, name := range seedBots {
		w.Bots = append(w.Bots, findNamed(bots, name, func(b desk.Bot) string { return b.Name }))
	}
	for _, c := range seedChannels {
		w.Channels = append(w.Channels, findNamed(chans, c.name, func(c desk.Channel) string { return c.Name }))
	}
	for _, t := range seedTeams {
		w.Teams = append(w.Teams, findNamed(teams, t.name, func(t desk.Team) string { return t.Name }))
	}
	for _, name := range seedTags {
		w.TagIDs = append(w.TagIDs, findNamed(tags, name, func(t desk.Tag) string { return t.Name }).ID)
	}
	if len(w.Agents) != seedAgents || w.Bots[0].ID == "" || w.Channels[len(w.Channels)-1].ID == "" {
		return w, fmt.Errorf("a partial seed world is in the database")
	}
	return w, nil
}

func findNamed[T any](list []T, name string, nameOf func(T) string) T {
	for _, v := range list {
		if nameOf(v) == name {
			return v
		}
	}
	var zero T
	return zero
}

func (s *Store) createSeedWorld(ctx context.Context) error {
	var botIDs []string
	for i, name := range seedBots {
		b := desk.Bot{Name: name}
		if i == 0 {
			b.WebhookURL = "https://bot.example.com/relevo"
		}
		bot, err := s.CreateBot(ctx, b)
		if err != nil {
			return err
		}
		botIDs = append(botIDs, bot.ID)
	}
	for _, c := range seedChannels {
		cfg := json.RawMessage(`{}`)
		if c.typ == desk.ChannelWhatsApp {
			cfg = json.RawMessage(`{"phone_number_id": "1000"}`)
		}
		if _, err := s.CreateChannel(ctx, desk.Channel{BotID: botIDs[c.bot], Type: c.typ, Name: c.name, Config: cfg}); err != nil {
			return err
		}
	}
	var teamIDs []string
	for _, t := range seedTeams {
		team, err := s.CreateTeam(ctx, desk.Team{Name: t.name, BotID: botIDs[t.bot]})
		if err != nil {
			return err
		}
		teamIDs = append(teamIDs, team.ID)
	}
	for _, name := range seedTags {
		if _, err := s.CreateTag(ctx, desk.Tag{Name: name}); err != nil {
			return err
		}
	}
	if _, err := s.CreateReason(ctx, desk.Reason{Name: "Seed reason"}); err != nil {
		return err
	}
	for i := 1; i <= seedAgents; i++ {
		u, err := s.CreateUser(ctx, desk.User{Name: fmt.Sprintf("Seed Agent %03d", i), Email: fmt.Sprintf("agent%03d@seed.relevo", i),
			Role: desk.RoleAgent, BotIDs: botIDs, TeamIDs: []string{teamIDs[i%len(teamIDs)]}}, "")
		if err != nil {
			return err
		}
		if _, err := s.SetStatus(ctx, u.ID, desk.StatusOnline, ""); err != nil {
			return err
		}
	}
	// Last, so its presence means the whole cast is there.
	_, err := s.CreateUser(ctx, desk.User{Name: "Seed Supervisor", Email: seedSupervisor, Role: desk.RoleSupervisor, BotIDs: botIDs}, "")
	return err
}

// SeedTarget is a seeded conversation a benchmark writes to.
type SeedTarget struct {
	ConversationID    string
	ChannelID         string
	ContactExternalID string // the contact's id on ChannelID, for Inbound
	Phase             desk.Phase
}

// SeedTargets lists up to n conversations in the given phases.
func (s *Store) SeedTargets(ctx context.Context, n int, phases ...desk.Phase) ([]SeedTarget, error) {
	w := &where{}
	ps := make([]string, len(phases))
	for i, p := range phases {
		ps[i] = string(p)
	}
	w.add("c.phase IN (" + w.in(ps) + ")")
	rows, err := s.r.QueryContext(ctx, `SELECT c.id, c.channel_id, ct.external_id, c.phase FROM conversations c
		JOIN contacts ct ON ct.id = c.contact_id`+w.sql()+fmt.Sprintf(` ORDER BY c.id LIMIT %d`, n), w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SeedTarget
	for rows.Next() {
		var t SeedTarget
		if err := rows.Scan(&t.ConversationID, &t.ChannelID, &t.ContactExternalID, &t.Phase); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// SeedListCase is one conversation list the benchmarks time.
type SeedListCase struct {
	Name   string
	Actor  desk.Actor
	Filter ConversationFilter
}

// ListCases are the conversation lists the benchmarks time: what a
// supervisor's and an agent's desk ask for most.
func (w SeedWorld) ListCases() []SeedListCase {
	sup, agent := desk.UserActor(w.Supervisor), desk.UserActor(w.Agents[0])
	return []SeedListCase{
		{"waiting_sorted", sup, ConversationFilter{Sort: SortWaiting}},
		{"updated_filtered_by_team", sup, ConversationFilter{TeamIDs: []string{w.Teams[0].ID},
			Phases: []desk.Phase{desk.PhaseWaiting, desk.PhaseHuman}, Sort: SortUpdated}},
		// A customer's full name: about 0.25% of contacts match.
		{"search_q", sup, ConversationFilter{Query: "maria silva", Sort: SortUpdated}},
		{"agent_scope", agent, ConversationFilter{Sort: SortWaiting}},
		// Stress: a word in 1 of 12 customer lines, so about 13% of
		// conversations match; search cost grows with the matches.
		{"search_common_word", sup, ConversationFilter{Query: "refund", Sort: SortUpdated}},
	}
}

// insertRows writes rows with multi-row INSERTs of at most 30 000
// parameters each (SQLite allows 32 766, PostgreSQL 65 535). SQLite gets
// anonymous ? placeholders: it looks numbered ones up by name in a list,
// which is quadratic in their number.
func (t *txn) insertRows(table string, cols []string, rows [][]any) error {
	per := min(500, 30_000/len(cols))
	anon := t.s.d.name() == "sqlite"
	head := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES "
	for len(rows) > 0 {
		n := min(per, len(rows))
		var b strings.Builder
		b.WriteString(head)
		args := make([]any, 0, n*len(cols))
		for i, r := range rows[:n] {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('(')
			for j, v := range r {
				if j > 0 {
					b.WriteString(", ")
				}
				args = append(args, v)
				if anon {
					b.WriteByte('?')
				} else {
					b.WriteString("$" + strconv.Itoa(len(args)))
				}
			}
			b.WriteByte(')')
		}
		if _, err := t.exec(b.String(), args...); err != nil {
			return fmt.Errorf("store: seed %s: %w", table, err)
		}
		rows = rows[n:]
	}
	return nil
}
