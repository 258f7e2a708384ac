package handlers_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/duo-kazoo/duo-kazoo/app/apptest"
	"github.com/duo-kazoo/duo-kazoo/couch"
)

// setTimezone sets (or, with "", removes) the timezone of document id in
// db, as KAZOO's crossbar would.
func setTimezone(t *testing.T, e *apptest.Env, db, id, zone string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	doc, err := e.Couch.Get(ctx, db, id)
	if err != nil {
		t.Fatal(err)
	}
	if zone == "" {
		delete(doc, "timezone")
	} else {
		doc["timezone"] = zone
	}
	if _, err := e.Couch.Put(ctx, db, doc); err != nil {
		t.Fatal(err)
	}
}

func TestPreferencesTimezone(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	sub := e.KAZOO.Sub
	subDB, err := couch.AccountDB(sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	path := accountPath(sub.ID) + "/duo/preferences"

	tests := []struct {
		name, userZone, accountZone, token, want string
	}{
		{"neither sets one", "", "", sub.Admin.Token, ""},
		{"the account's", "", "Europe/Paris", sub.Admin.Token, "Europe/Paris"},
		{"the user's before the account's", "Asia/Tokyo", "Europe/Paris", sub.Admin.Token,
			"Asia/Tokyo"},
		{"a plain user reads their own, not the admin's", "Asia/Tokyo", "", sub.User.Token, ""},
		{"an API key has only the account's", "Asia/Tokyo", "America/Chicago", sub.APIToken,
			"America/Chicago"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			setTimezone(t, e, subDB, sub.Admin.ID, tt.userZone)
			setTimezone(t, e, couch.AccountsDB, sub.ID, tt.accountZone)
			status, out := e.Do(t, http.MethodGet, path, tt.token, nil)
			if status != http.StatusOK {
				t.Fatalf("got status %d, want 200: %s", status, out)
			}
			got := apptest.Decode(t, out).Object(t)
			if got["timezone"] != tt.want {
				t.Errorf("got timezone %v, want %q", got["timezone"], tt.want)
			}
		})
	}

	if status, _ := e.Do(t, http.MethodGet, path, "", nil); status != http.StatusUnauthorized {
		t.Errorf("without a token: got status %d, want 401", status)
	}
	other := accountPath(e.KAZOO.Reseller.ID) + "/duo/preferences"
	if status, _ := e.Do(t, http.MethodGet, other, sub.Admin.Token, nil); status !=
		http.StatusForbidden {
		t.Errorf("for the parent account: got status %d, want 403", status)
	}
}
