#!/usr/bin/env bash
# with-deps.sh runs a command with COUCH_URL and AMQP_URL pointing at a
# CouchDB-API server and a RabbitMQ. When both variables are already set,
# those servers are used as they are; otherwise the local pair is started
# (scripts/deps.sh) and whatever this script started is stopped afterwards.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)

if [ -n "${COUCH_URL:-}" ] && [ -n "${AMQP_URL:-}" ]; then
	exec "$@"
fi

started=()
status=$("$repo/scripts/deps.sh" status)
grep -q '^couch: up' <<<"$status" || started+=(stop-couch)
grep -q '^rabbitmq: up' <<<"$status" || started+=(stop-rabbit)
cleanup() {
	for s in "${started[@]}"; do "$repo/scripts/deps.sh" "$s" || true; done
}
trap cleanup EXIT
eval "$("$repo/scripts/deps.sh" start)"
export COUCH_URL AMQP_URL
"$@"
