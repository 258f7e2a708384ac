package universal

import (
	"strings"
	"time"

	"github.com/duo-kazoo/duo-kazoo/duo/failmode"
)

// Result is Duo's verified answer about one authentication, read from a
// validated id_token.
type Result struct {
	// Allowed is true only when auth_result.result is "allow" and
	// auth_context.result, when present, is "success".
	Allowed bool
	// Status and StatusMsg are auth_result's status and status_msg,
	// e.g. "allow" and "Login Successful".
	Status, StatusMsg string
	// Factor is the factor used, e.g. "duo_push", "passcode".
	Factor string
	// Reason is Duo's reason code, e.g. "user_approved",
	// "user_marked_fraud", "locked_out".
	Reason string
	// TxID is Duo's transaction id.
	TxID string
	// Username is preferred_username, equal to the username asked for.
	Username string
	// UserKey is Duo's user id (auth_context.user.key), when given.
	UserKey string
	// AccessDevice describes the browser's device.
	AccessDevice AccessDevice
	// AuthDevice describes the device that approved.
	AuthDevice AuthDevice
	// Timestamp is when Duo recorded the authentication (zero if absent).
	Timestamp time.Time
}

// AccessDevice is the device the user logs in from.
type AccessDevice struct {
	IP       string   `json:"ip"`
	Browser  string   `json:"browser"`
	OS       string   `json:"os"`
	Location Location `json:"location"`
}

// AuthDevice is the device that answered the second factor.
type AuthDevice struct {
	Name     string   `json:"name"`
	IP       string   `json:"ip"`
	Location Location `json:"location"`
}

// Location is Duo's geolocation of an address.
type Location struct {
	City    string `json:"city"`
	State   string `json:"state"`
	Country string `json:"country"`
}

// String joins the non-empty parts, e.g. "Ann Arbor, Michigan, United States".
func (l Location) String() string {
	parts := make([]string, 0, 3)
	for _, p := range []string{l.City, l.State, l.Country} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}

// FailureClass classifies a result that is not Allowed from Duo's reason
// code, and returns "" for an allowed result. Unknown reasons are
// failmode.UserDenied.
func (r *Result) FailureClass() failmode.Class {
	if r.Allowed {
		return ""
	}
	switch r.Reason {
	case "user_marked_fraud":
		return failmode.Fraud
	case "locked_out", "user_disabled":
		return failmode.LockedOut
	case "deny_unenrolled_user", "no_activated_duo_mobile_account":
		return failmode.NotEnrolled
	case "invalid_passcode":
		return failmode.InvalidPasscode
	case "no_response", "call_timed_out", "no_keys_pressed", "queued_inflight_auth_expired":
		return failmode.Timeout
	}
	return failmode.UserDenied
}
