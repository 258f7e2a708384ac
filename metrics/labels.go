package metrics

import (
	"sync"

	"github.com/prometheus/client_golang/prometheus"
)

// Placeholder label values.
const (
	valueNone    = "none"    // the caller passed ""
	valueOther   = "other"   // the label has seen its maximum of values
	valueInvalid = "invalid" // too long or with characters outside the set
)

// maxValueLen bounds a label value's length in bytes.
const maxValueLen = 96

// Distinct values allowed per label.
const (
	limitDefault = 32
	limitReason  = 64
	limitRoute   = 128
)

// guard bounds the values of one label: it admits up to limit distinct
// well-formed values and maps the rest to a placeholder.
type guard struct {
	limit int
	mu    sync.RWMutex
	seen  map[string]struct{}
}

func newGuard(limit int) *guard {
	return &guard{limit: limit, seen: make(map[string]struct{}, limit)}
}

// value returns v, or the placeholder to record instead.
func (g *guard) value(v string) string {
	if v == "" {
		return valueNone
	}
	if !wellFormed(v) {
		return valueInvalid
	}
	g.mu.RLock()
	_, ok := g.seen[v]
	g.mu.RUnlock()
	if ok {
		return v
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if _, ok := g.seen[v]; ok {
		return v
	}
	if len(g.seen) >= g.limit {
		return valueOther
	}
	g.seen[v] = struct{}{}
	return v
}

// wellFormed reports whether v is short and made of the characters route
// templates and codes use. It also keeps invalid UTF-8, which the client
// library rejects with a panic, out of the registry.
func wellFormed(v string) bool {
	if len(v) > maxValueLen {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c == '_', c == '.', c == '/', c == ':', c == '{', c == '}', c == '-':
		default:
			return false
		}
	}
	return true
}

// labels is a tuple of up to four label values, usable as a map key.
type labels [4]string

// counterVec is a CounterVec whose children are found by bounded label
// values and cached, so the hot path is one map read.
type counterVec struct {
	vec    *prometheus.CounterVec
	guards []*guard
	mu     sync.RWMutex
	cache  map[labels]prometheus.Counter
}

func newCounterVec(opts prometheus.CounterOpts, names []string, limits []int) *counterVec {
	return &counterVec{
		vec:    prometheus.NewCounterVec(opts, names),
		guards: guardsFor(limits),
		cache:  map[labels]prometheus.Counter{},
	}
}

func (c *counterVec) with(l labels) prometheus.Counter {
	c.mu.RLock()
	ctr, ok := c.cache[l]
	c.mu.RUnlock()
	if ok {
		return ctr
	}
	values, cacheable := bounded(c.guards, l)
	ctr = c.vec.WithLabelValues(values...)
	if cacheable {
		c.mu.Lock()
		c.cache[l] = ctr
		c.mu.Unlock()
	}
	return ctr
}

// histogramVec is the histogram counterpart of counterVec.
type histogramVec struct {
	vec    *prometheus.HistogramVec
	guards []*guard
	mu     sync.RWMutex
	cache  map[labels]prometheus.Observer
}

func newHistogramVec(opts prometheus.HistogramOpts, names []string,
	limits []int) *histogramVec {
	return &histogramVec{
		vec:    prometheus.NewHistogramVec(opts, names),
		guards: guardsFor(limits),
		cache:  map[labels]prometheus.Observer{},
	}
}

func (h *histogramVec) with(l labels) prometheus.Observer {
	h.mu.RLock()
	o, ok := h.cache[l]
	h.mu.RUnlock()
	if ok {
		return o
	}
	values, cacheable := bounded(h.guards, l)
	o = h.vec.WithLabelValues(values...)
	if cacheable {
		h.mu.Lock()
		h.cache[l] = o
		h.mu.Unlock()
	}
	return o
}

func guardsFor(limits []int) []*guard {
	gs := make([]*guard, len(limits))
	for i, n := range limits {
		gs[i] = newGuard(n)
	}
	return gs
}

// bounded returns the label values to record for l. cacheable is false
// when a value was replaced by "other" or "invalid": such tuples are not
// cached, so the cache holds at most the admitted combinations however
// many distinct values callers send.
func bounded(gs []*guard, l labels) (values []string, cacheable bool) {
	values = make([]string, len(gs))
	cacheable = true
	for i, g := range gs {
		values[i] = g.value(l[i])
		if values[i] != l[i] && l[i] != "" {
			cacheable = false
		}
	}
	return values, cacheable
}
