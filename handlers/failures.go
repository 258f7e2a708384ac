package handlers

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"github.com/duo-kazoo/duo-kazoo/couch"
)

// FailureQuery selects failed second-factor attempts of one account.
type FailureQuery struct {
	From, To time.Time
	// Filters hold exact-match filters by field: status, reason, username,
	// owner_id, client_ip, configuration_id, auth_module, factor, and
	// auth_type (set by KAZOO's attempts listing).
	Filters map[string]string
	// Search is free text matched against user, IP, reason and message.
	Search string
	// PageSize bounds the page; zero means all (paginate=false).
	PageSize int
	// StartKey is the opaque key of the page to read, from NextStartKey.
	StartKey string
}

// FailurePage is one page of attempts, newest first.
type FailurePage struct {
	Attempts     []map[string]any
	NextStartKey string
}

// FailureLogService reads recorded attempts.
type FailureLogService interface {
	List(ctx context.Context, accountID string, q FailureQuery) (FailurePage, error)
	Get(ctx context.Context, accountID, attemptID string) (map[string]any, error)
}

// Filters the failure log listing accepts as filter_<name>.
var failureFilters = []string{"status", "reason", "username", "owner_id", "client_ip",
	"configuration_id", "auth_module", "factor"}

const (
	defaultPageSize = 50
	maxPageSize     = 1000
	defaultRange    = 31 * 24 * time.Hour
	maxRange        = 366 * 24 * time.Hour
	// exportPageSize is the page read at a time by the CSV export of a
	// whole listing (paginate=false): what it holds in memory.
	exportPageSize = maxPageSize
)

// nextStartKeyHeader carries a CSV page's next_start_key: the listing
// continues from there (the JSON envelope's next_start_key).
const nextStartKeyHeader = "X-Next-Start-Key"

// parseFailureQuery reads crossbar's listing parameters: created_from and
// created_to (Gregorian seconds, default the last 31 days), page_size,
// start_key, paginate=false, filter_<field>, q.
func parseFailureQuery(r *http.Request, now time.Time) (FailureQuery, error) {
	v := r.URL.Query()
	q := FailureQuery{Filters: map[string]string{}, Search: strings.TrimSpace(v.Get("q"))}
	problems := map[string]any{}

	q.To = now
	if s := v.Get("created_to"); s != "" {
		g, err := strconv.ParseInt(s, 10, 64)
		if err != nil || g <= 0 {
			problems["created_to"] = "must be Gregorian seconds"
		} else {
			q.To = couch.FromGregorian(g)
		}
	}
	q.From = q.To.Add(-defaultRange)
	if s := v.Get("created_from"); s != "" {
		g, err := strconv.ParseInt(s, 10, 64)
		if err != nil || g <= 0 {
			problems["created_from"] = "must be Gregorian seconds"
		} else {
			q.From = couch.FromGregorian(g)
		}
	}
	if len(problems) == 0 && q.From.After(q.To) {
		problems["created_from"] = "must not be after created_to"
	}
	if len(problems) == 0 && q.To.Sub(q.From) > maxRange {
		problems["created_from"] = "the range may cover at most 366 days"
	}

	q.PageSize = defaultPageSize
	if s := v.Get("page_size"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxPageSize {
			problems["page_size"] = fmt.Sprintf("must be a number from 1 to %d", maxPageSize)
		} else {
			q.PageSize = n
		}
	}
	if v.Get("paginate") == "false" {
		q.PageSize = 0
	}
	q.StartKey = v.Get("start_key")
	for _, f := range failureFilters {
		if val := v.Get("filter_" + f); val != "" {
			q.Filters[f] = val
		}
	}
	if len(problems) > 0 {
		data := map[string]any{}
		for field, msg := range problems {
			data[field] = map[string]any{"invalid": map[string]any{"message": msg,
				"key": "errors.bad_query"}}
		}
		return q, &APIError{Status: http.StatusBadRequest, Message: msgValidation, Data: data}
	}
	return q, nil
}

// listFailures is the Failure Logs tab: failed attempts unless the client
// asks for another status.
func (s *Server) listFailures(r *http.Request) (reply, error) {
	return s.listAttempts(r, false)
}

// kazooListAttempts is KAZOO's GET /multi_factor/attempts: the
// multi_factor attempts, whatever their status, in KAZOO's row shape.
// Attempts of other auth types (credentials events published by others)
// are left out, as KAZOO's listing (the login_attempt_by_auth_type view
// under "multi_factor") leaves them out.
func (s *Server) kazooListAttempts(r *http.Request) (reply, error) {
	return s.listAttempts(r, true)
}

// listAttempts lists attempts as JSON, or as CSV with Accept: text/csv.
// A CSV of a page carries the page's next_start_key in X-Next-Start-Key;
// with paginate=false the CSV is every matching attempt, read and written
// a page at a time (exportPageSize rows in memory), never cut short: if
// reading fails once the answer has started, the response is aborted (the
// client sees a broken transfer, not a shorter file).
func (s *Server) listAttempts(r *http.Request, kazooShape bool) (reply, error) {
	if s.deps.FailureLogs == nil {
		return reply{}, notImplemented()
	}
	accountID := mux.Vars(r)["account_id"]
	q, err := parseFailureQuery(r, time.Now())
	if err != nil {
		return reply{}, err
	}
	if _, ok := q.Filters["status"]; !ok && !kazooShape {
		q.Filters["status"] = "failed"
	}
	if kazooShape {
		q.Filters["auth_type"] = "multi_factor"
	}
	csvAll := wantsCSV(r) && q.PageSize == 0
	if csvAll {
		q.PageSize = exportPageSize
	}
	p, err := s.deps.FailureLogs.List(r.Context(), accountID, q)
	if err != nil {
		return reply{}, err
	}
	shape := func(rows []map[string]any) []map[string]any { return rows }
	if kazooShape {
		shape = func(rows []map[string]any) []map[string]any {
			out := make([]map[string]any, len(rows))
			for i, a := range rows {
				out[i] = kazooAttemptRow(a)
			}
			return out
		}
	}
	rows := shape(p.Attempts)
	if wantsCSV(r) {
		body := &rawBody{contentType: "text/csv; charset=utf-8",
			filename: "duo-failure-logs.csv"}
		if csvAll {
			body.stream = func(w io.Writer) error {
				return s.exportCSV(r.Context(), w, accountID, q, p, shape)
			}
		} else {
			body.body = attemptsCSV(rows)
			if p.NextStartKey != "" {
				body.header = http.Header{nextStartKeyHeader: {p.NextStartKey}}
			}
		}
		return reply{raw: body}, nil
	}
	if rows == nil {
		rows = []map[string]any{}
	}
	return reply{data: rows, page: &page{size: len(rows), startKey: q.StartKey,
		nextKey: p.NextStartKey}}, nil
}

// exportCSV writes the CSV of first and of every page after it.
func (s *Server) exportCSV(ctx context.Context, w io.Writer, accountID string,
	q FailureQuery, first FailurePage, shape func([]map[string]any) []map[string]any) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvColumns); err != nil {
		return err
	}
	p := first
	for {
		for _, a := range shape(p.Attempts) {
			if err := cw.Write(csvRecord(a)); err != nil {
				return err
			}
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return err
		}
		if p.NextStartKey == "" {
			return nil
		}
		q.StartKey = p.NextStartKey
		var err error
		if p, err = s.deps.FailureLogs.List(ctx, accountID, q); err != nil {
			return fmt.Errorf("exporting attempts: %w", err)
		}
	}
}

func (s *Server) getFailure(r *http.Request) (reply, error) {
	if s.deps.FailureLogs == nil {
		return reply{}, notImplemented()
	}
	v := mux.Vars(r)
	a, err := s.deps.FailureLogs.Get(r.Context(), v["account_id"], v["attempt_id"])
	if err != nil {
		return reply{}, err
	}
	return reply{data: a}, nil
}

func (s *Server) kazooGetAttempt(r *http.Request) (reply, error) {
	return s.getFailure(r)
}

// kazooAttemptRow is a row of KAZOO's attempts listing.
func kazooAttemptRow(a map[string]any) map[string]any {
	row := map[string]any{}
	for _, k := range []string{"id", "auth_type", "auth_module", "status", "message",
		"timestamp", "client_ip"} {
		if v, ok := a[k]; ok {
			row[k] = v
		}
	}
	return row
}

func wantsCSV(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		if mt, _, err := mime.ParseMediaType(strings.TrimSpace(part)); err == nil &&
			mt == "text/csv" {
			return true
		}
	}
	return false
}

// csvColumns are the exported columns, in order.
var csvColumns = []string{"id", "timestamp", "date", "status", "reason", "message",
	"auth_module", "username", "owner_id", "client_ip", "configuration_id",
	"provider_name", "factor"}

func attemptsCSV(rows []map[string]any) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write(csvColumns)
	for _, a := range rows {
		_ = w.Write(csvRecord(a))
	}
	w.Flush()
	return buf.Bytes()
}

// csvRecord is one attempt's CSV record, in csvColumns' order.
func csvRecord(a map[string]any) []string {
	rec := make([]string, len(csvColumns))
	for i, c := range csvColumns {
		switch c {
		case "date":
			if g, ok := a["timestamp"].(float64); ok {
				rec[i] = couch.FromGregorian(int64(g)).Format(time.RFC3339)
			} else if g, ok := a["timestamp"].(int64); ok {
				rec[i] = couch.FromGregorian(g).Format(time.RFC3339)
			}
		default:
			rec[i] = csvSafe(fmt.Sprint(valueOr(a[c], "")))
		}
	}
	return rec
}

func valueOr(v any, def any) any {
	if v == nil {
		return def
	}
	return v
}

// csvSafe defuses spreadsheet formula injection: a cell starting with
// = + - @ (or a tab/CR) is prefixed with a quote.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
