#!/usr/bin/env bash
# scripts/testdb.sh — a throwaway PostgreSQL server for Relevo's tests.
#
#   scripts/testdb.sh          start it (or reuse it) and print its URL on stdout
#   scripts/testdb.sh stop     stop it (the data stays; the next start reuses it)
#   scripts/testdb.sh status   exit 0 if it answers, 1 if not (prints nothing)
#   scripts/testdb.sh reset    stop it and delete its data
#
# Start prints exactly one line on stdout on success, the URL:
#   postgres://relevo@127.0.0.1:55432/relevo_test?sslmode=disable
# and nothing else. If RELEVO_TEST_DATABASE_URL is already set, that is printed
# instead and nothing is started. If no PostgreSQL server binaries are installed
# (Debian's /usr/lib/postgresql/*/bin), a notice goes to stderr, nothing to
# stdout, and the exit code is 0: the tests then skip their PostgreSQL half.
# Any other failure exits non-zero with the reason (and the server log) on stderr.
#
# The server listens on 127.0.0.1 only (plus a unix socket inside its data dir),
# trusts every local connection, and runs with fsync/synchronous_commit/
# full_page_writes off: it is for tests only and its data may be lost at any time.
#
# Overrides (rarely needed): RELEVO_TESTPG_DIR (default ${TMPDIR:-/tmp}/relevo-testpg),
# RELEVO_TESTPG_PORT (default 55432), RELEVO_PG_BIN (a directory holding pg_ctl).
set -euo pipefail

cmd="${1:-start}"
case "$cmd" in
start | stop | status | reset) ;;
-h | --help | help)
	sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'
	exit 0
	;;
*)
	echo "usage: $0 [start|stop|status|reset]" >&2
	exit 2
	;;
esac

if [ "$cmd" = start ] && [ -n "${RELEVO_TEST_DATABASE_URL:-}" ]; then
	printf '%s\n' "$RELEVO_TEST_DATABASE_URL"
	exit 0
fi

PORT="${RELEVO_TESTPG_PORT:-55432}"
HOST=127.0.0.1
DBUSER=relevo
DBNAME=relevo_test
URL="postgres://${DBUSER}@${HOST}:${PORT}/${DBNAME}?sslmode=disable"

# Don't let the caller's libpq settings steer our own psql/pg_isready calls.
unset PGOPTIONS PGSERVICE PGSERVICEFILE PGSSLMODE PGDATABASE PGUSER PGHOST PGHOSTADDR PGPORT PGPASSWORD PGTARGETSESSIONATTRS || true

log() { printf 'testdb: %s\n' "$*" >&2; }
die() {
	log "error: $*"
	exit 1
}

# --- find the server binaries: Debian's, highest major version first --------
find_bin() {
	if [ -n "${RELEVO_PG_BIN:-}" ]; then
		printf '%s\n' "$RELEVO_PG_BIN"
		return 0
	fi
	local d best=""
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V); do
		[ -x "$d/pg_ctl" ] && [ -x "$d/initdb" ] && [ -x "$d/postgres" ] && best="$d"
	done
	if [ -z "$best" ] && command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
		best="$(dirname "$(command -v pg_ctl)")"
	fi
	[ -n "$best" ] || return 1
	printf '%s\n' "$best"
}

if ! BIN="$(find_bin)"; then
	case "$cmd" in
	start)
		log "no PostgreSQL server found (no /usr/lib/postgresql/*/bin/pg_ctl);" \
			"PostgreSQL tests will be skipped. Install it with: apt-get install postgresql"
		exit 0
		;;
	status) exit 1 ;;
	*) exit 0 ;;
	esac
fi

if [ -n "${RELEVO_PG_BIN:-}" ] && [ ! -x "$BIN/pg_ctl" ]; then
	die "RELEVO_PG_BIN=$RELEVO_PG_BIN has no pg_ctl"
fi

# --- where the cluster lives and who runs it ------------------------------
AS_ROOT=0
[ "$(id -u)" -eq 0 ] && AS_ROOT=1

# PostgreSQL refuses to run as root: as root, everything runs as the 'postgres'
# OS user (created by Debian's postgresql-common), and the directory is theirs.
# fd 9 (the start lock) is closed so that the server never inherits it.
as_pg() {
	if [ "$AS_ROOT" -eq 1 ]; then
		if command -v runuser >/dev/null 2>&1; then
			(cd / && runuser -u postgres -- "$@") 9>&-
		else
			(cd / && su -s /bin/bash postgres -c "$(printf '%q ' "$@")") 9>&-
		fi
	else
		"$@" 9>&-
	fi
}

if [ "$AS_ROOT" -eq 1 ] && ! id -u postgres >/dev/null 2>&1; then
	die "running as root but there is no 'postgres' OS user to run the server as"
fi

BASE="${RELEVO_TESTPG_DIR:-${TMPDIR:-/tmp}/relevo-testpg}"
# As root, the postgres user must be able to reach BASE; a private TMPDIR
# (mode 0700) would stop it, so fall back to /tmp then.
if [ "$AS_ROOT" -eq 1 ] && [ -z "${RELEVO_TESTPG_DIR:-}" ]; then
	parent="$(dirname "$BASE")"
	if [ -d "$parent" ] && ! as_pg test -x "$parent"; then
		BASE=/tmp/relevo-testpg
	fi
fi
DATA="$BASE/data"          # PGDATA; the unix socket lives here too
LOGFILE="$BASE/server.log" # server log, kept across restarts (trimmed at start)

pg_ready() {
	"$BIN/pg_isready" -q -h "$HOST" -p "$PORT" -U "$DBUSER" -d postgres -t 2 >/dev/null 2>&1
}

# Is the postmaster named in the data dir's postmaster.pid alive (not a zombie)?
postmaster_alive() {
	local pid state
	pid="$(head -n 1 "$DATA/postmaster.pid" 2>/dev/null || true)"
	case "$pid" in '' | *[!0-9]*) return 1 ;; esac
	state="$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "/proc/$pid/status" 2>/dev/null || true)"
	[ -n "$state" ] && [ "$state" != Z ]
}

stop_server() {
	[ -f "$DATA/postmaster.pid" ] || return 0
	if postmaster_alive; then
		as_pg "$BIN/pg_ctl" -D "$DATA" stop -m fast -w -t 60 -s >/dev/null 2>&1 ||
			as_pg "$BIN/pg_ctl" -D "$DATA" stop -m immediate -w -t 30 -s >/dev/null 2>&1 ||
			true
		! postmaster_alive || die "could not stop the server in $DATA (pid $(head -n 1 "$DATA/postmaster.pid"))"
	fi
	# A server that died without cleaning up (killed, machine restarted) leaves
	# its pid file behind; remove it so that the next start is not confused.
	rm -f "$DATA/postmaster.pid" "$DATA"/.s.PGSQL.*
}

case "$cmd" in
stop)
	stop_server
	exit 0
	;;
status)
	if pg_ready; then exit 0; else exit 1; fi
	;;
reset)
	stop_server
	rm -rf "$DATA" "$LOGFILE"
	exit 0
	;;
esac

# --- start ------------------------------------------------------------------
# Serialise concurrent starts (two `make test` at once) where flock exists.
mkdir -p "$BASE" 2>/dev/null || die "cannot create $BASE"
if [ "$AS_ROOT" -eq 1 ]; then
	chown postgres: "$BASE"
	chmod 0755 "$BASE"
fi
[ -w "$BASE" ] || [ "$AS_ROOT" -eq 1 ] || die "$BASE is not writable by $(id -un); set RELEVO_TESTPG_DIR or run scripts/testdb.sh reset as its owner"
if command -v flock >/dev/null 2>&1 && { exec 9>>"$BASE/lock"; } 2>/dev/null; then
	flock -w 120 9 || die "timed out waiting for the lock $BASE/lock"
fi

psql_q() {
	"$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$HOST" -p "$PORT" -U "$DBUSER" "$@"
}

ensure_db() {
	local have
	have="$(psql_q -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DBNAME'" 2>&1)" ||
		die "cannot connect to PostgreSQL on $HOST:$PORT as '$DBUSER' (is another server using port $PORT?): $have"
	if [ "$have" != 1 ]; then
		local out
		if ! out="$(psql_q -d postgres -c "CREATE DATABASE $DBNAME" 2>&1)"; then
			# A concurrent start may have created it in the meantime.
			have="$(psql_q -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DBNAME'" 2>/dev/null || true)"
			[ "$have" = 1 ] || die "could not create database $DBNAME: $out"
		fi
	fi
}

# Already up on our port? Then only make sure the database exists.
if pg_ready; then
	ensure_db
	printf '%s\n' "$URL"
	exit 0
fi

major="$("$BIN/postgres" --version | sed -n 's/.*PostgreSQL) \([0-9][0-9]*\).*/\1/p')"
[ -n "$major" ] || die "cannot tell the version of $BIN/postgres"

# Reuse the cluster if it is ours, of this major version, and owned by whoever
# will run it; otherwise (first run, PostgreSQL upgraded, left by another user)
# it is throwaway: wipe it and initdb anew.
owner="$(id -un)"
[ "$AS_ROOT" -eq 1 ] && owner=postgres
if [ -d "$DATA" ]; then
	if [ "$(cat "$DATA/PG_VERSION" 2>/dev/null || true)" != "$major" ] ||
		[ "$(stat -c %U "$DATA" 2>/dev/null || true)" != "$owner" ]; then
		stop_server 2>/dev/null || true
		rm -rf "$DATA" || die "cannot remove the old data dir $DATA"
	fi
fi

if [ ! -f "$DATA/PG_VERSION" ]; then
	rm -rf "$DATA"
	as_pg mkdir -m 0700 "$DATA" || die "cannot create $DATA"
	if ! out="$(as_pg "$BIN/initdb" -D "$DATA" --auth=trust -U "$DBUSER" \
		--encoding=UTF8 --no-locale --no-sync 2>&1)"; then
		printf '%s\n' "$out" >&2
		rm -rf "$DATA"
		die "initdb failed"
	fi
fi

# Our settings live in relevo.conf, rewritten at every start so that changes
# to this script apply to an existing cluster too.
conf="$(
	cat <<EOF
# Written by scripts/testdb.sh at every start; edits are lost.
listen_addresses = '$HOST'
port = $PORT
unix_socket_directories = '$DATA'
max_connections = 300
fsync = off
synchronous_commit = off
full_page_writes = off
jit = off
logging_collector = off
EOF
)"
printf '%s\n' "$conf" | as_pg tee "$DATA/relevo.conf" >/dev/null
if ! grep -q "^include_if_exists = 'relevo.conf'" "$DATA/postgresql.conf"; then
	printf "\ninclude_if_exists = 'relevo.conf'\n" | as_pg tee -a "$DATA/postgresql.conf" >/dev/null
fi

# A server still running from this data dir but not answering on our port
# (e.g. started with other settings): restart it.
stop_server

# Keep the log from growing without bound across many starts.
if [ -f "$LOGFILE" ] && [ "$(stat -c %s "$LOGFILE")" -gt 10485760 ]; then
	as_pg truncate -s 0 "$LOGFILE" || true
fi

# The server is a daemon: it must not inherit any descriptor of ours or our
# caller's (a CI runner's pipe held open by it would keep the runner waiting),
# so everything above 2 is closed in the subshell that starts it.
start_server() {
	(
		for fd in /proc/$BASHPID/fd/*; do
			n="${fd##*/}"
			case "$n" in 0 | 1 | 2) continue ;; esac
			eval "exec $n>&-" 2>/dev/null || true
		done
		as_pg "$BIN/pg_ctl" -D "$DATA" -l "$LOGFILE" -w -t 60 -s start
	) </dev/null >/dev/null 2>&1
}

if ! start_server; then
	log "the server did not start; last lines of $LOGFILE:"
	tail -n 30 "$LOGFILE" >&2 2>/dev/null || true
	die "could not start PostgreSQL (port $PORT busy? see $LOGFILE)"
fi

for _ in $(seq 1 60); do
	pg_ready && break
	sleep 0.5
done
if ! pg_ready; then
	tail -n 30 "$LOGFILE" >&2 2>/dev/null || true
	die "PostgreSQL started but does not answer on $HOST:$PORT"
fi

ensure_db
printf '%s\n' "$URL"
