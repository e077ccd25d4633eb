package app

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/relevo/relevo/internal/store"
)

const usage = `Relevo, a contact center for chatbots.

Usage:
  relevo serve [flags]    start the server (relevo serve -h lists the flags)
  relevo migrate [flags]  apply database migrations and exit
  relevo version          print the version
  relevo bench [flags]    measure: API-channel messages to agent sockets on a node of its
                          own against a bare pipeline, same run (relevo bench -h lists the flags)
`

// Main runs the command line.
func Main(ctx context.Context, args []string, out io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(out, usage)
		return errors.New("a command is required")
	}
	switch args[0] {
	case "serve":
		cfg, err := ParseFlags(args[1:], Getenv)
		if err != nil {
			return err
		}
		return Run(ctx, cfg)
	case "migrate":
		cfg, err := ParseFlags(args[1:], Getenv)
		if err != nil {
			return err
		}
		s, err := store.Open(ctx, store.Options{DatabaseURL: cfg.DatabaseURL, DataDir: cfg.DataDir})
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "migrations applied (%s)\n", s.Dialect())
		return s.Close()
	case "version":
		fmt.Fprintln(out, "relevo", Version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(out, usage)
		return nil
	}
	fmt.Fprint(out, usage)
	return fmt.Errorf("unknown command %q", args[0])
}
