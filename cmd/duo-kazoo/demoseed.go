package main

import (
	"context"
	"encoding/json"
	"fmt"
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
	out := map[string]any{}
	for role, a := range map[string]seed.Account{
		"master": k.Master, "reseller": k.Reseller, "sub": k.Sub} {
		out[role] = map[string]any{
			"account_id": a.ID, "name": a.Name,
			"admin": map[string]string{"user_id": a.Admin.ID, "username": a.Admin.Username,
				"token": a.Admin.Token},
			"user": map[string]string{"user_id": a.User.ID, "username": a.User.Username,
				"token": a.User.Token},
		}
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("printing: %w", err)
	}
	return nil
}
