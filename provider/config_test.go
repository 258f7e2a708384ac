package provider

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/duo-kazoo/duo-kazoo/duo/failmode"
)

func TestParseConfigDefaults(t *testing.T) {
	d := New(validDuo(t), meta)
	c, err := ParseConfig(d)
	if err != nil {
		t.Fatal(err)
	}
	want := Config{
		ID: meta.ID, Name: "Main", Enabled: true, Provider: ProviderDuo,
		IntegrationKey: testIKey, SecretKey: testSKey, ApplicationSecretKey: testAKey,
		APIHostname: testHost, DuoExpire: 300 * time.Second, AppExpire: time.Hour,
		Failmode: failmode.Secure, Factors: []string{"push", "sms", "phone", "passcode"},
		UsernameSource: UsernameOwnerID,
		Lockout: Lockout{MaxFailures: 5, Window: 900 * time.Second,
			Duration: 900 * time.Second},
	}
	if !reflect.DeepEqual(c, want) {
		t.Fatalf("got %#v, want %#v", c, want)
	}
}

func TestParseConfigValues(t *testing.T) {
	d := validUniversal(t)
	s := settingsOf(t, d)
	s["duo_expire"] = json.Number("120")
	s["app_expire"] = float64(7200)
	s["failmode"] = "safe"
	s["factors"] = []any{"passcode", "sms"}
	s["username_source"] = "username"
	s["lockout"] = map[string]any{"max_failures": json.Number("3"), "window_s": 60}
	c, err := ParseConfig(d)
	if err != nil {
		t.Fatal(err)
	}
	if c.Provider != ProviderUniversal || c.ClientID != testCID ||
		c.ClientSecret.Reveal() != testCSec || c.RedirectURI != "https://portal.example.com/duo" ||
		c.DuoExpire != 2*time.Minute || c.AppExpire != 2*time.Hour ||
		c.Failmode != failmode.Safe || !reflect.DeepEqual(c.Factors, []string{"passcode", "sms"}) ||
		c.UsernameSource != UsernameUsername || c.Enabled ||
		c.Lockout != (Lockout{3, time.Minute, 900 * time.Second}) {
		t.Fatalf("got %#v", c)
	}
}

func TestParseConfigErrors(t *testing.T) {
	bad := validDuo(t)
	settingsOf(t, bad)["api_hostname"] = "jdkfl"
	if _, err := ParseConfig(bad); !errors.Is(err, ErrInvalid) {
		t.Fatalf("invalid doc: got %v, want ErrInvalid", err)
	}
	sealed, err := Seal(validDuo(t), testRing(t), meta.AccountID, meta.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ParseConfig(sealed); !errors.Is(err, ErrSealed) {
		t.Fatalf("sealed doc: got %v, want ErrSealed", err)
	}
	if _, err := ParseConfig(sealed); err != nil && strings.Contains(err.Error(), "dk1:") {
		t.Fatalf("error reveals the sealed value: %v", err)
	}
}

func TestSecretRedaction(t *testing.T) {
	c, err := ParseConfig(validDuo(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
		if out := fmt.Sprintf(format, c); strings.Contains(out, testSKey) ||
			strings.Contains(out, testAKey) || strings.Contains(out, fmt.Sprintf("%x", testSKey)) {
			t.Errorf("%s prints a secret: %s", format, out)
		}
		if out := fmt.Sprintf(format, c.SecretKey); out != "[redacted]" {
			t.Errorf("%s of a Secret: got %q, want [redacted]", format, out)
		}
	}
	js := mustJSON(t, c)
	if strings.Contains(js, testSKey) || strings.Contains(js, testAKey) {
		t.Fatalf("JSON reveals a secret: %s", js)
	}
	if !strings.Contains(js, `"SecretKey":"[redacted]"`) {
		t.Fatalf("JSON: got %s, want SecretKey redacted", js)
	}
	if c.SecretKey.Reveal() != testSKey || !c.SecretKey.IsSet() || c.ClientSecret.IsSet() {
		t.Fatalf("Reveal/IsSet wrong")
	}
}
