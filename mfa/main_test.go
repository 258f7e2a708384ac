package mfa_test

import (
	"os"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	if os.Getenv(simChildEnv) != "" {
		os.Exit(runSimChild())
	}
	goleak.VerifyTestMain(m)
}
