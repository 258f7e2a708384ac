package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestEveryCommandHasHelp(t *testing.T) {
	for name := range commands {
		t.Run(name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), []string{name, "--help"}, &stdout, &stderr)
			if code != 0 {
				t.Fatalf("%s --help exited %d\n%s", name, code, stderr.String())
			}
			if !strings.Contains(stderr.String(), "Usage: duo-kazoo "+name) {
				t.Fatalf("%s --help printed no usage:\n%s", name, stderr.String())
			}
		})
	}
}

func TestUsageErrors(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want int
	}{
		{"no command", nil, 2},
		{"unknown command", []string{"frobnicate"}, 2},
		{"unknown flag", []string{"version", "--nope"}, 2},
		{"stray argument", []string{"keygen", "extra"}, 2},
		{"mfa without account", []string{"mfa"}, 2},
		{"top-level help", []string{"--help"}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if got := run(context.Background(), tc.args, &stdout, &stderr); got != tc.want {
				t.Fatalf("exit %d, want %d\n%s%s", got, tc.want, stdout.String(), stderr.String())
			}
		})
	}
}

func TestKeygenPrintsAUsableKey(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"keygen"}, &stdout, &stderr); code != 0 {
		t.Fatalf("keygen exited %d: %s", code, stderr.String())
	}
	a := strings.TrimSpace(stdout.String())
	stdout.Reset()
	run(context.Background(), []string{"keygen"}, &stdout, &stderr)
	if b := strings.TrimSpace(stdout.String()); len(a) < 40 || a == b {
		t.Fatalf("keygen printed %q then %q: want two different keys", a, b)
	}
}
