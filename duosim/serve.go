package duosim

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
)

// ListenAndServe runs a simulator for a command such as `duo-kazoo sim`:
// it applies the seeds, listens with TLS on addr (for example
// "127.0.0.1:8443"; port 0 picks one), writes the CA certificate PEM to
// caFile (replacing it atomically, mode 0644) so that clients can trust
// it (DUO_KAZOO_CA_FILE), logs the address at info level, and serves until
// ctx is done. It returns nil after a clean shutdown.
func ListenAndServe(ctx context.Context, addr, caFile string, opts Options, seeds ...Seed) error {
	s := New(opts)
	for _, seed := range seeds {
		if err := s.Apply(seed); err != nil {
			return err
		}
	}
	if err := writeFileAtomic(caFile, s.CACertPEM()); err != nil {
		return fmt.Errorf("duosim: writing ca file: %w", err)
	}
	if err := s.listen(addr); err != nil {
		return err
	}
	s.log.WithField("host", s.Host()).WithField("ca_file", caFile).
		Info("duosim: Duo simulator listening")

	<-ctx.Done()
	return s.Close()
}

func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".duosim-ca-*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Chmod(0o644)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		_ = os.Remove(tmp.Name()) // best effort: the error above matters
	}
	return err
}
