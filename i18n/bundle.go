package i18n

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"
	"sync"
)

// DefaultLanguage is the complete language every lookup falls back to.
const DefaultLanguage = "en-US"

// Errors returned by New. They are wrapped with the offending file name.
var (
	// ErrNoDefault means the files lack DefaultLanguage.
	ErrNoDefault = errors.New("i18n: no " + DefaultLanguage + ".json")
	// ErrBadName means a JSON file is not named after a language tag.
	ErrBadName = errors.New("i18n: file name is not a language tag")
	// ErrBadFile means a file is not an object of nested strings.
	ErrBadFile = errors.New("i18n: not an object of nested strings")
)

// tagPattern is the shape of a language file's name: xx-YY or xxx-YY.
var tagPattern = regexp.MustCompile(`^[a-z]{2,3}-[A-Z]{2}$`)

// Bundle is a set of translations, one flat key->message table per
// language. The zero value is not usable; build one with New or Default.
type Bundle struct {
	fsys  fs.FS
	langs []string
	msgs  map[string]map[string]string
}

// New reads every *.json file at the root of fsys. Each must be named
// after its language tag and hold an object whose leaves are strings.
// DefaultLanguage must be among them.
func New(fsys fs.FS) (*Bundle, error) {
	names, err := fs.Glob(fsys, "*.json")
	if err != nil {
		return nil, fmt.Errorf("listing translations: %w", err)
	}

	b := &Bundle{fsys: fsys, msgs: make(map[string]map[string]string)}
	for _, name := range names {
		lang := strings.TrimSuffix(path.Base(name), ".json")
		if !tagPattern.MatchString(lang) {
			return nil, fmt.Errorf("loading %s: %w", name, ErrBadName)
		}
		table, err := load(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("loading %s: %w", name, err)
		}
		b.msgs[lang] = table
		b.langs = append(b.langs, lang)
	}
	if _, ok := b.msgs[DefaultLanguage]; !ok {
		return nil, ErrNoDefault
	}

	sort.Slice(b.langs, func(i, j int) bool {
		if (b.langs[i] == DefaultLanguage) != (b.langs[j] == DefaultLanguage) {
			return b.langs[i] == DefaultLanguage
		}
		return b.langs[i] < b.langs[j]
	})
	return b, nil
}

// Default returns the Bundle of the files embedded in this package. The
// files are part of the program, checked by this package's tests, so a
// broken one is a build defect: Default panics on it instead of returning
// an error every caller would have to handle.
func Default() *Bundle { return embedded() }

var embedded = sync.OnceValue(func() *Bundle {
	b, err := New(files)
	if err != nil {
		panic(fmt.Sprintf("embedded translations: %v", err))
	}
	return b
})

// load parses one file into a flat table of dotted keys.
func load(fsys fs.FS, name string) (map[string]string, error) {
	raw, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	var tree map[string]any
	if err := json.Unmarshal(raw, &tree); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadFile, err)
	}
	table := make(map[string]string)
	if err := flatten("", tree, table); err != nil {
		return nil, err
	}
	return table, nil
}

// flatten copies the string leaves of tree into table under dotted keys.
// A member name may itself hold dots ("pattern.blank" beside "pattern"),
// so two paths can spell one key: that is an error, not a silent choice.
func flatten(prefix string, tree map[string]any, table map[string]string) error {
	for k, v := range tree {
		key := prefix + k
		switch v := v.(type) {
		case string:
			if _, dup := table[key]; dup {
				return fmt.Errorf("%w: %q is defined twice", ErrBadFile, key)
			}
			table[key] = v
		case map[string]any:
			if err := flatten(key+".", v, table); err != nil {
				return err
			}
		default:
			return fmt.Errorf("%w: %q is a %T", ErrBadFile, key, v)
		}
	}
	return nil
}

// FS returns the raw JSON files the Bundle was built from, for serving to
// browsers unchanged.
func (b *Bundle) FS() fs.FS { return b.fsys }

// Languages returns the language tags of the Bundle, DefaultLanguage first
// and the others in lexical order. The slice is the caller's.
func (b *Bundle) Languages() []string {
	return append([]string(nil), b.langs...)
}

// Keys returns the sorted keys that lang itself defines (no fallback), or
// nil when lang is not one of Languages exactly.
func (b *Bundle) Keys(lang string) []string {
	table, ok := b.msgs[lang]
	if !ok {
		return nil
	}
	keys := make([]string, 0, len(table))
	for k := range table {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Lookup returns the message for key in lang with its {{name}}
// placeholders replaced by params; placeholders params lacks stay as they
// are. lang is matched like one Accept-Language range (case-insensitive,
// "fr" or "fr-CA" finds fr-FR); a key lang lacks is taken from
// DefaultLanguage; a key no language has is returned as is, so a missing
// translation shows up instead of an empty text.
func (b *Bundle) Lookup(lang, key string, params map[string]string) string {
	msg, ok := b.msgs[b.match(lang)][key]
	if !ok {
		msg, ok = b.msgs[DefaultLanguage][key]
	}
	if !ok {
		return key
	}
	return Format(msg, params)
}

// Format replaces the {{name}} placeholders of msg (spaces inside the
// braces allowed) with params[name] in one pass: a replacement is never
// scanned again. Placeholders params lacks are left unchanged.
func Format(msg string, params map[string]string) string {
	if len(params) == 0 || !strings.Contains(msg, "{{") {
		return msg
	}
	var out strings.Builder
	for {
		open := strings.Index(msg, "{{")
		if open < 0 {
			break
		}
		end := strings.Index(msg[open+2:], "}}")
		if end < 0 {
			break
		}
		end += open + 2
		name := strings.TrimSpace(msg[open+2 : end])
		out.WriteString(msg[:open])
		if v, ok := params[name]; ok {
			out.WriteString(v)
		} else {
			out.WriteString(msg[open : end+2])
		}
		msg = msg[end+2:]
	}
	out.WriteString(msg)
	return out.String()
}
