package realtime

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

// A burst queued faster than the writer drains it goes out in batches:
// every frame arrives whole and in order however the writes were grouped,
// a frame larger than a batch buffer included.
func TestABurstOfFramesArrivesWholeAndInOrder(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	w := newHubWorld(t, Options{})
	fs := w.dial(t, ctx, w.agent)
	var want []string
	w.hub.ofUser(w.agent.ID, func(s *socket) {
		for i := range 200 {
			name := fmt.Sprintf("frame %d", i)
			if i == 100 {
				name = strings.Repeat("x", 300<<10)
			}
			want = append(want, name)
			s.enqueue(encode(FrameTyping, "", 0, Typing{Name: name}))
		}
	})
	for i, name := range want {
		f := fs.next(t, ctx)
		var ty Typing
		if err := json.Unmarshal(f.Data, &ty); err != nil || f.Type != FrameTyping || ty.Name != name {
			t.Fatalf("frame %d: %s %.40q (%v), want typing %.40q", i, f.Type, ty.Name, err, name)
		}
	}
}
