package main

import (
	"context"
	"io"

	"github.com/sirupsen/logrus"

	"github.com/duo-kazoo/duo-kazoo/duosim"
)

func init() {
	register("sim", "run the Duo simulator (tests and the demo; never real Duo)", runSim)
}

func runSim(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("sim", "Runs a Duo API simulator over TLS: Auth API, Universal Prompt and the\n"+
		"Web SDK frame, with scripted users. Its CA certificate is written to\n"+
		"--ca-file so the service can trust it (DUO_KAZOO_CA_FILE). Without --seed\n"+
		"it starts with the demo integrations and users (see duosim.DemoSeed).",
		"Environment:\n  DUOSIM_ADDR       listen address (default 127.0.0.1:8443)\n"+
			"  DUOSIM_HOSTNAMES  extra certificate names, comma-separated", stderr)
	addr := fs.String("addr", envOr("DUOSIM_ADDR", "127.0.0.1:8443"), "listen address")
	caFile := fs.String("ca-file", envOr("DUOSIM_CA_FILE", "duosim-ca.pem"),
		"where to write the simulator's CA certificate")
	seedFile := fs.String("seed", "", "JSON seed file of integrations, clients and users")
	hostList := fs.String("hostnames", envOr("DUOSIM_HOSTNAMES", ""),
		"extra DNS names and IP addresses for the certificate, comma-separated\n"+
			"(beside localhost, 127.0.0.1 and ::1)")
	if err := parse(fs, args); err != nil {
		return err
	}
	hostnames, err := duosim.ParseHostnames(*hostList)
	if err != nil {
		return err
	}
	seed := duosim.DemoSeed()
	if *seedFile != "" {
		if seed, err = duosim.LoadSeed(*seedFile); err != nil {
			return err
		}
	}
	log := logrus.New()
	log.SetOutput(stderr)
	log.SetFormatter(&logrus.TextFormatter{FullTimestamp: true})
	opts := duosim.Options{Logger: log, Hostnames: hostnames}
	return duosim.ListenAndServe(ctx, *addr, *caFile, opts, seed)
}
