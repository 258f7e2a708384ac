package mfa

import (
	"strings"
	"testing"

	"github.com/duo-kazoo/duo-kazoo/provider"
)

func testConfig() provider.Config {
	return provider.Config{ID: "cfg", Provider: provider.ProviderDuo,
		IntegrationKey: "DIAAAAAAAAAAAAAAAAAA", SecretKey: provider.Secret(strings.Repeat("s", 40)),
		APIHostname: "api-test.duosecurity.com", ClientID: "DIBBBBBBBBBBBBBBBBBB",
		ClientSecret: provider.Secret(strings.Repeat("c", 40)),
		RedirectURI:  "https://kazoo.example.com/cb"}
}

func TestClientKey(t *testing.T) {
	base := testConfig()
	key := clientKey("auth", "acct", base)
	tests := []struct {
		name string
		edit func(*provider.Config)
	}{
		{"secret key", func(c *provider.Config) {
			c.SecretKey = provider.Secret(strings.Repeat("t", 40))
		}},
		{"integration key", func(c *provider.Config) { c.IntegrationKey = "DIZZZZZZZZZZZZZZZZZZ" }},
		{"host", func(c *provider.Config) { c.APIHostname = "api-other.duosecurity.com" }},
		{"client secret", func(c *provider.Config) { c.ClientSecret = "x" }},
		{"redirect", func(c *provider.Config) { c.RedirectURI = "https://other.example.com/cb" }},
		{"configuration id", func(c *provider.Config) { c.ID = "cfg2" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := testConfig()
			tt.edit(&c)
			if clientKey("auth", "acct", c) == key {
				t.Errorf("changing the %s kept the client key", tt.name)
			}
		})
	}
	if clientKey("auth", "acct", testConfig()) != key {
		t.Error("the same settings gave another key")
	}
	if clientKey("auth", "other", base) == key || clientKey("universal", "acct", base) == key {
		t.Error("account or client kind does not change the key")
	}
	if strings.Contains(key, "ssss") {
		t.Errorf("key %q shows the secret", key)
	}
}

func TestClientCacheReusesAndEvicts(t *testing.T) {
	opts, err := Options{StateKey: make([]byte, 32), ClientCacheSize: 2}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	cc, err := newClientCache(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer cc.close()

	c1, err := cc.authClient("acct", testConfig())
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := cc.authClient("acct", testConfig()); again != c1 {
		t.Error("the same configuration got a new client")
	}
	changed := testConfig()
	changed.SecretKey = provider.Secret(strings.Repeat("n", 40))
	if c2, _ := cc.authClient("acct", changed); c2 == c1 {
		t.Error("a changed secret key kept the old client")
	}
	if _, err := cc.universalClient("acct", testConfig()); err != nil {
		t.Fatal(err)
	}
	if n := len(cc.entries); n != 2 {
		t.Errorf("cache holds %d clients, want its size 2", n)
	}
	if again, _ := cc.authClient("acct", testConfig()); again == c1 {
		t.Error("the least recently used client was not evicted")
	}
}

func TestNewRejectsBadOptions(t *testing.T) {
	if _, err := (Options{StateKey: make([]byte, 8)}).withDefaults(); err == nil {
		t.Error("a short state key was accepted")
	}
	if _, err := New(Deps{}, Options{StateKey: make([]byte, 32)}); err == nil {
		t.Error("missing dependencies were accepted")
	}
}
