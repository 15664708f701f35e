#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The store's PostgreSQL engine against a real server: a throwaway
# cluster (tests/pg_cluster.sh), then build/tests/store_pg_test (the
# engines' common suite and the engine's own tests) on a database of its
# own. Without a cluster (no postgresql package, initdb failing) every
# test is reported skipped with the reason, never passed. Prints TAP.
#
#   tests/pg_test.sh [E2MCTL [E2MD]]
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../selftests/lib/prologue.sh"
E2MCTL=${1:-$E2MCTL}
E2MD=${2:-$E2MD}
STORE_PG_TEST=$(dirname "$E2MCTL")/tests/store_pg_test
[ -x "$STORE_PG_TEST" ] || STORE_PG_TEST=$here/../build/tests/store_pg_test

need_root "the cluster runs as an unprivileged user root switches to"
make_tmp
. "$here/pg_cluster.sh"

if ! pg_start; then
	E2M_TEST_PG_SKIP="no PostgreSQL cluster: $pg_why" "$STORE_PG_TEST"
	exit 0
fi
pg_createdb e2m_store
E2M_TEST_PG=$(pg_conninfo e2m_store) \
E2M_TEST_PG_PASSWORD_FILE=$pg_password_file "$STORE_PG_TEST"
