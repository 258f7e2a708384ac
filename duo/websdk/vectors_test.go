package websdk

import "time"

// Reference values published in Duo's Web SDK test suites (duo_python,
// duo_php, duo_java). Their "future" values expire at 1615727243
// (2021-03-14), so tests that expect them to verify run the clock at
// vectorNow, before that.
const (
	testIKey      = "DIXXXXXXXXXXXXXXXXXX"
	testWrongIKey = "DIXXXXXXXXXXXXXXXXXY"
	testSKey      = "deadbeefdeadbeefdeadbeefdeadbeefdeadbeef"
	testAKey      = "useacustomerprovidedapplicationsecretkey"
	testUser      = "testuser"

	invalidResponse = "AUTH|INVALID|SIG"
	expiredResponse = "AUTH|dGVzdHVzZXJ8RElYWFhYWFhYWFhYWFhYWFhYWFh8MTMwMDE1Nzg3NA==|" +
		"cb8f4d60ec7c261394cd5ee5a17e46ca7440d702"
	futureResponse = "AUTH|dGVzdHVzZXJ8RElYWFhYWFhYWFhYWFhYWFhYWFh8MTYxNTcyNzI0Mw==|" +
		"d20ad0d1e62d84b00a3e74ec201a5917e77b6aef"
	futureEnrollResponse = "ENROLL|" +
		"dGVzdHVzZXJ8RElYWFhYWFhYWFhYWFhYWFhYWFh8MTYxNTcyNzI0Mw==|" +
		"74a0bcc807d40c828b448512f442dce46a85aa24"
	wrongParamsResponse = "AUTH|" +
		"dGVzdHVzZXJ8RElYWFhYWFhYWFhYWFhYWFhYWFh8MTYxNTcyNzI0M3xpbnZhbGlkZXh0cmFkYXRh|" +
		"6cdbec0fbfa0d3f335c76b0786a4a18eac6cdca7"
	wrongParamsApp = "APP|" +
		"dGVzdHVzZXJ8RElYWFhYWFhYWFhYWFhYWFhYWFh8MTYxNTcyNzI0M3xpbnZhbGlkZXh0cmFkYXRh|" +
		"7c2065ea122d028b03ef0295a4b4c5521823b9b5"

	// Expiries encoded in the vectors above.
	expiredExp = 1300157874
	futureExp  = 1615727243
)

// vectorNow is a clock reading at which the "future" vectors are valid.
var vectorNow = time.Unix(1600000000, 0)

// invalidAKey is the 42-character application key Duo's tests use to make
// an APP part that the real key cannot verify.
var invalidAKey = "invalidinvalidinvalidinvalidinvalidinvalid"
