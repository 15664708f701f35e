#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A local link protected with Ks_local (PROFILE.md 5, issue 13): a remote
# device ("dev", role ue: DIRECTION 0) and its MT ("mt", role hse), each
# with an e2m device and a flow, each binding a "ks_local" key of the same
# 256 bits. The module derives the link's K_enc and K_int itself (FC 0xFF
# 0xE5); the wire is checked against e2mctl ks-local-link's keys. Then the
# key's life: revoke and expiry stop the flow within one packet, a bind
# carries on above the key's COUNT, one live bind per direction, and a
# peer with other bytes gives exactly one key-mismatch event. Exact
# counters throughout. Runs in the test VM with the module loaded.
set -u
cd "$(dirname "$0")/../.."
. selftests/lib/prologue.sh
. selftests/lib/keyset.sh
. selftests/lib/wait.sh
. selftests/lib/stage.sh
. selftests/lib/locallink.sh

# Revoke and expiry count the next packet as dead-key at once.
stage_off

export E2MCTL
PDU="/usr/bin/python3 -S selftests/e2m/pdu.py"

slotline() {	# NS TEID KID: the slot's line of `flow show`
	in_ns "$1" "$E2MCTL" flow show e2m0 teid "$2" | grep "slot key-id $3 "
}
# ks_local HEX DESC [LIFETIME]: adds a Ks_local_device to @u; its serial.
ks_local() {
	/usr/bin/python3 -S -c '
import struct, sys
key, life = bytes.fromhex(sys.argv[1]), int(sys.argv[2])
btid, naf, dev = b"I1U8vpY3qJ0hiuZNrke/NQ==@bsf.home1.net", \
	b"nafkc.home1.net" + bytes.fromhex("ff00000001"), b"imei:490154203237518"
sys.stdout.buffer.write(struct.pack("<BBBBHHI32s", 1, 1, len(btid), len(dev),
	len(naf), 0, life, key) + btid + naf + dev)' "$1" "${3:-0}" |
		keyctl padd ks_local "$2" @u
}
monitoring() {	# NS: an e2mctl monitor has joined the events group there
	wait_for eval "ip netns exec $1 awk '\$2 == 16 && \$3 != 0 { f = 1 } END { exit !f }' /proc/net/netlink" &&
		sleep 0.3
}
# capture: one ping, its request as the MT receives it (/tmp/kslink.req)
# and its reply as the device does (/tmp/kslink.rep): a packet socket of
# one protocol sees what comes in only.
capture() {
	rm -f /tmp/kslink.ready.*
	mt $PDU capture --iface veth-mt --count 1 --timeout 20 \
		--ready /tmp/kslink.ready.mt > /tmp/kslink.req &
	dev $PDU capture --iface veth-dev --count 1 --timeout 20 \
		--ready /tmp/kslink.ready.dev > /tmp/kslink.rep &
	wait_for test -e /tmp/kslink.ready.mt && wait_for test -e /tmp/kslink.ready.dev
	dev ping -c 1 -W 3 -q 192.168.200.1 >/dev/null
	wait
}
drop_namespaces() {
	ip netns del dev 2>/dev/null
	ip netns del mt 2>/dev/null
	keyctl clear @u >/dev/null 2>&1
}
at_exit drop_namespaces

# The Ks_local_device of agent/tests/derive_test.c, and the link keys the
# agent's KAT gives for NEA2/NIA2: the kernel must derive the same.
KS=553fb73acce8b21950d53622f1784d1c503d66b4159e748cc64716bd9db8b440
KS_OTHER=00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff
kat=$("$E2MCTL" ks-local-link --ks-local $KS --alg 2)
K_ENC=$(sed -n 's/^k_enc=//p' <<< "$kat")
K_INT=$(sed -n 's/^k_int=//p' <<< "$kat")
tap_is "$K_ENC $K_INT" "f51cda2b9f696f23779f999e03b4d323 b9f5a8d228d74b7b4613b9031a4c4c00" \
	"KAT: e2mctl ks-local-link gives the known link keys"

# --- topology -------------------------------------------------------------
local_link_up
tap_ok $? "the local link's flows: device teid 100 (role ue), MT teid 200 (role hse)"

# --- refusals: each with the kernel's reason ---------------------------------
kdev=$(ks_local $KS "link dev")
kmt=$(ks_local $KS "link mt")
refused() {	# WANT NAME ARGS...: the bind fails, stderr names WANT
	local want=$1 name=$2
	shift 2
	dev "$E2MCTL" key bind e2m0 teid 100 "$@" 2>/tmp/kslink.err
	tap_is "$? $(grep -c -- "$want" /tmp/kslink.err)" "1 1" "refused: $name"
}
refused "NIA0 (no integrity) is never accepted" "algorithm 0" serial "$kdev" key-id 1 alg 0
refused "algorithm not implemented by this module" "algorithm 1 (SNOW 3G)" serial "$kdev" key-id 1 alg 1
refused "unknown algorithm" "algorithm 9" serial "$kdev" key-id 1 alg 9
kuser=$(keyctl add user "not a ks_local" 0123456789abcdef0123456789abcdef @u)
refused "key is not of type e2mkeyset or ks_local" "a user key" serial "$kuser" key-id 1 alg 2
refused "a ks_local key is bound under a Key ID" "a ks_local key without Key ID and algorithm" serial "$kdev"
kset=$(keyset 1 "an e2mkeyset")
refused "an e2mkeyset key carries its Key ID and algorithms" "an e2mkeyset with a Key ID and algorithm" \
	serial "$kset" key-id 1 alg 2
kgone=$(ks_local $KS "link revoked")
keyctl revoke "$kgone"
refused "key is revoked, expired or invalidated" "a revoked ks_local" serial "$kgone" key-id 1 alg 2
kold=$(ks_local $KS "link expired" 1)
sleep 2
refused "key is revoked, expired or invalidated" "an expired ks_local" serial "$kold" key-id 1 alg 2
tap_is "$(stat dev 100 tx-key-id)" none "refused: nothing was bound"

# --- traffic both ways, under keys the kernel derived ------------------------
dev "$E2MCTL" key bind e2m0 teid 100 serial "$kdev" key-id 1 alg 2 &&
mt "$E2MCTL" key bind e2m0 teid 200 serial "$kmt" key-id 1 alg 2
tap_ok $? "ks_local keys bound on both ends, Key ID 1, NEA2/NIA2"
tap_is "$(slotline dev 100 1 | grep -o 'serial [0-9]* alg [^ ]*')" "serial $kdev alg 128-NEA2/128-NIA2" \
	"show: the slot names the key and the algorithms"
tap_is "$(slotline dev 100 1 | grep -o 'type [a-z_]* expires [^ ]*')" "type ks_local expires never" \
	"show: the key type, no expiry"
tap_is "$(slot mt 200 1 type) $(slot mt 200 1 expires)" "ks_local null" "show -j: the same"
dev ping -c 5 -i 0.2 -W 3 -q 192.168.200.1 >/dev/null
tap_ok $? "device to MT: 5 of 5 answered"
mt ping -c 5 -i 0.2 -W 3 -q 192.168.200.2 >/dev/null
tap_ok $? "MT to device: 5 of 5 answered"
tap_is "$(stat dev 100 tx-packets) $(stat dev 100 tx-bytes) $(stat dev 100 rx-packets) $(stat dev 100 rx-bytes)" \
	"10 840 10 840" "device: 10 packets of 84 octets each way"
tap_is "$(stat mt 200 tx-packets) $(stat mt 200 tx-bytes) $(stat mt 200 rx-packets) $(stat mt 200 rx-bytes)" \
	"10 840 10 840" "MT: 10 packets of 84 octets each way"
tap_is "$(slot dev 100 1 tx-count) $(slot mt 200 1 rx-count) $(slot mt 200 1 tx-count) $(slot dev 100 1 rx-count)" \
	"11 10 11 10" "COUNT: 10 sent each way, from 1"

# --- on the wire: the KAT's keys open what the kernel sent -------------------
capture
req=$(head -n 1 /tmp/kslink.req)
rep=$(head -n 1 /tmp/kslink.rep)
opened=$($PDU open --k-enc $K_ENC --k-int $K_INT --direction 0 "$req")
tap_is "$(grep -o 'teid=[0-9]* key_id=[0-9]* count=[0-9]* mac_ok=[01]' <<< "$opened")" \
	"teid=200 key_id=1 count=11 mac_ok=1" \
	"wire, device to MT: DIRECTION 0, COUNT 11, its MAC verifies under the KAT's K_int"
inner=$(sed -n 's/.*inner=//p' <<< "$opened")
tap_is "${inner:0:2}${inner:24:16}" "45c0a8c802c0a8c801" \
	"wire, device to MT: the KAT's K_enc decrypts it to the echo request"
opened=$($PDU open --k-enc $K_ENC --k-int $K_INT --direction 1 "$rep")
tap_is "$(grep -o 'teid=[0-9]* key_id=[0-9]* count=[0-9]* mac_ok=[01]' <<< "$opened")" \
	"teid=100 key_id=1 count=11 mac_ok=1" \
	"wire, MT to device: DIRECTION 1, its MAC verifies under the KAT's K_int"
inner=$(sed -n 's/.*inner=//p' <<< "$opened")
tap_is "${inner:0:2}${inner:24:16}" "45c0a8c801c0a8c802" \
	"wire, MT to device: the KAT's K_enc decrypts it to the echo reply"
case "$req$rep" in
*c0a8c802c0a8c801*|*c0a8c801c0a8c802*) leak=1 ;;
*) leak=0 ;;
esac
tap_is $leak 0 "wire: no inner address in clear either way"

# --- freshness: one live bind, COUNT carried on ------------------------------
mt "$E2MCTL" flow add e2m0 teid 300 remote-teid 301 peer 10.1.0.1 inner 192.168.200.3
mt "$E2MCTL" key bind e2m0 teid 300 serial "$kmt" key-id 2 alg 2 2>/tmp/kslink.err
tap_is "$? $(grep -c 'transmits on another flow in this direction' /tmp/kslink.err)" "1 1" \
	"one live bind: the MT's key, bound to flow 200, is refused on flow 300"
mt "$E2MCTL" flow del e2m0 teid 300
tx=$(slot dev 100 1 tx-count)
dev "$E2MCTL" key unbind e2m0 teid 100 key-id 1 &&
dev "$E2MCTL" key bind e2m0 teid 100 serial "$kdev" key-id 1 alg 2
tap_ok $? "rebind: the device unbinds its key and binds it again"
tap_is "$(slot dev 100 1 tx-count)" "$tx" "rebind: the next COUNT is $tx, not 1"
dev ping -c 2 -i 0.2 -W 3 -q 192.168.200.1 >/dev/null
tap_ok $? "rebind: traffic flows on, 2 of 2 answered"
tap_is "$(stat mt 200 replay) $(slot mt 200 1 rx-count)" "0 $((tx + 1))" \
	"rebind: the MT saw COUNTs $tx and $((tx + 1)), no replay"

# --- revoke: the slot dies at once, the next packet is dropped ---------------
dev "$E2MCTL" monitor count 1 timeout 300 > /tmp/kslink.events &
monitoring dev
dev_tx=$(stat dev 100 tx-packets)
mt_rx=$(stat mt 200 rx-packets)
keyctl revoke "$kdev"
tap_is "$(slot dev 100 1 state)" dead "revoke: the device's slot is dead at once"
dev ping -c 1 -W 2 -q 192.168.200.1 >/dev/null
tap_is $? 1 "revoke: the device stops sending"
wait
tap_is "$(stat dev 100 dead-key) $(stat dev 100 tx-packets) $(stat mt 200 rx-packets)" "1 $dev_tx $mt_rx" \
	"revoke: one packet dropped as dead-key, nothing left the device"
tap_is "$(cat /tmp/kslink.events)" \
	"event key dev e2m0 ifindex $(dev cat /sys/class/net/e2m0/ifindex) teid 100 key-id 1 serial $kdev reason revoked" \
	"revoke: the kernel told the agent"
dev "$E2MCTL" key unbind e2m0 teid 100 key-id 1 &&
mt "$E2MCTL" key unbind e2m0 teid 200 key-id 1
tap_ok $? "revoke: Key ID 1 unbound on both ends"

# --- expiry: the key's lifetime stops the flow within one packet -------------
kdev2=$(ks_local $KS "link dev 2")
kmt2=$(ks_local $KS "link mt 2")
dev "$E2MCTL" key bind e2m0 teid 100 serial "$kdev2" key-id 2 alg 2 &&
mt "$E2MCTL" key bind e2m0 teid 200 serial "$kmt2" key-id 2 alg 2 &&
dev ping -c 1 -W 3 -q 192.168.200.1 >/dev/null
tap_ok $? "expiry: new keys under Key ID 2, traffic flows"
dev "$E2MCTL" monitor count 1 timeout 300 > /tmp/kslink.events &
monitoring dev
t0=$(date +%s)
keyctl timeout "$kdev2" 6
tap_is "$(slotline dev 100 2 | grep -c 'type ks_local expires 20[0-9-]*T[0-9:]*Z')" 1 \
	"expiry: show prints the key's expiry"
left=$(( $(slot dev 100 2 expires) - t0 ))
tap_is "$(( left >= 6 && left <= 8 ))" 1 "expiry: show -j gives it in seconds since the epoch (6 s after $t0: $left)"
wait_left=$(( t0 + 8 - $(date +%s) ))
[ $wait_left -gt 0 ] && sleep $wait_left
dev_tx=$(stat dev 100 tx-packets)
dev ping -c 1 -W 2 -q 192.168.200.1 >/dev/null
tap_is $? 1 "expiry: the first packet after the expiry is not sent"
wait
tap_is "$(stat dev 100 dead-key) $(stat dev 100 tx-packets) $(slot dev 100 2 state)" "2 $dev_tx dead" \
	"expiry: dropped as dead-key (one more), nothing sent, the slot dead"
tap_is "$(grep -o 'key-id 2 serial [0-9]* reason [a-z-]*' /tmp/kslink.events)" "key-id 2 serial $kdev2 reason expired" \
	"expiry: the kernel told the agent"
dev "$E2MCTL" key unbind e2m0 teid 100 key-id 2 &&
mt "$E2MCTL" key unbind e2m0 teid 200 key-id 2
tap_ok $? "expiry: Key ID 2 unbound on both ends"

# --- key mismatch: the MT holds other bytes ----------------------------------
param=/sys/module/e2m/parameters/key_mismatch_failures
tap_is "$(cat $param)" 8 "mismatch: the default rule is 8 failed MACs in a row"
echo 0 > $param 2>/dev/null
tap_is $? 1 "mismatch: 0 is refused"
kdev3=$(ks_local $KS "link dev 3")
kmt3=$(ks_local $KS_OTHER "link mt 3, other bytes")
dev "$E2MCTL" key bind e2m0 teid 100 serial "$kdev3" key-id 3 alg 2 &&
mt "$E2MCTL" key bind e2m0 teid 200 serial "$kmt3" key-id 3 alg 2
tap_ok $? "mismatch: Key ID 3 bound, the MT's Ks_local differs"
auth=$(stat mt 200 auth)
mt "$E2MCTL" monitor count 2 timeout 30 > /tmp/kslink.events &
monitoring mt
dev ping -c 7 -i 0.2 -W 1 -q 192.168.200.1 >/dev/null
sleep 0.5
tap_is "$(stat mt 200 auth) $(wc -l < /tmp/kslink.events)" "$((auth + 7)) 0" \
	"mismatch: 7 failed MACs (one fewer than the rule), no event yet"
dev ping -c 5 -i 0.2 -W 1 -q 192.168.200.1 >/dev/null
wait
tap_is "$(stat mt 200 auth) $(slot mt 200 3 mac-failures) $(slot mt 200 3 state)" "$((auth + 12)) 12 live" \
	"mismatch: 12 failed MACs counted, the slot lives (mac_fail_limit is independent)"
tap_is "$(cat /tmp/kslink.events)" \
	"event key dev e2m0 ifindex $(mt cat /sys/class/net/e2m0/ifindex) teid 200 key-id 3 serial $kmt3 reason key-mismatch" \
	"mismatch: exactly one key-mismatch event, naming the flow, Key ID and key"
# Re-established make-before-break under Key ID 4, from the right bytes.
kmt4=$(ks_local $KS "link mt 4")
kdev4=$(ks_local $KS "link dev 4")
mt "$E2MCTL" key bind e2m0 teid 200 serial "$kmt4" key-id 4 alg 2 &&
dev "$E2MCTL" key bind e2m0 teid 100 serial "$kdev4" key-id 4 alg 2 &&
dev "$E2MCTL" key use e2m0 teid 100 key-id 4 &&
mt "$E2MCTL" key use e2m0 teid 200 key-id 4 &&
dev ping -c 2 -i 0.2 -W 3 -q 192.168.200.1 >/dev/null
tap_ok $? "mismatch: re-established under Key ID 4 make-before-break, traffic flows"
tap_is "$(stat dev 100 tx-key-id) $(stat mt 200 tx-key-id)" "4 4" "mismatch: both ends send under Key ID 4"
# A run ends at a packet accepted: packets made in userspace under Key ID 4
# (the KAT's keys: the MT derived the same), forged ones with another K_int.
K_FORGED=00112233445566778899aabbccddeeff
pdu4() {	# K_INT COUNT...: echo requests to the MT under Key ID 4
	local k=$1
	shift
	$PDU craft --teid 200 --key-id 4 --count "$(echo "$@" | tr ' ' ,)" \
		--k-enc $K_ENC --k-int "$k" --direction 0 \
		--src 192.168.200.2 --dst 192.168.200.1
}
auth=$(stat mt 200 auth)
rx=$(stat mt 200 rx-packets)
# The monitor ends at its second event; its timeout only bounds a failure
# (two VMs side by side on a loaded host took over 120 s to get here).
mt "$E2MCTL" monitor count 2 timeout 600 > /tmp/kslink.events &
monitoring mt
dev $PDU send --to 10.1.0.2 $(pdu4 $K_FORGED $(seq 100 109))
wait_for eval '[ "$(stat mt 200 auth)" = $((auth + 10)) ]'
dev $PDU send --to 10.1.0.2 $(pdu4 $K_INT 110)
wait_for eval '[ "$(stat mt 200 rx-packets)" = $((rx + 1)) ]'
dev $PDU send --to 10.1.0.2 $(pdu4 $K_FORGED $(seq 111 117))
wait_for eval '[ "$(stat mt 200 auth)" = $((auth + 17)) ]'
sleep 0.5
tap_is "$(grep -c 'key-id 4 .*reason key-mismatch' /tmp/kslink.events)" 1 \
	"mismatch: 10 failed MACs, one event; a good packet; 7 more, none yet"
dev $PDU send --to 10.1.0.2 $(pdu4 $K_FORGED 118)
wait
tap_is "$(grep -c 'key-id 4 .*reason key-mismatch' /tmp/kslink.events) $(slot mt 200 4 mac-failures)" "2 18" \
	"mismatch: the 8th of the new run is a second event; 18 failures counted in all"

tap_done
