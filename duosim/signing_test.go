package duosim_test

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"hash"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	duoapi "github.com/duosecurity/duo_api_golang"

	"github.com/duo-kazoo/duo-kazoo/duosim"
)

// handSigned builds a form-encoded request signed as in Duo's docs
// (signature version 2), with the given date header value.
func handSigned(t *testing.T, sim *duosim.Server, method, path string, params map[string]string,
	ikey, skey, dateHeader, date string, newHash func() hash.Hash) *http.Request {
	t.Helper()
	v := values()
	for k, val := range params {
		v.Set(k, val)
	}
	canon := strings.Join([]string{date, method, strings.ToLower(sim.Host()), path,
		strings.ReplaceAll(v.Encode(), "+", "%20")}, "\n")
	m := hmac.New(newHash, []byte(skey))
	m.Write([]byte(canon))
	auth := base64.StdEncoding.EncodeToString([]byte(ikey + ":" + hex.EncodeToString(m.Sum(nil))))

	target := sim.URL() + path
	var body io.Reader
	if method == http.MethodGet {
		target += "?" + v.Encode()
	} else {
		body = strings.NewReader(v.Encode())
	}
	req, err := http.NewRequest(method, target, body)
	if err != nil {
		t.Fatalf("building request: %v", err)
	}
	if method != http.MethodGet {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Authorization", "Basic "+auth)
	if dateHeader != "" {
		req.Header.Set(dateHeader, date)
	}
	return req
}

type envelope struct {
	Stat     string          `json:"stat"`
	Code     int             `json:"code"`
	Message  string          `json:"message"`
	Response json.RawMessage `json:"response"`
}

func do(t *testing.T, sim *duosim.Server, req *http.Request) (int, envelope) {
	t.Helper()
	resp, err := sim.HTTPClient().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer func() { _ = resp.Body.Close() }()
	var env envelope
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
		t.Fatalf("decoding reply: %v", err)
	}
	return resp.StatusCode, env
}

func TestSignatureChecks(t *testing.T) {
	now := time.Now()
	sim := newSim(t, duosim.Options{Now: func() time.Time { return now }})
	sim.SetUser("alice", duosim.User{})
	fresh := now.UTC().Format(time.RFC1123Z)
	user := map[string]string{"username": "alice", "ipaddr": "192.0.2.1"}

	tests := []struct {
		name       string
		method     string
		path       string
		ikey, skey string
		header     string
		date       string
		hash       func() hash.Hash
		wantStatus int
		wantCode   int
	}{
		{"sha512 accepted", "POST", "/auth/v2/preauth", testIKey, testSKey, "Date", fresh,
			sha512.New, 200, 0},
		{"sha1 accepted", "POST", "/auth/v2/preauth", testIKey, testSKey, "Date", fresh,
			sha1.New, 200, 0},
		{"X-Duo-Date accepted", "GET", "/auth/v2/check", testIKey, testSKey, "X-Duo-Date",
			fresh, sha512.New, 200, 0},
		{"299 s old accepted", "GET", "/auth/v2/check", testIKey, testSKey, "Date",
			now.Add(-299 * time.Second).Format(time.RFC1123Z), sha512.New, 200, 0},
		{"301 s old refused", "GET", "/auth/v2/check", testIKey, testSKey, "Date",
			now.Add(-301 * time.Second).Format(time.RFC1123Z), sha512.New, 401,
			duosim.CodeBadDate},
		{"301 s ahead refused", "POST", "/auth/v2/preauth", testIKey, testSKey, "Date",
			now.Add(301 * time.Second).Format(time.RFC1123Z), sha512.New, 401, duosim.CodeBadDate},
		{"garbled date refused", "GET", "/auth/v2/check", testIKey, testSKey, "Date",
			"yesterday", sha512.New, 401, duosim.CodeBadDate},
		{"missing date refused", "GET", "/auth/v2/check", testIKey, testSKey, "", fresh,
			sha512.New, 401, duosim.CodeMissingDate},
		{"wrong secret refused", "POST", "/auth/v2/preauth", testIKey, strings.Repeat("x", 40),
			"Date", fresh, sha512.New, 401, duosim.CodeInvalidSig},
		{"unknown ikey refused", "GET", "/auth/v2/check", "DINOSUCHINTEGRATION0", testSKey,
			"Date", fresh, sha512.New, 401, duosim.CodeInvalidIKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			params := user
			if tt.method == "GET" {
				params = nil
			}
			req := handSigned(t, sim, tt.method, tt.path, params, tt.ikey, tt.skey, tt.header,
				tt.date, tt.hash)
			status, env := do(t, sim, req)
			if status != tt.wantStatus || env.Code != tt.wantCode {
				t.Errorf("got HTTP %d code %d (%s), want HTTP %d code %d", status, env.Code,
					env.Message, tt.wantStatus, tt.wantCode)
			}
		})
	}
}

func TestSignatureCoversParameters(t *testing.T) {
	sim := newSim(t, duosim.Options{})
	sim.SetUser("alice", duosim.User{})
	req := handSigned(t, sim, "POST", "/auth/v2/preauth", map[string]string{"username": "alice"},
		testIKey, testSKey, "Date", time.Now().UTC().Format(time.RFC1123Z), sha512.New)
	req.Body = io.NopCloser(strings.NewReader("username=mallory"))
	req.ContentLength = int64(len("username=mallory"))
	if status, env := do(t, sim, req); status != 401 || env.Code != duosim.CodeInvalidSig {
		t.Errorf("tampered body: got HTTP %d code %d, want 401 %d", status, env.Code,
			duosim.CodeInvalidSig)
	}
}

// jsonSigned builds a JSON-body request the way the official client's
// JSONSignedCall does (signature version 5), except that the signature is
// made over signedParams and signedBody and the request carries body.
// v2 signs the version 2 canonical string instead.
func jsonSigned(t *testing.T, sim *duosim.Server, signedParams map[string]string,
	signedBody, body string, newHash func() hash.Hash, v2 bool) *http.Request {
	t.Helper()
	date := time.Now().UTC().Format(time.RFC1123Z)
	v := values()
	for k, val := range signedParams {
		v.Set(k, val)
	}
	lines := []string{date, "POST", strings.ToLower(sim.Host()), "/auth/v2/preauth",
		strings.ReplaceAll(v.Encode(), "+", "%20")}
	if !v2 {
		lines = append(lines, hexSHA512(signedBody), hexSHA512(""))
	}
	m := hmac.New(newHash, []byte(testSKey))
	m.Write([]byte(strings.Join(lines, "\n")))
	auth := base64.StdEncoding.EncodeToString(
		[]byte(testIKey + ":" + hex.EncodeToString(m.Sum(nil))))

	req, err := http.NewRequest("POST", sim.URL()+"/auth/v2/preauth", strings.NewReader(body))
	if err != nil {
		t.Fatalf("building request: %v", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Basic "+auth)
	req.Header.Set("Date", date)
	return req
}

func hexSHA512(s string) string {
	sum := sha512.Sum512([]byte(s))
	return hex.EncodeToString(sum[:])
}

// TestSignatureCoversJSONBody: a JSON body is covered only by signature
// version 5 (its SHA-512 digest) under HMAC-SHA512, as Duo checks it. A
// version 2 signature covers no JSON body (Duo's v2 string has no place for
// it), so it must not let a body through, nor may HMAC-SHA1.
func TestSignatureCoversJSONBody(t *testing.T) {
	sim := newSim(t, duosim.Options{})
	sim.SetUser("alice", duosim.User{})
	sim.SetUser("mallory", duosim.User{})
	const alice, mallory = `{"username":"alice"}`, `{"username":"mallory"}`

	tests := []struct {
		name         string
		signedParams map[string]string
		signedBody   string
		body         string
		hash         func() hash.Hash
		v2           bool
		wantStatus   int
		wantCode     int
	}{
		{"v5 sha512 accepted", nil, alice, alice, sha512.New, false, 200, 0},
		{"v5 over another body refused", nil, alice, mallory, sha512.New, false, 401,
			duosim.CodeInvalidSig},
		{"v5 with sha1 refused", nil, alice, alice, sha1.New, false, 401,
			duosim.CodeInvalidSig},
		{"v2 over empty params refused", nil, "", mallory, sha512.New, true, 401,
			duosim.CodeInvalidSig},
		{"v2 over the body's params refused", map[string]string{"username": "mallory"}, "",
			mallory, sha512.New, true, 401, duosim.CodeInvalidSig},
		{"v2 sha1 over empty params refused", nil, "", mallory, sha1.New, true, 401,
			duosim.CodeInvalidSig},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := jsonSigned(t, sim, tt.signedParams, tt.signedBody, tt.body, tt.hash, tt.v2)
			status, env := do(t, sim, req)
			if status != tt.wantStatus || env.Code != tt.wantCode {
				t.Errorf("got HTTP %d code %d (%s), want HTTP %d code %d", status, env.Code,
					env.Message, tt.wantStatus, tt.wantCode)
			}
		})
	}
}

func TestMissingCredentials(t *testing.T) {
	sim := newSim(t, duosim.Options{})
	req, _ := http.NewRequest("GET", sim.URL()+"/auth/v2/check", nil)
	req.Header.Set("Date", time.Now().UTC().Format(time.RFC1123Z))
	if status, env := do(t, sim, req); status != 401 || env.Code != duosim.CodeNoCredentials {
		t.Errorf("got HTTP %d code %d, want 401 %d", status, env.Code, duosim.CodeNoCredentials)
	}
}

func TestWrongSecretWithOfficialClient(t *testing.T) {
	sim := newSim(t, duosim.Options{})
	res, err := official(t, sim, strings.Repeat("w", 40)).Check()
	if err != nil {
		t.Fatalf("check: %v", err)
	}
	if res.Stat != "FAIL" || code(res.StatResult) != duosim.CodeInvalidSig {
		t.Errorf("got stat %q code %d, want FAIL %d", res.Stat, code(res.StatResult),
			duosim.CodeInvalidSig)
	}
	if got := lastRequest(t, sim, "/auth/v2/check"); got.Code != duosim.CodeInvalidSig {
		t.Errorf("log entry code: got %d, want %d", got.Code, duosim.CodeInvalidSig)
	}
}

// TestStaleDateWithOfficialClient: Duo's official client, whose clock is
// ten minutes behind the simulator's, is refused with 40105 (bad date),
// for its form-signed calls and for JSONSignedCall alike.
func TestStaleDateWithOfficialClient(t *testing.T) {
	sim := newSim(t, duosim.Options{Now: func() time.Time {
		return time.Now().Add(10 * time.Minute)
	}})
	sim.SetUser("alice", duosim.User{})

	res, err := official(t, sim, testSKey).Check()
	if err != nil {
		t.Fatalf("check: %v", err)
	}
	if res.Stat != "FAIL" || code(res.StatResult) != duosim.CodeBadDate {
		t.Errorf("check: got stat %q code %d, want FAIL %d", res.Stat, code(res.StatResult),
			duosim.CodeBadDate)
	}

	api := duoapi.NewDuoApi(testIKey, testSKey, sim.Host(), "duosim-test")
	api.SetCustomHTTPClient(sim.HTTPClient())
	resp, body, err := api.JSONSignedCall("POST", "/auth/v2/preauth",
		duoapi.JSONParams{"username": "alice"})
	if err != nil {
		t.Fatalf("json preauth: %v", err)
	}
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		t.Fatalf("decoding %s: %v", body, err)
	}
	if resp.StatusCode != 401 || env.Code != duosim.CodeBadDate {
		t.Errorf("json preauth: got HTTP %d code %d, want 401 %d", resp.StatusCode, env.Code,
			duosim.CodeBadDate)
	}
	if got := lastRequest(t, sim, "/auth/v2/preauth"); got.Code != duosim.CodeBadDate {
		t.Errorf("log entry code: got %d, want %d", got.Code, duosim.CodeBadDate)
	}
}

// TestJSONSignedCall checks signature version 5 (JSON bodies) against the
// official client's JSONSignedCall, for a body method and for GET.
func TestJSONSignedCall(t *testing.T) {
	sim := newSim(t, duosim.Options{})
	sim.SetUser("alice", duosim.User{})
	api := duoapi.NewDuoApi(testIKey, testSKey, sim.Host(), "duosim-test")
	api.SetCustomHTTPClient(sim.HTTPClient())

	tests := []struct {
		name   string
		method string
		path   string
		params duoapi.JSONParams
		want   string
	}{
		{"json body", "POST", "/auth/v2/preauth", duoapi.JSONParams{"username": "alice"}, "auth"},
		{"json get", "GET", "/auth/v2/check", duoapi.JSONParams{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body, err := api.JSONSignedCall(tt.method, tt.path, tt.params)
			if err != nil {
				t.Fatalf("call: %v", err)
			}
			var env struct {
				Stat     string `json:"stat"`
				Code     int    `json:"code"`
				Response struct {
					Result string `json:"result"`
				} `json:"response"`
			}
			if err := json.Unmarshal(body, &env); err != nil {
				t.Fatalf("decoding %s: %v", body, err)
			}
			if resp.StatusCode != 200 || env.Stat != "OK" || env.Response.Result != tt.want {
				t.Errorf("got HTTP %d stat %s code %d result %q, want 200 OK %q",
					resp.StatusCode, env.Stat, env.Code, env.Response.Result, tt.want)
			}
		})
	}
}

func TestNotFoundAndMethod(t *testing.T) {
	sim := newSim(t, duosim.Options{})
	tests := []struct {
		name, method, path string
		wantStatus         int
		wantCode           int
	}{
		{"unknown path", "GET", "/auth/v2/nothing", 404, duosim.CodeNotFound},
		{"wrong method", "GET", "/auth/v2/preauth", 405, duosim.CodeBadMethod},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, sim.URL()+tt.path, nil)
			if status, env := do(t, sim, req); status != tt.wantStatus || env.Code != tt.wantCode {
				t.Errorf("got HTTP %d code %d, want %d %d", status, env.Code, tt.wantStatus,
					tt.wantCode)
			}
		})
	}
}
