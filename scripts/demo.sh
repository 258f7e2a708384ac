#!/usr/bin/env bash
# demo.sh brings up the whole demo on loopback, or stops it.
#
#   scripts/demo.sh start   dependencies, Duo simulator, seeded KAZOO, the
#                           service; prints where to look (make run)
#   scripts/demo.sh stop    stops everything start started (make stop)
#
# State lives in .run/demo: the secrets key, logs, pid files.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
bin=$repo/bin/duo-kazoo
demo=${DUO_KAZOO_RUN_DIR:-$repo/.run}/demo
export HTTP_ADDR=${HTTP_ADDR:-127.0.0.1:8094}
export DUOSIM_ADDR=${DUOSIM_ADDR:-127.0.0.1:8443}
api=http://$HTTP_ADDR

# shellcheck source=scripts/lib.sh
. "$repo/scripts/lib.sh"

log() { printf 'demo: %s\n' "$*" >&2; }

# start_bg NAME CMD... runs a command in the background with its own log
# and pid file.
start_bg() {
	local name=$1
	shift
	if [ -f "$demo/$name.pid" ] && kill -0 "$(cat "$demo/$name.pid")" 2>/dev/null; then
		log "$name already running (pid $(cat "$demo/$name.pid"))"
		return
	fi
	daemon "$@" >>"$demo/$name.log" 2>&1
	echo $! >"$demo/$name.pid"
}

stop_bg() {
	local name=$1 pid
	[ -f "$demo/$name.pid" ] || return 0
	pid=$(cat "$demo/$name.pid")
	if kill -0 "$pid" 2>/dev/null; then
		kill -TERM "$pid" 2>/dev/null || true
		for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
		kill -KILL "$pid" 2>/dev/null || true
		log "stopped $name"
	fi
	rm -f "$demo/$name.pid"
}

wait_http() {
	for _ in $(seq 1 80); do
		curl -fsS -m 1 -o /dev/null "$1" 2>/dev/null && return 0
		sleep 0.25
	done
	return 1
}

start() {
	mkdir -p "$demo"
	# Remember which dependencies this demo starts: make stop stops those
	# and leaves alone servers that were up before (another checkout's,
	# an operator's).
	local status
	status=$("$repo/scripts/deps.sh" status)
	grep -q '^couch: up' <<<"$status" || touch "$demo/started-couch"
	grep -q '^rabbitmq: up' <<<"$status" || touch "$demo/started-rabbit"
	eval "$("$repo/scripts/deps.sh" start)"
	export COUCH_URL AMQP_URL

	if [ ! -s "$demo/secrets.key" ]; then
		(umask 077 && "$bin" keygen >"$demo/secrets.key")
	fi
	export DUO_KAZOO_SECRET_KEY_FILE=$demo/secrets.key
	export LOG_FORMAT=${LOG_FORMAT:-text}

	start_bg duosim "$bin" sim --addr "$DUOSIM_ADDR" --ca-file "$demo/duosim-ca.pem"
	for _ in $(seq 1 40); do [ -s "$demo/duosim-ca.pem" ] && break; sleep 0.25; done
	export DUO_KAZOO_CA_FILE=$demo/duosim-ca.pem

	"$bin" demo-seed --api-url "$api" --duo-host "$DUOSIM_ADDR" >"$demo/seed.txt"
	# What an operator runs at install: design docs everywhere, secrets
	# sealed, recorded for /readyz.
	if ! "$bin" migrate >"$demo/migrate.txt" 2>"$demo/migrate.log"; then
		log "migrate reported problems; see $demo/migrate.txt"
	fi

	start_bg serve "$bin" serve
	if ! wait_http "$api/healthz"; then
		log "the service did not come up; see $demo/serve.log"
		tail -20 "$demo/serve.log" >&2
		exit 1
	fi

	cat "$demo/seed.txt"
	ready=$(curl -s -m 5 "$api/readyz" || true)
	cat <<MSG

The service:    $api   (log: $demo/serve.log)
Duo simulator:  https://$DUOSIM_ADDR   (log: $demo/duosim.log)
The UI:         $api/   (sign in with an admin token above)
Health:         $api/healthz, $api/readyz ($ready), $api/metrics, $api/openapi.json
CouchDB API:    $COUCH_URL
RabbitMQ:       $AMQP_URL
Stop it all:    make stop
MSG
}

stop() {
	stop_bg serve
	stop_bg duosim
	local dep
	for dep in couch rabbit; do
		if [ -f "$demo/started-$dep" ]; then
			"$repo/scripts/deps.sh" "stop-$dep"
			rm -f "$demo/started-$dep"
		fi
	done
}

case "${1:-}" in
start) start ;;
stop) stop ;;
*)
	sed -n '2,8p' "$0"
	exit 2
	;;
esac
