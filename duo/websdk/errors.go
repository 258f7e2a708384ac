package websdk

import "errors"

// Errors returned by this package. Signing fails only with one of the
// ErrInvalid* errors; verification can return any of them. Every failed
// verification means "not verified": the caller must deny the login.
var (
	// ErrInvalidUsername: the username is empty or contains '|'.
	ErrInvalidUsername = errors.New("websdk: invalid username")
	// ErrInvalidIKey: the integration key is not exactly 20 characters.
	ErrInvalidIKey = errors.New("websdk: invalid integration key")
	// ErrInvalidSKey: the secret key is not exactly 40 characters.
	ErrInvalidSKey = errors.New("websdk: invalid secret key")
	// ErrInvalidAKey: the application secret key is shorter than 40
	// characters.
	ErrInvalidAKey = errors.New("websdk: invalid application secret key")
	// ErrInvalidExpire: an explicit expiry is negative or under a second.
	ErrInvalidExpire = errors.New("websdk: invalid expiry")
	// ErrMalformed: the value does not have the expected shape: wrong
	// number of ':' or '|' separated parts, wrong prefix, bad base64, bad
	// expiry number.
	ErrMalformed = errors.New("websdk: malformed signed value")
	// ErrBadSignature: the HMAC does not match the value.
	ErrBadSignature = errors.New("websdk: bad signature")
	// ErrExpired: the value's expiry is not after the current time.
	ErrExpired = errors.New("websdk: signed value expired")
	// ErrWrongIKey: the value was issued for another integration key.
	ErrWrongIKey = errors.New("websdk: signed value for another integration key")
	// ErrUserMismatch: Duo's part and the application's part name
	// different users.
	ErrUserMismatch = errors.New("websdk: response parts name different users")
)
