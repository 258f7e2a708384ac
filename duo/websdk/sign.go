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

// Prefixes of the signed values exchanged with Duo.
const (
	PrefixTX            = "TX"             // Duo part of a sig_request
	PrefixApp           = "APP"            // application part of both messages
	PrefixAuth          = "AUTH"           // Duo part of a sig_response
	PrefixEnrollRequest = "ENROLL_REQUEST" // Duo part of an enroll request
	PrefixEnroll        = "ENROLL"         // Duo part of an enroll response
)

// Default lifetimes of the two parts of a request, as in Duo's SDKs.
const (
	DefaultDuoExpire = 300 * time.Second
	DefaultAppExpire = 3600 * time.Second
)

// Key lengths Duo requires.
const (
	IKeyLen    = 20 // exact integration key length
	SKeyLen    = 40 // exact secret key length
	AKeyMinLen = 40 // minimum application secret key length
)

// SignRequest returns the sig_request for username, "TX|...|sig:APP|...|sig",
// with Duo's default lifetimes (300 s and 3600 s) counted from now.
// It fails with ErrInvalidUsername, ErrInvalidIKey, ErrInvalidSKey or
// ErrInvalidAKey, checked in that order as Duo's SDKs do.
func SignRequest(ikey, skey, akey, username string, now time.Time) (string, error) {
	return SignRequestExpire(ikey, skey, akey, username, now, 0, 0)
}

// SignRequestExpire is SignRequest with explicit lifetimes for the Duo (TX)
// and application (APP) parts, as KAZOO's duo_expire and app_expire settings
// give them. A zero lifetime means the default; lifetimes are whole seconds
// (truncated) and must be at least one second, else ErrInvalidExpire.
func SignRequestExpire(ikey, skey, akey, username string, now time.Time,
	duoExpire, appExpire time.Duration) (string, error) {
	return signPair(PrefixTX, ikey, skey, akey, username, now, duoExpire, appExpire)
}

// SignEnrollRequest is SignRequest for Duo's enrollment-only flow: the Duo
// part carries the ENROLL_REQUEST prefix.
func SignEnrollRequest(ikey, skey, akey, username string, now time.Time) (string, error) {
	return SignEnrollRequestExpire(ikey, skey, akey, username, now, 0, 0)
}

// SignEnrollRequestExpire is SignEnrollRequest with explicit lifetimes, with
// the rules of SignRequestExpire.
func SignEnrollRequestExpire(ikey, skey, akey, username string, now time.Time,
	duoExpire, appExpire time.Duration) (string, error) {
	return signPair(PrefixEnrollRequest, ikey, skey, akey, username, now,
		duoExpire, appExpire)
}

func signPair(duoPrefix, ikey, skey, akey, username string, now time.Time,
	duoExpire, appExpire time.Duration) (string, error) {
	if err := ValidateUsername(username); err != nil {
		return "", err
	}
	if err := ValidateKeys(ikey, skey, akey); err != nil {
		return "", err
	}
	duoExpire, err := expireOrDefault(duoExpire, DefaultDuoExpire)
	if err != nil {
		return "", err
	}
	appExpire, err = expireOrDefault(appExpire, DefaultAppExpire)
	if err != nil {
		return "", err
	}

	duoPart := SignValue(skey, duoPrefix, ikey, username, duoExpire, now)
	appPart := SignValue(akey, PrefixApp, ikey, username, appExpire, now)
	return duoPart + ":" + appPart, nil
}

func expireOrDefault(d, def time.Duration) (time.Duration, error) {
	if d == 0 {
		return def, nil
	}
	if d < time.Second {
		return 0, fmt.Errorf("expiry of %v: %w", d, ErrInvalidExpire)
	}
	return d, nil
}

// ValidateUsername returns ErrInvalidUsername when username is empty or
// contains '|', and nil otherwise.
func ValidateUsername(username string) error {
	if username == "" || strings.Contains(username, "|") {
		return ErrInvalidUsername
	}
	return nil
}

// ValidateKeys checks the key lengths Duo requires and returns
// ErrInvalidIKey, ErrInvalidSKey or ErrInvalidAKey for the first bad one.
func ValidateKeys(ikey, skey, akey string) error {
	switch {
	case len(ikey) != IKeyLen:
		return ErrInvalidIKey
	case len(skey) != SKeyLen:
		return ErrInvalidSKey
	case len(akey) < AKeyMinLen:
		return ErrInvalidAKey
	}
	return nil
}

// SignValue returns one signed value, "prefix|base64(username|ikey|exp)|sig",
// where exp is now plus expire in whole Unix seconds and sig the lowercase
// hex HMAC-SHA1 under key of everything before the last '|'.
//
// It is the building block of the request functions and performs no
// validation: callers pass a valid username and keys. The Duo simulator
// uses it to issue the AUTH (or ENROLL) value for a user who approved, with
// the secret key as key.
func SignValue(key, prefix, ikey, username string, expire time.Duration,
	now time.Time) string {
	exp := strconv.FormatInt(now.Unix()+int64(expire/time.Second), 10)
	plain := username + "|" + ikey + "|" + exp

	n := len(prefix) + 1 + base64.StdEncoding.EncodedLen(len(plain))
	buf := make([]byte, 0, n+1+2*sha1.Size)
	buf = append(buf, prefix...)
	buf = append(buf, '|')
	buf = base64.StdEncoding.AppendEncode(buf, []byte(plain))

	var sum [sha1.Size]byte
	macInto(sum[:0], key, buf)
	buf = append(buf, '|')
	buf = hex.AppendEncode(buf, sum[:])
	return string(buf)
}

// macInto appends HMAC-SHA1(key, msg) to dst and returns the result.
func macInto(dst []byte, key string, msg []byte) []byte {
	m := hmac.New(sha1.New, []byte(key))
	m.Write(msg)
	return m.Sum(dst)
}
