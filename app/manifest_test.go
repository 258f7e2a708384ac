package app_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/gorilla/mux"

	"github.com/duo-kazoo/duo-kazoo/amqp"
	"github.com/duo-kazoo/duo-kazoo/app"
	"github.com/duo-kazoo/duo-kazoo/app/apptest"
)

// manifest is the part of the top-level app.json that tests keep in step.
type manifest struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	HTTP    struct {
		Routes []string `json:"routes"`
	} `json:"http"`
	AMQP struct {
		Exchange           string   `json:"exchange"`
		Queue              string   `json:"queue"`
		Bindings           []string `json:"bindings"`
		DeadLetterExchange string   `json:"dead_letter_exchange"`
		DeadLetterQueue    string   `json:"dead_letter_queue"`
	} `json:"amqp"`
	Configuration []string `json:"configuration"`
}

// TestManifestMatchesTheModule keeps the operator's manifest (app.json)
// in step with the real router, the AMQP topology, the environment the
// service reads and the app store manifest's version.
func TestManifestMatchesTheModule(t *testing.T) {
	var m manifest
	if err := json.Unmarshal([]byte(readFile(t, "../app.json")), &m); err != nil {
		t.Fatalf("app.json: %v", err)
	}
	var store struct {
		Version string `json:"version"`
	}
	if err := json.Unmarshal([]byte(readFile(t, "../metadata/app.json")), &store); err != nil {
		t.Fatalf("metadata/app.json: %v", err)
	}
	if m.Name == "" || m.Version == "" || m.Version != store.Version {
		t.Errorf("name %q, version %q: want both set, the version as metadata/app.json's %q",
			m.Name, m.Version, store.Version)
	}

	sameSet(t, "http.routes", m.HTTP.Routes, routerOperations(t))
	sameSet(t, "amqp.bindings", m.AMQP.Bindings, amqp.BindingKeys())
	got := []string{m.AMQP.Exchange, m.AMQP.Queue, m.AMQP.DeadLetterExchange, m.AMQP.DeadLetterQueue}
	want := []string{amqp.DefaultKappsExchange, amqp.DefaultQueue,
		amqp.DefaultDeadLetterExchange, amqp.DefaultDeadLetterQueue}
	if !slices.Equal(got, want) {
		t.Errorf("amqp exchange, queue, dead-letter exchange and queue: got %v, want %v", got, want)
	}
	sameSet(t, "configuration", m.Configuration, keys(varSet(helpVar, app.EnvHelp)))
}

// routerOperations returns "METHOD /template" for every route of the
// service's router, built as `duo-kazoo serve` builds it, leaving out HEAD
// and OPTIONS.
func routerOperations(t *testing.T) []string {
	t.Helper()
	var ops []string
	err := apptest.Router(t).Walk(func(route *mux.Route, _ *mux.Router, _ []*mux.Route) error {
		tpl, tplErr := route.GetPathTemplate()
		methods, methodsErr := route.GetMethods()
		if tplErr == nil && methodsErr == nil {
			for _, method := range methods {
				if method != "HEAD" && method != "OPTIONS" { // implied by GET; CORS
					ops = append(ops, method+" "+tpl)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ops
}

func sameSet(t *testing.T, what string, got, want []string) {
	t.Helper()
	got, want = slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want))
	if len(want) == 0 {
		t.Fatalf("%s: nothing to compare with", what)
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s in app.json:\n  %s\nwant:\n  %s", what,
			strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
