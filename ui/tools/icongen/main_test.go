package main

import (
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

// TestCommittedIconIsCurrent compares the committed icon pixel by pixel
// with a fresh drawing (not byte by byte: PNG compression may change with
// the Go version).
func TestCommittedIconIsCurrent(t *testing.T) {
	f, err := os.Open(filepath.Join("..", "..", "..", "metadata", "icon", "duo_integration.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	committed, err := png.Decode(f)
	if err != nil {
		t.Fatalf("decoding committed icon: %v", err)
	}

	fresh := draw(defaultSize)
	if got, want := committed.Bounds(), fresh.Bounds(); got != want {
		t.Fatalf("got bounds %v, want %v", got, want)
	}
	for y := range defaultSize {
		for x := range defaultSize {
			got := color.NRGBAModel.Convert(committed.At(x, y))
			if want := fresh.NRGBAAt(x, y); got != want {
				t.Fatalf("pixel (%d,%d): got %v, want %v; run go run ./ui/tools/icongen", x, y, got, want)
			}
		}
	}
}

func TestDrawShapes(t *testing.T) {
	img := draw(defaultSize)
	tests := []struct {
		name string
		x, y int
		want string
	}{
		{"corner is transparent", 0, 0, "transparent"},
		{"edge is background", 64, 4, "background"},
		{"shield body is white", 64, 30, "shield"},
		{"check mark is green", 60, 79, "check"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := img.NRGBAAt(tt.x, tt.y)
			var got string
			switch {
			case c.A == 0:
				got = "transparent"
			case c == shield:
				got = "shield"
			case c == background && !inShield((float64(tt.x)+0.5)/defaultSize, (float64(tt.y)+0.5)/defaultSize):
				got = "background"
			case c == check:
				got = "check"
			default:
				got = "blend"
			}
			if got != tt.want {
				t.Errorf("pixel (%d,%d) %v: got %s, want %s", tt.x, tt.y, c, got, tt.want)
			}
		})
	}
}
