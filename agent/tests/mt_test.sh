#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The MT / UICC hosting device end to end (TS 33.259 4.5.2 steps 2-9 and
# 18, Documentation/local-interface.md), run for real on loopback: an
# HSS, a BSF and a NAF Key Centre, each an e2md of its own, and an e2md
# with role mt whose software USIM is in its store. A remote device
# written apart from e2m's C code (tests/local_peer.py, Python) talks to
# the MT over the local interface on TCP:
#
#   the NAF-ID list; a B-TID request without a bootstrap (the full
#   procedure: exactly one Ub run at the BSF); another (the optimised
#   procedure: no new Ub run); the Ks_local the MT keeps (opened from its
#   store with the store key, in Python) equals the one the Key Centre
#   hands the device over PSK-TLS (openssl s_client) and the one e2mctl
#   derives offline; the completion notice; every bad message answered
#   with its error and the link still usable, a bad frame length closing
#   it; another UICC at start wiping every key of the old one, two
#   devices at once sharing its one Ub run (a GBA_U USIM); a SIGHUP
#   with a new NAF-ID list; rekey-watches held unanswered (their caps,
#   dropped with their link) and answered with rekey-request when the
#   MT wants the key again (the admin command mt-rekey; the kernel's
#   events are selftests/e2m/devrole.sh's), rate-limited, or logged and
#   counted with no watch.
#
# Keys in the kernel: only where this machine has the ks_local key type
# (the e2m module loaded); otherwise those checks are skipped, saying so.
# Prints TAP.
#
#   tests/mt_test.sh [E2MCTL [E2MD]]    (or the E2MCTL and E2MD variables)
#
# Needs root (the admin sockets take uid 0 only), openssl, python3 with
# the cryptography module.
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../selftests/lib/prologue.sh"
E2MCTL=${1:-$E2MCTL}
E2MD=${2:-$E2MD}

need_root "the admin socket needs root"
need_tools openssl timeout python3

make_tmp shm
. "$here/daemon_lib.sh"

pki_ca hss.test bsf.test nafkc.test
store_keys hss bsf nafkc mt

HSS_LISTEN=127.0.0.1:0
UB_LISTEN=127.0.0.1:0
ZN_LISTEN=127.0.0.1:0
DEV_LISTEN=127.0.0.1:0
MT_LISTEN=127.0.0.1:0
ICCID1=8988211000000000011
ICCID2=8988211000000000022
MT_ICCID=$ICCID1
KEYRING=@u
NAF_IDS="nafkc.test, kc2.test"

cat > "$tmp/hss.yaml" <<EOF
$(config_base hss hss.test)
roles:
  hss: { listen: "$HSS_LISTEN", clients: [bsf.test], sn-clients: [sgw.test] }
EOF

bail() {	# NAME: the daemon did not start
	echo "Bail out! $1 did not start"
	sed 's/^/# /' "$tmp/$1.log"
	exit 1
}

start hss || bail hss
HSS=$(ready_value hss hss.zh)
cat > "$tmp/bsf.yaml" <<EOF
$(config_base bsf bsf.test)
roles:
  bsf:
    name: bsf.test
    ub-listen: "$UB_LISTEN"
    zn-listen: "$ZN_LISTEN"
    hss-url: "https://$HSS"
    key-lifetime: 3600
    nafs: [{ name: nafkc.test }]
EOF
start bsf || bail bsf
UB=$(ready_value bsf bsf.ub)
ZN=$(ready_value bsf bsf.zn)
cat > "$tmp/nafkc.yaml" <<EOF
$(config_base nafkc nafkc.test)
roles:
  nafkc:
    name: nafkc.test
    listen: "$DEV_LISTEN"
    bsf-url: "https://$ZN"
    key-lifetime: 600
EOF
start nafkc || bail nafkc
DEV=$(ready_value nafkc nafkc.devices)

write_mt_config() {
	cat > "$tmp/mt.yaml" <<-EOF
	$(config_base mt)
	roles:
	  mt:
	    listen: "$MT_LISTEN"
	    iccid: "$MT_ICCID"
	    naf-ids: [$NAF_IDS]
	    bsf-url: "http://$UB"
	    keyring: "$KEYRING"
	EOF
}

hssctl() { ctl --socket "$tmp/run/hss.sock" "$@"; }
bsfctl() { ctl --socket "$tmp/run/bsf.sock" "$@"; }
kcctl() { ctl --socket "$tmp/run/nafkc.sock" "$@"; }
mtctl() { ctl --socket "$tmp/run/mt.sock" "$@"; }
mtstore() { ctl "$@" --store "$tmp/mt.db" --store-key-file "$tmp/mt.key"; }
field() { sed -n "s/^$1=//p" <<< "$out"; }
hex_of() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }
bsf_bootstraps() {
	bsfctl status
	sed -n 's/.* bootstraps=\([0-9]*\) .*/\1/p' <<< "$out"
}
talk() {	# lines of local_peer.py talk on stdin: its output in $said
	said=$(timeout 60 python3 "$here/local_peer.py" talk "$MT" 2>&1)
}
line() { sed -n "${1}p" <<< "$said"; }
rows() {	# SQL-WHERE: how many MT key rows match
	python3 -c "import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT count(*) FROM mt_local_keys WHERE ' + sys.argv[2]).fetchone()[0])" \
		"$tmp/mt.db" "$1"
}

for i in 1 2; do
	hssctl subscriber add --imsi 00101000000000$i --impi user$i@home1.net \
		--keys <(printf '%s\n' k=$K1 opc=$OPC1) --uss '[{"naf":"nafkc.test","flags":[1]}]'
	[ $status = 0 ] || echo "Bail out! subscriber $i: $err"
done
mtstore usim add --iccid $ICCID1 --imsi 001010000000001 \
	--impi user1@home1.net --keys <(printf '%s\n' k=$K1 opc=$OPC1)
[ $status = 0 ] || echo "Bail out! USIM 1: $err"
mtstore usim add --iccid $ICCID2 --imsi 001010000000002 \
	--impi user2@home1.net --keys <(printf '%s\n' k=$K1 opc=$OPC1) --gba-u
[ $status = 0 ] || echo "Bail out! USIM 2: $err"

# Can this machine hold ks_local keys (the e2m module loaded)?
if keyctl add ks_local probe x @s > /dev/null 2> "$tmp/probe"; then
	kernel_keys=1
elif grep -q "No such device" "$tmp/probe"; then
	kernel_keys=0
else
	kernel_keys=1	# the type is there; the probe's payload was refused
fi

write_mt_config
start mt || bail mt
MT=$(ready_value mt mt.local)
result 1 "HSS, BSF on $UB, Key Centre on $DEV, MT's local interface on $MT"
MT_LISTEN=$MT

DEV1=imei:490154203237518
DEV2=imei:356938035643809
KC_NAF_ID=$(hex_of nafkc.test)ff00000001

# --- steps 2-3: the NAF-ID list -----------------------------------------

talk <<< '> {"type":"naf-id-list-request","id":1}
<'
[ "$said" = '{"type":"naf-id-list","id":1,"naf-ids":["nafkc.test","kc2.test"]}' ]
result $((! $?)) "NAF-ID list: the Key Centres in the configured order" "$said"

# --- steps 5-9: full procedure, then optimised ----------------------------

before=$(bsf_bootstraps)
talk <<< "> {\"type\":\"btid-request\",\"id\":2,\"naf-id\":\"nafkc.test\",\"device-id\":\"$DEV1\"}
<"
BTID=$(sed -n 's/^{"type":"btid","id":2,"btid":"\([^"]*\)","naf-id":"nafkc.test"}$/\1/p' <<< "$said")
[ -n "$BTID" ] && [ "$(bsf_bootstraps)" = $((before + 1)) ]
result $((! $?)) "B-TID request without a bootstrap: the full procedure, one Ub run" \
	"$said" "bootstraps before $before, now $(bsf_bootstraps)"
grep -q "event=ks-local-derived msg=\"peer=127.0.0.1:[0-9]* btid=$BTID naf=nafkc.test device=$DEV1 procedure=full gba=me lifetime=3[56][0-9][0-9] serial=" "$tmp/mt.log"
result $((! $?)) "the MT logs the full procedure, lifetime the Ks lifetime" \
	"$(grep ks-local-derived "$tmp/mt.log")"

talk <<< "> {\"type\":\"btid-request\",\"id\":3,\"naf-id\":\"NAFKC.test\",\"device-id\":\"$DEV2\"}
<"
[ "$said" = "{\"type\":\"btid\",\"id\":3,\"btid\":\"$BTID\",\"naf-id\":\"nafkc.test\"}" ] &&
	[ "$(bsf_bootstraps)" = $((before + 1)) ] &&
	grep -q "btid=$BTID naf=nafkc.test device=$DEV2 procedure=optimised" "$tmp/mt.log"
result $((! $?)) "B-TID request with a bootstrap: optimised, no new Ub run, NAF-ID as configured" \
	"$said" "bootstraps $(bsf_bootstraps)"
[ "$(rows "iccid = '$ICCID1' AND completed = 0")" = 2 ]
result $((! $?)) "two rows kept, with the ICC_ID, not completed"

# --- Ks_local: the MT's, the Key Centre's, e2mctl's ----------------------

mt_key=$(python3 "$here/local_peer.py" unseal "$tmp/mt.db" "$tmp/mt.key" \
	"$BTID" $KC_NAF_ID $DEV1)
PSK1=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
kcctl device add --device-id $DEV1 --keys <(echo psk=$PSK1)
[ $status = 0 ] || echo "Bail out! device add: $err"
json="{\"btid\":\"$BTID\",\"device-id\":\"$DEV1\"}"
printf 'POST /nafkc/v1/ks-local HTTP/1.1\r\nHost: nafkc.test\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s' \
	${#json} "$json" |
	timeout 20 openssl s_client -connect "$DEV" -quiet -ign_eof \
	-psk_identity $DEV1 -psk $PSK1 -tls1_3 > "$tmp/kc.out" 2> /dev/null
kc_key=$(sed -n 's/.*"ks-local":"\([0-9a-f]*\)".*/\1/p' "$tmp/kc.out")
mtstore naf-key --iccid $ICCID1 --naf-id $KC_NAF_ID --show-key
ctl ks-local --ks-naf "$(field ks_naf)" --label ks_local_device \
	--btid "$BTID" --naf-id $KC_NAF_ID --device-id $DEV1
kat_key=$(field ks_local)
[ ${#mt_key} = 64 ] && [ "$mt_key" = "$kc_key" ] && [ "$mt_key" = "$kat_key" ]
result $((! $?)) "Ks_local: the MT's (from its store) = the Key Centre's = e2mctl ks-local's" \
	"mt $mt_key" "kc $kc_key" "kat $kat_key"
leaked=0
for s in "$mt_key" "$PSK1"; do
	grep -qi "$s" "$tmp"/*.log && leaked=1
done
result $((leaked == 0)) "no Ks_local or PSK in any daemon's log"

# --- step 18: the completion notice ---------------------------------------

talk <<< "> {\"type\":\"complete\",\"id\":4,\"btid\":\"$BTID\",\"naf-id\":\"nafkc.test\",\"device-id\":\"$DEV1\"}
<"
[ "$said" = '{"type":"complete-ack","id":4}' ] &&
	[ "$(rows "device_id = '$DEV1' AND completed = 1")" = 1 ] &&
	[ "$(rows "device_id = '$DEV2' AND completed = 0")" = 1 ]
result $((! $?)) "completion notice: acked, that device's row marked" "$said"

# --- the kernel keyring -----------------------------------------------------

if [ $kernel_keys = 1 ]; then
	grep -q "ks_local.*e2m-mt iccid:$ICCID1 device:$DEV1 btid:$BTID naf:nafkc.test" /proc/keys
	result $((! $?)) "a ks_local key in $KEYRING, described as documented" \
		"$(grep ks_local /proc/keys)"
else
	grep -c "event=no-kernel-key" "$tmp/mt.log" | grep -qx 1
	result $((! $?)) "no ks_local key type here: the MT says so once"
	tap_skip "- ks_local keys in the keyring" "no e2m module on this machine (the VM suites check them)"
fi

# --- bad input: an error, and the link goes on ----------------------------

talk <<EOF
> not json
<
> [1,2]
<
> {"type":"hello","id":5}
<
> {"type":"btid-request","id":6,"naf-id":"other.test","device-id":"d1"}
<
> {"type":"btid-request","id":7,"naf-id":"nafkc.test"}
<
> {"type":"btid","id":8,"btid":"$BTID","naf-id":"nafkc.test"}
<
> {"type":"complete","id":9,"btid":"$BTID","naf-id":"nafkc.test","device-id":"nobody"}
<
> {"type":"naf-id-list-request","id":10,"id":11}
<
>split {"type":"naf-id-list-request","id":12}
<
>raw 00
>raw 1f7b2274797065223a2263
>raw 6f6d706c6574652d61636b222c226964223a31337d
<
EOF
want=(
'{"type":"error","error":"bad-json","detail":"not JSON: '"'"'['"'"' or '"'"'{'"'"' expected near '"'"'not'"'"'"}'
'{"type":"error","error":"bad-json","detail":"not a JSON object"}'
'{"type":"error","id":5,"error":"unknown-type","detail":"\"type\" is not one this MT knows"}'
'{"type":"error","id":6,"error":"unknown-naf-id","detail":"not a NAF Key Centre of this MT"}'
'{"type":"error","id":7,"error":"bad-request","detail":"\"device-id\" is missing"}'
'{"type":"error","id":8,"error":"unexpected-message","detail":"the MT answers this message, it does not take it"}'
'{"type":"error","id":9,"error":"unknown-key","detail":"no key of this B-TID, NAF-ID and Device_ID"}'
'{"type":"error","error":"bad-json","detail":"not JSON: duplicate object key near '"'"'\"id\"'"'"'"}'
'{"type":"naf-id-list","id":12,"naf-ids":["nafkc.test","kc2.test"]}'
'{"type":"error","id":13,"error":"unexpected-message","detail":"the MT answers this message, it does not take it"}'
)
for i in "${!want[@]}"; do
	[ "$(line $((i + 1)))" = "${want[$i]}" ]
	result $((! $?)) "bad input $((i + 1)): answered exactly, the link goes on" \
		"got:    $(line $((i + 1)))" "wanted: ${want[$i]}"
done

talk <<EOF
>raw 0000
<
<eof
EOF
[ "$said" = '{"type":"error","error":"bad-frame","detail":"frame length 0 or above 4096: the link ends"}
eof' ]
result $((! $?)) "frame length 0: bad-frame, then the MT closes the link" "$said"
talk <<EOF
>raw 1001
<
<eof
EOF
[ "$(line 2)" = eof ] && grep -q '"bad-frame"' <<< "$(line 1)"
result $((! $?)) "frame length 4097: bad-frame before any payload, link closed" "$said"
talk <<< '> {"type":"naf-id-list-request","id":14}
<'
grep -q '^{"type":"naf-id-list","id":14,' <<< "$said"
result $((! $?)) "a new link after those works" "$said"

mtctl status
grep -q "^role=mt local=$MT links=[0-9]* links-open=[0-9]* links-refused=0 messages=[0-9]* errors=1[0-9] bad-frames=2 naf-id-lists=[0-9]* btids=2 optimised=1 bootstraps=1 bootstrap-failures=0 completed=1 keys-wiped=0 kernel-keys=[0-9]* kernel-keys-kept=[0-9]* watches=0 watches-open=0 rekeys=0 rekeys-unwatched=0 rekeys-limited=0 key-events=0 flow-binds=0 flow-switches=0 flow-bind-failures=0\$" <<< "$out"
result $((! $?)) "status: the MT's listener and counters" "$out"

# --- rekey-watch: held until the MT wants the key again -------------------

admin() {	# JSON: one request on the MT's admin socket, its answer in $said
	said=$(python3 -c 'import socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall(sys.argv[2].encode() + b"\n")
print(s.makefile().readline().strip())' "$tmp/run/mt.sock" "$1")
}
mt_counter() { mtctl status; sed -n "s/^role=mt .* $1=\([0-9]*\).*/\1/p" <<< "$out"; }
wait_counter() {	# NAME VALUE: until the MT's counter is VALUE (10 s)
	local i
	for i in $(seq 100); do
		[ "$(mt_counter "$1")" = "$2" ] && return 0
		sleep 0.1
	done
	return 1
}
watch_of() { printf '{"type":"rekey-watch","id":%s,"naf-id":"%s","device-id":"%s"}' "$@"; }
rekey_of() { printf '{"command":"mt-rekey","device-id":"%s","naf-id":"%s"}' "$@"; }

talk <<EOF
> $(watch_of 20 other.test $DEV1)
<
> $(watch_of 21 nafkc.test $DEV1)
> $(watch_of 22 nafkc.test $DEV1)
> $(watch_of 23 nafkc.test $DEV2)
> $(watch_of 24 nafkc.test $DEV2)
> $(watch_of 25 nafkc.test $DEV2)
<
> {"type":"naf-id-list-request","id":26}
<
EOF
[ "$(line 1)" = '{"type":"error","id":20,"error":"unknown-naf-id","detail":"not a NAF Key Centre of this MT"}' ] &&
	[ "$(line 2)" = '{"type":"error","id":25,"error":"too-many-watches","detail":"at most 4 watches a link, 32 in all"}' ] &&
	grep -q '^{"type":"naf-id-list","id":26,' <<< "$(line 3)" &&
	[ "$(mt_counter watches)" = 4 ]
result $((! $?)) "rekey-watch: unlisted NAF-ID refused, four held unanswered, the fifth too-many-watches, the link goes on" \
	"$said"
wait_counter watches-open 0
result $((! $?)) "the link closed: its watches dropped" "$(mt_counter watches-open) open"

admin "$(rekey_of $DEV1 nafkc.test)"
[ "$said" = "{\"ok\":false,\"error\":\"no rekey-watch of device $DEV1 for nafkc.test\"}" ] &&
	[ "$(mt_counter rekeys-unwatched)" = 1 ] &&
	grep -q "event=rekey-unwatched msg=\"naf=nafkc.test device=$DEV1 reason=operator: no rekey-watch of that device\"" "$tmp/mt.log"
result $((! $?)) "the MT wants a key no device watches: refused, logged and counted" "$said"

timeout 40 python3 "$here/local_peer.py" talk "$MT" > "$tmp/watch.out" 2>&1 <<EOF &
> $(watch_of 27 NAFKC.test $DEV1)
<
EOF
watcher=$!
wait_counter watches-open 1
admin "$(rekey_of $DEV1 NAFKC.test)"
answer=$said
wait $watcher
said=$(cat "$tmp/watch.out")
[ "$answer" = '{"ok":true,"sent":1}' ] &&
	[ "$said" = "{\"type\":\"rekey-request\",\"id\":27,\"btid\":\"$BTID\",\"naf-id\":\"nafkc.test\",\"device-id\":\"$DEV1\",\"reason\":\"operator\"}" ] &&
	[ "$(mt_counter rekeys)" = 1 ] && [ "$(mt_counter watches-open)" = 0 ]
result $((! $?)) "a held watch answered: rekey-request with its id, the MT's B-TID and why; the watch done" \
	"$answer" "$said" "$(grep rekey "$tmp/mt.log")"

admin "$(rekey_of $DEV1 nafkc.test)"
[ "$said" = '{"ok":false,"error":"a rekey-request for that key went out less than 5 s ago"}' ] &&
	[ "$(mt_counter rekeys-limited)" = 1 ]
result $((! $?)) "asked again at once: rate-limited" "$said"
admin "$(rekey_of nobody nafkc.test)"
[ "$said" = '{"ok":false,"error":"no local key of device nobody and nafkc.test"}' ]
result $((! $?)) "mt-rekey for a key the MT does not hold: refused" "$said"

# --- another UICC: every key of the old one goes ------------------------

stop mt
result $((stop_status == 0)) "the MT stops cleanly on SIGTERM"
MT_ICCID=$ICCID2
write_mt_config
start mt || bail mt
[ "$(rows "1")" = 0 ] &&
	grep -q "event=uicc-changed msg=\"iccid=$ICCID2: 2 local keys of another UICC wiped\"" "$tmp/mt.log" &&
	[ "$(grep -c "event=ks-local-wiped msg=\"iccid=$ICCID1 btid=$BTID" "$tmp/mt.log")" = 2 ]
result $((! $?)) "UICC $ICCID2 in: both rows of $ICCID1 wiped, each logged" \
	"$(grep -e uicc-changed -e ks-local-wiped "$tmp/mt.log")"
if [ $kernel_keys = 1 ]; then
	! grep -q "ks_local.*e2m-mt iccid:$ICCID1 " /proc/keys
	result $((! $?)) "and their ks_local keys revoked"
else
	tap_skip "- the old UICC's ks_local keys revoked" "no e2m module on this machine"
fi
# Two devices at once, no bootstrap: one Ub run serves both; this USIM
# is GBA_U, so Ks_ext_NAF comes from the USIM.
before=$(bsf_bootstraps)
ask() { printf '{"type":"btid-request","id":15,"naf-id":"nafkc.test","device-id":"%s"}' $1; }
said=$(timeout 60 python3 "$here/local_peer.py" pair "$MT" "$(ask $DEV1)" "$(ask $DEV2)" 2>&1)
BTID2=$(sed -n '1s/^{"type":"btid","id":15,"btid":"\([^"]*\)".*/\1/p' <<< "$said")
[ -n "$BTID2" ] && [ "$BTID2" != "$BTID" ] &&
	[ "$(line 2)" = "{\"type\":\"btid\",\"id\":15,\"btid\":\"$BTID2\",\"naf-id\":\"nafkc.test\"}" ] &&
	[ "$(bsf_bootstraps)" = $((before + 1)) ] &&
	[ "$(rows "iccid = '$ICCID2'")" = 2 ] &&
	[ "$(grep -c "btid=$BTID2 naf=nafkc.test device=.* procedure=full gba=u " "$tmp/mt.log")" = 2 ]
result $((! $?)) "the new UICC (GBA_U): two devices at once wait for one Ub run, another B-TID, rows of its own" \
	"$said" "bootstraps $before -> $(bsf_bootstraps)" \
	"$(grep "btid=$BTID2" "$tmp/mt.log")"

# SIGHUP: a new NAF-ID list applies to the next request.
NAF_IDS="kc3.test, nafkc.test"
write_mt_config
kill -HUP "${pid[mt]}"
wait_log mt "event=reloaded" 1
talk <<< '> {"type":"naf-id-list-request","id":16}
<
> {"type":"btid-request","id":17,"naf-id":"kc2.test","device-id":"d1"}
<'
[ "$(line 1)" = '{"type":"naf-id-list","id":16,"naf-ids":["kc3.test","nafkc.test"]}' ] &&
	[ "$(line 2)" = '{"type":"error","id":17,"error":"unknown-naf-id","detail":"not a NAF Key Centre of this MT"}' ]
result $((! $?)) "SIGHUP: the new NAF-ID list, the removed one refused" "$said" \
	"$(grep reload "$tmp/mt.log")"

stop mt
result $((stop_status == 0)) "the MT stops cleanly again"

tap_done
