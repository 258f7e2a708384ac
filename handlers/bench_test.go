package handlers_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"runtime"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/duo-kazoo/duo-kazoo/app"
	"github.com/duo-kazoo/duo-kazoo/app/apptest"
	"github.com/duo-kazoo/duo-kazoo/couch"
	"github.com/duo-kazoo/duo-kazoo/internal/testenv"
)

// BenchmarkGetConfig measures GET /duo/{id} through the service beside
// its floor, the same document fetched straight from CouchDB, in one run.
// Each reports the median latency (p50-µs); scripts/bench.sh prints their
// ratio. The concurrent case runs 100 clients and fails on any error.
func BenchmarkGetConfig(b *testing.B) {
	// The production default cache lifetime (tests run without a cache).
	e := apptest.Start(b, apptest.Options{Configure: func(c *app.Config) {
		c.CacheTTL = 5 * time.Second
	}})
	acct, admin := e.KAZOO.Sub.ID, e.KAZOO.Sub.Admin.Token
	status, out := e.Do(b, http.MethodPut, accountPath(acct)+"/duo", admin, duoConfig("BENCH"))
	if status != http.StatusCreated {
		b.Fatalf("create: %d %s", status, out)
	}
	id, _ := apptest.Decode(b, out).Object(b)["id"].(string)

	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 200}}
	serviceReq := func() (*http.Request, error) {
		req, err := http.NewRequest(http.MethodGet, e.URL+accountPath(acct)+"/duo/"+id, nil)
		if err == nil {
			req.Header.Set("X-Auth-Token", admin)
		}
		return req, err
	}
	db, _ := couch.AccountDB(acct)
	couchURL := testenv.CouchURL(b) + "/" + url.PathEscape(db) + "/" + id
	couchReq := func() (*http.Request, error) { return http.NewRequest(http.MethodGet, couchURL, nil) }

	b.Run("service", func(b *testing.B) { sequential(b, client, serviceReq) })
	b.Run("couch-floor", func(b *testing.B) { sequential(b, client, couchReq) })
	b.Run("service-100-clients", func(b *testing.B) { concurrent(b, client, serviceReq, 100) })
}

func do(client *http.Client, newReq func() (*http.Request, error)) error {
	req, err := newReq()
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return err
}

func sequential(b *testing.B, client *http.Client, newReq func() (*http.Request, error)) {
	lat := make([]time.Duration, 0, b.N)
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if err := do(client, newReq); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	report(b, lat)
}

func concurrent(b *testing.B, client *http.Client, newReq func() (*http.Request, error), n int) {
	var mu sync.Mutex
	lat := make([]time.Duration, 0, b.N)
	errs := 0
	b.SetParallelism((n + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0))
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			start := time.Now()
			err := do(client, newReq)
			d := time.Since(start)
			mu.Lock()
			lat = append(lat, d)
			if err != nil {
				errs++
			}
			mu.Unlock()
		}
	})
	if errs > 0 {
		b.Fatalf("%d of %d requests failed", errs, len(lat))
	}
	report(b, lat)
}

func report(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
}
