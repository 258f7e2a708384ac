package ui

import (
	"embed"
	"net/http"
	"strings"
	"time"
)

// content holds the standalone page, the shared core and the app's styles.
//
//go:embed app/core app/style standalone/index.html standalone/js standalone/css
//go:embed standalone/vendor standalone/gen
var content embed.FS

// Security headers of every response. The page loads only its own
// scripts, styles, images and API (no inline code, no eval), cannot be
// framed, and sends no referrer.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; " +
	"img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; " +
	"frame-ancestors 'none'"

// Handler returns the handler of the standalone app, meant to be mounted
// at the server's root beside the API (which it does not serve: the page
// calls v2/... on the same origin). It answers GET and HEAD:
//
//	/                  the page (standalone/index.html)
//	/core/, /style/    the shared core and the app's stylesheet
//	/js/, /css/, /vendor/, /gen/   the standalone host's own assets
//	/i18n/<lang>.json  the translations, as the i18n package holds them
//	/i18n/index.json   {"languages": [...], "default": "en-US"}
//	/icon.png          the app store icon
//
// Every answer carries a strict Content-Security-Policy, X-Frame-Options
// DENY and X-Content-Type-Options nosniff. Assets are revalidated on each
// use (Cache-Control: no-cache) against a strong ETag, so a new binary is
// picked up at once while unchanged files cost a 304. Unknown paths get
// 404, other methods 405.
//
// Handler panics if the embedded assets are broken (an unknown file type,
// invalid translations), a build defect this package's tests rule out.
func Handler() http.Handler {
	s, err := newSite()
	if err != nil {
		panic("ui: " + err.Error())
	}
	return s
}

// ServeHTTP implements http.Handler.
func (s *site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")

	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	name := strings.TrimPrefix(r.URL.Path, "/")
	if name == "" {
		name = "index.html"
	}
	a, ok := s.assets[name]
	if !ok {
		http.NotFound(w, r)
		return
	}

	h.Set("Content-Type", a.contentType)
	h.Set("Cache-Control", "no-cache")
	h.Set("ETag", a.etag)
	http.ServeContent(w, r, "", time.Time{}, a.reader())
}
