package provider

import (
	"encoding/json"
	"strings"
	"testing"
)

// FuzzDecodeValidate runs arbitrary request data through every operation
// of a request: none may panic, every problem must have a rendered
// message, a valid document must seal, and the public view must never
// contain a secret.
func FuzzDecodeValidate(f *testing.F) {
	f.Add([]byte(`{"name":"TESTING","provider_name":"duo","settings":{` +
		`"integration_key":"4kdLathyppdElkafetu9loppjhdgf",` +
		`"secret_key":"4889704gShoapqktmogrrt!!!","api_hostname":"jdkfl"}}`))
	f.Add([]byte(`{"name":1,"enabled":"x","settings":{"factors":[1,"push","push"],` +
		`"lockout":{"max_failures":1e999},"duo_expire":-0.5}}`))
	f.Add([]byte(`{"provider_name":"duo_universal",` +
		`"settings":{"redirect_uri":"http://[::1]:0/#"}}`))
	f.Add([]byte(`{"settings":null,"_id":"x","pvt_type":1}`))
	f.Add([]byte(`{"name":"x","settings":{"integration_key":"` + testIKey + `",` +
		`"secret_key":"dk1:00000000:AAAAAAAAAAAAAAAAAAAAAAAAAAA","api_hostname":"` + testHost +
		`","application_secret_key":"dk1:` + testAKey + `"}}`))
	f.Add([]byte(`[]`))

	ring := testRing(f)
	st := Doc{"_id": "abc", "name": "Stored", "settings": map[string]any{
		SecretKey: testSKey, ApplicationSecretKey: testAKey, ClientSecret: testCSec}}

	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := Decode(data)
		if err != nil {
			return
		}
		for _, d := range []Doc{in, New(in, meta), Replace(st, in), Merge(st, in)} {
			p := Validate(d, []string{"Stored"})
			for path, rules := range p {
				for rule, pr := range rules {
					if pr.Message == "" || strings.Contains(pr.Message, "{{") {
						t.Fatalf("%s %s: unrendered message %q", path, rule, pr.Message)
					}
				}
			}
			if p.Len() == 0 {
				if _, err := ParseConfig(d); err != nil {
					t.Fatalf("valid document rejected by ParseConfig: %v", err)
				}
				// What Validate accepts, the store can seal (no 500).
				if _, err := Seal(d, ring, meta.AccountID, meta.ID); err != nil {
					t.Fatalf("valid document cannot be sealed: %v", err)
				}
			}
			js, err := json.Marshal(Public(d))
			if err != nil {
				t.Fatalf("marshal public view: %v", err)
			}
			for _, s := range []string{testSKey, testAKey, testCSec} {
				if strings.Contains(string(js), s) && !strings.Contains(string(data), s) {
					t.Fatalf("public view reveals a stored secret")
				}
			}
			_ = Summary(d)
		}
	})
}
