package handlers_test

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/sirupsen/logrus"

	"github.com/duo-kazoo/duo-kazoo/couch"
	"github.com/duo-kazoo/duo-kazoo/handlers"
)

// pagedLogs serves total attempts, newest first, in pages of the asked
// size (a start key is the index to continue from; an unpaginated
// listing stops at a scan bound of 1200 rows); it fails the List
// call number failAt (1-based; 0: never), and records every query.
type pagedLogs struct {
	total  int
	failAt int

	mu      sync.Mutex
	queries []handlers.FailureQuery
}

func (p *pagedLogs) List(_ context.Context, _ string, q handlers.FailureQuery) (
	handlers.FailurePage, error) {
	p.mu.Lock()
	p.queries = append(p.queries, q)
	n := len(p.queries)
	p.mu.Unlock()
	if n == p.failAt {
		return handlers.FailurePage{}, fmt.Errorf("reading page %d: %w", n, couch.ErrUnavailable)
	}
	start := 0
	if q.StartKey != "" {
		start, _ = strconv.Atoi(q.StartKey)
	}
	size := q.PageSize
	if size == 0 {
		// As attempts.Service: an unpaginated listing stops at its scan
		// bound, with a NextStartKey.
		size = 1200
	}
	end := min(start+size, p.total)
	page := handlers.FailurePage{}
	for i := start; i < end; i++ {
		page.Attempts = append(page.Attempts, map[string]any{"id": fmt.Sprintf("attempt-%06d", i),
			"timestamp": float64(63900000000 - i), "status": "failed", "reason": "timeout",
			"auth_type": "multi_factor", "username": "user"})
	}
	if end < p.total {
		page.NextStartKey = strconv.Itoa(end)
	}
	return page, nil
}

func (p *pagedLogs) Get(context.Context, string, string) (map[string]any, error) {
	return nil, couch.ErrNotFound
}

func (p *pagedLogs) reset() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.queries = nil
}

func (p *pagedLogs) listCalls() []handlers.FailureQuery {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]handlers.FailureQuery(nil), p.queries...)
}

func exportServer(t *testing.T, logs *pagedLogs) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(handlers.New(handlers.Deps{Auth: allowAll{}, Configs: memConfigs{},
		FailureLogs: logs, Log: quietLogger(logrus.PanicLevel)}))
	t.Cleanup(srv.Close)
	return srv
}

func getCSV(t *testing.T, srv *httptest.Server, path string) (*http.Response, []byte, error) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	req.Header.Set("X-Auth-Token", "t")
	req.Header.Set("Accept", "text/csv")
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp, body, err
}

// TestFailureLogsCSVExportsEverything: with paginate=false the CSV holds
// every attempt of the listing, however many pages the store needs, and
// the handler reads it a bounded page at a time.
func TestFailureLogsCSVExportsEverything(t *testing.T) {
	const total = 2503
	logs := &pagedLogs{total: total}
	srv := exportServer(t, logs)
	for _, path := range []string{"/duo/failure_logs", "/multi_factor/attempts"} {
		t.Run(path, func(t *testing.T) {
			logs.reset()
			resp, body, err := getCSV(t, srv, accountPath(fakeAccount)+path+"?paginate=false")
			if err != nil || resp.StatusCode != http.StatusOK {
				t.Fatalf("export: %v %d %.200s", err, resp.StatusCode, body)
			}
			records, err := csv.NewReader(strings.NewReader(string(body))).ReadAll()
			if err != nil {
				t.Fatalf("the export is not CSV: %v", err)
			}
			if len(records) != total+1 || records[0][0] != "id" {
				t.Fatalf("the export has %d records, want a header and %d attempts",
					len(records), total)
			}
			seen := map[string]bool{}
			for i, rec := range records[1:] {
				if want := fmt.Sprintf("attempt-%06d", i); rec[0] != want || seen[rec[0]] {
					t.Fatalf("record %d is %q, want %s once, in order", i+1, rec[0], want)
				}
				seen[rec[0]] = true
			}
			if got := resp.Header.Get("X-Next-Start-Key"); got != "" {
				t.Errorf("a complete export carries X-Next-Start-Key %q", got)
			}
			calls := logs.listCalls()
			if len(calls) != 3 {
				t.Errorf("the export read %d pages, want 3 of 1000 rows", len(calls))
			}
			for _, q := range calls {
				if q.PageSize <= 0 || q.PageSize > 1000 {
					t.Errorf("the export read a page of size %d: want bounded pages", q.PageSize)
				}
			}
		})
	}
}

// TestFailureLogsCSVExportAborted: a page that cannot be read once the
// export has started aborts the response, so the client sees a failed
// transfer rather than a complete-looking, shorter file.
func TestFailureLogsCSVExportAborted(t *testing.T) {
	logs := &pagedLogs{total: 2503, failAt: 2}
	srv := exportServer(t, logs)
	resp, body, err := getCSV(t, srv, accountPath(fakeAccount)+"/duo/failure_logs?paginate=false")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d, want 200 (the first page was read)", resp.StatusCode)
	}
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("reading the aborted export: %v after %d bytes, want io.ErrUnexpectedEOF",
			err, len(body))
	}

	// A failure before anything is written is an ordinary error answer.
	logs = &pagedLogs{total: 10, failAt: 1}
	srv = exportServer(t, logs)
	resp, body, err = getCSV(t, srv, accountPath(fakeAccount)+"/duo/failure_logs?paginate=false")
	if err != nil || resp.StatusCode != http.StatusServiceUnavailable ||
		!strings.Contains(string(body), `"status":"error"`) {
		t.Fatalf("first page failing: %v %d %s, want a 503 envelope", err, resp.StatusCode, body)
	}
}

// TestFailureLogsCSVPage: a CSV of one page says where the listing goes
// on, as the JSON envelope's next_start_key does.
func TestFailureLogsCSVPage(t *testing.T) {
	srv := exportServer(t, &pagedLogs{total: 5})
	resp, body, err := getCSV(t, srv, accountPath(fakeAccount)+"/duo/failure_logs?page_size=2")
	records, _ := csv.NewReader(strings.NewReader(string(body))).ReadAll()
	if err != nil || resp.StatusCode != http.StatusOK || len(records) != 3 {
		t.Fatalf("page: %v %d, %d records, want a header and 2 attempts", err,
			resp.StatusCode, len(records))
	}
	if got := resp.Header.Get("X-Next-Start-Key"); got != "2" {
		t.Errorf("X-Next-Start-Key = %q, want the page's next start key 2", got)
	}
	resp, _, _ = getCSV(t, srv, accountPath(fakeAccount)+"/duo/failure_logs?page_size=2&start_key=4")
	if got, ok := resp.Header["X-Next-Start-Key"]; ok {
		t.Errorf("the last page carries X-Next-Start-Key %q", got)
	}
}

// TestKAZOOAttemptsAsksForMultiFactorOnly: KAZOO's listing asks the store
// for multi_factor attempts of every status; the Failure Logs tab for
// failures of every auth type.
func TestKAZOOAttemptsAsksForMultiFactorOnly(t *testing.T) {
	logs := &pagedLogs{total: 1}
	srv := exportServer(t, logs)
	for path, want := range map[string]map[string]string{
		"/multi_factor/attempts":                      {"auth_type": "multi_factor"},
		"/multi_factor/attempts?filter_status=failed": {"auth_type": "multi_factor", "status": "failed"},
		"/duo/failure_logs":                           {"status": "failed"},
	} {
		logs.reset()
		req, _ := http.NewRequest(http.MethodGet, srv.URL+accountPath(fakeAccount)+path, nil)
		req.Header.Set("X-Auth-Token", "t")
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		calls := logs.listCalls()
		if resp.StatusCode != http.StatusOK || len(calls) != 1 ||
			fmt.Sprint(calls[0].Filters) != fmt.Sprint(want) {
			t.Errorf("%s: %d, store asked %+v, want filters %v", path, resp.StatusCode, calls, want)
		}
	}
}
