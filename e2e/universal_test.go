package e2e

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/duo-kazoo/duo-kazoo/amqp"
	"github.com/duo-kazoo/duo-kazoo/app/apptest"
)

const (
	clientID     = "DIE2EUNIVERSAL000001"
	clientSecret = "e2e-client-secret-0123456789abcdefghijkl"
	redirectURI  = "https://monster.test/duo/callback"
)

// authorize follows the challenge's authorize URL at the simulator, whose
// scripted user answers at once, and returns the callback's query.
func (w *world) authorize(authorizeURL string) url.Values {
	w.t.Helper()
	hc := *w.sim.HTTPClient()
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := hc.Get(authorizeURL)
	if err != nil {
		w.t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || loc.Query().Get("duo_code") == "" {
		w.t.Fatalf("authorize answered %d with Location %q", resp.StatusCode,
			resp.Header.Get("Location"))
	}
	return loc.Query()
}

func TestUniversalPrompt(t *testing.T) {
	w := newWorld(t)
	w.sim.AddUniversalClient(clientID, clientSecret)
	sub := w.env.KAZOO.Sub.ID
	status, out := w.env.Do(t, http.MethodPut, "/v2/accounts/"+sub+"/duo", w.adminOf(sub),
		map[string]any{"data": map[string]any{"name": "universal", "provider_name": "duo_universal",
			"settings": map[string]any{"client_id": clientID, "client_secret": clientSecret,
				"api_hostname": w.sim.Host(), "redirect_uri": redirectURI,
				"username_source": "username"}}})
	if status != http.StatusCreated {
		t.Fatalf("creating the configuration: %d %s", status, out)
	}
	cfg, _ := apptest.Decode(t, out).Object(t)["id"].(string)
	w.securityConfig(sub, cfg, sub, true, false)

	rep := w.ask(sub, "approve", nil)
	c := challengeOf(t, rep)
	redirect, _ := c["duo_redirect"].(string)
	state, _ := c["duo_state"].(string)
	if rep.Result != amqp.ResultChallenge || c["provider_name"] != "duo_universal" ||
		redirect == "" || state == "" {
		t.Fatalf("challenge: %s %s", rep.Result, rep.MultiFactorRequest)
	}
	callback := w.authorize(redirect)
	if callback.Get("state") != state {
		t.Fatalf("callback state %q, want the issued %q", callback.Get("state"), state)
	}
	answer := func(r *amqp.Request) {
		r.MultiFactorResponse = &amqp.MultiFactorResponse{
			Code: amqp.Secret(callback.Get("duo_code")), State: amqp.Secret(state),
			RedirectURI: redirectURI}
	}
	if rep := w.ask(sub, "approve", answer); rep.Result != amqp.ResultAuthenticated {
		t.Fatalf("code exchange: %s %s", rep.Result, rep.Reason)
	}
	rep = w.ask(sub, "approve", answer)
	if rep.Result != amqp.ResultDenied || rep.Reason != "replayed" {
		t.Fatalf("replayed state: %s %s, want denied replayed", rep.Result, rep.Reason)
	}
	if a := w.failure(sub, rep.AttemptID); a["reason"] != "replayed" || a["status"] != "failed" {
		t.Fatalf("stored attempt %v, want a failed replayed", a)
	}

	t.Run("denied in the prompt", func(t *testing.T) {
		rep := w.ask(sub, "deny", nil)
		c := challengeOf(t, rep)
		cb := w.authorize(c["duo_redirect"].(string))
		rep = w.ask(sub, "deny", func(r *amqp.Request) {
			r.MultiFactorResponse = &amqp.MultiFactorResponse{
				Code: amqp.Secret(cb.Get("duo_code")), State: amqp.Secret(cb.Get("state"))}
		})
		if rep.Result != amqp.ResultDenied || rep.Reason != "user_denied" {
			t.Fatalf("denied prompt: %s %s, want denied user_denied", rep.Result, rep.Reason)
		}
		if a := w.failure(sub, rep.AttemptID); a["reason"] != "user_denied" {
			t.Fatalf("stored reason %v", a["reason"])
		}
	})
}
