package attempts

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/duo-kazoo/duo-kazoo/couch"
)

// Statuses of an attempt, as KAZOO writes them.
const (
	StatusFailed  = "failed"
	StatusSuccess = "success"
)

// Auth types of an attempt: which step of a login it records.
const (
	AuthTypeMultiFactor = "multi_factor"
	AuthTypeCredentials = "credentials"
)

// Reason codes: stable, machine-readable causes of an attempt's outcome.
// Other lowercase codes are accepted; these are the ones this module
// writes.
const (
	ReasonUserDenied           = "user_denied"
	ReasonFraud                = "fraud"
	ReasonTimeout              = "timeout"
	ReasonLockedOut            = "locked_out"
	ReasonNotEnrolled          = "not_enrolled"
	ReasonInvalidResponse      = "invalid_response"
	ReasonExpiredResponse      = "expired_response"
	ReasonReplayed             = "replayed"
	ReasonProviderDisabled     = "provider_disabled"
	ReasonNoConfiguration      = "no_configuration"
	ReasonInvalidConfiguration = "invalid_configuration"
	ReasonDuoUnreachable       = "duo_unreachable"
	ReasonFailedOpen           = "failed_open"
	ReasonRateLimited          = "rate_limited"
	ReasonBadCredentials       = "bad_credentials"
	ReasonPasswordFailed       = "password_failed"
)

// DocType is the pvt_type of login attempt documents.
const DocType = "login_attempt"

// Attempt is one login attempt to record. Its zero value is not valid:
// Status is required.
//
// Secrets never reach the store: Details, Metadata and ClientHeaders lose
// every entry (at any depth) whose name is a secret's (passcode, password,
// sig_response, multi_factor_response, code, state, tokens, cookies,
// authorization, secret keys; see secrets.go), and long strings are cut.
// Message and the other fields are stored as given: never put a secret in
// them.
type Attempt struct {
	// Key identifies the event that caused the attempt, such as the AMQP
	// Msg-ID. Attempts with the same account, Key and month get the same
	// id, so recording a redelivered event stores it once. Empty: a
	// random id (no deduplication).
	Key string
	// Time is when the attempt happened; its month picks the MODb. Zero:
	// the recorder's clock. Give the event's own time to deduplicate a
	// redelivery that crosses a month boundary.
	Time time.Time

	AuthType          string // default AuthTypeMultiFactor
	Status            string // StatusFailed or StatusSuccess
	AuthModule        string // e.g. cb_user_auth
	Reason            string // a Reason code; may be empty for successes
	Message           string // human-readable, shown in the failure log
	ClientIP          string
	ClientHeaders     map[string]string // e.g. User-Agent
	CrossbarRequestID string

	// Stored under metadata (with account_id).
	OwnerID  string
	Username string
	Metadata map[string]any // further metadata fields

	// Stored under details, beside Details' own entries (duo_status,
	// duo_message, device, txid, ...); these fields win over same-named
	// Details entries.
	ConfigurationID string
	ProviderName    string // duo or duo_universal
	Factor          string // push, sms, phone, passcode, prompt, ...
	Details         map[string]any
}

// IDFor returns the MODb id for an event: the month of t, a dash, and the
// first 32 hex digits of SHA-256("duo-kazoo attempt" + key). The same t
// month and key always give the same id.
func IDFor(t time.Time, key string) string {
	sum := sha256.Sum256([]byte("duo-kazoo attempt" + key))
	return couch.MODBID(t, hex.EncodeToString(sum[:16]))
}

// ID returns the attempt's document id in accountID: IDFor(Time,
// accountID + ":" + Key), or a random MODb id when Key is empty.
func (a Attempt) ID(accountID string) string {
	if a.Key == "" {
		b := make([]byte, 16)
		_, _ = rand.Read(b) // crypto/rand.Read never fails
		return couch.MODBID(a.Time, hex.EncodeToString(b))
	}
	return IDFor(a.Time, accountID+":"+a.Key)
}

// Document builds the login_attempt document for accountID in KAZOO's
// shape plus reason and details, with secrets dropped. Time must be set.
// pvt_created and pvt_modified are the attempt's time, so a redelivered
// event builds the same document.
func (a Attempt) Document(accountID string) (couch.Doc, error) {
	if err := a.validate(); err != nil {
		return nil, err
	}
	accountDB, err := couch.EncodedAccountDB(accountID)
	if err != nil {
		return nil, fmt.Errorf("building attempt: %w", err)
	}
	authType := a.AuthType
	if authType == "" {
		authType = AuthTypeMultiFactor
	}
	ts := couch.Gregorian(a.Time)
	doc := couch.Doc{
		"_id":            a.ID(accountID),
		"auth_type":      authType,
		"status":         a.Status,
		"timestamp":      ts,
		"pvt_type":       DocType,
		"pvt_account_id": accountID,
		"pvt_account_db": accountDB,
		"pvt_created":    ts,
		"pvt_modified":   ts,
		"pvt_vsn":        "1",
	}
	setString(doc, "auth_module", a.AuthModule)
	setString(doc, "reason", a.Reason)
	setString(doc, "message", a.Message)
	setString(doc, "client_ip", a.ClientIP)
	setString(doc, "crossbar_request_id", a.CrossbarRequestID)

	if headers := scrubMap(stringMap(a.ClientHeaders)); len(headers) > 0 {
		doc["client_headers"] = headers
	}
	meta := scrubMap(a.Metadata)
	meta["account_id"] = accountID
	setString(meta, "owner_id", a.OwnerID)
	setString(meta, "username", a.Username)
	doc["metadata"] = meta

	details := scrubMap(a.Details)
	setString(details, "configuration_id", a.ConfigurationID)
	setString(details, "provider_name", a.ProviderName)
	setString(details, "factor", a.Factor)
	if len(details) > 0 {
		doc["details"] = details
	}
	return doc, nil
}

func (a Attempt) validate() error {
	switch {
	case a.Status != StatusFailed && a.Status != StatusSuccess:
		return fmt.Errorf("%w: status %q is not %q or %q",
			ErrInvalidAttempt, a.Status, StatusFailed, StatusSuccess)
	case a.AuthType != "" && !isCode(a.AuthType):
		return fmt.Errorf("%w: auth_type %q is not a lowercase code", ErrInvalidAttempt, a.AuthType)
	case a.Reason != "" && !isCode(a.Reason):
		return fmt.Errorf("%w: reason %q is not a lowercase code", ErrInvalidAttempt, a.Reason)
	case a.Time.IsZero():
		return fmt.Errorf("%w: no time", ErrInvalidAttempt)
	}
	return nil
}

// isCode reports whether s is a stable code: 1 to 64 of [a-z0-9_].
func isCode(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' {
			return false
		}
	}
	return true
}

// setString stores a non-empty value, cut to maxString bytes.
func setString(m map[string]any, key, value string) {
	if value != "" {
		m[key] = clip(value)
	}
}

func stringMap(m map[string]string) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
