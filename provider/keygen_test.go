package provider

import (
	"strings"
	"testing"
)

func TestGenerateApplicationSecretKey(t *testing.T) {
	const n = 2000
	seen := make(map[string]bool, n)
	counts := make(map[rune]int)
	for range n {
		k, err := GenerateApplicationSecretKey()
		if err != nil {
			t.Fatal(err)
		}
		if len(k) != GeneratedKeyLength {
			t.Fatalf("got length %d, want %d", len(k), GeneratedKeyLength)
		}
		if seen[k] {
			t.Fatalf("duplicate key")
		}
		seen[k] = true
		for _, r := range k {
			if !strings.ContainsRune(keyAlphabet, r) {
				t.Fatalf("character %q outside the alphabet", r)
			}
			counts[r]++
		}
		d := validDuo(t)
		d.Settings()[ApplicationSecretKey] = k
		if p := Validate(d, nil); p.Len() != 0 {
			t.Fatalf("generated key invalid: %v", join(flat(p)))
		}
	}
	// 96000 draws over 62 symbols: about 1548 each (sd about 39); a fair
	// generator leaves these bounds (8 sd) with negligible probability.
	// Plain modulo reduction of bytes would draw the first 8 symbols about
	// 1875 times each, so at least one of them lands above the bound
	// almost always.
	if len(counts) != len(keyAlphabet) {
		t.Fatalf("got %d distinct characters, want %d", len(counts), len(keyAlphabet))
	}
	for r, c := range counts {
		if c < 1230 || c > 1870 {
			t.Errorf("character %q drawn %d times, want about 1548", r, c)
		}
	}
}
