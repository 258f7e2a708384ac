package attempts

import (
	"encoding/json"
	"strings"
	"unicode/utf8"
)

// maxString bounds every stored string (bytes), so a hostile header or
// message cannot bloat a MODb; maxDepth bounds nesting in free-form maps.
const (
	maxString = 1024
	maxDepth  = 6
)

// secretNames are field names (lowercase, '-' as '_') whose values are
// never stored: second-factor responses, one-time codes, credentials and
// session material.
var secretNames = map[string]bool{
	"passcode": true, "password": true, "pin": true, "code": true, "duo_code": true,
	"auth_code": true, "authorization_code": true, "state": true,
	"sig_response": true, "sig_request": true, "multi_factor_response": true,
	"skey": true, "akey": true, "secret_key": true, "application_secret_key": true,
	"client_secret": true, "token": true, "auth_token": true, "x_auth_token": true,
	"id_token": true, "access_token": true, "refresh_token": true, "jwt": true,
	"authorization": true, "proxy_authorization": true, "cookie": true, "set_cookie": true,
}

// secretParts: a field name containing one of these is a secret too
// (db_password, duo_secret_key, session_token, ...).
var secretParts = []string{"secret", "password", "passcode", "token"}

// IsSecretField reports whether a field of that name is dropped from
// stored attempts.
func IsSecretField(name string) bool {
	n := strings.ToLower(strings.ReplaceAll(name, "-", "_"))
	if secretNames[n] {
		return true
	}
	for _, p := range secretParts {
		if strings.Contains(n, p) {
			return true
		}
	}
	return false
}

// scrubMap returns a copy of m without secret fields at any depth, with
// long strings cut. Values that are not JSON-like (structs, typed maps) are
// turned into JSON-like values first so that their fields are checked too.
// The result is never nil.
func scrubMap(m map[string]any) map[string]any {
	out, _ := scrubValue(m, 0).(map[string]any)
	if out == nil {
		out = map[string]any{}
	}
	return out
}

func scrubValue(v any, depth int) any {
	if depth > maxDepth {
		return nil
	}
	switch v := v.(type) {
	case nil, bool, float64, float32, int, int8, int16, int32, int64,
		uint, uint8, uint16, uint32, uint64, json.Number:
		return v
	case string:
		return clip(v)
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, val := range v {
			if IsSecretField(k) {
				continue
			}
			if s := scrubValue(val, depth+1); s != nil || val == nil {
				out[clip(k)] = s
			}
		}
		return out
	case []any:
		out := make([]any, 0, len(v))
		for _, val := range v {
			out = append(out, scrubValue(val, depth+1))
		}
		return out
	}
	// Anything else goes through JSON so that nested field names are seen.
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	var generic any
	if err := json.Unmarshal(b, &generic); err != nil {
		return nil
	}
	return scrubValue(generic, depth)
}

// clip cuts s to at most maxString bytes on a rune boundary.
func clip(s string) string {
	if len(s) <= maxString {
		return s
	}
	cut := maxString
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}
