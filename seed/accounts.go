package seed

import (
	"context"
	"crypto/rand"
	"strings"

	"github.com/duo-kazoo/duo-kazoo/couch"
)

var randReader = rand.Reader

// seedAccount writes the account (accounts db and its own db) and its two
// users.
func seedAccount(ctx context.Context, c *couch.Client, ids ids, a *Account) error {
	db, err := couch.AccountDB(a.ID)
	if err != nil {
		return err
	}
	encoded, _ := couch.EncodedAccountDB(a.ID)
	if err := c.CreateDB(ctx, db); err != nil {
		return err
	}
	a.accountKey = ids.secret("account " + a.ID)
	tree := make([]any, len(a.Tree))
	for i, t := range a.Tree {
		tree[i] = t
	}
	for _, target := range []string{couch.AccountsDB, db} {
		if err := putOrKeep(ctx, c, target, couch.Doc{
			"_id": a.ID, "name": a.Name, "realm": slug(a.Name) + ".kazoo.test",
			"pvt_type": "account", "pvt_tree": tree, "pvt_account_id": a.ID,
			"pvt_account_db": encoded, "pvt_vsn": "1", "pvt_enabled": true,
			"pvt_signature_secret": a.accountKey,
		}); err != nil {
			return err
		}
	}
	short := slug(a.Name)
	a.Admin = User{ID: ids.id("admin " + a.ID), Username: "admin@" + short,
		Email: "admin@" + short + ".kazoo.test", PrivLevel: "admin",
		Secret: ids.secret("admin " + a.ID)}
	a.User = User{ID: ids.id("user " + a.ID), Username: "user@" + short,
		Email: "user@" + short + ".kazoo.test", PrivLevel: "user",
		Secret: ids.secret("user " + a.ID)}
	for _, u := range []User{a.Admin, a.User} {
		if err := putOrKeep(ctx, c, db, couch.Doc{
			"_id": u.ID, "pvt_type": "user", "username": u.Username, "email": u.Email,
			"first_name": strings.SplitN(u.Username, "@", 2)[0], "last_name": a.Name,
			"priv_level": u.PrivLevel, "enabled": true, "pvt_signature_secret": u.Secret,
			"pvt_account_id": a.ID, "pvt_account_db": encoded, "pvt_vsn": "1",
		}); err != nil {
			return err
		}
	}
	return nil
}

// slug lowercases a name and keeps letters and digits, joined by dashes.
func slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}
