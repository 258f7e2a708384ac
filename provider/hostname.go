package provider

import (
	"net/netip"
	"net/url"
	"strconv"
	"strings"
)

// hostnameProblem checks an api_hostname: a DNS name, IPv4 address or
// bracketed IPv6 address, optionally followed by ":port" (1..65535), with
// no scheme, path, query, fragment or user info. A DNS name needs at least
// two labels (Duo's hosts look like api-XXXXXXXX.duosecurity.com), except
// "localhost", kept for local simulators. It returns the message key of
// the first problem, or "" when s is acceptable.
func hostnameProblem(s string) string {
	switch {
	case strings.Contains(s, "://"):
		return keyHostScheme
	case strings.ContainsAny(s, "/?#\\"):
		return keyHostPath
	case strings.Contains(s, "@"):
		return keyHostUserinfo
	}

	host, port, hasPort, ok := splitHostPort(s)
	if !ok {
		return keyHostname
	}
	if hasPort && !validPort(port) {
		return keyHostPort
	}
	if strings.HasPrefix(host, "[") {
		addr, err := netip.ParseAddr(host[1 : len(host)-1])
		if err != nil || !addr.Is6() || addr.Zone() != "" {
			return keyHostname
		}
		return ""
	}
	if addr, err := netip.ParseAddr(host); err == nil && addr.Is4() {
		return ""
	}
	if strings.EqualFold(host, "localhost") {
		return ""
	}
	return dnsNameProblem(host)
}

// splitHostPort splits "host", "host:port" and "[v6]:port"; ok is false
// for shapes that are none of these (such as an unbracketed IPv6 address).
func splitHostPort(s string) (host, port string, hasPort, ok bool) {
	if strings.HasPrefix(s, "[") {
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return "", "", false, false
		}
		host, rest := s[:end+1], s[end+1:]
		if rest == "" {
			return host, "", false, true
		}
		if rest[0] != ':' {
			return "", "", false, false
		}
		return host, rest[1:], true, true
	}
	host, port, hasPort = strings.Cut(s, ":")
	if strings.Contains(port, ":") {
		return "", "", false, false
	}
	return host, port, hasPort, true
}

// validPort reports whether p is a decimal port number 1..65535.
func validPort(p string) bool {
	if p == "" || len(p) > 5 || strings.Trim(p, "0123456789") != "" {
		return false
	}
	n, err := strconv.Atoi(p)
	return err == nil && n >= 1 && n <= 65535
}

// dnsNameProblem checks a DNS host name: labels of 1..63 letters, digits
// and inner hyphens, at most HostnameMaxLength in all, no trailing dot, at
// least two labels, and a last label that is not all digits (which would
// be a mistyped IPv4 address).
func dnsNameProblem(host string) string {
	if host == "" || len(host) > HostnameMaxLength {
		return keyHostname
	}
	labels := strings.Split(host, ".")
	for _, l := range labels {
		if !validLabel(l) {
			return keyHostname
		}
	}
	if strings.Trim(labels[len(labels)-1], "0123456789") == "" {
		return keyHostname
	}
	if len(labels) < 2 {
		return keyHostLabel
	}
	return ""
}

func validLabel(l string) bool {
	if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
		return false
	}
	for i := 0; i < len(l); i++ {
		c := l[i]
		alnum := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
		if !alnum && c != '-' {
			return false
		}
	}
	return true
}

// hostProblem is a Problem for a hostname key, with the example host.
func hostProblem(key string) Problem {
	return problem(key, map[string]any{exampleHostParam: exampleHost})
}

// redirectURIProblem checks a redirect_uri: an absolute URL with a host,
// scheme https (or http when the host is localhost or a loopback address,
// for development), no user info and no fragment (OAuth 2.0 forbids one).
// It returns the message key of the first problem, or "".
func redirectURIProblem(s string) string {
	if strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return keyURI
	}
	u, err := url.Parse(s)
	if err != nil || !u.IsAbs() || u.Opaque != "" || u.Hostname() == "" {
		return keyURI
	}
	if u.Port() != "" && !validPort(u.Port()) {
		return keyURI
	}
	switch {
	case u.User != nil:
		return keyURIUserinfo
	case u.Fragment != "" || strings.Contains(s, "#"):
		return keyURIFragment
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		return ""
	case "http":
		if isLoopback(u.Hostname()) {
			return ""
		}
	}
	return keyURIScheme
}

// isLoopback reports whether host is localhost or a loopback address.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	addr, err := netip.ParseAddr(host)
	return err == nil && addr.IsLoopback()
}
