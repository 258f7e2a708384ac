package duosim_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/duo-kazoo/duo-kazoo/duosim"
)

// get sends an unsigned GET to path and discards the answer.
func get(t *testing.T, sim *duosim.Server, path string) {
	t.Helper()
	resp, err := sim.HTTPClient().Get(sim.URL() + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	_ = resp.Body.Close()
}

func loggedPaths(sim *duosim.Server) []string {
	var out []string
	for _, r := range sim.Requests() {
		out = append(out, r.Path)
	}
	return out
}

func TestLogKeepsTheLastMaxLog(t *testing.T) {
	sim := newSim(t, duosim.Options{MaxLog: 3})
	for i := 1; i <= 5; i++ {
		get(t, sim, fmt.Sprintf("/x%d", i))
	}
	if got, want := loggedPaths(sim), []string{"/x3", "/x4", "/x5"}; !slices.Equal(got, want) {
		t.Errorf("log: got %v, want %v (oldest dropped)", got, want)
	}

	sim.ResetLog()
	get(t, sim, "/y")
	if got := loggedPaths(sim); !slices.Equal(got, []string{"/y"}) {
		t.Errorf("log after reset: got %v, want [/y]", got)
	}
}

func TestLogDisabled(t *testing.T) {
	sim := newSim(t, duosim.Options{MaxLog: -1})
	get(t, sim, "/auth/v2/ping")
	if n := len(sim.Requests()); n != 0 {
		t.Errorf("log with MaxLog -1: got %d entries, want none", n)
	}
}
