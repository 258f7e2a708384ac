package provider

// Limits enforced by Validate. Lengths count characters.
const (
	NameMaxLength = 128 // name: 1..128 characters

	IntegrationKeyLength = 20 // integration_key: exactly, as Duo issues them
	SecretKeyLength      = 40 // secret_key: exactly
	ClientIDLength       = 20 // client_id: exactly
	ClientSecretLength   = 40 // client_secret: exactly

	// application_secret_key: chosen by the customer; Duo needs >= 40.
	ApplicationSecretKeyMinLength = 40
	ApplicationSecretKeyMaxLength = 512

	HostnameMaxLength    = 253  // api_hostname, without the port
	RedirectURIMaxLength = 2048 // redirect_uri

	DuoExpireMin   = 60        // duo_expire, seconds
	DuoExpireMax   = 3600      // duo_expire, seconds
	AppExpireMin   = 60        // app_expire, seconds
	AppExpireMax   = 86400     // app_expire, seconds
	MaxFailuresMin = 1         // lockout.max_failures
	MaxFailuresMax = 100       // lockout.max_failures
	WindowMin      = 60        // lockout.window_s
	WindowMax      = 7 * 86400 // lockout.window_s
	DurationMin    = 60        // lockout.duration_s
	DurationMax    = 7 * 86400 // lockout.duration_s
)

// Defaults of optional settings, applied by ParseConfig (and shown by
// DefaultSettings); never written into documents.
const (
	DefaultDuoExpire      = 300
	DefaultAppExpire      = 3600
	DefaultFailmode       = FailmodeSecure
	DefaultUsernameSource = UsernameOwnerID
	DefaultMaxFailures    = 5
	DefaultWindow         = 900
	DefaultDuration       = 900
)

// failmode values.
const (
	FailmodeSecure = "secure" // Duo unreachable: deny
	FailmodeSafe   = "safe"   // Duo unreachable during preflight: allow
)

// username_source values: which KAZOO identity is the Duo username.
const (
	UsernameOwnerID  = "owner_id" // the user's document id, as KAZOO does
	UsernameUsername = "username" // the login name of the request
	UsernameEmail    = "email"    // the user's email address
)

// factors values. An absent factors setting allows them all.
const (
	FactorPush     = "push"
	FactorSMS      = "sms"
	FactorPhone    = "phone"
	FactorPasscode = "passcode"
)

var (
	providerNames   = []string{ProviderDuo, ProviderUniversal}
	failmodes       = []string{FailmodeSecure, FailmodeSafe}
	usernameSources = []string{UsernameOwnerID, UsernameUsername, UsernameEmail}
	allFactors      = []string{FactorPush, FactorSMS, FactorPhone, FactorPasscode}
)

// DefaultFactors returns the factors allowed when a document names none.
func DefaultFactors() []string { return append([]string(nil), allFactors...) }
