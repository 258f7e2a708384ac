package metrics

import "github.com/prometheus/client_golang/prometheus"

// Cache counts read-cache lookups: duo_kazoo_cache_lookups_total{cache,
// result} with result "hit" or "miss".
type Cache struct {
	lookups *counterVec
}

func newCache() *Cache {
	return &Cache{lookups: newCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Name: "cache_lookups_total",
		Help: "Read-cache lookups by cache name and result (hit, miss).",
	}, []string{"cache", "result"}, []int{limitDefault, limitDefault})}
}

func (c *Cache) collectors() []prometheus.Collector {
	return []prometheus.Collector{c.lookups.vec}
}

// Observe counts one lookup of the named cache ("couch_docs",
// "auth_keys", ...): a hit or a miss.
func (c *Cache) Observe(cache string, hit bool) {
	if c == nil {
		return
	}
	result := "miss"
	if hit {
		result = "hit"
	}
	c.lookups.with(labels{cache, result}).Inc()
}
