package websdk

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"time"
)

// appPartOf signs a request and returns its APP part.
func appPartOf(t *testing.T, enroll bool, akey, user string, now time.Time) string {
	t.Helper()
	sign := SignRequest
	if enroll {
		sign = SignEnrollRequest
	}
	req, err := sign(testIKey, testSKey, akey, user, now)
	if err != nil {
		t.Fatalf("signing request: %v", err)
	}
	_, app, err := ParseRequest(req)
	if err != nil {
		t.Fatalf("parsing request: %v", err)
	}
	return app
}

// rawSigned signs prefix|payload as is, so tests can build values whose
// signature is right but whose content is not.
func rawSigned(key, prefix, payload string) string {
	m := hmac.New(sha1.New, []byte(key))
	m.Write([]byte(prefix + "|" + payload))
	return prefix + "|" + payload + "|" + hex.EncodeToString(m.Sum(nil))
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func TestVerifyResponse(t *testing.T) {
	validApp := appPartOf(t, false, testAKey, testUser, vectorNow)
	invalidApp := appPartOf(t, false, invalidAKey, testUser, vectorNow)
	validEnrollApp := appPartOf(t, true, testAKey, testUser, vectorNow)
	invalidEnrollApp := appPartOf(t, true, invalidAKey, testUser, vectorNow)
	otherUserApp := appPartOf(t, false, testAKey, "someoneelse", vectorNow)
	beforeExp := time.Unix(futureExp-1, 0)
	appBeforeExp := appPartOf(t, false, testAKey, testUser, beforeExp)
	atExp := time.Unix(futureExp, 0)
	appAtExp := appPartOf(t, false, testAKey, testUser, atExp)
	ts := "|" + testIKey + "|1615727243"

	tests := []struct {
		name     string
		enroll   bool
		ikey     string
		akey     string
		skey     string
		response string
		now      time.Time
		want     error
	}{
		// Duo's reference cases.
		{name: "future response", response: futureResponse + ":" + validApp},
		{name: "invalid response", response: invalidResponse + ":" + validApp,
			want: ErrBadSignature},
		{name: "expired response", response: expiredResponse + ":" + validApp,
			want: ErrExpired},
		{name: "future response, app signed with another akey",
			response: futureResponse + ":" + invalidApp, want: ErrBadSignature},
		{name: "auth payload with extra field",
			response: wrongParamsResponse + ":" + validApp, want: ErrMalformed},
		{name: "app payload with extra field",
			response: futureResponse + ":" + wrongParamsApp, want: ErrMalformed},
		{name: "wrong ikey configured", ikey: testWrongIKey,
			response: futureResponse + ":" + validApp, want: ErrWrongIKey},
		{name: "enroll response", enroll: true,
			response: futureEnrollResponse + ":" + validEnrollApp},
		{name: "enroll response, app signed with another akey", enroll: true,
			response: futureEnrollResponse + ":" + invalidEnrollApp, want: ErrBadSignature},

		// Clock edges.
		{name: "one second before expiry", now: beforeExp,
			response: futureResponse + ":" + appBeforeExp},
		{name: "at expiry", now: atExp,
			response: futureResponse + ":" + appAtExp, want: ErrExpired},
		{name: "app part expired", now: vectorNow.Add(DefaultAppExpire),
			response: futureResponse + ":" + validApp, want: ErrExpired},

		// Keys and prefixes.
		{name: "wrong akey configured", akey: invalidAKey,
			response: futureResponse + ":" + validApp, want: ErrBadSignature},
		{name: "wrong skey configured", skey: strings.Repeat("f", 40),
			response: futureResponse + ":" + validApp, want: ErrBadSignature},
		{name: "enroll response to auth check",
			response: futureEnrollResponse + ":" + validApp, want: ErrMalformed},
		{name: "auth response to enroll check", enroll: true,
			response: futureResponse + ":" + validEnrollApp, want: ErrMalformed},
		{name: "app part in duo position",
			response: validApp + ":" + validApp, want: ErrBadSignature},
		{name: "tx part echoed back", response: rawSigned(testSKey, PrefixTX,
			b64(testUser+ts)) + ":" + validApp, want: ErrMalformed},
		{name: "users differ", response: futureResponse + ":" + otherUserApp,
			want: ErrUserMismatch},
		{name: "uppercase signature",
			response: futureResponse[:len(futureResponse)-40] +
				strings.ToUpper(futureResponse[len(futureResponse)-40:]) + ":" + validApp,
			want: ErrBadSignature},
		{name: "invalid skey", skey: "short",
			response: futureResponse + ":" + validApp, want: ErrInvalidSKey},
		{name: "empty akey", akey: "-",
			response: futureResponse + ":" + validApp, want: ErrInvalidAKey},
		{name: "invalid ikey", ikey: "DI",
			response: futureResponse + ":" + validApp, want: ErrInvalidIKey},

		// Shapes.
		{name: "empty", response: "", want: ErrMalformed},
		{name: "no app part", response: futureResponse, want: ErrMalformed},
		{name: "empty app part", response: futureResponse + ":", want: ErrMalformed},
		{name: "three parts",
			response: futureResponse + ":" + validApp + ":" + validApp, want: ErrMalformed},
		{name: "auth part with two fields", response: "AUTH|abc:" + validApp,
			want: ErrMalformed},
		{name: "auth part with four fields", response: futureResponse + "|x:" + validApp,
			want: ErrMalformed},
		{name: "payload not base64", response: rawSigned(testSKey, PrefixAuth,
			"not*base64!") + ":" + validApp, want: ErrMalformed},
		{name: "payload with two fields", response: rawSigned(testSKey, PrefixAuth,
			b64(testUser+"|"+testIKey)) + ":" + validApp, want: ErrMalformed},
		{name: "expiry not a number", response: rawSigned(testSKey, PrefixAuth,
			b64(testUser+"|"+testIKey+"|soon")) + ":" + validApp, want: ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ikey, skey, akey := or(tt.ikey, testIKey), or(tt.skey, testSKey), or(tt.akey, testAKey)
			if akey == "-" {
				akey = ""
			}
			now := tt.now
			if now.IsZero() {
				now = vectorNow
			}
			verify := VerifyResponse
			if tt.enroll {
				verify = VerifyEnrollResponse
			}

			got, err := verify(ikey, skey, akey, tt.response, now)
			if !errors.Is(err, tt.want) {
				t.Fatalf("error = %v, want %v", err, tt.want)
			}
			wantUser := testUser
			if tt.want != nil {
				wantUser = ""
			}
			if got != wantUser {
				t.Errorf("user = %q, want %q", got, wantUser)
			}
		})
	}
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// TestErrorsHideSecrets checks that no rejection repeats a key or the
// response in its text.
func TestErrorsHideSecrets(t *testing.T) {
	responses := []string{
		expiredResponse + ":" + wrongParamsApp,
		futureResponse + ":" + wrongParamsApp,
		"AUTH|" + testSKey + "|" + testAKey + ":x",
	}
	for _, r := range responses {
		_, err := VerifyResponse(testIKey, testSKey, testAKey, r, vectorNow)
		if err == nil {
			t.Fatalf("VerifyResponse(%q) verified, want an error", r)
		}
		for _, secret := range []string{testSKey, testAKey, r} {
			if strings.Contains(err.Error(), secret) {
				t.Errorf("error %q contains secret %q", err, secret)
			}
		}
	}
}

func TestParseRequest(t *testing.T) {
	req, err := SignRequest(testIKey, testSKey, testAKey, testUser, vectorNow)
	if err != nil {
		t.Fatal(err)
	}
	tx, app, _ := strings.Cut(req, ":")
	tests := []struct {
		name    string
		in      string
		wantErr error
	}{
		{name: "signed request", in: req},
		{name: "enroll request", in: strings.Replace(req, "TX|", "ENROLL_REQUEST|", 1)},
		{name: "empty", in: "", wantErr: ErrMalformed},
		{name: "one part", in: tx, wantErr: ErrMalformed},
		{name: "parts swapped", in: app + ":" + tx, wantErr: ErrMalformed},
		{name: "response prefix", in: futureResponse + ":" + app, wantErr: ErrMalformed},
		{name: "three parts", in: req + ":" + app, wantErr: ErrMalformed},
		{name: "two fields", in: "TX|abc:" + app, wantErr: ErrMalformed},
		{name: "four fields", in: tx + "|x:" + app, wantErr: ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gotTX, gotApp, err := ParseRequest(tt.in)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error = %v, want %v", err, tt.wantErr)
			}
			if err == nil && gotTX+":"+gotApp != tt.in {
				t.Errorf("parts %q and %q do not rebuild %q", gotTX, gotApp, tt.in)
			}
		})
	}
}

func TestAuthFrameURL(t *testing.T) {
	got := AuthFrameURL("api-12345678.duosecurity.com:8443", "TX|abc=|0f",
		"https://kazoo.example/login?x=1")
	want := "https://api-12345678.duosecurity.com:8443/frame/web/v1/auth?" +
		"parent=https%3A%2F%2Fkazoo.example%2Flogin%3Fx%3D1&tx=TX%7Cabc%3D%7C0f&v=2.9"
	if got != want {
		t.Errorf("AuthFrameURL = %q, want %q", got, want)
	}
}

func TestGenerateAKey(t *testing.T) {
	a, b := GenerateAKey(), GenerateAKey()
	if err := ValidateKeys(testIKey, testSKey, a); err != nil {
		t.Errorf("generated key %d chars rejected: %v", len(a), err)
	}
	if a == b {
		t.Errorf("two generated keys are equal: %q", a)
	}
}
