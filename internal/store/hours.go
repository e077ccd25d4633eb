package store

import (
	"context"
	"time"

	"github.com/relevo/relevo/internal/desk"
)

// waitMeasure is how the queues report measures a wait from began (ms) to
// an event: wall-clock seconds, or with businessTime the seconds the
// conversation's bot was open in between.
func (s *Store) waitMeasure(ctx context.Context, botIDs []string, businessTime bool) (func(e agentEvent, began int64) float64, error) {
	if !businessTime {
		return func(e agentEvent, began int64) float64 { return float64(e.at-began) / 1000 }, nil
	}
	bots, err := s.ListBots(ctx, botIDs)
	if err != nil {
		return nil, err
	}
	hours := make(map[string]desk.BusinessHours, len(bots))
	for _, b := range bots {
		hours[b.ID] = b.BusinessHours
	}
	return func(e agentEvent, began int64) float64 {
		return hours[e.bot].BusinessDuration(time.UnixMilli(began), time.UnixMilli(e.at)).Seconds()
	}, nil
}
