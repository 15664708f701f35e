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
#   nafkc the NAF Key Centre's Ks_local requests per second over PSK-TLS,
#        one device after another, each on a new session (nafkc_bench),
#        beside OpenSSL's own PSK handshakes per second against openssl
#        s_server -psk in the same run, TLS 1.3 and 1.2, $BENCH_SECONDS
#        each (default 3), and the ratio (the Key Centre's goal: 0.8)
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
seconds=${BENCH_SECONDS:-3}

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

pki ca && pki hss.bench ca && pki bsf.bench ca && pki nafkc.bench ca || exit 1
for name in hss bsf ue nafkc psk; do
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
config bsf "  bsf: { name: bsf.bench, ub-listen: \"127.0.0.1:0\", zn-listen: \"127.0.0.1:0\", hss-url: \"https://$hss\", nafs: [{ name: nafkc.bench }] }"
start bsf
ub=$(sed -n 's/^bsf.ub=//p' "$tmp/bsf.ready")
zn=$(sed -n 's/^bsf.zn=//p' "$tmp/bsf.ready")

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
		--impi "bench$i@home1.net" --keys <(printf '%s\n' k=$K opc=$OPC) \
		--uss '[{"naf":"nafkc.bench","flags":[1]}]' || exit 1
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

# --- the NAF Key Centre, and OpenSSL's own PSK handshakes ---------------------

device=imei:490154203237518
config nafkc "  nafkc: { name: nafkc.bench, listen: \"127.0.0.1:0\", bsf-url: \"https://$zn\" }"
start nafkc
kc=$(sed -n 's/^nafkc.devices=//p' "$tmp/nafkc.ready")
"$E2MCTL" --socket "$tmp/nafkc.sock" device add --device-id $device \
	--keys <(echo "psk=$(cat "$tmp/psk.key")") || exit 1
btid=$("$E2MCTL" bootstrap --store "$tmp/ue.db" --store-key-file "$tmp/ue.key" \
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

for v in 1.3 1.2; do
	ossl=$("$build/bench/nafkc_bench" handshake 127.0.0.1 "$sport" $device \
		"$tmp/psk.key" $v "$seconds") || exit 1
	ours=$("$build/bench/nafkc_bench" request 127.0.0.1 "${kc##*:}" $device \
		"$tmp/psk.key" $v "$seconds" "$btid") || exit 1
	echo "$ossl (openssl s_server -psk)"
	echo "$ours (the Key Centre)"
	awk -v a="${ours##* }" -v b="${ossl##* }" \
		'BEGIN { printf "nafkc: TLS %s: Key Centre requests / s_server handshakes = %.2f\n", "'$v'", a / b }'
done
echo "nafkc: a request is a new PSK-TLS session, the POST, a Zn pull (kept-alive mutual TLS), the key derived and stored (fsync'ed, in $dir), the answer and close_notify"
