package browsertest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/duo-kazoo/duo-kazoo/app/apptest"
	"github.com/duo-kazoo/duo-kazoo/attempts"
	"github.com/duo-kazoo/duo-kazoo/couch"
)

// tokyo is Asia/Tokyo, which has kept UTC+9 without daylight saving since
// 1951 (a fixed zone, so the test needs no tz database).
var tokyo = time.FixedZone("JST", 9*60*60)

// setUserTimezone sets timezone on the signed-in admin's user document, as
// KAZOO's crossbar stores the user's choice.
func (s *session) setUserTimezone(zone string) {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	sub := s.env.KAZOO.Sub
	db, err := couch.AccountDB(sub.ID)
	if err != nil {
		s.t.Fatal(err)
	}
	doc, err := s.env.Couch.Get(ctx, db, sub.Admin.ID)
	if err != nil {
		s.t.Fatalf("reading the admin's user doc: %v", err)
	}
	doc["timezone"] = zone
	if _, err := s.env.Couch.Put(ctx, db, doc); err != nil {
		s.t.Fatalf("writing the admin's user doc: %v", err)
	}
}

// plainSpaces turns the no-break spaces ICU puts in dates (before AM/PM)
// into plain ones.
func plainSpaces(s string) string {
	return strings.NewReplacer("\u202f", " ", "\u00a0", " ").Replace(s)
}

// TestFailureLogsInUserTimeZone: the standalone page shows dates in the
// KAZOO user's time zone, not the browser's, and takes the filter's days
// in that zone too.
func TestFailureLogsInUserTimeZone(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	s := &session{tab: newTab(t), env: env}
	if _, err := chromedp.Call(s.ctx, emulation.SetTimezoneOverride,
		emulation.SetTimezoneOverrideParams{TimezoneID: "UTC"}); err != nil {
		t.Fatalf("setting the page's time zone: %v", err)
	}
	s.setUserTimezone("Asia/Tokyo")

	// 20:30:45 UTC three days ago: 05:30:45 the next day in Tokyo, so
	// the day differs as well as the hour.
	day := time.Now().UTC().AddDate(0, 0, -3).Truncate(24 * time.Hour)
	at := day.Add(20*time.Hour + 30*time.Minute + 45*time.Second)
	a := failedAttempt("alice", attempts.ReasonUserDenied, 0)
	a.Time = at
	s.seedAttempts([]attempts.Attempt{a})
	s.signIn("en-US")
	s.openLogs()

	want := at.In(tokyo).Format("Jan 2, 2006, 3:04:05 PM")
	rows := s.rows()
	if len(rows) != 1 {
		t.Fatalf("got rows %v, want the one attempt", rows)
	}
	if got := plainSpaces(rows[0][0]); got != want {
		t.Errorf("DATE: got %q, want %q (Tokyo time; in UTC it is %s)", got, want,
			at.Format("Jan 2, 2006, 3:04:05 PM"))
	}

	s.click(selRow + " [data-action=view]")
	s.waitVisible("dialog[open]")
	if body := plainSpaces(s.text("dialog[open]")); !strings.Contains(body, want) {
		t.Errorf("details lack the Tokyo time %q: %s", want, body)
	}
	s.click("dialog[open] button[value=close]")
	s.waitFor("the dialog to close", `!document.querySelector('dialog')`, "")

	s.click("[data-action=toggle-filter]")
	s.waitVisible(selFilter)
	for _, tt := range []struct {
		name string
		day  time.Time
		rows int
	}{
		{"the Tokyo day", at.In(tokyo), 1},
		{"the UTC day", at, 0},
	} {
		d := tt.day.Format(time.DateOnly)
		s.setDate("#duo-log-from", d)
		s.setDate("#duo-log-to", d)
		s.applyFilter()
		if tt.rows == 0 {
			s.wantRows(1, "No results.")
		} else {
			s.wantRows(tt.rows, "", "", "", "alice")
		}
	}
}
