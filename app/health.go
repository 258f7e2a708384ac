package app

import (
	"encoding/json"
	"net/http"

	"github.com/gorilla/mux"
)

// healthRoutes registers GET /healthz: the process is alive and serving.
// It needs no auth, touches no dependency and reveals nothing.
func (a *App) healthRoutes(r *mux.Router) {
	r.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		_ = json.NewEncoder(w).Encode(map[string]string{"status": "ok"})
	}).Methods(http.MethodGet, http.MethodHead)
}
