package provider

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Problem is one broken rule, in crossbar's validation shape plus what the
// HTTP layer needs to localise it: Message is English, rendered from the
// template of Key (see Messages) with Params; Target is the rule's limit
// or type as jesse reports it, when the rule has one. A Problem never holds
// the offending value.
type Problem struct {
	Message string         `json:"message"`
	Key     string         `json:"key"`
	Params  map[string]any `json:"params,omitempty"`
	Target  any            `json:"target,omitempty"`
}

// Problems maps a field path ("settings.integration_key") to the rules it
// breaks ("maxLength") and their Problem: crossbar's 400 data. Empty (or
// nil) means valid.
type Problems map[string]map[string]Problem

// Add records a problem; the first problem for a path and rule is kept.
func (p Problems) Add(path, rule string, prob Problem) {
	rules := p[path]
	if rules == nil {
		rules = make(map[string]Problem)
		p[path] = rules
	}
	if _, ok := rules[rule]; !ok {
		rules[rule] = prob
	}
}

// Len returns the number of (path, rule) problems.
func (p Problems) Len() int {
	n := 0
	for _, rules := range p {
		n += len(rules)
	}
	return n
}

// Paths returns the field paths with problems, sorted.
func (p Problems) Paths() []string {
	return slices.Sorted(maps.Keys(p))
}

// Rules returns the rules broken at path, sorted.
func (p Problems) Rules(path string) []string {
	return slices.Sorted(maps.Keys(p[path]))
}

// Err returns nil when there is no problem, else a *ValidationError.
func (p Problems) Err() error {
	if p.Len() == 0 {
		return nil
	}
	return &ValidationError{Problems: p}
}

// Message keys. Each specific key ("validation.hostname.scheme") has its
// generic parent ("validation.hostname") in the catalogue too, so a
// translation can fall back by dropping the last segment.
const (
	keyRequired      = "validation.required"
	keyType          = "validation.type"
	keyMinLength     = "validation.minLength"
	keyMaxLength     = "validation.maxLength"
	keyLength        = "validation.length"
	keyMinimum       = "validation.minimum"
	keyMaximum       = "validation.maximum"
	keyEnum          = "validation.enum"
	keyMinItems      = "validation.minItems"
	keyUniqueItems   = "validation.uniqueItems"
	keyUnique        = "validation.unique"
	keyPattern       = "validation.pattern"
	keyBlank         = "validation.pattern.blank"
	keyControl       = "validation.pattern.control"
	keyKeyChars      = "validation.pattern.key_chars"
	keySealed        = "validation.pattern.sealed"
	keyHostname      = "validation.hostname"
	keyHostScheme    = "validation.hostname.scheme"
	keyHostPath      = "validation.hostname.path"
	keyHostUserinfo  = "validation.hostname.userinfo"
	keyHostPort      = "validation.hostname.port"
	keyHostLabel     = "validation.hostname.single_label"
	keyURI           = "validation.uri"
	keyURIScheme     = "validation.uri.https"
	keyURIFragment   = "validation.uri.fragment"
	keyURIUserinfo   = "validation.uri.userinfo"
	exampleHost      = "api-XXXXXXXX.duosecurity.com"
	exampleHostParam = "example"
)

// messages holds the English template of every key; {{name}} is replaced
// by the parameter of that name.
var messages = map[string]string{
	keyRequired:    "is required",
	keyType:        "must be of type {{target}}",
	keyMinLength:   "must be at least {{target}} characters long",
	keyMaxLength:   "must be at most {{target}} characters long",
	keyLength:      "must be exactly {{target}} characters long",
	keyMinimum:     "must be {{target}} or more",
	keyMaximum:     "must be {{target}} or less",
	keyEnum:        "must be one of: {{values}}",
	keyMinItems:    "must list at least {{target}} value(s)",
	keyUniqueItems: "must not list the same value twice",
	keyUnique:      "is already used by another configuration of this account",
	keyPattern:     "has an invalid format",
	keyBlank:       "must not be blank",
	keyControl:     "must not contain control characters",
	keyKeyChars: "must contain only printable ASCII characters, " +
		"without spaces or '|'",
	keySealed: "must be the secret itself: values starting with " +
		`"dk1:" are reserved for encrypted secrets`,
	keyHostname: "must be a host name such as {{example}}, " +
		"optionally followed by :port",
	keyHostScheme: "must be a host name only, such as {{example}}, " +
		"without https:// or another scheme",
	keyHostPath: "must be a host name only, such as {{example}}, " +
		"without a path, query or fragment",
	keyHostUserinfo: "must be a host name only, without a user name or password",
	keyHostPort:     "has an invalid port: use a number from 1 to 65535",
	keyHostLabel: "must be a fully qualified host name such as {{example}} " +
		"(a single word is not enough)",
	keyURI:         "must be an absolute https:// URL",
	keyURIScheme:   "must use https:// (http:// is allowed only for localhost)",
	keyURIFragment: "must not contain a fragment (#...)",
	keyURIUserinfo: "must not contain a user name or password",
}

// Messages returns a copy of the English message templates by key, for
// keeping translations (i18n/en-US.json) in step with the API.
func Messages() map[string]string {
	return maps.Clone(messages)
}

// problem builds a Problem for key, rendering its template with params.
// A "target" parameter is also reported as the Problem's Target.
func problem(key string, params map[string]any) Problem {
	msg := messages[key]
	for name, v := range params {
		msg = strings.ReplaceAll(msg, "{{"+name+"}}", fmt.Sprint(v))
	}
	p := Problem{Message: msg, Key: key, Params: params}
	if t, ok := params["target"]; ok {
		p.Target = t
	}
	return p
}

// target is the params of a problem with a single "target" parameter.
func target(v any) map[string]any { return map[string]any{"target": v} }
