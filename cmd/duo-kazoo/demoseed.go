package main

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/duo-kazoo/duo-kazoo/couch"
	"github.com/duo-kazoo/duo-kazoo/seed"
)

func init() {
	register("demo-seed", "seed a demo KAZOO into CouchDB and print ready tokens", runDemoSeed)
}

func runDemoSeed(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("demo-seed", "Writes a demo KAZOO into the CouchDB at COUCH_URL: a master\n"+
		"account, a reseller, a sub-account, an admin and a user in each, and a\n"+
		"token signing key. Ids are fixed, so running it again is safe. Prints the\n"+
		"accounts and ready tokens as JSON.", "", stderr)
	couchURL := fs.String("couch-url", envOr("COUCH_URL", "http://127.0.0.1:15984"),
		"CouchDB server")
	lifetime := fs.Duration("token-lifetime", 24*time.Hour, "lifetime of the printed tokens")
	asJSON := fs.Bool("json", false, "print the accounts and tokens as JSON")
	duoHost := fs.String("duo-host", "", "also configure Duo for the sub-account, pointing at "+
		"the simulator at this host:port (needs DUO_KAZOO_SECRET_KEY_FILE)")
	apiURL := fs.String("api-url", "http://"+envOr("HTTP_ADDR", "127.0.0.1:8094"),
		"the API's URL, for the printed examples")
	if err := parse(fs, args); err != nil {
		return err
	}
	c, err := couch.Open(*couchURL, couch.Options{})
	if err != nil {
		return err
	}
	defer c.Close()
	k, err := seed.Seed(ctx, c, seed.Options{Fixed: true, Name: "demo", TokenLifetime: *lifetime})
	if err != nil {
		return err
	}
	configID := ""
	if *duoHost != "" {
		keyFile := envOr("DUO_KAZOO_SECRET_KEY_FILE", "")
		if keyFile == "" {
			return errors.New("--duo-host needs DUO_KAZOO_SECRET_KEY_FILE")
		}
		if configID, err = seedDemoDuo(ctx, c, k, keyFile, *duoHost); err != nil {
			return err
		}
	}
	if *asJSON {
		return printSeedJSON(stdout, k)
	}
	printSeedText(stdout, k, *apiURL)
	if configID != "" {
		printDuoDemo(stdout, k, configID)
	}
	return nil
}
