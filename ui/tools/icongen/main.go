// Command icongen draws the Duo Integration app's store icon: a white
// shield with a green check mark on a rounded green square, antialiased by
// supersampling. It writes a PNG:
//
//	go run ./ui/tools/icongen -o metadata/icon/duo_integration.png
//
// The drawing is deterministic; a test checks the committed icon still
// matches it.
package main

import (
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
)

func main() {
	out := flag.String("o", "metadata/icon/duo_integration.png", "PNG file to write")
	size := flag.Int("size", defaultSize, "width and height in pixels")
	flag.Parse()

	if err := write(*out, *size); err != nil {
		fmt.Fprintln(os.Stderr, "icongen:", err)
		os.Exit(1)
	}
}

func write(path string, size int) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("creating icon: %w", err)
	}
	if err := png.Encode(f, draw(size)); err != nil {
		f.Close()
		return fmt.Errorf("encoding icon: %w", err)
	}
	return f.Close()
}

// defaultSize is the icon's default width and height in pixels.
const defaultSize = 128

// samples is the supersampling grid per pixel side.
const samples = 4

var (
	background = color.NRGBA{R: 0x1e, G: 0x7b, B: 0x34, A: 0xff}
	shield     = color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
	check      = color.NRGBA{R: 0x1e, G: 0x7b, B: 0x34, A: 0xff}
)

// draw renders the icon at size x size pixels.
func draw(size int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	for y := range size {
		for x := range size {
			img.SetNRGBA(x, y, pixel(x, y, size))
		}
	}
	return img
}

// pixel averages the shape colours over the pixel's sample points.
func pixel(x, y, size int) color.NRGBA {
	var r, g, b, a int
	for sy := range samples {
		for sx := range samples {
			u := (float64(x) + (float64(sx)+0.5)/samples) / float64(size)
			v := (float64(y) + (float64(sy)+0.5)/samples) / float64(size)
			c := colorAt(u, v)
			r += int(c.R) * int(c.A)
			g += int(c.G) * int(c.A)
			b += int(c.B) * int(c.A)
			a += int(c.A)
		}
	}
	n := samples * samples
	if a == 0 {
		return color.NRGBA{}
	}
	return color.NRGBA{
		R: uint8(r / a), G: uint8(g / a), B: uint8(b / a),
		A: uint8(a / n),
	}
}

// colorAt is the colour at (u, v) in the unit square, top-left origin.
func colorAt(u, v float64) color.NRGBA {
	switch {
	case !inRoundedSquare(u, v, 0.2):
		return color.NRGBA{}
	case inCheck(u, v):
		return check
	case inShield(u, v):
		return shield
	default:
		return background
	}
}
