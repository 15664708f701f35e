#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# e2md on several cores (daemon/workers.h): the HSS's AVs/s with workers: 1
# and workers: 2 through the real daemons, make bench's "workers" part.
# Two HSS e2md, one of each, up at once on one store each in tmpfs (the
# CPU is what is measured: on a disk the group commit's fdatasync is,
# whatever the workers): SQLite files, then (where PostgreSQL is
# installed) databases of a throwaway cluster in tmpfs (tests/pg_cluster.sh),
# whose row locks let both workers write at once where SQLite has one
# writer at a time; best_bench run --av-only as the SGW (BEST AV
# requests, POST /e2m/v1/av over mutual TLS, kept-alive connections:
# $BENCH_AV_INFLIGHT in flight, default 32, from $BENCH_AV_THREADS
# threads, default 2), $BENCH_AV_COUNT requests a run (default 8000), each
# for a subscriber of its own; $BENCH_WORKERS_ENGINES (default "sqlite
# postgresql") the stores; $BENCH_ROUNDS rounds (default 3), the two
# HSS one after the other in each, so that a shared machine's load hits
# both alike. Each line: the rate, the 99th percentile and the longest
# of the AVs' latencies (a worker starved of the store's lock shows
# there), and the CPU seconds the bench client and each e2md process
# spent, with the host's load. Then the medians,
# the ratio 2 workers / 1 worker against the goal (1.6), and where the
# CPU went.
#
#   bench/workers_bench.sh BUILD-DIR
set -u

build=${1:-build}
E2MCTL=$build/e2mctl
E2MD=$build/e2md
BEST=$build/bench/best_bench
count=${BENCH_AV_COUNT:-8000}
inflight=${BENCH_AV_INFLIGHT:-32}
threads=${BENCH_AV_THREADS:-2}
rounds=${BENCH_ROUNDS:-3}
GOAL=1.6

bench=workers
. "$(dirname "$0")/workers_lib.sh"
ca ca && pki hss.bench && pki sgw.bench || exit 1

# hss_start N ENGINE: an HSS e2md with workers: N on a store of ENGINE's,
# its subscribers provisioned.
declare -A hss_url hss_pid
hss_start() {
	local n=$1 engine=$2 i store
	head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$tmp/hss$n.key"
	chmod 600 "$tmp/hss$n.key"
	if [ "$engine" = sqlite ]; then
		rm -f "$tmp/hss$n.db"*
		"$BEST" provision "$tmp/hss$n.db" "$tmp/hss$n.key" "$count" \
			> /dev/null || exit 1
		store="{ path: $tmp/hss$n.db, key-file: $tmp/hss$n.key }"
	else
		pg_createdb "hss$n$engine" || exit 1
		"$BEST" provision "$(pg_conninfo "hss$n$engine")" \
			"$tmp/hss$n.key" "$count" "$pg_password_file" \
			> /dev/null || exit 1
		store="{ engine: postgresql, connection: \"$(pg_conninfo "hss$n$engine")\", password-file: $pg_password_file, key-file: $tmp/hss$n.key }"
	fi
	cat > "$tmp/hss$n.yaml" <<-EOF
	log: { level: warning }
	store: $store
	admin: { socket: $tmp/hss$n.sock }
	tls: { certificate: $tmp/hss.bench.crt, private-key: $tmp/hss.bench.key, ca: $tmp/ca.crt }
	workers: $n
	roles:
	  hss: { listen: "127.0.0.1:0", clients: [bsf.bench], sn-clients: [sgw.bench] }
	EOF
	rm -f "$tmp/hss$n.ready"
	"$E2MD" -c "$tmp/hss$n.yaml" --ready-file "$tmp/hss$n.ready" \
		2> "$tmp/hss$n.log" &
	pid[hss$n]=$!
	hss_pid[$n]=$!
	for i in $(seq 400); do
		[ -s "$tmp/hss$n.ready" ] && break
		sleep 0.025
	done
	[ -s "$tmp/hss$n.ready" ] || { echo "workers: e2md (workers: $n) did not start" >&2; cat "$tmp/hss$n.log" >&2; exit 1; }
	hss_url[$n]=https://$(sed -n 's/^hss.zh=//p' "$tmp/hss$n.ready")
}

ticks() {	# PID...: user + system clock ticks so far, each
	local p
	for p in "$@"; do
		awk '{ printf "%d ", $14 + $15 }' "/proc/$p/stat"
	done
}
procs() {	# N: the pids of the workers: N e2md, the first first
	echo ${hss_pid[$1]} $(ps -o pid= --ppid ${hss_pid[$1]})
}

hss_stop() {	# N
	kill -TERM "${hss_pid[$1]}"
	wait "${hss_pid[$1]}"
	pid[hss$1]=
}

# measure ENGINE: the rounds, the medians and the ratio on ENGINE's stores.
measure() {
	local engine=$1 r n p t0 t1 out per_s wall bench_cpu cpu i m1 m2 s secs
	declare -A rate ceiling
	hss_start 1 "$engine"
	hss_start 2 "$engine"
	for r in $(seq "$rounds"); do
		for n in 1 2; do
			p=($(procs $n))
			t0=($(ticks "${p[@]}"))
			out=$("$BEST" run --av-only --hss "${hss_url[$n]}" \
				--cert "$tmp/sgw.bench.crt" \
				--key "$tmp/sgw.bench.key" --ca "$tmp/ca.crt" \
				--devices "$count" --inflight "$inflight" \
				--threads "$threads") || { echo "$out"; exit 1; }
			t1=($(ticks "${p[@]}"))
			per_s=$(sed -n 's/^av.per_s=//p' <<< "$out")
			wall=$(awk -v n="$count" -v r="$per_s" 'BEGIN { printf "%.2f", n / r }')
			bench_cpu=$(sed -n 's/^av.bench_cpu_s=//p' <<< "$out")
			rate[$n,$r]=${per_s%.*}
			cpu= secs=
			for i in "${!p[@]}"; do
				s=$(workers_secs $((t1[i] - t0[i])))
				cpu+=", e2md $i CPU $s s"
				secs+=" $s"
			done
			[ "$n" = 1 ] && ceiling[$r]=$(workers_ceiling "$wall" \
				"$bench_cpu" $secs)
			echo "workers: $engine, round $r, workers: $n: $count AVs in ${wall} s: ${rate[$n,$r]} AVs/s, p99 $(sed -n 's/^av.p99_ms=//p' <<< "$out") ms, max $(sed -n 's/^av.max_ms=//p' <<< "$out") ms, bench CPU ${bench_cpu} s$cpu; load $(cut -d' ' -f1 /proc/loadavg)"
		done
	done
	m1=$(for r in $(seq "$rounds"); do echo "${rate[1,$r]}"; done |
		workers_median)
	m2=$(for r in $(seq "$rounds"); do echo "${rate[2,$r]}"; done |
		workers_median)
	awk -v e="$engine" -v a="$m1" -v b="$m2" -v g="$GOAL" 'BEGIN {
		printf "workers: %s: AVs/s, median of the rounds: 1 worker %d, 2 workers %d: %.2fx (goal %.1fx: %s)\n",
			e, a, b, b / a, g, (b / a >= g) ? "met" : "not met" }'
	echo "workers: $engine: the ceiling of this host: its $cpus CPUs allow at most $(for r in $(seq "$rounds"); do echo "${ceiling[$r]}"; done | workers_median)x over workers: 1 (median of the rounds; the CPU an AV cost on one worker, the bench client and e2md together, workers_lib.sh$([ "$engine" = sqlite ] || echo ", the PostgreSQL server's not counted")), against the goal's ${GOAL}x"
	hss_stop 1
	hss_stop 2
}

echo "workers: host load (1 min) before: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs"
engines=" ${BENCH_WORKERS_ENGINES:-sqlite postgresql} "
[[ $engines != *" sqlite "* ]] || measure sqlite
. "$tests/pg_cluster.sh"
if [[ $engines != *" postgresql "* ]]; then
	:
elif pg_start; then
	measure postgresql
else
	echo "workers: postgresql skipped: $pg_why"
fi
echo "workers: each AV is an SQN written in the store (a reserved range of 64 SEQs a write, store/store_sqn_reserve.h: a subscriber's first vector, and one each time a subscriber's vectors move to the other worker), Milenage, the answer's JSON and its TLS record. On SQLite one process writes at a time and the group commit holds the write lock for a loop turn (store_group.h): the other worker waits (busy_timeout), so SQLite's figures show the store's single writer; the PostgreSQL server runs on the same 2 cores. The bench client (TLS, JSON) takes its share of the CPU too (each line)"
