package amqp

import (
	"net/netip"
	"strings"
)

// Body fields of requests and attempt events.
const (
	fieldOwnerID     = "Owner-ID"
	fieldUsername    = "Username"
	fieldAuthModule  = "Auth-Module"
	fieldClientIP    = "Client-IP"
	fieldUserAgent   = "User-Agent"
	fieldMFResponse  = "Multi-Factor-Response"
	fieldFactor      = "Factor"
	fieldPasscode    = "Passcode"
	fieldDevice      = "Device"
	fieldAuthType    = "Auth-Type"
	fieldStatus      = "Status"
	fieldMessage     = "Message"
	fieldReason      = "Reason"
	fieldTimestamp   = "Timestamp"
	fieldMetadata    = "Metadata"
	fieldResult      = "Result"
	fieldAttemptID   = "Attempt-ID"
	fieldMFRequest   = "Multi-Factor-Request"
	problemNotFactor = "not one of auto, push, sms, phone, passcode"
)

// Factor names the Duo Auth API factor a request asks for.
type Factor string

// Factors a request may name in its Factor field.
const (
	FactorAuto     Factor = "auto"
	FactorPush     Factor = "push"
	FactorSMS      Factor = "sms"
	FactorPhone    Factor = "phone"
	FactorPasscode Factor = "passcode"
)

func (f Factor) valid() bool {
	switch f {
	case FactorAuto, FactorPush, FactorSMS, FactorPhone, FactorPasscode:
		return true
	}
	return false
}

// Request is an mfa_req: KAZOO's authentication path asks for the second
// factor of a login. Routing key "mfa.req.<ACCOUNT_ID>" on kapps,
// Event-Category "mfa", Event-Name "mfa_req".
//
// Required: the envelope headers, Server-ID (where the reply goes),
// Account-ID and Owner-ID (32 lowercase hex), Auth-Module (e.g.
// "cb_user_auth"). Optional: Username (the login name; needed when the
// configuration's username_source is "username"), Client-IP (an IP
// address), User-Agent, Multi-Factor-Response (the client's answer to a
// challenge), Factor (ask the Auth API for that factor), Passcode (required
// with, and only allowed with, Factor "passcode"), Device (Duo device id or
// "auto"). Passcode and Multi-Factor-Response are secrets.
type Request struct {
	Envelope
	OwnerID             string               `json:"Owner-ID"`
	Username            string               `json:"Username,omitempty"`
	AuthModule          string               `json:"Auth-Module"`
	ClientIP            string               `json:"Client-IP,omitempty"`
	UserAgent           string               `json:"User-Agent,omitempty"`
	MultiFactorResponse *MultiFactorResponse `json:"Multi-Factor-Response,omitempty"`
	Factor              Factor               `json:"Factor,omitempty"`
	Passcode            Secret               `json:"Passcode,omitempty"`
	Device              string               `json:"Device,omitempty"`

	// Redelivered is set by the consumer when the broker delivered this
	// message before (to this or another replica). It is not in the body.
	Redelivered bool `json:"-"`
}

// ParseRequest decodes and validates an mfa_req body. It returns a wrapped
// ErrMalformed (and a nil Request) when body is not a bounded JSON object.
// Otherwise it returns the Request, holding every field that passed, and
// nil or a *ValidationError listing every missing or ill-typed field; with a
// ValidationError, CanReply on the Request's Envelope says whether the
// sender can still be told.
func ParseRequest(body []byte) (*Request, error) {
	obj, err := decodeObject(body)
	if err != nil {
		return nil, err
	}
	r := fieldReader{obj: obj}
	req := readRequest(&r)
	return req, r.err()
}

func readRequest(r *fieldReader) *Request {
	req := &Request{Envelope: readEnvelope(r, requestEnvelope)}
	expectEvent(r, req.Envelope, EventRequest)
	req.OwnerID = r.id(fieldOwnerID, requiredShort)
	req.Username = r.str(fieldUsername, optionalStr)
	req.AuthModule = r.str(fieldAuthModule, requiredShort)
	req.ClientIP = readIP(r, fieldClientIP)
	req.UserAgent = r.str(fieldUserAgent, optionalStr)
	req.MultiFactorResponse = readMFResponse(r)
	req.Device = r.str(fieldDevice, optionalShort)

	if f := Factor(r.str(fieldFactor, optionalShort)); f != "" {
		if f.valid() {
			req.Factor = f
		} else {
			r.fail(fieldFactor, problemNotFactor)
		}
	}
	pass := r.str(fieldPasscode, optionalShort)
	switch {
	case req.Factor == FactorPasscode && pass == "":
		r.fail(fieldPasscode, "required when Factor is passcode")
	case req.Factor != FactorPasscode && pass != "":
		r.fail(fieldPasscode, "only allowed when Factor is passcode")
	}
	req.Passcode = Secret(pass)
	return req
}

// readIP reads an optional IP address field, as text.
func readIP(r *fieldReader, field string) string {
	s := r.str(field, optionalShort)
	if s == "" {
		return ""
	}
	if _, err := netip.ParseAddr(strings.TrimSpace(s)); err != nil {
		r.fail(field, problemNotIP)
		return ""
	}
	return s
}
