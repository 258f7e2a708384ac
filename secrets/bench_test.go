package secrets

import "testing"

func BenchmarkSeal(b *testing.B) {
	r := mustRing(b, mustKey(b))
	b.SetBytes(int64(len(skey)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Seal(skey, bind); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOpen(b *testing.B) {
	r := mustRing(b, mustKey(b))
	s := mustSeal(b, r, skey, bind)
	b.SetBytes(int64(len(skey)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Open(s, bind); err != nil {
			b.Fatal(err)
		}
	}
}
