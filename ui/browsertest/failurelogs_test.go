package browsertest

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/duo-kazoo/duo-kazoo/app/apptest"
	"github.com/duo-kazoo/duo-kazoo/attempts"
)

const (
	selTable    = "[data-role=table]"
	selPage     = "[data-role=page]"
	selNext     = "[data-action=next]"
	selPrevious = "[data-action=previous]"
	selFilter   = "[data-role=filter-form]"
)

// seedLog is the failure log of the tests: 60 failed attempts an hour
// apart (alice: user_denied and timeout, bob: fraud, carol: locked_out)
// and 3 successes of dave.
func seedLog() []attempts.Attempt {
	var list []attempts.Attempt
	for i := range 60 {
		ago := time.Duration(i+1) * time.Hour
		switch i % 6 {
		case 0, 2:
			list = append(list, failedAttempt("alice", attempts.ReasonUserDenied, ago))
		case 1:
			list = append(list, failedAttempt("alice", attempts.ReasonTimeout, ago))
		case 3, 4:
			list = append(list, failedAttempt("bob", attempts.ReasonFraud, ago))
		default:
			list = append(list, failedAttempt("carol", attempts.ReasonLockedOut, ago))
		}
	}
	for i := range 3 {
		a := failedAttempt("dave", "", time.Duration(i+1)*90*time.Minute)
		a.Status, a.Message, a.Details = attempts.StatusSuccess, "second factor passed", nil
		list = append(list, a)
	}
	return list
}

// countOf counts the attempts of list for which keep is true.
func countOf(list []attempts.Attempt, keep func(a attempts.Attempt) bool) int {
	n := 0
	for _, a := range list {
		if keep(a) {
			n++
		}
	}
	return n
}

// failed selects failed attempts, which the Failure Logs list by default.
func failed(a attempts.Attempt) bool { return a.Status == attempts.StatusFailed }

// openLogs selects the Failure Logs tab and waits for its first page.
func (s *session) openLogs() {
	s.t.Helper()
	s.click(selTabLogs)
	s.waitVisible(selTable)
	s.logsSettled()
}

// logsSettled waits until the table has no listing in flight.
func (s *session) logsSettled() {
	s.t.Helper()
	s.waitFor("the Failure Logs to settle", `(function(t) { return !!t && `+
		`!t.hasAttribute('aria-busy') && !!document.querySelector('[data-role=rows] tr'); })`+
		`(document.querySelector(`+js(selTable)+`))`, "")
}

// rows returns the text of each cell of each row shown.
func (s *session) rows() [][]string {
	s.t.Helper()
	return eval[[][]string](s.tab, `Array.prototype.map.call(document.querySelectorAll(`+
		js(selRow)+`), function(tr) { return Array.prototype.map.call(tr.cells, `+
		`function(td) { return td.textContent.trim(); }); })`)
}

// setDate sets a date input as its picker does and fires change.
func (s *session) setDate(sel, day string) {
	s.t.Helper()
	eval[bool](s.tab, `(function(el) { el.value = `+js(day)+`; `+
		`el.dispatchEvent(new Event('input', { bubbles: true })); `+
		`el.dispatchEvent(new Event('change', { bubbles: true })); return true; })`+
		`(document.querySelector(`+js(sel)+`))`)
}

// applyFilter submits the filter form and waits for the new listing.
func (s *session) applyFilter() {
	s.t.Helper()
	s.click(selFilter + " [type=submit]")
	s.logsSettled()
}

// wantRows fails unless the table shows n rows, each of whose cells
// contain the texts of want (by column; "" matches anything).
func (s *session) wantRows(n int, want ...string) {
	s.t.Helper()
	rows := s.rows()
	if len(rows) != n {
		s.t.Fatalf("got %d rows, want %d: %v", len(rows), n, rows)
	}
	for _, r := range rows {
		for i, w := range want {
			if w != "" && (i >= len(r) || !strings.Contains(r[i], w)) {
				s.t.Errorf("row %v: column %d lacks %q", r, i, w)
			}
		}
	}
}

func TestFailureLogsEmpty(t *testing.T) {
	s := openApp(t, apptest.Options{}, "en-US")
	s.openLogs()
	s.wantRows(1, "No results.")
	if got := s.text(selPage); got != "Page 1" {
		t.Errorf("pager: got %q, want Page 1", got)
	}
	for _, sel := range []string{selNext, selPrevious} {
		if !eval[bool](s.tab, `document.querySelector(`+js(sel)+`).disabled`) {
			t.Errorf("%s is enabled with no results", sel)
		}
	}
}

func TestFailureLogs(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	s := &session{tab: newTab(t), env: env}
	if _, err := chromedp.Call(s.ctx, emulation.SetTimezoneOverride,
		emulation.SetTimezoneOverrideParams{TimezoneID: "UTC"}); err != nil {
		t.Fatalf("setting the page's time zone: %v", err)
	}
	log := seedLog()
	s.seedAttempts(log)
	s.signIn("en-US")
	s.openLogs()
	all := countOf(log, failed)

	t.Run("first page", func(t *testing.T) {
		s := s.on(t)
		s.wantRows(min(all, 50), "", "Failed")
		if !eval[bool](s.tab, `!document.querySelector(`+js(selNext)+`).disabled`) {
			t.Error("Next is disabled with more rows to show")
		}
	})

	t.Run("paging", func(t *testing.T) {
		s := s.on(t)
		s.choose("[data-role=page-size]", "25")
		s.logsSettled()
		s.wantRows(25)
		first := s.rows()[0][0]
		s.click(selNext)
		s.waitText(selPage, "Page 2")
		s.logsSettled()
		s.wantRows(25)
		if s.rows()[0][0] == first {
			t.Error("page 2 starts with page 1's first row")
		}
		s.click(selNext)
		s.waitText(selPage, "Page 3")
		s.logsSettled()
		s.wantRows(all - 50)
		if !eval[bool](s.tab, `document.querySelector(`+js(selNext)+`).disabled`) {
			t.Error("Next is enabled on the last page")
		}
		s.click(selPrevious)
		s.waitText(selPage, "Page 2")
		s.logsSettled()
		s.wantRows(25)
	})

	t.Run("search", func(t *testing.T) {
		s := s.on(t)
		s.fill("#duo-log-q", "carol")
		s.click("[data-role=search-form] [type=submit]")
		s.waitText(selPage, "Page 1")
		s.logsSettled()
		s.wantRows(countOf(log, func(a attempts.Attempt) bool {
			return failed(a) && a.Username == "carol"
		}), "", "", "Locked out", "carol")
		s.fill("#duo-log-q", "")
		s.click("[data-role=search-form] [type=submit]")
		s.logsSettled()
		s.wantRows(25)
	})

	t.Run("filters", func(t *testing.T) {
		s := s.on(t)
		s.click("[data-action=toggle-filter]")
		s.waitVisible(selFilter)
		s.choose("#duo-log-reason", "fraud")
		s.applyFilter()
		s.wantRows(countOf(log, func(a attempts.Attempt) bool {
			return failed(a) && a.Reason == attempts.ReasonFraud
		}), "", "", "Reported as fraud", "bob")
		if got := s.text("[data-role=filter-count]"); got != "(1)" {
			t.Errorf("filter count: got %q, want (1)", got)
		}

		s.choose("#duo-log-reason", "")
		s.choose("#duo-log-status", "success")
		s.applyFilter()
		s.wantRows(len(log)-all, "", "Succeeded", "", "dave")

		yesterday := time.Now().UTC().AddDate(0, 0, -1).Format(time.DateOnly)
		s.choose("#duo-log-status", "")
		s.setDate("#duo-log-from", yesterday)
		s.setDate("#duo-log-to", yesterday)
		s.fill("#duo-log-user", "alice")
		s.applyFilter()
		s.wantRows(countOf(log, func(a attempts.Attempt) bool {
			return failed(a) && a.Username == "alice" &&
				a.Time.UTC().Format(time.DateOnly) == yesterday
		}), "", "", "", "alice")
		if got := s.text("[data-role=filter-count]"); got != "(3)" {
			t.Errorf("filter count: got %q, want (3)", got)
		}
	})

	t.Run("details", func(t *testing.T) {
		s := s.on(t)
		s.click(selRow + " [data-action=view]")
		s.waitVisible("dialog[open]")
		body := s.text("dialog[open]")
		for _, want := range []string{"Attempt details", "Reason", "alice", "192.0.2.10",
			"cb_user_auth", "Duo status", "deny", "Mozilla/5.0 (test)"} {
			if !strings.Contains(body, want) {
				t.Errorf("details lack %q: %s", want, body)
			}
		}
		s.click("dialog[open] button[value=close]")
		s.waitFor("the dialog to close", `!document.querySelector('dialog')`, "")
		if !eval[bool](s.tab, `document.activeElement.getAttribute('data-action') === 'view'`) {
			t.Error("focus did not return to the View button")
		}
	})

	t.Run("CSV export", func(t *testing.T) {
		s := s.on(t)
		dir := t.TempDir()
		if _, err := chromedp.CallBrowser(s.ctx, browser.SetDownloadBehavior,
			browser.SetDownloadBehaviorParams{Behavior: browser.SetDownloadBehaviorBehaviorAllow,
				DownloadPath: dir}); err != nil {
			t.Fatalf("allowing downloads: %v", err)
		}
		s.click("[data-action=export]")
		s.waitText(selStatus, "The CSV file is downloaded.")
		records := readDownloadedCSV(t, dir)
		want := s.count(selRow)
		if len(records) != want+1 {
			t.Fatalf("got %d CSV lines, want a header and the %d rows filtered", len(records), want)
		}
		col := map[string]int{}
		for i, name := range records[0] {
			col[name] = i
		}
		for _, name := range []string{"id", "date", "status", "reason", "username"} {
			if _, ok := col[name]; !ok {
				t.Fatalf("CSV header %v lacks %q", records[0], name)
			}
		}
		for _, r := range records[1:] {
			if r[col["username"]] != "alice" || r[col["status"]] != "failed" {
				t.Errorf("CSV row %v is not one of alice's failures", r)
			}
		}
	})
}

// readDownloadedCSV waits for the one finished .csv download in dir and
// parses it.
func readDownloadedCSV(t *testing.T, dir string) [][]string {
	t.Helper()
	var path string
	for deadline := time.Now().Add(waitTimeout); path == "" && time.Now().Before(deadline); {
		found, _ := filepath.Glob(filepath.Join(dir, "duo-failure-logs-*.csv"))
		if len(found) == 1 {
			path = found[0]
		} else {
			time.Sleep(30 * time.Millisecond)
		}
	}
	if path == "" {
		entries, _ := os.ReadDir(dir)
		t.Fatalf("no CSV downloaded into %s (it holds %d entries)", dir, len(entries))
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	records, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("parsing %s: %v", path, err)
	}
	if len(records) == 0 {
		t.Fatalf("%s is empty", path)
	}
	t.Logf("downloaded %s: %s lines", filepath.Base(path), strconv.Itoa(len(records)))
	return records
}
