package provider

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestValidateValid(t *testing.T) {
	full := validDuo(t)
	s := settingsOf(t, full)
	s["duo_expire"] = json.Number("300")
	s["app_expire"] = float64(3600)
	s["failmode"] = "safe"
	s["factors"] = []any{"push", "passcode"}
	s["username_source"] = "email"
	s["lockout"] = map[string]any{"max_failures": 3, "window_s": 600, "duration_s": 1800,
		"future_option": "kept"}
	s["unknown_setting"] = map[string]any{"x": 1}
	full["unknown_top"] = []any{1, "two"}

	withUniversalExtras := validDuo(t)
	settingsOf(t, withUniversalExtras)["client_id"] = testCID

	for _, tc := range []struct {
		name string
		doc  Doc
	}{
		{"duo minimal", validDuo(t)},
		{"duo with every option and unknown fields", full},
		{"universal", validUniversal(t)},
		{"duo with a field of the other provider", withUniversalExtras},
		{"enabled null", func() Doc { d := validDuo(t); d["enabled"] = nil; return d }()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if p := Validate(tc.doc, []string{"Other"}); p.Len() != 0 {
				t.Fatalf("got problems %v, want none", join(flat(p)))
			}
			if err := Validate(tc.doc, nil).Err(); err != nil {
				t.Fatalf("Err() = %v, want nil", err)
			}
		})
	}
}

// TestValidateRules breaks one rule per case and expects exactly the
// problems listed.
func TestValidateRules(t *testing.T) {
	set := func(key string, v any) func(Doc) {
		return func(d Doc) { d[key] = v }
	}
	setS := func(key string, v any) func(Doc) {
		return func(d Doc) { d.Settings()[key] = v }
	}
	delS := func(key string) func(Doc) {
		return func(d Doc) { delete(d.Settings(), key) }
	}
	for _, tc := range []struct {
		name   string
		base   func(testing.TB) Doc
		change func(Doc)
		want   []string
	}{
		{"name missing", validDuo, func(d Doc) { delete(d, "name") }, []string{"name required"}},
		{"name null", validDuo, set("name", nil), []string{"name required"}},
		{"name empty", validDuo, set("name", ""), []string{"name required"}},
		{"name blank", validDuo, set("name", "   "), []string{"name pattern"}},
		{"name not a string", validDuo, set("name", json.Number("7")), []string{"name type"}},
		{"name too long", validDuo, set("name", strings.Repeat("é", 129)),
			[]string{"name maxLength"}},
		{"name 128 characters", validDuo, set("name", strings.Repeat("é", 128)), nil},
		{"name control character", validDuo, set("name", "a\nb"), []string{"name pattern"}},
		{"name taken", validDuo, set("name", " other "), []string{"name unique"}},
		{"enabled not boolean", validDuo, set("enabled", "yes"), []string{"enabled type"}},
		{"provider_name missing", validDuo, func(d Doc) { delete(d, "provider_name") },
			[]string{"provider_name required"}},
		{"provider_name unknown", validDuo, set("provider_name", "okta"),
			[]string{"provider_name enum"}},
		{"provider_name not a string", validDuo, set("provider_name", true),
			[]string{"provider_name type"}},
		{"settings not an object", validDuo, set("settings", []any{}),
			[]string{"settings type"}},
		{"settings missing", validDuo, func(d Doc) { delete(d, "settings") }, []string{
			"settings.api_hostname required", "settings.application_secret_key required",
			"settings.integration_key required", "settings.secret_key required"}},
		{"integration_key missing", validDuo, delS("integration_key"),
			[]string{"settings.integration_key required"}},
		{"integration_key short", validDuo, setS("integration_key", "DI123"),
			[]string{"settings.integration_key minLength"}},
		{"integration_key long", validDuo, setS("integration_key", testIKey+"X"),
			[]string{"settings.integration_key maxLength"}},
		{"integration_key space", validDuo, setS("integration_key", "DIWJ8X6AEYOR5OMC6TQ "),
			[]string{"settings.integration_key pattern"}},
		{"integration_key pipe", validDuo, setS("integration_key", "DIWJ8X6AEYOR5OMC6TQ|"),
			[]string{"settings.integration_key pattern"}},
		{"integration_key number", validDuo, setS("integration_key", json.Number("1")),
			[]string{"settings.integration_key type"}},
		{"secret_key short", validDuo, setS(SecretKey, testSKey[:39]),
			[]string{"settings.secret_key minLength"}},
		{"secret_key long", validDuo, setS(SecretKey, testSKey+"x"),
			[]string{"settings.secret_key maxLength"}},
		{"secret_key non-ASCII", validDuo, setS(SecretKey, testSKey[:39]+"é"),
			[]string{"settings.secret_key pattern"}},
		{"secret_key sealed prefix", validDuo, setS(SecretKey, "dk1:"+testSKey[4:]),
			[]string{"settings.secret_key pattern"}},
		{"secret_key sealed prefix and short", validDuo, setS(SecretKey, "dk1:abc"),
			[]string{"settings.secret_key minLength", "settings.secret_key pattern"}},
		{"secret_key prefix only in the middle", validDuo,
			setS(SecretKey, testSKey[:10]+"dk1:"+testSKey[14:]), nil},
		{"application_secret_key sealed prefix", validDuo,
			setS(ApplicationSecretKey, "dk1:"+testAKey),
			[]string{"settings.application_secret_key pattern"}},
		{"application_secret_key short", validDuo, setS(ApplicationSecretKey, testAKey[:39]),
			[]string{"settings.application_secret_key minLength"}},
		{"application_secret_key 512", validDuo,
			setS(ApplicationSecretKey, strings.Repeat("k", 512)), nil},
		{"application_secret_key 513", validDuo,
			setS(ApplicationSecretKey, strings.Repeat("k", 513)),
			[]string{"settings.application_secret_key maxLength"}},
		{"api_hostname missing", validDuo, delS("api_hostname"),
			[]string{"settings.api_hostname required"}},
		{"api_hostname with scheme", validDuo, setS("api_hostname", "https://"+testHost),
			[]string{"settings.api_hostname format"}},
		{"api_hostname single label", validDuo, setS("api_hostname", "jdkfl"),
			[]string{"settings.api_hostname format"}},
		{"duo_expire zero", validDuo, setS("duo_expire", json.Number("0")),
			[]string{"settings.duo_expire minimum"}},
		{"duo_expire too big", validDuo, setS("duo_expire", json.Number("3601")),
			[]string{"settings.duo_expire maximum"}},
		{"duo_expire fraction", validDuo, setS("duo_expire", json.Number("300.5")),
			[]string{"settings.duo_expire type"}},
		{"duo_expire string", validDuo, setS("duo_expire", "300"),
			[]string{"settings.duo_expire type"}},
		{"app_expire negative", validDuo, setS("app_expire", float64(-1)),
			[]string{"settings.app_expire minimum"}},
		{"app_expire too big", validDuo, setS("app_expire", json.Number("86401")),
			[]string{"settings.app_expire maximum"}},
		{"failmode unknown", validDuo, setS("failmode", "open"),
			[]string{"settings.failmode enum"}},
		{"failmode wrong case", validDuo, setS("failmode", "Safe"),
			[]string{"settings.failmode enum"}},
		{"factors not array", validDuo, setS("factors", "push"),
			[]string{"settings.factors type"}},
		{"factors empty", validDuo, setS("factors", []any{}),
			[]string{"settings.factors minItems"}},
		{"factors unknown item", validDuo, setS("factors", []any{"push", "email"}),
			[]string{"settings.factors.1 enum"}},
		{"factors item type", validDuo, setS("factors", []any{true}),
			[]string{"settings.factors.0 type"}},
		{"factors duplicate", validDuo, setS("factors", []any{"sms", "sms"}),
			[]string{"settings.factors uniqueItems"}},
		{"username_source unknown", validDuo, setS("username_source", "phone"),
			[]string{"settings.username_source enum"}},
		{"lockout not object", validDuo, setS("lockout", json.Number("5")),
			[]string{"settings.lockout type"}},
		{"lockout bounds", validDuo, setS("lockout", map[string]any{
			"max_failures": json.Number("0"), "window_s": json.Number("59"),
			"duration_s": json.Number("604801")}), []string{
			"settings.lockout.duration_s maximum", "settings.lockout.max_failures minimum",
			"settings.lockout.window_s minimum"}},
		{"lockout max_failures too big", validDuo,
			setS("lockout", map[string]any{"max_failures": 101}),
			[]string{"settings.lockout.max_failures maximum"}},
		{"lockout string", validDuo, setS("lockout", map[string]any{"window_s": "900"}),
			[]string{"settings.lockout.window_s type"}},
		{"other provider's field checked", validDuo, setS("client_id", "short"),
			[]string{"settings.client_id minLength"}},
		{"other provider's field empty", validDuo, setS("client_secret", ""), nil},
		{"universal client_id missing", validUniversal, delS("client_id"),
			[]string{"settings.client_id required"}},
		{"universal client_secret short", validUniversal, setS(ClientSecret, "x"),
			[]string{"settings.client_secret minLength"}},
		{"universal client_secret sealed prefix", validUniversal,
			setS(ClientSecret, "dk1:"+testCSec[4:]),
			[]string{"settings.client_secret pattern"}},
		{"universal redirect_uri missing", validUniversal, delS("redirect_uri"),
			[]string{"settings.redirect_uri required"}},
		{"universal redirect_uri http", validUniversal,
			setS("redirect_uri", "http://portal.example.com/duo"),
			[]string{"settings.redirect_uri format"}},
		{"universal redirect_uri too long", validUniversal,
			setS("redirect_uri", "https://a.example/"+strings.Repeat("p", 2048)),
			[]string{"settings.redirect_uri maxLength"}},
		{"universal api_hostname missing", validUniversal, delS("api_hostname"),
			[]string{"settings.api_hostname required"}},
		{"universal does not need duo keys", validUniversal, setS("integration_key", nil), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := tc.base(t)
			tc.change(d)
			got := flat(Validate(d, []string{"Other"}))
			if !equalStrings(got, tc.want) {
				t.Fatalf("got %v, want %v", join(got), join(tc.want))
			}
		})
	}
}

// TestValidateAllAtOnce: the quick-start guide's example values, plus a
// few more mistakes, are all reported together.
func TestValidateAllAtOnce(t *testing.T) {
	d := decode(t, `{"name":"TESTING","enabled":"true","provider_name":"duo","settings":{
		"application_secret_key":"bn7HP3YBVUJgF58CHXxbWM8E9j46564d8P2huCB3",
		"integration_key":"4kdLathyppdElkafetu9loppjhdgf",
		"secret_key":"4889704gShoapqktmogrrt!!!",
		"api_hostname":"jdkfl","failmode":"never","lockout":{"max_failures":-1}}}`)
	p := Validate(d, []string{"testing"})
	want := []string{
		"enabled type",
		"name unique",
		"settings.api_hostname format",
		"settings.failmode enum",
		"settings.integration_key maxLength",
		"settings.lockout.max_failures minimum",
		"settings.secret_key minLength",
	}
	if got := flat(p); !equalStrings(got, want) {
		t.Fatalf("got %v, want %v", join(got), join(want))
	}

	for path, msg := range map[string]string{
		"settings.integration_key": "must be exactly 20 characters long",
		"settings.secret_key":      "must be exactly 40 characters long",
		"settings.api_hostname": "must be a fully qualified host name such as " +
			"api-XXXXXXXX.duosecurity.com (a single word is not enough)",
	} {
		for _, pr := range p[path] {
			if pr.Message != msg {
				t.Errorf("%s: got message %q, want %q", path, pr.Message, msg)
			}
		}
	}

	err := p.Err()
	var ve *ValidationError
	if !errors.Is(err, ErrInvalid) || !errors.As(err, &ve) || ve.Problems.Len() != len(want) {
		t.Fatalf("Err() = %v, want a *ValidationError with %d problems", err, len(want))
	}
	for _, secret := range []string{"4889704gShoapqktmogrrt!!!", "bn7HP3YBVUJgF58CHXxbWM8E9j4"} {
		if strings.Contains(err.Error(), secret) || strings.Contains(mustJSON(t, p), secret) {
			t.Fatalf("problems reveal a secret value")
		}
	}
}

func TestProblemShape(t *testing.T) {
	d := validDuo(t)
	settingsOf(t, d)["integration_key"] = "short"
	settingsOf(t, d)["failmode"] = "x"
	p := Validate(d, nil)

	got := mustJSON(t, p["settings.integration_key"])
	want := `{"minLength":{"message":"must be exactly 20 characters long",` +
		`"key":"validation.length","params":{"target":20},"target":20}}`
	if got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
	got = mustJSON(t, p["settings.failmode"])
	want = `{"enum":{"message":"must be one of: secure, safe","key":"validation.enum",` +
		`"params":{"values":"secure, safe"},"target":["secure","safe"]}}`
	if got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
}

func TestMessagesCatalogue(t *testing.T) {
	msgs := Messages()
	for key, tmpl := range msgs {
		if !strings.HasPrefix(key, "validation.") || tmpl == "" {
			t.Errorf("key %q: bad key or empty template", key)
		}
		if i := strings.LastIndexByte(key, '.'); strings.Count(key, ".") > 1 {
			if _, ok := msgs[key[:i]]; !ok {
				t.Errorf("key %q has no generic parent %q", key, key[:i])
			}
		}
	}
	msgs[keyRequired] = "changed"
	if Messages()[keyRequired] == "changed" {
		t.Fatalf("Messages returned the package's own map")
	}
}

// TestSealedPrefixProblem: a secret that looks sealed is refused with its
// own message key, so the client learns why a 40-character value fails.
func TestSealedPrefixProblem(t *testing.T) {
	d := validUniversal(t)
	settingsOf(t, d)[ClientSecret] = "dk1:" + testCSec[4:]
	pr, ok := Validate(d, nil)["settings.client_secret"]["pattern"]
	if !ok || pr.Key != keySealed || !strings.Contains(pr.Message, `"dk1:"`) {
		t.Fatalf("got %+v, want a pattern problem with key %s", pr, keySealed)
	}
	if strings.Contains(mustJSON(t, pr), testCSec[4:]) {
		t.Fatalf("the problem reveals the value")
	}
}

func TestNameKey(t *testing.T) {
	for _, tc := range []struct {
		name string
		a, b string
		same bool
	}{
		{"case", "Main", "MAIN", true},
		{"surrounding spaces", "  main\t", "Main", true},
		{"inner spaces count", "ma in", "main", false},
		{"Kelvin sign folds to k", "\u212aey", "key", true},
		{"long s folds to s", "\u017fecure", "SECURE", true},
		{"Greek sigma forms", "\u03a3\u03c3\u03c2", "\u03c3\u03c2\u03a3", true},
		{"accents differ", "caf\u00e9", "cafe", false},
		{"different names", "Office", "Offices", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := NameKey(tc.a) == NameKey(tc.b); got != tc.same {
				t.Fatalf("NameKey(%q) == NameKey(%q) is %v, want %v", tc.a, tc.b, got, tc.same)
			}
			fold := strings.EqualFold(strings.TrimSpace(tc.a), strings.TrimSpace(tc.b))
			if fold != tc.same {
				t.Fatalf("strings.EqualFold disagrees: %v", fold)
			}
		})
	}
}

func TestNameTaken(t *testing.T) {
	err := NameTaken()
	var ve *ValidationError
	if !errors.As(err, &ve) || !errors.Is(err, ErrInvalid) {
		t.Fatalf("NameTaken() = %v, want a *ValidationError", err)
	}
	want := Validate(validDuo(t), []string{"main"})["name"]
	if got := mustJSON(t, ve.Problems["name"]); got != mustJSON(t, want) {
		t.Fatalf("got %s, want what Validate reports: %s", got, mustJSON(t, want))
	}
}
