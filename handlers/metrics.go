package handlers

import (
	"net/http"
	"time"

	"github.com/gorilla/mux"
)

// HTTPMetrics records each answered request by route template, method
// and status; *metrics.HTTP implements it. route is "" for requests that
// matched no route.
type HTTPMetrics interface {
	Observe(route, method string, status int, d time.Duration)
}

// measure records the request in Deps.Metrics. It runs inside observe,
// whose statusWriter already tracks the status, and labels the request by
// the matched route's template, never by the raw path (which holds
// account and document ids). Without Deps.Metrics it adds nothing to the
// chain.
func (s *Server) measure(next http.Handler) http.Handler {
	if s.deps.Metrics == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw, ok := w.(*statusWriter)
		if !ok {
			sw = &statusWriter{ResponseWriter: w}
		}
		finished := false
		defer func() {
			status := sw.status
			if !finished && status == 0 {
				// The handler panicked before writing: observe answers 500.
				status = http.StatusInternalServerError
			}
			s.deps.Metrics.Observe(routeTemplate(r), r.Method, status, time.Since(start))
		}()
		next.ServeHTTP(sw, r)
		finished = true
	})
}

// routeTemplate returns the path template of the route that matched r, or
// "" when none did.
func routeTemplate(r *http.Request) string {
	route := mux.CurrentRoute(r)
	if route == nil {
		return ""
	}
	tpl, err := route.GetPathTemplate()
	if err != nil {
		return ""
	}
	return tpl
}
