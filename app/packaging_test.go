package app_test

import (
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/duo-kazoo/duo-kazoo/app"
)

var (
	helpVar    = regexp.MustCompile(`(?m)^  ([A-Z][A-Z0-9_]+)\s`)
	exampleVar = regexp.MustCompile(`(?m)^#?([A-Z][A-Z0-9_]+)=`)
)

func varSet(re *regexp.Regexp, text string) map[string]bool {
	out := map[string]bool{}
	for _, m := range re.FindAllStringSubmatch(text, -1) {
		out[m[1]] = true
	}
	return out
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestEnvExampleCoversEnvHelp keeps packaging/duo-kazoo.env.example in
// step with the variables the service reads.
func TestEnvExampleCoversEnvHelp(t *testing.T) {
	help := varSet(helpVar, app.EnvHelp)
	example := varSet(exampleVar, readFile(t, "../packaging/duo-kazoo.env.example"))
	if len(help) < 10 {
		t.Fatalf("found %d variables in EnvHelp, want them all", len(help))
	}
	var missing, unknown []string
	for v := range help {
		if !example[v] {
			missing = append(missing, v)
		}
	}
	for v := range example {
		if !help[v] {
			unknown = append(unknown, v)
		}
	}
	sort.Strings(missing)
	sort.Strings(unknown)
	if len(missing) > 0 {
		t.Errorf("env example lacks %v", missing)
	}
	if len(unknown) > 0 {
		t.Errorf("env example sets variables EnvHelp does not document: %v", unknown)
	}
}

// TestPackagingStampsTheBuild checks that the Dockerfile stamps the same
// build variables as make build, and that the unit runs the service as
// its own user from the environment file.
func TestPackagingStampsTheBuild(t *testing.T) {
	docker := readFile(t, "../packaging/Dockerfile")
	makefile := readFile(t, "../Makefile")
	stamp := regexp.MustCompile(`-X (github\.com/duo-kazoo/duo-kazoo/app\.[A-Za-z]+)=`)
	want := varSet(stamp, makefile)
	if len(want) == 0 {
		t.Fatal("no -X stamp found in the Makefile")
	}
	for v := range want {
		if !strings.Contains(docker, "-X "+v+"=") {
			t.Errorf("Dockerfile does not stamp %s", v)
		}
	}
	unit := readFile(t, "../packaging/duo-kazoo.service")
	for _, line := range []string{"User=duo-kazoo", "EnvironmentFile=/etc/duo-kazoo/duo-kazoo.env",
		"ExecStart=/usr/local/bin/duo-kazoo serve", "NoNewPrivileges=yes"} {
		if !strings.Contains(unit, "\n"+line+"\n") {
			t.Errorf("unit lacks %q", line)
		}
	}
}
