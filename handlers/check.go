package handlers

import (
	"context"
	"net/http"

	"github.com/sirupsen/logrus"
)

// CheckResult is the answer of a credential test against Duo.
type CheckResult struct {
	// OK is true when Duo accepted the credentials.
	OK bool `json:"ok"`
	// Result is "ok" or a stable reason code (bad_credentials,
	// duo_unreachable, clock_skew, rate_limited, invalid_configuration).
	Result string `json:"result"`
	// Message explains the result in plain words.
	Message string `json:"message"`
	// DuoMessage is Duo's own message, when Duo answered one.
	DuoMessage string `json:"duo_message,omitempty"`
	// RoundTripMS is the time the test took, in milliseconds.
	RoundTripMS float64 `json:"round_trip_ms"`
	// Endpoint names the Duo call made (auth/v2/check, oauth/v1/health_check).
	Endpoint string `json:"endpoint,omitempty"`
}

// CredentialChecker tests a stored configuration's credentials against Duo.
type CredentialChecker interface {
	Check(ctx context.Context, accountID, configID string) (CheckResult, error)
}

func (s *Server) checkConfig(r *http.Request) (reply, error) {
	accountID, id := vars(r)
	addLogFields(r.Context(), logrus.Fields{"config_id": id})
	if s.deps.Checker == nil {
		return reply{}, notImplemented()
	}
	res, err := s.deps.Checker.Check(r.Context(), accountID, id)
	if err != nil {
		return reply{}, err
	}
	addLogFields(r.Context(), logrus.Fields{"check_result": res.Result})
	return reply{data: res}, nil
}

func notImplemented() *APIError {
	return &APIError{Status: http.StatusNotImplemented, Message: "not_implemented",
		Data: map[string]any{"message": "this server was started without this feature",
			"key": "errors.not_implemented"}}
}
