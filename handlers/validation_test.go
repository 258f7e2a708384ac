package handlers_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/duo-kazoo/duo-kazoo/app/apptest"
)

// TestValidationRulesThroughAPI breaks one rule per case, on create (PUT
// /duo) and on update (PATCH /multi_factor/{id}) of a valid stored
// configuration, and expects a 400 naming exactly that field path, rule
// and message key.
func TestValidationRulesThroughAPI(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	acct, admin := e.KAZOO.Sub.ID, e.KAZOO.Sub.Admin.Token
	duoID, _ := create(t, e, acct, admin, duoConfig("RULES DUO"))
	upID, _ := create(t, e, acct, admin, universalConfig("RULES UP"))

	const duo, up = "duo", "duo_universal"
	sealed := "dk1:0a1b2c3d:" + strings.Repeat("A", 27) // 40 characters
	cases := []struct {
		name, provider string
		settings       map[string]any // nil deletes the setting
		path, rule     string
		key            string
	}{
		// duo_universal
		{"client_id missing", up, map[string]any{"client_id": nil},
			"settings.client_id", "required", "validation.required"},
		{"client_id short", up, map[string]any{"client_id": "DI123"},
			"settings.client_id", "minLength", "validation.length"},
		{"client_id long", up, map[string]any{"client_id": testCID + "X"},
			"settings.client_id", "maxLength", "validation.length"},
		{"client_id not a string", up, map[string]any{"client_id": 20},
			"settings.client_id", "type", "validation.type"},
		{"client_secret missing", up, map[string]any{"client_secret": nil},
			"settings.client_secret", "required", "validation.required"},
		{"client_secret short", up, map[string]any{"client_secret": testCSec[:39]},
			"settings.client_secret", "minLength", "validation.length"},
		{"client_secret with a space", up, map[string]any{"client_secret": testCSec[:39] + " "},
			"settings.client_secret", "pattern", "validation.pattern.key_chars"},
		{"client_secret sealed prefix", up, map[string]any{"client_secret": sealed},
			"settings.client_secret", "pattern", "validation.pattern.sealed"},
		{"redirect_uri missing", up, map[string]any{"redirect_uri": nil},
			"settings.redirect_uri", "required", "validation.required"},
		{"redirect_uri http", up, map[string]any{"redirect_uri": "http://monster.example/cb"},
			"settings.redirect_uri", "format", "validation.uri.https"},
		{"redirect_uri fragment", up, map[string]any{"redirect_uri": "https://m.example/cb#x"},
			"settings.redirect_uri", "format", "validation.uri.fragment"},
		{"redirect_uri relative", up, map[string]any{"redirect_uri": "/duo/callback"},
			"settings.redirect_uri", "format", "validation.uri"},
		{"redirect_uri too long", up,
			map[string]any{"redirect_uri": "https://m.example/" + strings.Repeat("p", 2048)},
			"settings.redirect_uri", "maxLength", "validation.maxLength"},
		{"universal api_hostname missing", up, map[string]any{"api_hostname": nil},
			"settings.api_hostname", "required", "validation.required"},
		{"universal api_hostname with scheme", up,
			map[string]any{"api_hostname": "https://" + testHost},
			"settings.api_hostname", "format", "validation.hostname.scheme"},

		// duo secrets
		{"secret_key sealed prefix", duo, map[string]any{"secret_key": sealed},
			"settings.secret_key", "pattern", "validation.pattern.sealed"},
		{"application_secret_key sealed prefix", duo,
			map[string]any{"application_secret_key": "dk1:" + testAKey},
			"settings.application_secret_key", "pattern", "validation.pattern.sealed"},

		// expiry bounds
		{"duo_expire below", duo, map[string]any{"duo_expire": 59},
			"settings.duo_expire", "minimum", "validation.minimum"},
		{"duo_expire above", duo, map[string]any{"duo_expire": 3601},
			"settings.duo_expire", "maximum", "validation.maximum"},
		{"duo_expire fraction", duo, map[string]any{"duo_expire": 300.5},
			"settings.duo_expire", "type", "validation.type"},
		{"duo_expire string", duo, map[string]any{"duo_expire": "300"},
			"settings.duo_expire", "type", "validation.type"},
		{"app_expire below", duo, map[string]any{"app_expire": 59},
			"settings.app_expire", "minimum", "validation.minimum"},
		{"app_expire above", duo, map[string]any{"app_expire": 86401},
			"settings.app_expire", "maximum", "validation.maximum"},

		// failmode
		{"failmode unknown", duo, map[string]any{"failmode": "open"},
			"settings.failmode", "enum", "validation.enum"},
		{"failmode wrong case", up, map[string]any{"failmode": "SAFE"},
			"settings.failmode", "enum", "validation.enum"},
		{"failmode not a string", duo, map[string]any{"failmode": true},
			"settings.failmode", "type", "validation.type"},

		// factors
		{"factors not an array", duo, map[string]any{"factors": "push"},
			"settings.factors", "type", "validation.type"},
		{"factors empty", duo, map[string]any{"factors": []any{}},
			"settings.factors", "minItems", "validation.minItems"},
		{"factors unknown", up, map[string]any{"factors": []any{"push", "email"}},
			"settings.factors.1", "enum", "validation.enum"},
		{"factors item not a string", duo, map[string]any{"factors": []any{7}},
			"settings.factors.0", "type", "validation.type"},
		{"factors twice", duo, map[string]any{"factors": []any{"sms", "push", "sms"}},
			"settings.factors", "uniqueItems", "validation.uniqueItems"},

		// username_source
		{"username_source unknown", duo, map[string]any{"username_source": "phone"},
			"settings.username_source", "enum", "validation.enum"},
		{"username_source not a string", up, map[string]any{"username_source": 1},
			"settings.username_source", "type", "validation.type"},

		// lockout
		{"lockout not an object", duo, map[string]any{"lockout": 5},
			"settings.lockout", "type", "validation.type"},
		{"lockout max_failures below", duo, map[string]any{"lockout": map[string]any{
			"max_failures": 0}}, "settings.lockout.max_failures", "minimum", "validation.minimum"},
		{"lockout max_failures above", up, map[string]any{"lockout": map[string]any{
			"max_failures": 101}}, "settings.lockout.max_failures", "maximum", "validation.maximum"},
		{"lockout window_s below", duo, map[string]any{"lockout": map[string]any{
			"window_s": 59}}, "settings.lockout.window_s", "minimum", "validation.minimum"},
		{"lockout window_s string", duo, map[string]any{"lockout": map[string]any{
			"window_s": "900"}}, "settings.lockout.window_s", "type", "validation.type"},
		{"lockout duration_s above", duo, map[string]any{"lockout": map[string]any{
			"duration_s": 604801}}, "settings.lockout.duration_s", "maximum", "validation.maximum"},
	}
	t.Run("rules", func(t *testing.T) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel() // every write is refused: nothing is shared
				body, id := duoConfig(tc.name), duoID
				if tc.provider == up {
					body, id = universalConfig(tc.name), upID
				}
				status, out := e.Do(t, http.MethodPut, accountPath(acct)+"/duo", admin,
					withSettings(body, tc.settings))
				wantOnlyProblem(t, status, out, tc.path, tc.rule, tc.key)

				status, out = e.Do(t, http.MethodPatch, accountPath(acct)+"/multi_factor/"+id,
					admin, data(map[string]any{"settings": tc.settings}))
				wantOnlyProblem(t, status, out, tc.path, tc.rule, tc.key)
			})
		}
	})

	// None of the refused writes was stored.
	status, out := e.Do(t, http.MethodGet, accountPath(acct)+"/duo", admin, nil)
	if list := apptest.Decode(t, out).List(t); status != http.StatusOK || len(list) != 2 {
		t.Fatalf("after refused writes the account lists %d configurations, want 2: %s",
			len(list), out)
	}
}

// TestSealedLookingSecretRefused: a client secret that starts like a
// sealed value is a 400 on every write route, never a 500, and its
// message is translated.
func TestSealedLookingSecretRefused(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	acct, admin := e.KAZOO.Sub.ID, e.KAZOO.Sub.Admin.Token
	id, _ := create(t, e, acct, admin, duoConfig("SEALED"))
	sealed := "dk1:0a1b2c3d:" + strings.Repeat("A", 27)
	bad := withSettings(duoConfig("SEALED"), map[string]any{"secret_key": sealed})

	for _, req := range []struct {
		method, path string
		body         any
	}{
		{http.MethodPut, "/duo", withSettings(duoConfig("OTHER"), map[string]any{"secret_key": sealed})},
		{http.MethodPut, "/multi_factor", withSettings(duoConfig("OTHER"),
			map[string]any{"secret_key": sealed})},
		{http.MethodPost, "/duo/" + id, bad},
		{http.MethodPatch, "/duo/" + id, bad},
		{http.MethodPost, "/multi_factor/" + id, bad},
		{http.MethodPatch, "/multi_factor/" + id,
			data(map[string]any{"settings": map[string]any{"secret_key": sealed}})},
	} {
		status, out := e.Do(t, req.method, accountPath(acct)+req.path, admin, req.body)
		wantOnlyProblem(t, status, out, "settings.secret_key", "pattern",
			"validation.pattern.sealed")
	}

	status, out := e.DoHeaders(t, http.MethodPatch, accountPath(acct)+"/duo/"+id, admin, bad,
		map[string]string{"Accept-Language": "fr-FR"})
	fr := problemsOf(t, status, out)["settings.secret_key"]["pattern"]["message"]
	if msg, _ := fr.(string); msg == "" || strings.Contains(msg, "must be") {
		t.Fatalf("French message = %q, want a translation", msg)
	}

	// The stored secret is untouched.
	cfg, err := e.App.Configs().Load(t.Context(), acct, id)
	if err != nil || cfg.SecretKey.Reveal() != testSKey {
		t.Fatalf("stored secret after refused writes: %v", err)
	}
}
