package app_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sirupsen/logrus"
	logtest "github.com/sirupsen/logrus/hooks/test"

	"github.com/duo-kazoo/duo-kazoo/app"
)

var errSecretish = errors.New("dial tcp 10.0.0.1:5984: user admin password hunter2")

func TestReadinessReport(t *testing.T) {
	tests := []struct {
		name       string
		checks     map[string]error
		wantStatus int
		wantDown   []string
	}{
		{"no checks", nil, http.StatusOK, []string{}},
		{"all ok", map[string]error{"couchdb": nil, "amqp": nil}, http.StatusOK, []string{}},
		{"some down", map[string]error{"couchdb": errSecretish, "amqp": app.ErrNotReady,
			"design_docs": nil}, http.StatusServiceUnavailable, []string{"amqp", "couchdb"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			log, _ := logtest.NewNullLogger()
			r := app.NewReadiness(log)
			for name, err := range tc.checks {
				r.Add(name, func(context.Context) error { return err })
			}
			rec := httptest.NewRecorder()
			r.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
			if rec.Code != tc.wantStatus {
				t.Errorf("status: got %d, want %d", rec.Code, tc.wantStatus)
			}
			if strings.Contains(rec.Body.String(), "hunter2") {
				t.Errorf("body reveals a check's error: %s", rec.Body)
			}
			var rep app.ReadinessReport
			if err := json.Unmarshal(rec.Body.Bytes(), &rep); err != nil {
				t.Fatalf("body: %v", err)
			}
			if !reflect.DeepEqual(rep.Down, tc.wantDown) {
				t.Errorf("down: got %v, want %v", rep.Down, tc.wantDown)
			}
			if len(rep.Checks) != len(tc.checks) {
				t.Errorf("checks: got %v, want one entry per check", rep.Checks)
			}
			for name, err := range tc.checks {
				want := "ok"
				if err != nil {
					want = "down"
				}
				if rep.Checks[name] != want {
					t.Errorf("check %s: got %q, want %q", name, rep.Checks[name], want)
				}
			}

			head := httptest.NewRecorder()
			r.ServeHTTP(head, httptest.NewRequest(http.MethodHead, "/readyz", nil))
			if head.Code != tc.wantStatus || head.Body.Len() != 0 {
				t.Errorf("HEAD: got %d with %d bytes, want %d without a body", head.Code,
					head.Body.Len(), tc.wantStatus)
			}
		})
	}
}

func TestReadinessLogsChangesOnly(t *testing.T) {
	log, hook := logtest.NewNullLogger()
	r := app.NewReadiness(log)
	var up atomic.Bool
	r.Add("couchdb", app.ReadyWhen(up.Load))
	states := []bool{false, false, false, true, true, false}
	for _, s := range states {
		up.Store(s)
		r.Check(context.Background())
	}
	var got []string
	for _, e := range hook.AllEntries() {
		got = append(got, e.Level.String()+" "+e.Message)
	}
	want := []string{"warning readiness: check down", "info readiness: check ok again",
		"warning readiness: check down"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("log entries:\ngot  %q\nwant %q", got, want)
	}
}

func TestCachedRunsAtMostOncePerInterval(t *testing.T) {
	tests := []struct {
		name     string
		interval time.Duration
		want     int32
	}{
		{"fresh result reused", time.Hour, 1},
		{"no caching", 0, 5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var runs atomic.Int32
			check := app.Cached(tc.interval, func(context.Context) error {
				runs.Add(1)
				return app.ErrNotReady
			})
			for i := 0; i < 5; i++ {
				if err := check(context.Background()); !errors.Is(err, app.ErrNotReady) {
					t.Fatalf("call %d: got %v, want ErrNotReady", i, err)
				}
			}
			if got := runs.Load(); got != tc.want {
				t.Errorf("runs: got %d, want %d", got, tc.want)
			}
		})
	}
}

// TestCachedDoesNotQueueCallers: while a refresh is running, other
// callers get the previous result at once; before any result exists they
// wait for the first one.
func TestCachedDoesNotQueueCallers(t *testing.T) {
	started := make(chan struct{}, 1)
	release := make(chan struct{})
	var block atomic.Bool
	var result atomic.Value
	result.Store(errors.New("first"))
	check := app.Cached(0, func(context.Context) error {
		if block.Load() {
			started <- struct{}{}
			<-release
		}
		return result.Load().(error)
	})

	// The first result: concurrent callers all wait for it.
	block.Store(true)
	var wg sync.WaitGroup
	firsts := make([]error, 3)
	for i := range firsts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			firsts[i] = check(context.Background())
		}()
	}
	<-started
	block.Store(false) // callers arriving late run the check at once
	close(release)
	wg.Wait()
	for i, err := range firsts {
		if err == nil || err.Error() != "first" {
			t.Errorf("first-round caller %d: got %v, want the first result", i, err)
		}
	}

	// A refresh in progress: another caller gets the previous result.
	release = make(chan struct{})
	result.Store(errors.New("second"))
	block.Store(true)
	refreshed := make(chan error, 1)
	go func() { refreshed <- check(context.Background()) }()
	<-started
	if err := check(context.Background()); err == nil || err.Error() != "first" {
		t.Errorf("during a refresh: got %v, want the previous result", err)
	}
	close(release)
	if err := <-refreshed; err == nil || err.Error() != "second" {
		t.Errorf("refreshing caller: got %v, want the new result", err)
	}
}

var _ logrus.FieldLogger = (*logrus.Logger)(nil)
