package e2e

import (
	"context"
	"net/http"
	"testing"

	"github.com/duo-kazoo/duo-kazoo/amqp"
	"github.com/duo-kazoo/duo-kazoo/app/apptest"
	"github.com/duo-kazoo/duo-kazoo/couch"
)

// failures lists the account's failure log rows matching query.
func (w *world) failures(acct, query string) []map[string]any {
	w.t.Helper()
	status, out := w.env.Do(w.t, http.MethodGet, "/v2/accounts/"+acct+
		"/duo/failure_logs?page_size=100&"+query, w.adminOf(acct), nil)
	if status != http.StatusOK {
		w.t.Fatalf("failure logs: %d %s", status, out)
	}
	return apptest.Decode(w.t, out).List(w.t)
}

// TestRedeliveredResponseIsNotAReplay: an mfa_req carrying a valid
// sig_response delivered again with the same Msg-ID (its reply publish
// failed and it was requeued, the connection dropped before the ack, its
// replica stopped mid-request) is the same request: authenticated every
// time, nothing recorded, nothing counted toward the lockout. The same
// response in a request with another Msg-ID is a replay.
func TestRedeliveredResponseIsNotAReplay(t *testing.T) {
	w := newWorld(t)
	sub := w.env.KAZOO.Sub.ID
	cfg := w.createConfig(sub, map[string]any{
		"lockout": map[string]any{"max_failures": 2, "window_s": 900, "duration_s": 900}})
	w.securityConfig(sub, cfg, sub, true, false)

	rep := w.ask(sub, "approve", nil)
	settings, _ := challengeOf(t, rep)["settings"].(map[string]any)
	sigRequest, _ := settings["duo_sig_request"].(string)
	valid := w.sigResponse(sigRequest)
	answer := func(msgID string) func(*amqp.Request) {
		return func(r *amqp.Request) {
			r.MsgID = msgID
			r.MultiFactorResponse = &amqp.MultiFactorResponse{SigResponse: amqp.Secret(valid)}
		}
	}

	msgID := amqp.NewMsgID()
	for i := range 3 {
		rep := w.ask(sub, "approve", answer(msgID))
		if rep.Result != amqp.ResultAuthenticated || rep.AttemptID != "" || rep.MsgID != msgID {
			t.Fatalf("delivery %d of Msg-ID %s: %s %s (attempt %q, reply to %s), want "+
				"authenticated with nothing recorded", i+1, msgID, rep.Result, rep.Reason,
				rep.AttemptID, rep.MsgID)
		}
	}
	if rows := w.failures(sub, "filter_username=approve"); len(rows) != 0 {
		t.Fatalf("redeliveries recorded failures: %v", rows)
	}
	lock, err := w.env.Couch.GetLockout(context.Background(), sub, couch.LockoutID(cfg, "approve"))
	if err != nil || len(lock.Failures) != 0 {
		t.Fatalf("lockout after redeliveries: %+v, %v; want no failure counted", lock, err)
	}

	replay := w.ask(sub, "approve", answer(amqp.NewMsgID()))
	if replay.Result != amqp.ResultDenied || replay.Reason != "replayed" || replay.AttemptID == "" {
		t.Fatalf("another Msg-ID: %s %s (attempt %q), want denied replayed, recorded",
			replay.Result, replay.Reason, replay.AttemptID)
	}
	a := w.failure(sub, replay.AttemptID)
	if a["reason"] != "replayed" || a["status"] != "failed" || a["auth_type"] != "multi_factor" {
		t.Fatalf("stored replay: %v", a)
	}
	if rows := w.failures(sub, "filter_username=approve"); len(rows) != 1 {
		t.Fatalf("failure log rows %v, want the replay only", rows)
	}
	// The first request, redelivered once more after the replay, is still
	// its own.
	if rep := w.ask(sub, "approve", answer(msgID)); rep.Result != amqp.ResultAuthenticated {
		t.Fatalf("a late redelivery: %s %s, want authenticated", rep.Result, rep.Reason)
	}
}
