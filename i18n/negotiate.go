package i18n

import (
	"sort"
	"strconv"
	"strings"
)

// maxRanges bounds how many language ranges of one header are considered,
// so a hostile header costs no more than a normal one.
const maxRanges = 16

// langRange is one entry of an Accept-Language header.
type langRange struct {
	tag string
	q   float64
}

// Negotiate picks the Bundle language that best serves an Accept-Language
// header (RFC 9110, section 12.5.4): ranges are tried by decreasing
// quality, ties in header order; a range matches a language with the same
// tag (any case), else the first language with the same primary subtag
// ("fr", "fr-CA" -> fr-FR); "*" matches DefaultLanguage. Ranges with q=0,
// malformed ranges and any past the 16th are ignored. With no match the
// answer is DefaultLanguage.
func (b *Bundle) Negotiate(acceptLanguage string) string {
	for _, r := range parseAcceptLanguage(acceptLanguage) {
		if r.tag == "*" {
			return DefaultLanguage
		}
		if lang, ok := b.find(r.tag); ok {
			return lang
		}
	}
	return DefaultLanguage
}

// match resolves a single tag as Negotiate would resolve a header holding
// only that tag.
func (b *Bundle) match(tag string) string {
	if lang, ok := b.find(strings.TrimSpace(tag)); ok {
		return lang
	}
	return DefaultLanguage
}

// find matches tag exactly (ignoring case), then by primary subtag.
func (b *Bundle) find(tag string) (string, bool) {
	if tag == "" {
		return "", false
	}
	for _, lang := range b.langs {
		if strings.EqualFold(lang, tag) {
			return lang, true
		}
	}
	primary, _, _ := strings.Cut(tag, "-")
	for _, lang := range b.langs {
		if p, _, _ := strings.Cut(lang, "-"); strings.EqualFold(p, primary) {
			return lang, true
		}
	}
	return "", false
}

// parseAcceptLanguage returns the acceptable ranges of a header, best
// first.
func parseAcceptLanguage(header string) []langRange {
	var ranges []langRange
	for _, part := range strings.SplitN(header, ",", maxRanges+1) {
		if len(ranges) == maxRanges {
			break
		}
		r, ok := parseRange(part)
		if ok && r.q > 0 {
			ranges = append(ranges, r)
		}
	}
	sort.SliceStable(ranges, func(i, j int) bool { return ranges[i].q > ranges[j].q })
	return ranges
}

// parseRange parses `tag[;q=value]`. The tag must be "*" or letters,
// digits and hyphens of at most 35 characters; q must be within [0, 1].
func parseRange(part string) (langRange, bool) {
	tag, params, _ := strings.Cut(part, ";")
	r := langRange{tag: strings.TrimSpace(tag), q: 1}
	if !validTag(r.tag) {
		return r, false
	}
	params = strings.TrimSpace(params)
	if params == "" {
		return r, true
	}
	name, value, ok := strings.Cut(params, "=")
	if !ok || !strings.EqualFold(strings.TrimSpace(name), "q") {
		return r, false
	}
	q, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
	if err != nil || !(q >= 0 && q <= 1) {
		return r, false
	}
	r.q = q
	return r, true
}

// validTag reports whether tag can be a language range.
func validTag(tag string) bool {
	if tag == "*" {
		return true
	}
	if tag == "" || len(tag) > 35 {
		return false
	}
	for _, c := range tag {
		ok := c == '-' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			(c >= '0' && c <= '9')
		if !ok {
			return false
		}
	}
	return true
}
