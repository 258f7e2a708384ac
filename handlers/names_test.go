package handlers_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/duo-kazoo/duo-kazoo/app/apptest"
	"github.com/duo-kazoo/duo-kazoo/couch"
	"github.com/duo-kazoo/duo-kazoo/provider"
)

// race sends the requests at once and returns each status and body.
func race(t *testing.T, e *apptest.Env, token string, reqs []func() (string, string, any)) (
	[]int, [][]byte) {
	t.Helper()
	statuses, bodies := make([]int, len(reqs)), make([][]byte, len(reqs))
	errs := make([]error, len(reqs))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, req := range reqs {
		method, path, body := req()
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			statuses[i], bodies[i], errs[i] = send(e, method, path, token, body)
		}()
	}
	close(start)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	return statuses, bodies
}

// wantOneWinner fails unless exactly one request got want and every other
// one a 400 whose only problem is name/unique.
func wantOneWinner(t *testing.T, statuses []int, bodies [][]byte, want int) {
	t.Helper()
	won := 0
	for i, status := range statuses {
		if status == want {
			won++
			continue
		}
		wantOnlyProblem(t, status, bodies[i], "name", "unique", "validation.unique")
	}
	if won != 1 {
		t.Fatalf("%d of %d concurrent writes succeeded (%v), want exactly 1", won,
			len(statuses), statuses)
	}
}

// countNamed returns how many listed configurations have a name equal to
// name, ignoring case and surrounding spaces.
func countNamed(t *testing.T, e *apptest.Env, acct, token, name string) int {
	t.Helper()
	status, out := e.Do(t, http.MethodGet, accountPath(acct)+"/duo", token, nil)
	if status != http.StatusOK {
		t.Fatalf("list: %d %s", status, out)
	}
	n := 0
	for _, c := range apptest.Decode(t, out).List(t) {
		s, _ := c["name"].(string)
		if strings.EqualFold(strings.TrimSpace(s), strings.TrimSpace(name)) {
			n++
		}
	}
	return n
}

// TestConcurrentCreatesOfOneName: many replicas' worth of simultaneous
// PUT /duo with one name (in several spellings) store exactly one.
func TestConcurrentCreatesOfOneName(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	acct, admin := e.KAZOO.Sub.ID, e.KAZOO.Sub.Admin.Token
	spellings := []string{"Race", "RACE", " race ", "race"}

	var reqs []func() (string, string, any)
	for i := range 12 {
		name := spellings[i%len(spellings)]
		path := accountPath(acct) + "/duo"
		if i%3 == 0 {
			path = accountPath(acct) + "/multi_factor" // KAZOO's route shares the rule
		}
		reqs = append(reqs, func() (string, string, any) {
			return http.MethodPut, path, duoConfig(name)
		})
	}
	statuses, bodies := race(t, e, admin, reqs)
	wantOneWinner(t, statuses, bodies, http.StatusCreated)
	if n := countNamed(t, e, acct, admin, "race"); n != 1 {
		t.Fatalf("%d configurations named race are stored, want 1", n)
	}
	// The loser's answer is the one a sequential duplicate gets.
	status, out := e.Do(t, http.MethodPut, accountPath(acct)+"/duo", admin, duoConfig("rAcE"))
	wantOnlyProblem(t, status, out, "name", "unique", "validation.unique")
}

// TestConcurrentRenamesToOneName: configurations renamed at once to the
// same name: exactly one rename succeeds.
func TestConcurrentRenamesToOneName(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	acct, admin := e.KAZOO.Sub.ID, e.KAZOO.Sub.Admin.Token
	base := accountPath(acct) + "/duo/"

	var reqs []func() (string, string, any)
	for i := range 8 {
		id, _ := create(t, e, acct, admin, duoConfig("before "+string(rune('a'+i))))
		method := http.MethodPatch
		body := data(map[string]any{"name": "Target"})
		if i%2 == 1 {
			method, body = http.MethodPost, duoConfig("TARGET") // replace, secrets kept
		}
		reqs = append(reqs, func() (string, string, any) { return method, base + id, body })
	}
	statuses, bodies := race(t, e, admin, reqs)
	wantOneWinner(t, statuses, bodies, http.StatusOK)
	if n := countNamed(t, e, acct, admin, "target"); n != 1 {
		t.Fatalf("%d configurations named target are stored, want 1", n)
	}
}

// TestNamesAfterRenameAndDelete: a renamed configuration frees its old
// name and holds the new one; a deleted one frees its name; a case-only
// rename keeps it; other accounts are not concerned.
func TestNamesAfterRenameAndDelete(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	acct, admin := e.KAZOO.Sub.ID, e.KAZOO.Sub.Admin.Token
	base := accountPath(acct) + "/duo"
	put := func(name string) (int, []byte) {
		t.Helper()
		return e.Do(t, http.MethodPut, base, admin, duoConfig(name))
	}

	a, _ := create(t, e, acct, admin, duoConfig("Alpha"))
	b, _ := create(t, e, acct, admin, duoConfig("Beta"))

	// Rename Alpha to Gamma: Alpha is free, Gamma is taken.
	status, out := e.Do(t, http.MethodPatch, base+"/"+a, admin, data(map[string]any{"name": "Gamma"}))
	if status != http.StatusOK {
		t.Fatalf("rename: %d %s", status, out)
	}
	status, out = put("gamma")
	wantOnlyProblem(t, status, out, "name", "unique", "validation.unique")
	alpha2, _ := create(t, e, acct, admin, duoConfig("ALPHA"))

	// A rename refused for a stale revision leaves the new name free.
	status, out = e.DoHeaders(t, http.MethodPatch, base+"/"+b, admin,
		data(map[string]any{"name": "Epsilon"}), map[string]string{"If-Match": "1-stale"})
	if status != http.StatusConflict {
		t.Fatalf("stale rename: %d %s, want 409", status, out)
	}
	epsilon, _ := create(t, e, acct, admin, duoConfig("epsilon"))

	// Renaming onto a taken name is refused, and changes nothing.
	status, out = e.Do(t, http.MethodPatch, base+"/"+b, admin, data(map[string]any{"name": "gamma "}))
	wantOnlyProblem(t, status, out, "name", "unique", "validation.unique")
	status, out = put("Beta")
	wantOnlyProblem(t, status, out, "name", "unique", "validation.unique")

	// A case-only rename keeps the name; others still may not take it.
	status, out = e.Do(t, http.MethodPost, base+"/"+b, admin, duoConfig("BETA"))
	if status != http.StatusOK {
		t.Fatalf("case-only rename: %d %s", status, out)
	}
	status, out = put("beta")
	wantOnlyProblem(t, status, out, "name", "unique", "validation.unique")

	// An update that keeps the name, then renames back and forth.
	for _, name := range []string{"BETA", "Delta", "Beta"} {
		status, out = e.Do(t, http.MethodPatch, base+"/"+b, admin,
			data(map[string]any{"name": name, "enabled": name != "Delta"}))
		if status != http.StatusOK {
			t.Fatalf("rename to %s: %d %s", name, status, out)
		}
	}
	create(t, e, acct, admin, duoConfig("Delta"))

	// Delete frees the name at once.
	if status, out := e.Do(t, http.MethodDelete, base+"/"+alpha2, admin, nil); status != http.StatusOK {
		t.Fatalf("delete: %d %s", status, out)
	}
	create(t, e, acct, admin, duoConfig("alpha"))
	if status, out := e.Do(t, http.MethodDelete, accountPath(acct)+"/multi_factor/"+epsilon,
		admin, nil); status != http.StatusOK {
		t.Fatalf("delete through /multi_factor: %d %s", status, out)
	}
	create(t, e, acct, admin, duoConfig("EPSILON"))

	// Another account may use every one of these names.
	for _, name := range []string{"Alpha", "Beta", "Gamma", "Delta"} {
		create(t, e, e.KAZOO.Reseller.ID, e.KAZOO.Reseller.Admin.Token, duoConfig(name))
	}
}

// TestLeftoverNameClaims: claims left behind by a replica that stopped
// between claim and write, or by a lost release, block a name only while
// the write they guard may still land.
func TestLeftoverNameClaims(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	acct, admin := e.KAZOO.Sub.ID, e.KAZOO.Sub.Admin.Token
	ctx := context.Background()
	db, _ := couch.AccountDB(acct)
	base := accountPath(acct) + "/duo"
	claim := func(name, configID string, age time.Duration) {
		t.Helper()
		id := couch.NameClaimID(provider.NameKey(name))
		old, err := e.Couch.GetNameClaim(ctx, acct, id)
		if err != nil && !couch.IsNotFound(err) {
			t.Fatal(err)
		}
		doc := couch.Doc{"_id": id, "pvt_type": couch.NameClaimType, "config_id": configID,
			"name": name, "pvt_modified": couch.Gregorian(time.Now().Add(-age))}
		if old.Rev != "" {
			doc["_rev"] = old.Rev
		}
		if _, err := e.Couch.Put(ctx, db, doc); err != nil {
			t.Fatal(err)
		}
	}

	// A configuration soft-deleted without releasing its name (KAZOO's own
	// DELETE, or a lost release): the name is free at once.
	id, _ := create(t, e, acct, admin, duoConfig("Orphan"))
	doc, err := e.Couch.GetProvider(ctx, acct, id)
	if err != nil {
		t.Fatal(err)
	}
	doc["pvt_deleted"] = true
	if _, err := e.Couch.Put(ctx, db, doc); err != nil {
		t.Fatal(err)
	}
	create(t, e, acct, admin, duoConfig("orphan"))

	// A create in flight on another replica (its configuration not written
	// yet): the name is taken until the lease ends.
	claim("Pending", strings.Repeat("ab", 16), 5*time.Second)
	status, out := e.Do(t, http.MethodPut, base, admin, duoConfig("PENDING"))
	wantOnlyProblem(t, status, out, "name", "unique", "validation.unique")
	claim("Pending", strings.Repeat("ab", 16), 10*time.Minute)
	create(t, e, acct, admin, duoConfig("PENDING"))

	// A rename in flight: the claimant still has its old name.
	other, _ := create(t, e, acct, admin, duoConfig("Old name"))
	claim("Renaming", other, 0)
	status, out = e.Do(t, http.MethodPut, base, admin, duoConfig("renaming"))
	wantOnlyProblem(t, status, out, "name", "unique", "validation.unique")
	claim("Renaming", other, 10*time.Minute)
	create(t, e, acct, admin, duoConfig("renaming"))
	// ...and the claimant, renamed since, cannot take it back.
	status, out = e.Do(t, http.MethodPatch, base+"/"+other, admin,
		data(map[string]any{"name": "Renaming"}))
	wantOnlyProblem(t, status, out, "name", "unique", "validation.unique")

	// A configuration written before claims existed holds its name through
	// the listing, and claims it on its next save.
	legacy := strings.Repeat("cd", 16)
	dbName, _ := couch.EncodedAccountDB(acct)
	if _, err := e.Couch.Put(ctx, db, couch.Doc{"_id": legacy, "name": "Legacy",
		"enabled": true, "provider_name": "duo", "pvt_type": "provider",
		"pvt_provider_type": "multi_factor", "pvt_account_id": acct, "pvt_account_db": dbName,
		"settings": map[string]any{"integration_key": testIKey, "secret_key": testSKey,
			"application_secret_key": testAKey, "api_hostname": testHost}}); err != nil {
		t.Fatal(err)
	}
	status, out = e.Do(t, http.MethodPut, base, admin, duoConfig("legacy"))
	wantOnlyProblem(t, status, out, "name", "unique", "validation.unique")
	status, out = e.Do(t, http.MethodPatch, base+"/"+legacy, admin,
		data(map[string]any{"enabled": false}))
	if status != http.StatusOK {
		t.Fatalf("patch legacy: %d %s", status, out)
	}
	cl, err := e.Couch.GetNameClaim(ctx, acct, couch.NameClaimID(provider.NameKey("LEGACY")))
	if err != nil || cl.ConfigID != legacy {
		t.Fatalf("claim after the legacy configuration's save: %+v, %v", cl, err)
	}
}
