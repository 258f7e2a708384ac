package handlers

import (
	"net/http"
)

// kazooProviderKinds are the multi_factor providers this module serves,
// listed as multi_factor_providers in KAZOO's listing.
var kazooProviderKinds = []map[string]any{
	{"id": "duo", "name": "Duo Web SDK", "provider_name": "duo",
		"provider_type": "multi_factor", "enabled": true},
	{"id": "duo_universal", "name": "Duo Universal Prompt", "provider_name": "duo_universal",
		"provider_type": "multi_factor", "enabled": true},
}

// kazooListProviders answers KAZOO's GET /multi_factor shape:
// {"configured": [...], "multi_factor_providers": [...]}.
func (s *Server) kazooListProviders(r *http.Request) (reply, error) {
	accountID, _ := vars(r)
	list, err := s.deps.Configs.List(r.Context(), accountID)
	if err != nil {
		return reply{}, err
	}
	s.logMalformed(r, list)
	configured := make([]any, len(list))
	for i, p := range list {
		configured[i] = p
	}
	return reply{data: map[string]any{
		"configured":             configured,
		"multi_factor_providers": kazooProviderKinds,
	}}, nil
}

func (s *Server) kazooCreateProvider(r *http.Request) (reply, error) {
	return s.createConfig(r)
}

func (s *Server) kazooGetProvider(r *http.Request) (reply, error) {
	return s.getConfig(r)
}
