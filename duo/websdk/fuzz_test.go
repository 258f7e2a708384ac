package websdk

import (
	"errors"
	"testing"
	"time"
)

// FuzzVerifyResponse feeds arbitrary responses to VerifyResponse (which must
// never panic, and must never return a user with an error), and checks the
// round trip for arbitrary usernames: sign a request, let "Duo" read the TX
// part and issue the AUTH part, verify, and get the same user back.
func FuzzVerifyResponse(f *testing.F) {
	app := "APP|dGVzdHVzZXJ8RElYWFhYWFhYWFhYWFhYWFhYWFh8MTYwMDAwMzYwMA==|" +
		"0000000000000000000000000000000000000000"
	for _, seed := range []string{
		futureResponse + ":" + app, expiredResponse + ":" + app,
		invalidResponse + ":" + app, wrongParamsResponse + ":" + wrongParamsApp,
		futureEnrollResponse + ":" + app, "", ":", "||:||", "AUTH|=|:APP|=|",
	} {
		f.Add(seed, testUser)
	}
	f.Add("", "in|valid")
	f.Add("", "ünïcødé user@example.com")
	f.Add("", "")

	f.Fuzz(func(t *testing.T, response, username string) {
		user, err := VerifyResponse(testIKey, testSKey, testAKey, response, vectorNow)
		if err != nil && user != "" {
			t.Fatalf("VerifyResponse returned user %q with error %v", user, err)
		}
		roundTrip(t, username)
	})
}

func roundTrip(t *testing.T, username string) {
	t.Helper()
	req, err := SignRequest(testIKey, testSKey, testAKey, username, vectorNow)
	if ValidateUsername(username) != nil {
		if !errors.Is(err, ErrInvalidUsername) {
			t.Fatalf("SignRequest(%q) error = %v, want ErrInvalidUsername", username, err)
		}
		return
	}
	if err != nil {
		t.Fatalf("SignRequest(%q) error = %v", username, err)
	}
	tx, app, err := ParseRequest(req)
	if err != nil {
		t.Fatalf("ParseRequest error = %v", err)
	}
	duoUser, err := VerifyValue(testSKey, PrefixTX, testIKey, tx, vectorNow)
	if err != nil || duoUser != username {
		t.Fatalf("reading TX part: user %q, error %v; want %q", duoUser, err, username)
	}
	auth := SignValue(testSKey, PrefixAuth, testIKey, duoUser, DefaultDuoExpire, vectorNow)
	got, err := VerifyResponse(testIKey, testSKey, testAKey, auth+":"+app,
		vectorNow.Add(time.Minute))
	if err != nil || got != username {
		t.Fatalf("round trip: user %q, error %v; want %q", got, err, username)
	}
}
