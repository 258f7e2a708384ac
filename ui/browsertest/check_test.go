package browsertest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/duo-kazoo/duo-kazoo/app"
	"github.com/duo-kazoo/duo-kazoo/app/apptest"
	"github.com/duo-kazoo/duo-kazoo/duosim"
)

// startSimulator runs a Duo simulator knowing one integration (ikey,
// skey) and returns it with a CA file the service can trust.
func startSimulator(t *testing.T, ikey, skey string) (*duosim.Server, string) {
	t.Helper()
	sim := duosim.New(duosim.Options{})
	sim.AddIntegration(ikey, skey)
	if err := sim.Start(); err != nil {
		t.Fatalf("starting the Duo simulator: %v", err)
	}
	t.Cleanup(func() { _ = sim.Close() })
	caFile := filepath.Join(t.TempDir(), "duosim-ca.pem")
	if err := os.WriteFile(caFile, sim.CACertPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	return sim, caFile
}

func TestSettingsTestConnection(t *testing.T) {
	sim, caFile := startSimulator(t, testIKey, testSKey)
	s := openApp(t, apptest.Options{Configure: func(c *app.Config) { c.CAFile = caFile }},
		"en-US")
	good := s.createConfig(duoConfig("Good keys", testIKey, testSKey, sim.Host()))
	wrong := s.createConfig(duoConfig("Wrong secret", testIKey, strings.Repeat("x", 40),
		sim.Host()))
	s.load()

	tests := []struct {
		name, id, class string
		want            []string
	}{
		{"accepted", good, "duo-check__result--ok",
			[]string{"Duo accepted these credentials.", "Round trip:"}},
		{"wrong secret key", wrong, "duo-check__result--failed",
			[]string{"The connection test failed.",
				"the secret key does not match the integration key"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := s.on(t)
			s.pick(tt.id)
			s.click("[data-action=test]")
			for _, want := range tt.want {
				s.waitFor(selCheckOut+" containing "+want, textOf(selCheckOut)+`.includes(`+js(want)+`)`,
					textOf(selCheckOut)+` + ' | alert: ' + `+textOf(selAlert))
			}
			if s.count(selCheckOut+" ."+tt.class) != 1 {
				t.Errorf("result is not marked %s: %s", tt.class, s.text(selCheckOut))
			}
		})
	}
}
