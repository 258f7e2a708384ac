package handlers

import (
	"encoding/json"
	"io"
	"net/http"
	"time"
)

// envelope is crossbar's response shape.
type envelope struct {
	Status       string `json:"status"`
	Data         any    `json:"data"`
	Error        string `json:"error,omitempty"`
	Message      string `json:"message,omitempty"`
	Revision     string `json:"revision,omitempty"`
	RequestID    string `json:"request_id,omitempty"`
	Node         string `json:"node,omitempty"`
	Timestamp    string `json:"timestamp"`
	Version      string `json:"version,omitempty"`
	PageSize     *int   `json:"page_size,omitempty"`
	StartKey     any    `json:"start_key,omitempty"`
	NextStartKey any    `json:"next_start_key,omitempty"`
}

// reply is what a handler answers with on success.
type reply struct {
	status   int // 200 when zero
	data     any
	revision string
	page     *page
	raw      *rawBody
}

// rawBody is a non-JSON answer (CSV export): body, or what stream writes.
type rawBody struct {
	contentType string
	filename    string
	header      http.Header // further response headers
	body        []byte
	// stream, when set, writes the body after the status is sent. If it
	// fails, the response is aborted (the connection is cut) so that the
	// client never takes a partial body for a whole one.
	stream func(w io.Writer) error
}

// page carries a listing's pagination fields.
type page struct {
	size     int
	startKey string
	nextKey  string
}

func (s *Server) writeJSON(w http.ResponseWriter, r *http.Request, status int, env envelope) {
	env.RequestID = requestID(r.Context())
	env.Node = s.node
	env.Version = s.version
	env.Timestamp = time.Now().UTC().Format(time.RFC3339)
	// Crossbar echoes the caller's token in auth_token; this API does not:
	// a token is a secret and the caller already has it.
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Request-ID", env.RequestID)
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(env)
}

func (s *Server) writeReply(w http.ResponseWriter, r *http.Request, rep reply) {
	status := rep.status
	if status == 0 {
		status = http.StatusOK
	}
	env := envelope{Status: "success", Data: rep.data, Revision: rep.revision}
	if rep.page != nil {
		size := rep.page.size
		env.PageSize = &size
		if rep.page.startKey != "" {
			env.StartKey = rep.page.startKey
		}
		if rep.page.nextKey != "" {
			env.NextStartKey = rep.page.nextKey
		}
	}
	s.writeJSON(w, r, status, env)
}
