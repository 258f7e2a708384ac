package provider

import (
	"reflect"
	"strings"
	"testing"

	"github.com/duo-kazoo/duo-kazoo/secrets"
)

func TestPublic(t *testing.T) {
	st := stored(t)
	before := st.Clone()
	pub := Public(st)

	if !reflect.DeepEqual(st, before) {
		t.Fatalf("Public modified its argument")
	}
	if pub["id"] != meta.ID {
		t.Errorf("id: got %#v, want %q", pub["id"], meta.ID)
	}
	for k := range pub {
		if strings.HasPrefix(k, "_") || strings.HasPrefix(k, "pvt_") {
			t.Errorf("private field %q in the public view", k)
		}
	}
	if pub["unknown_top"] != "old" || pub["name"] != "Main" || pub["enabled"] != true {
		t.Errorf("public fields lost: %#v", pub)
	}

	s := pub["settings"].(map[string]any)
	want := map[string]any{
		"integration_key": testIKey, "api_hostname": testHost, "unknown_setting": "old",
		"secret_key_set": true, "application_secret_key_set": true, "client_secret_set": true,
	}
	if !reflect.DeepEqual(s, want) {
		t.Fatalf("settings: got %#v, want %#v", s, want)
	}
	assertNoSecrets(t, pub, testSKey, testAKey, testCSec)
}

func assertNoSecrets(t *testing.T, v any, secrets ...string) {
	t.Helper()
	js := mustJSON(t, v)
	for _, s := range secrets {
		if strings.Contains(js, s) {
			t.Fatalf("public view contains a secret: %s", js)
		}
	}
}

func TestPublicIndicators(t *testing.T) {
	ring := testRing(t)
	sealed, err := Seal(stored(t), ring, meta.AccountID, meta.ID)
	if err != nil {
		t.Fatal(err)
	}
	sealedSKey, ok := sealed.Settings()[SecretKey].(string)
	if !ok || !secrets.IsSealed(sealedSKey) {
		t.Fatalf("test setup: secret not sealed")
	}
	for _, tc := range []struct {
		name string
		doc  Doc
		want map[string]bool
	}{
		{"sealed secrets", sealed,
			map[string]bool{"secret_key_set": true, "application_secret_key_set": true,
				"client_secret_set": true}},
		{"empty and missing", decode(t, `{"settings":{"secret_key":""}}`),
			map[string]bool{"secret_key_set": false, "application_secret_key_set": false,
				"client_secret_set": false}},
		{"no settings", Doc{"name": "x"},
			map[string]bool{"secret_key_set": false, "application_secret_key_set": false,
				"client_secret_set": false}},
		{"settings not an object", Doc{"settings": testSKey},
			map[string]bool{"secret_key_set": false, "application_secret_key_set": false,
				"client_secret_set": false}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pub := Public(tc.doc)
			s := pub["settings"].(map[string]any)
			for k, want := range tc.want {
				if s[k] != want {
					t.Errorf("%s: got %#v, want %v", k, s[k], want)
				}
			}
			assertNoSecrets(t, pub, testSKey, testAKey, testCSec)
			for _, f := range SecretFields() {
				if _, ok := s[f]; ok {
					t.Errorf("secret field %s present", f)
				}
			}
			assertNoSecrets(t, pub, sealedSKey)
		})
	}
}

// TestPublicRoundTrip: what a client reads, edits and sends back as a POST
// changes nothing but the edit, and the secrets survive.
func TestPublicRoundTrip(t *testing.T) {
	st := stored(t)
	pub := Public(st)
	pub["name"] = "Edited"
	in := decode(t, mustJSON(t, pub))
	got := Replace(st, in)

	want := st.Clone()
	want["name"] = "Edited"
	if !reflect.DeepEqual(mustJSON(t, got), mustJSON(t, want)) {
		t.Fatalf("got %s\nwant %s", mustJSON(t, got), mustJSON(t, want))
	}
}

func TestSummary(t *testing.T) {
	got := Summary(stored(t))
	want := Configured{ID: meta.ID, Name: "Main", ProviderName: "duo",
		ProviderType: "multi_factor", Enabled: true}
	if got != want {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	js := mustJSON(t, got)
	wantJS := `{"id":"` + meta.ID + `","name":"Main","provider_name":"duo",` +
		`"provider_type":"multi_factor","enabled":true}`
	if js != wantJS {
		t.Fatalf("got %s, want %s", js, wantJS)
	}
	if Summary(Doc{"_id": "x"}).Enabled {
		t.Fatalf("absent enabled listed as enabled")
	}
}

func TestDefaultSettings(t *testing.T) {
	d := validDuo(t)
	for k, v := range DefaultSettings() {
		d.Settings()[k] = v
	}
	if p := Validate(d, nil); p.Len() != 0 {
		t.Fatalf("defaults are invalid: %v", join(flat(p)))
	}
	c, err := ParseConfig(d)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := ParseConfig(validDuo(t))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c, plain) {
		t.Fatalf("DefaultSettings disagree with ParseConfig's defaults:\n%#v\n%#v", c, plain)
	}
}
