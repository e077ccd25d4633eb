package store_test

import (
	"errors"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store/storetest"
)

// The desk engine's tests build their contact center with storetest's
// World, which any package's tests may reuse; these short names keep the
// store's own suites reading as they did, and World may gain helpers only
// these suites need (snapshot).
type (
	World        struct{ *storetest.World }
	WorldOptions = storetest.WorldOptions
	OutboxRow    = storetest.OutboxRow
	EventRow     = storetest.EventRow
)

// NewWorld builds a storetest.World in db.
func NewWorld(t *testing.T, db *storetest.DB, o WorldOptions) *World {
	t.Helper()
	return &World{storetest.NewWorld(t, db, o)}
}

var (
	NewOutbox       = storetest.NewOutbox
	EachWithOptions = storetest.EachWithOptions
)

// wantLocked fails unless err is conversation_locked with a retry time.
func wantLocked(t *testing.T, err error) *desk.Error {
	t.Helper()
	var de *desk.Error
	if !errors.As(err, &de) || de.Code != desk.CodeConversationLocked || de.RetryAfter < time.Second ||
		de.Details["retry_after_seconds"] != int(de.RetryAfter/time.Second) {
		t.Fatalf("err = %v, want conversation_locked with a retry time", err)
	}
	return de
}
