package provider

import (
	"strings"
	"testing"
)

func TestHostnameProblem(t *testing.T) {
	for _, tc := range []struct {
		name, host, want string
	}{
		{"duo host", testHost, ""},
		{"upper case", "API-1A2B3C4D.DUOSECURITY.COM", ""},
		{"with port", testHost + ":443", ""},
		{"localhost", "localhost", ""},
		{"localhost with port", "localhost:8443", ""},
		{"ipv4", "127.0.0.1", ""},
		{"ipv4 with port", "127.0.0.1:18443", ""},
		{"ipv6", "[::1]", ""},
		{"ipv6 with port", "[::1]:8443", ""},
		{"https scheme", "https://" + testHost, keyHostScheme},
		{"other scheme", "ftp://" + testHost, keyHostScheme},
		{"trailing slash", testHost + "/", keyHostPath},
		{"path", testHost + "/auth/v2", keyHostPath},
		{"query", testHost + "?x=1", keyHostPath},
		{"backslash", testHost + `\x`, keyHostPath},
		{"userinfo", "user:pw@" + testHost, keyHostUserinfo},
		{"single label", "jdkfl", keyHostLabel},
		{"single label with port", "jdkfl:443", keyHostLabel},
		{"port zero", testHost + ":0", keyHostPort},
		{"port too big", testHost + ":65536", keyHostPort},
		{"port empty", testHost + ":", keyHostPort},
		{"port sign", testHost + ":+443", keyHostPort},
		{"port letters", testHost + ":https", keyHostPort},
		{"empty host with port", ":443", keyHostname},
		{"space", "api duo.com", keyHostname},
		{"leading space", " " + testHost, keyHostname},
		{"underscore", "api_1.duosecurity.com", keyHostname},
		{"trailing dot", testHost + ".", keyHostname},
		{"double dot", "api..duosecurity.com", keyHostname},
		{"hyphen at label start", "-api.duosecurity.com", keyHostname},
		{"hyphen at label end", "api-.duosecurity.com", keyHostname},
		{"label 64", strings.Repeat("a", 64) + ".com", keyHostname},
		{"label 63", strings.Repeat("a", 63) + ".com", ""},
		{"too long", strings.Repeat(strings.Repeat("a", 63)+".", 4) + "com", keyHostname},
		{"bad ipv4", "1.2.3.999", keyHostname},
		{"numeric single label", "1234", keyHostname},
		{"unbracketed ipv6", "::1", keyHostname},
		{"ipv6 unterminated", "[::1", keyHostname},
		{"ipv6 junk after", "[::1]x", keyHostname},
		{"ipv4 in brackets", "[127.0.0.1]", keyHostname},
		{"ipv6 zone", "[fe80::1%25eth0]", keyHostname},
		{"unicode", "api.dúo.com", keyHostname},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := hostnameProblem(tc.host); got != tc.want {
				t.Fatalf("hostnameProblem(%q) = %q, want %q", tc.host, got, tc.want)
			}
		})
	}
}

func TestRedirectURIProblem(t *testing.T) {
	for _, tc := range []struct {
		name, uri, want string
	}{
		{"https", "https://portal.example.com/duo/callback", ""},
		{"https with port and query", "https://portal.example.com:8443/cb?x=1", ""},
		{"https upper-case scheme", "HTTPS://portal.example.com/cb", ""},
		{"http localhost", "http://localhost:3000/cb", ""},
		{"http 127.0.0.1", "http://127.0.0.1/cb", ""},
		{"http 127.1.2.3", "http://127.1.2.3/cb", ""},
		{"http ipv6 loopback", "http://[::1]:8080/cb", ""},
		{"http remote", "http://portal.example.com/cb", keyURIScheme},
		{"http private address", "http://10.0.0.1/cb", keyURIScheme},
		{"other scheme", "ftp://portal.example.com/cb", keyURIScheme},
		{"relative", "/duo/callback", keyURI},
		{"no host", "https:///cb", keyURI},
		{"opaque", "https:portal.example.com", keyURI},
		{"not a url", "portal.example.com/cb", keyURI},
		{"space", "https://portal.example.com/a b", keyURI},
		{"bad port", "https://portal.example.com:99999/cb", keyURI},
		{"userinfo", "https://u:p@portal.example.com/cb", keyURIUserinfo},
		{"fragment", "https://portal.example.com/cb#x", keyURIFragment},
		{"empty fragment", "https://portal.example.com/cb#", keyURIFragment},
		{"empty", "", keyURI},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := redirectURIProblem(tc.uri); got != tc.want {
				t.Fatalf("redirectURIProblem(%q) = %q, want %q", tc.uri, got, tc.want)
			}
		})
	}
}
