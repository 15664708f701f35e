#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The PostgreSQL engine's hot statements per second (bench/pg_bench.c)
# on a throwaway cluster (tests/pg_cluster.sh: initdb as nobody, a free
# port, removed at exit), each PG_BENCH given run on a fresh database of
# its own, one after another (two builds side by side: the same load
# hits both), BENCH_ROUNDS times (default 3): first with the server as
# it comes (each commit flushed to disk: the figures are mostly the
# disk's), then with fsync=off (the statements' own cost: round trips,
# parsing, planning, executing). BENCH_PG_COUNT statements of each kind
# (default 2000).
#
#   bench/pg_bench.sh PG_BENCH...
set -u

here=$(cd "$(dirname "$0")/../tests" && pwd)
. "$here/../../selftests/lib/prologue.sh"
make_tmp
. "$here/pg_cluster.sh"

if ! pg_start; then
	echo "pg: skipped: $pg_why"
	exit 0
fi
n=0
for mode in disk fsync-off; do
	if [ $mode = fsync-off ]; then
		pg_server_stop
		pg_options="-c fsync=off"
		pg_server_start || { echo "pg: the server did not start"; exit 1; }
	fi
	for round in $(seq "${BENCH_ROUNDS:-3}"); do
		for bench in "$@"; do
			n=$((n + 1))
			pg_createdb e2m_bench$n
			echo "pg: $mode, round $round: $bench"
			E2M_TEST_PG=$(pg_conninfo e2m_bench$n) \
			E2M_TEST_PG_PASSWORD_FILE=$pg_password_file \
				"$bench" "${BENCH_PG_COUNT:-2000}" || exit 1
		done
	done
done
