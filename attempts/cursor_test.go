package attempts

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

const someID = "202602-0123456789abcdef0123456789abcdef"

func TestCursorRoundTrip(t *testing.T) {
	c := cursor{TS: 63940000000, ID: someID}
	key := c.encode()
	if strings.ContainsAny(key, "+/=") {
		t.Errorf("start key %q is not unpadded base64url", key)
	}
	got, err := decodeCursor(key)
	if err != nil || got != c {
		t.Fatalf("decodeCursor(encode(%v)) = %v, %v", c, got, err)
	}
	if m := got.month(); m.Year() != 2026 || m.Month() != 2 {
		t.Errorf("month = %v, want 2026-02", m)
	}
}

func TestDecodeCursorRejects(t *testing.T) {
	b64 := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	tests := []struct {
		name, key string
	}{
		{"not base64", "!!!"},
		{"padded", base64.URLEncoding.EncodeToString([]byte(`{"t":1,"i":"` + someID + `"}`))},
		{"not json", b64("hello")},
		{"json array", b64(`[1,"x"]`)},
		{"unknown field", b64(`{"t":63940000000,"i":"` + someID + `","x":1}`)},
		{"trailing data", b64(`{"t":63940000000,"i":"` + someID + `"}{}`)},
		{"zero timestamp", b64(`{"t":0,"i":"` + someID + `"}`)},
		{"negative timestamp", b64(`{"t":-5,"i":"` + someID + `"}`)},
		{"fractional timestamp", b64(`{"t":1.5,"i":"` + someID + `"}`)},
		{"bad id", b64(`{"t":63940000000,"i":"../../_all_dbs"}`)},
		{"no id", b64(`{"t":63940000000}`)},
		{"too long", strings.Repeat("A", maxStartKey+4)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if c, err := decodeCursor(tc.key); !errors.Is(err, ErrBadStartKey) {
				t.Errorf("decodeCursor(%q) = %v, %v; want ErrBadStartKey", tc.key, c, err)
			}
		})
	}
}

func TestRowCursor(t *testing.T) {
	tests := []struct {
		name, key string
		want      cursor
		ok        bool
	}{
		{"by time", `[63940000000,"` + someID + `"]`, cursor{63940000000, someID}, true},
		{"by field", `["username","bob",63940000000,"` + someID + `"]`,
			cursor{63940000000, someID}, true},
		{"too short", `[63940000000]`, cursor{}, false},
		{"not an array", `"x"`, cursor{}, false},
		{"string timestamp", `["x","y"]`, cursor{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := rowCursor(json.RawMessage(tc.key))
			if (err == nil) != tc.ok || got != tc.want {
				t.Errorf("rowCursor(%s) = %v, %v; want %v (ok %v)", tc.key, got, err, tc.want, tc.ok)
			}
		})
	}
}

// FuzzDecodeStartKey: any input is either a valid position that encodes
// back to itself, or ErrBadStartKey; never a panic.
func FuzzDecodeStartKey(f *testing.F) {
	f.Add(cursor{TS: 63940000000, ID: someID}.encode())
	f.Add("")
	f.Add("eyJ0IjoxfQ")
	f.Add(base64.RawURLEncoding.EncodeToString([]byte(`{"t":1e30,"i":"` + someID + `"}`)))
	f.Fuzz(func(t *testing.T, key string) {
		c, err := decodeCursor(key)
		if err != nil {
			if !errors.Is(err, ErrBadStartKey) {
				t.Fatalf("decodeCursor(%q) error %v, want ErrBadStartKey", key, err)
			}
			return
		}
		again, err := decodeCursor(c.encode())
		if err != nil || again != c {
			t.Fatalf("re-encoding %v gave %v, %v", c, again, err)
		}
	})
}
