package store

import (
	"context"
	"fmt"

	"github.com/relevo/relevo/internal/desk"
)

// Onboarding is userID's guided start, counted from the store: each step
// is one EXISTS over a table, so it is cheap enough to ask on every visit
// to the dashboard.
func (s *Store) Onboarding(ctx context.Context, userID string) (desk.Onboarding, error) {
	var f desk.OnboardingFacts
	err := s.r.QueryRowContext(ctx, `SELECT
		EXISTS (SELECT 1 FROM bots),
		EXISTS (SELECT 1 FROM channels WHERE type = $2),
		EXISTS (SELECT 1 FROM conversations WHERE channel_type = $2),
		EXISTS (SELECT 1 FROM users WHERE role = $3 AND deleted_at IS NULL),
		EXISTS (SELECT 1 FROM conversations),
		COALESCE((SELECT onboarding_snippet_done FROM users WHERE id = $1), 0) <> 0,
		COALESCE((SELECT onboarding_dismissed FROM users WHERE id = $1), 0) <> 0`,
		userID, string(desk.ChannelWeb), string(desk.RoleAgent)).
		Scan(&f.Bot, &f.WebChannel, &f.WebConversation, &f.Agent, &f.Conversation, &f.SnippetDone, &f.Dismissed)
	if err != nil {
		return desk.Onboarding{}, fmt.Errorf("store: onboarding: %w", err)
	}
	return desk.OnboardingOf(f), nil
}

// OnboardingPatch changes what an admin said about their checklist; nil
// fields stay.
type OnboardingPatch struct {
	Dismissed   *bool
	SnippetDone *bool
}

// SetOnboarding stores p for userID and answers the checklist.
func (s *Store) SetOnboarding(ctx context.Context, userID string, p OnboardingPatch) (desk.Onboarding, error) {
	err := s.tx(ctx, func(t *txn) error {
		for col, v := range map[string]*bool{"onboarding_dismissed": p.Dismissed, "onboarding_snippet_done": p.SnippetDone} {
			if v == nil {
				continue
			}
			if _, err := t.exec(`UPDATE users SET `+col+` = $2 WHERE id = $1`, userID, boolInt(*v)); err != nil {
				return fmt.Errorf("store: set onboarding: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return desk.Onboarding{}, err
	}
	return s.Onboarding(ctx, userID)
}
