package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/duo-kazoo/duo-kazoo/configstore"
	"github.com/duo-kazoo/duo-kazoo/couch"
	"github.com/duo-kazoo/duo-kazoo/duosim"
	"github.com/duo-kazoo/duo-kazoo/secrets"
	"github.com/duo-kazoo/duo-kazoo/seed"
)

// demoConfigName names the demo's Duo configuration; finding it by name
// keeps demo-seed rerunnable.
const demoConfigName = "Demo (Duo simulator)"

// seedDemoDuo gives the demo sub-account a Duo configuration pointing at
// the simulator (its public demo keys) and turns on the second factor for
// cb_user_auth logins to it, the way KAZOO's Authentication app would
// (configs_crossbar.auth). It returns the configuration id.
func seedDemoDuo(ctx context.Context, c *couch.Client, k *seed.KAZOO, keyFile, duoHost string) (
	string, error) {
	ring, err := secrets.LoadKeyFile(keyFile)
	if err != nil {
		return "", fmt.Errorf("loading the secrets key file: %w", err)
	}
	store := configstore.New(c, ring)
	acct := k.Sub.ID
	id, err := findConfig(ctx, store, acct)
	if err != nil {
		return "", err
	}
	data, _ := json.Marshal(map[string]any{
		"name": demoConfigName, "enabled": true, "provider_name": "duo",
		"settings": map[string]any{
			"integration_key": duosim.DemoIKey, "secret_key": duosim.DemoSKey,
			"application_secret_key": "demo-application-secret-key-for-the-duo-simulator",
			"api_hostname":           duoHost,
			"username_source":        "username",
			"failmode":               "secure",
		},
	})
	if id != "" {
		_, _, err := store.Replace(ctx, acct, id, "", data)
		switch {
		case err == nil:
			return id, enableMFA(ctx, c, acct, id)
		case !errors.Is(err, secrets.ErrUnknownKey):
			return "", fmt.Errorf("updating the demo Duo configuration: %w", err)
		}
		// Sealed under another key file (a checkout's .run was removed
		// while the database was kept): the demo's own document, so
		// replace it rather than fail.
		if _, _, err := store.Delete(ctx, acct, id, ""); err != nil {
			return "", fmt.Errorf("replacing the demo Duo configuration sealed under another key: %w", err)
		}
	}
	view, _, err := store.Create(ctx, acct, data)
	if err != nil {
		return "", fmt.Errorf("creating the demo Duo configuration: %w", err)
	}
	id, _ = view["id"].(string)
	return id, enableMFA(ctx, c, acct, id)
}

func findConfig(ctx context.Context, store *configstore.Store, acct string) (string, error) {
	list, err := store.List(ctx, acct)
	if err != nil {
		return "", fmt.Errorf("listing configurations: %w", err)
	}
	for _, p := range list {
		if p.Name == demoConfigName {
			return p.ID, nil
		}
	}
	return "", nil
}

// enableMFA writes the account's configs_crossbar.auth: cb_user_auth
// logins need the configuration's second factor.
func enableMFA(ctx context.Context, c *couch.Client, acct, configID string) error {
	db, err := couch.AccountDB(acct)
	if err != nil {
		return err
	}
	doc := couch.Doc{"_id": couch.AuthConfigDocID, "pvt_type": "account_config"}
	if stored, err := c.Get(ctx, db, couch.AuthConfigDocID); err == nil {
		doc = stored
	} else if !errors.Is(err, couch.ErrNotFound) {
		return err
	}
	doc["auth_modules"] = map[string]any{
		"cb_user_auth": map[string]any{
			"enabled": true,
			"multi_factor": map[string]any{
				"enabled": true, "configuration_id": configID, "account_id": acct,
				"include_subaccounts": false,
			},
		},
	}
	c.Touch(doc)
	if _, err := c.Put(ctx, db, doc); err != nil {
		return fmt.Errorf("writing %s: %w", couch.AuthConfigDocID, err)
	}
	return nil
}
