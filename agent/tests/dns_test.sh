#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A daemon's peers named by host name (net/resolver.h), run for real on
# loopback: an HSS, and a BSF whose hss-url names hss.test. The BSF's
# resolv.conf and hosts file are its own (E2MD_RESOLV_CONF, E2MD_HOSTS):
#
# - its nameserver is a UDP socket that reads queries and never answers
#   (tests/dns_blackhole.py): while the BSF's lookup of hss.test hangs,
#   the BSF still answers Ub requests that need no vector and its admin
#   socket at once, and the request that needed the HSS fails as when the
#   HSS cannot be reached (503, logged with why) after the resolver's
#   bound (options timeout:2 attempts:1), not before and not much after;
# - its hosts file names hss.test: the same request reaches the HSS (a
#   401 challenge), and the nameserver is never asked.
#
# Prints TAP.
#
#   tests/dns_test.sh [E2MCTL [E2MD]]    (or the E2MCTL and E2MD variables)
#
# Needs root (the admin sockets take uid 0 only), openssl, curl, python3.
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../selftests/lib/prologue.sh"
E2MCTL=${1:-$E2MCTL}
E2MD=${2:-$E2MD}

need_root "the admin socket needs root"
need_tools openssl curl python3

make_tmp shm
. "$here/daemon_lib.sh"

pki_ca hss.test bsf.test
store_keys hss bsf

IMPI=user1@home1.net
K=465b5ce8b199b49faa5f0a2ee238a6bc
OPC=cd63cb71954a9f4e48a5994e37a02baf
AUTH="Authorization: Digest username=\"$IMPI\", realm=\"bsf.test\", nonce=\"\", uri=\"/\", response=\"\""

cat > "$tmp/hss.yaml" <<EOF
$(config_base hss hss.test)
roles:
  hss:
    listen: "127.0.0.1:0"
    clients: [bsf.test]
    sn-clients: [sgw.test]
EOF
if ! start hss; then
	echo "Bail out! the HSS did not start"
	sed 's/^/# /' "$tmp/hss.log"
	exit 1
fi
HSS_PORT=$(ready_value hss hss.zh)
HSS_PORT=${HSS_PORT##*:}
ctl --socket "$tmp/run/hss.sock" subscriber add --imsi 001010000000001 \
	--impi $IMPI --keys <(printf '%s\n' k=$K opc=$OPC)
[ $status = 0 ] || { echo "Bail out! subscriber: $err"; exit 1; }

# The nameserver that never answers, on an address of its own in 127/8.
python3 "$here/dns_blackhole.py" 127.0.0.2 > "$tmp/blackhole.port" \
	2> "$tmp/blackhole.log" &
pid[blackhole]=$!
for i in $(seq 200); do
	[ -s "$tmp/blackhole.port" ] && break
	sleep 0.025
done
NS_PORT=$(head -n1 "$tmp/blackhole.port")
[ -n "$NS_PORT" ] || { echo "Bail out! the nameserver did not start"; exit 1; }
printf 'nameserver 127.0.0.2:%s\noptions timeout:2 attempts:1\n' \
	"$NS_PORT" > "$tmp/resolv.conf"
printf '# nothing here\n' > "$tmp/hosts"

cat > "$tmp/bsf.yaml" <<EOF
$(config_base bsf bsf.test)
roles:
  bsf:
    name: bsf.test
    ub-listen: "127.0.0.1:0"
    zn-listen: "127.0.0.1:0"
    hss-url: "https://hss.test:$HSS_PORT"
    nafs:
      - name: naf1.test
EOF

start_bsf() {
	if ! E2MD_RESOLV_CONF=$tmp/resolv.conf E2MD_HOSTS=$tmp/hosts start bsf
	then
		echo "Bail out! the BSF did not start"
		sed 's/^/# /' "$tmp/bsf.log"
		exit 1
	fi
	UB=$(ready_value bsf bsf.ub)
}

now_ms() { date +%s%3N; }

# ub NAME CURL-ARGS...: GET / on Ub; NAME.code, NAME.body, NAME.ms (time).
ub() {
	local name=$1 t0
	shift
	t0=$(now_ms)
	curl -sS --max-time 20 -o "$tmp/$name.body" -w '%{http_code}' \
		"$@" "http://$UB/" > "$tmp/$name.code" 2> "$tmp/$name.err"
	echo $(($(now_ms) - t0)) > "$tmp/$name.ms"
}

# --- the lookup that hangs ----------------------------------------------------

start_bsf
t0=$(now_ms)
ub hanging -H "$AUTH" &
hanging=$!
# Until the BSF's lookup has reached the nameserver.
for i in $(seq 200); do
	[ -s "$tmp/blackhole.log" ] && break
	sleep 0.025
done
grep -q "query hss.test" "$tmp/blackhole.log"
result $((! $?)) "the BSF asks its nameserver for hss.test" \
	"$(cat "$tmp/blackhole.log")"

ub other
code=$(cat "$tmp/other.code") ms=$(cat "$tmp/other.ms")
[ "$code" = 400 ] && [ "$ms" -lt 1000 ]
result $((! $?)) "meanwhile a Ub request that needs no vector: 400 in ${ms} ms" \
	"code $code"
t1=$(now_ms)
ctl --socket "$tmp/run/bsf.sock" status
ms=$(($(now_ms) - t1))
[ $status = 0 ] && [ $ms -lt 1000 ]
result $((! $?)) "meanwhile the admin socket answers: status in ${ms} ms" "$err"
kill -0 $hanging 2> /dev/null
result $((! $?)) "the request that needs hss.test is still waiting"

wait $hanging
code=$(cat "$tmp/hanging.code") ms=$(($(now_ms) - t0))
[ "$code" = 503 ]
result $((! $?)) "after the bound it fails as an unreachable HSS: 503" \
	"code $code: $(cat "$tmp/hanging.body" "$tmp/hanging.err")"
# timeout:2 attempts:1, and up to 3 s more that evdns gives the second
# of the A and AAAA queries (getaddrinfo_allow_skew) when one failed.
[ $ms -ge 1800 ] && [ $ms -lt 9000 ]
result $((! $?)) "within the bound: ${ms} ms"
wait_log bsf "cannot resolve hss.test" 1
result $((! $?)) "the BSF logs why: $(grep -o 'cannot resolve hss.test[^"]*' "$tmp/bsf.log" | head -n1)"
stop bsf
[ "$stop_status" = 0 ]
result $((! $?)) "the BSF stops cleanly after a failed lookup ($stop_status)"

# --- a name from the hosts file -------------------------------------------------

: > "$tmp/blackhole.log"
printf '127.0.0.1\thss.test\n' > "$tmp/hosts"
start_bsf
ub named -H "$AUTH"
code=$(cat "$tmp/named.code") ms=$(cat "$tmp/named.ms")
[ "$code" = 401 ] && [ "$ms" -lt 1500 ]
result $((! $?)) "hss.test from the hosts file: the HSS answers, a 401 challenge in ${ms} ms" \
	"code $code: $(cat "$tmp/named.body" "$tmp/named.err")"
[ ! -s "$tmp/blackhole.log" ]
result $((! $?)) "the nameserver was not asked" "$(cat "$tmp/blackhole.log")"
stop bsf
[ "$stop_status" = 0 ]
result $((! $?)) "the BSF stops cleanly ($stop_status)"

tap_done
