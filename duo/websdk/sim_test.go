package websdk_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/duo-kazoo/duo-kazoo/duo/websdk"
	"github.com/duo-kazoo/duo-kazoo/duosim"
)

// Integration tests of the Web SDK round trip through the Duo simulator's
// frame, on real time.

const (
	simIKey = "DIWEBSDKKAZOO0000001"
	simSKey = "SimulatedWebSDKSecretKeyForKazooTests001"
	simAKey = "ApplicationSecretKeyOfAtLeastFortyCharacters"
	parent  = "https://kazoo.example.com/login"
)

func startSim(t *testing.T) *duosim.Server {
	t.Helper()
	sim := duosim.New(duosim.Options{})
	sim.AddIntegration(simIKey, simSKey)
	sim.SetUser("alice", duosim.User{Behavior: duosim.Approve})
	sim.SetUser("bob", duosim.User{Behavior: duosim.Approve})
	sim.SetUser("carol", duosim.User{Behavior: duosim.Deny})
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

// frame asks the simulator's frame for the Duo part of sigRequest, as the
// browser's iframe would, and returns Duo's result and signed cookie.
func frame(t *testing.T, sim *duosim.Server, sigRequest string) (result, cookie string) {
	t.Helper()
	duoPart, _, err := websdk.ParseRequest(sigRequest)
	if err != nil {
		t.Fatalf("ParseRequest: %v", err)
	}
	resp, err := sim.HTTPClient().Get(websdk.AuthFrameURL(sim.Host(), duoPart, parent) +
		"&format=json")
	if err != nil {
		t.Fatalf("opening the frame: %v", err)
	}
	defer func() { _ = resp.Body.Close() }()
	var env struct {
		Stat     string `json:"stat"`
		Response struct {
			Result string `json:"result"`
			Cookie string `json:"cookie"`
		} `json:"response"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil || env.Stat != "OK" {
		t.Fatalf("frame answered HTTP %d, stat %q, error %v", resp.StatusCode, env.Stat, err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("frame answered HTTP %d", resp.StatusCode)
	}
	return env.Response.Result, env.Response.Cookie
}

func appPart(t *testing.T, sigRequest string) string {
	t.Helper()
	_, app, err := websdk.ParseRequest(sigRequest)
	if err != nil {
		t.Fatal(err)
	}
	return app
}

func TestSimFrameRoundTrip(t *testing.T) {
	sim := startSim(t)
	tests := []struct {
		name   string
		user   string
		enroll bool
		result string
	}{
		{"approved", "alice", false, "allow"},
		{"denied", "carol", false, "deny"},
		{"enrollment", "bob", true, "allow"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sign, verify := websdk.SignRequest, websdk.VerifyResponse
			if tt.enroll {
				sign, verify = websdk.SignEnrollRequest, websdk.VerifyEnrollResponse
			}
			req, err := sign(simIKey, simSKey, simAKey, tt.user, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			result, cookie := frame(t, sim, req)
			if result != tt.result {
				t.Fatalf("frame result = %q, want %q", result, tt.result)
			}
			if tt.result != "allow" {
				if cookie != "" {
					t.Errorf("denied user got a cookie %q", cookie)
				}
				return
			}
			got, err := verify(simIKey, simSKey, simAKey, cookie+":"+appPart(t, req), time.Now())
			if err != nil || got != tt.user {
				t.Errorf("verify = %q, %v; want %q", got, err, tt.user)
			}
		})
	}
}

func TestSimFrameForgeries(t *testing.T) {
	sim := startSim(t)
	now := time.Now()
	aliceReq, _ := websdk.SignRequest(simIKey, simSKey, simAKey, "alice", now)
	bobReq, _ := websdk.SignRequest(simIKey, simSKey, simAKey, "bob", now)
	_, bobCookie := frame(t, sim, bobReq)

	// Bob's approval pasted into Alice's login.
	_, err := websdk.VerifyResponse(simIKey, simSKey, simAKey,
		bobCookie+":"+appPart(t, aliceReq), now)
	if !errors.Is(err, websdk.ErrUserMismatch) {
		t.Errorf("swapped cookie: error = %v, want ErrUserMismatch", err)
	}
	// Duo's approval replayed after it expired.
	_, err = websdk.VerifyResponse(simIKey, simSKey, simAKey,
		bobCookie+":"+appPart(t, bobReq), now.Add(websdk.DefaultDuoExpire+time.Second))
	if !errors.Is(err, websdk.ErrExpired) {
		t.Errorf("late cookie: error = %v, want ErrExpired", err)
	}
	// A TX part signed with another secret key is refused by the frame.
	forged, _ := websdk.SignRequest(simIKey, "ForgedSecretKeyForgedSecretKeyForged0000",
		simAKey, "alice", now)
	duoPart, _, _ := websdk.ParseRequest(forged)
	resp, err := sim.HTTPClient().Get(websdk.AuthFrameURL(sim.Host(), duoPart, parent) +
		"&format=json")
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("forged tx: frame answered HTTP %d, want 400", resp.StatusCode)
	}
}
