package mfa

import (
	"github.com/duo-kazoo/duo-kazoo/attempts"
	"github.com/duo-kazoo/duo-kazoo/duo/failmode"
)

// Reason codes of a Reply, stable for clients and failure logs. Denials
// and fail-opens store the same code as the login_attempt's reason.
const (
	// With ResultNotRequired.
	ReasonMFANotEnabled = "mfa_not_enabled" // multi_factor not enabled for the module
	ReasonNotApplicable = "not_applicable"  // set for another account, not its sub-accounts

	// With ResultChallenge.
	ReasonSMSSent = "sms_sent" // passcodes sent by SMS: answer with Factor passcode

	// With ResultAuthenticated.
	ReasonBypass     = "bypass"                  // Duo lets the user in without a factor
	ReasonFailedOpen = attempts.ReasonFailedOpen // Duo unreachable, failmode safe

	// With ResultDenied: the request or configuration.
	ReasonInvalidRequest       = "invalid_request" // unusable request (e.g. wrong response kind)
	ReasonUnknownUser          = "unknown_user"    // no Duo username for the user
	ReasonNoConfiguration      = attempts.ReasonNoConfiguration
	ReasonProviderDisabled     = attempts.ReasonProviderDisabled
	ReasonInvalidConfiguration = attempts.ReasonInvalidConfiguration
	ReasonFactorNotAllowed     = "factor_not_allowed" // not among the configuration's factors
	ReasonBadCredentials       = attempts.ReasonBadCredentials
	ReasonDuoUnreachable       = attempts.ReasonDuoUnreachable
	ReasonRateLimited          = attempts.ReasonRateLimited

	// With ResultDenied: the user's second factor.
	ReasonLockedOut       = attempts.ReasonLockedOut // by this module or by Duo
	ReasonNotEnrolled     = attempts.ReasonNotEnrolled
	ReasonUserDenied      = attempts.ReasonUserDenied
	ReasonFraud           = attempts.ReasonFraud
	ReasonTimeout         = attempts.ReasonTimeout
	ReasonInvalidPasscode = "invalid_passcode"
	ReasonInvalidResponse = attempts.ReasonInvalidResponse
	ReasonExpiredResponse = attempts.ReasonExpiredResponse
	ReasonReplayed        = attempts.ReasonReplayed

	// With ResultError.
	ReasonInternal    = "internal_error"    // a store failed; retry later
	ReasonNotRecorded = "store_unavailable" // the failure could not be recorded
	ReasonCancelled   = "cancelled"         // the caller's context ended
)

// countsTowardLockout reports whether a denial with this reason is a
// second-factor failure by the user, which the lockout counts. Duo being
// unreachable, configuration problems, Duo's own lock and this module's
// lock do not count.
func countsTowardLockout(reason string) bool {
	switch reason {
	case ReasonUserDenied, ReasonFraud, ReasonTimeout, ReasonInvalidPasscode,
		ReasonInvalidResponse, ReasonExpiredResponse, ReasonReplayed:
		return true
	}
	return false
}

// reasonFor maps a failure class from the Duo clients to a reason code.
func reasonFor(c failmode.Class) string {
	switch c {
	case failmode.UserDenied:
		return ReasonUserDenied
	case failmode.Fraud:
		return ReasonFraud
	case failmode.Timeout:
		return ReasonTimeout
	case failmode.LockedOut:
		return ReasonLockedOut
	case failmode.NotEnrolled:
		return ReasonNotEnrolled
	case failmode.InvalidPasscode:
		return ReasonInvalidPasscode
	case failmode.InvalidResponse:
		return ReasonInvalidResponse
	case failmode.BadConfig:
		return ReasonBadCredentials
	case failmode.Unreachable:
		return ReasonDuoUnreachable
	case failmode.RateLimited:
		return ReasonRateLimited
	}
	return ReasonInternal
}

// messages are the human-readable texts of the reason codes.
var messages = map[string]string{
	ReasonMFANotEnabled:        "multi-factor authentication is not enabled for this login",
	ReasonNotApplicable:        "multi-factor authentication does not apply to this account",
	ReasonSMSSent:              "passcodes were sent by SMS; answer with one of them",
	ReasonBypass:               "Duo allowed the user without a second factor",
	ReasonFailedOpen:           "Duo could not be reached; the login was allowed by failmode safe",
	ReasonInvalidRequest:       "the request cannot be used for this configuration",
	ReasonUnknownUser:          "no Duo username could be found for the user",
	ReasonNoConfiguration:      "no Duo configuration is set up for this login",
	ReasonProviderDisabled:     "the Duo configuration is disabled",
	ReasonInvalidConfiguration: "the Duo configuration is invalid",
	ReasonFactorNotAllowed:     "this factor is not allowed by the Duo configuration",
	ReasonBadCredentials:       "Duo rejected the configuration's credentials",
	ReasonDuoUnreachable:       "Duo could not be reached",
	ReasonRateLimited:          "Duo is rate limiting requests",
	ReasonLockedOut:            "the user is locked out",
	ReasonNotEnrolled:          "the user is not enrolled in Duo",
	ReasonUserDenied:           "the user denied the request",
	ReasonFraud:                "the user reported the request as fraudulent",
	ReasonTimeout:              "the user did not answer in time",
	ReasonInvalidPasscode:      "the passcode was not accepted",
	ReasonInvalidResponse:      "the Duo response could not be verified",
	ReasonExpiredResponse:      "the Duo response has expired",
	ReasonReplayed:             "the Duo response was already used",
	ReasonInternal:             "the request could not be handled; try again",
	ReasonNotRecorded:          "the failure could not be recorded; try again",
	ReasonCancelled:            "the request was cancelled",
}

// message returns the text of a reason code.
func message(reason string) string {
	if m, ok := messages[reason]; ok {
		return m
	}
	return reason
}
