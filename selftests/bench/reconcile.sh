#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The HSE's reconcile at start over many rows (issue 18), run in the test
# VM with the release module: an HSE e2md (daemon/hse/hse_reconcile.c)
# started on an e2m0 in the namespace "hse" that holds ROWS flows, over a
# store of ROWS rows and an "e2m-hse" keyring of ROWS + STALE keys, STALE
# of the flows without a row and STALE of the rows without a flow:
#
#   flows  TEIDs 0 .. ROWS-1            (flows_bench's, FLOW_NEW)
#   rows   TEIDs STALE .. ROWS+STALE-1  (reconcile_bench rows)
#   keys   TEIDs 0 .. ROWS+STALE-1      (reconcile_bench hse-keys: e2mkeyset
#                                        keys, not bound; a bound key costs
#                                        about 5.8 KB, flows.sh measures it)
#
# so that the start adopts ROWS - STALE flows, deletes STALE (with their
# keys), drops STALE rows (with their keys, each logged aka-needed), and
# leaves ROWS - STALE keys. Checked exactly; printed:
#
#   reconcile.dump_s     one FLOW_GET dump of the ROWS flows alone
#   reconcile.start_s    e2md started until its ready file is written (the
#                        dump, the store's rows, the plan, the keyring read
#                        once, the steps, then the listeners)
#   reconcile.start_split_s  the same start in parts, from the times
#                        e2md's log lines were read: to its first step,
#                        over the flows deleted, over the rows dropped,
#                        from the last step to "reconciled"
#   reconcile.restart_s  the same again with nothing left to do (every flow
#                        adopted: the keyring is not read)
#   reconcile.del        then the ROWS - STALE flows left deleted, one
#                        FLOW_DEL after another (flows_bench del's rate
#                        and latency)
#
# E2MD_BEFORE, when set, is another e2md (an older build) run afterwards on
# a smaller copy (E2M_RECONCILE_BEFORE_ROWS, 2000, one per cent stale),
# then this one on the same, as reconcile.before_start_s and
# reconcile.after_start_s. A start not ready within E2M_RECONCILE_WAIT
# seconds (600) fails the bench.
#
# usage: reconcile.sh RELEASE-KO       (selftests/vm/run.sh --mem MB -- ...)
# Environment (inside the VM: run.sh -- env E2M_RECONCILE_ROWS=...):
# E2M_RECONCILE_ROWS (100000 here; make bench gives 1000000),
# E2M_RECONCILE_STALE (one per cent of the rows). A flow costs the kernel
# about 460 B (flows.sh), an unbound key's memory is not measured: give
# the VM 2 GiB and 3 KiB a row, as make bench does (run with 4,977 MiB at
# 10^6, 2 GiB at 10^5).
set -u
cd "$(dirname "$0")/../.."

ko=$1
. selftests/lib/prologue.sh
. agent/tests/daemon_lib.sh
FLOWS=${FLOWS_BENCH:-$PWD/agent/build/bench/flows_bench}
RBENCH=${RECONCILE_BENCH:-$PWD/agent/build/bench/reconcile_bench}
ROWS=${E2M_RECONCILE_ROWS:-100000}
STALE=${E2M_RECONCILE_STALE:-$((ROWS / 100))}
BEFORE_ROWS=${E2M_RECONCILE_BEFORE_ROWS:-2000}
WAIT=${E2M_RECONCILE_WAIT:-600}
. selftests/bench/lib.sh

make_tmp
die() {
	echo "reconcile: $*" >&2
	exit 1
}
[ -x "$FLOWS" ] && [ -x "$RBENCH" ] ||
	die "make -C agent build/bench/flows_bench build/bench/reconcile_bench"
selftests/lib/load-module.sh "$ko" || die "cannot load $ko"
# Root's key quotas (a million keys, 25 MB by default) hold 10^5 keys;
# this VM is thrown away.
echo 4000000 > /proc/sys/kernel/keys/root_maxkeys
echo 2000000000 > /proc/sys/kernel/keys/root_maxbytes
hse_gateway || die "cannot set up e2m0"
echo "kernel=$(uname -r) cpus=$(nproc) mem=$(awk '/MemTotal/ { print $2 }' /proc/meminfo)kB"

E2MD_AFTER=$E2MD
pki_ca hse.test sgw.test
store_keys hse-store
cat > "$tmp/hse.yaml" <<EOF
store: { path: $tmp/hse.db, key-file: $tmp/hse-store.key }
admin: { socket: $tmp/hse.sock }
tls: { certificate: $tmp/hse.test.crt, private-key: $tmp/hse.test.key, ca: $tmp/ca.crt }
roles:
  hse:
    triplet-listen: "127.0.0.1:0"
    clients: [sgw.test]
    hss-url: "https://127.0.0.1:9"
    device: e2m0
    key-lifetime: 3600
    instance: bench	# the owner reconcile_bench gives its rows
EOF

hse_keys() {	# the number of keys in e2m-hse
	keyctl rlist "$(keyctl search @u keyring e2m-hse)" 2> /dev/null | wc -w
}

# stamped: each line of stdin with the time it was read (seconds since
# the epoch), appended to hse.log; e2md's own lines carry no time.
stamped() {
	python3 -u -c 'import sys, time
for line in sys.stdin:
    sys.stdout.write("%.6f %s" % (time.time(), line))' >> "$tmp/hse.log"
}

# timed_start BINARY: e2md (in hse) until its ready file, the seconds it
# took in $start_s, when it started in $t0. Not in a command
# substitution: e2md would hold its pipe, and pid[] would not outlive it.
timed_start() {
	local t1 n
	rm -f "$tmp/hse.ready"
	t0=$(date +%s.%N)
	ip netns exec hse "$1" -c "$tmp/hse.yaml" --ready-file "$tmp/hse.ready" \
		> /dev/null 2> >(stamped) &
	pid[hse]=$!
	until [ -s "$tmp/hse.ready" ]; do
		kill -0 "${pid[hse]}" 2> /dev/null || die "e2md exited: $(tail -3 "$tmp/hse.log")"
		[ "$(date +%s)" -lt $((${t0%.*} + WAIT)) ] ||
			die "e2md not ready after $WAIT s: $(tail -3 "$tmp/hse.log")"
		sleep 0.05
	done
	t1=$(date +%s.%N)
	start_s=$(echo "$t0 $t1" | awk '{ printf "%.2f", $2 - $1 }')
	# stamped may trail e2md: its lines up to "reconciled" in hse.log
	# before they are checked.
	n=0
	until grep -q 'event=reconciled' "$tmp/hse.log"; do
		[ $((n += 1)) -le 300 ] || die "no event=reconciled in 30 s"
		sleep 0.1
	done
}

# split: the first start's seconds from e2md's start to its first step
# (the dump, the rows, the plan, the keyring read), over the flows it
# deleted, over the rows it dropped (the plan orders the steps by TEID:
# the stale flows' TEIDs come first), and from its last step to its
# "reconciled" line, from the times hse.log's lines were read.
split() {
	awk -v t0="$t0" '
		/event=flow-deleted/ { if (!fd) fd = $1; ld = $1 }
		/event=aka-needed/ { if (!fa) fa = $1; la = $1 }
		/event=reconciled/ { r = $1 }
		END {
			first = fd ? fd : fa
			printf "before_steps=%.2f deletes=%.2f drops=%.2f to_reconciled=%.2f\n",
				first - t0, ld - fd, la - fa, r - (la ? la : ld)
		}' "$tmp/hse.log"
}

# setup N D: N flows, rows and keys as above, a fresh store and keyring.
setup() {
	local n=$1 d=$2
	hse "$FLOWS" add e2m0 0 "$n" > /dev/null || die "flows_bench add failed"
	rm -f "$tmp"/hse.db*
	"$RBENCH" rows "$tmp/hse.db" "$tmp/hse-store.key" e2m0 "$d" "$n" ||
		die "reconcile_bench rows failed"
	keyctl clear @u > /dev/null 2>&1
	"$RBENCH" hse-keys 0 $((n + d)) || die "reconcile_bench hse-keys failed"
	[ "$(hse_keys)" = $((n + d)) ] || die "$((n + d)) keys expected, $(hse_keys)"
}

# reconciled N D WHAT: checks the start's counts, the keys and the flows.
reconciled() {
	local n=$1 d=$2 want
	want="adopted=$((n - d)) deleted=$d dropped=$d"
	grep -q "event=reconciled $want" "$tmp/hse.log" ||
		die "$3: not reconciled as $want: $(grep event=reconciled "$tmp/hse.log")"
	[ "$(grep -c 'event=aka-needed' "$tmp/hse.log")" = "$d" ] ||
		die "$3: $d aka-needed expected"
	[ "$(hse_keys)" = $((n - d)) ] ||
		die "$3: $((n - d)) keys expected, $(hse_keys)"
}

stop_hse() {
	stop hse
	[ "$stop_status" = 0 ] || die "e2md exited $stop_status"
	: > "$tmp/hse.log"
}

# del_flows N D: the flows left on e2m0 (D .. N-1) deleted for the next
# setup, flows_bench's rate kept in $tmp/del.
del_flows() {
	hse "$FLOWS" del e2m0 "$2" $(($1 - $2)) > "$tmp/del" || die "flows_bench del failed"
}

echo "--- $ROWS rows, $STALE stale"
setup "$ROWS" "$STALE"
dump=$(hse "$FLOWS" dump e2m0 0 "$ROWS" "$ROWS" | sed -n 's/^flows_dump.wall_s=//p')
[ -n "$dump" ] || die "the dump is not whole"
echo "reconcile.dump_s=$dump"
timed_start "$E2MD_AFTER"
reconciled "$ROWS" "$STALE" start
echo "reconcile.start_s=$start_s rows=$ROWS stale=$STALE $(grep -o 'event=reconciled.*' "$tmp/hse.log")"
echo "reconcile.start_split_s $(split)"
stop_hse
timed_start "$E2MD_AFTER"
grep -q "event=reconciled adopted=$((ROWS - STALE)) deleted=0 dropped=0" "$tmp/hse.log" ||
	die "restart: $(grep event=reconciled "$tmp/hse.log")"
echo "reconcile.restart_s=$start_s rows=$((ROWS - STALE)) (every flow adopted)"
stop_hse
del_flows "$ROWS" "$STALE"
echo "reconcile.del $(grep -E '^flows_del\.(count|per_s|wall_s|p50_ms|p99_ms|max_ms)=' "$tmp/del" | paste -sd ' ')"

if [ -n "${E2MD_BEFORE:-}" ]; then
	bn=$BEFORE_ROWS bd=$((BEFORE_ROWS / 100))
	echo "--- $bn rows, $bd stale, before and after"
	for which in before after; do
		setup $bn $bd
		[ $which = before ] && bin=$E2MD_BEFORE || bin=$E2MD_AFTER
		timed_start "$bin"
		reconciled $bn $bd $which
		echo "reconcile.${which}_start_s=$start_s rows=$bn stale=$bd"
		stop_hse
		del_flows $bn $bd
	done
fi
