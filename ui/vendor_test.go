package ui

import (
	"encoding/json"
	"os"
	"os/exec"
	"regexp"
	"testing"
)

// TestVendoredHandlebarsPinned checks the lock file pins the version of
// package.json, records no download addresses, and that the vendored
// runtime and the precompiled views come from that same version (a
// runtime older or newer than the compiler refuses the templates).
func TestVendoredHandlebarsPinned(t *testing.T) {
	var pkg struct {
		Dependencies map[string]string `json:"dependencies"`
	}
	if err := json.Unmarshal([]byte(read(t, "package.json")), &pkg); err != nil {
		t.Fatalf("package.json: %v", err)
	}
	want := pkg.Dependencies["handlebars"]
	if !regexp.MustCompile(`^\d+\.\d+\.\d+$`).MatchString(want) {
		t.Fatalf("package.json pins handlebars %q, want an exact version", want)
	}

	var lock struct {
		Packages map[string]map[string]any `json:"packages"`
	}
	if err := json.Unmarshal([]byte(read(t, "package-lock.json")), &lock); err != nil {
		t.Fatalf("package-lock.json: %v", err)
	}
	if got := lock.Packages["node_modules/handlebars"]["version"]; got != want {
		t.Errorf("lock has handlebars %v, want %s", got, want)
	}
	for name, p := range lock.Packages {
		if _, ok := p["resolved"]; ok {
			t.Errorf("lock entry %q records a download address (resolved): strip it", name)
		}
	}

	runtime := read(t, "standalone/vendor/handlebars.runtime.min.js")
	if !regexp.MustCompile(`v` + regexp.QuoteMeta(want) + `\b`).MatchString(runtime) {
		t.Errorf("vendored runtime is not v%s: run ui/vendor.sh", want)
	}
	if !regexp.MustCompile(`(?m)^// Handlebars ` + regexp.QuoteMeta(want) + `$`).
		MatchString(read(t, "standalone/gen/templates.js")) {
		t.Errorf("templates.js was not precompiled with %s: run ui/precompile.sh", want)
	}
	if _, err := os.Stat("standalone/vendor/LICENSE-handlebars.txt"); err != nil {
		t.Errorf("Handlebars licence missing: %v", err)
	}
}

// TestJavaScriptUnits runs the shared core's Node unit tests (test/*.js).
// Node is part of the project's machines; without it this test fails
// rather than passing silently.
func TestJavaScriptUnits(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatalf("node not found: the core's unit tests need Node.js 20 or later: %v", err)
	}
	out, err := exec.Command(node, "--test", "test/").CombinedOutput()
	if err != nil {
		t.Fatalf("node --test: %v\n%s", err, out)
	}
	if !regexp.MustCompile(`(?m)^# fail 0$`).Match(out) {
		t.Fatalf("node --test did not report zero failures:\n%s", out)
	}
	passed := regexp.MustCompile(`(?m)^# pass (\d+)$`).FindSubmatch(out)
	if passed == nil || string(passed[1]) == "0" {
		t.Fatalf("node --test ran no test:\n%s", out)
	}
}
