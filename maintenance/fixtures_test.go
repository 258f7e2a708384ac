package maintenance_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"testing"
	"time"

	"github.com/duo-kazoo/duo-kazoo/couch"
	"github.com/duo-kazoo/duo-kazoo/maintenance/couchtest"
	"github.com/duo-kazoo/duo-kazoo/secrets"
	"github.com/duo-kazoo/duo-kazoo/seed"
)

// kazoo is a private server seeded with a KAZOO whose provider documents
// were written the way stock KAZOO's crossbar writes them: plaintext
// secrets, KAZOO's fields only, plus a field this module does not know.
type kazoo struct {
	couch *couch.Client
	k     *seed.KAZOO
	// docs are the provider documents written, by id, as written (with
	// their account id in pvt_account_id).
	docs map[string]couch.Doc
	// valid and invalid list the ids of documents that pass validation and
	// of the one that does not.
	valid   []string
	invalid string
	// missing is an account whose database does not exist.
	missing string
}

func newID() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

func ctxFor(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

func newKazoo(t *testing.T) *kazoo {
	t.Helper()
	srv := couchtest.Start(t)
	c, err := couch.Open(srv.URL, couch.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	ctx := ctxFor(t)
	k, err := seed.Seed(ctx, c, seed.Options{TokenLifetime: time.Hour})
	if err != nil {
		t.Fatalf("seeding: %v", err)
	}
	kz := &kazoo{couch: c, k: k, docs: map[string]couch.Doc{}}
	for i, acct := range []string{k.Sub.ID, k.Sub.ID, k.Reseller.ID, k.Master.ID} {
		id := kz.writeStock(t, acct, fmt.Sprintf("Duo %d", i), stockDuoSettings(i))
		kz.valid = append(kz.valid, id)
	}
	kz.invalid = kz.writeStock(t, k.Master.ID, "Quick start", map[string]any{
		"integration_key": "DIWJ8X6AEYOR5OMC6TQ1",
		"secret_key":      "Zh5eGmUq9zpfQnyUIu5OL9iWoMMv5ZNmk3zLJ4Ep",
		"api_hostname":    "jdkfl", // as in the quick-start guide: not a host name
	})
	// A soft-deleted provider and a document of another type are not
	// providers to visit.
	deleted := kz.writeStock(t, k.Reseller.ID, "Old", stockDuoSettings(9))
	kz.update(t, k.Reseller.ID, deleted, func(d couch.Doc) { d["pvt_deleted"] = true })
	delete(kz.docs, deleted)
	db, _ := couch.AccountDB(k.Sub.ID)
	if _, err := c.Put(ctx, db, couch.Doc{"_id": newID(), "pvt_type": "device",
		"name": "desk phone", "settings": map[string]any{"secret_key": "not a provider"}}); err != nil {
		t.Fatal(err)
	}
	kz.missing = newID()
	if _, err := c.Put(ctx, couch.AccountsDB, couch.Doc{"_id": kz.missing,
		"pvt_type": "account", "name": "no database"}); err != nil {
		t.Fatal(err)
	}
	return kz
}

// stockDuoSettings are Web SDK settings with distinct secrets per i.
func stockDuoSettings(i int) map[string]any {
	return map[string]any{
		"integration_key":        fmt.Sprintf("DIWJ8X6AEYOR5OMC6T%02d", i),
		"secret_key":             fmt.Sprintf("Zh5eGmUq9zpfQnyUIu5OL9iWoMMv5ZNmk3zLJ4%02d", i),
		"application_secret_key": fmt.Sprintf("useacustomerprovidedapplicationsecretkey01%02d", i),
		"api_hostname":           "api-4f1c2a9e.duosecurity.com",
		"duo_expire":             300,
		"app_expire":             3600,
	}
}

// writeStock writes a provider document as KAZOO's crossbar does.
func (kz *kazoo) writeStock(t *testing.T, accountID, name string,
	settings map[string]any) string {
	t.Helper()
	db, _ := couch.AccountDB(accountID)
	encoded, _ := couch.EncodedAccountDB(accountID)
	now := couch.Gregorian(time.Now())
	doc := couch.Doc{
		"_id": newID(), "name": name, "enabled": true, "provider_name": "duo",
		"settings": settings, "pvt_type": "provider", "pvt_provider_type": "multi_factor",
		"pvt_account_id": accountID, "pvt_account_db": encoded, "pvt_vsn": "1",
		"pvt_created": now, "pvt_modified": now, "custom_field": "kept",
	}
	if _, err := kz.couch.Put(ctxFor(t), db, doc); err != nil {
		t.Fatalf("writing provider: %v", err)
	}
	stored := kz.get(t, accountID, doc["_id"].(string))
	kz.docs[doc["_id"].(string)] = stored
	return doc["_id"].(string)
}

func (kz *kazoo) get(t *testing.T, accountID, id string) couch.Doc {
	t.Helper()
	db, _ := couch.AccountDB(accountID)
	doc, err := kz.couch.Get(ctxFor(t), db, id)
	if err != nil {
		t.Fatalf("reading %s: %v", id, err)
	}
	return doc
}

func (kz *kazoo) update(t *testing.T, accountID, id string, change func(couch.Doc)) {
	t.Helper()
	db, _ := couch.AccountDB(accountID)
	doc := kz.get(t, accountID, id)
	change(doc)
	if _, err := kz.couch.Put(ctxFor(t), db, doc); err != nil {
		t.Fatalf("updating %s: %v", id, err)
	}
}

// current reads every written document as stored now.
func (kz *kazoo) current(t *testing.T) map[string]couch.Doc {
	t.Helper()
	out := map[string]couch.Doc{}
	for id, d := range kz.docs {
		out[id] = kz.get(t, d["pvt_account_id"].(string), id)
	}
	return out
}

func keyring(t *testing.T, n int) (*secrets.Keyring, [][]byte) {
	t.Helper()
	keys := make([][]byte, n)
	for i := range keys {
		k, err := secrets.GenerateKey()
		if err != nil {
			t.Fatal(err)
		}
		keys[i] = k
	}
	ring, err := secrets.NewKeyring(keys[0], keys[1:]...)
	if err != nil {
		t.Fatal(err)
	}
	return ring, keys
}

func settingsOf(d couch.Doc) map[string]any {
	s, _ := d["settings"].(map[string]any)
	return s
}
