package browsertest

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/duo-kazoo/duo-kazoo/app/apptest"
	"github.com/duo-kazoo/duo-kazoo/provider"
)

// stored loads a configuration as the service reads it, secrets revealed.
func (s *session) stored(id string) provider.Config {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cfg, err := s.env.App.Configs().Load(ctx, s.env.KAZOO.Sub.ID, id)
	if err != nil {
		s.t.Fatalf("loading configuration %s: %v", id, err)
	}
	return cfg
}

// configs lists the sub-account's configurations through the API.
func (s *session) configs() []map[string]any {
	s.t.Helper()
	return s.api(http.MethodGet, "", nil, http.StatusOK).List(s.t)
}

// selectedConfigID is the id the Name selector shows.
func (s *session) selectedConfigID() string {
	s.t.Helper()
	return s.value(selSelector)
}

// pageHolds reports whether the page's markup or any field's value holds
// text anywhere.
func (s *session) pageHolds(text string) bool {
	s.t.Helper()
	return eval[bool](s.tab, `document.documentElement.outerHTML.includes(`+js(text)+`) || `+
		`Array.prototype.some.call(document.querySelectorAll('input, textarea'), `+
		`function(el) { return el.value.includes(`+js(text)+`); })`)
}

func TestSettingsCreateWithGeneratedKey(t *testing.T) {
	s := openApp(t, apptest.Options{}, "en-US")
	if got := s.text(selFormTitle); got != "New configuration" {
		t.Errorf("heading: got %q, want New configuration", got)
	}
	if got := eval[bool](s.tab, `document.querySelector('[data-action=test]').disabled`); !got {
		t.Error("Test connection is enabled for an unsaved configuration")
	}

	s.fill(selName, "Main office")
	s.click("[data-action=generate]")
	s.waitFor("a generated key", `document.querySelector(`+js(selAppKey)+`).value.length >= 40`,
		`document.querySelector(`+js(selAppKey)+`).value`)
	key := s.value(selAppKey)
	if typ := eval[string](s.tab, `document.querySelector(`+js(selAppKey)+`).type`); typ != "text" {
		t.Errorf("generated key field has type %q, want text (shown once)", typ)
	}
	s.waitVisible("[data-action=copy]")
	s.waitVisible("[data-role=generated-note]")

	s.fill(selIKey, testIKey)
	s.fill(selSKey, testSKey)
	s.fill(selHost, testHost)
	s.click(selSave)
	s.waitText(selStatus, "Configuration “Main office” created.")
	s.waitText(selFormTitle, "Configuration “Main office”")

	list := s.configs()
	if len(list) != 1 || list[0]["name"] != "Main office" {
		t.Fatalf("configurations: got %v, want Main office only", list)
	}
	id := list[0]["id"].(string)
	if got := s.selectedConfigID(); got != id {
		t.Errorf("selector shows %q, want the new %q", got, id)
	}
	cfg := s.stored(id)
	if cfg.ApplicationSecretKey.Reveal() != key {
		t.Error("the stored application secret key is not the generated one")
	}
	if cfg.IntegrationKey != testIKey || cfg.SecretKey.Reveal() != testSKey ||
		cfg.APIHostname != testHost {
		t.Errorf("stored %s / %s, want the typed values", cfg.IntegrationKey, cfg.APIHostname)
	}
	if s.pageHolds(key) || s.pageHolds(testSKey) {
		t.Error("a secret is still on the page after saving")
	}
	s.waitText("#duo-s-application_secret_key", "A value is stored")
}

// The example values of the quick start guide
// (shared/reference/quick-start-guide.txt), typed as a customer would.
// Only the application secret key is acceptable: Duo's integration keys
// have 20 characters, its secret keys 40, and "jdkfl" is no host name.
const (
	guideName   = "TESTING"
	guideAppKey = "bn7HP3YBVUJgF58CHXxbWM8E9j46564d8P2huCB3"
	guideIKey   = "4kdLathyppdElkafetu9loppjhdgf"
	guideSKey   = "4889704gShoapqktmogrrt!!!"
	guideHost   = "jdkfl"
)

func TestSettingsQuickStartValuesRejected(t *testing.T) {
	s := openApp(t, apptest.Options{}, "en-US")
	s.fill(selName, guideName)
	s.fill(selAppKey, guideAppKey)
	s.fill(selIKey, guideIKey)
	s.fill(selSKey, guideSKey)
	s.fill(selHost, guideHost)
	s.click(selSave)
	s.waitText(selAlert, "Some fields need attention.")

	wrong := []struct {
		name, path, input, want string
	}{
		{"integration key", "settings.integration_key", selIKey, "exactly 20 characters"},
		{"secret key", "settings.secret_key", selSKey, "exactly 40 characters"},
		{"API hostname", "settings.api_hostname", selHost, "fully qualified host name"},
	}
	for _, tt := range wrong {
		t.Run(tt.name, func(t *testing.T) {
			s := s.on(t)
			s.waitText(errorFor(tt.path), tt.want)
			if !eval[bool](s.tab, `!document.querySelector(`+js(errorFor(tt.path))+`).hidden`) {
				t.Error("the message is hidden")
			}
			invalid := eval[string](s.tab, `document.querySelector(`+js(tt.input)+
				`).getAttribute('aria-invalid') || ''`)
			if invalid != "true" {
				t.Errorf("got aria-invalid %q, want true", invalid)
			}
			described := eval[bool](s.tab, `document.querySelector(`+js(tt.input)+
				`).getAttribute('aria-describedby').split(' ').indexOf(document.querySelector(`+
				js(errorFor(tt.path))+`).id) >= 0`)
			if !described {
				t.Error("the input's aria-describedby does not name its message")
			}
		})
	}

	right := []struct {
		name, path, input string
	}{
		{"name", "name", selName},
		{"application secret key", "settings.application_secret_key", selAppKey},
	}
	for _, tt := range right {
		t.Run(tt.name+" accepted", func(t *testing.T) {
			s := s.on(t)
			if got := s.text(errorFor(tt.path)); got != "" {
				t.Errorf("got message %q, want none (the guide's value is valid)", got)
			}
			if !eval[bool](s.tab, `document.querySelector(`+js(errorFor(tt.path))+`).hidden`) {
				t.Error("the message box is shown")
			}
			invalid := eval[string](s.tab, `document.querySelector(`+js(tt.input)+
				`).getAttribute('aria-invalid') || ''`)
			if invalid != "" {
				t.Errorf("got aria-invalid %q, want none", invalid)
			}
		})
	}

	if got := s.value(selAppKey); got != guideAppKey {
		t.Errorf("application secret key field: got %q, want the typed key kept", got)
	}
	if !eval[bool](s.tab, `document.activeElement.matches(`+js(selIKey)+`)`) {
		t.Errorf("focus is on %s, want the first field in error (%s)",
			eval[string](s.tab, focused), selIKey)
	}
	if n := len(s.configs()); n != 0 {
		t.Errorf("got %d configurations stored, want none", n)
	}
}

func TestSettingsEditKeepsSecretsHidden(t *testing.T) {
	s := openApp(t, apptest.Options{}, "en-US")
	id := s.createConfig(duoConfig("Branch", testIKey, testSKey, testHost))
	s.load()
	s.waitText(selFormTitle, "Configuration “Branch”")

	for _, sel := range []string{selSKey, selAppKey} {
		if v := s.value(sel); v != "" {
			t.Errorf("%s shows %q, want an empty write-only field", sel, v)
		}
		if p := eval[string](s.tab, `document.querySelector(`+js(sel)+`).placeholder`); p == "" {
			t.Errorf("%s has no placeholder saying a value is stored", sel)
		}
	}
	if s.pageHolds(testSKey) || s.pageHolds(testAppKey) {
		t.Fatal("a stored secret is on the page")
	}

	factor := `input[name="settings.factors"][value=sms]`
	if !eval[bool](s.tab, `document.querySelector(`+js(factor)+`).checked`) {
		t.Error("sms is not shown as a factor, yet a document without factors allows all")
	}
	s.fill(selName, "Branch office")
	s.fill(selHost, "api-9z8y7x6w.duosecurity.com")
	s.choose("#duo-f-failmode", "safe")
	s.click(factor)
	s.click(selSave)
	s.waitText(selStatus, "Configuration “Branch office” saved.")

	s.load()
	s.waitText(selFormTitle, "Configuration “Branch office”")
	if got := s.value(selHost); got != "api-9z8y7x6w.duosecurity.com" {
		t.Errorf("host after reload: got %q", got)
	}
	if got := s.value("#duo-f-failmode"); got != "safe" {
		t.Errorf("failmode after reload: got %q, want safe", got)
	}
	if eval[bool](s.tab, `document.querySelector(`+js(factor)+`).checked`) {
		t.Error("sms is still a factor after reload")
	}
	if s.pageHolds(testSKey) || s.pageHolds(testAppKey) {
		t.Error("a stored secret is on the page after reload")
	}
	cfg := s.stored(id)
	if want := []string{"push", "phone", "passcode"}; !slices.Equal(cfg.Factors, want) {
		t.Errorf("stored factors %v, want %v", cfg.Factors, want)
	}
	if cfg.SecretKey.Reveal() != testSKey || cfg.ApplicationSecretKey.Reveal() != testAppKey {
		t.Error("saving with empty secret fields changed the stored secrets")
	}

	newSecret := strings.Repeat("k", 40)
	s.fill(selSKey, newSecret)
	s.click(selSave)
	s.waitText(selStatus, "saved.")
	if got := s.stored(id).SecretKey.Reveal(); got != newSecret {
		t.Error("a typed secret key did not replace the stored one")
	}
	if s.pageHolds(newSecret) {
		t.Error("the new secret is on the page after saving")
	}
}

func TestSettingsDeleteAsksFirst(t *testing.T) {
	s := openApp(t, apptest.Options{}, "en-US")
	alpha := s.createConfig(duoConfig("Alpha", testIKey, testSKey, testHost))
	s.createConfig(duoConfig("Beta", testIKey, testSKey, testHost))
	s.load()
	s.waitText(selFormTitle, "Configuration “Alpha”")

	s.click("[data-action=delete]")
	s.waitVisible("dialog[open]")
	s.waitText("dialog[open] #duo-confirm-text", "Delete “Alpha”?")
	s.click(`dialog[open] button[value=cancel]`)
	s.waitFor("the dialog to close", `!document.querySelector('dialog')`, "")
	if n := len(s.configs()); n != 2 {
		t.Fatalf("got %d configurations after Cancel, want 2", n)
	}

	s.click("[data-action=delete]")
	s.waitVisible("dialog[open]")
	s.click(`dialog[open] button[value=confirm]`)
	s.waitText(selStatus, "Configuration “Alpha” deleted.")
	s.waitText(selFormTitle, "Configuration “Beta”")
	list := s.configs()
	if len(list) != 1 || list[0]["id"] == alpha {
		t.Errorf("configurations after delete: got %v, want Beta only", list)
	}
	if n := s.count(selSelector + " option"); n != 2 {
		t.Errorf("selector has %d options, want Beta and New configuration", n)
	}
}
