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
			if err := desk.CheckPassword(a.Config.AdminPassword); err != nil {
				return fmt.Errorf("app: RELEVO_ADMIN_PASSWORD: %w", err)
			}
			h, err := hash(a.Config.AdminPassword)
			if err != nil {
				return err
			}
			// The same one-time path as the setup page: of several nodes
			// starting at once, one creates the admin and the others find it.
			_, err = a.Store.CreateFirstAdmin(ctx, desk.User{Name: "Admin", Email: a.Config.AdminEmail}, h)
			if err == nil {
				a.Log.Info("created the first admin", "email", a.Config.AdminEmail)
			} else if !desk.IsCode(err, desk.CodeSetupDone) {
				return fmt.Errorf("app: create admin: %w", err)
			}
		}
	}
	if a.Config.Demo {
		return loadDemo(ctx, a.Store, hash, a.Outbox.Drain)
	}
	return nil
}
