# SPDX-License-Identifier: GPL-2.0
#
# A throwaway PostgreSQL cluster for the suites that test the store's
# PostgreSQL engine, sourced after selftests/lib/prologue.sh and make_tmp:
#
#   pg_start      initdb in $tmp/pg as an unprivileged user (initdb and
#                 the server refuse root, and tests run as root), password
#                 authentication only (SCRAM), on a free port of 127.0.0.1
#                 and a socket in $tmp/pg; stopped and removed at exit,
#                 failure or not. 0, or 1 with the reason in $pg_why.
#   pg_createdb NAME   a new database owned by the test user
#   pg_conninfo NAME   its connection string, without the password
#   $pg_password_file  the password, a private file of root's
#   pg_server_stop, pg_server_start   the server stopped (fast) and
#                 started again on the same port, prepared transactions
#                 allowed (locks a suite holds across a stop), and
#                 $pg_options's settings if set
#   pg_sql DATABASE SQL   psql's rows, unaligned
#
# Needs Debian's postgresql package (selftests/deps.sh).

pg_user=nobody
pg_why=

pg_bindir() {
	local d
	for d in /usr/lib/postgresql/*/bin; do
		[ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && echo "$d"
	done | sort -V | tail -n 1
}

pg_as_user() {
	setpriv --reuid="$pg_user" --regid="$(id -g "$pg_user")" \
		--clear-groups -- "$@"
}

pg_stop() {
	[ -n "${pg_data:-}" ] && [ -f "$pg_data/postmaster.pid" ] &&
		pg_as_user "$pg_bin/pg_ctl" -D "$pg_data" -m immediate \
			-w stop > /dev/null 2>&1
	rm -rf "$tmp/pg"
}

pg_free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

pg_start() {
	pg_bin=$(pg_bindir)
	if [ -z "$pg_bin" ]; then
		pg_why="no initdb (Debian's postgresql package is not installed)"
		return 1
	fi
	if ! id "$pg_user" > /dev/null 2>&1 || ! command -v setpriv > /dev/null; then
		pg_why="no user $pg_user or no setpriv to run the server as"
		return 1
	fi
	at_exit pg_stop
	mkdir -p "$tmp/pg"
	chmod 0755 "$tmp"
	chown "$pg_user" "$tmp/pg"
	pg_data=$tmp/pg/data
	pg_password=$(openssl rand -hex 16)
	pg_password_file=$tmp/pg.password
	(umask 077; echo "$pg_password" > "$pg_password_file")
	(umask 077; echo "$pg_password" > "$tmp/pg/pwfile")
	chown "$pg_user" "$tmp/pg/pwfile"
	if ! pg_as_user "$pg_bin/initdb" -D "$pg_data" -U e2m --no-sync \
		--auth=scram-sha-256 --pwfile="$tmp/pg/pwfile" \
		> "$tmp/pg/initdb.log" 2>&1; then
		pg_why="initdb failed: $(tail -n 1 "$tmp/pg/initdb.log")"
		return 1
	fi
	rm -f "$tmp/pg/pwfile"
	pg_port=$(pg_free_port)
	if ! pg_server_start; then
		pg_why="the server did not start: $(tail -n 1 "$tmp/pg/server.log")"
		return 1
	fi
}

# Prepared transactions allowed: a suite's locks that outlive a restart.
# $pg_options: more of the server's settings (-c NAME=VALUE ...).
pg_server_start() {	# the cluster's server, again after pg_server_stop
	pg_as_user "$pg_bin/pg_ctl" -D "$pg_data" -w -t 60 \
		-l "$tmp/pg/server.log" -o "-p $pg_port -k $tmp/pg \
		-c listen_addresses=127.0.0.1 -c max_prepared_transactions=4 \
		${pg_options:-}" start > /dev/null 2>&1
}

pg_server_stop() {	# fast: its sessions are ended at once, mid-statement too
	pg_as_user "$pg_bin/pg_ctl" -D "$pg_data" -m fast -w stop \
		> /dev/null 2>&1
}

pg_sql() {	# DATABASE SQL: its rows, unaligned, fields split by |
	PGPASSWORD=$pg_password "$pg_bin/psql" -q -X -A -t -v ON_ERROR_STOP=1 \
		"$(pg_conninfo "$1")" -c "$2"
}

pg_conninfo() {	# DATABASE
	echo "host=127.0.0.1 port=$pg_port dbname=$1 user=e2m connect_timeout=10"
}

pg_createdb() {	# NAME
	PGPASSWORD=$pg_password "$pg_bin/psql" -q -X -v ON_ERROR_STOP=1 \
		"$(pg_conninfo postgres)" -c "CREATE DATABASE $1" > /dev/null
}
