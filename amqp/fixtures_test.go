package amqp

import (
	"encoding/json"
	"testing"
)

const (
	testAccount = "0123456789abcdef0123456789abcdef"
	testOwner   = "fedcba9876543210fedcba9876543210"
)

// requestFields returns a valid mfa_req body as a map, for cases to edit.
func requestFields() map[string]any {
	return map[string]any{
		"App-Name": "crossbar", "App-Version": "4.3.0", "Node": "crossbar@kz1",
		"Event-Category": "mfa", "Event-Name": "mfa_req",
		"Msg-ID": "msg-1", "Server-ID": "targeted.reply.q1",
		"Account-ID": testAccount, "Owner-ID": testOwner,
		"Username": "alice", "Auth-Module": "cb_user_auth",
		"Client-IP": "192.0.2.10", "User-Agent": "Mozilla/5.0",
	}
}

// attemptFields returns a valid login_attempt body as a map.
func attemptFields() map[string]any {
	return map[string]any{
		"App-Name": "crossbar", "App-Version": "4.3.0",
		"Event-Category": "mfa", "Event-Name": "login_attempt", "Msg-ID": "att-1",
		"Account-ID": testAccount, "Owner-ID": testOwner, "Username": "alice",
		"Auth-Type": "credentials", "Auth-Module": "cb_user_auth", "Status": "failed",
		"Message": "invalid credentials", "Reason": "bad_password",
		"Client-IP": "2001:db8::1", "Timestamp": 63890000000,
		"Metadata": map[string]any{"owner_id": testOwner},
	}
}

// edit returns fields with changes applied; a nil value deletes the key.
func edit(fields map[string]any, changes map[string]any) map[string]any {
	out := make(map[string]any, len(fields))
	for k, v := range fields {
		out[k] = v
	}
	for k, v := range changes {
		if v == nil {
			delete(out, k)
		} else {
			out[k] = v
		}
	}
	return out
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	return b
}

// fieldNames lists the fields of a *ValidationError, or nil.
func fieldNames(err error) []string {
	ve, ok := err.(*ValidationError)
	if !ok {
		return nil
	}
	var names []string
	for _, f := range ve.Fields {
		names = append(names, f.Field)
	}
	return names
}
