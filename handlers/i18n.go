package handlers

import (
	"net/http"
)

// Localizer translates API messages. Keys are the i18n file keys (e.g.
// "errors.forbidden", "validation.minLength"); params fill {{name}}
// placeholders. Translate returns "" when it has no text for key.
type Localizer interface {
	Negotiate(acceptLanguage string) string
	Translate(lang, key string, params map[string]any) string
}

// localizeErrorData returns error data with "message" fields translated
// for the request's Accept-Language, when a Localizer is set and knows
// the key. Validation problems ({field: {rule: {message, key, ...}}}) are
// translated one by one. The data map is copied, never modified.
func (s *Server) localizeErrorData(r *http.Request, data map[string]any) map[string]any {
	if s.deps.Localizer == nil || data == nil {
		return data
	}
	lang := s.deps.Localizer.Negotiate(r.Header.Get("Accept-Language"))
	return localizeMap(s.deps.Localizer, lang, data)
}

func localizeMap(l Localizer, lang string, data map[string]any) map[string]any {
	out := make(map[string]any, len(data))
	for k, v := range data {
		out[k] = v
		if nested, ok := v.(map[string]any); ok {
			out[k] = localizeMap(l, lang, nested)
		}
	}
	if key, ok := data["key"].(string); ok {
		params, _ := data["params"].(map[string]any)
		if text := l.Translate(lang, key, params); text != "" {
			out["message"] = text
		}
	}
	return out
}
