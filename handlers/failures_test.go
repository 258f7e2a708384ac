package handlers_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/duo-kazoo/duo-kazoo/app/apptest"
	"github.com/duo-kazoo/duo-kazoo/attempts"
	"github.com/duo-kazoo/duo-kazoo/couch"
)

// Owners and configurations of recordAttempts' attempts: alice's and
// bob's; the first three attempts' configuration and the others'.
const (
	aliceOwner = "a11ce000000000000000000000000001"
	bobOwner   = "b0b00000000000000000000000000002"
	cfgOne     = "c0f1000000000000000000000000000a"
	cfgTwo     = "c0f2000000000000000000000000000b"
)

// recordAttempts writes n failed attempts (alternating users and
// reasons, one minute apart, newest first) and one success.
func recordAttempts(t *testing.T, e *apptest.Env, acct string, n int) {
	t.Helper()
	rec := attempts.NewRecorder(e.Couch, attempts.RecorderOptions{})
	now := time.Now().UTC().Truncate(time.Second)
	batch := make([]attempts.Attempt, 0, n+1)
	for i := 0; i < n; i++ {
		user, owner, reason := "alice", aliceOwner, attempts.ReasonUserDenied
		if i%2 == 1 {
			user, owner, reason = "bob", bobOwner, attempts.ReasonTimeout
		}
		cfg := cfgOne
		if i >= 3 {
			cfg = cfgTwo
		}
		batch = append(batch, attempts.Attempt{
			Key: fmt.Sprintf("msg-%d", i), Time: now.Add(-time.Duration(i) * time.Minute),
			Status: attempts.StatusFailed, AuthModule: "cb_user_auth", Reason: reason,
			Message: "second factor refused for " + user, ClientIP: fmt.Sprintf("10.0.0.%d", i),
			Username: user, OwnerID: owner, ConfigurationID: cfg, Factor: "push",
			ProviderName: "duo",
			Details:      map[string]any{"duo_status": "deny", "passcode": "123456"},
		})
	}
	batch = append(batch, attempts.Attempt{Key: "ok", Time: now, Status: attempts.StatusSuccess,
		AuthModule: "cb_user_auth", Username: "carol"})
	outcomes, err := rec.RecordBatch(context.Background(), acct, batch)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range outcomes {
		if o.Err != nil {
			t.Fatal(o.Err)
		}
	}
}

func TestFailureLogs(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	acct, admin := e.KAZOO.Sub.ID, e.KAZOO.Sub.Admin.Token
	base := accountPath(acct) + "/duo/failure_logs"
	recordAttempts(t, e, acct, 7)

	list := func(t *testing.T, query string) apptest.Envelope {
		t.Helper()
		status, out := e.Do(t, http.MethodGet, base+"?"+query, admin, nil)
		if status != http.StatusOK {
			t.Fatalf("list %s: %d %s", query, status, out)
		}
		return apptest.Decode(t, out)
	}

	t.Run("failures newest first, successes left out", func(t *testing.T) {
		rows := list(t, "").List(t)
		if len(rows) != 7 {
			t.Fatalf("got %d rows, want 7 failures", len(rows))
		}
		for i := 1; i < len(rows); i++ {
			if rows[i-1]["timestamp"].(float64) < rows[i]["timestamp"].(float64) {
				t.Fatalf("rows not newest first: %v", rows)
			}
		}
		if rows[0]["reason"] != "user_denied" || rows[0]["username"] != "alice" {
			t.Fatalf("newest row = %v", rows[0])
		}
	})
	t.Run("filters and search", func(t *testing.T) {
		cases := []struct {
			query string
			want  int
		}{
			{"filter_reason=timeout", 3},
			{"filter_username=alice", 4},
			{"filter_client_ip=10.0.0.3", 1},
			{"filter_owner_id=" + bobOwner, 3},
			{"filter_owner_id=" + aliceOwner + "&filter_reason=timeout", 0},
			{"filter_configuration_id=" + cfgOne, 3},
			{"filter_configuration_id=" + cfgTwo, 4},
			{"filter_configuration_id=" + cfgTwo + "&filter_owner_id=" + aliceOwner, 2},
			{"filter_configuration_id=" + strings.Repeat("0", 32), 0},
			{"q=BOB", 3},
			{"q=10.0.0.6", 1},
			// Only the reason code holds these: not the user, IP or message.
			{"q=TIMEOUT", 3},
			{"q=user_denied", 4},
			{"q=" + bobOwner[:8], 3},
			{"filter_username=alice&q=nobody", 0},
		}
		for _, tc := range cases {
			rows := list(t, tc.query).List(t)
			if len(rows) != tc.want {
				t.Errorf("%s: %d rows, want %d", tc.query, len(rows), tc.want)
			}
			for _, row := range rows {
				for _, f := range strings.Split(tc.query, "&") {
					field, value, _ := strings.Cut(f, "=")
					field, isFilter := strings.CutPrefix(field, "filter_")
					if isFilter && row[field] != value {
						t.Errorf("%s: row %v does not match %s", tc.query, row, f)
					}
				}
			}
		}
	})
	t.Run("paging covers every failure once", func(t *testing.T) {
		seen := map[string]bool{}
		query := "page_size=3"
		for pages := 0; ; pages++ {
			env := list(t, query)
			for _, r := range env.List(t) {
				id := r["id"].(string)
				if seen[id] {
					t.Fatalf("attempt %s listed twice", id)
				}
				seen[id] = true
			}
			if env.NextStartKey == "" {
				break
			}
			if pages > 5 {
				t.Fatal("paging does not end")
			}
			query = "page_size=3&start_key=" + url.QueryEscape(env.NextStartKey)
		}
		if len(seen) != 7 {
			t.Fatalf("paging saw %d attempts, want 7", len(seen))
		}
	})
	t.Run("date range", func(t *testing.T) {
		from := couch.Gregorian(time.Now().Add(-150 * time.Second))
		if got := len(list(t, fmt.Sprintf("created_from=%d", from)).List(t)); got != 3 {
			t.Fatalf("last 150 s: %d rows, want 3", got)
		}
	})
	t.Run("csv export", func(t *testing.T) {
		status, out := e.DoHeaders(t, http.MethodGet, base+"?paginate=false", admin, nil,
			map[string]string{"Accept": "text/csv"})
		records, err := csv.NewReader(strings.NewReader(string(out))).ReadAll()
		if status != http.StatusOK || err != nil || len(records) != 8 ||
			records[0][0] != "id" {
			t.Fatalf("csv: %d %v\n%s", status, err, out)
		}
	})
	t.Run("one attempt in detail, without secrets", func(t *testing.T) {
		id := list(t, "page_size=1").List(t)[0]["id"].(string)
		status, out := e.Do(t, http.MethodGet, base+"/"+id, admin, nil)
		a := apptest.Decode(t, out).Object(t)
		if status != http.StatusOK || a["id"] != id || a["details"] == nil {
			t.Fatalf("get: %d %s", status, out)
		}
		if strings.Contains(string(out), "123456") || strings.Contains(string(out), "pvt_") {
			t.Fatalf("attempt detail leaks a passcode or private fields: %s", out)
		}
		status, out = e.Do(t, http.MethodGet, accountPath(acct)+"/multi_factor/attempts/"+id,
			admin, nil)
		if status != http.StatusOK {
			t.Fatalf("KAZOO attempt: %d %s", status, out)
		}
	})
	t.Run("KAZOO attempts listing shape", func(t *testing.T) {
		status, out := e.Do(t, http.MethodGet, accountPath(acct)+"/multi_factor/attempts", admin, nil)
		rows := apptest.Decode(t, out).List(t)
		if status != http.StatusOK || len(rows) != 8 {
			t.Fatalf("KAZOO listing: %d, %d rows (want all 8)", status, len(rows))
		}
		for k := range rows[0] {
			switch k {
			case "id", "auth_type", "auth_module", "status", "message", "timestamp", "client_ip":
			default:
				t.Errorf("KAZOO row has extra field %s", k)
			}
		}
	})
	t.Run("bad input", func(t *testing.T) {
		for _, q := range []string{"start_key=garbage!", "page_size=0", "created_from=abc",
			"created_from=63900000000&created_to=63800000000"} {
			if status, out := e.Do(t, http.MethodGet, base+"?"+q, admin, nil); status != 400 {
				t.Errorf("%s: %d %s, want 400", q, status, out)
			}
		}
		for _, id := range []string{"nope", "202612-" + strings.Repeat("0", 32)} {
			if status, _ := e.Do(t, http.MethodGet, base+"/"+id, admin, nil); status != 404 {
				t.Errorf("attempt %s: %d, want 404", id, status)
			}
		}
	})
	t.Run("same token rules", func(t *testing.T) {
		if status, _ := e.Do(t, http.MethodGet, accountPath(e.KAZOO.Reseller.ID)+
			"/duo/failure_logs", admin, nil); status != 403 {
			t.Errorf("sub admin reading the reseller's logs: %d, want 403", status)
		}
		if status, _ := e.Do(t, http.MethodGet, base, e.KAZOO.Reseller.Admin.Token, nil); status != 200 {
			t.Errorf("reseller admin reading the sub's logs: %d, want 200", status)
		}
	})
}

func TestFailureLogsEmpty(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	status, out := e.Do(t, http.MethodGet, accountPath(e.KAZOO.Sub.ID)+"/duo/failure_logs",
		e.KAZOO.Sub.Admin.Token, nil)
	env := apptest.Decode(t, out)
	if status != http.StatusOK || string(env.Data) != "[]" {
		t.Fatalf("empty listing: %d %s", status, out)
	}
}

// TestKAZOOAttemptsListsMultiFactorOnly: KAZOO's attempts listing holds
// the multi_factor attempts (failed and successful), not the credentials
// events others publish, which the Failure Logs tab does list.
func TestKAZOOAttemptsListsMultiFactorOnly(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	acct, admin := e.KAZOO.Sub.ID, e.KAZOO.Sub.Admin.Token
	rec := attempts.NewRecorder(e.Couch, attempts.RecorderOptions{})
	now := time.Now().UTC().Truncate(time.Second)
	batch := []attempts.Attempt{
		{Key: "mf-failed", Time: now, Status: attempts.StatusFailed, Reason: "user_denied"},
		{Key: "mf-success", Time: now.Add(-time.Minute), Status: attempts.StatusSuccess},
		{Key: "pw-1", Time: now.Add(-2 * time.Minute), AuthType: attempts.AuthTypeCredentials,
			Status: attempts.StatusFailed, Reason: "password_failed"},
		{Key: "pw-2", Time: now.Add(-3 * time.Minute), AuthType: attempts.AuthTypeCredentials,
			Status: attempts.StatusFailed, Reason: "password_failed"},
	}
	for i := range batch {
		batch[i].AuthModule = "cb_user_auth"
	}
	storeAll(t, rec, acct, batch)
	ids := func(path, accept string) []string {
		t.Helper()
		status, out := e.DoHeaders(t, http.MethodGet, accountPath(acct)+path, admin, nil,
			map[string]string{"Accept": accept})
		if status != http.StatusOK {
			t.Fatalf("%s: %d %s", path, status, out)
		}
		var got []string
		if accept == "text/csv" {
			records, err := csv.NewReader(strings.NewReader(string(out))).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range records[1:] {
				got = append(got, r[0])
			}
			return got
		}
		for _, row := range apptest.Decode(t, out).List(t) {
			if path != "/duo/failure_logs" && row["auth_type"] != "multi_factor" {
				t.Errorf("%s lists a %v attempt: %v", path, row["auth_type"], row)
			}
			got = append(got, row["id"].(string))
		}
		return got
	}
	want := []string{batch[0].ID(acct), batch[1].ID(acct)}
	for _, path := range []string{"/multi_factor/attempts", "/multi_factor/attempts?page_size=1",
		"/multi_factor/attempts?paginate=false"} {
		if got := ids(path, "application/json"); len(got) == 0 || got[0] != want[0] ||
			path != "/multi_factor/attempts?page_size=1" && fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s = %v, want the multi_factor attempts %v", path, got, want)
		}
	}
	if got := ids("/multi_factor/attempts?paginate=false", "text/csv"); fmt.Sprint(got) !=
		fmt.Sprint(want) {
		t.Errorf("KAZOO listing as CSV = %v, want %v", got, want)
	}
	if got := ids("/duo/failure_logs", "application/json"); len(got) != 3 {
		t.Errorf("failure logs = %v, want the 3 failures of every auth type", got)
	}
}

// TestFailureLogsCSVExportAcrossPages: the whole export (paginate=false)
// of a listing longer than the pages it is read in (1000 rows) holds
// every failure once, newest first.
func TestFailureLogsCSVExportAcrossPages(t *testing.T) {
	const n = 1050
	e := apptest.Start(t, apptest.Options{})
	acct := e.KAZOO.Sub.ID
	rec := attempts.NewRecorder(e.Couch, attempts.RecorderOptions{})
	now := time.Now().UTC().Truncate(time.Second)
	batch := make([]attempts.Attempt, n)
	for i := range batch {
		batch[i] = attempts.Attempt{Key: fmt.Sprint("export-", i),
			Time: now.Add(-time.Duration(i) * time.Second), Status: attempts.StatusFailed,
			AuthModule: "cb_user_auth", Reason: attempts.ReasonTimeout, Username: "user"}
	}
	storeAll(t, rec, acct, batch)
	status, out := e.DoHeaders(t, http.MethodGet, accountPath(acct)+
		"/duo/failure_logs?paginate=false&created_from="+
		fmt.Sprint(couch.Gregorian(now.Add(-time.Hour))), e.KAZOO.Sub.Admin.Token, nil,
		map[string]string{"Accept": "text/csv"})
	records, err := csv.NewReader(strings.NewReader(string(out))).ReadAll()
	if status != http.StatusOK || err != nil {
		t.Fatalf("export: %d %v", status, err)
	}
	if len(records) != n+1 {
		t.Fatalf("the export has %d attempts, want %d", len(records)-1, n)
	}
	for i, r := range records[1:] {
		if want := batch[i].ID(acct); r[0] != want {
			t.Fatalf("record %d is %s, want %s (every attempt once, newest first)", i+1, r[0], want)
		}
	}
}

// storeAll records batch in acct, failing the test on any error.
func storeAll(t *testing.T, rec *attempts.Recorder, acct string, batch []attempts.Attempt) {
	t.Helper()
	outcomes, err := rec.RecordBatch(context.Background(), acct, batch)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range outcomes {
		if o.Err != nil {
			t.Fatal(o.Err)
		}
	}
}
