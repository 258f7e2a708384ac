package amqp

// KAZOO header names. KAZOO puts its headers flat in the JSON body beside
// the message's own fields.
const (
	HeaderAppName       = "App-Name"
	HeaderAppVersion    = "App-Version"
	HeaderEventCategory = "Event-Category"
	HeaderEventName     = "Event-Name"
	HeaderMsgID         = "Msg-ID"
	HeaderServerID      = "Server-ID"
	HeaderNode          = "Node"
	HeaderAccountID     = "Account-ID"
)

// Event category and names of this module's messages.
const (
	// CategoryMFA is the Event-Category of every message of this module.
	CategoryMFA = "mfa"
	// EventRequest is the Event-Name of a second-factor request.
	EventRequest = "mfa_req"
	// EventReply is the Event-Name of the reply to a request.
	EventReply = "mfa_resp"
	// EventAttempt is the Event-Name of a login attempt event.
	EventAttempt = "login_attempt"
)

// Envelope holds KAZOO's message headers. App-Name, App-Version,
// Event-Category, Event-Name and Msg-ID are required in every message;
// Server-ID (the requester's reply queue, required in requests), Node and
// Account-ID are optional in the envelope itself. Msg-ID and Server-ID are
// at most 255 bytes, other headers at most 1024.
type Envelope struct {
	AppName       string `json:"App-Name"`
	AppVersion    string `json:"App-Version"`
	EventCategory string `json:"Event-Category"`
	EventName     string `json:"Event-Name"`
	MsgID         string `json:"Msg-ID"`
	ServerID      string `json:"Server-ID,omitempty"`
	Node          string `json:"Node,omitempty"`
	AccountID     string `json:"Account-ID,omitempty"`
}

// ParseEnvelope decodes body and checks its headers. It returns ErrMalformed
// (wrapped) when body is not a bounded JSON object, or a *ValidationError
// naming every missing or ill-typed header; in that case the returned
// Envelope still holds the headers that passed, so that a caller can tell
// whether the sender can be answered (CanReply).
func ParseEnvelope(body []byte) (Envelope, error) {
	obj, err := decodeObject(body)
	if err != nil {
		return Envelope{}, err
	}
	r := fieldReader{obj: obj}
	env := readEnvelope(&r, anyEnvelope)
	return env, r.err()
}

// envelopeSpec says which optional headers a message type requires.
type envelopeSpec struct {
	accountID strSpec // checked as a KAZOO id when present
	serverID  strSpec
}

var (
	anyEnvelope     = envelopeSpec{accountID: optionalShort, serverID: optionalShort}
	requestEnvelope = envelopeSpec{accountID: requiredShort, serverID: requiredShort}
	eventEnvelope   = envelopeSpec{accountID: requiredShort, serverID: optionalShort}
)

// readEnvelope reads the headers as spec says.
func readEnvelope(r *fieldReader, spec envelopeSpec) Envelope {
	return Envelope{
		AppName:       r.str(HeaderAppName, requiredStr),
		AppVersion:    r.str(HeaderAppVersion, requiredStr),
		EventCategory: r.str(HeaderEventCategory, requiredStr),
		EventName:     r.str(HeaderEventName, requiredStr),
		MsgID:         r.str(HeaderMsgID, requiredShort),
		ServerID:      r.str(HeaderServerID, spec.serverID),
		Node:          r.str(HeaderNode, optionalStr),
		AccountID:     r.id(HeaderAccountID, spec.accountID),
	}
}

// expectEvent records a problem when the envelope is not of the given event.
func expectEvent(r *fieldReader, env Envelope, name string) {
	if env.EventCategory != "" && env.EventCategory != CategoryMFA {
		r.fail(HeaderEventCategory, "not "+CategoryMFA)
	}
	if env.EventName != "" && env.EventName != name {
		r.fail(HeaderEventName, "not "+name)
	}
}

// CanReply reports whether a reply can be addressed: Server-ID and Msg-ID
// are both present and valid.
func (e Envelope) CanReply() bool {
	return e.ServerID != "" && e.MsgID != ""
}
