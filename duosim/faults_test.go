package duosim_test

import (
	"errors"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/duosecurity/duo_api_golang/authapi"

	"github.com/duo-kazoo/duo-kazoo/duosim"
)

// TestRateLimitOnceThenOK: the official client retries a 429 after about
// a second (plus up to a second of jitter) and then succeeds.
func TestRateLimitOnceThenOK(t *testing.T) {
	sim := newSim(t, duosim.Options{})
	sim.SetFault(duosim.Fault{RateLimit: true, Count: 1, Paths: []string{"/auth/v2/check"}})

	res, err := official(t, sim, testSKey).Check()
	if err != nil || res.Stat != "OK" {
		t.Fatalf("check after one 429: got %+v, %v; want OK", res, err)
	}
	var faults []string
	for _, r := range sim.Requests() {
		faults = append(faults, r.Fault+":"+r.Outcome)
	}
	if len(faults) != 2 || faults[0] != "rate_limit:fault" || faults[1] != ":ok" {
		t.Errorf("log: got %v, want [rate_limit:fault :ok]", faults)
	}
}

// TestOfficialClientRetriesPOSTWithEmptyBody documents a flaw of the
// official client that the simulator exposes: after a 429 it resends a POST
// with the body already consumed, so the retry carries no parameters and
// Duo refuses its signature. duo/authapi therefore does not let the
// official client retry.
func TestOfficialClientRetriesPOSTWithEmptyBody(t *testing.T) {
	sim := newSim(t, duosim.Options{})
	sim.SetUser("alice", duosim.User{})
	sim.SetFault(duosim.Fault{RateLimit: true, Count: 1, Paths: []string{"/auth/v2/preauth"}})

	res, err := official(t, sim, testSKey).Preauth(authapi.PreauthUsername("alice"))
	if err != nil {
		t.Fatalf("preauth: %v", err)
	}
	retry := lastRequest(t, sim, "/auth/v2/preauth")
	if res.Stat != "FAIL" || code(res.StatResult) != duosim.CodeInvalidSig ||
		len(retry.Params) != 0 {
		t.Errorf("retried POST: got stat %q code %d params %v, want FAIL %d with no params",
			res.Stat, code(res.StatResult), retry.Params, duosim.CodeInvalidSig)
	}
}

func TestFaults(t *testing.T) {
	sim := newSim(t, duosim.Options{})
	client := sim.HTTPClient()

	tests := []struct {
		name       string
		fault      duosim.Fault
		path       string
		wantErr    bool
		wantStatus int
		wantBody   string
		wantFault  string
	}{
		{"5xx", duosim.Fault{Status5xx: 503}, "/auth/v2/ping", false, 503,
			`{"stat":"FAIL","code":50300,"message":"Service Unavailable"}`, duosim.FaultStatus},
		{"rate limit", duosim.Fault{RateLimit: true}, "/auth/v2/ping", false, 429,
			`{"stat":"FAIL","code":42901,"message":"Too Many Requests"}`, duosim.FaultRateLimit},
		{"bad json", duosim.Fault{BadJSON: true}, "/auth/v2/ping", false, 200,
			"<html><body>upstream error</body></html>", duosim.FaultBadJSON},
		{"dropped", duosim.Fault{DropConnections: true}, "/auth/v2/ping", true, 0, "",
			duosim.FaultDrop},
		{"latency only", duosim.Fault{Latency: 20 * time.Millisecond}, "/auth/v2/ping", false,
			200, "", duosim.FaultLatency},
		{"other path untouched", duosim.Fault{Status5xx: 500, Paths: []string{"/auth/v2/check"}},
			"/auth/v2/ping", false, 200, "", ""},
		{"prefix path", duosim.Fault{Status5xx: 502, Paths: []string{"/auth/"}},
			"/auth/v2/ping", false, 502, "", duosim.FaultStatus},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sim.SetFault(tt.fault)
			defer sim.ClearFaults()
			sim.ResetLog()

			resp, err := client.Get(sim.URL() + tt.path)
			if gotErr := err != nil; gotErr != tt.wantErr {
				t.Fatalf("error: got %v, want error %v", err, tt.wantErr)
			}
			if err == nil {
				body, _ := io.ReadAll(resp.Body)
				_ = resp.Body.Close()
				if resp.StatusCode != tt.wantStatus {
					t.Errorf("status: got %d, want %d", resp.StatusCode, tt.wantStatus)
				}
				if tt.wantBody != "" && string(body) != tt.wantBody {
					t.Errorf("body: got %s, want %s", body, tt.wantBody)
				}
			}
			if got := lastRequest(t, sim, tt.path).Fault; got != tt.wantFault {
				t.Errorf("logged fault: got %q, want %q", got, tt.wantFault)
			}
		})
	}
}

func TestDroppedConnectionWithOfficialClient(t *testing.T) {
	sim := newSim(t, duosim.Options{})
	sim.SetFault(duosim.Fault{DropConnections: true})
	if _, err := official(t, sim, testSKey).Check(); !errors.Is(err, io.EOF) {
		t.Fatalf("check over a dropped connection: got %v, want an EOF error", err)
	}
}

func TestFaultCountExpires(t *testing.T) {
	sim := newSim(t, duosim.Options{})
	sim.SetFault(duosim.Fault{Status5xx: 500, Count: 2})
	var got []int
	for range 3 {
		resp, err := sim.HTTPClient().Get(sim.URL() + "/auth/v2/ping")
		if err != nil {
			t.Fatalf("ping: %v", err)
		}
		_ = resp.Body.Close()
		got = append(got, resp.StatusCode)
	}
	if got[0] != 500 || got[1] != 500 || got[2] != http.StatusOK {
		t.Errorf("statuses: got %v, want [500 500 200]", got)
	}
}
