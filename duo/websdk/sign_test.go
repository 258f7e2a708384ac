package websdk

import (
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestSignRequestRejects(t *testing.T) {
	tests := []struct {
		name                   string
		ikey, skey, akey, user string
		want                   error
	}{
		{"empty username", testIKey, testSKey, testAKey, "", ErrInvalidUsername},
		{"username with pipe", testIKey, testSKey, testAKey, "in|valid", ErrInvalidUsername},
		{"short ikey", "invalid", testSKey, testAKey, testUser, ErrInvalidIKey},
		{"long ikey", testIKey + "X", testSKey, testAKey, testUser, ErrInvalidIKey},
		{"short skey", testIKey, "invalid", testAKey, testUser, ErrInvalidSKey},
		{"long skey", testIKey, testSKey + "0", testAKey, testUser, ErrInvalidSKey},
		{"short akey", testIKey, testSKey, "invalid", testUser, ErrInvalidAKey},
		{"akey of 39", testIKey, testSKey, testAKey[:39], testUser, ErrInvalidAKey},
		{"username checked before keys", "x", "y", "z", "", ErrInvalidUsername},
		{"ikey checked before skey", "x", "y", "z", testUser, ErrInvalidIKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, sign := range []func(string, string, string, string,
				time.Time) (string, error){SignRequest, SignEnrollRequest} {
				got, err := sign(tt.ikey, tt.skey, tt.akey, tt.user, vectorNow)
				if !errors.Is(err, tt.want) {
					t.Errorf("error = %v, want %v", err, tt.want)
				}
				if got != "" {
					t.Errorf("request = %q, want empty on error", got)
				}
			}
		})
	}
}

// TestSignValueMatchesDuoVectors proves byte compatibility: signing the
// payloads of Duo's reference responses reproduces them exactly.
func TestSignValueMatchesDuoVectors(t *testing.T) {
	tests := []struct {
		name   string
		prefix string
		exp    int64
		want   string
	}{
		{"expired auth", PrefixAuth, expiredExp, expiredResponse},
		{"future auth", PrefixAuth, futureExp, futureResponse},
		{"future enroll", PrefixEnroll, futureExp, futureEnrollResponse},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now := time.Unix(tt.exp-300, 0)
			got := SignValue(testSKey, tt.prefix, testIKey, testUser, 300*time.Second, now)
			if got != tt.want {
				t.Errorf("SignValue = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSignRequestShape(t *testing.T) {
	tests := []struct {
		name       string
		sign       func() (string, error)
		duoPrefix  string
		duoExp     int64
		appExp     int64
		wantErr    error
		wantParsed bool
	}{
		{
			name: "defaults",
			sign: func() (string, error) {
				return SignRequest(testIKey, testSKey, testAKey, testUser, vectorNow)
			},
			duoPrefix: PrefixTX, duoExp: 300, appExp: 3600,
		},
		{
			name: "enroll defaults",
			sign: func() (string, error) {
				return SignEnrollRequest(testIKey, testSKey, testAKey, testUser, vectorNow)
			},
			duoPrefix: PrefixEnrollRequest, duoExp: 300, appExp: 3600,
		},
		{
			name: "explicit expiries",
			sign: func() (string, error) {
				return SignRequestExpire(testIKey, testSKey, testAKey, testUser, vectorNow,
					10*time.Second, 20*time.Second)
			},
			duoPrefix: PrefixTX, duoExp: 10, appExp: 20,
		},
		{
			name: "zero expiry means default, fractions truncate",
			sign: func() (string, error) {
				return SignEnrollRequestExpire(testIKey, testSKey, testAKey, testUser,
					vectorNow, 0, 90*time.Second+900*time.Millisecond)
			},
			duoPrefix: PrefixEnrollRequest, duoExp: 300, appExp: 90,
		},
		{
			name: "negative expiry",
			sign: func() (string, error) {
				return SignRequestExpire(testIKey, testSKey, testAKey, testUser, vectorNow,
					-time.Second, 0)
			},
			wantErr: ErrInvalidExpire,
		},
		{
			name: "expiry under a second",
			sign: func() (string, error) {
				return SignRequestExpire(testIKey, testSKey, testAKey, testUser, vectorNow,
					0, 500*time.Millisecond)
			},
			wantErr: ErrInvalidExpire,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := tt.sign()
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error = %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			duoPart, appPart, err := ParseRequest(req)
			if err != nil {
				t.Fatalf("ParseRequest(%q) error = %v", req, err)
			}
			if !strings.HasPrefix(duoPart, tt.duoPrefix+"|") {
				t.Errorf("duo part = %q, want prefix %s", duoPart, tt.duoPrefix)
			}
			checkPayload(t, duoPart, vectorNow.Unix()+tt.duoExp)
			checkPayload(t, appPart, vectorNow.Unix()+tt.appExp)
			if _, err := VerifyValue(testSKey, tt.duoPrefix, testIKey, duoPart,
				vectorNow); err != nil {
				t.Errorf("duo part does not verify with skey: %v", err)
			}
			if _, err := VerifyValue(testAKey, PrefixApp, testIKey, appPart,
				vectorNow); err != nil {
				t.Errorf("app part does not verify with akey: %v", err)
			}
		})
	}
}

// checkPayload decodes the middle field of a signed value and compares it
// with testuser|testIKey|exp.
func checkPayload(t *testing.T, value string, exp int64) {
	t.Helper()
	fields := strings.Split(value, "|")
	if len(fields) != 3 {
		t.Fatalf("value %q has %d fields, want 3", value, len(fields))
	}
	plain, err := base64.StdEncoding.DecodeString(fields[1])
	if err != nil {
		t.Fatalf("payload of %q is not base64: %v", value, err)
	}
	want := testUser + "|" + testIKey + "|" + strconv.FormatInt(exp, 10)
	if string(plain) != want {
		t.Errorf("payload = %q, want %q", plain, want)
	}
	if len(fields[2]) != 40 || strings.ToLower(fields[2]) != fields[2] {
		t.Errorf("signature %q is not 40 lowercase hex digits", fields[2])
	}
}
