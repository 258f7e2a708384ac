package couch_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/duo-kazoo/duo-kazoo/couch"
	"github.com/duo-kazoo/duo-kazoo/internal/testenv"
)

func open(t *testing.T, opts couch.Options) *couch.Client {
	t.Helper()
	c, err := couch.Open(testenv.CouchURL(t), opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	if err := c.Ping(context.Background()); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	return c
}

// newAccount creates an account database and an accounts entry.
func newAccount(t *testing.T, c *couch.Client, tree ...string) string {
	t.Helper()
	ctx := context.Background()
	id := testenv.NewID()
	db, _ := couch.AccountDB(id)
	if err := c.CreateDB(ctx, db); err != nil {
		t.Fatal(err)
	}
	if err := c.CreateDB(ctx, couch.AccountsDB); err != nil {
		t.Fatal(err)
	}
	anyTree := make([]any, len(tree))
	for i, a := range tree {
		anyTree[i] = a
	}
	for _, target := range []string{couch.AccountsDB, db} {
		doc := couch.Doc{"_id": id, "pvt_type": "account", "name": "acct " + id[:6],
			"pvt_tree": anyTree, "pvt_signature_secret": "acct-secret-" + id[:6]}
		if _, err := c.Put(ctx, target, doc); err != nil {
			t.Fatal(err)
		}
	}
	return id
}

func providerDoc(id, name string) couch.Doc {
	return couch.Doc{"_id": id, "name": name, "enabled": true, "provider_name": "duo",
		"settings": map[string]any{"integration_key": "DIXXXXXXXXXXXXXXXXXX"},
		"pvt_type": "provider", "pvt_provider_type": "multi_factor",
		"unknown_field": map[string]any{"kept": true}}
}

func TestProviderLifecycle(t *testing.T) {
	ctx := context.Background()
	c := open(t, couch.Options{})
	acct := newAccount(t, c)

	if list, err := c.ListProviders(ctx, acct); err != nil || len(list) != 0 {
		t.Fatalf("empty ListProviders = %v, %v; want none", list, err)
	}
	id := testenv.NewID()
	doc := providerDoc(id, "TESTING")
	rev1, err := c.SaveProvider(ctx, acct, doc)
	if err != nil {
		t.Fatalf("SaveProvider: %v", err)
	}
	if doc["pvt_created"] == nil || doc["pvt_modified"] == nil {
		t.Errorf("pvt_created/pvt_modified not maintained: %v", doc)
	}

	got, err := c.GetProvider(ctx, acct, id)
	if err != nil {
		t.Fatalf("GetProvider: %v", err)
	}
	if got["_rev"] != rev1 || got["name"] != "TESTING" {
		t.Errorf("GetProvider = %v, want rev %s name TESTING", got, rev1)
	}
	if kept, _ := got["unknown_field"].(map[string]any); kept["kept"] != true {
		t.Errorf("unknown field lost: %v", got["unknown_field"])
	}

	list, err := c.ListProviders(ctx, acct)
	want := couch.ProviderSummary{ID: id, Name: "TESTING", ProviderName: "duo",
		ProviderType: "multi_factor", Enabled: true}
	if err != nil || len(list) != 1 || list[0] != want {
		t.Fatalf("ListProviders = %+v, %v; want [%+v]", list, err, want)
	}

	// A write from a stale revision is a conflict, never a lost update.
	stale := providerDoc(id, "STALE")
	stale["_rev"] = "1-00000000000000000000000000000000"
	if _, err := c.SaveProvider(ctx, acct, stale); !errors.Is(err, couch.ErrConflict) {
		t.Fatalf("stale SaveProvider error = %v, want ErrConflict", err)
	}
	// Creating over an existing id is a conflict too.
	if _, err := c.SaveProvider(ctx, acct, providerDoc(id, "DUP")); !errors.Is(err, couch.ErrConflict) {
		t.Fatalf("duplicate create error = %v, want ErrConflict", err)
	}

	if err := c.DeleteProvider(ctx, acct, id, "1-stale"); !errors.Is(err, couch.ErrConflict) {
		t.Fatalf("DeleteProvider with stale rev = %v, want ErrConflict", err)
	}
	if err := c.DeleteProvider(ctx, acct, id, rev1); err != nil {
		t.Fatalf("DeleteProvider: %v", err)
	}
	if _, err := c.GetProvider(ctx, acct, id); !errors.Is(err, couch.ErrNotFound) {
		t.Fatalf("GetProvider after delete = %v, want ErrNotFound", err)
	}
	if list, _ := c.ListProviders(ctx, acct); len(list) != 0 {
		t.Fatalf("ListProviders after delete = %v, want none", list)
	}
}

func TestGetProviderRejectsOtherDocTypes(t *testing.T) {
	ctx := context.Background()
	c := open(t, couch.Options{})
	acct := newAccount(t, c)
	db, _ := couch.AccountDB(acct)
	userID := testenv.NewID()
	if _, err := c.Put(ctx, db, couch.Doc{"_id": userID, "pvt_type": "user"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetProvider(ctx, acct, userID); !errors.Is(err, couch.ErrNotFound) {
		t.Fatalf("GetProvider(user doc) = %v, want ErrNotFound", err)
	}
	if _, err := c.ListProviders(ctx, testenv.NewID()); !errors.Is(err, couch.ErrNotFound) {
		t.Fatalf("ListProviders(missing account) = %v, want ErrNotFound", err)
	}
}

func TestEnsureDesignIsIdempotentAndUpgrades(t *testing.T) {
	ctx := context.Background()
	c := open(t, couch.Options{})
	db, _ := couch.MODB(testenv.NewID(), time.Now())
	v1 := couch.DesignDoc{ID: "_design/t", Version: 1,
		Views: map[string]couch.View{"all": {Map: "function(doc){ emit(doc._id, null); }"}}}

	// Replicas racing on a missing database and design doc settle.
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			other, _ := couch.Open(testenv.CouchURL(t), couch.Options{})
			defer other.Close()
			errs <- other.EnsureDesign(ctx, db, v1)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("concurrent EnsureDesign: %v", err)
		}
	}
	first, err := c.Get(ctx, db, "_design/t")
	if err != nil {
		t.Fatal(err)
	}
	fresh, _ := couch.Open(testenv.CouchURL(t), couch.Options{})
	defer fresh.Close()
	if err := fresh.EnsureDesign(ctx, db, v1); err != nil {
		t.Fatal(err)
	}
	again, _ := c.Get(ctx, db, "_design/t")
	if again["_rev"] != first["_rev"] {
		t.Fatalf("EnsureDesign rewrote an up-to-date design doc: %v -> %v",
			first["_rev"], again["_rev"])
	}

	v2 := v1
	v2.Version = 2
	v2.Views = map[string]couch.View{"all": {Map: "function(doc){ emit(doc._id, 1); }"}}
	if err := fresh.EnsureDesign(ctx, db, v2); err != nil {
		t.Fatal(err)
	}
	upgraded, _ := c.Get(ctx, db, "_design/t")
	if upgraded["duo_kazoo_version"] != float64(2) {
		t.Fatalf("design doc not upgraded: %v", upgraded)
	}
}

func TestKazooReads(t *testing.T) {
	ctx := context.Background()
	c := open(t, couch.Options{CacheTTL: time.Minute})
	master := newAccount(t, c)
	sub := newAccount(t, c, master)
	db, _ := couch.AccountDB(sub)
	userID := testenv.NewID()
	if _, err := c.Put(ctx, db, couch.Doc{"_id": userID, "pvt_type": "user",
		"username": "alice", "email": "alice@example.test", "priv_level": "admin",
		"pvt_signature_secret": "user-secret"}); err != nil {
		t.Fatal(err)
	}

	tree, err := c.AccountTree(ctx, sub)
	if err != nil || len(tree) != 1 || tree[0] != master {
		t.Fatalf("AccountTree = %v, %v; want [%s]", tree, err, master)
	}
	if a, _ := c.Account(ctx, master); !a.IsMaster() {
		t.Errorf("master account not reported as master: %+v", a)
	}
	u, err := c.User(ctx, sub, userID)
	if err != nil || u.Username != "alice" || u.PrivLevel != "admin" {
		t.Fatalf("User = %+v, %v", u, err)
	}
	if s, _ := c.IdentitySecret(ctx, sub, userID); s != "user-secret" {
		t.Errorf("IdentitySecret(user) = %q", s)
	}
	if s, _ := c.IdentitySecret(ctx, sub, ""); s != "acct-secret-"+sub[:6] {
		t.Errorf("IdentitySecret(account) = %q", s)
	}

	// Writes through the client invalidate the cache.
	doc, _ := c.Get(ctx, db, userID)
	doc["priv_level"] = "user"
	if _, err := c.Put(ctx, db, doc); err != nil {
		t.Fatal(err)
	}
	if lvl, _ := c.UserPrivLevel(ctx, sub, userID); lvl != "user" {
		t.Errorf("UserPrivLevel after write = %q, want user (cache not invalidated)", lvl)
	}
	if _, err := c.User(ctx, sub, testenv.NewID()); !errors.Is(err, couch.ErrNotFound) {
		t.Errorf("missing user error = %v, want ErrNotFound", err)
	}
}

func TestSystemAuthKeyAndSecret(t *testing.T) {
	ctx := context.Background()
	c := open(t, couch.Options{})
	for _, db := range []string{couch.SystemAuthDB, couch.SystemConfigDB} {
		if err := c.CreateDB(ctx, db); err != nil {
			t.Fatal(err)
		}
	}
	kid := testenv.NewID()
	pem := []byte("-----BEGIN RSA PRIVATE KEY-----\nnot really\n-----END RSA PRIVATE KEY-----\n")
	rev, err := c.Put(ctx, couch.SystemAuthDB, couch.Doc{"_id": kid, "pvt_type": "system_key"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutAttachment(ctx, couch.SystemAuthDB, kid, rev, "private_key.pem",
		"application/x-pem-file", pem); err != nil {
		t.Fatal(err)
	}
	got, err := c.SigningKeyPEM(ctx, kid)
	if err != nil || string(got) != string(pem) {
		t.Fatalf("SigningKeyPEM = %q, %v", got, err)
	}
	if _, err := c.SigningKeyPEM(ctx, testenv.NewID()); !errors.Is(err, couch.ErrNotFound) {
		t.Fatalf("unknown kid error = %v, want ErrNotFound", err)
	}

	// A kid comes from a token: ids CouchDB reserves never name a key
	// and are refused before any request, never reported as a failure.
	for _, kid := range []string{"_design", "_all_docs", "_design/x", "_local/x", "a/b"} {
		_, err := c.SigningKeyPEM(ctx, kid)
		if !errors.Is(err, couch.ErrInvalidID) || errors.Is(err, couch.ErrUnavailable) {
			t.Errorf("SigningKeyPEM(%q) error = %v, want ErrInvalidID", kid, err)
		}
	}
}

// fakeCouch serves every request with status and body, as a CouchDB
// that refuses it would.
func fakeCouch(t *testing.T, status int, body string) *couch.Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	c, err := couch.Open(srv.URL, couch.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestSigningKeyRefusals(t *testing.T) {
	// CouchDB answers 400 illegal_docid for some ids; PouchDB Server
	// answers 404. Either way the key does not exist; only an
	// authorization, throttling or server failure is something else.
	tests := []struct {
		name         string
		status       int
		wantNotFound bool
	}{
		{"bad request", http.StatusBadRequest, true},
		{"not found", http.StatusNotFound, true},
		{"method not allowed", http.StatusMethodNotAllowed, true},
		{"unauthorized", http.StatusUnauthorized, false},
		{"forbidden", http.StatusForbidden, false},
		{"too many requests", http.StatusTooManyRequests, false},
		{"server error", http.StatusInternalServerError, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := fakeCouch(t, tc.status, `{"error":"illegal_docid","reason":"refused"}`)
			_, err := c.SigningKeyPEM(context.Background(), "0123456789abcdef")
			if err == nil {
				t.Fatal("SigningKeyPEM succeeded")
			}
			if got := errors.Is(err, couch.ErrNotFound); got != tc.wantNotFound {
				t.Errorf("error %v: ErrNotFound %v, want %v", err, got, tc.wantNotFound)
			}
		})
	}
}

func TestSystemKeyID(t *testing.T) {
	tests := []struct {
		name    string
		status  int
		body    string
		want    string
		wantErr error
	}{
		{"named", 200, `{"_id":"auth","_rev":"1-a","default":{"system_key":"abc123"}}`, "abc123", nil},
		{"unset", 200, `{"_id":"auth","_rev":"1-a","default":{}}`, "", nil},
		{"not a string", 200, `{"_id":"auth","_rev":"1-a","default":{"system_key":7}}`, "", nil},
		{"no document", 404, `{"error":"not_found","reason":"missing"}`, "", couch.ErrNotFound},
		{"server down", 503, `{"error":"unavailable"}`, "", couch.ErrUnavailable},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := fakeCouch(t, tc.status, tc.body)
			got, err := c.SystemKeyID(context.Background())
			if got != tc.want || !errors.Is(err, tc.wantErr) || (tc.wantErr == nil) != (err == nil) {
				t.Errorf("SystemKeyID = %q, %v; want %q, %v", got, err, tc.want, tc.wantErr)
			}
		})
	}
}

func TestAccountDocStrict(t *testing.T) {
	// pvt_tree decides who is the master (an empty list): a document
	// without a valid one is an error, never an empty tree.
	ctx := context.Background()
	c := open(t, couch.Options{})
	master := newAccount(t, c)
	tests := []struct {
		name    string
		fields  couch.Doc // written over a well-formed account doc
		omit    string    // a field to leave out
		wantErr error
	}{
		{"well formed", couch.Doc{"pvt_tree": []any{master}}, "", nil},
		{"missing pvt_tree", nil, "pvt_tree", couch.ErrInvalidDoc},
		{"null pvt_tree", couch.Doc{"pvt_tree": nil}, "", couch.ErrInvalidDoc},
		{"pvt_tree a string", couch.Doc{"pvt_tree": master}, "", couch.ErrInvalidDoc},
		{"pvt_tree an object", couch.Doc{"pvt_tree": map[string]any{}}, "", couch.ErrInvalidDoc},
		{"pvt_tree with a number", couch.Doc{"pvt_tree": []any{master, 7}}, "",
			couch.ErrInvalidDoc},
		{"pvt_tree with a name", couch.Doc{"pvt_tree": []any{"master"}}, "",
			couch.ErrInvalidDoc},
		{"not an account", couch.Doc{"pvt_type": "user"}, "", couch.ErrNotFound},
		{"no pvt_type", nil, "pvt_type", couch.ErrNotFound},
		{"soft-deleted", couch.Doc{"pvt_deleted": true}, "", couch.ErrNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id := testenv.NewID()
			doc := couch.Doc{"_id": id, "pvt_type": "account", "name": "strict",
				"pvt_tree": []any{master}}
			for k, v := range tc.fields {
				doc[k] = v
			}
			delete(doc, tc.omit)
			if _, err := c.Put(ctx, couch.AccountsDB, doc); err != nil {
				t.Fatal(err)
			}

			a, err := c.Account(ctx, id)
			if tc.wantErr == nil {
				if err != nil || len(a.Tree) != 1 || a.IsMaster() {
					t.Fatalf("Account = %+v, %v; want tree [%s]", a, err, master)
				}
				return
			}
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("Account error = %v, want %v", err, tc.wantErr)
			}
			if a.ID != "" || a.Tree != nil {
				t.Fatalf("Account = %+v with error, want the zero Account", a)
			}
			if tree, err := c.AccountTree(ctx, id); tree != nil || !errors.Is(err, tc.wantErr) {
				t.Fatalf("AccountTree = %v, %v; want nil, %v", tree, err, tc.wantErr)
			}
		})
	}

	// The master's own tree is an empty list: master, and a non-nil tree.
	if a, err := c.Account(ctx, master); err != nil || !a.IsMaster() || a.Tree == nil {
		t.Fatalf("master Account = %+v, %v; want an empty non-nil tree", a, err)
	}
}

func TestIdentitySecretOfAccountDoc(t *testing.T) {
	// A token without owner is signed with the account doc's secret; a
	// document of another type under the account's id is not one.
	ctx := context.Background()
	c := open(t, couch.Options{})
	acct := newAccount(t, c)
	db, _ := couch.AccountDB(acct)
	doc, err := c.Get(ctx, db, acct)
	if err != nil {
		t.Fatal(err)
	}
	doc["pvt_type"] = "user"
	if _, err := c.Put(ctx, db, doc); err != nil {
		t.Fatal(err)
	}
	if s, err := c.IdentitySecret(ctx, acct, ""); s != "" || !errors.Is(err, couch.ErrNotFound) {
		t.Fatalf("IdentitySecret = %q, %v; want ErrNotFound", s, err)
	}
}

func TestUnavailableServer(t *testing.T) {
	c, err := couch.Open("http://127.0.0.1:1", couch.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.Ping(ctx); err == nil {
		t.Fatal("Ping of a closed port succeeded")
	}
	if _, err := c.GetProvider(ctx, testenv.NewID(), testenv.NewID()); err == nil ||
		errors.Is(err, couch.ErrNotFound) {
		t.Fatalf("GetProvider on a dead server = %v, want a non-not-found error", err)
	}
}
