package i18n

import (
	"slices"
	"testing"
)

func TestNegotiate(t *testing.T) {
	b := testBundle(t)
	tests := []struct {
		name, header, want string
	}{
		{"empty header", "", "en-US"},
		{"exact tag", "fr-FR", "fr-FR"},
		{"case-insensitive", "es-es", "es-ES"},
		{"primary subtag", "fr", "fr-FR"},
		{"other region", "es-MX,en;q=0.5", "es-ES"},
		{"quality order", "de-DE,fr;q=0.4,es;q=0.8", "es-ES"},
		{"ties keep header order", "fr;q=0.5,es;q=0.5", "fr-FR"},
		{"q=0 excludes", "fr;q=0,es;q=0.1", "es-ES"},
		{"wildcard", "de,*;q=0.5,fr;q=0.1", "en-US"},
		{"no match", "de-DE,ja", "en-US"},
		{"spaces", " fr-FR ; q=0.9 , es ; q=1", "es-ES"},
		{"malformed q ignored", "fr;q=high,es;q=0.2", "es-ES"},
		{"NaN q ignored", "fr;q=NaN,es;q=0.2", "es-ES"},
		{"q above 1 ignored", "fr;q=2,es;q=0.2", "es-ES"},
		{"bad characters ignored", "f_r,es", "es-ES"},
		{"unknown parameter ignored", "fr;level=1,es", "es-ES"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := b.Negotiate(tt.header); got != tt.want {
				t.Errorf("Negotiate(%q) = %q, want %q", tt.header, got, tt.want)
			}
		})
	}
}

func TestNegotiateIgnoresRangesPastLimit(t *testing.T) {
	b := testBundle(t)
	header := ""
	for range maxRanges {
		header += "de,"
	}
	if got := b.Negotiate(header + "fr"); got != DefaultLanguage {
		t.Errorf("got %q, want %q: the range past the limit must be ignored", got, DefaultLanguage)
	}
}

func FuzzNegotiate(f *testing.F) {
	for _, seed := range []string{"", "fr-FR", "es;q=0.5,*;q=0.1", "fr;q=1e400", ",,;;==", "x;q="} {
		f.Add(seed)
	}
	b, err := New(files)
	if err != nil {
		f.Fatalf("New: %v", err)
	}
	langs := b.Languages()
	f.Fuzz(func(t *testing.T, header string) {
		if got := b.Negotiate(header); !slices.Contains(langs, got) {
			t.Errorf("Negotiate(%q) = %q, not one of %v", header, got, langs)
		}
	})
}
