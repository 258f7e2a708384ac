package universal

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// MinStateKeyLen is the shortest key a StateCodec accepts.
const MinStateKeyLen = 32

const stateVersion = "s1"

// StateClaims is what a state issued by StateCodec proves.
type StateClaims struct {
	// Username is the Duo username the flow was started for.
	Username string
	// ConfigID names the configuration (application) that started it.
	ConfigID string
	// ID is random and unique to the state: the key to give a ReplayGuard,
	// and a suitable OpenID nonce (AuthorizeURLNonce / ExchangeNonce).
	ID string
	// IssuedAt and ExpiresAt bound the state's life (whole seconds).
	IssuedAt, ExpiresAt time.Time
}

// statePayload is the signed content, with short keys to keep states short.
type statePayload struct {
	Username string `json:"u"`
	ConfigID string `json:"c"`
	ID       string `json:"n"`
	Issued   int64  `json:"i"`
	Expires  int64  `json:"e"`
}

// StateCodec issues and opens tamper-proof, expiring states bound to a user
// and a configuration, so that any replica holding the same key can check a
// state another replica issued, without shared storage. It does not make a
// state single-use: pair it with a ReplayGuard (see Redeem).
//
// A state is "s1.<base64url JSON>.<base64url HMAC-SHA256>", URL-safe. Its
// content is signed, not encrypted: the username is readable by whoever
// holds the state (the user's own browser, and Duo).
type StateCodec struct {
	keys [][]byte
}

// NewStateCodec returns a codec signing with key and also accepting states
// signed with any of previous (for key rotation). Every key must have at
// least MinStateKeyLen bytes, else ErrInvalidConfig. The keys are copied.
func NewStateCodec(key []byte, previous ...[]byte) (*StateCodec, error) {
	c := &StateCodec{}
	for i, k := range append([][]byte{key}, previous...) {
		if len(k) < MinStateKeyLen {
			return nil, fmt.Errorf("%w: state key %d shorter than %d bytes",
				ErrInvalidConfig, i, MinStateKeyLen)
		}
		c.keys = append(c.keys, append([]byte(nil), k...))
	}
	return c, nil
}

// Issue returns a state for username and configID valid for ttl from now,
// and the claims it carries (whose ID is the nonce to pass to
// AuthorizeURLNonce). An empty username, a ttl under a second or a state
// longer than Duo's 1024 characters (a very long username) is
// ErrInvalidInput.
func (c *StateCodec) Issue(username, configID string, ttl time.Duration,
	now time.Time) (string, StateClaims, error) {
	if username == "" || ttl < time.Second {
		return "", StateClaims{}, fmt.Errorf(
			"issuing state: %w: empty username or ttl under 1s", ErrInvalidInput)
	}
	p := statePayload{
		Username: username,
		ConfigID: configID,
		ID:       rand.Text(),
		Issued:   now.Unix(),
		Expires:  now.Add(ttl).Unix(),
	}
	raw, err := json.Marshal(p)
	if err != nil {
		return "", StateClaims{}, fmt.Errorf("issuing state: %w", err)
	}

	signed := stateVersion + "." + base64.RawURLEncoding.EncodeToString(raw)
	state := signed + "." + base64.RawURLEncoding.EncodeToString(c.mac(c.keys[0], signed))
	if len(state) > MaxStateLen {
		return "", StateClaims{}, fmt.Errorf("issuing state: %w: state over %d characters",
			ErrInvalidInput, MaxStateLen)
	}
	return state, p.claims(), nil
}

// Open checks a state's signature and expiry at now and returns its claims.
// A state not signed by one of the codec's keys, or altered, is
// ErrStateInvalid; a genuine one at or past its expiry is ErrStateExpired.
// Open does not consume the state; Redeem does.
func (c *StateCodec) Open(state string, now time.Time) (StateClaims, error) {
	version, rest, _ := strings.Cut(state, ".")
	body, sigText, ok := strings.Cut(rest, ".")
	if version != stateVersion || !ok || len(state) > MaxStateLen {
		return StateClaims{}, ErrStateInvalid
	}
	sig, err := base64.RawURLEncoding.Strict().DecodeString(sigText)
	if err != nil {
		return StateClaims{}, ErrStateInvalid
	}
	signed := state[:len(version)+1+len(body)]
	if !c.verify(signed, sig) {
		return StateClaims{}, ErrStateInvalid
	}

	raw, err := base64.RawURLEncoding.Strict().DecodeString(body)
	if err != nil {
		return StateClaims{}, ErrStateInvalid
	}
	var p statePayload
	if err := json.Unmarshal(raw, &p); err != nil || p.Username == "" || p.ID == "" {
		return StateClaims{}, ErrStateInvalid
	}
	if now.Unix() >= p.Expires {
		return StateClaims{}, ErrStateExpired
	}
	return p.claims(), nil
}

func (p *statePayload) claims() StateClaims {
	return StateClaims{
		Username:  p.Username,
		ConfigID:  p.ConfigID,
		ID:        p.ID,
		IssuedAt:  time.Unix(p.Issued, 0),
		ExpiresAt: time.Unix(p.Expires, 0),
	}
}

// Redeem opens state and consumes its ID with guard, so that the state
// verifies once across all replicas sharing the guard's store. Besides
// Open's errors it returns the guard's: ErrReplayed for a second use, or
// the store's failure (which the caller must treat as a denial).
func (c *StateCodec) Redeem(ctx context.Context, guard ReplayGuard, state string,
	now time.Time) (StateClaims, error) {
	claims, err := c.Open(state, now)
	if err != nil {
		return StateClaims{}, err
	}
	if err := guard.Consume(ctx, "duo_state:"+claims.ID, claims.ExpiresAt); err != nil {
		return StateClaims{}, fmt.Errorf("consuming state: %w", err)
	}
	return claims, nil
}

func (c *StateCodec) mac(key []byte, signed string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(signed))
	return m.Sum(nil)
}

func (c *StateCodec) verify(signed string, sig []byte) bool {
	ok := false
	for _, k := range c.keys {
		if hmac.Equal(c.mac(k, signed), sig) {
			ok = true
		}
	}
	return ok
}

// ReplayGuard makes a value single-use across every replica of a service.
//
// Consume records key as used until expires. It returns nil the first time
// a key is consumed and an error matching ErrReplayed on every later call
// before expires; after expires the record may be forgotten (the value it
// protects has expired by then). Any other error means the guard could not
// decide, and the caller must deny.
//
// Implementations must be atomic across replicas: two concurrent Consume
// calls for one key, on any replicas, must not both return nil. A CouchDB
// document create with a fixed _id (the second create answers 409 Conflict)
// is such an implementation; a read-then-write is not.
type ReplayGuard interface {
	Consume(ctx context.Context, key string, expires time.Time) error
}
