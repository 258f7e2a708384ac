package attempts

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/duo-kazoo/duo-kazoo/couch"
)

const testAccount = "0123456789abcdef0123456789abcdef"

var when = time.Date(2026, 3, 31, 23, 59, 59, 0, time.UTC)

func TestIDFor(t *testing.T) {
	a, b := IDFor(when, "msg-1"), IDFor(when, "msg-1")
	if a != b {
		t.Fatalf("IDFor is not deterministic: %s vs %s", a, b)
	}
	if _, ok := couch.MonthOfID(a); !ok {
		t.Fatalf("IDFor = %s, not a MODb id", a)
	}
	tests := []struct {
		name string
		t    time.Time
		key  string
	}{
		{"other key", when, "msg-2"},
		{"other month", when.Add(time.Second), "msg-1"},
		{"empty key", when, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := IDFor(tc.t, tc.key); got == a {
				t.Errorf("IDFor(%v, %q) = %s, the same as for msg-1", tc.t, tc.key, got)
			}
		})
	}
}

func TestIDForKnownValue(t *testing.T) {
	// printf 'duo-kazoo attemptabc' | sha256sum | cut -c1-32
	got := IDFor(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), "abc")
	if want := "202612-0a35f2b4030c142baebe7735fa8b5d50"; got != want {
		t.Fatalf("IDFor = %s, want %s", got, want)
	}
}

func TestAttemptID(t *testing.T) {
	a := Attempt{Key: "m1", Time: when, Status: StatusFailed}
	if a.ID(testAccount) != IDFor(when, testAccount+":m1") {
		t.Errorf("ID = %s, want IDFor(time, account:key)", a.ID(testAccount))
	}
	if a.ID(testAccount) == a.ID(strings.Repeat("f", 32)) {
		t.Errorf("the same Key in two accounts gave the same id")
	}
	a.Key = ""
	if x, y := a.ID(testAccount), a.ID(testAccount); x == y {
		t.Errorf("attempts without a Key share id %s", x)
	}
}

func TestDocument(t *testing.T) {
	a := Attempt{
		Key: "msg", Time: when, Status: StatusFailed, AuthModule: "cb_user_auth",
		Reason: ReasonUserDenied, Message: "The user denied the push",
		ClientIP: "192.0.2.7", ClientHeaders: map[string]string{"User-Agent": "Firefox"},
		CrossbarRequestID: "req-1", OwnerID: "user1", Username: "alice",
		Metadata:        map[string]any{"extra": "kept"},
		ConfigurationID: "cfg1", ProviderName: "duo", Factor: "push",
		Details: map[string]any{"duo_status": "deny", "txid": "tx-1",
			"factor": "overridden"},
	}
	doc, err := a.Document(testAccount)
	if err != nil {
		t.Fatalf("Document: %v", err)
	}
	g := couch.Gregorian(when)
	want := couch.Doc{
		"_id": IDFor(when, testAccount+":msg"), "auth_type": "multi_factor",
		"status": "failed", "auth_module": "cb_user_auth", "reason": "user_denied",
		"message": "The user denied the push", "client_ip": "192.0.2.7",
		"client_headers":      map[string]any{"User-Agent": "Firefox"},
		"crossbar_request_id": "req-1", "timestamp": g,
		"metadata": map[string]any{"account_id": testAccount, "owner_id": "user1",
			"username": "alice", "extra": "kept"},
		"details": map[string]any{"duo_status": "deny", "txid": "tx-1", "factor": "push",
			"configuration_id": "cfg1", "provider_name": "duo"},
		"pvt_type": "login_attempt", "pvt_account_id": testAccount,
		"pvt_account_db": "account%2F01%2F23%2F456789abcdef0123456789abcdef",
		"pvt_created":    g, "pvt_modified": g, "pvt_vsn": "1",
	}
	if !reflect.DeepEqual(doc, want) {
		t.Errorf("Document =\n%v\nwant\n%v", doc, want)
	}
	again, _ := a.Document(testAccount)
	if !reflect.DeepEqual(doc, again) {
		t.Errorf("Document is not deterministic:\n%v\n%v", doc, again)
	}
}

func TestDocumentDropsSecrets(t *testing.T) {
	type nested struct {
		Device   string `json:"device"`
		Passcode string `json:"passcode"`
	}
	secrets := []string{"pass-975310", "TX|sig|APP|sig", "auth-code-xyz", "state-nonce", "s3cr3t",
		"tok-abc", "cookie-val", "bearer-xyz", "pw-1", "skey-1", "nested-pass"}
	a := Attempt{Time: when, Status: StatusFailed,
		ClientHeaders: map[string]string{"User-Agent": "Firefox",
			"Authorization": "bearer-xyz", "Cookie": "cookie-val", "X-Auth-Token": "tok-abc"},
		Metadata: map[string]any{"password": "pw-1"},
		Details: map[string]any{
			"device": "phone1", "passcode": "pass-975310", "sig_response": "TX|sig|APP|sig",
			"code": "auth-code-xyz", "state": "state-nonce", "client_secret": "s3cr3t",
			"Duo-Secret-Key": "skey-1",
			"response":       map[string]any{"duo_code": "auth-code-xyz", "ok": true},
			"tries":          []any{map[string]any{"passcode": "pass-975310", "n": 1}},
			"typed":          nested{Device: "phone2", Passcode: "nested-pass"},
		},
	}
	doc, err := a.Document(testAccount)
	if err != nil {
		t.Fatalf("Document: %v", err)
	}
	b, _ := json.Marshal(doc)
	for _, s := range secrets {
		if strings.Contains(string(b), s) {
			t.Errorf("stored document contains secret %q: %s", s, b)
		}
	}
	for _, kept := range []string{"Firefox", "phone1", "phone2", `"ok":true`, `"n":1`} {
		if !strings.Contains(string(b), kept) {
			t.Errorf("stored document lost %s: %s", kept, b)
		}
	}
}

func TestIsSecretField(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{"passcode", true}, {"Sig-Response", true}, {"multi_factor_response", true},
		{"x-auth-token", true}, {"db_password", true}, {"duo_secret_key", true},
		{"device", false}, {"txid", false}, {"duo_status", false}, {"username", false},
		{"configuration_id", false}, {"factor", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := IsSecretField(tc.name); got != tc.want {
				t.Errorf("IsSecretField(%q) = %v, want %v", tc.name, got, tc.want)
			}
		})
	}
}

func TestDocumentValidation(t *testing.T) {
	ok := Attempt{Time: when, Status: StatusSuccess}
	tests := []struct {
		name    string
		account string
		edit    func(*Attempt)
		want    error
	}{
		{"no status", testAccount, func(a *Attempt) { a.Status = "" }, ErrInvalidAttempt},
		{"bad status", testAccount, func(a *Attempt) { a.Status = "ok" }, ErrInvalidAttempt},
		{"bad reason", testAccount, func(a *Attempt) { a.Reason = "User Denied" }, ErrInvalidAttempt},
		{"bad auth type", testAccount, func(a *Attempt) { a.AuthType = "MFA!" }, ErrInvalidAttempt},
		{"no time", testAccount, func(a *Attempt) { a.Time = time.Time{} }, ErrInvalidAttempt},
		{"bad account", "xyz", func(*Attempt) {}, couch.ErrInvalidID},
		{"valid", testAccount, func(*Attempt) {}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := ok
			tc.edit(&a)
			if _, err := a.Document(tc.account); !errors.Is(err, tc.want) ||
				(tc.want == nil && err != nil) {
				t.Errorf("Document error = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestDocumentClipsLongStrings(t *testing.T) {
	long := strings.Repeat("é", maxString) // 2 bytes a rune
	a := Attempt{Time: when, Status: StatusFailed, Message: long,
		Details: map[string]any{"duo_message": long}}
	doc, err := a.Document(testAccount)
	if err != nil {
		t.Fatal(err)
	}
	msg := doc["message"].(string)
	dm := doc["details"].(map[string]any)["duo_message"].(string)
	for name, s := range map[string]string{"message": msg, "details.duo_message": dm} {
		if len(s) > maxString || !strings.HasPrefix(long, s) || len(s) < maxString-1 {
			t.Errorf("%s has %d bytes, want the first %d bytes on a rune boundary",
				name, len(s), maxString)
		}
	}
}
