package universal

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/duo-kazoo/duo-kazoo/duo/failmode"
	"github.com/duo-kazoo/duo-kazoo/duosim"
)

// TestSimHealthClock: CheckHealth returns Duo's clock whether Duo accepts
// the client (ServerTime) or refuses its assertion (DuoError.ServerTime),
// so that a caller can tell a clock off Duo's from bad credentials.
func TestSimHealthClock(t *testing.T) {
	tests := []struct {
		name     string
		shift    time.Duration // of the simulator's clock
		rejected bool
	}{
		{"same clock", 0, false},
		{"duo ten minutes behind: assertion still valid", -10 * time.Minute, false},
		{"duo ten minutes ahead: assertion expired", 10 * time.Minute, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sim := duosim.New(duosim.Options{Now: func() time.Time {
				return time.Now().Add(tt.shift)
			}})
			sim.AddUniversalClient(simClientID, simSecret)
			if err := sim.Start(); err != nil {
				t.Fatal(err)
			}
			defer func() {
				if err := sim.Close(); err != nil {
					t.Errorf("closing simulator: %v", err)
				}
			}()

			h, err := simClient(t, sim, simSecret).CheckHealth(context.Background())
			serverTime := h.ServerTime
			var duoErr *DuoError
			switch {
			case !tt.rejected && err != nil:
				t.Fatalf("CheckHealth: %v", err)
			case tt.rejected && !errors.As(err, &duoErr):
				t.Fatalf("CheckHealth: got %v, want a DuoError", err)
			case tt.rejected:
				if Classify(err) != failmode.BadConfig || duoErr.Message != "invalid_client" {
					t.Errorf("refusal %v: want invalid_client, BadConfig", err)
				}
				serverTime = duoErr.ServerTime
			}
			if skew := time.Until(serverTime); skew < tt.shift-time.Minute ||
				skew > tt.shift+time.Minute {
				t.Errorf("Duo's clock: got %v off ours, want about %v", skew, tt.shift)
			}
		})
	}
}
