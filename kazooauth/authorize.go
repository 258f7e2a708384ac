package kazooauth

import (
	"context"
	"errors"
	"slices"
)

// Authorize decides whether id, as returned by Verify, may act on account
// targetAccountID; write is true for anything but a read. The rules are
// KAZOO's:
//
//   - an admin of the master account acts on every account;
//   - otherwise the token's account acts on itself and on its descendants
//     (it appears in the target's pvt_tree), never on an ancestor or a
//     sibling: ErrForbidden, also for a target that does not exist or
//     whose account doc has no valid pvt_tree;
//   - a write needs PrivLevel admin: ErrNotAdmin. Tokens without an owner
//     (API keys) carry admin rights, see Identity.PrivLevel.
//
// Authorize trusts id: pass only identities returned by Verify. Errors
// are *Error values (ErrForbidden, ErrNotAdmin, ErrUnavailable).
func (v *Verifier) Authorize(ctx context.Context, id *Identity, targetAccountID string,
	write bool) error {
	if id == nil {
		return newError(ErrForbidden, "no identity", nil)
	}
	if !IsAccountID(targetAccountID) {
		return newError(ErrForbidden, "target account id malformed", nil)
	}
	if id.IsMaster && id.IsAdmin() {
		return nil
	}

	if targetAccountID != id.AccountID {
		tree, err := v.accountTree(ctx, targetAccountID)
		switch {
		case errors.Is(err, ErrNotFound), errors.Is(err, ErrInvalidDoc):
			return newError(ErrForbidden, "account not accessible", nil)
		case err != nil:
			return newError(ErrUnavailable, "reading account tree", err)
		case !slices.Contains(tree, id.AccountID):
			return newError(ErrForbidden, "account not accessible", nil)
		}
	}

	if write && !id.IsAdmin() {
		return newError(ErrNotAdmin, "admin privilege required", nil)
	}
	return nil
}
