package mfa

import (
	"testing"

	"github.com/duo-kazoo/duo-kazoo/couch"
)

const (
	idM = "00000000000000000000000000000001" // master
	idR = "00000000000000000000000000000002" // reseller under master
	idS = "00000000000000000000000000000003" // sub-account under reseller
	idX = "00000000000000000000000000000009" // elsewhere
)

var (
	master   = couch.Account{ID: idM}
	reseller = couch.Account{ID: idR, Tree: []string{idM}}
	sub      = couch.Account{ID: idS, Tree: []string{idM, idR}}
)

// mf builds an auth_modules object configuring cb_user_auth's multi_factor.
func mf(fields map[string]any) map[string]any {
	return map[string]any{"cb_user_auth": map[string]any{"multi_factor": fields}}
}

// chain returns the levels of a login to acct with the given modules per
// account id ("" for the system default).
func chain(acct couch.Account, modules map[string]map[string]any) []couch.AuthConfigLevel {
	ids := []string{acct.ID}
	for i := len(acct.Tree) - 1; i >= 0; i-- {
		ids = append(ids, acct.Tree[i])
	}
	ids = append(ids, "")
	levels := make([]couch.AuthConfigLevel, len(ids))
	for i, id := range ids {
		levels[i] = couch.AuthConfigLevel{AccountID: id, Modules: modules[id]}
	}
	return levels
}

func TestResolve(t *testing.T) {
	resellerWide := mf(map[string]any{"enabled": true, "configuration_id": "cfgR",
		"account_id": idR, "include_subaccounts": true})
	resellerOnly := mf(map[string]any{"enabled": true, "configuration_id": "cfgR",
		"account_id": idR})
	tests := []struct {
		name         string
		login        couch.Account
		modules      map[string]map[string]any
		module       string // default cb_user_auth
		applies      bool
		reason       string
		config       string
		providerAcct string
	}{
		{name: "nothing configured", login: sub,
			reason: ReasonMFANotEnabled},
		{name: "own setting", login: sub,
			modules: map[string]map[string]any{idS: mf(map[string]any{
				"enabled": true, "configuration_id": "cfgS", "account_id": idS})},
			applies: true, config: "cfgS", providerAcct: idS},
		{name: "own setting without account_id: own database", login: sub,
			modules: map[string]map[string]any{idS: mf(map[string]any{
				"enabled": true, "configuration_id": "cfgS"})},
			applies: true, config: "cfgS", providerAcct: idS},
		{name: "reseller's with include_subaccounts", login: sub,
			modules: map[string]map[string]any{idR: resellerWide},
			applies: true, config: "cfgR", providerAcct: idR},
		{name: "reseller's without include_subaccounts, sub logs in", login: sub,
			modules: map[string]map[string]any{idR: resellerOnly},
			reason:  ReasonNotApplicable, config: "cfgR", providerAcct: idR},
		{name: "reseller's without include_subaccounts, reseller logs in", login: reseller,
			modules: map[string]map[string]any{idR: resellerOnly},
			applies: true, config: "cfgR", providerAcct: idR},
		{name: "reseller's without account_id applies below", login: sub,
			modules: map[string]map[string]any{idR: mf(map[string]any{
				"enabled": true, "configuration_id": "cfgR"})},
			applies: true, config: "cfgR", providerAcct: idR},
		{name: "account_id elsewhere, not for sub-accounts", login: sub,
			modules: map[string]map[string]any{idS: mf(map[string]any{
				"enabled": true, "configuration_id": "cfgX", "account_id": idX})},
			reason: ReasonNotApplicable, config: "cfgX", providerAcct: idX},
		{name: "account_id elsewhere, for sub-accounts", login: sub,
			modules: map[string]map[string]any{idS: mf(map[string]any{
				"enabled": true, "configuration_id": "cfgX", "account_id": idX,
				"include_subaccounts": true})},
			applies: true, config: "cfgX", providerAcct: idX},
		{name: "disabled nearer overrides enabled above", login: sub,
			modules: map[string]map[string]any{
				idS: mf(map[string]any{"enabled": false}), idR: resellerWide},
			reason: ReasonMFANotEnabled, config: "cfgR", providerAcct: idR},
		{name: "enabled nearer overrides disabled above", login: sub,
			modules: map[string]map[string]any{
				idS: mf(map[string]any{"enabled": true, "configuration_id": "cfgS"}),
				idM: mf(map[string]any{"enabled": false})},
			applies: true, config: "cfgS", providerAcct: idS},
		{name: "fields merge: nearer configuration_id, account_id from above", login: sub,
			modules: map[string]map[string]any{
				idS: mf(map[string]any{"configuration_id": "cfgS"}), idR: resellerWide},
			applies: true, config: "cfgS", providerAcct: idR},
		{name: "system default for everyone", login: sub,
			modules: map[string]map[string]any{"": mf(map[string]any{
				"enabled": true, "configuration_id": "cfgM", "account_id": idM,
				"include_subaccounts": true})},
			applies: true, config: "cfgM", providerAcct: idM},
		{name: "system default for the master only, sub logs in", login: sub,
			modules: map[string]map[string]any{"": mf(map[string]any{
				"enabled": true, "configuration_id": "cfgM", "account_id": idM})},
			reason: ReasonNotApplicable, config: "cfgM", providerAcct: idM},
		{name: "system default for the master only, master logs in", login: master,
			modules: map[string]map[string]any{"": mf(map[string]any{
				"enabled": true, "configuration_id": "cfgM", "account_id": idM})},
			applies: true, config: "cfgM", providerAcct: idM},
		{name: "login to master applies whatever account_id", login: master,
			modules: map[string]map[string]any{idM: mf(map[string]any{
				"enabled": true, "configuration_id": "cfgX", "account_id": idX})},
			applies: true, config: "cfgX", providerAcct: idX},
		{name: "system default without account_id: no provider account", login: sub,
			modules: map[string]map[string]any{"": mf(map[string]any{
				"enabled": true, "configuration_id": "cfgSys"})},
			applies: true, config: "cfgSys", providerAcct: ""},
		{name: "enabled without configuration_id", login: sub,
			modules: map[string]map[string]any{idS: mf(map[string]any{"enabled": true})},
			applies: true},
		{name: "another module configured", login: sub, module: "cb_api_auth",
			modules: map[string]map[string]any{idS: mf(map[string]any{
				"enabled": true, "configuration_id": "cfgS"})},
			reason: ReasonMFANotEnabled},
		{name: "string booleans as KAZOO reads them", login: sub,
			modules: map[string]map[string]any{idS: mf(map[string]any{
				"enabled": "true", "configuration_id": "cfgX", "account_id": idX,
				"include_subaccounts": "TRUE"})},
			applies: true, config: "cfgX", providerAcct: idX},
		{name: "ill-typed values fall through to the next level", login: sub,
			modules: map[string]map[string]any{
				idS: mf(map[string]any{"enabled": 1, "configuration_id": 7, "account_id": ""}),
				idR: resellerWide},
			applies: true, config: "cfgR", providerAcct: idR},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			module := tt.module
			if module == "" {
				module = "cb_user_auth"
			}
			d := Resolve(chain(tt.login, tt.modules), module, tt.login)
			if d.Applies != tt.applies || d.Reason != tt.reason {
				t.Errorf("Applies, Reason = %v, %q; want %v, %q", d.Applies, d.Reason,
					tt.applies, tt.reason)
			}
			if d.Setting.ConfigurationID != tt.config {
				t.Errorf("ConfigurationID = %q, want %q", d.Setting.ConfigurationID, tt.config)
			}
			if d.Setting.ProviderAccountID != tt.providerAcct {
				t.Errorf("ProviderAccountID = %q, want %q", d.Setting.ProviderAccountID,
					tt.providerAcct)
			}
		})
	}
}

func TestResolveEnabledBy(t *testing.T) {
	d := Resolve(chain(sub, map[string]map[string]any{
		idR: mf(map[string]any{"enabled": true, "configuration_id": "c"})}),
		"cb_user_auth", sub)
	if d.Setting.EnabledBy != idR {
		t.Errorf("EnabledBy = %q, want the reseller %q", d.Setting.EnabledBy, idR)
	}
}
