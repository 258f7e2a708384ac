#!/usr/bin/env bash
# deps.sh installs, starts and stops the services duo-kazoo needs on
# loopback: RabbitMQ (Debian's rabbitmq-server) and PouchDB Server (a
# CouchDB-compatible HTTP server from npm, standing in for CouchDB).
#
#   scripts/deps.sh install   install what is missing (apt, npm)
#   scripts/deps.sh start     start both unless already up; prints the env
#   scripts/deps.sh stop      stop what start started
#   scripts/deps.sh env       print COUCH_URL and AMQP_URL for the local pair
#   scripts/deps.sh status    say what is running
#
# PouchDB's data lives under $DUO_KAZOO_RUN_DIR (default: .run/ in the
# repo), RabbitMQ's under $DUO_KAZOO_RABBIT_DIR (default
# /tmp/duo-kazoo-rabbitmq-<port>, reachable by the rabbitmq user).
# Ports: DUO_KAZOO_COUCH_PORT (15984), DUO_KAZOO_AMQP_PORT (5679).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
run_dir=${DUO_KAZOO_RUN_DIR:-$repo/.run}
couch_port=${DUO_KAZOO_COUCH_PORT:-15984}
amqp_port=${DUO_KAZOO_AMQP_PORT:-5679}
amqp_dist_port=$((amqp_port + 20000))
# RabbitMQ runs as the rabbitmq user, who must reach its directory: keep it
# under /tmp (world-traversable) rather than in a checkout that may not be.
rabbit_dir=${DUO_KAZOO_RABBIT_DIR:-/tmp/duo-kazoo-rabbitmq-$amqp_port}
pouch_dir=$run_dir/pouchdb
rabbit_node=duokazoo${amqp_port}@localhost

log() { printf 'deps: %s\n' "$*" >&2; }

# shellcheck source=scripts/lib.sh
. "$repo/scripts/lib.sh"

need_root_apt() {
	if [ "$(id -u)" -ne 0 ]; then
		log "missing Debian packages ($*); run as root or install them: apt-get install $*"
		exit 1
	fi
	log "installing Debian packages: $*"
	DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

install_deps() {
	local missing=()
	[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || missing+=(rabbitmq-server)
	command -v node >/dev/null || missing+=(nodejs npm)
	command -v curl >/dev/null || missing+=(curl)
	if [ "${DUO_KAZOO_NEED_BROWSER:-1}" = 1 ]; then
		command -v chromium >/dev/null || missing+=(chromium)
	fi
	[ ${#missing[@]} -eq 0 ] || need_root_apt "${missing[@]}"

	if [ ! -x "$repo/tools/pouchdb/node_modules/.bin/pouchdb-server" ]; then
		log "installing pouchdb-server (pinned in tools/pouchdb/package-lock.json)"
		(cd "$repo/tools/pouchdb" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
	fi
}

couch_up() { curl -fsS -m 2 "http://127.0.0.1:$couch_port/" >/dev/null 2>&1; }

# rabbit_run runs a RabbitMQ command as the rabbitmq user with this
# project's node name, ports and paths.
rabbit_env=(env -i PATH="$PATH" HOME="$rabbit_dir"
	RABBITMQ_NODENAME="$rabbit_node"
	RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
	RABBITMQ_NODE_PORT="$amqp_port"
	RABBITMQ_DIST_PORT="$amqp_dist_port"
	RABBITMQ_MNESIA_BASE="$rabbit_dir/mnesia"
	RABBITMQ_LOG_BASE="$rabbit_dir/log"
	RABBITMQ_PID_FILE="$rabbit_dir/rabbit.pid"
	RABBITMQ_ENABLED_PLUGINS_FILE="$rabbit_dir/enabled_plugins"
	RABBITMQ_CONFIG_FILE="$rabbit_dir/rabbitmq"
	RABBITMQ_ADVANCED_CONFIG_FILE="$rabbit_dir/advanced.config"
	RABBITMQ_CONF_ENV_FILE="$rabbit_dir/rabbitmq-env.conf")

rabbit_run() {
	runuser -u rabbitmq -- "${rabbit_env[@]}" "$@"
}

rabbit_up() {
	(exec 3<>/dev/tcp/127.0.0.1/"$amqp_port") 2>/dev/null
}

start_couch() {
	if couch_up; then
		log "CouchDB-API server already up on 127.0.0.1:$couch_port"
		return
	fi
	mkdir -p "$pouch_dir/data"
	log "starting pouchdb-server on 127.0.0.1:$couch_port"
	(
		cd "$pouch_dir"
		# Every database is a LevelDB holding several files open: a data
		# directory kept across many test runs outgrows the usual limit.
		ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
		daemon "$repo/tools/pouchdb/node_modules/.bin/pouchdb-server" \
			--host 127.0.0.1 --port "$couch_port" --dir "$pouch_dir/data" \
			--config "$pouch_dir/config.json" --no-color \
			>"$pouch_dir/server.log" 2>&1
		echo $! >"$pouch_dir/pid"
	)
	for _ in $(seq 1 60); do
		couch_up && return
		sleep 0.5
	done
	log "pouchdb-server did not start; see $pouch_dir/server.log"
	exit 1
}

start_rabbit() {
	if rabbit_up; then
		log "RabbitMQ already up on 127.0.0.1:$amqp_port"
		return
	fi
	mkdir -p "$rabbit_dir/mnesia" "$rabbit_dir/log"
	: >"$rabbit_dir/enabled_plugins"
	printf '[].\n' >"$rabbit_dir/enabled_plugins"
	cat >"$rabbit_dir/rabbitmq.conf" <<CONF
listeners.tcp.1 = 127.0.0.1:$amqp_port
loopback_users = none
log.console = false
log.file.level = warning
CONF
	: >"$rabbit_dir/rabbitmq-env.conf"
	chown -R rabbitmq:rabbitmq "$rabbit_dir"
	log "starting RabbitMQ on 127.0.0.1:$amqp_port (takes ~15 s)"
	(cd "$rabbit_dir" && daemon runuser -u rabbitmq -- "${rabbit_env[@]}" \
		/usr/lib/rabbitmq/bin/rabbitmq-server >"$rabbit_dir/log/startup.log" 2>&1)
	for _ in $(seq 1 120); do
		if rabbit_up; then
			return
		fi
		sleep 0.5
	done
	log "RabbitMQ did not start; see $rabbit_dir/log"
	exit 1
}

stop_couch() {
	if [ -f "$pouch_dir/pid" ]; then
		local pid
		pid=$(cat "$pouch_dir/pid")
		kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
		for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
		kill -9 -- "-$pid" 2>/dev/null || true
		rm -f "$pouch_dir/pid"
		log "stopped pouchdb-server"
	fi
}

stop_rabbit() {
	[ -d "$rabbit_dir" ] || return 0
	if rabbit_up || [ -f "$rabbit_dir/rabbit.pid" ]; then
		(cd "$rabbit_dir" && rabbit_run /usr/lib/rabbitmq/bin/rabbitmqctl \
			-n "$rabbit_node" stop >/dev/null 2>&1) || true
		if [ -f "$rabbit_dir/rabbit.pid" ]; then
			local pid
			pid=$(cat "$rabbit_dir/rabbit.pid")
			kill "$pid" 2>/dev/null || true
			rm -f "$rabbit_dir/rabbit.pid"
		fi
		log "stopped RabbitMQ"
	fi
}

print_env() {
	echo "export COUCH_URL=http://127.0.0.1:$couch_port"
	echo "export AMQP_URL=amqp://guest:guest@127.0.0.1:$amqp_port/"
}

case "${1:-}" in
install) install_deps ;;
start)
	install_deps
	start_couch
	start_rabbit
	print_env
	;;
start-couch) start_couch ;;
start-rabbit) start_rabbit ;;
stop-couch) stop_couch ;;
stop-rabbit) stop_rabbit ;;
stop)
	stop_couch
	stop_rabbit
	;;
env) print_env ;;
status)
	couch_up && echo "couch: up on 127.0.0.1:$couch_port" || echo "couch: down"
	rabbit_up && echo "rabbitmq: up on 127.0.0.1:$amqp_port" || echo "rabbitmq: down"
	;;
*)
	sed -n '2,13p' "$0"
	exit 2
	;;
esac
