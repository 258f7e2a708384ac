package attempts

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/duo-kazoo/duo-kazoo/couch"
	"github.com/duo-kazoo/duo-kazoo/internal/testenv"
)

// benchMonth is the month ingestion benchmarks write to.
var benchMonth = time.Date(2025, 6, 15, 12, 0, 0, 0, time.UTC)

// benchAttempt is a typical failed second factor.
func benchAttempt(key string, at time.Time, i int) Attempt {
	return Attempt{Key: key, Time: at, Status: StatusFailed, AuthModule: "cb_user_auth",
		Reason: reasons[i%len(reasons)], Message: "The user denied the Duo push",
		ClientIP: fmt.Sprintf("198.51.100.%d", i%250), CrossbarRequestID: key,
		ClientHeaders: map[string]string{"User-Agent": "Mozilla/5.0 (X11; Linux x86_64)"},
		OwnerID:       fmt.Sprintf("%032x", i%50), Username: fmt.Sprintf("user%d", i%50),
		ConfigurationID: "0123456789abcdef0123456789abcdef", ProviderName: "duo",
		Factor:  "push",
		Details: map[string]any{"duo_status": "deny", "txid": key, "device": "DPFZRS9FB0D46QFTM899"},
	}
}

// benchAccount is a fresh account whose benchmark MODb is dropped after.
func benchAccount(b *testing.B, c *couch.Client) string {
	b.Helper()
	acct := testenv.NewID()
	dropMonths(b, c, acct, benchMonth, benchMonth)
	return acct
}

func reportRate(b *testing.B, attempts int64) {
	b.ReportMetric(float64(attempts)/b.Elapsed().Seconds(), "attempts/s")
}

// BenchmarkIngest measures attempts per second through the Recorder: one
// Record at a time, many concurrent Records with and without the batch
// window, and RecordBatch of 100.
func BenchmarkIngest(b *testing.B) {
	c := openCouch(b)
	ctx := context.Background()
	var seq atomic.Int64
	key := func() string { return fmt.Sprint("ingest-", seq.Add(1)) }

	b.Run("record", func(b *testing.B) {
		acct, r := benchAccount(b, c), NewRecorder(c, RecorderOptions{})
		for b.Loop() {
			if _, err := r.Record(ctx, acct, benchAttempt(key(), benchMonth, 1)); err != nil {
				b.Fatal(err)
			}
		}
		reportRate(b, int64(b.N))
	})
	for _, window := range []time.Duration{0, 2 * time.Millisecond} {
		b.Run(fmt.Sprintf("record_concurrent_16_window_%s", window), func(b *testing.B) {
			acct := benchAccount(b, c)
			r := NewRecorder(c, RecorderOptions{BatchWindow: window})
			b.SetParallelism(8) // 16 writers on 2 cores, like an AMQP prefetch of 16
			b.RunParallel(func(pb *testing.PB) {
				for i := 0; pb.Next(); i++ {
					if _, err := r.Record(ctx, acct, benchAttempt(key(), benchMonth, i)); err != nil {
						b.Error(err)
						return
					}
				}
			})
			reportRate(b, int64(b.N))
		})
	}
	b.Run("record_batch_100", func(b *testing.B) {
		acct, r := benchAccount(b, c), NewRecorder(c, RecorderOptions{})
		batch := make([]Attempt, 100)
		for b.Loop() {
			for i := range batch {
				batch[i] = benchAttempt(key(), benchMonth, i)
			}
			if _, err := r.RecordBatch(ctx, acct, batch); err != nil {
				b.Fatal(err)
			}
		}
		reportRate(b, int64(b.N)*100)
	})
}

// BenchmarkBulkDocsFloor writes the same documents with kivik directly
// into a prepared MODb: the server's own cost, for comparison with
// BenchmarkIngest.
func BenchmarkBulkDocsFloor(b *testing.B) {
	c := openCouch(b)
	ctx := context.Background()
	var seq atomic.Int64
	prepare := func(b *testing.B) (string, string) {
		acct := benchAccount(b, c)
		db, _ := couch.MODB(acct, benchMonth)
		if err := c.EnsureDesign(ctx, db, couch.MODBDesigns...); err != nil {
			b.Fatal(err)
		}
		return acct, db
	}
	doc := func(b *testing.B, acct string, i int) couch.Doc {
		d, err := benchAttempt(fmt.Sprint("floor-", seq.Add(1)), benchMonth, i).Document(acct)
		if err != nil {
			b.Fatal(err)
		}
		return d
	}

	b.Run("put", func(b *testing.B) {
		acct, db := prepare(b)
		for i := 0; b.Loop(); i++ {
			d := doc(b, acct, i)
			if _, err := c.Kivik().DB(db).Put(ctx, d["_id"].(string), d); err != nil {
				b.Fatal(err)
			}
		}
		reportRate(b, int64(b.N))
	})
	b.Run("bulk_docs_100", func(b *testing.B) {
		acct, db := prepare(b)
		batch := make([]any, 100)
		for b.Loop() {
			for i := range batch {
				batch[i] = doc(b, acct, i)
			}
			if _, err := c.Kivik().DB(db).BulkDocs(ctx, batch); err != nil {
				b.Fatal(err)
			}
		}
		reportRate(b, int64(b.N)*100)
	})
}

// benchAttempts is the size of BenchmarkFirstPage's data set:
// DUO_KAZOO_BENCH_ATTEMPTS, default 5000.
func benchAttempts(b *testing.B) int {
	b.Helper()
	n := 5000
	if s := os.Getenv("DUO_KAZOO_BENCH_ATTEMPTS"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 12 {
			b.Fatalf("DUO_KAZOO_BENCH_ATTEMPTS=%q: want a number of at least 12", s)
		}
		n = v
	}
	return n
}

// BenchmarkFirstPage measures one page of 50 of a year of failure logs
// (benchAttempts attempts over 12 MODbs), newest first: unfiltered, by
// one indexed filter, by a search, and the second page. Seeding and the
// first (index-building) reads are logged, not timed.
func BenchmarkFirstPage(b *testing.B) {
	c := openCouch(b)
	ctx := context.Background()
	n := benchAttempts(b)
	from := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(2025, 12, 31, 23, 59, 59, 0, time.UTC)
	acct := testenv.NewID()
	dropMonths(b, c, acct, from, to)

	start := time.Now()
	seedYear(b, c, acct, n, from, to)
	seeded := time.Since(start)
	b.Logf("seeded %d attempts in %s (%.0f attempts/s)", n, seeded.Round(time.Millisecond),
		float64(n)/seeded.Seconds())

	s := NewService(c, ServiceOptions{})
	cases := []struct {
		name string
		q    Query
	}{
		{"newest", Query{}},
		{"filter_username", Query{Filters: map[string]string{"username": "user7"}}},
		{"search_ip", Query{Search: "198.51.100.42"}},
		{"filter_status_and_search", Query{Filters: map[string]string{"status": "failed"},
			Search: "user13"}},
	}
	for _, tc := range cases {
		tc.q.From, tc.q.To, tc.q.PageSize = from, to, 50
		start := time.Now()
		first, err := s.List(ctx, acct, tc.q)
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("%s: first read (builds the view index) %s, %d rows",
			tc.name, time.Since(start).Round(time.Millisecond), len(first.Attempts))
		b.Run(tc.name, func(b *testing.B) { benchList(b, s, acct, tc.q) })
		if tc.name == "newest" {
			next := tc.q
			next.StartKey = first.NextStartKey
			b.Run("newest_second_page", func(b *testing.B) { benchList(b, s, acct, next) })
		}
	}
}

func benchList(b *testing.B, s *Service, acct string, q Query) {
	b.Helper()
	for b.Loop() {
		if _, err := s.List(context.Background(), acct, q); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/page")
}

// seedYear records n attempts spread evenly over [from, to], in batches of
// 1000 (one MODb each).
func seedYear(b *testing.B, c *couch.Client, acct string, n int, from, to time.Time) {
	b.Helper()
	r := NewRecorder(c, RecorderOptions{})
	step := to.Sub(from) / time.Duration(n)
	batch := make([]Attempt, 0, 1000)
	flush := func() {
		if len(batch) == 0 {
			return
		}
		if _, err := r.RecordBatch(context.Background(), acct, batch); err != nil {
			b.Fatal(err)
		}
		batch = batch[:0]
	}
	month := from.Month()
	for i := range n {
		at := from.Add(time.Duration(i) * step)
		if at.Month() != month || len(batch) == cap(batch) {
			flush()
			month = at.Month()
		}
		a := benchAttempt(fmt.Sprint("seed-", i), at, i)
		if i%10 == 9 {
			a.Status, a.Reason = StatusSuccess, ""
		}
		batch = append(batch, a)
	}
	flush()
}
