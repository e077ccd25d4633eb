package storetest

import (
	"context"
	"testing"

	"github.com/relevo/relevo/internal/auth"
	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
)

// Seed writes the rows a test starts from through the store's own API (so
// every row is one the product itself could have written), failing the
// test on any error: a setup is one line a row. World is built with it;
// a suite that needs other names or settings than World's uses it alone.
type Seed struct {
	T   testing.TB
	S   *store.Store
	Ctx context.Context
}

// NewSeed is a Seed on s reporting to t.
func NewSeed(t testing.TB, s *store.Store) Seed {
	return Seed{T: t, S: s, Ctx: context.Background()}
}

// Must unwraps the (value, error) result of a setup call, failing t on an
// error: Must[desk.Bot](t)(s.CreateBot(ctx, b)).
func Must[T any](t testing.TB) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatalf("seed: %v", err)
		}
		return v
	}
}

// Bot creates b.
func (sd Seed) Bot(b desk.Bot) desk.Bot {
	sd.T.Helper()
	return Must[desk.Bot](sd.T)(sd.S.CreateBot(sd.Ctx, b))
}

// Channel creates c.
func (sd Seed) Channel(c desk.Channel) desk.Channel {
	sd.T.Helper()
	return Must[desk.Channel](sd.T)(sd.S.CreateChannel(sd.Ctx, c))
}

// APIChannel creates an API channel of bot b named name.
func (sd Seed) APIChannel(b desk.Bot, name string) desk.Channel {
	sd.T.Helper()
	return sd.Channel(desk.Channel{BotID: b.ID, Type: desk.ChannelAPI, Name: name})
}

// Hash is password hashed the fast way (test users only).
func (sd Seed) Hash(password string) string {
	sd.T.Helper()
	return Must[string](sd.T)(auth.HashPassword(password, auth.FastParams))
}

// User creates u with the given password hash (any string for a user who
// never logs in).
func (sd Seed) User(u desk.User, hash string) desk.User {
	sd.T.Helper()
	return Must[desk.User](sd.T)(sd.S.CreateUser(sd.Ctx, u, hash))
}

// Status sets u's status (reason: why paused) and returns u as it is now,
// so actors built from it carry the status.
func (sd Seed) Status(u desk.User, status desk.UserStatus, reason string) desk.User {
	sd.T.Helper()
	return Must[desk.User](sd.T)(sd.S.SetStatus(sd.Ctx, u.ID, status, reason))
}

// Online sets every user online.
func (sd Seed) Online(users ...desk.User) {
	sd.T.Helper()
	for _, u := range users {
		sd.Status(u, desk.StatusOnline, "")
	}
}

// Team creates tm.
func (sd Seed) Team(tm desk.Team) desk.Team {
	sd.T.Helper()
	return Must[desk.Team](sd.T)(sd.S.CreateTeam(sd.Ctx, tm))
}

// Reason creates r.
func (sd Seed) Reason(r desk.Reason) desk.Reason {
	sd.T.Helper()
	return Must[desk.Reason](sd.T)(sd.S.CreateReason(sd.Ctx, r))
}

// Tag creates tg.
func (sd Seed) Tag(tg desk.Tag) desk.Tag {
	sd.T.Helper()
	return Must[desk.Tag](sd.T)(sd.S.CreateTag(sd.Ctx, tg))
}

// Inbound stores a customer message on channel chID, the way a channel
// does.
func (sd Seed) Inbound(chID string, who store.InboundContact, m store.InboundMessage) store.InboundResult {
	sd.T.Helper()
	return Must[store.InboundResult](sd.T)(sd.S.Inbound(sd.Ctx, chID, who, m))
}

// IDs lists the ids of users, for a team's or a bot's members.
func IDs(users ...desk.User) []string {
	out := make([]string, 0, len(users))
	for _, u := range users {
		out = append(out, u.ID)
	}
	return out
}
