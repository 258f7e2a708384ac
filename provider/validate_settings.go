package provider

import (
	"slices"
	"strconv"

	"github.com/duo-kazoo/duo-kazoo/secrets"
)

// setting describes one known setting: the providers for which it is
// required (none when nil) and how a present value is checked.
type setting struct {
	name        string
	requiredFor []string
	check       func(p Problems, path string, v any)
}

// keyCheck checks a Duo key or secret of length lo..hi.
func keyCheck(lo, hi int) func(Problems, string, any) {
	return func(p Problems, path string, v any) {
		if s, ok := stringField(p, path, v); ok {
			checkKey(p, path, s, lo, hi)
		}
	}
}

// secretCheck checks a secret of length lo..hi. A value with the sealed
// prefix is refused: it would be taken for an encrypted value when saved
// and never reach Duo as given.
func secretCheck(lo, hi int) func(Problems, string, any) {
	return func(p Problems, path string, v any) {
		s, ok := stringField(p, path, v)
		if !ok {
			return
		}
		if secrets.IsSealed(s) {
			p.Add(path, "pattern", problem(keySealed, nil))
		}
		checkKey(p, path, s, lo, hi)
	}
}

func intCheck(lo, hi int64) func(Problems, string, any) {
	return func(p Problems, path string, v any) { checkInt(p, path, v, lo, hi) }
}

func enumCheck(values []string) func(Problems, string, any) {
	return func(p Problems, path string, v any) { checkEnum(p, path, v, false, values) }
}

var settingsRules = []setting{
	{"integration_key", []string{ProviderDuo},
		keyCheck(IntegrationKeyLength, IntegrationKeyLength)},
	{SecretKey, []string{ProviderDuo}, secretCheck(SecretKeyLength, SecretKeyLength)},
	{ApplicationSecretKey, []string{ProviderDuo},
		secretCheck(ApplicationSecretKeyMinLength, ApplicationSecretKeyMaxLength)},
	{"api_hostname", providerNames, checkHostnameField},
	{"duo_expire", nil, intCheck(DuoExpireMin, DuoExpireMax)},
	{"app_expire", nil, intCheck(AppExpireMin, AppExpireMax)},
	{"client_id", []string{ProviderUniversal}, keyCheck(ClientIDLength, ClientIDLength)},
	{ClientSecret, []string{ProviderUniversal},
		secretCheck(ClientSecretLength, ClientSecretLength)},
	{"redirect_uri", []string{ProviderUniversal}, checkRedirectURIField},
	{"failmode", nil, enumCheck(failmodes)},
	{"factors", nil, checkFactors},
	{"username_source", nil, enumCheck(usernameSources)},
	{"lockout", nil, checkLockout},
}

// validateSettings checks the settings object for the given provider
// name (which may be invalid: then nothing is required).
func validateSettings(p Problems, d Doc, provider string) {
	raw, present := d["settings"]
	settings, ok := asObject(raw)
	if present && raw != nil && !ok {
		p.Add("settings", "type", problem(keyType, target("object")))
		return
	}
	for _, rule := range settingsRules {
		path := "settings." + rule.name
		v, has := settings[rule.name]
		if absent(v, has) {
			if slices.Contains(rule.requiredFor, provider) {
				p.Add(path, "required", problem(keyRequired, nil))
			}
			continue
		}
		rule.check(p, path, v)
	}
}

// stringField reports a type problem unless v is a string.
func stringField(p Problems, path string, v any) (string, bool) {
	s, ok := v.(string)
	if !ok {
		p.Add(path, "type", problem(keyType, target("string")))
	}
	return s, ok
}

func checkHostnameField(p Problems, path string, v any) {
	if s, ok := stringField(p, path, v); ok {
		if key := hostnameProblem(s); key != "" {
			p.Add(path, "format", hostProblem(key))
		}
	}
}

func checkRedirectURIField(p Problems, path string, v any) {
	s, ok := stringField(p, path, v)
	if !ok {
		return
	}
	if len(s) > RedirectURIMaxLength {
		p.Add(path, "maxLength", problem(keyMaxLength, target(RedirectURIMaxLength)))
		return
	}
	if key := redirectURIProblem(s); key != "" {
		p.Add(path, "format", problem(key, nil))
	}
}

// checkFactors: an array of distinct factor names, at least one.
func checkFactors(p Problems, path string, v any) {
	items, ok := asArray(v)
	if !ok {
		p.Add(path, "type", problem(keyType, target("array")))
		return
	}
	if len(items) == 0 {
		p.Add(path, "minItems", problem(keyMinItems, target(1)))
		return
	}
	seen := make(map[string]bool, len(items))
	for i, item := range items {
		itemPath := path + "." + strconv.Itoa(i)
		s, isString := item.(string)
		if !isString {
			p.Add(itemPath, "type", problem(keyType, target("string")))
			continue
		}
		if !slices.Contains(allFactors, s) {
			p.Add(itemPath, "enum", enumProblem(allFactors))
			continue
		}
		if seen[s] {
			p.Add(path, "uniqueItems", problem(keyUniqueItems, nil))
		}
		seen[s] = true
	}
}

// checkLockout: an object of optional bounded integers.
func checkLockout(p Problems, path string, v any) {
	obj, ok := asObject(v)
	if !ok {
		p.Add(path, "type", problem(keyType, target("object")))
		return
	}
	checkInt(p, path+".max_failures", obj["max_failures"], MaxFailuresMin, MaxFailuresMax)
	checkInt(p, path+".window_s", obj["window_s"], WindowMin, WindowMax)
	checkInt(p, path+".duration_s", obj["duration_s"], DurationMin, DurationMax)
}
