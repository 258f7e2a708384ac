package metadata

import (
	"bytes"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/duo-kazoo/duo-kazoo/i18n"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// appSchema compiles app.schema.json, with format assertions on.
func appSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open("app.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatalf("parsing schema: %v", err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("app.schema.json", doc); err != nil {
		t.Fatalf("adding schema: %v", err)
	}
	s, err := c.Compile("app.schema.json")
	if err != nil {
		t.Fatalf("compiling schema: %v", err)
	}
	return s
}

// manifest reads app.json both as a generic document (for the validator)
// and as a map (for the other checks).
func manifest(t *testing.T) (any, map[string]any) {
	t.Helper()
	raw, err := os.ReadFile("app.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("parsing app.json: %v", err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("parsing app.json: %v", err)
	}
	return doc, m
}

func TestManifestValidAgainstAppSchema(t *testing.T) {
	doc, _ := manifest(t)
	if err := appSchema(t).Validate(doc); err != nil {
		t.Errorf("app.json: %v", err)
	}
}

// TestSchemaRejects makes sure the schema copy is not vacuous: each rule
// the manifest relies on rejects a broken manifest.
func TestSchemaRejects(t *testing.T) {
	s := appSchema(t)
	tests := []struct {
		name   string
		mutate func(m map[string]any)
	}{
		{"missing name", func(m map[string]any) { delete(m, "name") }},
		{"short name", func(m map[string]any) { m["name"] = "du" }},
		{"api_url not a URI", func(m map[string]any) { m["api_url"] = "not a uri" }},
		{"negative price", func(m map[string]any) { m["price"] = -1 }},
		{"unknown phase", func(m map[string]any) { m["phase"] = "stable" }},
		{"unknown allowed_users", func(m map[string]any) { m["allowed_users"] = "everyone" }},
		{"unknown property", func(m map[string]any) { m["color"] = "green" }},
		{"label too short", func(m map[string]any) {
			m["i18n"].(map[string]any)["en-US"].(map[string]any)["label"] = "Du"
		}},
		{"missing description", func(m map[string]any) {
			delete(m["i18n"].(map[string]any)["fr-FR"].(map[string]any), "description")
		}},
		{"bad language tag", func(m map[string]any) {
			m["i18n"].(map[string]any)["english"] = map[string]any{"label": "Duo", "description": "x"}
		}},
		{"masqueradable not boolean", func(m map[string]any) { m["masqueradable"] = "yes" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, m := manifest(t)
			tt.mutate(m)
			raw, err := json.Marshal(m)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Validate(doc); err == nil {
				t.Errorf("got valid, want a validation error")
			}
		})
	}
}

// TestManifestMatchesApp checks what the schema cannot: the manifest
// names the Monster-UI app, has store texts for exactly the languages of
// the translations, and its icon exists and is a PNG.
func TestManifestMatchesApp(t *testing.T) {
	_, m := manifest(t)
	if got, want := m["name"], "duo_integration"; got != want {
		t.Errorf("name: got %v, want %v (app.js's name)", got, want)
	}
	if got, want := m["allowed_users"], "admins"; got != want {
		t.Errorf("allowed_users: got %v, want %v", got, want)
	}

	var langs []string
	for lang := range m["i18n"].(map[string]any) {
		langs = append(langs, lang)
	}
	slices.Sort(langs)
	want := i18n.Default().Languages()
	slices.Sort(want)
	if !slices.Equal(langs, want) {
		t.Errorf("i18n languages: got %v, want %v", langs, want)
	}

	iconPath := filepath.Join("icon", m["icon"].(string))
	raw, err := os.ReadFile(iconPath)
	if err != nil {
		t.Fatalf("icon: %v", err)
	}
	if _, err := png.Decode(bytes.NewReader(raw)); err != nil {
		t.Errorf("icon %s: %v", iconPath, err)
	}
	if !bytes.Equal(raw, Icon()) {
		t.Errorf("Icon() is not %s", iconPath)
	}
}

// TestScreenshots checks every screenshot the manifest names: a bare
// .png name, and a 1280x800 PNG in screenshots/ (written from the real UI
// by `make screenshots`, ui/browsertest's TestScreenshots). No file there
// goes unlisted.
func TestScreenshots(t *testing.T) {
	_, m := manifest(t)
	listed := map[string]bool{}
	for _, s := range m["screenshots"].([]any) {
		name := s.(string)
		listed[name] = true
		if filepath.Base(name) != name || !strings.HasSuffix(name, ".png") {
			t.Errorf("screenshot %q: want a bare .png file name", name)
			continue
		}
		raw, err := os.ReadFile(filepath.Join("screenshots", name))
		if err != nil {
			t.Errorf("screenshot %s: %v (run make screenshots)", name, err)
			continue
		}
		cfg, err := png.DecodeConfig(bytes.NewReader(raw))
		if err != nil || cfg.Width != 1280 || cfg.Height != 800 {
			t.Errorf("screenshot %s: got %dx%d (%v), want a 1280x800 PNG",
				name, cfg.Width, cfg.Height, err)
		}
	}
	files, err := filepath.Glob(filepath.Join("screenshots", "*"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if !listed[filepath.Base(f)] {
			t.Errorf("%s is not listed in app.json", f)
		}
	}
}
