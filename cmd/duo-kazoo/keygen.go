package main

import (
	"context"
	"fmt"
	"io"

	"github.com/duo-kazoo/duo-kazoo/secrets"
)

func init() {
	register("keygen", "print a new key for DUO_KAZOO_SECRET_KEY_FILE", runKeygen)
}

func runKeygen(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("keygen", "Prints a new random AES-256 key, one line, for the secrets key file.\n"+
		"The first line of the key file is the key new secrets are sealed with;\n"+
		"later lines are older keys still accepted for reading (rotation).",
		"", stderr)
	if err := parse(fs, args); err != nil {
		return err
	}
	key, err := secrets.GenerateKey()
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, secrets.EncodeKey(key))
	return nil
}
