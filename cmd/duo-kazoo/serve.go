package main

import (
	"context"
	"io"

	"github.com/duo-kazoo/duo-kazoo/app"
)

func init() {
	register("serve", "run the HTTP API and the AMQP second-factor service", runServe)
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", "Runs a duo-kazoo replica: the account API over HTTP and the\n"+
		"second-factor service over AMQP. Configuration comes from the environment.\n"+
		"SIGINT or SIGTERM stop it gracefully.", app.EnvHelp, stderr)
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := app.ConfigFromEnv(nil)
	if err != nil {
		return err
	}
	log, err := app.NewLogger(cfg.LogLevel, cfg.LogFormat, stderr)
	if err != nil {
		return err
	}
	a, err := app.New(cfg, log)
	if err != nil {
		return err
	}
	defer a.Close()
	return a.Run(ctx, nil)
}
