package authapi

import (
	"context"
	"time"
)

// API is the part of Duo's Auth API this project uses. *Client implements
// it against Duo; tests of callers use fakes.
//
// Every method returns a non-nil error exactly when the caller must not
// treat the call as a success; the error is then an *Error whose Class
// says why (see ClassOf). Preauth and Auth also return the answer Duo gave
// when the error is an answer about the user (LockedOut, NotEnrolled,
// UserDenied, Fraud, Timeout, InvalidPasscode), so that messages and
// enrollment links can be shown.
type API interface {
	// Check verifies the credentials and the clock (signed /check).
	Check(ctx context.Context) (CheckResult, error)
	// Preauth asks whether username may and must authenticate. Result
	// "auth" and "allow" return a nil error; "deny" fails with LockedOut,
	// "enroll" with NotEnrolled.
	Preauth(ctx context.Context, username, ipaddr string) (Preauth, error)
	// Auth runs a second factor to its end: passcode and sms in one call,
	// push, phone and auto by StartAuth then Wait. A user without a device
	// for the factor (not enrolled) fails with NotEnrolled.
	Auth(ctx context.Context, req AuthRequest) (AuthResult, error)
	// StartAuth starts an asynchronous authentication and returns its
	// transaction id.
	StartAuth(ctx context.Context, req AuthRequest) (string, error)
	// Wait polls the transaction until Duo answers or ctx ends.
	Wait(ctx context.Context, txid string) (AuthResult, error)
}

// CheckResult is the answer of Check.
type CheckResult struct {
	// ServerTime is Duo's clock.
	ServerTime time.Time
	// Skew is ServerTime minus the local clock when the answer arrived;
	// Duo refuses requests whose date is off by more than 300 s.
	Skew time.Duration
}

// Preauth results.
const (
	PreauthAuth   = "auth"   // a second factor is needed
	PreauthAllow  = "allow"  // a bypass user: no second factor
	PreauthDeny   = "deny"   // locked out or not allowed
	PreauthEnroll = "enroll" // not enrolled
)

// Preauth is Duo's preauth answer.
type Preauth struct {
	// Result is PreauthAuth, PreauthAllow, PreauthDeny or PreauthEnroll.
	Result string
	// StatusMsg is Duo's message for the user.
	StatusMsg string
	// Devices are the user's devices (Result "auth").
	Devices []Device
	// EnrollPortalURL is where the user can enroll (Result "enroll").
	EnrollPortalURL string
}

// Device is one of the user's devices.
type Device struct {
	ID           string   // Duo's device id, for AuthRequest.Device
	Type         string   // "phone", "token", ...
	Name         string   // display name
	Number       string   // masked phone number
	Capabilities []string // among auto, push, sms, phone, mobile_otp
}

// Has reports whether the device has capability c.
func (d Device) Has(c string) bool {
	for _, have := range d.Capabilities {
		if have == c {
			return true
		}
	}
	return false
}

// Factors of AuthRequest.
const (
	FactorAuto     = "auto"
	FactorPush     = "push"
	FactorSMS      = "sms"
	FactorPhone    = "phone"
	FactorPasscode = "passcode"
)

// AuthRequest describes one authentication.
type AuthRequest struct {
	// Username is the Duo username. Required.
	Username string
	// Factor is FactorAuto (the default), FactorPush, FactorSMS,
	// FactorPhone or FactorPasscode.
	Factor string
	// Device is the device id for push, phone and sms; empty means "auto".
	Device string
	// Passcode is the code the user typed (FactorPasscode). It never
	// appears in an error.
	Passcode string
	// IPAddr is the user's IP address, for Duo's policies; optional.
	IPAddr string
	// DisplayUsername replaces the username in the push; optional.
	DisplayUsername string
	// PushInfo is URL-encoded key=value pairs shown with the push;
	// optional.
	PushInfo string
	// Type is the push's title line ("Login request" by default at Duo);
	// optional.
	Type string
}

// Auth results and the statuses callers branch on.
const (
	ResultAllow   = "allow"
	ResultDeny    = "deny"
	ResultWaiting = "waiting"
	StatusSent    = "sent" // SMS passcodes sent: ask the user for one
)

// AuthResult is Duo's answer to an authentication.
type AuthResult struct {
	// Result is ResultAllow or ResultDeny (ResultWaiting never leaves
	// Wait).
	Result string
	// Status is Duo's detailed status: allow, bypass, deny, fraud,
	// locked_out, sent, timeout, ...
	Status string
	// StatusMsg is Duo's message for the user.
	StatusMsg string
	// Txid is the transaction id of an asynchronous authentication.
	Txid string
}

// Allowed reports whether Duo allowed the user.
func (r AuthResult) Allowed() bool { return r.Result == ResultAllow }
