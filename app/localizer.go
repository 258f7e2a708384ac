package app

import (
	"fmt"

	"github.com/duo-kazoo/duo-kazoo/handlers"
	"github.com/duo-kazoo/duo-kazoo/i18n"
)

// localizer adapts the i18n bundle (the UI's translation files) to the
// API's error messages.
type localizer struct{ b *i18n.Bundle }

var _ handlers.Localizer = localizer{}

func (l localizer) Negotiate(acceptLanguage string) string {
	return l.b.Negotiate(acceptLanguage)
}

// Translate returns the text for key in lang, or "" when no language file
// has it (Lookup then answers with the key itself).
func (l localizer) Translate(lang, key string, params map[string]any) string {
	p := make(map[string]string, len(params))
	for k, v := range params {
		p[k] = fmt.Sprint(v)
	}
	text := l.b.Lookup(lang, key, p)
	if text == key {
		return ""
	}
	return text
}
