package browsertest

import (
	"net/http"
	"strings"
	"testing"

	"github.com/duo-kazoo/duo-kazoo/app/apptest"
)

// quickStart is the configuration of the quick start guide's example:
// values shaped nothing like Duo's.
var quickStart = map[string]any{"name": guideName, "enabled": true, "provider_name": "duo",
	"settings": map[string]any{
		"integration_key":        guideIKey,
		"secret_key":             guideSKey,
		"application_secret_key": guideAppKey,
		"api_hostname":           guideHost,
	}}

// TestAPIValidationLocalised checks at the HTTP level that the API's
// validation and error messages follow Accept-Language.
func TestAPIValidationLocalised(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	path := "/v2/accounts/" + env.KAZOO.Sub.ID + "/duo"
	body := map[string]any{"data": quickStart}

	tests := []struct {
		lang, ikey, host, noToken string
	}{
		{"en-US", "Must be exactly 20 characters long.",
			"Must be a fully qualified host name such as",
			"No auth token was sent."},
		{"fr-FR", "Doit compter exactement 20 caractères.",
			"Doit être un nom d'hôte complet,",
			"Aucun jeton d'authentification n'a été envoyé."},
		{"fr-CA,fr;q=0.9,en;q=0.5", "Doit compter exactement 20 caractères.",
			"Doit être un nom d'hôte complet", "Aucun jeton"},
		{"es-ES", "Debe tener exactamente 20 caracteres.",
			"Debe ser un nombre de host completo, como",
			"No se ha enviado ningún token de autenticación."},
		{"de-DE", "Must be exactly 20 characters long.", "Must be a fully qualified",
			"No auth token was sent."},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			headers := map[string]string{"Accept-Language": tt.lang}
			code, out := env.DoHeaders(t, http.MethodPut, path, env.KAZOO.Sub.Admin.Token, body,
				headers)
			if code != http.StatusBadRequest {
				t.Fatalf("got status %d, want 400: %s", code, out)
			}
			problems := apptest.Decode(t, out).Object(t)
			for field, want := range map[string]string{
				"settings.integration_key": tt.ikey, "settings.api_hostname": tt.host,
			} {
				msg := problemMessage(problems, field)
				if !strings.Contains(msg, want) {
					t.Errorf("%s: got %q, want it to contain %q", field, msg, want)
				}
				if strings.Contains(msg, "{{") {
					t.Errorf("%s: placeholder left in %q", field, msg)
				}
				if field == "settings.api_hostname" &&
					!strings.Contains(msg, "api-XXXXXXXX.duosecurity.com") {
					t.Errorf("%s: %q lacks the example host", field, msg)
				}
			}

			code, out = env.DoHeaders(t, http.MethodGet, path, "", nil, headers)
			if code != http.StatusUnauthorized {
				t.Fatalf("without a token: got status %d, want 401", code)
			}
			data := apptest.Decode(t, out).Object(t)
			if msg, _ := data["message"].(string); !strings.Contains(msg, tt.noToken) {
				t.Errorf("without a token: got %q, want %q", msg, tt.noToken)
			}
		})
	}
}

// problemMessage is the message of the first rule broken at field.
func problemMessage(problems map[string]any, field string) string {
	rules, _ := problems[field].(map[string]any)
	for _, p := range rules {
		if m, ok := p.(map[string]any); ok {
			s, _ := m["message"].(string)
			return s
		}
	}
	return ""
}

func TestLanguageSwitch(t *testing.T) {
	s := openApp(t, apptest.Options{}, "en-US")
	if got := s.text(selTabSet); got != "Settings" {
		t.Fatalf("tab: got %q, want Settings", got)
	}

	s.reloads("switching to French", func() {
		s.choose(".duo-page__header [data-role=language]", "fr-FR")
	})
	s.waitText(selTabSet, "Paramètres")
	s.waitVisible(selName)
	s.settled()
	if got := eval[string](s.tab, `document.documentElement.lang`); got != "fr-FR" {
		t.Errorf("html lang: got %q, want fr-FR", got)
	}
	if got := eval[string](s.tab, `document.title`); got != "Intégration Duo" {
		t.Errorf("title: got %q, want Intégration Duo", got)
	}
	if got := s.text(selTabLogs); got != "Journal des échecs" {
		t.Errorf("tab: got %q, want Journal des échecs", got)
	}

	s.fill(selName, guideName)
	s.fill(selIKey, guideIKey)
	s.fill(selHost, guideHost)
	s.click(selSave)
	s.waitText(selAlert, "Certains champs sont à corriger.")
	s.waitText(errorFor("settings.integration_key"), "Doit compter exactement 20 caractères.")
	s.waitText(errorFor("settings.api_hostname"), "Doit être un nom d'hôte complet")

	s.openLogs()
	s.wantRows(1, "Aucun résultat.")

	s.reloads("switching to Spanish", func() {
		s.choose(".duo-page__header [data-role=language]", "es-ES")
	})
	s.waitText(selTabSet, "Ajustes")
	if got := eval[string](s.tab, `document.documentElement.lang`); got != "es-ES" {
		t.Errorf("html lang: got %q, want es-ES", got)
	}
}
