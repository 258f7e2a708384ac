package provider

import (
	"fmt"
	"slices"
	"time"

	"github.com/duo-kazoo/duo-kazoo/duo/failmode"
	"github.com/duo-kazoo/duo-kazoo/secrets"
)

// Secret is a secret setting's plaintext. Printing it with fmt (any verb)
// or marshalling it to JSON gives "[redacted]", so a Config can be logged
// by mistake without leaking; Reveal returns the value.
type Secret string

const redacted = "[redacted]"

// Reveal returns the secret's plaintext.
func (s Secret) Reveal() string { return string(s) }

// IsSet reports whether the secret is non-empty.
func (s Secret) IsSet() bool { return s != "" }

// Format writes "[redacted]" whatever the verb.
func (s Secret) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(redacted)) }

// MarshalJSON writes "[redacted]".
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }

// Config is the typed reading of a valid document, defaults applied, for
// running a second factor. Fields of the provider not in use are read when
// present (empty otherwise).
type Config struct {
	ID       string
	Name     string
	Enabled  bool   // false when the document does not say, as in KAZOO
	Provider string // ProviderDuo or ProviderUniversal

	IntegrationKey       string
	SecretKey            Secret
	ApplicationSecretKey Secret
	APIHostname          string        // host[:port]
	DuoExpire            time.Duration // TX part of sig_request; default 300 s
	AppExpire            time.Duration // APP part of sig_request; default 3600 s

	ClientID     string
	ClientSecret Secret
	RedirectURI  string

	Failmode       failmode.Mode // default failmode.Secure
	Factors        []string      // allowed factors; default all four
	UsernameSource string        // default UsernameOwnerID
	Lockout        Lockout
}

// Lockout says when repeated failures lock a user out.
type Lockout struct {
	MaxFailures int           // failures within Window that lock; default 5
	Window      time.Duration // default 900 s
	Duration    time.Duration // how long the lock lasts; default 900 s
}

// ParseConfig reads a document into a Config. The document must have its
// secrets opened (ErrSealed otherwise) and be valid (a *ValidationError,
// matching ErrInvalid, lists the problems; name uniqueness is not checked).
func ParseConfig(d Doc) (Config, error) {
	s := d.Settings()
	for _, f := range secretFields {
		if v, ok := s[f].(string); ok && secrets.IsSealed(v) {
			return Config{}, fmt.Errorf("reading config %s: settings.%s: %w", d.ID(), f, ErrSealed)
		}
	}
	if err := Validate(d, nil).Err(); err != nil {
		return Config{}, fmt.Errorf("reading config %s: %w", d.ID(), err)
	}

	str := func(k string) string { v, _ := s[k].(string); return v }
	c := Config{
		ID:                   d.ID(),
		Name:                 d.Name(),
		Enabled:              d.Enabled(),
		Provider:             d.ProviderName(),
		IntegrationKey:       str("integration_key"),
		SecretKey:            Secret(str(SecretKey)),
		ApplicationSecretKey: Secret(str(ApplicationSecretKey)),
		APIHostname:          str("api_hostname"),
		DuoExpire:            seconds(s["duo_expire"], DefaultDuoExpire),
		AppExpire:            seconds(s["app_expire"], DefaultAppExpire),
		ClientID:             str("client_id"),
		ClientSecret:         Secret(str(ClientSecret)),
		RedirectURI:          str("redirect_uri"),
		Failmode:             failmode.Mode(orDefault(str("failmode"), DefaultFailmode)),
		Factors:              DefaultFactors(),
		UsernameSource:       orDefault(str("username_source"), DefaultUsernameSource),
	}
	if items, ok := asArray(s["factors"]); ok {
		c.Factors = c.Factors[:0]
		for _, it := range items {
			if f, _ := it.(string); !slices.Contains(c.Factors, f) {
				c.Factors = append(c.Factors, f)
			}
		}
	}
	lock, _ := asObject(s["lockout"])
	c.Lockout = Lockout{
		MaxFailures: int(intOr(lock["max_failures"], DefaultMaxFailures)),
		Window:      seconds(lock["window_s"], DefaultWindow),
		Duration:    seconds(lock["duration_s"], DefaultDuration),
	}
	return c, nil
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func intOr(v any, def int64) int64 {
	if n, ok := asInt(v); ok {
		return n
	}
	return def
}

func seconds(v any, def int64) time.Duration {
	return time.Duration(intOr(v, def)) * time.Second
}
