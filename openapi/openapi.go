// Package openapi holds the OpenAPI 3 description of every HTTP endpoint
// of duo-kazoo (openapi.json: requests, responses, errors, auth) and
// serves it. A test walks the real router and fails when the document and
// the routes disagree, so the description cannot drift from the code.
package openapi

import (
	_ "embed"
	"net/http"
)

//go:embed openapi.json
var document []byte

// Document returns the OpenAPI document (JSON). The slice is a copy.
func Document() []byte { return append([]byte(nil), document...) }

// Handler serves the document as application/json (GET /openapi.json).
// It needs no auth: the document describes the API, it holds no data.
func Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "public, max-age=300")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		if r.Method == http.MethodHead {
			return
		}
		_, _ = w.Write(document)
	})
}
