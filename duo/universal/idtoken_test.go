package universal

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/duo-kazoo/duo-kazoo/duo/failmode"
	"github.com/golang-jwt/jwt/v5"
)

func TestValidateIDTokenAccepts(t *testing.T) {
	c := newTestClient(t, testHost, nil)
	tok := signToken(t, jwt.SigningMethodHS512, []byte(testSecret), idTokenClaims(testHost))

	got, err := c.ValidateIDToken(tok, testUser, "")
	if err != nil {
		t.Fatalf("ValidateIDToken: %v", err)
	}
	want := Result{
		Allowed: true, Status: "allow", StatusMsg: "Login Successful",
		Factor: "duo_push", Reason: "user_approved", TxID: "tx-123",
		Username: testUser, UserKey: "DUKEY1",
		AccessDevice: AccessDevice{IP: "192.0.2.10", Browser: "Firefox", OS: "Linux",
			Location: Location{City: "Lyon", Country: "France"}},
		AuthDevice: AuthDevice{Name: "Pixel", IP: "198.51.100.7"},
		Timestamp:  testNow,
	}
	if *got != want {
		t.Errorf("result = %+v\nwant %+v", *got, want)
	}
	if c := got.FailureClass(); c != "" {
		t.Errorf("FailureClass of an allowed result = %q, want empty", c)
	}
}

func TestValidateIDTokenRejects(t *testing.T) {
	c := newTestClient(t, testHost, nil)
	secret := []byte(testSecret)
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	with := func(edit func(jwt.MapClaims)) jwt.MapClaims {
		cl := idTokenClaims(testHost)
		edit(cl)
		return cl
	}
	hs512 := func(cl jwt.MapClaims) string {
		return signToken(t, jwt.SigningMethodHS512, secret, cl)
	}
	valid := hs512(idTokenClaims(testHost))
	segs := strings.Split(valid, ".")
	header := func(alg string) string {
		return base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"` + alg + `","typ":"JWT"}`))
	}

	tests := []struct {
		name  string
		token string
		user  string
		nonce string
		want  error
	}{
		{name: "alg none", want: ErrTokenAlgorithm, token: signToken(t,
			jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, idTokenClaims(testHost))},
		{name: "alg HS256 with the secret", want: ErrTokenAlgorithm,
			token: signToken(t, jwt.SigningMethodHS256, secret, idTokenClaims(testHost))},
		{name: "alg HS384 with the secret", want: ErrTokenAlgorithm,
			token: signToken(t, jwt.SigningMethodHS384, secret, idTokenClaims(testHost))},
		{name: "alg RS256", want: ErrTokenAlgorithm,
			token: signToken(t, jwt.SigningMethodRS256, rsaKey, idTokenClaims(testHost))},
		{name: "alg unknown", want: ErrTokenAlgorithm,
			token: header("XS512") + "." + segs[1] + "." + segs[2]},
		{name: "alg missing", want: ErrTokenAlgorithm,
			token: base64.RawURLEncoding.EncodeToString([]byte(`{"typ":"JWT"}`)) +
				"." + segs[1] + "." + segs[2]},
		{name: "HS512 with another secret", want: ErrTokenSignature, token: signToken(t,
			jwt.SigningMethodHS512, []byte(strings.Repeat("x", 40)), idTokenClaims(testHost))},
		{name: "payload swapped", want: ErrTokenSignature, token: segs[0] + "." +
			strings.Split(hs512(with(func(cl jwt.MapClaims) {
				cl["preferred_username"] = "mallory"
			})), ".")[1] + "." + segs[2]},
		{name: "signature stripped", want: ErrTokenSignature,
			token: segs[0] + "." + segs[1] + "."},
		{name: "wrong issuer", want: ErrTokenIssuer, token: hs512(with(func(cl jwt.MapClaims) {
			cl["iss"] = "https://api-other.duosecurity.com/oauth/v1/token"
		}))},
		{name: "issuer missing", want: ErrTokenMalformed, token: hs512(with(func(cl jwt.MapClaims) {
			delete(cl, "iss")
		}))},
		{name: "wrong audience", want: ErrTokenAudience, token: hs512(with(func(cl jwt.MapClaims) {
			cl["aud"] = "DIOTHERCLIENTXXXXXXX"
		}))},
		{name: "two audiences", want: ErrTokenAudience, token: hs512(with(func(cl jwt.MapClaims) {
			cl["aud"] = []string{testClientID, "DIOTHERCLIENTXXXXXXX"}
		}))},
		{name: "audience missing", want: ErrTokenAudience, token: hs512(with(func(cl jwt.MapClaims) {
			delete(cl, "aud")
		}))},
		{name: "one audience in a list", token: hs512(with(func(cl jwt.MapClaims) {
			cl["aud"] = []string{testClientID}
		}))},
		{name: "another user", want: ErrTokenUser, user: "bob", token: valid},
		{name: "user differs in case", want: ErrTokenUser, user: "Alice", token: valid},
		{name: "username missing", want: ErrTokenUser, token: hs512(with(func(cl jwt.MapClaims) {
			delete(cl, "preferred_username")
		}))},
		{name: "expired beyond leeway", want: ErrTokenExpired,
			token: hs512(with(func(cl jwt.MapClaims) {
				cl["exp"] = testNow.Add(-Leeway - time.Second).Unix()
				cl["iat"] = testNow.Add(-10 * time.Minute).Unix()
			}))},
		{name: "expired within leeway", token: hs512(with(func(cl jwt.MapClaims) {
			cl["exp"] = testNow.Add(-Leeway + time.Second).Unix()
		}))},
		{name: "exp missing", want: ErrTokenMalformed, token: hs512(with(func(cl jwt.MapClaims) {
			delete(cl, "exp")
		}))},
		{name: "exp not a number", want: ErrTokenMalformed,
			token: hs512(with(func(cl jwt.MapClaims) { cl["exp"] = "tomorrow" }))},
		{name: "issued in the future beyond leeway", want: ErrTokenNotYetValid,
			token: hs512(with(func(cl jwt.MapClaims) {
				cl["iat"] = testNow.Add(Leeway + time.Second).Unix()
			}))},
		{name: "issued in the future within leeway", token: hs512(with(func(cl jwt.MapClaims) {
			cl["iat"] = testNow.Add(Leeway - time.Second).Unix()
		}))},
		{name: "iat missing", want: ErrTokenMalformed, token: hs512(with(func(cl jwt.MapClaims) {
			delete(cl, "iat")
		}))},
		{name: "not before in the future", want: ErrTokenNotYetValid,
			token: hs512(with(func(cl jwt.MapClaims) {
				cl["nbf"] = testNow.Add(Leeway + time.Minute).Unix()
			}))},
		{name: "nonce expected and matching", nonce: "n-1",
			token: hs512(with(func(cl jwt.MapClaims) { cl["nonce"] = "n-1" }))},
		{name: "nonce differs", want: ErrTokenNonce, nonce: "n-1",
			token: hs512(with(func(cl jwt.MapClaims) { cl["nonce"] = "n-2" }))},
		{name: "nonce expected but missing", want: ErrTokenNonce, nonce: "n-1", token: valid},
		{name: "nonce not expected", token: hs512(with(func(cl jwt.MapClaims) {
			cl["nonce"] = "n-1"
		}))},
		{name: "empty", want: ErrTokenMalformed, token: ""},
		{name: "not a jwt", want: ErrTokenMalformed, token: "duo_code_not_a_token"},
		{name: "bad base64", want: ErrTokenMalformed, token: segs[0] + ".!!!." + segs[2]},
		{name: "claims not json", want: ErrTokenMalformed, token: segs[0] + "." +
			base64.RawURLEncoding.EncodeToString([]byte("[1,2")) + "." + segs[2]},
		{name: "auth context of the wrong type", want: ErrTokenMalformed,
			token: hs512(with(func(cl jwt.MapClaims) { cl["auth_context"] = "yes" }))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			user := tt.user
			if user == "" {
				user = testUser
			}
			res, err := c.ValidateIDToken(tt.token, user, tt.nonce)
			checkTokenErr(t, err, tt.want)
			if (res == nil) != (tt.want != nil) {
				t.Errorf("result = %v with error %v", res, err)
			}
			if err != nil && strings.Contains(err.Error(), testSecret) {
				t.Errorf("error %q contains the secret", err)
			}
		})
	}
}

func TestResultDenied(t *testing.T) {
	c := newTestClient(t, testHost, nil)
	tests := []struct {
		name       string
		result     string
		ctxResult  string
		reason     string
		wantClass  failmode.Class
		wantResult bool
	}{
		{"approved", "allow", "success", "user_approved", "", true},
		{"fraud", "deny", "fraud", "user_marked_fraud", failmode.Fraud, false},
		{"denied", "deny", "denied", "user_cancelled", failmode.UserDenied, false},
		{"locked out", "deny", "denied", "locked_out", failmode.LockedOut, false},
		{"not enrolled", "deny", "denied", "deny_unenrolled_user", failmode.NotEnrolled, false},
		{"passcode", "deny", "denied", "invalid_passcode", failmode.InvalidPasscode, false},
		{"no answer", "deny", "denied", "no_response", failmode.Timeout, false},
		{"allow contradicted by context", "allow", "denied", "user_cancelled",
			failmode.UserDenied, false},
		{"unknown result", "maybe", "", "", failmode.UserDenied, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cl := idTokenClaims(testHost)
			cl["auth_result"] = map[string]any{"result": tt.result, "status": tt.result}
			ctx := cl["auth_context"].(map[string]any)
			ctx["result"], ctx["reason"] = tt.ctxResult, tt.reason
			tok := signToken(t, jwt.SigningMethodHS512, []byte(testSecret), cl)

			res, err := c.ValidateIDToken(tok, testUser, "")
			if err != nil {
				t.Fatalf("ValidateIDToken: %v", err)
			}
			if res.Allowed != tt.wantResult {
				t.Errorf("Allowed = %v, want %v", res.Allowed, tt.wantResult)
			}
			if got := res.FailureClass(); got != tt.wantClass {
				t.Errorf("FailureClass = %q, want %q", got, tt.wantClass)
			}
		})
	}
}

func TestLocationString(t *testing.T) {
	tests := []struct {
		loc  Location
		want string
	}{
		{Location{City: "Ann Arbor", State: "Michigan", Country: "United States"},
			"Ann Arbor, Michigan, United States"},
		{Location{Country: "France"}, "France"},
		{Location{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := tt.loc.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}
