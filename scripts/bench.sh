#!/usr/bin/env bash
# bench.sh runs every benchmark beside its floor, measured in the same run
# on the same servers, and prints the figures and the ratios that matter.
# Run it through `make bench` (which starts CouchDB-API and RabbitMQ).
#
# Sizes are environment variables: DUO_KAZOO_BENCH_ATTEMPTS (failure-log
# data set, default 100000), DUO_KAZOO_BENCH_PENDING (pending pushes,
# default 10000), BENCHTIME (go test -benchtime, default 2s).
set -euo pipefail
cd "$(dirname "$0")/.."

export DUO_KAZOO_BENCH_ATTEMPTS=${DUO_KAZOO_BENCH_ATTEMPTS:-100000}
export DUO_KAZOO_BENCH_PENDING=${DUO_KAZOO_BENCH_PENDING:-10000}
benchtime=${BENCHTIME:-2s}
out=${BENCH_OUT:-artifacts/bench.txt}
mkdir -p "$(dirname "$out")"
: >"$out"

# run PKG PATTERN: one package's benchmarks; a failure is shown with its
# message and noted, and the other benchmarks still run.
failed=()
run() {
	local pkg=$1 pattern=$2
	shift 2
	echo "== $pkg ($pattern)" | tee -a "$out"
	if ! go test -run '^$' -bench "$pattern" -benchmem -benchtime "${BENCHTIME:-$benchtime}" \
		-timeout 30m "$@" "./$pkg" >"$out.pkg" 2>&1; then
		failed+=("$pkg ($pattern)")
	fi
	grep -E '^(Benchmark|ok|FAIL|---)|p50|panic|^\s+\S+_test\.go:[0-9]+:' "$out.pkg" | tee -a "$out" || true
	rm -f "$out.pkg"
}

# metric NAME UNIT: the value of UNIT on benchmark line NAME.
metric() {
	awk -v name="$1" -v unit="$2" '$1 ~ "^"name"(-[0-9]+)?$" {
		for (i = 2; i < NF; i++) if ($(i+1) == unit) { print $i; exit } }' "$out"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

run handlers 'BenchmarkGetConfig$'
run handlers 'BenchmarkGetConfigOverhead'
run metrics 'Benchmark'
run duo/websdk 'Benchmark'
run duo/authapi 'Benchmark'
run kazooauth 'BenchmarkVerify'
run secrets 'Benchmark'
run e2e 'BenchmarkChallenge|BenchmarkIngestion'
run amqp 'Benchmark'
run mfa 'BenchmarkChallengeDuo'
BENCHTIME=1x run mfa 'BenchmarkPendingPushes'
run attempts 'BenchmarkIngest|BenchmarkBulkDocsFloor'
BENCHTIME=20x run attempts 'BenchmarkFirstPage'

svc=$(metric BenchmarkGetConfig/service p50-µs)
floor=$(metric BenchmarkGetConfig/couch-floor p50-µs)
push=$(metric BenchmarkPushRoundTrip ns/op)
check=$(metric BenchmarkCheckFloor ns/op)
cat <<SUMMARY | tee -a "$out"

== summary (same run, same servers)
GET /duo/{id} p50: service ${svc:-?} µs, CouchDB floor ${floor:-?} µs, ratio $(ratio "${svc:-0}" "${floor:-0}") (aim < 1.3)
Auth API push round trip: ${push:-?} ns/op beside a bare signed check ${check:-?} ns/op, ratio $(ratio "${push:-0}" "${check:-0}")
$(for c in 1 16 64; do
	m=$(metric "BenchmarkChallenge/module/c$c" msgs/s)
	f=$(metric "BenchmarkChallenge/floor/c$c" msgs/s)
	echo "duo challenge over AMQP, $c callers: ${m:-?} msgs/s beside a no-op responder ${f:-?} msgs/s, $(ratio "${m:-0}" "${f:-0}") of the floor (aim >= 0.70)"
done)
$(m=$(metric BenchmarkIngestion/module events/s); f=$(metric BenchmarkIngestion/bulk_docs-floor events/s)
echo "attempt ingestion over AMQP: ${m:-?} events/s beside raw _bulk_docs ${f:-?} events/s, $(ratio "${m:-0}" "${f:-0}") of the floor (aim >= 0.80)")
pending pushes ($DUO_KAZOO_BENCH_PENDING): $(metric BenchmarkPendingPushes B/pending_push) bytes each (aim < 20000), peak RSS $(metric BenchmarkPendingPushes peak_RSS_MB) MB; challenges meanwhile p99 $(metric BenchmarkPendingPushes p99_ns/challenge) ns beside $(metric BenchmarkPendingPushes idle_p99_ns/challenge) ns with none pending
failure logs, first page over $DUO_KAZOO_BENCH_ATTEMPTS attempts: $(metric BenchmarkFirstPage/newest ms/page) ms (aim < 100)
metrics cost on GET /duo/{id}: $(metric BenchmarkGetConfigOverhead/interleaved metrics-overhead-ns/req) ns/req; debug logging $(metric BenchmarkGetConfigOverhead/interleaved debuglog-overhead-ns/req) ns/req
Full output: $out
SUMMARY
if [ ${#failed[@]} -gt 0 ]; then
	printf 'FAILED: %s\n' "${failed[@]}" | tee -a "$out"
	exit 1
fi
