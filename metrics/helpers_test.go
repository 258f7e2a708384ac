package metrics_test

import (
	"testing"

	dto "github.com/prometheus/client_model/go"

	"github.com/duo-kazoo/duo-kazoo/metrics"
)

// series returns the value of the series of family name whose labels
// include want: a counter's or gauge's value, a histogram's sample count.
// ok is false when there is no such series.
func series(t *testing.T, m *metrics.Metrics, name string, want map[string]string) (
	float64, bool) {
	t.Helper()
	fams, err := m.Registry().Gather()
	if err != nil {
		t.Fatalf("gather: %v", err)
	}
	for _, f := range fams {
		if f.GetName() != name {
			continue
		}
		for _, s := range f.GetMetric() {
			if !hasLabels(s, want) {
				continue
			}
			switch {
			case s.Counter != nil:
				return s.Counter.GetValue(), true
			case s.Gauge != nil:
				return s.Gauge.GetValue(), true
			case s.Histogram != nil:
				return float64(s.Histogram.GetSampleCount()), true
			}
		}
	}
	return 0, false
}

func hasLabels(s *dto.Metric, want map[string]string) bool {
	got := map[string]string{}
	for _, l := range s.GetLabel() {
		got[l.GetName()] = l.GetValue()
	}
	for k, v := range want {
		if got[k] != v {
			return false
		}
	}
	return true
}

// seriesCount returns how many series family name has.
func seriesCount(t *testing.T, m *metrics.Metrics, name string) int {
	t.Helper()
	fams, err := m.Registry().Gather()
	if err != nil {
		t.Fatalf("gather: %v", err)
	}
	for _, f := range fams {
		if f.GetName() == name {
			return len(f.GetMetric())
		}
	}
	return 0
}

func newMetrics() *metrics.Metrics {
	return metrics.New(metrics.Options{Version: "1.2.3", Commit: "abc", NoProcessMetrics: true})
}
