package ui

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/duo-kazoo/duo-kazoo/i18n"
)

// viewDirs hold the Handlebars views of the two hosts.
var viewDirs = []string{"app/views", "standalone/views"}

// scriptDirs hold the JavaScript that calls t('key').
var scriptDirs = []string{"app", "app/core", "standalone/js"}

// files lists dir's files with the given extension, as paths.
func files(t *testing.T, dir, ext string) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "*"+ext))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatalf("no %s files in %s", ext, dir)
	}
	return paths
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var generatedView = regexp.MustCompile(`(?m)^// view (\S+) sha256 ([0-9a-f]{64})$`)

// TestPrecompiledViewsCurrent fails when a view changed without
// ui/precompile.sh being run: the standalone page would show old markup.
func TestPrecompiledViewsCurrent(t *testing.T) {
	recorded := map[string]string{}
	for _, m := range generatedView.FindAllStringSubmatch(read(t, "standalone/gen/templates.js"), -1) {
		recorded[m[1]] = m[2]
	}
	var views []string
	for _, dir := range viewDirs {
		for _, path := range files(t, dir, ".html") {
			views = append(views, filepath.ToSlash(path))
			sum := sha256.Sum256([]byte(read(t, path)))
			if got := recorded[filepath.ToSlash(path)]; got != hex.EncodeToString(sum[:]) {
				t.Errorf("%s changed since precompiling: run ui/precompile.sh", path)
			}
		}
	}
	for path := range recorded {
		if !slices.Contains(views, path) {
			t.Errorf("templates.js holds %s, which no longer exists: run ui/precompile.sh", path)
		}
	}
}

var (
	viewKey   = regexp.MustCompile(`\{\{[#/^]?(?:if |unless )?(?:\.\./)*i18n\.([A-Za-z0-9_.-]+)`)
	scriptKey = regexp.MustCompile(`\bt\(\s*'([A-Za-z0-9_.-]+)'\s*[,)]`)
)

// TestTranslationKeysExist checks every {{i18n.x.y}} of the views and
// every t('x.y') of the scripts against every language file. Keys built
// at run time ('reasons.' + code) are checked by the i18n package's tests
// and fall back to readable text.
func TestTranslationKeysExist(t *testing.T) {
	used := map[string]string{}
	for _, dir := range viewDirs {
		for _, path := range files(t, dir, ".html") {
			for _, m := range viewKey.FindAllStringSubmatch(read(t, path), -1) {
				used[m[1]] = path
			}
		}
	}
	for _, dir := range scriptDirs {
		for _, path := range files(t, dir, ".js") {
			for _, m := range scriptKey.FindAllStringSubmatch(read(t, path), -1) {
				used[m[1]] = path
			}
		}
	}
	if len(used) < 100 {
		t.Fatalf("found only %d keys: the patterns no longer match the sources", len(used))
	}

	bundle := i18n.Default()
	for _, lang := range bundle.Languages() {
		have := bundle.Keys(lang)
		for key, path := range used {
			if !slices.Contains(have, key) {
				t.Errorf("%s uses %q, missing from %s.json", path, key, lang)
			}
		}
	}
}

var (
	handlebars = regexp.MustCompile(`\{\{[\s\S]*?\}\}`)
	markupTag  = regexp.MustCompile(`<[^>]*>`)
	wordy      = regexp.MustCompile(`\p{L}{2,}`)
	textAttr   = regexp.MustCompile(`\s(aria-label|title|placeholder|alt)="([^"]*)"`)
)

// TestViewsHaveNoLiteralText keeps every word a view shows in the i18n
// files: once the Handlebars expressions are taken out, no view has text
// of its own, between its tags or in an attribute people read.
func TestViewsHaveNoLiteralText(t *testing.T) {
	for _, dir := range viewDirs {
		for _, path := range files(t, dir, ".html") {
			src := read(t, path)
			for _, m := range textAttr.FindAllStringSubmatch(src, -1) {
				if w := wordy.FindString(handlebars.ReplaceAllString(m[2], "")); w != "" {
					t.Errorf("%s: %s holds literal text %q", path, m[1], w)
				}
			}
			text := markupTag.ReplaceAllString(handlebars.ReplaceAllString(src, " "), " ")
			for _, w := range wordy.FindAllString(text, -1) {
				t.Errorf("%s: literal text %q outside an i18n key", path, w)
			}
		}
	}
}

var (
	inlineScript  = regexp.MustCompile(`<script(?:\s[^>]*)?>`)
	styleAttr     = regexp.MustCompile(`\sstyle\s*=`)
	handlerAttr   = regexp.MustCompile(`\son[a-z]+\s*=`)
	scriptHasSrc  = regexp.MustCompile(`\ssrc="`)
	javascriptURL = regexp.MustCompile(`(?i)javascript:`)
)

// TestMarkupFitsPolicy keeps the page within its Content-Security-Policy:
// no inline scripts, event-handler attributes, style attributes or
// javascript: URLs in the page or any view.
func TestMarkupFitsPolicy(t *testing.T) {
	paths := []string{"standalone/index.html"}
	for _, dir := range viewDirs {
		paths = append(paths, files(t, dir, ".html")...)
	}
	for _, path := range paths {
		src := read(t, path)
		for _, tag := range inlineScript.FindAllString(src, -1) {
			if !scriptHasSrc.MatchString(tag) {
				t.Errorf("%s: inline script %s", path, tag)
			}
		}
		for name, re := range map[string]*regexp.Regexp{
			"style attribute": styleAttr, "event handler attribute": handlerAttr,
			"javascript: URL": javascriptURL,
		} {
			if re.MatchString(src) {
				t.Errorf("%s: has a %s", path, name)
			}
		}
	}
}

var (
	defineDeps = regexp.MustCompile(`define\(\[([^\]]*)\]`)
	requireDep = regexp.MustCompile(`require\('(\./[^']+)'\)`)
	quoted     = regexp.MustCompile(`'([^']+)'`)
)

// TestModuleDependenciesExist resolves every AMD dependency the way both
// loaders do (relative to the module, else from the app root) and checks
// the file is there, since a typo would only show in a browser.
func TestModuleDependenciesExist(t *testing.T) {
	type module struct{ path, root string }
	var modules []module
	for _, p := range files(t, "app/core", ".js") {
		modules = append(modules, module{p, "standalone"})
	}
	for _, p := range files(t, "standalone/js", ".js") {
		modules = append(modules, module{p, "standalone"})
	}
	modules = append(modules, module{"app/app.js", "app"})

	// roots maps the standalone URL layout onto source folders.
	roots := map[string]string{"core/": "app/core/", "js/": "standalone/js/"}
	for _, m := range modules {
		src := read(t, m.path)
		var deps []string
		for _, d := range defineDeps.FindAllStringSubmatch(src, -1) {
			for _, q := range quoted.FindAllStringSubmatch(d[1], -1) {
				deps = append(deps, q[1])
			}
		}
		for _, r := range requireDep.FindAllStringSubmatch(src, -1) {
			deps = append(deps, r[1])
		}
		for _, dep := range deps {
			var file string
			if strings.HasPrefix(dep, ".") {
				file = filepath.Join(filepath.Dir(m.path), dep) + ".js"
			} else {
				for prefix, dir := range roots {
					if strings.HasPrefix(dep, prefix) {
						file = dir + strings.TrimPrefix(dep, prefix) + ".js"
					}
				}
			}
			if _, err := os.Stat(file); file == "" || err != nil {
				t.Errorf("%s depends on %q: no such module", m.path, dep)
			}
		}
	}
}

var resultConst = regexp.MustCompile(`(?m)^\s*Result\w+\s*=\s*"([a-z_]+)"`)

// TestCheckResultsTranslated requires, for every result code of a
// credential test (package credcheck), the explanation the Settings tab
// shows in the user's language (settings.check.results.<code>).
func TestCheckResultsTranslated(t *testing.T) {
	var codes []string
	for _, path := range files(t, "../credcheck", ".go") {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		for _, m := range resultConst.FindAllStringSubmatch(read(t, path), -1) {
			if m[1] != "ok" {
				codes = append(codes, m[1])
			}
		}
	}
	if len(codes) < 4 {
		t.Fatalf("found %d result codes in credcheck: the pattern no longer matches", len(codes))
	}
	bundle := i18n.Default()
	for _, lang := range bundle.Languages() {
		have := bundle.Keys(lang)
		for _, code := range codes {
			if !slices.Contains(have, "settings.check.results."+code) {
				t.Errorf("%s.json lacks settings.check.results.%s", lang, code)
			}
		}
	}
}
