package attempts

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/duo-kazoo/duo-kazoo/couch"
	"github.com/duo-kazoo/duo-kazoo/internal/testenv"
)

// openCouch connects to the test server at COUCH_URL.
func openCouch(t testing.TB) *couch.Client {
	t.Helper()
	c, err := couch.Open(testenv.CouchURL(t), couch.Options{})
	if err != nil {
		t.Fatalf("couch.Open: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// dropMonths deletes the account's MODbs of the months from..to when the
// test ends.
func dropMonths(t testing.TB, c *couch.Client, acct string, from, to time.Time) {
	t.Helper()
	t.Cleanup(func() {
		for _, m := range couch.Months(from, to) {
			db, _ := couch.MODB(acct, m)
			_ = c.Kivik().DestroyDB(context.Background(), db)
			c.InvalidateDesign(db)
		}
	})
}

// The fixture spans November 2025 to February 2026 with no attempt (and
// no MODb) in December.
var (
	fixFrom = time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC)
	fixTo   = time.Date(2026, 2, 28, 23, 59, 59, 0, time.UTC)
	users   = []string{"alice", "bob", "Carol"}
	reasons = []string{ReasonUserDenied, ReasonTimeout, ReasonFraud}
)

// fixture returns 16 attempts over three months, two pairs sharing a
// timestamp, in no particular order.
func fixture() []Attempt {
	base := map[time.Month]time.Time{
		time.November: time.Date(2025, 11, 30, 19, 0, 0, 0, time.UTC),
		time.January:  time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		time.February: time.Date(2026, 2, 14, 12, 0, 0, 0, time.UTC),
	}
	counts := []struct {
		m time.Month
		n int
	}{{time.November, 5}, {time.January, 6}, {time.February, 5}}
	var out []Attempt
	i := 0
	for _, c := range counts {
		for j := range c.n {
			at := base[c.m].Add(time.Duration(j) * time.Hour)
			if j == 1 || j == 3 {
				at = base[c.m].Add(time.Duration(j-1) * time.Hour) // a tie with j-1
			}
			status := StatusFailed
			if i%5 == 4 {
				status = StatusSuccess
			}
			authType := AuthTypeMultiFactor
			if i%4 == 2 {
				authType = AuthTypeCredentials // events published by others
			}
			out = append(out, Attempt{
				Key: fmt.Sprint("fixture-", i), Time: at, Status: status, AuthType: authType,
				AuthModule: "cb_user_auth", Reason: reasons[i%3],
				Message:  fmt.Sprintf("Attempt %d of %s", i, users[i%3]),
				ClientIP: fmt.Sprintf("10.0.%d.%d", i%2, i), Username: users[i%3],
				OwnerID: fmt.Sprintf("%032x", i%3), ConfigurationID: []string{"cfgA", "cfgB"}[i%2],
				ProviderName: "duo", Factor: []string{"push", "sms", "phone"}[i%3],
				Details: map[string]any{"passcode": "pass-975310", "txid": fmt.Sprint("tx-", i)},
			})
			i++
		}
	}
	return out
}

// newestFirst returns the ids of the attempts passing keep, in listing
// order: timestamp then id, descending.
func newestFirst(acct string, as []Attempt, keep func(Attempt) bool) []string {
	type row struct {
		ts int64
		id string
	}
	var rows []row
	for _, a := range as {
		if keep == nil || keep(a) {
			rows = append(rows, row{couch.Gregorian(a.Time), a.ID(acct)})
		}
	}
	slices.SortFunc(rows, func(x, y row) int {
		if x.ts != y.ts {
			return int(y.ts - x.ts)
		}
		return strings.Compare(y.id, x.id)
	})
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.id
	}
	return ids
}

// seed records the fixture in a new account and returns the account id.
func seed(t *testing.T, c *couch.Client, as []Attempt) string {
	t.Helper()
	acct := testenv.NewID()
	dropMonths(t, c, acct, fixFrom, fixTo)
	out, err := NewRecorder(c, RecorderOptions{}).RecordBatch(context.Background(), acct, as)
	if err != nil {
		t.Fatalf("RecordBatch: %v", err)
	}
	for i, o := range out {
		if o.Err != nil || o.AlreadyStored {
			t.Fatalf("fixture attempt %d: %+v", i, o)
		}
	}
	return acct
}

// listAll pages through a query and returns the ids in order and the
// number of pages.
func listAll(t *testing.T, s *Service, acct string, q Query) ([]string, int) {
	t.Helper()
	var ids []string
	pages := 0
	for {
		p, err := s.List(context.Background(), acct, q)
		if err != nil {
			t.Fatalf("List page %d: %v", pages+1, err)
		}
		pages++
		if q.PageSize > 0 && len(p.Attempts) > q.PageSize {
			t.Fatalf("page %d has %d rows, over the page size %d", pages, len(p.Attempts),
				q.PageSize)
		}
		for _, a := range p.Attempts {
			ids = append(ids, a["id"].(string))
		}
		if p.NextStartKey == "" {
			return ids, pages
		}
		if pages > 100 {
			t.Fatalf("listing did not end after %d pages", pages)
		}
		q.StartKey = p.NextStartKey
	}
}
