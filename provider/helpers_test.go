package provider

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

const (
	testIKey = "DIWJ8X6AEYOR5OMC6TQ1"
	testSKey = "Zb0mUjLq4eXnVbR6sD2fHk8wPq1tYz9aC3gJ5uMx"
	testAKey = "useacustomerprovidedapplicationsecretkeyhere1234"
	testCID  = "DIUCLIENTID000000001"
	testCSec = "CsEcReTcSeCrEtCsEcReTcSeCrEtCsEcReT12345"
	testHost = "api-1a2b3c4d.duosecurity.com"
)

// decode is Decode for tests: a failure stops the test.
func decode(t testing.TB, js string) Doc {
	t.Helper()
	d, err := Decode([]byte(js))
	if err != nil {
		t.Fatalf("Decode(%s): %v", js, err)
	}
	return d
}

// validDuo is a valid duo document as a client sends it.
func validDuo(t testing.TB) Doc {
	t.Helper()
	return decode(t, `{"name":"Main","enabled":true,"provider_name":"duo","settings":{
		"integration_key":"`+testIKey+`","secret_key":"`+testSKey+`",
		"application_secret_key":"`+testAKey+`","api_hostname":"`+testHost+`"}}`)
}

// validUniversal is a valid duo_universal document as a client sends it.
func validUniversal(t testing.TB) Doc {
	t.Helper()
	return decode(t, `{"name":"UP","provider_name":"duo_universal","settings":{
		"client_id":"`+testCID+`","client_secret":"`+testCSec+`",
		"api_hostname":"`+testHost+`","redirect_uri":"https://portal.example.com/duo"}}`)
}

// flat lists problems as sorted "path rule" strings.
func flat(p Problems) []string {
	var out []string
	for _, path := range p.Paths() {
		for _, rule := range p.Rules(path) {
			out = append(out, path+" "+rule)
		}
	}
	return out
}

func settingsOf(t testing.TB, d Doc) map[string]any {
	t.Helper()
	s := d.Settings()
	if s == nil {
		t.Fatalf("document has no settings object")
	}
	return s
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	return string(b)
}

func equalStrings(a, b []string) bool {
	return slices.Equal(a, b)
}

func join(s []string) string { return "[" + strings.Join(s, "; ") + "]" }
