package main

import "math"

// inRoundedSquare reports whether (u, v) lies in the unit square with
// corners rounded to radius r.
func inRoundedSquare(u, v, r float64) bool {
	dx := math.Max(math.Max(r-u, u-(1-r)), 0)
	dy := math.Max(math.Max(r-v, v-(1-r)), 0)
	return dx*dx+dy*dy <= r*r
}

// shieldOutline is the shield's polygon: flat shoulders, straight sides,
// then two quadratic curves meeting at the point.
var shieldOutline = buildShield()

func buildShield() [][2]float64 {
	pts := [][2]float64{{0.5, 0.15}, {0.79, 0.25}, {0.79, 0.5}}
	pts = append(pts, quad([2]float64{0.79, 0.5}, [2]float64{0.77, 0.74}, [2]float64{0.5, 0.87})...)
	pts = append(pts, quad([2]float64{0.5, 0.87}, [2]float64{0.23, 0.74}, [2]float64{0.21, 0.5})...)
	return append(pts, [2]float64{0.21, 0.25})
}

// quad samples the quadratic Bezier curve from a to c with control b,
// excluding a.
func quad(a, b, c [2]float64) [][2]float64 {
	const steps = 24
	pts := make([][2]float64, 0, steps)
	for i := 1; i <= steps; i++ {
		t := float64(i) / steps
		s := 1 - t
		pts = append(pts, [2]float64{
			s*s*a[0] + 2*s*t*b[0] + t*t*c[0],
			s*s*a[1] + 2*s*t*b[1] + t*t*c[1],
		})
	}
	return pts
}

// inShield is an even-odd point-in-polygon test against shieldOutline.
func inShield(u, v float64) bool {
	in := false
	n := len(shieldOutline)
	for i, j := 0, n-1; i < n; j, i = i, i+1 {
		pi, pj := shieldOutline[i], shieldOutline[j]
		if (pi[1] > v) != (pj[1] > v) &&
			u < (pj[0]-pi[0])*(v-pi[1])/(pj[1]-pi[1])+pi[0] {
			in = !in
		}
	}
	return in
}

// checkStroke is the check mark's polyline and half its thickness.
var (
	checkStroke = [][2]float64{{0.36, 0.51}, {0.47, 0.62}, {0.66, 0.4}}
	checkHalf   = 0.045
)

// inCheck reports whether (u, v) is within the check mark's stroke.
func inCheck(u, v float64) bool {
	for i := 1; i < len(checkStroke); i++ {
		if segmentDistance(u, v, checkStroke[i-1], checkStroke[i]) <= checkHalf {
			return true
		}
	}
	return false
}

// segmentDistance is the distance from (u, v) to the segment a-b.
func segmentDistance(u, v float64, a, b [2]float64) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	t := ((u-a[0])*dx + (v-a[1])*dy) / (dx*dx + dy*dy)
	t = math.Max(0, math.Min(1, t))
	return math.Hypot(u-(a[0]+t*dx), v-(a[1]+t*dy))
}
