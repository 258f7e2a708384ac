package amqp

import (
	"errors"
	"slices"
	"testing"
)

func TestParseAttempt(t *testing.T) {
	tests := []struct {
		name    string
		changes map[string]any
		want    []string
	}{
		{name: "valid"},
		{name: "valid minimal", changes: map[string]any{"Owner-ID": nil, "Username": nil,
			"Message": nil, "Reason": nil, "Client-IP": nil, "Timestamp": nil,
			"Metadata": nil}},
		{name: "missing required", changes: map[string]any{"Auth-Type": nil,
			"Auth-Module": nil, "Status": nil, "Account-ID": nil},
			want: []string{"Account-ID", "Auth-Module", "Auth-Type", "Status"}},
		{name: "bad status", changes: map[string]any{"Status": "maybe"},
			want: []string{"Status"}},
		{name: "bad timestamp", changes: map[string]any{"Timestamp": 1.5},
			want: []string{"Timestamp"}},
		{name: "negative timestamp", changes: map[string]any{"Timestamp": -3},
			want: []string{"Timestamp"}},
		{name: "metadata not object", changes: map[string]any{"Metadata": []int{1}},
			want: []string{"Metadata"}},
		{name: "wrong event", changes: map[string]any{"Event-Name": "mfa_req"},
			want: []string{"Event-Name"}},
		{name: "bad owner", changes: map[string]any{"Owner-ID": "x"},
			want: []string{"Owner-ID"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, err := ParseAttempt(mustJSON(t, edit(attemptFields(), tt.changes)))
			if ev == nil {
				t.Fatalf("got nil event (err %v)", err)
			}
			if tt.want != nil && !errors.Is(err, ErrInvalid) {
				t.Fatalf("got %v, want ErrInvalid", err)
			}
			if got := fieldNames(err); !slices.Equal(got, tt.want) {
				t.Errorf("got fields %v, want %v (err %v)", got, tt.want, err)
			}
		})
	}
}

func TestParseAttemptValues(t *testing.T) {
	ev, err := ParseAttempt(mustJSON(t, attemptFields()))
	if err != nil {
		t.Fatalf("ParseAttempt: %v", err)
	}
	if ev.Status != AttemptFailed || ev.Timestamp != 63890000000 || ev.AuthType != "credentials" {
		t.Errorf("got status %q, timestamp %d, auth type %q; want failed, 63890000000, "+
			"credentials", ev.Status, ev.Timestamp, ev.AuthType)
	}
	if got, want := string(ev.Metadata), `{"owner_id":"`+testOwner+`"}`; got != want {
		t.Errorf("Metadata: got %s, want %s", got, want)
	}
}

func TestParseReply(t *testing.T) {
	base := map[string]any{"App-Name": "duo_kazoo", "App-Version": "1",
		"Event-Category": "mfa", "Event-Name": "mfa_resp", "Msg-ID": "m1",
		"Result": "denied", "Reason": "locked_out"}
	tests := []struct {
		name    string
		changes map[string]any
		want    []string
	}{
		{name: "valid denied"},
		{name: "valid challenge", changes: map[string]any{"Result": "challenge",
			"Multi-Factor-Request": map[string]any{"provider_name": "duo"}}},
		{name: "challenge without request", changes: map[string]any{"Result": "challenge"},
			want: []string{"Multi-Factor-Request"}},
		{name: "unknown result", changes: map[string]any{"Result": "maybe"},
			want: []string{"Result"}},
		{name: "missing result", changes: map[string]any{"Result": nil},
			want: []string{"Result"}},
		{name: "request not object", changes: map[string]any{"Result": "challenge",
			"Multi-Factor-Request": "x"}, want: []string{"Multi-Factor-Request"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseReply(mustJSON(t, edit(base, tt.changes)))
			if got := fieldNames(err); !slices.Equal(got, tt.want) {
				t.Errorf("got fields %v, want %v (err %v)", got, tt.want, err)
			}
		})
	}
}

func TestRequestRoundTripsThroughJSON(t *testing.T) {
	tests := []struct {
		name string
		mfr  *MultiFactorResponse
	}{
		{name: "none"},
		{name: "sig_response", mfr: &MultiFactorResponse{SigResponse: "AUTH|a:APP|b"}},
		{name: "universal", mfr: &MultiFactorResponse{Code: "c", State: "s",
			RedirectURI: "https://x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := Request{Envelope: Envelope{AppName: "a", AppVersion: "1",
				EventCategory: CategoryMFA, EventName: EventRequest, MsgID: "m",
				ServerID: "q", AccountID: testAccount},
				OwnerID: testOwner, AuthModule: "cb_user_auth", MultiFactorResponse: tt.mfr}
			out, err := ParseRequest(mustJSON(t, &in))
			if err != nil {
				t.Fatalf("ParseRequest: %v", err)
			}
			if (out.MultiFactorResponse == nil) != (tt.mfr == nil) ||
				(tt.mfr != nil && *out.MultiFactorResponse != *tt.mfr) {
				t.Errorf("got %#v, want %#v", out.MultiFactorResponse, tt.mfr)
			}
		})
	}
}
