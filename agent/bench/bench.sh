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
#        one session after another, each a new TLS session (nafkc_bench),
#        with a device PSK and with GBA PSK-TLS (a UE's bootstrap, on
#        gba-listen), and the Key Centre's bare handshakes, beside
#        OpenSSL's own PSK handshakes per second against openssl s_server
#        -psk, TLS 1.3 and 1.2: $BENCH_ROUNDS rounds (default 5) of
#        $BENCH_SECONDS each (default 1), the figures of a round one after
#        another so that the load of a shared machine hits them alike; the
#        medians, each figure's median ratio to OpenSSL's in its round (the
#        Key Centre's goal: 0.8 for requests), and the wall time of one
#        handshake and request beside the CPU time each process spent on
#        it (what is left is waiting: for the disk, or for a CPU). The
#        requests are measured twice in each round: against a Key Centre
#        with its Zn cache (the default zn-cache) and against a second one
#        with zn-cache: 0, whose every request pulls over Zn
#
#   pg   the PostgreSQL engine's hot statements per second (pg_bench): the
#        SQN advance, a session's INSERT and its lookup, on a throwaway
#        cluster (bench/pg_bench.sh), with fsync and without
#
#   bench/bench.sh BUILD-DIR     (e2mctl, e2md and bench/ in it)
#
# BENCH_PARTS (default "auc ub nafkc pg") picks the parts to run (nafkc needs
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
parts=" ${BENCH_PARTS:-auc ub nafkc pg} "
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

cpu_ticks() {	# PID: user + system clock ticks so far
	awk '{ print $14 + $15 }' "/proc/$1/stat"
}

# ub_setup LABEL DIR: an HSS and a BSF with their stores in DIR (their
# files in $tmp/LABEL), the bench's subscribers and USIMs (the UEs' store
# in $uedir/ue-LABEL.db); both stay up until the end.
declare -A ub_rate ub_url ub_zn ub_ue_db hss_pid bsf_pid
ub_setup() {
	local label=$1 i imsi iccid hss
	db_dir=$2
	run=$tmp/$label
	mkdir -p "$run"
	config hss '  hss: { listen: "127.0.0.1:0", clients: [bsf.bench], sn-clients: [sgw.bench] }'
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
	b0=$(cpu_ticks "${bsf_pid[$label]}") h0=$(cpu_ticks "${hss_pid[$label]}")
	out=$("$build/bench/ub_bench" -t "$threads" "http://${ub_url[$label]}" \
		"${ub_ue_db[$label]}" "$tmp/ue.key" "$count" \
		"${iccids[@]:0:$n}") || exit 1
	b1=$(cpu_ticks "${bsf_pid[$label]}") h1=$(cpu_ticks "${hss_pid[$label]}")
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
echo "ub: each bootstrap commits an SQN at the HSS (a reserved range of 64 SEQs a write, store/store_sqn_reserve.h) and a session at the BSF (group commit: one fsync a loop turn), and an SQN and a session in the UEs' store ($uedir)"
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
# Two Key Centres on the same BSF: nafkc with its Zn cache (the default
# zn-cache), nafkc0 without (zn-cache: 0, every request pulls), measured
# in the same rounds.
cp "$tmp/nafkc.bench.crt" "$tmp/nafkc0.bench.crt"
cp "$tmp/nafkc.bench.key" "$tmp/nafkc0.bench.key"
cp "$tmp/nafkc.key" "$tmp/nafkc0.key"
config nafkc "  nafkc: { name: nafkc.bench, listen: \"127.0.0.1:0\", gba-listen: \"127.0.0.1:0\", bsf-url: \"https://$zn\" }"
start nafkc
config nafkc0 "  nafkc: { name: nafkc.bench, listen: \"127.0.0.1:0\", gba-listen: \"127.0.0.1:0\", bsf-url: \"https://$zn\", zn-cache: 0 }"
start nafkc0
kc=$(sed -n 's/^nafkc.devices=//p' "$tmp/nafkc.ready")
gba=$(sed -n 's/^nafkc.gba=//p' "$tmp/nafkc.ready")
kc0=$(sed -n 's/^nafkc.devices=//p' "$tmp/nafkc0.ready")
gba0=$(sed -n 's/^nafkc.gba=//p' "$tmp/nafkc0.ready")
for k in nafkc nafkc0; do
	"$E2MCTL" --socket "$tmp/$k.sock" device add --device-id $device \
		--keys <(echo "psk=$(cat "$tmp/psk.key")") || exit 1
done
btid=$("$E2MCTL" bootstrap --store "$ue_db" --store-key-file "$tmp/ue.key" \
	--iccid "${iccids[0]}" --bsf "http://$ub" | sed -n 's/^btid=//p')
[ -n "$btid" ] || { echo "nafkc: the bootstrap failed" >&2; exit 1; }

openssl s_server -accept 127.0.0.1:0 -nocert -psk "$(cat "$tmp/psk.key")" \
	-psk_identity $device -www > "$tmp/s_server.log" 2>&1 < /dev/null &
pids+=($!)
for i in $(seq 200); do
	sport=$(sed -n 's/^ACCEPT 127.0.0.1://p' "$tmp/s_server.log")
	[ -n "$sport" ] && break
	sleep 0.025
done
[ -n "$sport" ] || { echo "nafkc: openssl s_server did not start" >&2; exit 1; }
# The processes whose CPU time a figure counts: e2md's of the Key Centres
# and the disk's BSF, s_server (the last three started).
declare -A server=([nafkc]=${pids[-3]} [nafkc0]=${pids[-2]} [bsf]=${bsf_pid[disk]} [s_server]=${pids[-1]})

# [KC=nafkc0] measure NAME V ARGS...: one nafkc_bench run; appends to
# $tmp/rates "V NAME ROUND RATE COUNT CLIENT-S NAFKC-TICKS BSF-TICKS
# S_SERVER-TICKS", NAFKC-TICKS those of KC (default nafkc).
measure() {
	local name=$1 v=$2 out p before=() after=() TIMEFORMAT='%U %S'
	shift 2
	for p in ${KC:-nafkc} bsf s_server; do before+=($(cpu_ticks ${server[$p]})); done
	{ time "$build/bench/nafkc_bench" "$@" > "$tmp/out"; } 2> "$tmp/time" ||
		{ cat "$tmp/time" >&2; exit 1; }
	for p in ${KC:-nafkc} bsf s_server; do after+=($(cpu_ticks ${server[$p]})); done
	out=$(cat "$tmp/out")
	echo "$v $name $round ${out##* } $(echo "$out" | sed 's/.*: \([0-9]*\) in .*/\1/') $(awk 'END { print $1 + $2 }' "$tmp/time") $((after[0] - before[0])) $((after[1] - before[1])) $((after[2] - before[2]))" >> "$tmp/rates"
	echo "$out" > "$tmp/last.$name.$v"
}

: > "$tmp/rates"
for v in 1.3 1.2; do
	for round in $(seq "$rounds"); do
		measure s_server $v handshake 127.0.0.1 "$sport" $device \
			"$tmp/psk.key" $v "$seconds"
		measure s_server-get $v get 127.0.0.1 "$sport" $device \
			"$tmp/psk.key" $v "$seconds"
		measure request $v request 127.0.0.1 "${kc##*:}" $device \
			"$tmp/psk.key" $v "$seconds" "$btid"
		KC=nafkc0 measure request-0 $v request 127.0.0.1 "${kc0##*:}" \
			$device "$tmp/psk.key" $v "$seconds" "$btid"
		measure handshake $v handshake 127.0.0.1 "${kc##*:}" $device \
			"$tmp/psk.key" $v "$seconds"
		measure get $v get 127.0.0.1 "${kc##*:}" $device \
			"$tmp/psk.key" $v "$seconds"
		measure gba-request $v gba-request 127.0.0.1 "${gba##*:}" \
			$device "$ue_db" "$tmp/ue.key" "${iccids[0]}" \
			nafkc.bench $v "$seconds"
		measure gba-handshake $v gba-handshake 127.0.0.1 "${gba##*:}" \
			$device "$ue_db" "$tmp/ue.key" "${iccids[0]}" \
			nafkc.bench $v "$seconds"
		KC=nafkc0 measure gba-request-0 $v gba-request 127.0.0.1 \
			"${gba0##*:}" $device "$ue_db" "$tmp/ue.key" \
			"${iccids[0]}" nafkc.bench $v "$seconds"
	done
	for name in s_server s_server-get request request-0 handshake get \
		gba-request gba-request-0 gba-handshake; do
		sed 's/^nafkc: [^ ]* *\([^:]*\):.*/\1/' "$tmp/last.$name.$v" > "$tmp/suite.$name.$v"
	done
	awk -v v=$v -v rounds="$rounds" -v seconds="$seconds" -v hz="$(getconf CLK_TCK)" -v tmp="$tmp" '
	function median(a, n,   i, j, t) {
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
				t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
			}
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	}
	$1 == v { rate[$2, $3] = $4; n[$2] += $5; wall[$2] += $5 / $4
		  client[$2] += $6
		  kc[$2] += $7; bsf[$2] += $8; ss[$2] += $9 }
	END {
		n_names = split("s_server s_server-get request request-0 handshake get gba-request gba-request-0 gba-handshake", names, " ")
		split("openssl s_server -psk: handshakes|openssl s_server -psk -www: GET /|the Key Centre, device PSK: requests|... with zn-cache: 0: requests|the Key Centre, device PSK: handshakes|the Key Centre, device PSK: GET /|the Key Centre, GBA PSK-TLS: requests|... with zn-cache: 0: requests|the Key Centre, GBA PSK-TLS: handshakes", what, "|")
		printf "nafkc: TLS %s, the medians of %d rounds of %g s, each figure against s_server handshakes in its round:\n", v, rounds, seconds
		for (k = 1; k <= n_names; k++) {
			m = names[k]
			for (r = 1; r <= rounds; r++) {
				a[r] = rate[m, r]
				q[r] = rate[m, r] / rate["s_server", r]
			}
			getline suite < (tmp "/suite." m "." v)
			printf "nafkc:   %-44s %6.0f/s  %4.2f  (%s)\n", what[k], median(a, rounds), median(q, rounds), suite
			if (m == "request")
				ratio = median(q, rounds)
			if (m == "request-0")
				ratio0 = median(q, rounds)
		}
		printf "nafkc: TLS %s: Key Centre requests / s_server handshakes = %.2f (zn-cache: 0: %.2f)\n", v, ratio, ratio0
		printf "nafkc:   ms each, wall and CPU: s_server handshake %.2f: client %.2f, s_server %.2f; request %.2f: client %.2f, Key Centre %.2f, BSF %.2f; zn-cache: 0 request %.2f: client %.2f, Key Centre %.2f, BSF %.2f; GBA request %.2f: client %.2f, Key Centre %.2f, BSF %.2f\n",
			1000 * wall["s_server"] / n["s_server"],
			1000 * client["s_server"] / n["s_server"], 1000 * ss["s_server"] / hz / n["s_server"],
			1000 * wall["request"] / n["request"],
			1000 * client["request"] / n["request"], 1000 * kc["request"] / hz / n["request"], 1000 * bsf["request"] / hz / n["request"],
			1000 * wall["request-0"] / n["request-0"],
			1000 * client["request-0"] / n["request-0"], 1000 * kc["request-0"] / hz / n["request-0"], 1000 * bsf["request-0"] / hz / n["request-0"],
			1000 * wall["gba-request"] / n["gba-request"],
			1000 * client["gba-request"] / n["gba-request"], 1000 * kc["gba-request"] / hz / n["gba-request"], 1000 * bsf["gba-request"] / hz / n["gba-request"]
		hs_cpu = client["s_server"] / n["s_server"] + ss["s_server"] / hz / n["s_server"]
		rq_cpu = client["request"] / n["request"] + (kc["request"] + bsf["request"]) / hz / n["request"]
		printf "nafkc: TLS %s: CPU of an s_server handshake / CPU of a request (client, Key Centre, BSF) = %.2f, the ratio with nothing to wait for\n", v, hs_cpu / rq_cpu
	}' "$tmp/rates"
done
echo "nafkc: host load (1 min, 5, 15) after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "nafkc: a request is a new PSK-TLS session, the POST, the B-TID's Ks_NAF (from the Zn cache after the first; with zn-cache: 0 a Zn pull each, kept-alive mutual TLS), the key derived and stored (fsync'ed, in $dir), the answer and close_notify; with GBA PSK-TLS the handshake itself needs the bootstrap's key for the suite (cached, or a Zn pull) and the request the Key Centre's"

[[ $parts != *" pg "* ]] || "$here/pg_bench.sh" "$build/bench/pg_bench" ||
	exit 1
