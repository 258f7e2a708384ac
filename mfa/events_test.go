package mfa_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/duo-kazoo/duo-kazoo/internal/testenv"
	"github.com/duo-kazoo/duo-kazoo/mfa"
)

func TestRecordAttempt(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t, envOptions{})
	acct := e.kz.Sub.ID
	at := time.Now().Add(-time.Minute).Truncate(time.Second)
	ev := mfa.AttemptEvent{AccountID: acct, MsgID: testenv.NewID(), OwnerID: testenv.NewID(),
		Username: "alice", AuthType: "credentials", AuthModule: authModule, Status: "failed",
		Message: "wrong password", Reason: "password_failed", ClientIP: "203.0.113.7",
		UserAgent: "mfa-tests/1", Time: at,
		Metadata: map[string]any{"password": "hunter2", "realm": "sub.kazoo.test"}}

	id, err := e.svc.RecordAttempt(ctx, ev)
	if err != nil {
		t.Fatalf("RecordAttempt: %v", err)
	}
	again, err := e.svc.RecordAttempt(ctx, ev)
	if err != nil || again != id {
		t.Errorf("redelivered event = %q, %v; want the same id %q", again, err, id)
	}
	doc, err := e.couch.GetMODBDoc(ctx, acct, id)
	if err != nil {
		t.Fatal(err)
	}
	meta, _ := doc["metadata"].(map[string]any)
	if doc["auth_type"] != "credentials" || doc["reason"] != "password_failed" ||
		meta["username"] != "alice" || meta["realm"] != "sub.kazoo.test" ||
		meta["password"] != nil {
		t.Errorf("stored event = %v", doc)
	}

	tests := []struct {
		name string
		edit func(*mfa.AttemptEvent)
	}{
		{"bad account", func(ev *mfa.AttemptEvent) { ev.AccountID = "nope" }},
		{"bad status", func(ev *mfa.AttemptEvent) { ev.Status = "maybe" }},
		{"no auth type", func(ev *mfa.AttemptEvent) { ev.AuthType = "" }},
		{"bad reason", func(ev *mfa.AttemptEvent) { ev.Reason = "Not A Code" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bad := ev
			bad.MsgID = testenv.NewID()
			tt.edit(&bad)
			if _, err := e.svc.RecordAttempt(ctx, bad); !errors.Is(err, mfa.ErrInvalidEvent) {
				t.Errorf("error %v, want ErrInvalidEvent", err)
			}
		})
	}
}
