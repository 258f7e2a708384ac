package i18n

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

// placeholderPattern finds the {{name}} placeholders of a message.
var placeholderPattern = regexp.MustCompile(`\{\{\s*([A-Za-z0-9_]+)\s*\}\}`)

func placeholders(msg string) []string {
	var names []string
	for _, m := range placeholderPattern.FindAllStringSubmatch(msg, -1) {
		names = append(names, m[1])
	}
	slices.Sort(names)
	return slices.Compact(names)
}

func TestEmbeddedLanguages(t *testing.T) {
	got := Default().Languages()
	want := []string{"en-US", "es-ES", "fr-FR"}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// TestEmbeddedKeySetsMatch keeps every language complete: a key missing
// from or added to one file only is a defect.
func TestEmbeddedKeySetsMatch(t *testing.T) {
	b := Default()
	want := b.Keys(DefaultLanguage)
	for _, lang := range b.Languages()[1:] {
		got := b.Keys(lang)
		for _, k := range want {
			if !slices.Contains(got, k) {
				t.Errorf("%s lacks %q", lang, k)
			}
		}
		for _, k := range got {
			if !slices.Contains(want, k) {
				t.Errorf("%s has %q, which %s lacks", lang, k, DefaultLanguage)
			}
		}
	}
}

// TestEmbeddedMessagesWellFormed checks each message is non-empty and uses
// the same placeholders as its en-US original.
func TestEmbeddedMessagesWellFormed(t *testing.T) {
	b := Default()
	for _, lang := range b.Languages() {
		for _, key := range b.Keys(lang) {
			msg := b.msgs[lang][key]
			if strings.TrimSpace(msg) == "" {
				t.Errorf("%s %q is empty", lang, key)
			}
			if strings.Count(msg, "{{") != strings.Count(msg, "}}") {
				t.Errorf("%s %q has unbalanced braces: %q", lang, key, msg)
			}
			got := placeholders(msg)
			want := placeholders(b.msgs[DefaultLanguage][key])
			if !slices.Equal(got, want) {
				t.Errorf("%s %q uses placeholders %v, want %v", lang, key, got, want)
			}
		}
	}
}

// TestEmbeddedAPIKeys checks the keys the HTTP API and the failure logs
// rely on: one label per failure reason code, one message per validation
// rule and per error name.
func TestEmbeddedAPIKeys(t *testing.T) {
	var keys []string
	for _, reason := range []string{
		"user_denied", "fraud", "timeout", "locked_out", "not_enrolled",
		"invalid_response", "expired_response", "replayed", "provider_disabled",
		"no_configuration", "invalid_configuration", "duo_unreachable",
		"failed_open", "rate_limited", "bad_credentials",
	} {
		keys = append(keys, "reasons."+reason)
	}
	for _, rule := range []string{
		"required", "minLength", "maxLength", "minimum", "maximum", "enum",
		"pattern", "type", "uri", "hostname", "minItems", "uniqueItems",
		"unique", "forbidden",
	} {
		keys = append(keys, "validation."+rule)
	}
	for _, name := range []string{
		"generic", "network", "unauthorized", "invalid_token", "token_expired",
		"forbidden", "not_found", "conflict", "invalid_request",
		"method_not_allowed", "unsupported_media_type", "rate_limited",
		"internal", "unavailable",
	} {
		keys = append(keys, "errors."+name)
	}

	b := Default()
	for _, lang := range b.Languages() {
		have := b.Keys(lang)
		for _, k := range keys {
			if !slices.Contains(have, k) {
				t.Errorf("%s lacks %q", lang, k)
			}
		}
	}
}

func TestEmbeddedLookupLocalises(t *testing.T) {
	b := Default()
	params := map[string]string{"target": "20"}
	tests := []struct {
		lang, want string
	}{
		{"en-US", "Must be at least 20 characters long."},
		{"fr-FR", "Doit compter au moins 20 caractères."},
		{"es-ES", "Debe tener al menos 20 caracteres."},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			if got := b.Lookup(tt.lang, "validation.minLength", params); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
