package duosim

import (
	"context"
	"net/url"
	"strconv"
	"time"
)

// enrollment is one pending /auth/v2/enroll activation.
type enrollment struct {
	username  string
	userID    string
	code      string // the activation_code as returned, "duo://..."
	expires   time.Time
	activated bool
}

// defaultEnrollValidity is Duo's default valid_secs.
const defaultEnrollValidity = 24 * time.Hour

type enrollReply struct {
	ActivationBarcode string `json:"activation_barcode"`
	ActivationCode    string `json:"activation_code"`
	ActivationURL     string `json:"activation_url"`
	Expiration        int64  `json:"expiration"`
	UserID            string `json:"user_id"`
	Username          string `json:"username"`
}

func (enrollReply) outcome() string { return "enroll" }

// enroll answers /auth/v2/enroll: it creates a pending activation for a
// new (or not yet enrolled) username. Activate completes it.
func (s *Server) enroll(_ context.Context, c *apiCall) (reply, error) {
	name := c.params.Get("username")
	if name == "" {
		name = "user-" + randomDigits(8)
	}
	valid := defaultEnrollValidity
	if v := c.params.Get("valid_secs"); v != "" {
		secs, err := strconv.ParseUint(v, 10, 32)
		if err != nil || secs == 0 {
			return nil, errInvalidParam("valid_secs")
		}
		valid = time.Duration(secs) * time.Second
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if st, ok := s.users[name]; ok && st.Behavior != NotEnrolled {
		return nil, errInvalidParam("username already enrolled")
	}
	secret := randomID(20)
	en := &enrollment{username: name, userID: userKey(name), code: "duo://" + secret,
		expires: s.now().Add(valid)}
	s.enrollments[en.code] = en

	host := "https://" + c.req.Host
	return enrollReply{
		ActivationBarcode: host + "/frame/qr?value=" + url.QueryEscape(en.code),
		ActivationCode:    en.code,
		ActivationURL:     host + "/activate/" + secret,
		Expiration:        en.expires.Unix(),
		UserID:            en.userID,
		Username:          name,
	}, nil
}

type statusReply string

func (r statusReply) outcome() string { return string(r) }

// enrollStatus answers /auth/v2/enroll_status: "success" once activated,
// "waiting" before, "invalid" for an unknown, expired or mismatched code.
func (s *Server) enrollStatus(_ context.Context, c *apiCall) (reply, error) {
	id, code := c.params.Get("user_id"), c.params.Get("activation_code")
	if id == "" {
		return nil, errMissingParam("user_id")
	}
	if code == "" {
		return nil, errMissingParam("activation_code")
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	en, ok := s.enrollments[code]
	switch {
	case !ok || en.userID != id:
		return statusReply("invalid"), nil
	case en.activated:
		return statusReply("success"), nil
	case !s.now().Before(en.expires):
		return statusReply("invalid"), nil
	}
	return statusReply("waiting"), nil
}

// Activate completes username's pending enrollments as if the user scanned
// the activation barcode: the user becomes an Approve user with the
// default device. It reports whether an unexpired enrollment was pending.
func (s *Server) Activate(username string) bool {
	s.mu.Lock()
	found := false
	for _, en := range s.enrollments {
		if en.username == username && !en.activated && s.now().Before(en.expires) {
			en.activated = true
			found = true
		}
	}
	s.mu.Unlock()
	if found {
		s.SetUser(username, User{Behavior: Approve})
	}
	return found
}
