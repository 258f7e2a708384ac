package universal

import (
	"errors"
	"strings"
	"testing"
)

func TestConfigValidate(t *testing.T) {
	good := Config{ClientID: testClientID, ClientSecret: testSecret, APIHost: testHost,
		RedirectURI: testRedirect}
	tests := []struct {
		name string
		edit func(*Config)
		ok   bool
	}{
		{name: "valid", edit: func(*Config) {}, ok: true},
		{name: "host with port", ok: true,
			edit: func(c *Config) { c.APIHost = "api-1.duosecurity.com:8443" }},
		{name: "loopback ip and port", ok: true,
			edit: func(c *Config) { c.APIHost = "127.0.0.1:4443" }},
		{name: "single label", ok: true, edit: func(c *Config) { c.APIHost = "localhost" }},
		{name: "client id 19", edit: func(c *Config) { c.ClientID = testClientID[:19] }},
		{name: "client id 21", edit: func(c *Config) { c.ClientID = testClientID + "X" }},
		{name: "secret 39", edit: func(c *Config) { c.ClientSecret = testSecret[:39] }},
		{name: "secret 41", edit: func(c *Config) { c.ClientSecret = testSecret + "0" }},
		{name: "empty host", edit: func(c *Config) { c.APIHost = "" }},
		{name: "host with scheme", edit: func(c *Config) { c.APIHost = "https://" + testHost }},
		{name: "host with path", edit: func(c *Config) { c.APIHost = testHost + "/x" }},
		{name: "host with query", edit: func(c *Config) { c.APIHost = testHost + "?a=b" }},
		{name: "host with user", edit: func(c *Config) { c.APIHost = "u@" + testHost }},
		{name: "empty port", edit: func(c *Config) { c.APIHost = testHost + ":" }},
		{name: "port zero", edit: func(c *Config) { c.APIHost = testHost + ":0" }},
		{name: "port too big", edit: func(c *Config) { c.APIHost = testHost + ":65536" }},
		{name: "port with leading zero", edit: func(c *Config) { c.APIHost = testHost + ":0443" }},
		{name: "port not numeric", edit: func(c *Config) { c.APIHost = testHost + ":https" }},
		{name: "empty label", edit: func(c *Config) { c.APIHost = "api..duosecurity.com" }},
		{name: "trailing dot", edit: func(c *Config) { c.APIHost = testHost + "." }},
		{name: "leading hyphen", edit: func(c *Config) { c.APIHost = "-api.duosecurity.com" }},
		{name: "underscore", edit: func(c *Config) { c.APIHost = "api_1.duosecurity.com" }},
		{name: "label of 64", edit: func(c *Config) { c.APIHost = strings.Repeat("a", 64) + ".com" }},
		{name: "ipv6", edit: func(c *Config) { c.APIHost = "[::1]:443" }},
		{name: "space", edit: func(c *Config) { c.APIHost = "api 1.duosecurity.com" }},
		{name: "redirect http on loopback", ok: true,
			edit: func(c *Config) { c.RedirectURI = "http://127.0.0.1:8080/cb" }},
		{name: "redirect http on localhost", ok: true,
			edit: func(c *Config) { c.RedirectURI = "http://localhost/cb" }},
		{name: "redirect http elsewhere",
			edit: func(c *Config) { c.RedirectURI = "http://kazoo.example.com/cb" }},
		{name: "redirect relative", edit: func(c *Config) { c.RedirectURI = "/duo/callback" }},
		{name: "redirect empty", edit: func(c *Config) { c.RedirectURI = "" }},
		{name: "redirect other scheme",
			edit: func(c *Config) { c.RedirectURI = "javascript:alert(1)" }},
		{name: "redirect with user info",
			edit: func(c *Config) { c.RedirectURI = "https://u:p@kazoo.example.com/cb" }},
		{name: "redirect with fragment",
			edit: func(c *Config) { c.RedirectURI = "https://kazoo.example.com/cb#x" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := good
			tt.edit(&cfg)
			c, err := New(cfg)
			if tt.ok {
				if err != nil || c == nil {
					t.Fatalf("New = %v, %v; want a client", c, err)
				}
				return
			}
			if !errors.Is(err, ErrInvalidConfig) || c != nil {
				t.Fatalf("New = %v, %v; want ErrInvalidConfig", c, err)
			}
			if strings.Contains(err.Error(), testSecret[:20]) {
				t.Errorf("error %q contains the secret", err)
			}
		})
	}
}
