package duosim

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"fmt"
	"slices"
	"time"
)

// Behavior is how a scripted user answers Duo. The values are also the
// spellings used in seed files.
type Behavior string

// Behaviors. A user that was never set (an unknown username) behaves as
// NotEnrolled, as Duo treats usernames it does not know under the default
// "new user policy: require enrollment".
const (
	// Approve: preauth "auth"; pushes and calls are approved after Delay;
	// prompts (Universal, Web SDK frame) succeed.
	Approve Behavior = "approve"
	// ApproveAfter is Approve, named for scripts that set a Delay: the user
	// takes Delay to answer.
	ApproveAfter Behavior = "approve_after"
	// Deny: preauth "auth"; pushes and calls are denied after Delay
	// (status "deny"); prompts are cancelled.
	Deny Behavior = "deny"
	// Fraud: preauth "auth"; pushes and calls are marked fraudulent after
	// Delay (status "fraud").
	Fraud Behavior = "fraud"
	// Timeout: preauth "auth"; pushes and calls go unanswered and time out
	// after Delay, or Options.PushTimeout when Delay is zero.
	Timeout Behavior = "timeout"
	// Bypass: preauth "allow" (a bypass user); any auth is allowed with
	// status "bypass".
	Bypass Behavior = "bypass"
	// LockedOut: preauth "deny"; any auth is denied with status
	// "locked_out".
	LockedOut Behavior = "locked_out"
	// NotEnrolled: preauth "enroll" with an enroll_portal_url; the user has
	// no device, so an auth with any factor but passcode fails with HTTP
	// 400 code 40002 "no capable device", as at Duo; prompts end with
	// reason "deny_unenrolled_user".
	NotEnrolled Behavior = "not_enrolled"
	// Manual: preauth "auth"; pushes and calls wait for Answer (or time out
	// after Options.PushTimeout); prompts show Approve and Deny buttons.
	Manual Behavior = "manual"
)

// Valid reports whether b is one of the defined behaviors.
func (b Behavior) Valid() bool {
	switch b {
	case Approve, ApproveAfter, Deny, Fraud, Timeout, Bypass, LockedOut, NotEnrolled, Manual:
		return true
	}
	return false
}

// enrolled reports whether the user has devices Duo can challenge.
func (b Behavior) enrolled() bool {
	return b != NotEnrolled && b != LockedOut && b != Bypass
}

// Device capabilities, as preauth lists them.
const (
	CapAuto      = "auto"
	CapPush      = "push"
	CapSMS       = "sms"
	CapPhone     = "phone"
	CapMobileOTP = "mobile_otp"
)

// Device is one of a user's authentication devices, as preauth lists it.
type Device struct {
	ID           string   `json:"device"`
	Type         string   `json:"type"` // "phone", "token", ...
	Name         string   `json:"name,omitempty"`
	Number       string   `json:"number,omitempty"`
	Capabilities []string `json:"capabilities"`
}

// DefaultDevice returns the device a user gets when SetUser is given none:
// a smartphone with every capability, id "DPFZRS9FB0D46QFTM891".
func DefaultDevice() Device {
	return Device{
		ID:           "DPFZRS9FB0D46QFTM891",
		Type:         "phone",
		Name:         "iOS (Duo Mobile)",
		Number:       "XXX-XXX-0100",
		Capabilities: []string{CapAuto, CapPush, CapSMS, CapPhone, CapMobileOTP},
	}
}

// User scripts one username.
type User struct {
	// Behavior decides every answer; the zero value means Approve.
	Behavior Behavior
	// Delay is how long (real time) the user takes to answer a push, a
	// call or a prompt. For Timeout it is the time until the push expires.
	Delay time.Duration
	// Devices lists the user's devices; nil means one DefaultDevice.
	Devices []Device
	// Passcodes are valid one-time passcodes (like a hardware token's, or
	// bypass codes for a NotEnrolled user), each accepted once, beside the
	// SMS passcodes the simulator issues.
	Passcodes []string
}

// userState is a User plus what the simulator tracks for it.
type userState struct {
	User
	unused []string // passcodes not yet used: scripted ones, then SMS ones
	sms    []string // the current SMS batch (a new batch replaces it)
}

// smsBatch is how many passcodes one SMS carries.
const smsBatch = 10

// SetUser scripts username, replacing any earlier script and its unused
// passcodes. A Behavior outside the defined ones panics: it is a bug in
// the test.
func (s *Server) SetUser(username string, u User) {
	if u.Behavior == "" {
		u.Behavior = Approve
	}
	if !u.Behavior.Valid() {
		panic(fmt.Sprintf("duosim: SetUser(%q): unknown behavior %q", username, u.Behavior))
	}
	if u.Devices == nil {
		u.Devices = []Device{DefaultDevice()}
	}
	st := &userState{User: u}
	st.unused = append(st.unused, u.Passcodes...)

	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[username] = st
}

// Passcodes returns username's passcodes that are still valid, scripted
// ones first, then those of the last SMS, in issue order.
func (s *Server) Passcodes(username string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.users[username]
	if !ok {
		return nil
	}
	return append([]string(nil), st.unused...)
}

// Answer resolves username's pending pushes and calls as a person would:
// approve or deny. It is how a test drives a Manual user; it also cuts
// short the Delay of any other user. It returns how many transactions it
// resolved.
func (s *Server) Answer(username string, approve bool) int {
	v := vDeny
	if approve {
		v = vAllow
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, tx := range s.txs {
		if tx.user == username && !tx.resolved {
			tx.resolveLocked(v)
			n++
		}
	}
	return n
}

// lookupLocked returns username's state, or a NotEnrolled placeholder for
// an unknown user. s.mu must be held.
func (s *Server) lookupLocked(username string) *userState {
	if st, ok := s.users[username]; ok {
		return st
	}
	return &userState{User: User{Behavior: NotEnrolled}}
}

// usePasscodeLocked consumes code if it is one of the user's valid
// passcodes. s.mu must be held.
func (st *userState) usePasscodeLocked(code string) bool {
	for i, c := range st.unused {
		if c == code {
			st.unused = append(st.unused[:i:i], st.unused[i+1:]...)
			return true
		}
	}
	return false
}

// sendSMSLocked replaces the user's SMS batch with fresh passcodes. s.mu
// must be held.
func (st *userState) sendSMSLocked() {
	old := map[string]bool{}
	for _, c := range st.sms {
		old[c] = true
	}
	kept := st.unused[:0:0]
	for _, c := range st.unused {
		if !old[c] {
			kept = append(kept, c)
		}
	}
	st.sms = make([]string, smsBatch)
	for i := range st.sms {
		st.sms[i] = randomDigits(7)
	}
	kept = append(kept, st.sms...)
	st.unused = kept
}

// noCapableDevice is the message_detail of Duo's 40002 answer to an auth
// that none of the user's devices can do (as Duo answered an autopush to a
// user without a push-capable device, duosecurity/libduo#19).
const noCapableDevice = "no capable device"

// capableDevice checks that the user has a device with the capability:
// device id, or "auto" (or empty) for any. Otherwise it returns Duo's
// refusal: 40002 "device" for an id the user does not have, 40002 "no
// capable device" when no device fits. A NotEnrolled user has no device.
func (st *userState) capableDevice(id, capability string) *apiError {
	anyDevice := id == "" || id == "auto"
	known := false
	for _, d := range st.Devices {
		if st.Behavior == NotEnrolled || !anyDevice && d.ID != id {
			continue
		}
		known = true
		if slices.Contains(d.Capabilities, capability) {
			return nil
		}
	}
	if !anyDevice && !known {
		return errInvalidParam("device")
	}
	return errInvalidParam(noCapableDevice)
}

// userKey is Duo's stable user id for a username ("DU" + 18 characters).
func userKey(username string) string {
	sum := sha256.Sum256([]byte("duosim-user:" + username))
	return "DU" + base32.StdEncoding.EncodeToString(sum[:])[:18]
}

// randomDigits returns n random decimal digits.
func randomDigits(n int) string {
	b := make([]byte, 0, n)
	var buf [32]byte
	for len(b) < n {
		_, _ = rand.Read(buf[:]) // never fails (crypto/rand, Go 1.24+)
		for _, x := range buf {
			if x < 250 && len(b) < n { // 250 = 25*10: no modulo bias
				b = append(b, '0'+x%10)
			}
		}
	}
	return string(b)
}

// randomID returns n random characters of the uppercase base32 alphabet.
func randomID(n int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails (crypto/rand, Go 1.24+)
	for i := range b {
		b[i] = alphabet[b[i]&31]
	}
	return string(b)
}
