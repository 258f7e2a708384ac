package attempts

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/duo-kazoo/duo-kazoo/couch"
	"github.com/duo-kazoo/duo-kazoo/internal/testenv"
)

func TestListNewestFirstAcrossMonths(t *testing.T) {
	c := openCouch(t)
	fx := fixture()
	acct := seed(t, c, fx)
	s := NewService(c, ServiceOptions{})

	got, pages := listAll(t, s, acct, Query{From: fixFrom, To: fixTo})
	if want := newestFirst(acct, fx, nil); !slices.Equal(got, want) {
		t.Fatalf("listing =\n%v\nwant\n%v", got, want)
	}
	if pages != 1 {
		t.Errorf("unpaginated listing took %d pages, want 1", pages)
	}
	dec, _ := couch.MODB(acct, time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC))
	if ok, _ := c.DBExists(context.Background(), dec); ok {
		t.Errorf("listing created the December MODb")
	}

	p, err := s.List(context.Background(), acct, Query{From: fixFrom, To: fixTo, PageSize: 1})
	if err != nil {
		t.Fatal(err)
	}
	row := p.Attempts[0]
	newest := fx[len(fx)-1]
	want := map[string]any{"id": newest.ID(acct), "timestamp": float64(couch.Gregorian(newest.Time)),
		"status": newest.Status, "reason": newest.Reason, "message": newest.Message,
		"auth_type": "multi_factor", "auth_module": "cb_user_auth", "client_ip": newest.ClientIP,
		"username": newest.Username, "owner_id": newest.OwnerID,
		"configuration_id": newest.ConfigurationID, "provider_name": "duo",
		"factor": newest.Factor}
	if !reflect.DeepEqual(row, want) {
		t.Errorf("first row =\n%v\nwant\n%v", row, want)
	}
}

func TestListPagination(t *testing.T) {
	c := openCouch(t)
	fx := fixture()
	acct := seed(t, c, fx)
	s := NewService(c, ServiceOptions{})
	want := newestFirst(acct, fx, nil)

	for _, size := range []int{1, 2, 7, 16, 50} {
		t.Run(fmt.Sprint("page size ", size), func(t *testing.T) {
			got, pages := listAll(t, s, acct, Query{From: fixFrom, To: fixTo, PageSize: size})
			if !slices.Equal(got, want) {
				t.Fatalf("pages gave\n%v\nwant\n%v", got, want)
			}
			if wantPages := (len(want) + size - 1) / size; pages != wantPages {
				t.Errorf("got %d pages, want %d", pages, wantPages)
			}
		})
	}
}

func TestListFiltersAndSearch(t *testing.T) {
	c := openCouch(t)
	fx := fixture()
	acct := seed(t, c, fx)
	s := NewService(c, ServiceOptions{})

	tests := []struct {
		name    string
		filters map[string]string
		search  string
		keep    func(Attempt) bool
	}{
		{"status", map[string]string{"status": "success"}, "",
			func(a Attempt) bool { return a.Status == StatusSuccess }},
		{"username", map[string]string{"username": "bob"}, "",
			func(a Attempt) bool { return a.Username == "bob" }},
		{"reason", map[string]string{"reason": ReasonFraud}, "",
			func(a Attempt) bool { return a.Reason == ReasonFraud }},
		{"client ip", map[string]string{"client_ip": "10.0.1.7"}, "",
			func(a Attempt) bool { return a.ClientIP == "10.0.1.7" }},
		{"configuration and factor", map[string]string{"configuration_id": "cfgB",
			"factor": "push"}, "",
			func(a Attempt) bool { return a.ConfigurationID == "cfgB" && a.Factor == "push" }},
		{"owner and auth module", map[string]string{"owner_id": fmt.Sprintf("%032x", 2),
			"auth_module": "cb_user_auth"}, "",
			func(a Attempt) bool { return a.OwnerID == fmt.Sprintf("%032x", 2) }},
		{"auth type, no index", map[string]string{"auth_type": AuthTypeCredentials}, "",
			func(a Attempt) bool { return a.AuthType == AuthTypeCredentials }},
		{"auth type and an indexed filter", map[string]string{"auth_type": AuthTypeMultiFactor,
			"status": StatusFailed}, "",
			func(a Attempt) bool { return a.AuthType == AuthTypeMultiFactor && a.Status == StatusFailed }},
		{"no match", map[string]string{"username": "mallory"}, "",
			func(Attempt) bool { return false }},
		{"search username any case", nil, "CAROL",
			func(a Attempt) bool { return a.Username == "Carol" }},
		{"search ip prefix", nil, "10.0.1.",
			func(a Attempt) bool { return strings.HasPrefix(a.ClientIP, "10.0.1.") }},
		{"search reason", nil, "timeo",
			func(a Attempt) bool { return a.Reason == ReasonTimeout }},
		{"search message", nil, "attempt 12 ",
			func(a Attempt) bool { return strings.HasPrefix(a.Message, "Attempt 12 ") }},
		{"search with filter", map[string]string{"status": "failed"}, "alice",
			func(a Attempt) bool { return a.Status == StatusFailed && a.Username == "alice" }},
	}
	for _, tc := range tests {
		want := newestFirst(acct, fx, tc.keep)
		for _, size := range []int{0, 2} {
			t.Run(fmt.Sprintf("%s page size %d", tc.name, size), func(t *testing.T) {
				got, _ := listAll(t, s, acct, Query{From: fixFrom, To: fixTo,
					Filters: tc.filters, Search: tc.search, PageSize: size})
				if !slices.Equal(got, want) {
					t.Errorf("got\n%v\nwant\n%v", got, want)
				}
			})
		}
	}
}

func TestListScanBound(t *testing.T) {
	c := openCouch(t)
	fx := fixture()
	acct := seed(t, c, fx)
	// Three rows read per request (four unpaginated): a search matching few attempts comes
	// back over several short (even empty) pages, and still in full.
	s := NewService(c, ServiceOptions{MaxScan: 3, MaxScanAll: 4, Chunk: 2})
	novEnd := time.Date(2025, 11, 30, 23, 59, 59, 0, time.UTC)

	tests := []struct {
		name     string
		q        Query
		keep     func(Attempt) bool
		minPages int
	}{
		{"matches nothing", Query{From: fixFrom, To: fixTo, PageSize: 50, Search: "cb_user"},
			func(Attempt) bool { return false }, (len(fx) + 2) / 3},
		{"matches the oldest", Query{From: fixFrom, To: fixTo, PageSize: 50, Search: "attempt 0 "},
			func(a Attempt) bool { return a.Key == "fixture-0" }, (len(fx) + 2) / 3},
		{"matches all", Query{From: fixFrom, To: fixTo, PageSize: 2, Search: "ATTEMPT"},
			nil, len(fx) / 2},
		{"filters in memory", Query{From: fixFrom, To: novEnd, PageSize: 2,
			Filters: map[string]string{"status": "failed", "factor": "sms"}},
			func(a Attempt) bool {
				return a.Time.Before(novEnd) && a.Status == StatusFailed && a.Factor == "sms"
			}, 1},
		{"auth type in memory", Query{From: fixFrom, To: fixTo, PageSize: 2,
			Filters: map[string]string{"auth_type": AuthTypeCredentials}},
			func(a Attempt) bool { return a.AuthType == AuthTypeCredentials }, (len(fx) + 2) / 3},
		{"unpaginated", Query{From: fixFrom, To: fixTo, Search: "of"}, nil, len(fx) / 4},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, pages := listAll(t, s, acct, tc.q)
			if want := newestFirst(acct, fx, tc.keep); !slices.Equal(got, want) {
				t.Errorf("bounded listing gave\n%v\nwant\n%v", got, want)
			}
			if pages < tc.minPages {
				t.Errorf("got %d pages, want at least %d with 3 rows read per request",
					pages, tc.minPages)
			}
		})
	}
}

func TestListStableUnderInserts(t *testing.T) {
	ctx := context.Background()
	c := openCouch(t)
	fx := fixture()
	acct := seed(t, c, fx)
	s := NewService(c, ServiceOptions{})
	want := newestFirst(acct, fx, nil)

	q := Query{From: fixFrom, To: fixTo, PageSize: 4}
	first, err := s.List(ctx, acct, q)
	if err != nil {
		t.Fatal(err)
	}
	// Newer attempts arrive between the pages.
	r := NewRecorder(c, RecorderOptions{})
	for i := range 3 {
		newer := Attempt{Key: fmt.Sprint("late-", i), Status: StatusFailed,
			Time: time.Date(2026, 2, 27, 10, i, 0, 0, time.UTC)}
		if _, err := r.Record(ctx, acct, newer); err != nil {
			t.Fatal(err)
		}
	}
	q.StartKey = first.NextStartKey
	rest, _ := listAll(t, s, acct, q)
	var got []string
	for _, a := range first.Attempts {
		got = append(got, a["id"].(string))
	}
	got = append(got, rest...)
	if !slices.Equal(got, want) {
		t.Errorf("pages around inserts gave\n%v\nwant\n%v", got, want)
	}
}

func TestListRange(t *testing.T) {
	c := openCouch(t)
	fx := fixture()
	acct := seed(t, c, fx)
	s := NewService(c, ServiceOptions{})
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(2026, 1, 1, 3, 0, 0, 0, time.UTC)
	want := newestFirst(acct, fx, func(a Attempt) bool {
		return !a.Time.Before(from) && !a.Time.After(to)
	})
	if len(want) < 2 {
		t.Fatalf("fixture has %d attempts in range, want several", len(want))
	}
	got, _ := listAll(t, s, acct, Query{From: from, To: to, PageSize: 2})
	if !slices.Equal(got, want) {
		t.Errorf("range listing gave\n%v\nwant\n%v", got, want)
	}
}

func TestListErrors(t *testing.T) {
	c := openCouch(t)
	acct := testenv.NewID()
	s := NewService(c, ServiceOptions{})
	ok := Query{From: fixFrom, To: fixTo}
	tests := []struct {
		name string
		acct string
		edit func(*Query)
		want error
	}{
		{"bad account", "nope", func(*Query) {}, couch.ErrInvalidID},
		{"bad start key", acct, func(q *Query) { q.StartKey = "garbage!" }, ErrBadStartKey},
		{"unknown filter", acct, func(q *Query) { q.Filters = map[string]string{"pvt_type": "x"} },
			ErrBadQuery},
		{"from after to", acct, func(q *Query) { q.From = fixTo.Add(time.Hour) }, ErrBadQuery},
		{"range too long", acct, func(q *Query) { q.From = fixTo.AddDate(-2, 0, 0) }, ErrBadQuery},
		{"negative page size", acct, func(q *Query) { q.PageSize = -1 }, ErrBadQuery},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q := ok
			tc.edit(&q)
			if _, err := s.List(context.Background(), tc.acct, q); !errors.Is(err, tc.want) {
				t.Errorf("List error = %v, want %v", err, tc.want)
			}
		})
	}
	// An account without any MODb lists nothing.
	p, err := s.List(context.Background(), acct, ok)
	if err != nil || len(p.Attempts) != 0 || p.NextStartKey != "" {
		t.Errorf("empty account List = %+v, %v; want an empty page", p, err)
	}
}

func TestGet(t *testing.T) {
	ctx := context.Background()
	c := openCouch(t)
	fx := fixture()
	acct := seed(t, c, fx)
	s := NewService(c, ServiceOptions{})

	a := fx[7]
	got, err := s.Get(ctx, acct, a.ID(acct))
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	for k := range got {
		if strings.HasPrefix(k, "pvt_") || strings.HasPrefix(k, "_") {
			t.Errorf("Get returned private field %s", k)
		}
	}
	if got["id"] != a.ID(acct) || got["reason"] != a.Reason || got["message"] != a.Message {
		t.Errorf("Get = %v, want attempt %s", got, a.ID(acct))
	}
	details, _ := got["details"].(map[string]any)
	if details["txid"] != "tx-7" || details["passcode"] != nil {
		t.Errorf("details = %v, want txid tx-7 and no passcode", details)
	}
	meta, _ := got["metadata"].(map[string]any)
	if meta["username"] != a.Username || meta["account_id"] != acct {
		t.Errorf("metadata = %v", meta)
	}

	other := testenv.NewID()
	nonAttempt := couch.Doc{"_id": couch.MODBID(a.Time, testenv.NewID()), "pvt_type": "cdr"}
	if _, err := c.SaveMODBDocs(ctx, acct, []couch.Doc{nonAttempt}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, acct, id string
		want           error
	}{
		{"bad account", "nope", a.ID(acct), couch.ErrInvalidID},
		{"bad id", acct, "../x", couch.ErrInvalidID},
		{"id without month", acct, testenv.NewID(), couch.ErrInvalidID},
		{"unknown id", acct, couch.MODBID(a.Time, testenv.NewID()), couch.ErrNotFound},
		{"month without modb", acct, couch.MODBID(fixFrom.AddDate(0, 1, 0), testenv.NewID()),
			couch.ErrNotFound},
		{"another account's attempt", other, a.ID(acct), couch.ErrNotFound},
		{"not an attempt", acct, nonAttempt["_id"].(string), couch.ErrNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := s.Get(ctx, tc.acct, tc.id); !errors.Is(err, tc.want) {
				t.Errorf("Get error = %v, want %v", err, tc.want)
			}
		})
	}
}
