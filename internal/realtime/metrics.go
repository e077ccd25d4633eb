package realtime

import "github.com/prometheus/client_golang/prometheus"

type metrics struct {
	connected  prometheus.Gauge
	slowClosed prometheus.Counter
	changes    *prometheus.CounterVec
}

func newMetrics(reg *prometheus.Registry) *metrics {
	m := &metrics{
		connected:  prometheus.NewGauge(prometheus.GaugeOpts{Name: "relevo_ws_connected", Help: "Open console sockets on this node."}),
		slowClosed: prometheus.NewCounter(prometheus.CounterOpts{Name: "relevo_ws_slow_closed_total", Help: "Sockets closed because they could not keep up."}),
		changes:    prometheus.NewCounterVec(prometheus.CounterOpts{Name: "relevo_changes_routed_total", Help: "Changes routed to sockets, by type."}, []string{"type"}),
	}
	_ = reg.Register(m.connected)
	_ = reg.Register(m.slowClosed)
	_ = reg.Register(m.changes)
	return m
}
