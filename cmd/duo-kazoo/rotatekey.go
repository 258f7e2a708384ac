package main

import (
	"context"
	"io"

	"github.com/duo-kazoo/duo-kazoo/maintenance"
)

func init() {
	register("rotate-key", "re-seal every stored Duo secret under the key file's first key",
		runRotateKey)
}

const rotateSynopsis = `Re-seals every Duo secret stored in the provider documents of every
account under the primary key: the first key of DUO_KAZOO_SECRET_KEY_FILE.
The keys after it are the old keys, needed to open what they sealed.

Rotation without downtime:
  1. put a new key (duo-kazoo keygen) on the first line of the key file and
     keep the current key below it; restart the replicas one by one (they
     then seal with the new key and open with either);
  2. run duo-kazoo rotate-key (interrupt and rerun at will);
  3. when it exits 0, remove the old key from the file and restart again.

Secrets sealed with a key the file lacks are reported and left as they are.
Progress goes to stderr, the report to stdout; no secret is ever printed.`

func runRotateKey(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return runJob(ctx, "rotate-key", rotateSynopsis, maintenance.RotateKey, args, stdout,
		stderr)
}
