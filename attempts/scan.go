package attempts

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/duo-kazoo/duo-kazoo/couch"
)

// indexOrder is the order in which a filter is picked for the by_field
// index when several are given: the most selective kinds first.
var indexOrder = []string{"username", "owner_id", "client_ip", "configuration_id",
	"reason", "factor", "auth_module", "status"}

// memoryFilters are the filters no index serves: matched while reading.
var memoryFilters = []string{"auth_type"}

// searchFields are the row fields Query.Search looks in.
var searchFields = []string{"username", "owner_id", "client_ip", "reason", "message"}

// plan is a List query turned into view reads.
type plan struct {
	view         string
	prefix       []any             // view key prefix before [timestamp, id]
	filters      map[string]string // every filter, matched on each row
	search       string            // lowercased
	fromG, toG   int64
	months       []time.Time // newest first
	after        *cursor     // resume after this row
	inMemoryOnly bool        // rows may fail to match: read in chunks
}

func (s *Service) plan(q Query) (plan, error) {
	if q.PageSize < 0 {
		return plan{}, fmt.Errorf("%w: page size %d", ErrBadQuery, q.PageSize)
	}
	to, from := q.To, q.From
	if to.IsZero() {
		to = s.store.Now()
	}
	if from.IsZero() {
		from = to.Add(-s.opts.DefaultRange)
	}
	if from.After(to) {
		return plan{}, fmt.Errorf("%w: from is after to", ErrBadQuery)
	}
	if to.Sub(from) > s.opts.MaxRange {
		return plan{}, fmt.Errorf("%w: range over %s", ErrBadQuery, s.opts.MaxRange)
	}
	p := plan{view: couch.AttemptsByTime, filters: map[string]string{},
		search: strings.ToLower(strings.TrimSpace(q.Search)),
		fromG:  couch.Gregorian(from), toG: couch.Gregorian(to), months: couch.Months(from, to)}
	for k, v := range q.Filters {
		if !slices.Contains(indexOrder, k) && !slices.Contains(memoryFilters, k) {
			return plan{}, fmt.Errorf("%w: unknown filter %q", ErrBadQuery, k)
		}
		if v != "" {
			p.filters[k] = v
		}
	}
	for _, k := range indexOrder {
		if v, ok := p.filters[k]; ok {
			p.view, p.prefix = couch.AttemptsByField, []any{k, v}
			break
		}
	}
	indexed := 0 // filters the view's key serves
	if p.view == couch.AttemptsByField {
		indexed = 1
	}
	p.inMemoryOnly = p.search != "" || len(p.filters) > indexed
	return p, nil
}

// key is a listing view key: the plan's prefix, then tail.
func (p plan) key(tail ...any) []any {
	return append(slices.Clip(p.prefix), tail...)
}

// match reports whether a listing row passes every filter and the search.
func (p plan) match(row map[string]any) bool {
	for k, v := range p.filters {
		if s, _ := row[k].(string); s != v {
			return false
		}
	}
	if p.search == "" {
		return true
	}
	for _, f := range searchFields {
		if s, _ := row[f].(string); strings.Contains(strings.ToLower(s), p.search) {
			return true
		}
	}
	return false
}

// scan reads one page of a plan.
type scan struct {
	store   Store
	account string
	plan    plan
	limit   int // 0: no limit
	budget  int // rows to read at most
	chunk   int

	page    Page
	scanned int
	prev    *cursor // the last row read and dealt with
}

func (sc *scan) run(ctx context.Context) (Page, error) {
	p := sc.plan
	if p.after != nil && p.after.TS > p.toG {
		p.after = nil // the range now ends before the old position: start at its end
	}
	if p.after != nil && p.after.TS < p.fromG {
		return Page{}, nil // the old position is before the range: nothing left
	}
	for _, m := range p.months {
		hi, skip := p.key(p.toG, map[string]any{}), (*cursor)(nil)
		if p.after != nil {
			switch am := p.after.month(); {
			case m.After(am):
				continue
			case m.Equal(am):
				hi, skip = p.key(p.after.TS, p.after.ID), p.after
			}
		}
		done, err := sc.month(ctx, m, hi, skip)
		if err != nil || done {
			return sc.page, err
		}
	}
	return sc.page, nil
}

// month reads one month from key hi (skipping the row at skip) down to the
// start of the range. done: the page is complete or the budget spent.
func (sc *scan) month(ctx context.Context, m time.Time, hi []any, skip *cursor) (bool, error) {
	lo := sc.plan.key(sc.plan.fromG)
	for {
		n := sc.readSize()
		if skip != nil {
			n++
		}
		rows, err := sc.store.QueryMODB(ctx, sc.account, m, couch.AttemptsDesignName,
			sc.plan.view, couch.ViewQuery{StartKey: hi, EndKey: lo, Descending: true, Limit: n})
		if err != nil {
			return true, err
		}
		var last cursor
		for _, r := range rows {
			cur, err := rowCursor(r.Key)
			if err != nil {
				return true, err
			}
			last = cur
			if skip != nil && cur == *skip {
				continue
			}
			if done, err := sc.take(cur, r.Value); done || err != nil {
				return true, err
			}
		}
		if len(rows) < n {
			return false, nil
		}
		hi, skip = sc.plan.key(last.TS, last.ID), &last
	}
}

// take deals with one row. done: the page is complete or the budget spent;
// NextStartKey is then set.
func (sc *scan) take(cur cursor, value json.RawMessage) (bool, error) {
	sc.scanned++
	var row map[string]any
	if err := json.Unmarshal(value, &row); err != nil {
		return true, fmt.Errorf("decoding listing row %s: %w", cur.ID, err)
	}
	if sc.plan.match(row) {
		if sc.limit > 0 && len(sc.page.Attempts) == sc.limit {
			// A further match: the page is full and more follow.
			sc.page.NextStartKey = sc.prev.encode()
			return true, nil
		}
		sc.page.Attempts = append(sc.page.Attempts, row)
	}
	sc.prev = &cur
	if sc.scanned >= sc.budget {
		sc.page.NextStartKey = cur.encode()
		return true, nil
	}
	return false, nil
}

// readSize is the number of rows to ask the view for next: just enough to
// fill the page and see whether more follow when every row matches, a
// chunk otherwise; never more than the budget left.
func (sc *scan) readSize() int {
	n := sc.chunk
	if sc.limit > 0 && !sc.plan.inMemoryOnly {
		n = sc.limit - len(sc.page.Attempts) + 1
	} else if sc.limit > 0 {
		n = max(n, sc.limit-len(sc.page.Attempts)+1)
	}
	return max(1, min(n, sc.budget-sc.scanned))
}
