#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Two HSE instances on one PostgreSQL store (issue 18), in the test VM:
# gateways gw-a and gw-b, each an e2md in a network namespace of its own
# with its own e2m0 (role hse), so two kernels' flows under one device
# name, share a throwaway cluster (agent/tests/pg_cluster.sh, in the VM's
# tmpfs, reached over its Unix socket from both namespaces). Their flows
# (flows_bench add) and rows (reconcile_bench rows, with their owner),
# TEIDs FLOWS_TEID + i:
#
#   gw-a  flows 0..9    rows 2..11   adopts 2..9, deletes its flows 0 and
#                                    1, drops its rows 10 and 11
#   gw-b  flows 5..14   rows 5..14   adopts all ten (5..9 are TEIDs gw-a
#                                    holds too, 10 and 11 ones gw-a drops)
#
# Each start's reconcile is checked exactly (event=reconciled), then the
# rows of each owner in the database; then both restart: each adopts its
# own and drops nothing, and the other's rows stay as they were. Before
# schema 18 both would have read every row of e2m0 as theirs (and the
# TEID was the rows' key: one row for two gateways' TEID 5).
#
# usage: hse_pg.sh [KO]   (selftests/vm/run.sh -- selftests/e2m/hse_pg.sh KO;
#                          without KO the loaded module, or need_module's)
set -u
cd "$(dirname "$0")/../.."

ko=${1:-}
. selftests/lib/prologue.sh
FLOWS=${FLOWS_BENCH:-$PWD/agent/build/bench/flows_bench}
RBENCH=${RECONCILE_BENCH:-$PWD/agent/build/bench/reconcile_bench}

make_tmp
drop_namespaces() {
	ip netns del gw-a 2> /dev/null
	ip netns del gw-b 2> /dev/null
	keyctl clear @u > /dev/null 2>&1
}
at_exit drop_namespaces
. agent/tests/daemon_lib.sh
. agent/tests/pg_cluster.sh

[ -x "$FLOWS" ] && [ -x "$RBENCH" ] || {
	echo "Bail out! make -C agent build/bench/flows_bench build/bench/reconcile_bench"
	exit 1
}
[ -n "$ko" ] && export E2M_KO=$ko
need_module
ip link set lo up
if ! pg_start; then
	echo "1..0 # SKIP $pg_why"
	exit 0
fi
pg_createdb e2m
# The Unix socket: the namespaces have loopbacks of their own.
conninfo="host=$tmp/pg port=$pg_port dbname=e2m user=e2m"

pki_ca hse.test sgw.test
store_keys hse-store
mkdir -p "$tmp/run"
ip netns add gw-a
ip netns add gw-b
# flows_bench's peer (10.0.0.9) is on this link, as in reconcile.sh.
ip link add veth-a netns gw-a type veth peer name veth-b netns gw-b
ip -n gw-a addr add 10.0.0.1/24 dev veth-a
ip -n gw-b addr add 10.0.0.2/24 dev veth-b
for gw in gw-a gw-b; do
	ip -n $gw link set lo up
	ip -n $gw link set veth-${gw#gw-} up
	ip -n $gw link add e2m0 type e2m
	ip -n $gw link set e2m0 addrgenmode none
	ip -n $gw link set e2m0 up
	# e2md in the namespace, under start()'s name for it.
	printf '#!/bin/sh\nexec ip netns exec %s %q "$@"\n' $gw \
		"$E2MD" > "$tmp/e2md-$gw"
	chmod +x "$tmp/e2md-$gw"
	cat > "$tmp/$gw.yaml" <<EOF
store:
  engine: postgresql
  connection: "$conninfo"
  password-file: $pg_password_file
  key-file: $tmp/hse-store.key
admin: { socket: $tmp/run/$gw.sock }
tls: { certificate: $tmp/hse.test.crt, private-key: $tmp/hse.test.key, ca: $tmp/ca.crt }
roles:
  hse:
    triplet-listen: "127.0.0.1:0"
    clients: [sgw.test]
    hss-url: "https://127.0.0.1:9"
    device: e2m0
    instance: $gw
EOF
done
start_gw() {	# GW: its e2md, started until ready
	E2MD=$tmp/e2md-$1 start "$1"
}

stop_gw() {	# GW: stopped, its log kept as GW.log.N
	stop "$1"
	[ "$stop_status" = 0 ] || echo "# $1 exited $stop_status"
	mv "$tmp/$1.log" "$tmp/$1.log.$2"
}

flows() {	# GW FROM COUNT: its e2m0 has exactly the bench's flows FROM..
	ip netns exec "$1" "$FLOWS" dump e2m0 "$2" "$3" "$3" > /dev/null
}

rows() {	# OWNER: its rows' TEIDs less FLOWS_TEID (0x10000000), one line
	pg_sql e2m "SELECT teid - 268435456 FROM hse_flows WHERE owner = '$1'
		    AND device = 'e2m0' ORDER BY teid" | tr '\n' ' '
}

reconciled() {	# GW FILE: its start's reconciled line, the counts only
	grep -o 'event=reconciled.*' "$tmp/$2" | head -n 1
}

ip netns exec gw-a "$FLOWS" add e2m0 0 10 > /dev/null
tap_ok $? "gw-a: flows 0..9 on its e2m0"
ip netns exec gw-b "$FLOWS" add e2m0 5 10 > /dev/null
tap_ok $? "gw-b: flows 5..14 on its e2m0"
"$RBENCH" rows "$conninfo" "$tmp/hse-store.key" e2m0 2 10 gw-a \
	"$pg_password_file" && "$RBENCH" rows "$conninfo" \
	"$tmp/hse-store.key" e2m0 5 10 gw-b "$pg_password_file"
tap_ok $? "rows 2..11 of gw-a and 5..14 of gw-b in one database (schema 18 made)"
tap_is "$(rows gw-a)" "2 3 4 5 6 7 8 9 10 11 " "gw-a's rows before"
tap_is "$(rows gw-b)" "5 6 7 8 9 10 11 12 13 14 " "gw-b's rows before"

start_gw gw-a
tap_ok $? "gw-a starts on postgresql"
tap_is "$(reconciled gw-a gw-a.log)" "event=reconciled adopted=8 deleted=2 dropped=2" \
	"gw-a: adopts 2..9, deletes its flows 0 and 1, drops its rows 10 and 11"
start_gw gw-b
tap_ok $? "gw-b starts on postgresql"
tap_is "$(reconciled gw-b gw-b.log)" "event=reconciled adopted=10 deleted=0 dropped=0" \
	"gw-b: adopts its ten, its rows 10 and 11 not dropped by gw-a's start"
tap_is "$(rows gw-a)" "2 3 4 5 6 7 8 9 " "gw-a's rows after the starts"
tap_is "$(rows gw-b)" "5 6 7 8 9 10 11 12 13 14 " "gw-b's rows after the starts"
flows gw-a 2 8 && flows gw-b 5 10
tap_ok $? "kernels: gw-a's e2m0 has flows 2..9, gw-b's 5..14"
tap_is "$(grep -c 'event=aka-needed' "$tmp/gw-a.log") $(grep -c 'event=aka-needed' "$tmp/gw-b.log")" \
	"2 0" "aka-needed: gw-a's two dropped rows, none of gw-b's"

stop_gw gw-a 1
stop_gw gw-b 1
start_gw gw-b && start_gw gw-a
tap_ok $? "both start again (gw-b first)"
tap_is "$(reconciled gw-a gw-a.log) / $(reconciled gw-b gw-b.log)" \
	"event=reconciled adopted=8 deleted=0 dropped=0 / event=reconciled adopted=10 deleted=0 dropped=0" \
	"restart: each adopts its own, nothing deleted or dropped"
tap_is "$(rows gw-a)/$(rows gw-b)" "2 3 4 5 6 7 8 9 /5 6 7 8 9 10 11 12 13 14 " \
	"restart: each keeps its rows, the other's as they were"
tap_is "$(pg_sql e2m "SELECT count(*) FROM hse_flows")" 18 \
	"restart: 18 rows in the database, no other"
stop_gw gw-a 2
stop_gw gw-b 2
tap_done
