package kazooauth

import "time"

// VerifierOptions configure a Verifier. The zero value is ready to use:
// every zero field takes the default stated beside it.
type VerifierOptions struct {
	// Now is the clock for exp checks and the key cache. Default time.Now.
	Now func() time.Time

	// KeyCacheTTL is how long a signing key read from system_auth is used
	// before it is read again. Default 10 minutes. A key reset under the
	// same kid is picked up sooner: a signature that fails with the cached
	// key triggers one re-read (at most once per KeyRetryInterval).
	KeyCacheTTL time.Duration

	// KeyRetryInterval is the minimum time between two store reads for one
	// kid: an unknown kid is remembered this long, and a key whose re-read
	// failed keeps being served this long before the next try. Default 5s.
	KeyRetryInterval time.Duration

	// KeyLookupsPerSecond and KeyLookupBurst bound store reads for kids
	// that have no cached key (a token bucket shared by all such kids).
	// Beyond it Verify answers ErrUnknownKey without reading the store,
	// except for the kid KAZOO currently signs with (system_config/auth
	// default.system_key, read through Store.CurrentKeyID at most once a
	// second while the bucket is empty): a flood of invented kids cannot
	// lock out a freshly rotated key for longer than that second. Kids
	// that have had a key are never limited. Defaults 2 per second,
	// burst 10.
	KeyLookupsPerSecond float64
	KeyLookupBurst      int

	// AllowNoExpiry accepts tokens without exp, which KAZOO mints when
	// crossbar's token_auth_expiry is 0 or less. Default false: such
	// tokens never expire, so they are refused as ErrMalformed.
	AllowNoExpiry bool
}

// Defaults of VerifierOptions.
const (
	DefaultKeyCacheTTL         = 10 * time.Minute
	DefaultKeyRetryInterval    = 5 * time.Second
	DefaultKeyLookupsPerSecond = 2
	DefaultKeyLookupBurst      = 10
)

func (o VerifierOptions) withDefaults() VerifierOptions {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.KeyCacheTTL <= 0 {
		o.KeyCacheTTL = DefaultKeyCacheTTL
	}
	if o.KeyRetryInterval <= 0 {
		o.KeyRetryInterval = DefaultKeyRetryInterval
	}
	if o.KeyLookupsPerSecond <= 0 {
		o.KeyLookupsPerSecond = DefaultKeyLookupsPerSecond
	}
	if o.KeyLookupBurst <= 0 {
		o.KeyLookupBurst = DefaultKeyLookupBurst
	}
	return o
}
