package e2e

import (
	"io"
	"net/http"
	"regexp"
	"strconv"
	"testing"

	"github.com/duo-kazoo/duo-kazoo/amqp"
)

// TestMetricsMoveWithTraffic: after real second factors over AMQP, the
// replica's /metrics counts them, the Duo calls they made and the AMQP
// messages that carried them.
func TestMetricsMoveWithTraffic(t *testing.T) {
	w := newWorld(t)
	sub := w.env.KAZOO.Sub.ID
	cfg := w.createConfig(sub, nil)
	w.securityConfig(sub, cfg, sub, true, false)
	push := func(r *amqp.Request) { r.Factor = amqp.FactorPush }
	w.ask(sub, "approve", push)
	w.ask(sub, "deny", push)
	w.ask(sub, "approve", nil)

	resp, err := http.Get(w.env.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	text := string(body)
	cases := []struct {
		name    string
		pattern string
		atLeast float64
	}{
		{"pushes authenticated",
			`duo_kazoo_second_factor_total\{[^}]*factor="push"[^}]*outcome="authenticated"[^}]*\} (\S+)`, 1},
		{"pushes denied",
			`duo_kazoo_second_factor_total\{[^}]*factor="push"[^}]*outcome="denied"[^}]*reason="user_denied"[^}]*\} (\S+)`, 1},
		{"challenges", `duo_kazoo_second_factor_total\{[^}]*outcome="challenged"[^}]*\} (\S+)`, 1},
		{"duo preauth calls", `duo_kazoo_duo_requests_total\{[^}]*endpoint="auth/v2/preauth"[^}]*\} (\S+)`, 2},
		{"amqp requests", `duo_kazoo_amqp_messages_total\{[^}]*event="mfa_req"[^}]*\} (\S+)`, 1},
		{"http requests", `(?m)^duo_kazoo_http_requests_total\{.*code="201".*\} (\S+)$`, 1},
		{"couch calls", `duo_kazoo_couch_requests_total\{[^}]*code_class="2xx"[^}]*\} (\S+)`, 1},
		{"consumer connected", `duo_kazoo_amqp_consuming (\S+)`, 1},
	}
	for _, tc := range cases {
		m := regexp.MustCompile(tc.pattern).FindStringSubmatch(text)
		if m == nil {
			t.Errorf("%s: no series matches %s", tc.name, tc.pattern)
			continue
		}
		if v, _ := strconv.ParseFloat(m[1], 64); v < tc.atLeast {
			t.Errorf("%s = %v, want at least %v", tc.name, v, tc.atLeast)
		}
	}
	if t.Failed() {
		t.Logf("metrics:\n%s", text)
	}
}
