package handlers

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/gorilla/mux"
	"github.com/sirupsen/logrus"

	"github.com/duo-kazoo/duo-kazoo/attempts"
	"github.com/duo-kazoo/duo-kazoo/configstore"
	"github.com/duo-kazoo/duo-kazoo/couch"
	"github.com/duo-kazoo/duo-kazoo/kazooauth"
)

// tokenFrom reads the caller's KAZOO token: X-Auth-Token, or an
// Authorization: Bearer header.
func tokenFrom(r *http.Request) string {
	if t := r.Header.Get("X-Auth-Token"); t != "" {
		return strings.TrimSpace(t)
	}
	if h := r.Header.Get("Authorization"); len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

// authenticate verifies the token and authorizes it for the account in
// the path: reads for the account and its descendants; writes (any method
// but GET and HEAD) also need an admin.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		accountID := mux.Vars(r)["account_id"]
		addLogFields(r.Context(), logrus.Fields{"account_id": accountID})
		if !couch.ValidID(accountID) {
			s.writeError(w, r, notFound("account", nil))
			return
		}
		token := tokenFrom(r)
		if token == "" {
			s.writeError(w, r, &APIError{Status: http.StatusUnauthorized, Message: msgUnauthorized,
				Data: map[string]any{"message": "missing auth token: send X-Auth-Token",
					"key": "errors.missing_token"}})
			return
		}
		id, err := s.deps.Auth.Verify(r.Context(), token)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		addLogFields(r.Context(), logrus.Fields{
			"auth_account_id": id.AccountID, "auth_owner_id": id.OwnerID})
		write := r.Method != http.MethodGet && r.Method != http.MethodHead
		if err := s.deps.Auth.Authorize(r.Context(), id, accountID, write); err != nil {
			s.writeError(w, r, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), keyIdentity, id)))
	})
}

// identity is the caller verified by authenticate; nil outside the
// account routes.
func identity(ctx context.Context) *kazooauth.Identity {
	id, _ := ctx.Value(keyIdentity).(*kazooauth.Identity)
	return id
}

// authError maps kazooauth errors: 401 or 403 with the verifier's
// client-safe reason, 503 when the store could not answer.
func authError(err error) *APIError {
	var ae *kazooauth.Error
	if !errors.As(err, &ae) {
		return nil
	}
	status := ae.HTTPStatus()
	msg := msgUnauthorized
	key := "errors.unauthorized"
	switch status {
	case http.StatusForbidden:
		msg, key = msgForbidden, "errors.forbidden"
		if errors.Is(err, kazooauth.ErrNotAdmin) {
			key = "errors.not_admin"
		}
	case http.StatusServiceUnavailable:
		return unavailable(err)
	}
	return &APIError{Status: status, Message: msg,
		Data: map[string]any{"message": ae.Reason, "key": key}, Err: err}
}

// storeError maps the couch and configstore errors.
func storeError(err error) *APIError {
	var bad *configstore.InvalidRequestError
	switch {
	case errors.As(err, &bad):
		return badRequest("errors.data_not_object", `"data" must be a JSON object`, err)
	case errors.Is(err, attempts.ErrBadStartKey):
		return badRequest("errors.bad_start_key", "start_key is not one this API issued", err)
	case errors.Is(err, attempts.ErrBadQuery):
		return badRequest("errors.bad_query", "the listing parameters are invalid", err)
	case errors.Is(err, couch.ErrNotFound):
		return notFound("document", err)
	case errors.Is(err, couch.ErrConflict):
		return conflict(err)
	case errors.Is(err, couch.ErrUnavailable), errors.Is(err, context.DeadlineExceeded):
		return unavailable(err)
	case errors.Is(err, couch.ErrInvalidID):
		return notFound("document", err)
	}
	return nil
}
