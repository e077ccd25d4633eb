package whatsapp_test

import (
	"bytes"
	"fmt"
	"sort"
	"sync/atomic"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/store/storetest"
)

// BenchmarkWebhookText measures verify + parse + store + acknowledge of a
// text webhook on SQLite, each from a different customer (so each opens a
// conversation: the expensive case), and reports p99 latency.
func BenchmarkWebhookText(b *testing.B) {
	e := newEnv(b, storetest.Open(b, "sqlite", nil))
	raw := fixture(b, "text.json")
	var n atomic.Int64
	lat := make(chan time.Duration, b.N+64)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			body := bytes.ReplaceAll(raw, []byte(waID), []byte(fmt.Sprintf("1650%07d", i)))
			body = bytes.Replace(body, []byte("RTAzODEwMTQ0RgA="), []byte(fmt.Sprintf("bench%010d", i)), 1)
			start := time.Now()
			if w := e.post(body); w.Code != 200 {
				b.Errorf("%d %s", w.Code, w.Body)
				return
			}
			lat <- time.Since(start)
		}
	})
	b.StopTimer()
	close(lat)
	var all []time.Duration
	for d := range lat {
		all = append(all, d)
	}
	if len(all) > 0 {
		sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
		b.ReportMetric(float64(all[len(all)*99/100].Microseconds())/1000, "p99-ms")
	}
}
