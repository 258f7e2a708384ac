package main

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/duo-kazoo/duo-kazoo/seed"
)

func printSeedJSON(w io.Writer, k *seed.KAZOO) error {
	out := map[string]any{}
	for role, a := range map[string]seed.Account{
		"master": k.Master, "reseller": k.Reseller, "sub": k.Sub} {
		out[role] = map[string]any{
			"account_id": a.ID, "name": a.Name,
			"admin": map[string]string{"user_id": a.Admin.ID, "username": a.Admin.Username,
				"token": a.Admin.Token},
			"user": map[string]string{"user_id": a.User.ID, "username": a.User.Username,
				"token": a.User.Token},
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("printing: %w", err)
	}
	return nil
}

func printSeedText(w io.Writer, k *seed.KAZOO, apiURL string) {
	fmt.Fprintln(w, "Demo KAZOO accounts (admin tokens are valid for a day):")
	for _, a := range []struct {
		role string
		acct seed.Account
	}{{"master", k.Master}, {"reseller", k.Reseller}, {"sub-account", k.Sub}} {
		fmt.Fprintf(w, "\n  %s  %s  (account id %s)\n", a.role, a.acct.Name, a.acct.ID)
		fmt.Fprintf(w, "    admin %s token:\n      %s\n", a.acct.Admin.Username, a.acct.Admin.Token)
	}
	sub := k.Sub
	fmt.Fprintf(w, `
Try the API (the sub-account's admin):

  TOKEN=%s
  curl -s -H "X-Auth-Token: $TOKEN" %s/v2/accounts/%s/duo
  curl -s -X PUT -H "X-Auth-Token: $TOKEN" %s/v2/accounts/%s/duo/application_secret_key
  curl -s -X PUT -H "X-Auth-Token: $TOKEN" -H "Content-Type: application/json" \
    %s/v2/accounts/%s/duo -d '{"data": {"name": "TESTING", "provider_name": "duo",
      "settings": {"integration_key": "DIXXXXXXXXXXXXXXXXXX",
        "secret_key": "deadbeefdeadbeefdeadbeefdeadbeefdeadbeef",
        "application_secret_key": "useacustomerprovidedapplicationsecretkey",
        "api_hostname": "api-xxxxxxxx.duosecurity.com"}}}'
`, sub.Admin.Token, apiURL, sub.ID, apiURL, sub.ID, apiURL, sub.ID)
}

func printDuoDemo(w io.Writer, k *seed.KAZOO, configID string) {
	sub := k.Sub
	fmt.Fprintf(w, `
The sub-account logs in with a second factor: configuration %s ("%s")
talks to the Duo simulator, whose users are named after what they do
(approve, deny, fraud, timeout, bypass, locked_out, not_enrolled, manual).
Ask for a second factor the way KAZOO does:

  bin/duo-kazoo mfa --account %s --owner %s --username approve --factor push
  bin/duo-kazoo mfa --account %s --owner %s --username deny --factor push
  bin/duo-kazoo mfa --account %s --owner %s --username approve
`, configID, demoConfigName, sub.ID, sub.Admin.ID, sub.ID, sub.Admin.ID, sub.ID, sub.Admin.ID)
}
