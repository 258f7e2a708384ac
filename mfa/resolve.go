package mfa

import (
	"strings"

	"github.com/duo-kazoo/duo-kazoo/couch"
)

// Setting is an auth module's multi_factor setting after the hierarchy
// merge.
type Setting struct {
	Enabled            bool
	ConfigurationID    string
	AccountID          string // account_id as configured; "" when unset
	IncludeSubaccounts bool

	// ProviderAccountID is the account whose database holds the
	// configuration: AccountID when set, else the account of the level
	// that set ConfigurationID ("" when that is the system default, or
	// when no level set it).
	ProviderAccountID string
	// EnabledBy is the account of the level that decided Enabled; ""
	// for the system default or when no level said.
	EnabledBy string
}

// Decision says whether a login needs a second factor.
type Decision struct {
	Setting Setting
	// Applies is true when a second factor is required.
	Applies bool
	// Reason explains a Decision that does not apply:
	// ReasonMFANotEnabled or ReasonNotApplicable.
	Reason string
}

// Resolve merges the multi_factor settings of module over levels (nearest
// first, as couch.AuthConfigChain returns them) and decides whether a
// login to login needs a second factor.
//
// The merge is KAZOO's hierarchy merge: each field of
// auth_modules.<module>.multi_factor (enabled, configuration_id,
// account_id, include_subaccounts) takes its value from the nearest level
// that sets it, so an account can, say, turn off what its reseller turned
// on. Booleans are JSON booleans or the strings "true"/"false"; ids are
// non-empty strings; other values count as unset.
//
// A second factor applies when enabled is true and the login is to the
// master account (an empty tree), or account_id is unset, or account_id
// is the login's account, or include_subaccounts is true.
//
// Where the configuration lives: KAZOO reads configuration_id from
// account_id's database and falls back to its system provider when either
// is unset. This module never falls back (an unconfigured second factor is
// denied, not silently allowed): with account_id unset it reads the
// configuration from the account whose level set configuration_id.
func Resolve(levels []couch.AuthConfigLevel, module string, login couch.Account) Decision {
	var s Setting
	var haveEnabled, haveConfig, haveAccount, haveInclude bool
	for _, lvl := range levels {
		mod, _ := lvl.Modules[module].(map[string]any)
		mf, _ := mod["multi_factor"].(map[string]any)
		if mf == nil {
			continue
		}
		if v, ok := boolValue(mf["enabled"]); ok && !haveEnabled {
			s.Enabled, s.EnabledBy, haveEnabled = v, lvl.AccountID, true
		}
		if v, ok := idValue(mf["configuration_id"]); ok && !haveConfig {
			s.ConfigurationID, s.ProviderAccountID, haveConfig = v, lvl.AccountID, true
		}
		if v, ok := idValue(mf["account_id"]); ok && !haveAccount {
			s.AccountID, haveAccount = v, true
		}
		if v, ok := boolValue(mf["include_subaccounts"]); ok && !haveInclude {
			s.IncludeSubaccounts, haveInclude = v, true
		}
	}
	if s.AccountID != "" {
		s.ProviderAccountID = s.AccountID
	}

	d := Decision{Setting: s}
	switch {
	case !s.Enabled:
		d.Reason = ReasonMFANotEnabled
	case login.IsMaster(), s.AccountID == "", s.AccountID == login.ID, s.IncludeSubaccounts:
		d.Applies = true
	default:
		d.Reason = ReasonNotApplicable
	}
	return d
}

func boolValue(v any) (bool, bool) {
	switch b := v.(type) {
	case bool:
		return b, true
	case string:
		switch strings.ToLower(b) {
		case "true":
			return true, true
		case "false":
			return false, true
		}
	}
	return false, false
}

func idValue(v any) (string, bool) {
	s, ok := v.(string)
	return s, ok && s != ""
}
