package amqp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
)

func TestDispositions(t *testing.T) {
	challenge := func(context.Context, *Request) *Reply {
		return &Reply{Result: ResultChallenge, Reason: "prompt",
			MultiFactorRequest: json.RawMessage(`{"provider_name":"duo"}`)}
	}
	tests := []struct {
		name      string
		body      []byte
		handler   funcHandler
		pubErr    error
		want      string // settlement
		wantReply Result // "" when nothing is published
		wantWhy   string // expected Reason of the reply
	}{
		{name: "request answered", body: mustJSON(t, requestFields()),
			handler: funcHandler{request: challenge}, want: "acked",
			wantReply: ResultChallenge, wantWhy: "prompt"},
		{name: "invalid request with Server-ID gets error reply",
			body: mustJSON(t, edit(requestFields(), map[string]any{"Owner-ID": nil})),
			want: "acked", wantReply: ResultError, wantWhy: ReasonInvalidRequest},
		{name: "request without Server-ID dead-lettered",
			body: mustJSON(t, edit(requestFields(), map[string]any{"Server-ID": nil})),
			want: "dead_lettered"},
		{name: "not JSON dead-lettered", body: []byte("\x00garbage"), want: "dead_lettered"},
		{name: "unknown event with Server-ID gets error reply",
			body: mustJSON(t, edit(requestFields(), map[string]any{"Event-Name": "other"})),
			want: "acked", wantReply: ResultError, wantWhy: ReasonUnsupportedEvent},
		{name: "unknown event without Server-ID dead-lettered",
			body: mustJSON(t, edit(attemptFields(), map[string]any{"Event-Name": "other"})),
			want: "dead_lettered"},
		{name: "nil reply becomes internal error", body: mustJSON(t, requestFields()),
			handler: funcHandler{request: func(context.Context, *Request) *Reply {
				return nil
			}}, want: "acked", wantReply: ResultError, wantWhy: ReasonInternal},
		{name: "invalid reply becomes internal error", body: mustJSON(t, requestFields()),
			handler: funcHandler{request: func(context.Context, *Request) *Reply {
				return &Reply{Result: ResultChallenge}
			}}, want: "acked", wantReply: ResultError, wantWhy: ReasonInternal},
		{name: "request handler panic becomes internal error",
			body: mustJSON(t, requestFields()),
			handler: funcHandler{request: func(context.Context, *Request) *Reply {
				panic("boom")
			}}, want: "acked", wantReply: ResultError, wantWhy: ReasonInternal},
		{name: "unconfirmed reply requeues the request", body: mustJSON(t, requestFields()),
			pubErr: ErrNotConfirmed, want: "requeued"},
		{name: "attempt stored", body: mustJSON(t, attemptFields()), want: "acked"},
		{name: "attempt temporary failure requeued", body: mustJSON(t, attemptFields()),
			handler: funcHandler{attempt: func(context.Context, *AttemptEvent) error {
				return errTemporary
			}}, want: "requeued"},
		{name: "attempt permanent failure dead-lettered", body: mustJSON(t, attemptFields()),
			handler: funcHandler{attempt: func(context.Context, *AttemptEvent) error {
				return Permanent(errors.New("bad document"))
			}}, want: "dead_lettered"},
		{name: "attempt handler panic dead-lettered", body: mustJSON(t, attemptFields()),
			handler: funcHandler{attempt: func(context.Context, *AttemptEvent) error {
				panic("boom")
			}}, want: "dead_lettered"},
		{name: "invalid attempt dead-lettered",
			body: mustJSON(t, edit(attemptFields(), map[string]any{"Status": 1})),
			want: "dead_lettered"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rig := newUnitRig(t, Config{}, tt.handler)
			rig.pub.err = tt.pubErr
			if got := rig.wait(rig.send(tt.body)); got != tt.want {
				t.Fatalf("got %s, want %s", got, tt.want)
			}
			sent := rig.pub.messages()
			if tt.wantReply == "" {
				if len(sent) != 0 {
					t.Fatalf("got %d replies, want none", len(sent))
				}
				return
			}
			if len(sent) != 1 {
				t.Fatalf("got %d replies, want 1", len(sent))
			}
			checkReply(t, sent[0], tt.wantReply, tt.wantWhy)
		})
	}
}

func checkReply(t *testing.T, m Message, result Result, reason string) {
	t.Helper()
	if m.Exchange != DefaultTargetedExchange || m.RoutingKey != "targeted.reply.q1" {
		t.Errorf("got reply to %s/%s, want %s/targeted.reply.q1", m.Exchange, m.RoutingKey,
			DefaultTargetedExchange)
	}
	rep, err := ParseReply(m.Body)
	if err != nil {
		t.Fatalf("reply does not parse: %v", err)
	}
	if rep.MsgID != "msg-1" || rep.EventName != EventReply || rep.EventCategory != CategoryMFA {
		t.Errorf("got Msg-ID %q, event %s/%s; want msg-1, mfa/mfa_resp", rep.MsgID,
			rep.EventCategory, rep.EventName)
	}
	if rep.Result != result || rep.Reason != reason {
		t.Errorf("got %s/%s, want %s/%s (message %q)", rep.Result, rep.Reason, result, reason,
			rep.Message)
	}
}

func TestInvalidRequestReplyListsFields(t *testing.T) {
	rig := newUnitRig(t, Config{}, funcHandler{})
	body := mustJSON(t, edit(requestFields(), map[string]any{"App-Name": nil, "Owner-ID": 5,
		"Factor": "passcode", "Passcode": nil}))
	rig.wait(rig.send(body))
	rep, err := ParseReply(rig.pub.messages()[0].Body)
	if err != nil {
		t.Fatalf("ParseReply: %v", err)
	}
	for _, field := range []string{"App-Name: missing", "Owner-ID: not a string",
		"Passcode: required"} {
		if !strings.Contains(rep.Message, field) {
			t.Errorf("got message %q, want it to name %q", rep.Message, field)
		}
	}
}

func TestTemporaryFailureRetriedUntilStored(t *testing.T) {
	var calls atomic.Int32
	rig := newUnitRig(t, Config{}, funcHandler{attempt: func(context.Context,
		*AttemptEvent) error {
		if calls.Add(1) < 3 {
			return errTemporary
		}
		return nil
	}})
	body := mustJSON(t, attemptFields())
	// The fake broker redelivers a requeued message as a new delivery.
	for i := 1; ; i++ {
		how := rig.wait(rig.send(body))
		if how == "acked" {
			if i != 3 {
				t.Errorf("stored on delivery %d, want 3", i)
			}
			break
		}
		if how != "requeued" || i > 3 {
			t.Fatalf("delivery %d: got %s, want requeued", i, how)
		}
	}
	if got := rig.c.streak.Load(); got != 0 {
		t.Errorf("failure streak after a success: got %d, want 0", got)
	}
}

func TestSlowLaneDoesNotHoldMainLane(t *testing.T) {
	release := make(chan struct{})
	entered := make(chan struct{})
	h := funcHandler{request: func(ctx context.Context, r *Request) *Reply {
		if r.Factor == FactorPush {
			close(entered)
			<-release
		}
		return &Reply{Result: ResultAuthenticated}
	}}
	rig := newUnitRig(t, Config{Workers: 1, SlowLane: SlowLane{Workers: 1}}, h)
	push := rig.send(mustJSON(t, edit(requestFields(), map[string]any{"Factor": "push"})))
	<-entered
	for i := range 3 {
		body := mustJSON(t, edit(requestFields(), map[string]any{"Msg-ID": fmt.Sprint(i),
			"Factor": "passcode", "Passcode": "123456"}))
		if got := rig.wait(rig.send(body)); got != "acked" {
			t.Fatalf("passcode request %d: got %s, want acked", i, got)
		}
	}
	if how, _ := rig.ack.how(push); how != "" {
		t.Fatalf("push request settled (%s) while its handler is blocked", how)
	}
	close(release)
	if got := rig.wait(push); got != "acked" {
		t.Errorf("push request: got %s, want acked", got)
	}
}

func TestRequestFieldsReachHandler(t *testing.T) {
	got := make(chan *Request, 1)
	rig := newUnitRig(t, Config{}, funcHandler{request: func(_ context.Context,
		r *Request) *Reply {
		got <- r
		return &Reply{Result: ResultNotRequired}
	}})
	rig.wait(rig.send(mustJSON(t, edit(requestFields(), map[string]any{
		"Factor": "passcode", "Passcode": "55555"}))))
	r := <-got
	if r.Passcode != "55555" || r.Factor != FactorPasscode || r.OwnerID != testOwner {
		t.Errorf("got factor %q, owner %q; want passcode, %s", r.Factor, r.OwnerID, testOwner)
	}
}

func TestConfigRejectsBadURLWithoutQuotingIt(t *testing.T) {
	tests := []struct{ name, url string }{
		{name: "empty", url: ""},
		{name: "wrong scheme", url: "http://user:hunter2@host/"},
		{name: "unparsable", url: "amqp://user:hunter2@host:port:bad/%zz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewConsumer(Config{URL: tt.url}, funcHandler{})
			if !errors.Is(err, ErrConfig) {
				t.Fatalf("got %v, want ErrConfig", err)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("error shows the password: %v", err)
			}
		})
	}
}
