#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The key agent's benchmark (make -C agent bench):
#
#   auc  authentication vectors per second in one process (auc_bench), on
#        a store in $BENCH_DIR (default $TMPDIR or /tmp: a disk, each SQN
#        fsync'ed) and, when there is one, in /dev/shm (tmpfs: the
#        computation without the disk): one vector a commit, then the
#        HSS's loop with group commit at each of $BENCH_UE_COUNTS (default
#        1 8 32 128) requests a turn, and the ratio disk/tmpfs
#   ub   full Ub bootstraps per second over loopback (ub_bench): an HSS
#        and a BSF, each an e2md of its own, their stores on tmpfs, and
#        another pair with theirs in $BENCH_DIR, all up at once;
#        $BENCH_BOOTSTRAPS bootstraps (default 2000) at each of
#        $BENCH_UE_COUNTS USIMs at once, tmpfs then disk at each count (a
#        shared machine's load hits both alike), from $BENCH_THREADS worker
#        threads (default 2); the UEs' store always on tmpfs (the
#        daemons are what is measured). Each line says the CPU seconds
#        the bench, the BSF and the HSS spent, so the bottleneck shows,
#        and the host's load; then a table of disk, tmpfs and the ratio
#        disk/tmpfs
#   nafkc the NAF Key Centre's Ks_local requests per second over PSK-TLS,
#        from each of $BENCH_NAFKC_CLIENTS (default "1 8") clients at once
#        (threads, each one session after another, each a new TLS session:
#        nafkc_bench -c; every line of the part at each count, s_server's
#        too), the Key Centres' stores in $BENCH_DIR and on tmpfs,
#        with a device PSK and with GBA PSK-TLS (a UE's bootstrap, on
#        gba-listen), and the Key Centre's bare handshakes, beside
#        OpenSSL's own PSK handshakes per second against openssl s_server
#        -psk, TLS 1.3 and 1.2: $BENCH_ROUNDS rounds (default 5) of
#        $BENCH_SECONDS each (default 1), the figures of a round one after
#        another so that the load of a shared machine hits them alike; the
#        medians, each figure's median ratio to OpenSSL's in its round (the
#        Key Centre's goal: 0.8 for requests), the issued keys a group
#        commit (one fsync) carried, and the wall time of one handshake
#        and request (1/rate) beside the CPU time each process spent on
#        it (what is left is waiting: for the disk, or for a CPU). The
#        requests are measured twice on each store in each round: against
#        a Key Centre with its Zn cache (the default zn-cache) and against
#        a second one with zn-cache: 0, whose every request pulls over Zn.
#        openssl s_server serves one connection at a time: with several
#        clients that is its capacity, and the yardstick
#
#   workers  the HSS's AVs/s through real e2md with workers: 1 and
#        workers: 2 (bench/workers_bench.sh: best_bench run --av-only as
#        the SGW), the ratio against the goal (1.6x on two cores) and the
#        CPU each process spent, the bench client's included
#
#   ub-workers  Ub bootstraps/s through an HSS and a BSF with workers: 1
#        and both with workers: 2 (bench/ub_workers_bench.sh: ub_bench,
#        SQLite in tmpfs), the ratio against the goal (1.6x on two cores)
#        and the share of the CPUs the client, the BSF and the HSS used
#
#   pg   the PostgreSQL engine's hot statements per second (pg_bench): the
#        SQN advance, a session's INSERT and its lookup, on a throwaway
#        cluster (bench/pg_bench.sh), with fsync and without
#
#   bench/bench.sh BUILD-DIR     (e2mctl, e2md and bench/ in it)
#
# BENCH_HSS_WORKERS (default 1) is the Ub part's HSS's workers: (the BSF
# runs on one). BENCH_PARTS (default "auc workers ub-workers ub nafkc pg") picks the parts to run (nafkc needs
# ub). BENCH_WRAP, when set, is a command each e2md runs under (strace -c
# -f -o FILE, say, to count its system calls; FILE gets .disk.hss,
# .tmpfs.bsf and so on appended); the CPU figures are then the wrapper's.
#
# The Ub part needs root (e2md's admin socket), openssl and curl's
# friends: the same as tests/daemon_test.sh.
set -u

build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
E2MCTL=$build/e2mctl
E2MD=$build/e2md
dir=${BENCH_DIR:-${TMPDIR:-/tmp}}
count=${BENCH_BOOTSTRAPS:-2000}
ue_counts=${BENCH_UE_COUNTS:-1 8 32 128}
threads=${BENCH_THREADS:-2}
ues=0
for n in $ue_counts; do [ "$n" -gt $ues ] && ues=$n; done
shm=
[ -d /dev/shm ] && [ -w /dev/shm ] && [ "$dir" != /dev/shm ] && shm=/dev/shm
seconds=${BENCH_SECONDS:-1}
rounds=${BENCH_ROUNDS:-5}
parts=" ${BENCH_PARTS:-auc workers ub-workers ub nafkc pg} "
wrap=${BENCH_WRAP:-}

declare -A auc_rate
[[ $parts != *" auc "* ]] || "$build/bench/auc_bench" "$dir" 3 || exit 1
[[ $parts != *" auc "* ]] || [ -z "$shm" ] ||
	"$build/bench/auc_bench" "$shm" 3 || exit 1
[[ $parts != *" auc "* ]] || for n in $ue_counts; do
	for d in "$dir" $shm; do
		out=$("$build/bench/auc_bench" "$d" 1 "$n") || exit 1
		echo "$out"
		auc_rate[$d,$n]=$(sed 's/.*: \([0-9]*\) vectors\/s.*/\1/' <<< "$out")
	done
done
if [ -n "$shm" ] && [[ $parts == *" auc "* ]]; then
	echo "auc: vectors/s with group commit, requests a turn: disk ($dir), tmpfs, disk/tmpfs"
	for n in $ue_counts; do
		awk -v n="$n" -v d="${auc_rate[$dir,$n]}" -v t="${auc_rate[$shm,$n]}" \
			'BEGIN { printf "auc: %5d %8d %8d %6.2f\n", n, d, t, d / t }'
	done
fi

[[ $parts != *" workers "* ]] || "$here/workers_bench.sh" "$build" || exit 1
[[ $parts != *" ub-workers "* ]] || "$here/ub_workers_bench.sh" "$build" ||
	exit 1

[[ $parts == *" ub "* ]] || exit 0
if [ "$(id -u)" != 0 ] || ! command -v openssl > /dev/null; then
	echo "ub: skipped (needs root for e2md's admin socket, and openssl)"
	exit 0
fi

tmp=$(mktemp -d -p "$dir")
uedir=$tmp
[ -z "$shm" ] || uedir=$(mktemp -d -p "$shm")
db_dir=$tmp	# where config() puts the daemons' stores
run=$tmp	# where config() and start() put the daemons' other files
shm_db=
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do
		# A wrapper (strace) may not pass SIGTERM on: its e2md first.
		[ -z "$wrap" ] || pkill -TERM -P "$p" 2> /dev/null
		kill -TERM "$p" 2> /dev/null
		wait "$p" 2> /dev/null
	done
	rm -rf "$tmp"
	[ "$uedir" = "$tmp" ] || rm -rf "$uedir"
	[ -z "$shm_db" ] || rm -rf "$shm_db"
}
trap cleanup EXIT

pki() {		# NAME [CA]
	if [ -z "${2:-}" ]; then
		openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
			-nodes -keyout "$tmp/$1.key" -out "$tmp/$1.crt" \
			-subj "/CN=$1" -days 2 2> /dev/null
		return
	fi
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$tmp/$1.key" -out "$tmp/$1.csr" -subj "/CN=$1" \
		2> /dev/null &&
	openssl x509 -req -in "$tmp/$1.csr" -CA "$tmp/$2.crt" \
		-CAkey "$tmp/$2.key" -CAcreateserial -days 2 \
		-extfile <(printf 'subjectAltName=DNS:%s,IP:127.0.0.1\n' "$1") \
		-out "$tmp/$1.crt" 2> /dev/null
}

pki ca && pki hss.bench ca && pki bsf.bench ca && pki nafkc.bench ca || exit 1
for name in hss bsf ue nafkc psk; do
	head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$tmp/$name.key"
	chmod 600 "$tmp/$name.key"
done

config() {	# NAME ROLE-YAML
	cat > "$run/$1.yaml" <<-EOF
	log:
	  level: warning
	store:
	  path: $db_dir/$1.db
	  key-file: $tmp/$1.key
	admin:
	  socket: $run/$1.sock
	tls:
	  certificate: $tmp/$1.bench.crt
	  private-key: $tmp/$1.bench.key
	  ca: $tmp/ca.crt
	roles:
	$2
	EOF
}

start() {	# NAME: e2md, until its ready file is there
	local i
	${wrap:+$wrap.${run##*/}.$1} "$E2MD" -c "$run/$1.yaml" --ready-file "$run/$1.ready" \
		2> "$run/$1.log" &
	pids+=($!)
	for i in $(seq 200); do
		[ -s "$run/$1.ready" ] && return 0
		sleep 0.025
	done
	echo "ub: e2md ($1) did not start" >&2
	cat "$run/$1.log" >&2
	exit 1
}

. "$here/../../selftests/lib/ticks.sh"

# ub_setup LABEL DIR: an HSS and a BSF with their stores in DIR (their
# files in $tmp/LABEL), the bench's subscribers and USIMs (the UEs' store
# in $uedir/ue-LABEL.db); both stay up until the end.
declare -A ub_rate ub_url ub_zn ub_ue_db hss_pid bsf_pid
ub_setup() {
	local label=$1 i imsi iccid hss
	db_dir=$2
	run=$tmp/$label
	mkdir -p "$run"
	# One process by default, as the BSF (which runs on one): these
	# figures compare with the earlier ones. BENCH_HSS_WORKERS=2 puts
	# the HSS on two (the workers part compares the HSS alone).
	config hss "  hss: { listen: \"127.0.0.1:0\", clients: [bsf.bench], sn-clients: [sgw.bench] }
workers: ${BENCH_HSS_WORKERS:-1}"
	start hss
	hss_pid[$label]=${pids[-1]}
	hss=$(sed -n 's/^hss.zh=//p' "$run/hss.ready")
	config bsf "  bsf: { name: bsf.bench, ub-listen: \"127.0.0.1:0\", zn-listen: \"127.0.0.1:0\", hss-url: \"https://$hss\", ub-source-rate: 1000000, nafs: [{ name: nafkc.bench }] }"
	start bsf
	bsf_pid[$label]=${pids[-1]}
	ub_url[$label]=$(sed -n 's/^bsf.ub=//p' "$run/bsf.ready")
	ub_zn[$label]=$(sed -n 's/^bsf.zn=//p' "$run/bsf.ready")
	ub_ue_db[$label]=$uedir/ue-$label.db
	iccids=()
	for i in $(seq "$ues"); do
		imsi=$(printf '0010100000%05d' "$i")
		iccid=$(printf '898821100000%08d' "$i")
		"$E2MCTL" --socket "$run/hss.sock" subscriber add --imsi "$imsi" \
			--impi "bench$i@home1.net" --keys <(printf '%s\n' k=$K opc=$OPC) \
			--uss '[{"naf":"nafkc.bench","flags":[1]}]' || exit 1
		"$E2MCTL" usim add --store "${ub_ue_db[$label]}" \
			--store-key-file "$tmp/ue.key" --iccid "$iccid" \
			--imsi "$imsi" --impi "bench$i@home1.net" \
			--keys <(printf '%s\n' k=$K opc=$OPC) || exit 1
		iccids+=("$iccid")
	done
	run=$tmp
}

# ub_measure LABEL N: ub_bench with N USIMs against LABEL's daemons.
ub_measure() {
	local label=$1 n=$2 out b0 h0 b1 h1 hz
	hz=$(getconf CLK_TCK)
	b0=$(process_ticks "${bsf_pid[$label]}") h0=$(process_ticks "${hss_pid[$label]}")
	out=$("$build/bench/ub_bench" -t "$threads" "http://${ub_url[$label]}" \
		"${ub_ue_db[$label]}" "$tmp/ue.key" "$count" \
		"${iccids[@]:0:$n}") || exit 1
	b1=$(process_ticks "${bsf_pid[$label]}") h1=$(process_ticks "${hss_pid[$label]}")
	echo "$out, BSF CPU $(awk -v t=$((b1 - b0)) -v hz="$hz" 'BEGIN { printf "%.2f", t / hz }') s, HSS CPU $(awk -v t=$((h1 - h0)) -v hz="$hz" 'BEGIN { printf "%.2f", t / hz }') s; stores on $label, load $(cut -d' ' -f1 /proc/loadavg)"
	ub_rate[$label,$n]=$(sed 's/.*: \([0-9]*\) bootstraps\/s.*/\1/' <<< "$out")
}

# Every bench UE has TS 35.208 test set 1's K and OPc: the numbers are
# about the protocol, not the subscriber.
. "$here/../../selftests/lib/test-vectors.sh"
K=$K1
OPC=$OPC1
labels=disk
if [ -n "$shm" ]; then
	shm_db=$(mktemp -d -p "$shm")
	ub_setup tmpfs "$shm_db"
	labels="tmpfs disk"
fi
ub_setup disk "$tmp"
# The rounds of disk and tmpfs one after the other at each count, so that
# the load of a shared machine hits both alike.
echo "ub: host load (1 min) before: $(cut -d' ' -f1-3 /proc/loadavg)"
for n in $ue_counts; do
	for label in $labels; do
		ub_measure "$label" "$n"
	done
done
ub=${ub_url[disk]}
zn=${ub_zn[disk]}
ue_db=${ub_ue_db[disk]}
echo "ub: each bootstrap commits an SQN at the HSS (a reserved range of 64 SEQs a write, store/store_sqn_reserve.h) and a session at the BSF (group commit: one fdatasync for the commits of a loop turn, or of several while one runs, on the store's flush thread), and an SQN and a session in the UEs' store ($uedir)"
if [ -n "$shm" ]; then
	echo "ub: bootstraps/s, USIMs at once: disk ($dir), tmpfs, disk/tmpfs"
	for n in $ue_counts; do
		awk -v n="$n" -v d="${ub_rate[disk,$n]}" -v t="${ub_rate[tmpfs,$n]}" \
			'BEGIN { printf "ub: %5d %8d %8d %6.2f\n", n, d, t, d / t }'
	done
fi

# --- the NAF Key Centre, and OpenSSL's own PSK handshakes ---------------------

[[ $parts == *" nafkc "* ]] || exit 0

device=imei:490154203237518
# Key Centres on the same BSF: nafkc with its Zn cache (the default
# zn-cache), nafkc0 without (zn-cache: 0, every request pulls), their
# stores on the disk, and when there is tmpfs the same two with theirs in
# /dev/shm (nafkc-tmpfs, nafkc0-tmpfs), all measured in the same rounds.
declare -A server kc_dev kc_gba
kc_labels=disk
[ -z "$shm" ] || kc_labels="disk tmpfs"
for label in $kc_labels; do
	for k in nafkc nafkc0; do
		name=$k
		db_dir=$tmp
		if [ $label = tmpfs ]; then
			name=$k-tmpfs
			db_dir=$shm_db
			cp "$tmp/nafkc.bench.crt" "$tmp/$name.bench.crt"
			cp "$tmp/nafkc.bench.key" "$tmp/$name.bench.key"
			cp "$tmp/nafkc.key" "$tmp/$name.key"
		elif [ $k = nafkc0 ]; then
			cp "$tmp/nafkc.bench.crt" "$tmp/$name.bench.crt"
			cp "$tmp/nafkc.bench.key" "$tmp/$name.bench.key"
			cp "$tmp/nafkc.key" "$tmp/$name.key"
		fi
		extra=
		[ $k = nafkc ] || extra=", zn-cache: 0"
		config $name "  nafkc: { name: nafkc.bench, listen: \"127.0.0.1:0\", gba-listen: \"127.0.0.1:0\", bsf-url: \"https://$zn\"$extra }"
		start $name
		server[$name]=${pids[-1]}
		kc_dev[$name]=$(sed -n 's/^nafkc.devices=//p' "$tmp/$name.ready")
		kc_gba[$name]=$(sed -n 's/^nafkc.gba=//p' "$tmp/$name.ready")
		"$E2MCTL" --socket "$tmp/$name.sock" device add --device-id $device \
			--keys <(echo "psk=$(cat "$tmp/psk.key")") || exit 1
	done
done
db_dir=$tmp
btid=$("$E2MCTL" bootstrap --store "$ue_db" --store-key-file "$tmp/ue.key" \
	--iccid "${iccids[0]}" --bsf "http://$ub" | sed -n 's/^btid=//p')
[ -n "$btid" ] || { echo "nafkc: the bootstrap failed" >&2; exit 1; }

# openssl s_server serves one connection at a time (accept, handshake,
# answer, close, the next): with several clients the others wait in the
# listen queue. That is its capacity, and the yardstick.
openssl s_server -accept 127.0.0.1:0 -nocert -psk "$(cat "$tmp/psk.key")" \
	-psk_identity $device -www > "$tmp/s_server.log" 2>&1 < /dev/null &
pids+=($!)
server[s_server]=${pids[-1]}
server[bsf]=${bsf_pid[disk]}
for i in $(seq 200); do
	sport=$(sed -n 's/^ACCEPT 127.0.0.1://p' "$tmp/s_server.log")
	[ -n "$sport" ] && break
	sleep 0.025
done
[ -n "$sport" ] || { echo "nafkc: openssl s_server did not start" >&2; exit 1; }

kc_counter() {	# NAME COUNTER: a Key Centre's status counter
	"$E2MCTL" --socket "$tmp/$1.sock" status |
		sed -n "s/.* $2=\([0-9]*\).*/\1/p"
}

# [KC=NAME] measure NAME V CLIENTS ARGS...: one nafkc_bench run with
# CLIENTS clients; appends to $tmp/rates "V NAME CLIENTS ROUND RATE COUNT
# CLIENT-S KC-TICKS BSF-TICKS S_SERVER-TICKS COMMITS WRITES", KC-TICKS
# those of the Key Centre KC (default nafkc), COMMITS and WRITES its
# store's group commits (one fsync each) and the writes they carried
# (the issued keys' rows) during a run of requests.
measure() {
	local name=$1 v=$2 c=$3 out p before=() after=() TIMEFORMAT='%U %S'
	local k=${KC:-nafkc} c0=0 w0=0 c1=0 w1=0
	shift 3
	if [ "$1" = request ] || [ "$1" = gba-request ]; then
		c0=$(kc_counter $k group-commits) w0=$(kc_counter $k group-writes)
	fi
	for p in $k bsf s_server; do before+=($(process_ticks ${server[$p]})); done
	{ time "$build/bench/nafkc_bench" -c "$c" "$@" > "$tmp/out"; } 2> "$tmp/time" ||
		{ grep -v '^[0-9.]* [0-9.]*$' "$tmp/time" >&2
		  echo "nafkc: $name, TLS $v, $c clients: failed; the Key Centre's log ($k):" >&2
		  tail -5 "$tmp/$k.log" >&2; exit 1; }
	for p in $k bsf s_server; do after+=($(process_ticks ${server[$p]})); done
	if [ "$1" = request ] || [ "$1" = gba-request ]; then
		c1=$(kc_counter $k group-commits) w1=$(kc_counter $k group-writes)
	fi
	out=$(cat "$tmp/out")
	echo "$v $name $c $round $(sed 's/.*: \([0-9]*\)\/s .*/\1/' <<< "$out") $(sed 's/.*: \([0-9]*\) in .*/\1/' <<< "$out") $(awk 'END { print $1 + $2 }' "$tmp/time") $((after[0] - before[0])) $((after[1] - before[1])) $((after[2] - before[2])) $((c1 - c0)) $((w1 - w0))" >> "$tmp/rates"
	echo "$out" > "$tmp/last.$name.$v.$c"
}

# The lines of a round, in this order; the store's are measured on each
# store (NAME@LABEL), the others against the disk's Key Centre.
store_lines="request request-0 gba-request gba-request-0"
names="s_server s_server-get"
for label in $kc_labels; do
	for m in $store_lines; do names+=" $m@$label"; done
done
names+=" handshake get gba-handshake"
clients=${BENCH_NAFKC_CLIENTS:-1 8}

: > "$tmp/rates"
: > "$tmp/ratios"
echo "nafkc: host load (1 min, 5, 15) before: $(cut -d' ' -f1-3 /proc/loadavg)"
for v in 1.3 1.2; do
	for round in $(seq "$rounds"); do
		for c in $clients; do
			measure s_server $v $c handshake 127.0.0.1 "$sport" \
				$device "$tmp/psk.key" $v "$seconds"
			measure s_server-get $v $c get 127.0.0.1 "$sport" \
				$device "$tmp/psk.key" $v "$seconds"
			for label in $kc_labels; do
				k=nafkc k0=nafkc0
				[ $label = disk ] || k=nafkc-$label k0=nafkc0-$label
				KC=$k measure request@$label $v $c request \
					127.0.0.1 "${kc_dev[$k]##*:}" $device \
					"$tmp/psk.key" $v "$seconds" "$btid"
				KC=$k0 measure request-0@$label $v $c request \
					127.0.0.1 "${kc_dev[$k0]##*:}" $device \
					"$tmp/psk.key" $v "$seconds" "$btid"
				KC=$k measure gba-request@$label $v $c \
					gba-request 127.0.0.1 "${kc_gba[$k]##*:}" \
					$device "$ue_db" "$tmp/ue.key" \
					"${iccids[0]}" nafkc.bench $v "$seconds"
				KC=$k0 measure gba-request-0@$label $v $c \
					gba-request 127.0.0.1 "${kc_gba[$k0]##*:}" \
					$device "$ue_db" "$tmp/ue.key" \
					"${iccids[0]}" nafkc.bench $v "$seconds"
			done
			measure handshake $v $c handshake 127.0.0.1 \
				"${kc_dev[nafkc]##*:}" $device "$tmp/psk.key" $v \
				"$seconds"
			measure get $v $c get 127.0.0.1 "${kc_dev[nafkc]##*:}" \
				$device "$tmp/psk.key" $v "$seconds"
			measure gba-handshake $v $c gba-handshake 127.0.0.1 \
				"${kc_gba[nafkc]##*:}" $device "$ue_db" \
				"$tmp/ue.key" "${iccids[0]}" nafkc.bench $v \
				"$seconds"
		done
	done
	for c in $clients; do
		for name in $names; do
			sed 's/^nafkc: [^ ]* *\([^:]*\):.*/\1/' "$tmp/last.$name.$v.$c" > "$tmp/suite.$name.$v.$c"
			sed 's/.*(\(.*\))$/\1/' "$tmp/last.$name.$v.$c" > "$tmp/clients.$name.$v.$c"
		done
		awk -v v=$v -v c=$c -v rounds="$rounds" -v seconds="$seconds" \
			-v hz="$(getconf CLK_TCK)" -v tmp="$tmp" \
			-v names="$names" -v labels="$kc_labels" '
		function median(a, n,   i, j, t) {
			for (i = 2; i <= n; i++)
				for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
					t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
				}
			return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
		}
		function ms(x, m) { return 1000 * x / n[m] }
		$1 == v && $3 == c {
			rate[$2, $4] = $5; n[$2] += $6; wall[$2] += $6 / $5
			client[$2] += $7; kc[$2] += $8 / hz; bsf[$2] += $9 / hz
			ss[$2] += $10 / hz; commits[$2] += $11; writes[$2] += $12
		}
		END {
			what["s_server"] = "openssl s_server -psk: handshakes"
			what["s_server-get"] = "openssl s_server -psk -www: GET /"
			what["request"] = "the Key Centre, device PSK: requests"
			what["request-0"] = "... with zn-cache: 0: requests"
			what["gba-request"] = "the Key Centre, GBA PSK-TLS: requests"
			what["gba-request-0"] = "... with zn-cache: 0: requests"
			what["handshake"] = "the Key Centre, device PSK: handshakes"
			what["get"] = "the Key Centre, device PSK: GET /"
			what["gba-handshake"] = "the Key Centre, GBA PSK-TLS: handshakes"
			printf "nafkc: TLS %s, %d clients at once, the medians of %d rounds of %g s, each figure against s_server handshakes in its round:\n", v, c, rounds, seconds
			n_names = split(names, name, " ")
			for (k = 1; k <= n_names; k++) {
				m = name[k]
				split(m, part, "@")
				for (r = 1; r <= rounds; r++) {
					a[r] = rate[m, r]
					q[r] = rate[m, r] / rate["s_server", r]
				}
				suite = ""; cl = ""
				getline suite < (tmp "/suite." m "." v "." c)
				getline cl < (tmp "/clients." m "." v "." c)
				sub(/^[0-9]* clients, /, "", cl)
				if (commits[m])
					cl = sprintf("%s; %.1f keys a commit", cl, writes[m] / commits[m])
				printf "nafkc:   %-44s %-6s %6.0f/s  %4.2f  (%s; %s)\n", what[part[1]], part[2], median(a, rounds), median(q, rounds), suite, cl
				ratio[m] = median(q, rounds)
			}
			printf "nafkc:   the Key Centre'"'"'s CPU ms each: handshake %.2f, GET / %.2f", ms(kc["handshake"], "handshake"), ms(kc["get"], "get")
			nl = split(labels, label, " ")
			for (l = 1; l <= nl; l++)
				printf ", request (%s) %.2f, GBA request (%s) %.2f", label[l], ms(kc["request@" label[l]], "request@" label[l]), label[l], ms(kc["gba-request@" label[l]], "gba-request@" label[l])
			printf "\n"
			for (l = 1; l <= nl; l++) {
				s = label[l]
				printf "nafkc: TLS %s, %d clients, store on %s: Key Centre requests / s_server handshakes = %.2f (zn-cache: 0: %.2f; GBA %.2f, zn-cache: 0: %.2f)\n", v, c, s, ratio["request@" s], ratio["request-0@" s], ratio["gba-request@" s], ratio["gba-request-0@" s]
				print v, c, s, ratio["request@" s], ratio["gba-request@" s] >> (tmp "/ratios")
				m = "request@" s
				printf "nafkc:   ms each (wall: 1/rate), CPU ms each: s_server handshake %.2f: client %.2f, s_server %.2f; request (%s) %.2f: client %.2f, Key Centre %.2f, BSF %.2f; CPU of an s_server handshake / CPU of a request = %.2f\n",
					ms(wall["s_server"], "s_server"),
					ms(client["s_server"], "s_server"), ms(ss["s_server"], "s_server"),
					s, ms(wall[m], m), ms(client[m], m), ms(kc[m], m), ms(bsf[m], m),
					(client["s_server"] + ss["s_server"]) / n["s_server"] / ((client[m] + kc[m] + bsf[m]) / n[m])
			}
		}' "$tmp/rates"
	done
done
echo "nafkc: host load (1 min, 5, 15) after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "nafkc: Key Centre requests / s_server handshakes (the goal: 0.8), TLS, clients at once, store: device PSK, GBA PSK-TLS"
sort -k1,1r -k3,3 -k2,2n "$tmp/ratios" |
	awk '{ printf "nafkc: TLS %s %3d clients %-5s %5.2f %5.2f\n", $1, $2, $3, $4, $5 }'
echo "nafkc: a request is a new PSK-TLS session, the POST, the B-TID's Ks_NAF (from the Zn cache after the first; with zn-cache: 0 a Zn pull each, kept-alive mutual TLS), the key derived and stored (durable before the answer: fsync'ed in $dir, or on tmpfs), the answer and close_notify; with GBA PSK-TLS the handshake itself needs the bootstrap's key for the suite (cached, or a Zn pull) and the request the Key Centre's"

[[ $parts != *" pg "* ]] || "$here/pg_bench.sh" "$build/bench/pg_bench" ||
	exit 1
