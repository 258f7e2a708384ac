package app

import (
	"context"

	"github.com/duo-kazoo/duo-kazoo/attempts"
	"github.com/duo-kazoo/duo-kazoo/handlers"
)

// failureLogs adapts the attempts service to the HTTP API's interface;
// the query and page types have the same fields.
type failureLogs struct{ s *attempts.Service }

var _ handlers.FailureLogService = failureLogs{}

func (f failureLogs) List(ctx context.Context, accountID string, q handlers.FailureQuery) (
	handlers.FailurePage, error) {
	p, err := f.s.List(ctx, accountID, attempts.Query(q))
	return handlers.FailurePage(p), err
}

func (f failureLogs) Get(ctx context.Context, accountID, id string) (map[string]any, error) {
	return f.s.Get(ctx, accountID, id)
}
