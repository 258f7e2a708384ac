package duosim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"
)

// Seed is what a simulator starts with, as read from a JSON seed file:
//
//	{
//	  "integrations": [{"ikey": "DIXXXXXXXXXXXXXXXXXX", "skey": "..."}],
//	  "universal_clients": [{"client_id": "...", "client_secret": "..."}],
//	  "users": {
//	    "alice": {"behavior": "approve"},
//	    "bob":   {"behavior": "approve_after", "delay": "5s"},
//	    "carol": {"behavior": "manual", "passcodes": ["123456"]}
//	  }
//	}
//
// Behaviors are spelled as the Behavior constants; "delay" is a Go
// duration; "devices" (optional) lists Device objects as preauth shows
// them.
type Seed struct {
	Integrations     []SeedIntegration   `json:"integrations"`
	UniversalClients []SeedClient        `json:"universal_clients"`
	Users            map[string]SeedUser `json:"users"`
}

// SeedIntegration is an Auth API / Web SDK application of a Seed.
type SeedIntegration struct {
	IKey string `json:"ikey"`
	SKey string `json:"skey"`
}

// SeedClient is a Universal Prompt application of a Seed.
type SeedClient struct {
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
}

// SeedUser is a scripted user of a Seed; see User.
type SeedUser struct {
	Behavior  Behavior `json:"behavior"`
	Delay     string   `json:"delay,omitempty"`
	Devices   []Device `json:"devices,omitempty"`
	Passcodes []string `json:"passcodes,omitempty"`
}

// ErrInvalidSeed reports a seed that cannot be applied.
var ErrInvalidSeed = errors.New("duosim: invalid seed")

// ParseSeed reads and validates a JSON seed. Unknown fields are errors,
// so that a typo does not silently script nothing.
func ParseSeed(data []byte) (Seed, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var seed Seed
	if err := dec.Decode(&seed); err != nil {
		return Seed{}, fmt.Errorf("%w: %w", ErrInvalidSeed, err)
	}
	if _, err := seed.users(); err != nil {
		return Seed{}, err
	}
	for i, in := range seed.Integrations {
		if in.IKey == "" || in.SKey == "" {
			return Seed{}, fmt.Errorf("%w: integration %d: ikey and skey required",
				ErrInvalidSeed, i)
		}
	}
	for i, c := range seed.UniversalClients {
		if c.ClientID == "" || c.ClientSecret == "" {
			return Seed{}, fmt.Errorf(
				"%w: universal client %d: client_id and client_secret required",
				ErrInvalidSeed, i)
		}
	}
	return seed, nil
}

// LoadSeed reads a JSON seed file; see ParseSeed.
func LoadSeed(path string) (Seed, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Seed{}, fmt.Errorf("reading seed: %w", err)
	}
	seed, err := ParseSeed(data)
	if err != nil {
		return Seed{}, fmt.Errorf("reading seed %s: %w", path, err)
	}
	return seed, nil
}

func (seed Seed) users() (map[string]User, error) {
	out := make(map[string]User, len(seed.Users))
	for name, su := range seed.Users {
		u := User{Behavior: su.Behavior, Devices: su.Devices, Passcodes: su.Passcodes}
		if u.Behavior == "" {
			u.Behavior = Approve
		}
		if !u.Behavior.Valid() {
			return nil, fmt.Errorf("%w: user %q: unknown behavior %q",
				ErrInvalidSeed, name, su.Behavior)
		}
		if su.Delay != "" {
			d, err := time.ParseDuration(su.Delay)
			if err != nil || d < 0 {
				return nil, fmt.Errorf("%w: user %q: bad delay %q", ErrInvalidSeed, name, su.Delay)
			}
			u.Delay = d
		}
		out[name] = u
	}
	return out, nil
}

// Apply adds the seed's integrations, clients and users to the server.
func (s *Server) Apply(seed Seed) error {
	users, err := seed.users()
	if err != nil {
		return err
	}
	for _, in := range seed.Integrations {
		s.AddIntegration(in.IKey, in.SKey)
	}
	for _, c := range seed.UniversalClients {
		s.AddUniversalClient(c.ClientID, c.ClientSecret)
	}
	for name, u := range users {
		s.SetUser(name, u)
	}
	return nil
}

// Demo keys of DemoSeed. They are public test values: never configure them
// against real Duo.
const (
	DemoIKey         = "DIDEMOSIMULATOR00001"
	DemoSKey         = "demo-secret-key-for-duosim-only-00000001"
	DemoClientID     = "DIDEMOUNIVERSAL00001"
	DemoClientSecret = "demo-client-secret-for-duosim-only-00001"
)

// DemoSeed returns a seed for demos: one integration (DemoIKey, DemoSKey),
// one Universal Prompt client (DemoClientID, DemoClientSecret), and users
// named after their behavior: "approve", "approve_after" (3 s), "deny",
// "fraud", "timeout" (10 s), "bypass", "locked_out", "not_enrolled",
// "manual" (passcode 123456), plus "alice" (approve).
func DemoSeed() Seed {
	users := map[string]SeedUser{"alice": {Behavior: Approve}}
	for _, b := range []Behavior{Approve, Deny, Fraud, Bypass, LockedOut, NotEnrolled} {
		users[string(b)] = SeedUser{Behavior: b}
	}
	users[string(ApproveAfter)] = SeedUser{Behavior: ApproveAfter, Delay: "3s"}
	users[string(Timeout)] = SeedUser{Behavior: Timeout, Delay: "10s"}
	users[string(Manual)] = SeedUser{Behavior: Manual, Passcodes: []string{"123456"}}
	return Seed{
		Integrations:     []SeedIntegration{{IKey: DemoIKey, SKey: DemoSKey}},
		UniversalClients: []SeedClient{{ClientID: DemoClientID, ClientSecret: DemoClientSecret}},
		Users:            users,
	}
}
