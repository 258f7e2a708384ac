package openapi_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/gorilla/mux"

	"github.com/duo-kazoo/duo-kazoo/app/apptest"
	"github.com/duo-kazoo/duo-kazoo/openapi"
)

// operationKeys are the OpenAPI path item fields that are operations.
var operationKeys = []string{"get", "put", "post", "patch", "delete", "head", "options", "trace"}

type document struct {
	OpenAPI    string                                `json:"openapi"`
	Paths      map[string]map[string]json.RawMessage `json:"paths"`
	Components map[string]map[string]json.RawMessage `json:"components"`
}

type operation struct {
	OperationID string            `json:"operationId"`
	Parameters  []json.RawMessage `json:"parameters"`
	Responses   map[string]any    `json:"responses"`
	Security    *[]any            `json:"security"`
}

func load(t *testing.T) document {
	t.Helper()
	var d document
	if err := json.Unmarshal(openapi.Document(), &d); err != nil {
		t.Fatalf("decoding openapi.json: %v", err)
	}
	if !strings.HasPrefix(d.OpenAPI, "3.") {
		t.Fatalf("openapi: got %q, want 3.x", d.OpenAPI)
	}
	return d
}

// TestDocumentMatchesRouter fails when a route and method of the real
// router is not in the document, or the document lists one the router
// lacks.
func TestDocumentMatchesRouter(t *testing.T) {
	doc := load(t)
	inRouter := map[string]bool{}
	err := apptest.Router(t).Walk(func(route *mux.Route, _ *mux.Router, _ []*mux.Route) error {
		for _, op := range operations(route) {
			inRouter[op] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	inDoc := map[string]bool{}
	for path, item := range doc.Paths {
		for _, m := range operationKeys {
			if _, ok := item[m]; ok {
				inDoc[m+" "+path] = true
			}
		}
	}
	if missing := minus(inRouter, inDoc); len(missing) > 0 {
		t.Errorf("routes missing from openapi.json:\n  %s", strings.Join(missing, "\n  "))
	}
	if extra := minus(inDoc, inRouter); len(extra) > 0 {
		t.Errorf("openapi.json lists operations the router lacks:\n  %s",
			strings.Join(extra, "\n  "))
	}
	if len(inRouter) < 20 {
		t.Errorf("walked %d operations, want the whole API (20 or more)", len(inRouter))
	}
}

// operations returns a route's "method template" pairs; none for a
// subrouter's prefix (its routes are walked too) or a route without a
// path.
func operations(route *mux.Route) []string {
	tpl, tplErr := route.GetPathTemplate()
	methods, methodsErr := route.GetMethods()
	if tplErr != nil || methodsErr != nil {
		return nil
	}
	out := make([]string, len(methods))
	for i, m := range methods {
		out[i] = strings.ToLower(m) + " " + tpl
	}
	return out
}

func minus(a, b map[string]bool) []string {
	var out []string
	for k := range a {
		if !b[k] {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

var pathParam = regexp.MustCompile(`\{([^}]+)\}`)

// TestDocumentIsConsistent checks what a generator or a reader relies on:
// every $ref resolves, operation ids are unique, every operation has
// responses, every path parameter is declared, and the account API needs
// a token while the operational endpoints do not.
func TestDocumentIsConsistent(t *testing.T) {
	doc := load(t)
	raw := string(openapi.Document())
	for _, m := range regexp.MustCompile(`"\$ref": "#/components/([^/]+)/([^"]+)"`).
		FindAllStringSubmatch(raw, -1) {
		if _, ok := doc.Components[m[1]][m[2]]; !ok {
			t.Errorf("unresolved $ref #/components/%s/%s", m[1], m[2])
		}
	}
	ids := map[string]string{}
	for path, item := range doc.Paths {
		declared := declaredPathParams(t, doc, item["parameters"])
		for _, m := range operationKeys {
			body, ok := item[m]
			if !ok {
				continue
			}
			where := m + " " + path
			var op operation
			if err := json.Unmarshal(body, &op); err != nil {
				t.Fatalf("%s: %v", where, err)
			}
			if op.OperationID == "" || ids[op.OperationID] != "" {
				t.Errorf("%s: operationId %q missing or already used by %s", where,
					op.OperationID, ids[op.OperationID])
			}
			ids[op.OperationID] = where
			if len(op.Responses) == 0 {
				t.Errorf("%s: no responses", where)
			}
			for _, p := range pathParam.FindAllStringSubmatch(path, -1) {
				if !declared[p[1]] {
					t.Errorf("%s: path parameter %s not declared", where, p[1])
				}
			}
			public := !strings.HasPrefix(path, "/v2/")
			if public && (op.Security == nil || len(*op.Security) != 0) {
				t.Errorf("%s: want security [] (no auth)", where)
			}
			if !public && op.Security != nil {
				t.Errorf("%s: want the document's token security", where)
			}
		}
	}
}

// declaredPathParams resolves a path item's parameters and returns the
// names of those in the path.
func declaredPathParams(t *testing.T, doc document, raw json.RawMessage) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	if raw == nil {
		return out
	}
	var params []map[string]any
	if err := json.Unmarshal(raw, &params); err != nil {
		t.Fatal(err)
	}
	for _, p := range params {
		if ref, ok := p["$ref"].(string); ok {
			name := strings.TrimPrefix(ref, "#/components/parameters/")
			var resolved map[string]any
			if err := json.Unmarshal(doc.Components["parameters"][name], &resolved); err != nil {
				t.Fatalf("parameter %s: %v", name, err)
			}
			p = resolved
		}
		if p["in"] == "path" && p["required"] == true {
			out[p["name"].(string)] = true
		}
	}
	return out
}

func TestServedByTheReplica(t *testing.T) {
	for _, method := range []string{http.MethodGet, http.MethodHead} {
		t.Run(method, func(t *testing.T) {
			rec := httptest.NewRecorder()
			apptest.Router(t).ServeHTTP(rec, httptest.NewRequest(method, "/openapi.json", nil))
			if rec.Code != http.StatusOK {
				t.Fatalf("status: got %d, want 200", rec.Code)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
				t.Errorf("content type: got %q, want application/json", ct)
			}
			want := openapi.Document()
			if method == http.MethodHead {
				want = nil
			}
			if !bytes.Equal(rec.Body.Bytes(), want) {
				t.Errorf("body: got %d bytes, want %d", rec.Body.Len(), len(want))
			}
		})
	}
}
