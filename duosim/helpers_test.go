package duosim_test

import (
	"net/url"
	"testing"
	"time"

	duoapi "github.com/duosecurity/duo_api_golang"
	"github.com/duosecurity/duo_api_golang/authapi"
	"go.uber.org/goleak"

	"github.com/duo-kazoo/duo-kazoo/duosim"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// Keys of the test integration and Universal Prompt client, with Duo's
// lengths (20 and 40).
const (
	testIKey     = "DIWJ8X6AEYOR5OMC6TQ1"
	testSKey     = "Zh5eGmUq9zpfQnyUIu5OL9iWoMMv5ZNmk3zLJ4Ep"
	testClientID = "DIUNIVERSALCLIENT001"
	testSecret   = "UniversalClientSecretForDuosimTests00001"
)

// newSim starts a simulator with the test integration and client, closed
// when the test ends.
func newSim(t *testing.T, opts duosim.Options) *duosim.Server {
	t.Helper()
	if opts.StatusHold == 0 {
		opts.StatusHold = 5 * time.Second
	}
	sim := duosim.New(opts)
	sim.AddIntegration(testIKey, testSKey)
	sim.AddUniversalClient(testClientID, testSecret)
	if err := sim.Start(); err != nil {
		t.Fatalf("starting simulator: %v", err)
	}
	t.Cleanup(func() {
		if err := sim.Close(); err != nil {
			t.Errorf("closing simulator: %v", err)
		}
	})
	return sim
}

// official returns Duo's official Auth API client for the simulator,
// trusting only the simulator's CA (TLS verification stays on).
func official(t *testing.T, sim *duosim.Server, skey string) *authapi.AuthApi {
	t.Helper()
	api := duoapi.NewDuoApi(testIKey, skey, sim.Host(), "duosim-test",
		duoapi.SetTimeout(10*time.Second))
	api.SetCustomHTTPClient(sim.HTTPClient())
	return authapi.NewAuthApi(*api)
}

func code(r duoapi.StatResult) int {
	if r.Code == nil {
		return 0
	}
	return int(*r.Code)
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// lastRequest returns the last log entry for path.
func lastRequest(t *testing.T, sim *duosim.Server, path string) duosim.Request {
	t.Helper()
	reqs := sim.Requests()
	for i := len(reqs) - 1; i >= 0; i-- {
		if reqs[i].Path == path {
			return reqs[i]
		}
	}
	t.Fatalf("no request for %s in the log", path)
	return duosim.Request{}
}

func values(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}
