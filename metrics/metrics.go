package metrics

import (
	"net/http"
	"runtime"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// namespace prefixes every metric of this module.
const namespace = "duo_kazoo"

// Options describe the build for duo_kazoo_build_info. The zero value is
// fine.
type Options struct {
	// Version and Commit label duo_kazoo_build_info; "unknown" when empty.
	Version, Commit string
	// NoProcessMetrics leaves out the Go runtime and process collectors
	// (tests and benchmarks that build many Metrics).
	NoProcessMetrics bool
}

// Metrics owns a registry and the recorders that write to it. Build it
// with New; its recorders are safe for concurrent use. A nil *Metrics or
// the value of Discard records nothing.
type Metrics struct {
	reg *prometheus.Registry

	HTTP         *HTTP
	AMQP         *AMQP
	SecondFactor *SecondFactor
	Duo          *Duo
	Couch        *Couch
	Cache        *Cache
	Pushes       *Pushes
	Lockouts     *Lockouts
}

// New builds the recorders and registers them, with the Go runtime and
// process collectors and duo_kazoo_build_info, in a fresh registry.
func New(opts Options) *Metrics {
	m := &Metrics{
		reg:          prometheus.NewRegistry(),
		HTTP:         newHTTP(),
		AMQP:         newAMQP(),
		SecondFactor: newSecondFactor(),
		Duo:          newDuo(),
		Couch:        newCouch(),
		Cache:        newCache(),
		Pushes:       newPushes(),
		Lockouts:     newLockouts(),
	}
	for _, cs := range [][]prometheus.Collector{
		m.HTTP.collectors(), m.AMQP.collectors(), m.SecondFactor.collectors(),
		m.Duo.collectors(), m.Couch.collectors(), m.Cache.collectors(),
		m.Pushes.collectors(), m.Lockouts.collectors(),
	} {
		m.reg.MustRegister(cs...)
	}
	m.reg.MustRegister(buildInfo(opts))
	if !opts.NoProcessMetrics {
		m.reg.MustRegister(collectors.NewGoCollector(),
			collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	return m
}

// Discard returns a Metrics whose recorders are all nil: every call on
// them does nothing, and its Handler serves an empty exposition.
func Discard() *Metrics { return &Metrics{} }

// Registry returns the registry, to register more collectors or gather in
// tests; nil for Discard.
func (m *Metrics) Registry() *prometheus.Registry {
	if m == nil {
		return nil
	}
	return m.reg
}

// Handler serves the registry in the Prometheus exposition format. It
// needs no auth and reveals only counts, durations and the build version.
func (m *Metrics) Handler() http.Handler {
	if m == nil || m.reg == nil {
		return promhttp.HandlerFor(prometheus.NewRegistry(), promhttp.HandlerOpts{})
	}
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{
		Registry:          m.reg,
		EnableOpenMetrics: true,
	})
}

func buildInfo(opts Options) prometheus.Collector {
	or := func(s string) string {
		if s == "" {
			return "unknown"
		}
		return s
	}
	g := prometheus.NewGauge(prometheus.GaugeOpts{
		Namespace: namespace, Name: "build_info",
		Help: "Always 1; the labels name the running build.",
		ConstLabels: prometheus.Labels{
			"version": or(opts.Version), "commit": or(opts.Commit),
			"go_version": runtime.Version(),
		},
	})
	g.Set(1)
	return g
}
