package i18n_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/duo-kazoo/duo-kazoo/i18n"
	"github.com/duo-kazoo/duo-kazoo/provider"
)

// goFiles parses the non-test Go files of dir, a package of this module
// given relative to this one.
func goFiles(t *testing.T, dir string) []*ast.File {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var files []*ast.File
	for _, p := range paths {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, p, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatalf("parsing %s: %v", p, err)
		}
		files = append(files, f)
	}
	if len(files) == 0 {
		t.Fatalf("no Go files in %s", dir)
	}
	return files
}

// stringLiterals returns the string literals of dir's code that match re.
func stringLiterals(t *testing.T, dir string, re *regexp.Regexp) []string {
	t.Helper()
	found := map[string]bool{}
	for _, f := range goFiles(t, dir) {
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			if s, err := strconv.Unquote(lit.Value); err == nil && re.MatchString(s) {
				found[s] = true
			}
			return true
		})
	}
	return slices.Sorted(maps.Keys(found))
}

// stringConsts returns the values of dir's string constants whose names
// start with prefix.
func stringConsts(t *testing.T, dir, prefix string) []string {
	t.Helper()
	var values []string
	for _, f := range goFiles(t, dir) {
		for _, decl := range f.Decls {
			gen, ok := decl.(*ast.GenDecl)
			if !ok || gen.Tok != token.CONST {
				continue
			}
			for _, spec := range gen.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, name := range vs.Names {
					if !strings.HasPrefix(name.Name, prefix) || i >= len(vs.Values) {
						continue
					}
					lit, ok := vs.Values[i].(*ast.BasicLit)
					if !ok || lit.Kind != token.STRING {
						continue
					}
					if s, err := strconv.Unquote(lit.Value); err == nil {
						values = append(values, s)
					}
				}
			}
		}
	}
	return values
}

// requireKeys fails for every key of keys that a language file lacks.
func requireKeys(t *testing.T, what string, keys []string) {
	t.Helper()
	b := i18n.Default()
	for _, lang := range b.Languages() {
		have := b.Keys(lang)
		for _, k := range keys {
			if !slices.Contains(have, k) {
				t.Errorf("%s.json lacks %q (%s)", lang, k, what)
			}
		}
	}
}

// TestProviderMessagesTranslated keeps the translations in step with the
// API's validation messages: every key of provider.Messages is in every
// language file, and a translation uses no placeholder the English
// template lacks (the API fills only those).
func TestProviderMessagesTranslated(t *testing.T) {
	msgs := provider.Messages()
	if len(msgs) < 10 {
		t.Fatalf("provider.Messages has %d keys, want the whole catalogue", len(msgs))
	}
	keys := slices.Sorted(maps.Keys(msgs))
	requireKeys(t, "provider.Messages", keys)

	placeholder := regexp.MustCompile(`\{\{\s*([A-Za-z0-9_]+)\s*\}\}`)
	b := i18n.Default()
	for _, key := range keys {
		var allowed []string
		for _, m := range placeholder.FindAllStringSubmatch(msgs[key], -1) {
			allowed = append(allowed, m[1])
		}
		for _, lang := range b.Languages() {
			text := b.Lookup(lang, key, nil)
			for _, m := range placeholder.FindAllStringSubmatch(text, -1) {
				if !slices.Contains(allowed, m[1]) {
					t.Errorf("%s %q uses {{%s}}, which the API never fills (it has %v)",
						lang, key, m[1], allowed)
				}
			}
		}
	}
}

// TestHandlerErrorKeysTranslated reads the handlers' sources for the
// "errors.*" keys their answers carry and requires each in every
// language file.
func TestHandlerErrorKeysTranslated(t *testing.T) {
	keys := stringLiterals(t, "../handlers", regexp.MustCompile(`^errors\.[a-z0-9_]+$`))
	if len(keys) < 5 {
		t.Fatalf("found only %d error keys in handlers: the pattern no longer matches", len(keys))
	}
	requireKeys(t, "sent by handlers", keys)
}

// TestReasonCodesTranslated requires a label for every reason code the
// attempts package defines (the Failure Logs show and filter by them).
func TestReasonCodesTranslated(t *testing.T) {
	codes := stringConsts(t, "../attempts", "Reason")
	if len(codes) < 10 {
		t.Fatalf("found only %d reason codes in attempts", len(codes))
	}
	var keys []string
	for _, c := range codes {
		keys = append(keys, "reasons."+c)
	}
	requireKeys(t, "a reason code of package attempts", keys)
}
