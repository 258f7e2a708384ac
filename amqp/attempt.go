package amqp

import "encoding/json"

// AttemptStatus is the outcome of a login attempt.
type AttemptStatus string

// Statuses of a login attempt, as KAZOO stores them.
const (
	AttemptSuccess AttemptStatus = "success"
	AttemptFailed  AttemptStatus = "failed"
)

// AttemptEvent is a login_attempt: another component (e.g. a password
// check) reports a login attempt for the account's Failure Logs. Routing
// key "mfa.attempt.<ACCOUNT_ID>" on kapps, Event-Category "mfa",
// Event-Name "login_attempt". It is recorded, never answered.
//
// Required: the envelope headers, Account-ID (32 lowercase hex), Auth-Type
// (KAZOO's auth_type: "multi_factor", "credentials", ...), Auth-Module,
// Status ("success" or "failed"). Optional: Owner-ID (32 lowercase hex),
// Username, Message (human-readable), Reason (a stable code), Client-IP (an
// IP address), User-Agent, Timestamp (Gregorian seconds, as KAZOO counts;
// absent means "when received") and Metadata (an object, stored as given).
type AttemptEvent struct {
	Envelope
	OwnerID    string          `json:"Owner-ID,omitempty"`
	Username   string          `json:"Username,omitempty"`
	AuthType   string          `json:"Auth-Type"`
	AuthModule string          `json:"Auth-Module"`
	Status     AttemptStatus   `json:"Status"`
	Message    string          `json:"Message,omitempty"`
	Reason     string          `json:"Reason,omitempty"`
	ClientIP   string          `json:"Client-IP,omitempty"`
	UserAgent  string          `json:"User-Agent,omitempty"`
	Timestamp  int64           `json:"Timestamp,omitempty"`
	Metadata   json.RawMessage `json:"Metadata,omitempty"`

	// Redelivered is set by the consumer when the broker delivered this
	// message before. It is not in the body.
	Redelivered bool `json:"-"`
}

// ParseAttempt decodes and validates a login_attempt body, with the same
// error contract as ParseRequest.
func ParseAttempt(body []byte) (*AttemptEvent, error) {
	obj, err := decodeObject(body)
	if err != nil {
		return nil, err
	}
	r := fieldReader{obj: obj}
	ev := readAttempt(&r)
	return ev, r.err()
}

func readAttempt(r *fieldReader) *AttemptEvent {
	ev := &AttemptEvent{Envelope: readEnvelope(r, eventEnvelope)}
	expectEvent(r, ev.Envelope, EventAttempt)
	ev.OwnerID = r.id(fieldOwnerID, optionalShort)
	ev.Username = r.str(fieldUsername, optionalStr)
	ev.AuthType = r.str(fieldAuthType, requiredShort)
	ev.AuthModule = r.str(fieldAuthModule, requiredShort)
	switch st := AttemptStatus(r.str(fieldStatus, requiredShort)); st {
	case "":
	case AttemptSuccess, AttemptFailed:
		ev.Status = st
	default:
		r.fail(fieldStatus, "not success or failed")
	}
	ev.Message = r.str(fieldMessage, strSpec{max: maxSecretBytes})
	ev.Reason = r.str(fieldReason, optionalShort)
	ev.ClientIP = readIP(r, fieldClientIP)
	ev.UserAgent = r.str(fieldUserAgent, optionalStr)
	ev.Timestamp = r.positiveInt(fieldTimestamp)
	ev.Metadata = r.object(fieldMetadata)
	return ev
}
