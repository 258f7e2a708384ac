package amqp

import "encoding/json"

// Result is the verdict of an mfa_resp.
type Result string

// Results of an mfa_resp.
const (
	// ResultNotRequired: no second factor applies to this login.
	ResultNotRequired Result = "not_required"
	// ResultChallenge: the client must complete the second factor; the
	// reply carries Multi-Factor-Request.
	ResultChallenge Result = "challenge"
	// ResultAuthenticated: the second factor succeeded.
	ResultAuthenticated Result = "authenticated"
	// ResultDenied: the second factor failed or is refused.
	ResultDenied Result = "denied"
	// ResultError: the request could not be handled.
	ResultError Result = "error"
)

func (r Result) valid() bool {
	switch r {
	case ResultNotRequired, ResultChallenge, ResultAuthenticated, ResultDenied, ResultError:
		return true
	}
	return false
}

// Reasons the transport itself puts in error replies. The domain defines
// its own reason codes for the other results.
const (
	// ReasonInvalidRequest: the request failed validation; Message lists
	// the fields and problems.
	ReasonInvalidRequest = "invalid_request"
	// ReasonUnsupportedEvent: the message is not an mfa_req.
	ReasonUnsupportedEvent = "unsupported_event"
	// ReasonInternal: the handler panicked, returned no reply or an
	// invalid one.
	ReasonInternal = "internal_error"
)

// Reply is an mfa_resp, published to the targeted exchange with the
// request's Server-ID as routing key and the request's Msg-ID. The
// transport fills the Envelope; a handler sets the rest:
//
//   - Result: required, one of the Result constants;
//   - Reason: a stable code (e.g. "locked_out"), optional;
//   - Message: human-readable text, optional; never a secret;
//   - Attempt-ID: the id of the login_attempt recorded for a failure;
//   - Multi-Factor-Request: KAZOO's 401 "multi_factor_request" object,
//     required with ResultChallenge, e.g. {"provider_name":"duo",
//     "settings":{"duo_sig_request":..., "duo_api_hostname":...}} or
//     {"provider_name":"duo_universal","duo_redirect":...,"duo_state":...}.
type Reply struct {
	Envelope
	Result             Result          `json:"Result"`
	Reason             string          `json:"Reason,omitempty"`
	Message            string          `json:"Message,omitempty"`
	AttemptID          string          `json:"Attempt-ID,omitempty"`
	MultiFactorRequest json.RawMessage `json:"Multi-Factor-Request,omitempty"`
}

// ParseReply decodes and validates an mfa_resp body, with the same error
// contract as ParseRequest.
func ParseReply(body []byte) (*Reply, error) {
	obj, err := decodeObject(body)
	if err != nil {
		return nil, err
	}
	r := fieldReader{obj: obj}
	rep := readReply(&r)
	return rep, r.err()
}

func readReply(r *fieldReader) *Reply {
	rep := &Reply{Envelope: readEnvelope(r, anyEnvelope)}
	expectEvent(r, rep.Envelope, EventReply)
	if res := Result(r.str(fieldResult, requiredShort)); res != "" {
		if res.valid() {
			rep.Result = res
		} else {
			r.fail(fieldResult, "not a known result")
		}
	}
	rep.Reason = r.str(fieldReason, optionalShort)
	rep.Message = r.str(fieldMessage, strSpec{max: maxSecretBytes})
	rep.AttemptID = r.str(fieldAttemptID, optionalShort)
	rep.MultiFactorRequest = r.object(fieldMFRequest)
	if rep.Result == ResultChallenge && rep.MultiFactorRequest == nil {
		if _, present := r.raw(fieldMFRequest); !present {
			r.fail(fieldMFRequest, "required with result challenge")
		}
	}
	return rep
}

// encode marshals a reply about to be published and checks it by parsing
// it back, so that nothing this module sends fails its own parser.
func (rep *Reply) encode() ([]byte, error) {
	body, err := json.Marshal(rep)
	if err != nil {
		return nil, err
	}
	if _, err := ParseReply(body); err != nil {
		return nil, err
	}
	return body, nil
}
