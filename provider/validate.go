package provider

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Validate checks a whole document and returns every problem at once,
// keyed by field path then rule (see Problems and Messages); an empty
// result means valid. Call it on the document as it will be stored, after
// Replace or Merge and before Seal: secrets must be in plaintext.
//
// existingNames are the names of the account's other configurations (not
// the one being validated); name must differ from each of them, ignoring
// case and surrounding spaces.
//
// Everywhere, null and "" count as an absent field. Unknown fields are
// allowed and not checked. The settings of the provider named by
// provider_name are required; those of the other provider are checked when
// present but not required.
func Validate(d Doc, existingNames []string) Problems {
	p := Problems{}
	validateName(p, d, existingNames)
	if v, ok := d["enabled"]; ok && v != nil {
		if _, isBool := v.(bool); !isBool {
			p.Add("enabled", "type", problem(keyType, target("boolean")))
		}
	}
	provider, _ := d["provider_name"].(string)
	checkEnum(p, "provider_name", d["provider_name"], true, providerNames)
	validateSettings(p, d, provider)
	return p
}

func validateName(p Problems, d Doc, existing []string) {
	v, present := d["name"]
	if absent(v, present) {
		p.Add("name", "required", problem(keyRequired, nil))
		return
	}
	s, ok := v.(string)
	if !ok {
		p.Add("name", "type", problem(keyType, target("string")))
		return
	}
	if strings.TrimSpace(s) == "" {
		p.Add("name", "pattern", problem(keyBlank, nil))
		return
	}
	if utf8.RuneCountInString(s) > NameMaxLength {
		p.Add("name", "maxLength", problem(keyMaxLength, target(NameMaxLength)))
	}
	if strings.ContainsFunc(s, unicode.IsControl) || !utf8.ValidString(s) {
		p.Add("name", "pattern", problem(keyControl, nil))
	}
	key := NameKey(s)
	for _, other := range existing {
		if NameKey(other) == key {
			p.Add("name", "unique", problem(keyUnique, nil))
			break
		}
	}
}

// NameKey returns the form of a configuration name that uniqueness
// compares: surrounding spaces trimmed and every letter case-folded, so
// NameKey(a) == NameKey(b) exactly when the names clash (the comparison of
// strings.EqualFold on the trimmed names). Stores use it to derive a
// per-name lock.
func NameKey(name string) string {
	return strings.Map(foldRune, strings.TrimSpace(name))
}

// foldRune maps r to the smallest rune of its simple case-folding orbit
// (the runes strings.EqualFold treats as equal to it).
func foldRune(r rune) rune {
	lowest := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		lowest = min(lowest, f)
	}
	return lowest
}

// NameTaken returns the error Validate reports for a name already used by
// another configuration of the account (name, rule "unique"), for a store
// that finds the clash after Validate: when another write claimed the
// name meanwhile.
func NameTaken() error {
	p := Problems{}
	p.Add("name", "unique", problem(keyUnique, nil))
	return p.Err()
}

// checkEnum reports required, type or enum problems of a string field
// whose value must be one of values.
func checkEnum(p Problems, path string, v any, required bool, values []string) {
	if v == nil || v == "" {
		if required {
			p.Add(path, "required", problem(keyRequired, nil))
		}
		return
	}
	s, ok := v.(string)
	if !ok {
		p.Add(path, "type", problem(keyType, target("string")))
		return
	}
	for _, allowed := range values {
		if s == allowed {
			return
		}
	}
	p.Add(path, "enum", enumProblem(values))
}

func enumProblem(values []string) Problem {
	pr := problem(keyEnum, map[string]any{"values": strings.Join(values, ", ")})
	pr.Target = values
	return pr
}

// checkInt reports type, minimum and maximum problems of an optional
// integer field.
func checkInt(p Problems, path string, v any, lo, hi int64) {
	if v == nil {
		return
	}
	n, ok := asInt(v)
	switch {
	case !ok:
		p.Add(path, "type", problem(keyType, target("integer")))
	case n < lo:
		p.Add(path, "minimum", problem(keyMinimum, target(lo)))
	case n > hi:
		p.Add(path, "maximum", problem(keyMaximum, target(hi)))
	}
}

// checkKey reports the problems of a Duo key or secret: type, length
// (minLength / maxLength; exact when lo == hi) and characters.
func checkKey(p Problems, path string, s string, lo, hi int) {
	n := utf8.RuneCountInString(s)
	lengthKey := func(fallback string) string {
		if lo == hi {
			return keyLength
		}
		return fallback
	}
	if n < lo {
		p.Add(path, "minLength", problem(lengthKey(keyMinLength), target(lo)))
	}
	if n > hi {
		p.Add(path, "maxLength", problem(lengthKey(keyMaxLength), target(hi)))
	}
	if !keyChars(s) {
		p.Add(path, "pattern", problem(keyKeyChars, nil))
	}
}

// keyChars reports whether s holds only printable ASCII without spaces or
// '|' (which would break Web SDK cookies).
func keyChars(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c > '~' || c == '|' {
			return false
		}
	}
	return true
}
