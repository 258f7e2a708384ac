package duosim

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// FuzzParseRequest feeds arbitrary requests to the Auth API request parser
// and signature verifier: they must answer, never panic.
func FuzzParseRequest(f *testing.F) {
	f.Add("POST", "/auth/v2/preauth", "", "application/x-www-form-urlencoded",
		"username=alice", "Basic RElYWFhYWFhYWFhYWFhYWFhYWFg6YWJj",
		"Tue, 21 Apr 2026 10:00:00 -0000")
	f.Add("GET", "/auth/v2/check", "a=1&b=%zz", "", "", "Basic !!!", "")
	f.Add("POST", "/auth/v2/auth", "", "application/json", `{"a":[1,true,"x"],"b":{"c":1}}`,
		"basic aWtleTo=", "Mon, 02 Jan 2006 15:04:05 -0700")
	f.Add("PUT", "/x", "", "application/json; charset=utf-8", "[1,2]", "Bearer x", "garbage")

	now := time.Date(2026, 4, 21, 10, 0, 0, 0, time.UTC)
	skeyOf := func(ikey string) (string, bool) { return "secret", ikey != "" }
	f.Fuzz(func(t *testing.T, method, path, query, ctype, body, auth, date string) {
		r := &http.Request{
			Method: method,
			URL:    &url.URL{Path: path, RawQuery: query},
			Host:   "127.0.0.1:443",
			Header: http.Header{},
			Body:   io.NopCloser(strings.NewReader(body)),
		}
		r.Header.Set("Content-Type", ctype)
		r.Header.Set("Authorization", auth)
		r.Header.Set("Date", date)
		r.Header.Set("X-Duo-Extra", body)

		p, aerr := parseAPIRequest(r)
		if aerr != nil {
			if aerr.Code == 0 || aerr.Status == 0 {
				t.Fatalf("parse error without code: %+v", aerr)
			}
			return
		}
		ikey, aerr := verifySignature(p, r.Header, skeyOf, now, DefaultMaxSkew)
		if aerr == nil && ikey == "" {
			t.Fatal("verified without an integration key")
		}
	})
}

// FuzzParseHostnames: whatever ParseHostnames accepts, the certificate
// can name, so that a bad DUOSIM_HOSTNAMES is refused by the command
// instead of panicking in New.
func FuzzParseHostnames(f *testing.F) {
	f.Add("duosim, 10.0.0.5,::1,*.duo.test")
	f.Add("dúo.test,,  ,a..b")
	f.Add("-x,x-,*,*.,1.2.3.4.5")
	f.Fuzz(func(t *testing.T, list string) {
		names, err := ParseHostnames(list)
		if err != nil {
			return
		}
		if _, err := newAuthority(names); err != nil {
			t.Fatalf("accepted %q, but the certificate refuses them: %v", names, err)
		}
	})
}
