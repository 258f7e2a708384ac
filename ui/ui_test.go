package ui

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func get(t *testing.T, h http.Handler, method, path string,
	header http.Header) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestHandlerServesAssets(t *testing.T) {
	h := Handler()
	tests := []struct {
		path, contentType, contains string
	}{
		{"/", "text/html; charset=utf-8", `data-main="js/main"`},
		{"/index.html", "text/html; charset=utf-8", "<main"},
		{"/core/api.js", "text/javascript; charset=utf-8", "define("},
		{"/core/shell.js", "text/javascript; charset=utf-8", "mount"},
		{"/js/loader.js", "text/javascript; charset=utf-8", "data-main"},
		{"/js/main.js", "text/javascript; charset=utf-8", "define("},
		{"/style/app.css", "text/css; charset=utf-8", ".duo-app"},
		{"/css/standalone.css", "text/css; charset=utf-8", ".duo-signin"},
		{"/vendor/handlebars.runtime.min.js", "text/javascript; charset=utf-8", "Handlebars"},
		{"/vendor/LICENSE-handlebars.txt", "text/plain; charset=utf-8", "Copyright"},
		{"/gen/templates.js", "text/javascript; charset=utf-8", "templates[\"layout\"]"},
		{"/i18n/en-US.json", "application/json; charset=utf-8", `"failureLogs"`},
		{"/i18n/fr-FR.json", "application/json; charset=utf-8", "Journal des échecs"},
		{"/i18n/es-ES.json", "application/json; charset=utf-8", "Registro de fallos"},
		{"/icon.png", "image/png", "PNG"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			rec := get(t, h, http.MethodGet, tt.path, nil)
			if rec.Code != http.StatusOK {
				t.Fatalf("got status %d, want 200", rec.Code)
			}
			if got := rec.Header().Get("Content-Type"); got != tt.contentType {
				t.Errorf("got Content-Type %q, want %q", got, tt.contentType)
			}
			if got := rec.Header().Get("Cache-Control"); got != "no-cache" {
				t.Errorf("got Cache-Control %q, want no-cache", got)
			}
			if !strings.Contains(rec.Body.String(), tt.contains) {
				t.Errorf("body lacks %q", tt.contains)
			}
		})
	}
}

func TestHandlerSecurityHeaders(t *testing.T) {
	h := Handler()
	for _, path := range []string{"/", "/core/api.js", "/nope"} {
		rec := get(t, h, http.MethodGet, path, nil)
		csp := rec.Header().Get("Content-Security-Policy")
		wants := []string{"default-src 'none'", "script-src 'self'", "frame-ancestors 'none'"}
		for _, want := range wants {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", path, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe") {
			t.Errorf("%s: CSP %q allows unsafe sources", path, csp)
		}
		if got := rec.Header().Get("X-Frame-Options"); got != "DENY" {
			t.Errorf("%s: got X-Frame-Options %q, want DENY", path, got)
		}
		if got := rec.Header().Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s: got X-Content-Type-Options %q, want nosniff", path, got)
		}
	}
}

func TestHandlerRevalidation(t *testing.T) {
	h := Handler()
	first := get(t, h, http.MethodGet, "/core/api.js", nil)
	etag := first.Header().Get("ETag")
	if !strings.HasPrefix(etag, `"`) || len(etag) < 10 {
		t.Fatalf("got ETag %q, want a strong quoted tag", etag)
	}
	again := get(t, h, http.MethodGet, "/core/api.js", http.Header{"If-None-Match": {etag}})
	if again.Code != http.StatusNotModified {
		t.Errorf("got status %d, want 304", again.Code)
	}
	other := get(t, h, http.MethodGet, "/core/dom.js", nil).Header().Get("ETag")
	if other == etag {
		t.Errorf("two files share ETag %s", etag)
	}
}

func TestHandlerRejects(t *testing.T) {
	h := Handler()
	tests := []struct {
		name, method, path string
		want               int
	}{
		{"unknown path", http.MethodGet, "/nope.js", http.StatusNotFound},
		{"view sources are not served", http.MethodGet, "/views/signin.html", http.StatusNotFound},
		{"Go sources are not served", http.MethodGet, "/ui.go", http.StatusNotFound},
		{"dot segments", http.MethodGet, "/core/../ui.go", http.StatusNotFound},
		{"POST", http.MethodPost, "/", http.StatusMethodNotAllowed},
		{"DELETE", http.MethodDelete, "/core/api.js", http.StatusMethodNotAllowed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := get(t, h, tt.method, tt.path, nil)
			if rec.Code != tt.want {
				t.Errorf("got status %d, want %d", rec.Code, tt.want)
			}
			if tt.want == http.StatusMethodNotAllowed && rec.Header().Get("Allow") != "GET, HEAD" {
				t.Errorf("got Allow %q, want GET, HEAD", rec.Header().Get("Allow"))
			}
		})
	}
}

func TestHandlerHead(t *testing.T) {
	rec := get(t, Handler(), http.MethodHead, "/", nil)
	if rec.Code != http.StatusOK || rec.Body.Len() != 0 {
		t.Errorf("got status %d with %d body bytes, want 200 and none", rec.Code, rec.Body.Len())
	}
	if rec.Header().Get("Content-Length") == "" {
		t.Error("HEAD lacks Content-Length")
	}
}

func TestHandlerLanguageIndex(t *testing.T) {
	rec := get(t, Handler(), http.MethodGet, "/i18n/index.json", nil)
	var index struct {
		Languages []string `json:"languages"`
		Default   string   `json:"default"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &index); err != nil {
		t.Fatalf("decoding: %v", err)
	}
	if index.Default != "en-US" || len(index.Languages) != 3 || index.Languages[0] != "en-US" {
		t.Errorf("got %+v, want en-US default first of three", index)
	}
}
