// Package testenv gives integration tests the real servers they run
// against: the CouchDB-API server at COUCH_URL and RabbitMQ at AMQP_URL.
// `make test` starts both (scripts/with-deps.sh) and sets the variables.
//
// Without them an integration test fails, so that CI never passes by
// skipping; `go test -short` skips integration tests on purpose.
package testenv

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
)

// CouchURL returns the CouchDB-API server URL for an integration test.
func CouchURL(t testing.TB) string {
	t.Helper()
	return need(t, "COUCH_URL")
}

// AMQPURL returns the RabbitMQ URL for an integration test.
func AMQPURL(t testing.TB) string {
	t.Helper()
	return need(t, "AMQP_URL")
}

func need(t testing.TB, name string) string {
	t.Helper()
	if testing.Short() {
		t.Skipf("integration test: skipped with -short (needs %s)", name)
	}
	v := os.Getenv(name)
	if v == "" {
		t.Fatalf("integration test needs %s: run it with `make test` "+
			"or scripts/with-deps.sh go test ...", name)
	}
	return v
}

// NewID returns 32 random lowercase hex characters: the shape of KAZOO
// account, user and document ids.
func NewID() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}
