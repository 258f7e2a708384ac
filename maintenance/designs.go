package maintenance

import (
	"context"
	"errors"
	"fmt"

	"github.com/duo-kazoo/duo-kazoo/couch"
)

// InstallDesigns installs this version's design docs in every account
// database (a read of each, a write where one is missing or older),
// changes no other document, and records the versions (see
// DesignStatus). It returns how many account databases it visited. A
// replica runs it at start-up when DesignStatus says the recorded versions
// are missing or older; Migrate does the same and more.
func InstallDesigns(ctx context.Context, c *couch.Client) (int, error) {
	visited := 0
	err := eachDoc(ctx, c, couch.AccountsDB, defaultPageSize, func(acct couch.Doc) error {
		if !isAccount(acct) {
			return nil
		}
		id, _ := acct["_id"].(string)
		db, err := couch.AccountDB(id)
		if err != nil {
			return err
		}
		err = c.EnsureDesignExisting(ctx, db, AccountDesigns...)
		if errors.Is(err, couch.ErrNotFound) {
			return nil // an accounts entry without its database
		}
		if err != nil {
			return fmt.Errorf("account %s: %w", id, err)
		}
		visited++
		return nil
	})
	if err != nil {
		return visited, fmt.Errorf("installing design docs: %w", err)
	}
	return visited, recordDesigns(ctx, c)
}

// EnsureDesigns runs InstallDesigns unless DesignStatus reports this
// version's design docs recorded already: cheap when they are, a walk of
// every account when they are not. installed reports whether it walked.
func EnsureDesigns(ctx context.Context, c *couch.Client) (installed bool, err error) {
	err = DesignStatus(ctx, c)
	if err == nil {
		return false, nil
	}
	if !errors.Is(err, ErrDesignNotInstalled) {
		return false, err
	}
	if _, err := InstallDesigns(ctx, c); err != nil {
		return true, err
	}
	return true, nil
}
