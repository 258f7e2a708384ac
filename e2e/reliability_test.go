package e2e

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/duo-kazoo/duo-kazoo/amqp"
	"github.com/duo-kazoo/duo-kazoo/app"
	"github.com/duo-kazoo/duo-kazoo/app/apptest"
	"github.com/duo-kazoo/duo-kazoo/maintenance/couchtest"
)

// TestCouchOutage: while CouchDB is down, requests are answered with
// error (never a grant) and attempt events are kept by the broker; once it
// is back, every event acknowledged by the broker is stored exactly once.
func TestCouchOutage(t *testing.T) {
	couchSrv := couchtest.Start(t)
	e := apptest.Start(t, apptest.Options{AMQP: true,
		Configure: func(c *app.Config) { c.CouchURL = couchSrv.URL }})
	client := e.MFAClient(t)
	sub := e.KAZOO.Sub

	couchSrv.Stop()
	const events = 10
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	for i := 0; i < events; i++ {
		err := client.PublishAttempt(ctx, &amqp.AttemptEvent{
			Envelope: amqp.Envelope{AccountID: sub.ID, MsgID: fmt.Sprintf("outage-%d", i)},
			OwnerID:  sub.User.ID, Username: "user", AuthType: "credentials",
			AuthModule: "cb_user_auth", Status: amqp.AttemptFailed, Reason: "password_failed",
			Message: "wrong password", ClientIP: "192.0.2.77",
		})
		if err != nil {
			t.Fatalf("publishing event %d: %v", i, err)
		}
	}
	rep, err := client.Call(ctx, &amqp.Request{Envelope: amqp.Envelope{AccountID: sub.ID},
		OwnerID: sub.User.ID, AuthModule: "cb_user_auth", ClientIP: "192.0.2.77"})
	if err != nil {
		t.Fatalf("mfa_req during the outage: %v", err)
	}
	if rep.Result != amqp.ResultError {
		t.Fatalf("mfa_req during the outage: %s %s, want error", rep.Result, rep.Reason)
	}

	couchSrv.Start()
	for {
		status, out := e.Do(t, http.MethodGet, "/v2/accounts/"+sub.ID+
			"/duo/failure_logs?filter_reason=password_failed&page_size=100",
			sub.Admin.Token, nil)
		if status == http.StatusOK {
			if n := len(apptest.Decode(t, out).List(t)); n == events {
				break
			} else if n > events {
				t.Fatalf("%d attempts stored for %d events: duplicates", n, events)
			}
		}
		select {
		case <-ctx.Done():
			t.Fatalf("the events were not all stored after CouchDB came back: %d %s", status, out)
		case <-time.After(250 * time.Millisecond):
		}
	}
}
