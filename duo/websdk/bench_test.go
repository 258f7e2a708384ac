package websdk

import "testing"

func BenchmarkSignRequest(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := SignRequest(testIKey, testSKey, testAKey, testUser, vectorNow); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyResponse(b *testing.B) {
	req, err := SignRequest(testIKey, testSKey, testAKey, testUser, vectorNow)
	if err != nil {
		b.Fatal(err)
	}
	_, app, err := ParseRequest(req)
	if err != nil {
		b.Fatal(err)
	}
	response := futureResponse + ":" + app
	b.ReportAllocs()
	for b.Loop() {
		if _, err := VerifyResponse(testIKey, testSKey, testAKey, response, vectorNow); err != nil {
			b.Fatal(err)
		}
	}
}
