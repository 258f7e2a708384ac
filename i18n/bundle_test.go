package i18n

import (
	"errors"
	"slices"
	"testing"
	"testing/fstest"
)

// testBundle builds a Bundle from small in-memory files.
func testBundle(t *testing.T) *Bundle {
	t.Helper()
	b, err := New(fstest.MapFS{
		"en-US.json": {Data: []byte(`{"a":{"b":"Hello {{name}}","only":"en only",` +
			`"b.x":"Hello more"},"c":"C"}`)},
		"fr-FR.json": {Data: []byte(`{"a":{"b":"Bonjour {{name}}"},"c":"C fr"}`)},
		"es-ES.json": {Data: []byte(`{"a":{"b":"Hola {{ name }}"},"c":"C es"}`)},
	})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return b
}

func TestNewRejectsBadFiles(t *testing.T) {
	tests := []struct {
		name  string
		files fstest.MapFS
		want  error
	}{
		{"no default language", fstest.MapFS{
			"fr-FR.json": {Data: []byte(`{"a":"b"}`)},
		}, ErrNoDefault},
		{"file not named after a tag", fstest.MapFS{
			"en-US.json":   {Data: []byte(`{"a":"b"}`)},
			"english.json": {Data: []byte(`{"a":"b"}`)},
		}, ErrBadName},
		{"number leaf", fstest.MapFS{
			"en-US.json": {Data: []byte(`{"a":{"b":3}}`)},
		}, ErrBadFile},
		{"array leaf", fstest.MapFS{
			"en-US.json": {Data: []byte(`{"a":["b"]}`)},
		}, ErrBadFile},
		{"not JSON", fstest.MapFS{
			"en-US.json": {Data: []byte(`{"a":`)},
		}, ErrBadFile},
		{"top level array", fstest.MapFS{
			"en-US.json": {Data: []byte(`["a"]`)},
		}, ErrBadFile},
		{"key spelled twice", fstest.MapFS{
			"en-US.json": {Data: []byte(`{"a":{"b":{"c":"1"},"b.c":"2"}}`)},
		}, ErrBadFile},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.files)
			if !errors.Is(err, tt.want) {
				t.Errorf("got error %v, want %v", err, tt.want)
			}
		})
	}
}

func TestLanguagesDefaultFirst(t *testing.T) {
	got := testBundle(t).Languages()
	want := []string{"en-US", "es-ES", "fr-FR"}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestLookup(t *testing.T) {
	b := testBundle(t)
	name := map[string]string{"name": "Ada"}
	tests := []struct {
		name, lang, key string
		params          map[string]string
		want            string
	}{
		{"exact language", "fr-FR", "a.b", name, "Bonjour Ada"},
		{"language in other case", "FR-fr", "a.b", name, "Bonjour Ada"},
		{"primary subtag only", "es", "a.b", name, "Hola Ada"},
		{"other region", "fr-CA", "c", nil, "C fr"},
		{"unknown language falls back", "de-DE", "c", nil, "C"},
		{"empty language falls back", "", "c", nil, "C"},
		{"missing key falls back to en-US", "fr-FR", "a.only", nil, "en only"},
		{"unknown key returned as is", "fr-FR", "a.nope", nil, "a.nope"},
		{"object key is not a message", "en-US", "a", nil, "a"},
		{"placeholder without param kept", "en-US", "a.b", nil, "Hello {{name}}"},
		{"dotted member extends a message", "en-US", "a.b.x", nil, "Hello more"},
		{"dotted member falls back to en-US", "fr-FR", "a.b.x", nil, "Hello more"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := b.Lookup(tt.lang, tt.key, tt.params); got != tt.want {
				t.Errorf("Lookup(%q, %q) = %q, want %q", tt.lang, tt.key, got, tt.want)
			}
		})
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		name, msg string
		params    map[string]string
		want      string
	}{
		{"two placeholders", "{{a}} and {{b}}", map[string]string{"a": "1", "b": "2"}, "1 and 2"},
		{"spaces inside braces", "x {{ a }} y", map[string]string{"a": "1"}, "x 1 y"},
		{"unknown kept", "{{a}} {{z}}", map[string]string{"a": "1"}, "1 {{z}}"},
		{"replacement not rescanned", "{{a}}", map[string]string{"a": "{{b}}", "b": "no"}, "{{b}}"},
		{"unclosed braces", "{{a", map[string]string{"a": "1"}, "{{a"},
		{"no params", "{{a}}", nil, "{{a}}"},
		{"same placeholder twice", "{{a}}{{a}}", map[string]string{"a": "x"}, "xx"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Format(tt.msg, tt.params); got != tt.want {
				t.Errorf("Format(%q) = %q, want %q", tt.msg, got, tt.want)
			}
		})
	}
}

func TestKeys(t *testing.T) {
	b := testBundle(t)
	if got, want := b.Keys("fr-FR"), []string{"a.b", "c"}; !slices.Equal(got, want) {
		t.Errorf("Keys(fr-FR) = %v, want %v", got, want)
	}
	if got := b.Keys("fr"); got != nil {
		t.Errorf("Keys(fr) = %v, want nil (exact tags only)", got)
	}
}
