package app

import (
	"context"
	"fmt"

	"github.com/relevo/relevo/internal/desk"
)

// bootstrap creates the first admin from RELEVO_ADMIN_EMAIL and
// RELEVO_ADMIN_PASSWORD when no admin exists yet, and loads the demo world
// when asked. Both are idempotent: a restart changes nothing.
func (a *App) bootstrap(ctx context.Context, hash func(string) (string, error)) error {
	if a.Config.AdminEmail != "" && a.Config.AdminPassword != "" {
		n, err := a.Store.CountAdmins(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			if len(a.Config.AdminPassword) < 8 {
				return fmt.Errorf("app: RELEVO_ADMIN_PASSWORD must have at least 8 characters")
			}
			h, err := hash(a.Config.AdminPassword)
			if err != nil {
				return err
			}
			if _, err := a.Store.CreateUser(ctx, desk.User{Name: "Admin", Email: a.Config.AdminEmail, Role: desk.RoleAdmin}, h); err != nil {
				return fmt.Errorf("app: create admin: %w", err)
			}
			a.Log.Info("created the first admin", "email", a.Config.AdminEmail)
		}
	}
	if a.Config.Demo {
		return loadDemo(ctx, a.Store, hash, a.Outbox.Drain)
	}
	return nil
}
