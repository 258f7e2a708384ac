package amqp

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestParseRequestFields(t *testing.T) {
	tests := []struct {
		name    string
		changes map[string]any
		want    []string // fields with problems; nil for a valid request
	}{
		{name: "valid minimal", changes: map[string]any{"Username": nil, "Client-IP": nil,
			"User-Agent": nil, "Node": nil}},
		{name: "valid push", changes: map[string]any{"Factor": "push", "Device": "auto"}},
		{name: "valid passcode", changes: map[string]any{"Factor": "passcode",
			"Passcode": "123456"}},
		{name: "valid sig_response", changes: map[string]any{
			"Multi-Factor-Response": "AUTH|abc:APP|def"}},
		{name: "valid universal response", changes: map[string]any{
			"Multi-Factor-Response": map[string]any{"code": "c", "state": "s",
				"redirect_uri": "https://x/cb"}}},
		{name: "nulls count as absent", changes: map[string]any{"Username": "",
			"Factor": nil, "Multi-Factor-Response": nil}},
		{name: "missing headers", changes: map[string]any{"App-Name": nil, "App-Version": nil,
			"Msg-ID": nil},
			want: []string{"App-Name", "App-Version", "Msg-ID"}},
		{name: "missing Server-ID", changes: map[string]any{"Server-ID": nil},
			want: []string{"Server-ID"}},
		{name: "empty Server-ID", changes: map[string]any{"Server-ID": ""},
			want: []string{"Server-ID"}},
		{name: "ill-typed headers", changes: map[string]any{"App-Name": 7, "Event-Name": true,
			"Server-ID": []int{1}},
			want: []string{"App-Name", "Event-Name", "Server-ID"}},
		{name: "wrong event", changes: map[string]any{"Event-Name": "login_attempt",
			"Event-Category": "auth"},
			want: []string{"Event-Category", "Event-Name"}},
		{name: "ids not KAZOO ids", changes: map[string]any{"Account-ID": "ACC",
			"Owner-ID": strings.Repeat("g", 32)},
			want: []string{"Account-ID", "Owner-ID"}},
		{name: "missing body fields", changes: map[string]any{"Account-ID": nil,
			"Owner-ID": nil, "Auth-Module": ""},
			want: []string{"Account-ID", "Auth-Module", "Owner-ID"}},
		{name: "unknown factor", changes: map[string]any{"Factor": "fax"},
			want: []string{"Factor"}},
		{name: "passcode factor without passcode", changes: map[string]any{
			"Factor": "passcode"}, want: []string{"Passcode"}},
		{name: "passcode without passcode factor", changes: map[string]any{
			"Factor": "push", "Passcode": "1234"}, want: []string{"Passcode"}},
		{name: "bad client ip", changes: map[string]any{"Client-IP": "10.0.0.300"},
			want: []string{"Client-IP"}},
		{name: "empty sig_response", changes: map[string]any{"Multi-Factor-Response": ""},
			want: []string{"Multi-Factor-Response"}},
		{name: "response without code", changes: map[string]any{
			"Multi-Factor-Response": map[string]any{"state": "s"}},
			want: []string{"Multi-Factor-Response.code"}},
		{name: "response of wrong type", changes: map[string]any{"Multi-Factor-Response": 5},
			want: []string{"Multi-Factor-Response"}},
		{name: "overlong Msg-ID", changes: map[string]any{"Msg-ID": strings.Repeat("m", 256)},
			want: []string{"Msg-ID"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := ParseRequest(mustJSON(t, edit(requestFields(), tt.changes)))
			if req == nil {
				t.Fatalf("got nil request (err %v), want one", err)
			}
			if tt.want == nil && err != nil {
				t.Fatalf("got error %v, want none", err)
			}
			if tt.want != nil && !errors.Is(err, ErrInvalid) {
				t.Fatalf("got error %v, want ErrInvalid", err)
			}
			if got := fieldNames(err); !slices.Equal(got, tt.want) {
				t.Errorf("got fields %v, want %v", got, tt.want)
			}
		})
	}
}

func TestParseRequestValues(t *testing.T) {
	body := mustJSON(t, edit(requestFields(), map[string]any{
		"Multi-Factor-Response": map[string]any{"code": "the-code", "state": "st",
			"redirect_uri": "https://x/cb"},
		"Factor": "passcode", "Passcode": "987654", "Extra": map[string]any{"x": 1},
	}))
	req, err := ParseRequest(body)
	if err != nil {
		t.Fatalf("ParseRequest: %v", err)
	}
	checks := []struct{ name, got, want string }{
		{"Msg-ID", req.MsgID, "msg-1"},
		{"Server-ID", req.ServerID, "targeted.reply.q1"},
		{"Account-ID", req.AccountID, testAccount},
		{"Owner-ID", req.OwnerID, testOwner},
		{"Username", req.Username, "alice"},
		{"Auth-Module", req.AuthModule, "cb_user_auth"},
		{"Factor", string(req.Factor), "passcode"},
		{"Passcode", string(req.Passcode), "987654"},
		{"code", string(req.MultiFactorResponse.Code), "the-code"},
		{"redirect_uri", req.MultiFactorResponse.RedirectURI, "https://x/cb"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, c.got, c.want)
		}
	}
	if !req.MultiFactorResponse.Universal() {
		t.Errorf("Universal: got false, want true")
	}
}

func TestParseRequestPartialCanReply(t *testing.T) {
	tests := []struct {
		name    string
		changes map[string]any
		want    bool
	}{
		{name: "only body fields bad", changes: map[string]any{"Owner-ID": nil,
			"App-Name": nil}, want: true},
		{name: "no Server-ID", changes: map[string]any{"Server-ID": nil}, want: false},
		{name: "Server-ID not a string", changes: map[string]any{"Server-ID": 1}, want: false},
		{name: "no Msg-ID", changes: map[string]any{"Msg-ID": nil}, want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := ParseRequest(mustJSON(t, edit(requestFields(), tt.changes)))
			if err == nil {
				t.Fatalf("got no error, want one")
			}
			if got := req.CanReply(); got != tt.want {
				t.Errorf("CanReply: got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestParseMalformed(t *testing.T) {
	deep := strings.Repeat(`{"a":`, MaxDepth+1) + "1" + strings.Repeat("}", MaxDepth+1)
	tests := []struct {
		name string
		body []byte
	}{
		{name: "empty", body: nil},
		{name: "not JSON", body: []byte("hello")},
		{name: "array", body: []byte(`[{"Msg-ID":"x"}]`)},
		{name: "string", body: []byte(`"x"`)},
		{name: "truncated", body: []byte(`{"Msg-ID":"x"`)},
		{name: "trailing garbage", body: []byte(`{"Msg-ID":"x"} {}`)},
		{name: "too deep", body: []byte(deep)},
		{name: "deep arrays", body: []byte(`{"a":` + strings.Repeat("[", 10000) + `}`)},
		{name: "invalid UTF-8", body: []byte("{\"Msg-ID\":\"\xff\xfe\"}")},
		{name: "too big", body: []byte(`{"a":"` + strings.Repeat("x", MaxBodyBytes) + `"}`)},
	}
	parsers := map[string]func([]byte) error{
		"request":  func(b []byte) error { _, err := ParseRequest(b); return err },
		"attempt":  func(b []byte) error { _, err := ParseAttempt(b); return err },
		"reply":    func(b []byte) error { _, err := ParseReply(b); return err },
		"envelope": func(b []byte) error { _, err := ParseEnvelope(b); return err },
	}
	for _, tt := range tests {
		for pname, parse := range parsers {
			t.Run(fmt.Sprintf("%s/%s", tt.name, pname), func(t *testing.T) {
				if err := parse(tt.body); !errors.Is(err, ErrMalformed) {
					t.Errorf("got %v, want ErrMalformed", err)
				}
			})
		}
	}
}

func TestParseDepthLimitAllowsStringsWithBrackets(t *testing.T) {
	body := mustJSON(t, edit(requestFields(), map[string]any{
		"User-Agent": strings.Repeat("[{", 100) + `\"`,
	}))
	if _, err := ParseRequest(body); err != nil {
		t.Errorf("got %v, want no error", err)
	}
}

func TestValidationErrorText(t *testing.T) {
	secret := "424242"
	body := mustJSON(t, edit(requestFields(), map[string]any{"Factor": "push",
		"Passcode": secret, "App-Name": nil}))
	_, err := ParseRequest(body)
	want := "amqp: invalid message: App-Name: missing; " +
		"Passcode: only allowed when Factor is passcode"
	if err == nil || err.Error() != want {
		t.Fatalf("got %v, want %q", err, want)
	}
	if strings.Contains(err.Error(), secret) {
		t.Errorf("error text shows the passcode")
	}
}
