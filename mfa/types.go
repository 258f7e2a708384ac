package mfa

import (
	"fmt"
	"time"
)

// Result is the verdict of Handle, the Result of an AMQP mfa_resp.
type Result string

// Results.
const (
	// ResultNotRequired: no second factor applies to this login.
	ResultNotRequired Result = "not_required"
	// ResultChallenge: the client must complete a second factor; the
	// Reply carries Challenge.
	ResultChallenge Result = "challenge"
	// ResultAuthenticated: the second factor succeeded, Duo let the user
	// in (bypass), or Duo was unreachable and failmode safe allowed it
	// (Reason failed_open).
	ResultAuthenticated Result = "authenticated"
	// ResultDenied: the login must not proceed; Reason says why.
	ResultDenied Result = "denied"
	// ResultError: the request could not be decided (CouchDB down, the
	// failure could not be recorded, the handler was stopped); the caller
	// may retry it. Never a grant.
	ResultError Result = "error"
)

// Secret is a string that must never be logged: formatting it with any
// fmt verb prints "[redacted]" (or "" when empty). Convert with string(s)
// to use it.
type Secret string

// Format writes "[redacted]" for a non-empty secret, whatever the verb.
func (s Secret) Format(f fmt.State, _ rune) {
	if s != "" {
		_, _ = f.Write([]byte("[redacted]"))
	}
}

// Request asks for the second factor of one login, the fields of an AMQP
// mfa_req.
type Request struct {
	// AccountID is the account logged into (32 lowercase hex). Required.
	AccountID string
	// OwnerID is the KAZOO user id; the Duo username when the
	// configuration's username_source is owner_id, and how the user's
	// email is found for username_source email.
	OwnerID string
	// Username is the KAZOO login name; the Duo username for
	// username_source username.
	Username string
	// AuthModule is the crossbar auth module, e.g. cb_user_auth. Required.
	AuthModule string
	// ClientIP and UserAgent describe the client; recorded with failures,
	// and ClientIP is passed to Duo's policies.
	ClientIP, UserAgent string
	// MsgID identifies the request (AMQP Msg-ID): a failure's attempt id
	// is derived from it, so a redelivered request records it once.
	MsgID string
	// Response is the client's answer to a challenge; nil asks for one.
	Response *Response
	// Factor asks for an Auth API second factor instead of a prompt:
	// auto, push, sms, phone or passcode.
	Factor string
	// Passcode is the code for Factor passcode.
	Passcode Secret
	// Device is the Duo device id for push, phone and sms; "" or "auto"
	// lets Duo choose.
	Device string
}

// Response is the client's answer to a challenge: SigResponse for the duo
// (Web SDK v2) provider, Universal for duo_universal. Exactly one is set.
type Response struct {
	SigResponse Secret
	Universal   *UniversalResponse
}

// UniversalResponse is what the browser brought back from Duo's Universal
// Prompt: the callback's duo_code and state, and the redirect URI the code
// was issued for (optional; checked when given).
type UniversalResponse struct {
	Code, State Secret
	RedirectURI string
}

// Reply answers a Request, the body fields of an AMQP mfa_resp.
type Reply struct {
	Result Result
	// Reason is a stable code (see the Reason constants); empty for a
	// plain challenge or authentication.
	Reason string
	// Message is human-readable, never a secret.
	Message string
	// AttemptID is the id of the login_attempt recorded for a failure or
	// a fail-open; empty otherwise.
	AttemptID string
	// Challenge is KAZOO's 401 multi_factor_request object, set with
	// ResultChallenge:
	//
	//	duo:           {"provider_name":"duo","settings":{"duo_sig_request":...,
	//	                "duo_api_hostname":...}}
	//	duo_universal: {"provider_name":"duo_universal","duo_redirect":URL,
	//	                "duo_state":STATE}
	//	sms sent:      {"provider_name":...,"settings":{"duo_factor":"passcode",
	//	                "duo_status":"sent","duo_status_msg":...}}
	//
	// The last asks the client to send Factor passcode with one of the
	// passcodes Duo just sent by SMS.
	Challenge map[string]any
}

// AttemptEvent is a login attempt reported by another component (e.g. a
// failed password), the fields of an AMQP login_attempt event.
type AttemptEvent struct {
	AccountID  string // required
	MsgID      string // deduplicates redeliveries
	OwnerID    string
	Username   string
	AuthType   string // e.g. credentials, multi_factor; required
	AuthModule string
	Status     string // success or failed; required
	Message    string
	Reason     string // a lowercase code
	ClientIP   string
	UserAgent  string
	// Time is when the attempt happened; zero means now.
	Time     time.Time
	Metadata map[string]any
}
