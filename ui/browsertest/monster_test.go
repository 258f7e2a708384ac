package browsertest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/duo-kazoo/duo-kazoo/app/apptest"
	"github.com/duo-kazoo/duo-kazoo/i18n"
	"github.com/duo-kazoo/duo-kazoo/ui"
)

// buildDist runs ui/dist.sh into a temporary folder and returns the app
// folder it built.
func buildDist(t *testing.T) string {
	t.Helper()
	out := t.TempDir()
	cmd := exec.Command("sh", filepath.Join("..", "dist.sh"), out)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ui/dist.sh: %v\n%s", err, msg)
	}
	return filepath.Join(out, "duo_integration")
}

// TestDistFolderComplete checks that ui/dist.sh builds a folder
// Monster-UI and the app store can install: the adapter, every core
// module and view, the styles, every language, the manifest with its
// icon and every screenshot it names.
func TestDistFolderComplete(t *testing.T) {
	dir := buildDist(t)
	want := []string{"app.js", "style/app.css", "metadata/app.json",
		"metadata/icon/duo_integration.png"}
	for _, lang := range i18n.Default().Languages() {
		want = append(want, "i18n/"+lang+".json")
	}
	for _, pattern := range []string{"app/core/*.js", "app/views/*.html"} {
		sources, err := filepath.Glob(filepath.Join("..", pattern))
		if err != nil || len(sources) == 0 {
			t.Fatalf("no sources match ui/%s", pattern)
		}
		for _, src := range sources {
			want = append(want, filepath.Base(filepath.Dir(src))+"/"+filepath.Base(src))
		}
	}

	raw, err := os.ReadFile(filepath.Join(dir, "metadata", "app.json"))
	if err != nil {
		t.Fatal(err)
	}
	var manifest struct {
		Screenshots []string `json:"screenshots"`
	}
	if err := json.Unmarshal(raw, &manifest); err != nil {
		t.Fatalf("metadata/app.json: %v", err)
	}
	for _, name := range manifest.Screenshots {
		want = append(want, "metadata/screenshots/"+name)
	}
	for _, rel := range want {
		if fi, err := os.Stat(filepath.Join(dir, rel)); err != nil || fi.Size() == 0 {
			t.Errorf("dist folder lacks %s (%v)", rel, err)
		}
	}
}

// fakeMonster serves the fake Monster-UI shell with appDir as
// apps/duo_integration; the precompiled views and Handlebars runtime
// come from the standalone page's handler.
func fakeMonster(t *testing.T, appDir string) *httptest.Server {
	t.Helper()
	static := ui.Handler()
	mux := http.NewServeMux()
	mux.Handle("/apps/duo_integration/", http.StripPrefix("/apps/duo_integration/",
		http.FileServer(http.Dir(appDir))))
	mux.Handle("/shell/", http.StripPrefix("/shell/",
		http.FileServer(http.Dir(filepath.Join("testdata", "monster")))))
	mux.Handle("/vendor/", static)
	mux.Handle("/gen/", static)
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		http.ServeFile(w, r, filepath.Join("testdata", "monster", "index.html"))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// TestMonsterHost loads app.js from the dist folder in a fake Monster-UI
// shell on another origin than the API, and works both tabs through it.
func TestMonsterHost(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	s := &session{tab: newTab(t), env: env}
	s.createConfig(duoConfig("From Monster", testIKey, testSKey, testHost))
	shell := fakeMonster(t, buildDist(t))

	q := url.Values{"api": {env.URL + "/v2/"}, "account": {env.KAZOO.Sub.ID},
		"token": {env.KAZOO.Sub.Admin.Token}, "lang": {"fr-FR"}}
	s.do("opening the shell", chromedp.Navigate(shell.URL+"/?"+q.Encode()))
	s.waitFor("the app to render", `document.body.getAttribute('data-shell') !== 'loading'`, "")
	if state := eval[string](s.tab, `document.body.getAttribute('data-shell')`); state != "rendered" {
		t.Fatalf("the shell says %s: %s", state, s.text("#monster-content"))
	}
	s.waitVisible(selName)
	s.settled()

	if got := s.text("#monster-content .duo-app__title"); got != "Intégration Duo" {
		t.Errorf("title: got %q, want Intégration Duo", got)
	}
	if got := s.text(selTabSet); got != "Paramètres" {
		t.Errorf("tab: got %q, want Paramètres", got)
	}
	if got := s.text(selFormTitle); got != "Configuration « From Monster »" &&
		got != "Configuration “From Monster”" {
		t.Errorf("heading: got %q, want the stored configuration", got)
	}
	if !eval[bool](s.tab, `Array.prototype.some.call(document.styleSheets, function(sheet) { `+
		`return /\/apps\/duo_integration\/style\/app\.css$/.test(sheet.href || '') && `+
		`sheet.cssRules.length > 0; })`) {
		t.Error("the app's stylesheet is not loaded")
	}

	s.fill(selIKey, "too short")
	s.click(selSave)
	s.waitText(errorFor("settings.integration_key"), "Doit compter exactement 20 caractères.")

	s.click(selTabLogs)
	s.logsSettled()
	s.wantRows(1, "Aucun résultat.")
	if !eval[bool](s.tab, `document.querySelector('#duo-panel-settings').hidden`) {
		t.Error("the Settings panel is still shown on the Failure Logs tab")
	}
}
