package provider

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"
)

func TestDecode(t *testing.T) {
	d := decode(t, `{"name":"A","_id":"evil","_rev":"1-x","id":"evil","pvt_type":"user",
		"pvt_account_id":"evil","x_custom":{"n":1.50},"settings":{"secret_key_set":true,
		"client_secret_set":false,"application_secret_key_set":true,"custom":[1,2],
		"pvt_inner":"kept"},"lockout":null}`)
	want := Doc{
		"name":     "A",
		"x_custom": map[string]any{"n": json.Number("1.50")},
		"settings": map[string]any{"custom": []any{json.Number("1"), json.Number("2")},
			"pvt_inner": "kept"},
		"lockout": nil,
	}
	if !reflect.DeepEqual(d, want) {
		t.Fatalf("got %#v, want %#v", d, want)
	}

	for _, tc := range []struct {
		name, data string
		want       error
	}{
		{"array", `[]`, ErrNotObject},
		{"string", `"x"`, ErrNotObject},
		{"null", `null`, ErrNotObject},
		{"empty", ``, ErrSyntax},
		{"truncated", `{"name":`, ErrSyntax},
		{"trailing data", `{} {}`, ErrSyntax},
		{"trailing garbage", `{}x`, ErrSyntax},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Decode([]byte(tc.data)); !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}

var meta = Meta{
	AccountID: "4f1c2a0e3b5d4c6e8f9a0b1c2d3e4f50",
	AccountDB: "account%2F4f%2F1c%2F2a0e3b5d4c6e8f9a0b1c2d3e4f50",
	ID:        "0123456789abcdef0123456789abcdef",
	Now:       time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC),
}

func TestNew(t *testing.T) {
	in := decode(t, `{"name":"TESTING","custom":"kept","_rev":"9-x","settings":{
		"integration_key":"`+testIKey+`","secret_key":"`+testSKey+`",
		"application_secret_key":"","client_secret":null,"extra":1}}`)
	before := in.Clone()
	d := New(in, meta)

	greg := meta.Now.Unix() + 62167219200
	for k, want := range map[string]any{
		"_id": meta.ID, "pvt_type": "provider", "pvt_provider_type": "multi_factor",
		"pvt_account_id": meta.AccountID, "pvt_account_db": meta.AccountDB,
		"pvt_created": greg, "pvt_modified": greg, "pvt_vsn": "1",
		"enabled": true, "provider_name": "duo", "custom": "kept", "name": "TESTING",
	} {
		if !reflect.DeepEqual(d[k], want) {
			t.Errorf("%s: got %#v, want %#v", k, d[k], want)
		}
	}
	if _, ok := d["_rev"]; ok {
		t.Errorf("_rev from the client was kept")
	}
	s := settingsOf(t, d)
	if _, ok := s[ApplicationSecretKey]; ok {
		t.Errorf("empty secret kept")
	}
	if _, ok := s[ClientSecret]; ok {
		t.Errorf("null secret kept")
	}
	if s["extra"] != json.Number("1") {
		t.Errorf("unknown setting lost: %#v", s)
	}
	if !reflect.DeepEqual(in, before) {
		t.Fatalf("New modified its argument")
	}

	explicit := New(decode(t, `{"enabled":false,"provider_name":"duo_universal"}`), meta)
	if explicit["enabled"] != false || explicit["provider_name"] != "duo_universal" {
		t.Fatalf("New overrode given values: %#v", explicit)
	}
}

// stored is a document as read from the store, secrets opened.
func stored(t *testing.T) Doc {
	t.Helper()
	d := New(validDuo(t), meta)
	d["_rev"] = "3-abc"
	d["unknown_top"] = "old"
	settingsOf(t, d)["unknown_setting"] = "old"
	settingsOf(t, d)[ClientSecret] = testCSec
	return d
}

func TestReplace(t *testing.T) {
	st := stored(t)
	stBefore := st.Clone()
	in := decode(t, `{"name":"Renamed","enabled":false,"provider_name":"duo","new_top":1,
		"pvt_type":"hacked","settings":{"integration_key":"DINEWKEY000000000001",
		"api_hostname":"api-new.duosecurity.com","secret_key":"",
		"client_secret":null,"new_setting":true}}`)
	inBefore := in.Clone()
	got := Replace(st, in)

	want := Doc{
		"_id": meta.ID, "_rev": "3-abc", "pvt_type": "provider",
		"pvt_provider_type": "multi_factor", "pvt_account_id": meta.AccountID,
		"pvt_account_db": meta.AccountDB, "pvt_created": st["pvt_created"],
		"pvt_modified": st["pvt_modified"], "pvt_vsn": "1",
		"name": "Renamed", "enabled": false, "provider_name": "duo",
		"new_top": json.Number("1"),
		"settings": map[string]any{
			"integration_key": "DINEWKEY000000000001", "api_hostname": "api-new.duosecurity.com",
			"new_setting": true,
			SecretKey:     testSKey, // "" keeps the stored secret
			// application_secret_key omitted: kept.
			ApplicationSecretKey: testAKey,
			// client_secret null: removed.
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got\n%#v\nwant\n%#v", got, want)
	}
	if !reflect.DeepEqual(st, stBefore) || !reflect.DeepEqual(in, inBefore) {
		t.Fatalf("Replace modified an argument")
	}
	if p := Validate(got, nil); p.Len() != 0 {
		t.Fatalf("replaced document invalid: %v", join(flat(p)))
	}
}

func TestReplaceWithoutSettings(t *testing.T) {
	for _, tc := range []struct{ name, data string }{
		{"absent", `{"name":"N","provider_name":"duo"}`},
		{"null", `{"name":"N","provider_name":"duo","settings":null}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Replace(stored(t), decode(t, tc.data))
			s := settingsOf(t, got)
			want := map[string]any{SecretKey: testSKey, ApplicationSecretKey: testAKey,
				ClientSecret: testCSec}
			if !reflect.DeepEqual(s, want) {
				t.Fatalf("got settings %#v, want only the kept secrets %#v", s, want)
			}
			wantProblems := []string{"settings.api_hostname required",
				"settings.integration_key required"}
			if p := flat(Validate(got, nil)); !equalStrings(p, wantProblems) {
				t.Fatalf("got %v, want %v", join(p), join(wantProblems))
			}
		})
	}

	bad := Replace(stored(t), decode(t, `{"name":"N","settings":"oops"}`))
	if bad["settings"] != "oops" {
		t.Fatalf("non-object settings: got %#v, want it kept for Validate", bad["settings"])
	}
}

func TestMerge(t *testing.T) {
	for _, tc := range []struct {
		name  string
		patch string
		check func(t *testing.T, d Doc)
	}{
		{"change one setting, keep the rest", `{"settings":{"api_hostname":"api-x.duo.com"}}`,
			func(t *testing.T, d Doc) {
				s := settingsOf(t, d)
				if s["api_hostname"] != "api-x.duo.com" || s[SecretKey] != testSKey ||
					s["unknown_setting"] != "old" || d["name"] != "Main" {
					t.Fatalf("got %#v", d)
				}
			}},
		{"null deletes", `{"unknown_top":null,"settings":{"client_secret":null}}`,
			func(t *testing.T, d Doc) {
				if _, ok := d["unknown_top"]; ok {
					t.Fatalf("unknown_top not deleted")
				}
				if _, ok := settingsOf(t, d)[ClientSecret]; ok {
					t.Fatalf("client_secret not deleted")
				}
			}},
		{"empty secret keeps stored", `{"settings":{"secret_key":"","application_secret_key":""}}`,
			func(t *testing.T, d Doc) {
				s := settingsOf(t, d)
				if s[SecretKey] != testSKey || s[ApplicationSecretKey] != testAKey {
					t.Fatalf("secrets changed: %#v", s)
				}
			}},
		{"new secret replaces", `{"settings":{"secret_key":"` + testCSec + `"}}`,
			func(t *testing.T, d Doc) {
				if settingsOf(t, d)[SecretKey] != testCSec {
					t.Fatalf("secret not replaced")
				}
			}},
		{"arrays replace", `{"settings":{"factors":["sms"]}}`, func(t *testing.T, d Doc) {
			if !reflect.DeepEqual(settingsOf(t, d)["factors"], []any{"sms"}) {
				t.Fatalf("got %#v", settingsOf(t, d)["factors"])
			}
		}},
		{"deep object merge", `{"settings":{"lockout":{"window_s":60,"x":null}}}`,
			func(t *testing.T, d Doc) {
				want := map[string]any{"window_s": json.Number("60")}
				if !reflect.DeepEqual(settingsOf(t, d)["lockout"], want) {
					t.Fatalf("got %#v, want %#v", settingsOf(t, d)["lockout"], want)
				}
			}},
		{"private fields ignored", `{"_rev":"9-z","pvt_account_id":"x","id":"y"}`,
			func(t *testing.T, d Doc) {
				if d["_rev"] != "3-abc" || d["pvt_account_id"] != meta.AccountID {
					t.Fatalf("private fields changed: %#v", d)
				}
				if _, ok := d["id"]; ok {
					t.Fatalf("id added")
				}
			}},
		{"object over scalar", `{"unknown_top":{"a":1}}`, func(t *testing.T, d Doc) {
			if !reflect.DeepEqual(d["unknown_top"], map[string]any{"a": json.Number("1")}) {
				t.Fatalf("got %#v", d["unknown_top"])
			}
		}},
		{"scalar over object", `{"settings":7}`, func(t *testing.T, d Doc) {
			if p := flat(Validate(d, nil)); !equalStrings(p, []string{"settings type"}) {
				t.Fatalf("got %v, want [settings type]", join(p))
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := stored(t)
			before := st.Clone()
			patch := decode(t, tc.patch)
			patchBefore := patch.Clone()
			got := Merge(st, patch)
			if !reflect.DeepEqual(st, before) || !reflect.DeepEqual(patch, patchBefore) {
				t.Fatalf("Merge modified an argument")
			}
			tc.check(t, got)
		})
	}
}

func TestMergeNilStored(t *testing.T) {
	got := Merge(nil, decode(t, `{"name":"x"}`))
	if got["name"] != "x" {
		t.Fatalf("got %#v", got)
	}
}

func TestGregorian(t *testing.T) {
	if got := Gregorian(time.Unix(0, 0)); got != 62167219200 {
		t.Fatalf("got %d, want 62167219200", got)
	}
}
