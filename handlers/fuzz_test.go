package handlers_test

import (
	"net/http"
	"testing"

	"github.com/duo-kazoo/duo-kazoo/app/apptest"
)

// FuzzConfigBody sends arbitrary bodies to create, replace and patch: the
// API answers 2xx or 4xx, never a 5xx.
func FuzzConfigBody(f *testing.F) {
	e := apptest.Start(f, apptest.Options{})
	acct, admin := e.KAZOO.Sub.ID, e.KAZOO.Sub.Admin.Token
	id, _ := createF(f, e, acct, admin)
	for _, seed := range []string{
		`{"data":{"name":"x","settings":{"integration_key":"DIWJ8X6AEYOR5OMC6TQ1"}}}`,
		`{"data":{"settings":{"lockout":{"max_failures":-1}}}}`,
		`{"data":{"settings":{"factors":["push","push",7,null]}}}`,
		`{"data":{"settings":{"api_hostname":"https://[::1]:99999/x"}}}`,
		`{"data":{"name":"` + "\u0000\u202e" + `","enabled":null}}`,
		`{"data":{"settings":{"duo_expire":1e308,"app_expire":-0.5}}}`,
		`{"data":{"settings":null,"provider_name":{"a":1}}}`,
		`{"data":[]}`, `[]`, `null`, `{"data":{"_id":"x","_rev":"1-a","pvt_type":"user"}}`,
		// Secrets that look sealed (once a 500 when the store tried to open them).
		`{"data":{"name":"dk","settings":{"integration_key":"` + testIKey + `",` +
			`"secret_key":"dk1:0a1b2c3d:AAAAAAAAAAAAAAAAAAAAAAAAAAA","api_hostname":"` +
			testHost + `","application_secret_key":"dk1:` + testAKey + `"}}}`,
		`{"data":{"settings":{"secret_key":"dk1:0a1b2c3d:AAAAAAAAAAAAAAAAAAAAAAAAAAA"}}}`,
		`{"data":{"provider_name":"duo_universal","settings":{"client_id":"` + testCID + `",` +
			`"client_secret":"dk1:` + testCSec[4:] + `","api_hostname":"` + testHost + `",` +
			`"redirect_uri":"https://m.example/cb"}}}`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		base := accountPath(acct) + "/duo"
		for _, req := range []struct{ method, path string }{
			{http.MethodPut, base},
			{http.MethodPost, base + "/" + id},
			{http.MethodPatch, base + "/" + id},
		} {
			status, out := e.DoHeaders(t, req.method, req.path, admin, []byte(body),
				map[string]string{"Content-Type": "application/json"})
			if status >= 500 {
				t.Fatalf("%s %s answered %d for body %q:\n%s", req.method, req.path, status,
					body, out)
			}
		}
	})
}

// FuzzToken sends arbitrary tokens: the API answers 401, never 5xx.
func FuzzToken(f *testing.F) {
	e := apptest.Start(f, apptest.Options{})
	path := accountPath(e.KAZOO.Sub.ID) + "/duo"
	for _, seed := range []string{"", "a.b.c", "eyJhbGciOiJub25lIn0.e30.", "....",
		e.KAZOO.Sub.Admin.Token + "x", e.KAZOO.Sub.Admin.Token[:40]} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, token string) {
		status, out := e.DoHeaders(t, http.MethodGet, path, "", nil,
			map[string]string{"X-Auth-Token": sanitizeHeader(token)})
		if status >= 500 {
			t.Fatalf("token %q answered %d:\n%s", token, status, out)
		}
		if status == 200 && token != e.KAZOO.Sub.Admin.Token {
			t.Fatalf("token %q was accepted", token)
		}
	})
}

func createF(f *testing.F, e *apptest.Env, acct, token string) (string, string) {
	status, out := e.Do(f, http.MethodPut, accountPath(acct)+"/duo", token, duoConfig("FUZZ"))
	if status != http.StatusCreated {
		f.Fatalf("create: %d %s", status, out)
	}
	env := apptest.Decode(f, out)
	id, _ := env.Object(f)["id"].(string)
	return id, env.Revision
}

// sanitizeHeader drops bytes net/http refuses in header values.
func sanitizeHeader(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x20 && c != 0x7f {
			b = append(b, c)
		}
	}
	return string(b)
}
