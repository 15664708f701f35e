#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The key agent's benchmark (make -C agent bench):
#
#   auc  authentication vectors per second in one process (auc_bench), on
#        a store in $BENCH_DIR (default $TMPDIR or /tmp: a disk, each SQN
#        fsync'ed) and, when there is one, in /dev/shm (tmpfs: the
#        computation without the disk)
#   ub   full Ub bootstraps per second over loopback (ub_bench): an HSS
#        and a BSF, each an e2md of its own with its store in $BENCH_DIR,
#        $BENCH_BOOTSTRAPS bootstraps (default 500) from one UE, then from
#        $BENCH_UES USIMs at once (default 8)
#
#   bench/bench.sh BUILD-DIR     (e2mctl, e2md and bench/ in it)
#
# The Ub part needs root (e2md's admin socket), openssl and curl's
# friends: the same as tests/daemon_test.sh.
set -u

build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
E2MCTL=$build/e2mctl
E2MD=$build/e2md
dir=${BENCH_DIR:-${TMPDIR:-/tmp}}
count=${BENCH_BOOTSTRAPS:-500}
ues=${BENCH_UES:-8}

"$build/bench/auc_bench" "$dir" 3 || exit 1
if [ -d /dev/shm ] && [ -w /dev/shm ] && [ "$dir" != /dev/shm ]; then
	"$build/bench/auc_bench" /dev/shm 3 || exit 1
fi

if [ "$(id -u)" != 0 ] || ! command -v openssl > /dev/null; then
	echo "ub: skipped (needs root for e2md's admin socket, and openssl)"
	exit 0
fi

tmp=$(mktemp -d -p "$dir")
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do
		kill -TERM "$p" 2> /dev/null
		wait "$p" 2> /dev/null
	done
	rm -rf "$tmp"
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

pki ca && pki hss.bench ca && pki bsf.bench ca || exit 1
for name in hss bsf ue; do
	head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$tmp/$name.key"
	chmod 600 "$tmp/$name.key"
done

config() {	# NAME ROLE-YAML
	cat > "$tmp/$1.yaml" <<-EOF
	log:
	  level: warning
	store:
	  path: $tmp/$1.db
	  key-file: $tmp/$1.key
	admin:
	  socket: $tmp/$1.sock
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
	"$E2MD" -c "$tmp/$1.yaml" --ready-file "$tmp/$1.ready" \
		2> "$tmp/$1.log" &
	pids+=($!)
	for i in $(seq 200); do
		[ -s "$tmp/$1.ready" ] && return 0
		sleep 0.025
	done
	echo "ub: e2md ($1) did not start" >&2
	cat "$tmp/$1.log" >&2
	exit 1
}

config hss '  hss: { listen: "127.0.0.1:0", clients: [bsf.bench], sn-clients: [sgw.bench] }'
start hss
hss=$(sed -n 's/^hss.zh=//p' "$tmp/hss.ready")
config bsf "  bsf: { name: bsf.bench, ub-listen: \"127.0.0.1:0\", zn-listen: \"127.0.0.1:0\", hss-url: \"https://$hss\" }"
start bsf
ub=$(sed -n 's/^bsf.ub=//p' "$tmp/bsf.ready")

# Every bench UE has TS 35.208 test set 1's K and OPc: the numbers are
# about the protocol, not the subscriber.
. "$here/../../selftests/lib/test-vectors.sh"
K=$K1
OPC=$OPC1
iccids=()
for i in $(seq "$ues"); do
	imsi=$(printf '0010100000%05d' "$i")
	iccid=$(printf '898821100000%08d' "$i")
	"$E2MCTL" --socket "$tmp/hss.sock" subscriber add --imsi "$imsi" \
		--impi "bench$i@home1.net" --keys <(printf '%s\n' k=$K opc=$OPC) || exit 1
	"$E2MCTL" usim add --store "$tmp/ue.db" --store-key-file "$tmp/ue.key" \
		--iccid "$iccid" --imsi "$imsi" --impi "bench$i@home1.net" \
		--keys <(printf '%s\n' k=$K opc=$OPC) || exit 1
	iccids+=("$iccid")
done

"$build/bench/ub_bench" "http://$ub" "$tmp/ue.db" "$tmp/ue.key" "$count" \
	"${iccids[0]}" || exit 1
"$build/bench/ub_bench" "http://$ub" "$tmp/ue.db" "$tmp/ue.key" "$count" \
	"${iccids[@]}" || exit 1
echo "ub: stores in $dir; each bootstrap commits an SQN at the HSS and the USIM and a session at the BSF and the UE"
