package handlers_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/duo-kazoo/duo-kazoo/app/apptest"
)

const (
	testCID  = "DIUNIVERSAL000000001"
	testCSec = "Qw3rTy7uIoP9aSdFgHjKlZxCvBnM1234567890ab"
)

func universalConfig(name string) map[string]any {
	return map[string]any{"data": map[string]any{
		"name": name, "enabled": true, "provider_name": "duo_universal",
		"settings": map[string]any{"client_id": testCID, "client_secret": testCSec,
			"api_hostname": testHost, "redirect_uri": "https://monster.example.test/duo/callback"},
	}}
}

// withSettings returns body (a duoConfig or universalConfig) with its
// settings changed: a nil value deletes the setting.
func withSettings(body map[string]any, change map[string]any) map[string]any {
	s := body["data"].(map[string]any)["settings"].(map[string]any)
	for k, v := range change {
		if v == nil {
			delete(s, k)
		} else {
			s[k] = v
		}
	}
	return body
}

func data(v map[string]any) map[string]any { return map[string]any{"data": v} }

// send is a request that may run on any goroutine (apptest's Do fails the
// test, which only the test's goroutine may do).
func send(e *apptest.Env, method, path, token string, body any) (int, []byte, error) {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, e.URL+path, r)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("X-Auth-Token", token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	return resp.StatusCode, out, err
}

// problemsOf returns the field problems of a 400 validation_failed
// answer: path, then rule, then {message, key, ...}.
func problemsOf(t *testing.T, status int, out []byte) map[string]map[string]map[string]any {
	t.Helper()
	env := apptest.Decode(t, out)
	if status != http.StatusBadRequest || env.Message != "validation_failed" {
		t.Fatalf("got %d %s, want 400 validation_failed", status, out)
	}
	var p map[string]map[string]map[string]any
	if err := json.Unmarshal(env.Data, &p); err != nil {
		t.Fatalf("validation data is not {path: {rule: problem}}: %v\n%s", err, env.Data)
	}
	return p
}

// wantOnlyProblem fails unless the 400 reports exactly one problem: path,
// rule, with message key key.
func wantOnlyProblem(t *testing.T, status int, out []byte, path, rule, key string) {
	t.Helper()
	p := problemsOf(t, status, out)
	pr, ok := p[path][rule]
	if !ok || len(p) != 1 || len(p[path]) != 1 {
		t.Fatalf("got problems %s, want only %s %s", out, path, rule)
	}
	if pr["key"] != key {
		t.Fatalf("%s %s: got key %v, want %s", path, rule, pr["key"], key)
	}
	if msg, _ := pr["message"].(string); msg == "" {
		t.Fatalf("%s %s has no message", path, rule)
	}
}

// settingsOf returns the settings of a configuration view.
func settingsOf(t *testing.T, view map[string]any) map[string]any {
	t.Helper()
	s, ok := view["settings"].(map[string]any)
	if !ok {
		t.Fatalf("view has no settings object: %v", view)
	}
	return s
}
