package websdk

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// VerifyResponse checks the sig_response the browser posted after Duo's
// prompt, "AUTH|...|sig:APP|...|sig", and returns the verified username.
//
// The AUTH part must be signed with skey, the APP part with akey; both must
// carry ikey, must not have expired at now, and must name the same user. The
// keys are checked first (ErrInvalid*), so a misconfigured empty key can never
// verify a value anyone could compute. Any error means the user is not
// verified.
func VerifyResponse(ikey, skey, akey, sigResponse string, now time.Time) (string, error) {
	return verifyPair(PrefixAuth, ikey, skey, akey, sigResponse, now)
}

// VerifyEnrollResponse is VerifyResponse for the enrollment-only flow: the
// Duo part carries the ENROLL prefix.
func VerifyEnrollResponse(ikey, skey, akey, sigResponse string,
	now time.Time) (string, error) {
	return verifyPair(PrefixEnroll, ikey, skey, akey, sigResponse, now)
}

func verifyPair(duoPrefix, ikey, skey, akey, sigResponse string,
	now time.Time) (string, error) {
	if err := ValidateKeys(ikey, skey, akey); err != nil {
		return "", err
	}
	duoPart, appPart, ok := strings.Cut(sigResponse, ":")
	if !ok || strings.Contains(appPart, ":") {
		return "", fmt.Errorf("splitting response: %w", ErrMalformed)
	}

	duoUser, err := VerifyValue(skey, duoPrefix, ikey, duoPart, now)
	if err != nil {
		return "", fmt.Errorf("verifying duo part: %w", err)
	}
	appUser, err := VerifyValue(akey, PrefixApp, ikey, appPart, now)
	if err != nil {
		return "", fmt.Errorf("verifying app part: %w", err)
	}
	if !hmac.Equal([]byte(duoUser), []byte(appUser)) {
		return "", ErrUserMismatch
	}
	return duoUser, nil
}

// VerifyValue checks one signed value made by SignValue and returns the
// username in it. The checks, in order: three '|' separated fields
// (ErrMalformed), the HMAC under key compared in constant time
// (ErrBadSignature), the prefix (ErrMalformed), the payload being base64 of
// exactly three '|' separated fields with a decimal expiry (ErrMalformed),
// the integration key (ErrWrongIKey), and now being before the expiry
// (ErrExpired).
//
// VerifyValue does not validate key: callers that take keys from
// configuration use VerifyResponse, which does. The Duo simulator uses
// VerifyValue to read the TX part of a request with the secret key.
func VerifyValue(key, prefix, ikey, value string, now time.Time) (string, error) {
	gotPrefix, rest, _ := strings.Cut(value, "|")
	payload, sig, ok := strings.Cut(rest, "|")
	if !ok || strings.Contains(sig, "|") {
		return "", ErrMalformed
	}

	signed := value[:len(gotPrefix)+1+len(payload)]
	var sum [sha1.Size]byte
	var want [2 * sha1.Size]byte
	hex.Encode(want[:], macInto(sum[:0], key, []byte(signed)))
	if !hmac.Equal(want[:], []byte(sig)) {
		return "", ErrBadSignature
	}
	if gotPrefix != prefix {
		return "", ErrMalformed
	}

	plain, err := base64.StdEncoding.DecodeString(payload)
	if err != nil {
		return "", ErrMalformed
	}
	user, rest, _ := strings.Cut(string(plain), "|")
	gotIKey, expText, ok := strings.Cut(rest, "|")
	if !ok || strings.Contains(expText, "|") {
		return "", ErrMalformed
	}
	exp, err := strconv.ParseInt(expText, 10, 64)
	if err != nil {
		return "", ErrMalformed
	}

	if !hmac.Equal([]byte(gotIKey), []byte(ikey)) {
		return "", ErrWrongIKey
	}
	if now.Unix() >= exp {
		return "", ErrExpired
	}
	return user, nil
}

// ParseRequest splits a sig_request (or enroll request) into its Duo part
// and its application part and checks their shape: each has three '|'
// separated fields, the Duo part starts with TX or ENROLL_REQUEST and the
// application part with APP. It checks no signature. A malformed request
// is ErrMalformed.
func ParseRequest(sigRequest string) (duoPart, appPart string, err error) {
	duoPart, appPart, ok := strings.Cut(sigRequest, ":")
	if !ok || strings.Contains(appPart, ":") {
		return "", "", ErrMalformed
	}
	prefix, ok := shapeOK(duoPart)
	if !ok || (prefix != PrefixTX && prefix != PrefixEnrollRequest) {
		return "", "", ErrMalformed
	}
	if prefix, ok := shapeOK(appPart); !ok || prefix != PrefixApp {
		return "", "", ErrMalformed
	}
	return duoPart, appPart, nil
}

// shapeOK reports whether v has exactly three '|' separated fields, and
// returns the first.
func shapeOK(v string) (prefix string, ok bool) {
	prefix, rest, ok := strings.Cut(v, "|")
	if !ok {
		return "", false
	}
	_, sig, ok := strings.Cut(rest, "|")
	return prefix, ok && !strings.Contains(sig, "|")
}
