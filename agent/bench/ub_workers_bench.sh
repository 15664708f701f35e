#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Ub bootstraps/s with e2md on several cores (daemon/workers.h), make
# bench's "ub-workers" part: an HSS e2md and a BSF e2md, both with
# workers: 1, and another pair both with workers: 2, all up at once, each
# store a SQLite file in tmpfs (the CPU is what is measured: on a disk
# each challenge's and each session's fdatasync is); the BSF on two
# workers keeps its challenges in its store, which both share
# (bsf_shared.h), the one on one worker in memory. The UEs are
# bench/ub_bench ($BENCH_UB_THREADS threads, default 2) with
# $BENCH_UB_UES USIMs at once (default 32), each request on a connection
# of its own, $BENCH_UB_COUNT bootstraps a run (default 1500); the UEs'
# stores in tmpfs too. $BENCH_ROUNDS rounds (default 3), the two pairs one
# after the other in each, so that a shared machine's load hits both
# alike. Each line: the rate, and the CPU seconds the bench client, the
# BSF and the HSS (all their processes) spent, with the host's load. Then
# the medians, the ratio 2 workers / 1 worker against the goal (1.6), and
# where the limit is: the share of the host's CPUs each part used.
#
#   bench/ub_workers_bench.sh BUILD-DIR
set -u

build=${1:-build}
E2MCTL=$build/e2mctl
E2MD=$build/e2md
UB=$build/bench/ub_bench
count=${BENCH_UB_COUNT:-1500}
ues=${BENCH_UB_UES:-32}
threads=${BENCH_UB_THREADS:-2}
rounds=${BENCH_ROUNDS:-3}
GOAL=1.6

bench=ub-workers
. "$(dirname "$0")/workers_lib.sh"
ca ca && pki hss.bench && pki bsf.bench || exit 1
. "$tests/../../selftests/lib/test-vectors.sh"
. "$tests/../../selftests/lib/ticks.sh"

# e2md_start NAME YAML-BODY: an e2md, until its ready file is there.
e2md_start() {
	local i
	head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$tmp/$1.key"
	chmod 600 "$tmp/$1.key"
	cat > "$tmp/$1.yaml" <<-EOF
	log: { level: warning }
	store: { path: $tmp/$1.db, key-file: $tmp/$1.key }
	admin: { socket: $tmp/$1.sock }
	$2
	EOF
	"$E2MD" -c "$tmp/$1.yaml" --ready-file "$tmp/$1.ready" \
		2> "$tmp/$1.log" &
	pid[$1]=$!
	for i in $(seq 400); do
		[ -s "$tmp/$1.ready" ] && return 0
		sleep 0.025
	done
	echo "ub-workers: e2md $1 did not start" >&2
	cat "$tmp/$1.log" >&2
	exit 1
}

# pair_start N: an HSS and a BSF with workers: N, the USIMs provisioned
# in both the HSS and the UEs' store ue$N.db.
declare -A ub_url
pair_start() {
	local n=$1 i imsi hss
	e2md_start hss$n "tls: { certificate: $tmp/hss.bench.crt, private-key: $tmp/hss.bench.key, ca: $tmp/ca.crt }
workers: $n
roles: { hss: { listen: \"127.0.0.1:0\", clients: [bsf.bench], sn-clients: [sgw.bench] } }"
	hss=$(sed -n 's/^hss.zh=//p' "$tmp/hss$n.ready")
	e2md_start bsf$n "tls: { certificate: $tmp/bsf.bench.crt, private-key: $tmp/bsf.bench.key, ca: $tmp/ca.crt }
workers: $n
roles: { bsf: { name: bsf.bench, ub-listen: \"127.0.0.1:0\", zn-listen: \"127.0.0.1:0\", hss-url: \"https://$hss\", ub-source-rate: 1000000, nafs: [{ name: naf.bench }] } }"
	ub_url[$n]=http://$(sed -n 's/^bsf.ub=//p' "$tmp/bsf$n.ready")
	head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$tmp/ue$n.key"
	chmod 600 "$tmp/ue$n.key"
	for i in $(seq "$ues"); do
		imsi=$(printf '0010100000%05d' "$i")
		"$E2MCTL" --socket "$tmp/hss$n.sock" subscriber add \
			--imsi "$imsi" --impi "bench$i@home1.net" \
			--keys <(printf '%s\n' k=$K1 opc=$OPC1) || exit 1
		"$E2MCTL" usim add --store "$tmp/ue$n.db" \
			--store-key-file "$tmp/ue$n.key" \
			--iccid "$(printf '898821100000%08d' "$i")" \
			--imsi "$imsi" --impi "bench$i@home1.net" \
			--keys <(printf '%s\n' k=$K1 opc=$OPC1) || exit 1
	done
}

iccids=()
for i in $(seq "$ues"); do iccids+=("$(printf '898821100000%08d' "$i")"); done
echo "ub-workers: host load (1 min) before: $(cut -d' ' -f1-3 /proc/loadavg), $cpus CPUs"
pair_start 1
pair_start 2
declare -A rate share ceiling
for r in $(seq "$rounds"); do
	for n in 1 2; do
		b0=$(process_ticks "${pid[bsf$n]}") h0=$(process_ticks "${pid[hss$n]}")
		out=$("$UB" -t "$threads" "${ub_url[$n]}" "$tmp/ue$n.db" \
			"$tmp/ue$n.key" "$count" "${iccids[@]}") ||
			{ echo "$out"; exit 1; }
		b1=$(process_ticks "${pid[bsf$n]}") h1=$(process_ticks "${pid[hss$n]}")
		rate[$n,$r]=$(sed 's/.*: \([0-9]*\) bootstraps\/s.*/\1/' <<< "$out")
		wall=$(sed 's/.* in \([0-9.]*\) s:.*/\1/' <<< "$out")
		client=$(sed 's/.*bench CPU \([0-9.]*\) s.*/\1/' <<< "$out")
		bsf=$(workers_secs $((b1 - b0))) hss=$(workers_secs $((h1 - h0)))
		echo "ub-workers: round $r, workers: $n: $out, BSF CPU $bsf s, HSS CPU $hss s; load $(cut -d' ' -f1 /proc/loadavg)"
		[ "$n" = 1 ] && ceiling[$r]=$(workers_ceiling "$wall" \
			"$client" "$bsf" "$hss")
		# The share of the host's CPU time each part used in the run.
		share[$n,$r]=$(awk -v w="$wall" -v c="$client" -v b="$bsf" \
			-v h="$hss" -v n="$cpus" 'BEGIN { t = w * n;
			printf "client %.0f %%, BSF %.0f %%, HSS %.0f %%, other processes or idle %.0f %%",
				100 * c / t, 100 * b / t, 100 * h / t,
				100 * (t - c - b - h) / t }')
	done
done
median() {	# N: the median of workers: N's rates
	for r in $(seq "$rounds"); do echo "${rate[$1,$r]}"; done |
		workers_median
}
m1=$(median 1) m2=$(median 2)
awk -v a="$m1" -v b="$m2" -v g="$GOAL" 'BEGIN {
	printf "ub-workers: bootstraps/s, median of the rounds: 1 worker %d, 2 workers %d: %.2fx (goal %.1fx: %s)\n",
		a, b, b / a, g, (b / a >= g) ? "met" : "not met" }'
echo "ub-workers: the ceiling of this host: its $cpus CPUs allow at most $(for r in $(seq "$rounds"); do echo "${ceiling[$r]}"; done | workers_median)x over workers: 1 (median of the rounds; the CPU a bootstrap cost on one worker, client, BSF and HSS together, workers_lib.sh), against the goal's ${GOAL}x"
echo "ub-workers: the host's $cpus CPUs in the last round, workers: 1: ${share[1,$rounds]}; workers: 2: ${share[2,$rounds]}"
echo "ub-workers: the limit: the bench client (Milenage, the UE's store, HTTP), the HSS and the BSF share the host's CPUs; with the rest near 0 the host is the limit, not e2md's workers; with much left, the wait for each round trip (a UE does one bootstrap at a time) or the store's writer. Each bootstrap on two workers writes its challenge to the BSF's store (and spends it there, each a commit; one process writes at a time: the store's single writer) beside the session, the HSS's SQN and the UE's SQN and session"
