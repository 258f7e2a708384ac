package main

import (
	"context"
	"fmt"
	"io"

	"github.com/duo-kazoo/duo-kazoo/app"
)

func init() {
	register("version", "print version, commit and build date", runVersion)
}

func runVersion(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("version", "Prints the version, commit and build date stamped by make build.",
		"", stderr)
	if err := parse(fs, args); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "duo-kazoo %s (commit %s, built %s)\n",
		app.Version, app.Commit, app.BuildDate)
	return nil
}
