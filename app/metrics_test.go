package app_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/duo-kazoo/duo-kazoo/couch"
	"github.com/duo-kazoo/duo-kazoo/internal/testenv"
	"github.com/duo-kazoo/duo-kazoo/seed"
)

// TestMetricsEndpoint serves API requests, then reads /metrics: requests
// are counted by route template and CouchDB calls by method and status
// class, and no account id appears anywhere in the exposition.
func TestMetricsEndpoint(t *testing.T) {
	couchURL := testenv.CouchURL(t)
	direct, err := couch.Open(couchURL, couch.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer direct.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	k, err := seed.Seed(ctx, direct, seed.Options{TokenLifetime: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	api := httptest.NewServer(newReplica(t, couchURL).Handler())
	defer api.Close()

	do := func(method, path, token string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, api.URL+path, nil)
		if token != "" {
			req.Header.Set("X-Auth-Token", token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	get := func(path, token string) (int, string) {
		t.Helper()
		return do(http.MethodGet, path, token)
	}
	acct := "/v2/accounts/" + k.Sub.ID
	if status, body := get(acct+"/duo", k.Sub.Admin.Token); status != http.StatusOK {
		t.Fatalf("listing: %d %s", status, body)
	}
	get(acct+"/duo", "")
	do(http.MethodDelete, "/nothing/"+k.Sub.ID, "") // matches no route

	status, body := get("/metrics", "")
	if status != http.StatusOK {
		t.Fatalf("/metrics: got %d", status)
	}
	for _, want := range []string{
		`duo_kazoo_http_requests_total{code="200",method="GET",route="/v2/accounts/{account_id}/duo"} 1`,
		`duo_kazoo_http_requests_total{code="401",method="GET",route="/v2/accounts/{account_id}/duo"} 1`,
		`method="DELETE",route="unmatched"} 1`,
		`duo_kazoo_couch_requests_total{code_class="2xx",method="GET"}`,
		`duo_kazoo_couch_request_duration_seconds_bucket{method="GET",le=`,
		`duo_kazoo_build_info{`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	for _, id := range []string{k.Sub.ID, k.Sub.Admin.ID, k.Master.ID} {
		if strings.Contains(body, id) {
			t.Errorf("/metrics contains an id: %s", id)
		}
	}
}
