package handlers

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/gorilla/mux"
	"github.com/sirupsen/logrus"

	"github.com/duo-kazoo/duo-kazoo/couch"
)

// ConfigService manages an account's Duo configurations (KAZOO
// multi_factor provider documents). Views are the API's public shape:
// no pvt_* fields, no secret values. rev is the document revision; an
// empty rev on Replace, Patch and Delete means "the one read now".
type ConfigService interface {
	List(ctx context.Context, accountID string) ([]couch.ProviderSummary, error)
	Get(ctx context.Context, accountID, id string) (view map[string]any, rev string, err error)
	Create(ctx context.Context, accountID string, data json.RawMessage) (map[string]any, string, error)
	Replace(ctx context.Context, accountID, id, rev string, data json.RawMessage) (
		map[string]any, string, error)
	Patch(ctx context.Context, accountID, id, rev string, data json.RawMessage) (
		map[string]any, string, error)
	// Delete answers the deleted configuration's view and the revision of
	// the deletion.
	Delete(ctx context.Context, accountID, id, rev string) (map[string]any, string, error)
	GenerateApplicationSecretKey() (string, error)
}

func vars(r *http.Request) (accountID, configID string) {
	v := mux.Vars(r)
	return v["account_id"], v["config_id"]
}

// ifMatch returns the revision the client based its change on: If-Match,
// or rev in the query string. Empty when the client sent none, and for
// "If-Match: *", which asks for any current version (RFC 9110, 13.1.1).
func ifMatch(r *http.Request) string {
	if v := strings.TrimSpace(r.Header.Get("If-Match")); v != "" {
		if v == "*" {
			return ""
		}
		return strings.Trim(v, `"`)
	}
	return r.URL.Query().Get("rev")
}

func (s *Server) listConfigs(r *http.Request) (reply, error) {
	accountID, _ := vars(r)
	list, err := s.deps.Configs.List(r.Context(), accountID)
	if err != nil {
		return reply{}, err
	}
	s.logMalformed(r, list)
	if list == nil {
		list = []couch.ProviderSummary{}
	}
	return reply{data: list}, nil
}

// logMalformed warns of each listed configuration whose stored document
// has fields of the wrong type (listed as "" or false), naming the fields,
// never their values: an operator or admin should repair it.
func (s *Server) logMalformed(r *http.Request, list []couch.ProviderSummary) {
	accountID, _ := vars(r)
	for _, p := range list {
		if p.Malformed == "" {
			continue
		}
		s.log.WithFields(logrus.Fields{
			"request_id":       requestID(r.Context()),
			"account_id":       accountID,
			"config_id":        p.ID,
			"malformed_fields": p.Malformed,
		}).Warn("configuration document has fields of the wrong type; listed with defaults")
	}
}

func (s *Server) getConfig(r *http.Request) (reply, error) {
	accountID, id := vars(r)
	addLogFields(r.Context(), logrus.Fields{"config_id": id})
	view, rev, err := s.deps.Configs.Get(r.Context(), accountID, id)
	if err != nil {
		return reply{}, err
	}
	return reply{data: view, revision: rev}, nil
}

func (s *Server) createConfig(r *http.Request) (reply, error) {
	accountID, _ := vars(r)
	data, err := s.readData(r)
	if err != nil {
		return reply{}, err
	}
	view, rev, err := s.deps.Configs.Create(r.Context(), accountID, data)
	if err != nil {
		return reply{}, err
	}
	addLogFields(r.Context(), logrus.Fields{"config_id": view["id"]})
	return reply{status: http.StatusCreated, data: view, revision: rev}, nil
}

func (s *Server) replaceConfig(r *http.Request) (reply, error) {
	return s.updateConfig(r, s.deps.Configs.Replace)
}

func (s *Server) patchConfig(r *http.Request) (reply, error) {
	return s.updateConfig(r, s.deps.Configs.Patch)
}

type updateFunc func(ctx context.Context, accountID, id, rev string, data json.RawMessage) (
	map[string]any, string, error)

func (s *Server) updateConfig(r *http.Request, update updateFunc) (reply, error) {
	accountID, id := vars(r)
	addLogFields(r.Context(), logrus.Fields{"config_id": id})
	data, err := s.readData(r)
	if err != nil {
		return reply{}, err
	}
	view, rev, err := update(r.Context(), accountID, id, ifMatch(r), data)
	if err != nil {
		return reply{}, err
	}
	return reply{data: view, revision: rev}, nil
}

// deleteConfig answers as KAZOO's crossbar does, the deleted document
// with "_read_only": {"deleted": true} and the new revision, plus this
// API's "deleted": true.
func (s *Server) deleteConfig(r *http.Request) (reply, error) {
	accountID, id := vars(r)
	addLogFields(r.Context(), logrus.Fields{"config_id": id})
	view, rev, err := s.deps.Configs.Delete(r.Context(), accountID, id, ifMatch(r))
	if err != nil {
		return reply{}, err
	}
	if view == nil {
		view = map[string]any{"id": id}
	}
	view["_read_only"] = map[string]any{"deleted": true}
	view["deleted"] = true
	return reply{data: view, revision: rev}, nil
}

func (s *Server) generateAppKey(r *http.Request) (reply, error) {
	key, err := s.deps.Configs.GenerateApplicationSecretKey()
	if err != nil {
		return reply{}, err
	}
	return reply{data: map[string]any{"application_secret_key": key}}, nil
}
