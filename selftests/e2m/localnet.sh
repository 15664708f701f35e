#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Local key establishment across three network namespaces (issue 13,
# item 6; selftests/lib/localnet.sh): the remote device "dev", its MT
# "mt" (e2md role mt, routing) and the home network "net" (HSS, BSF, NAF
# Key Centre as e2md roles), each party on its own stack, the device
# reaching the Key Centre through the MT. Checked: the full procedure
# (one Ub run, one vector, one key issued; both ends' Ks_local in the
# keyring, not readable; bound at Key ID 1 on both flows); the optimised
# procedure (no new Ub run, the same key kept); the local link protected
# both ways with exact counters and COUNTs, and on the wire GTP-U to the
# MT's TEID with no plaintext of the pings; a Key Centre refusal (a
# blocked Device_ID) reaching the device as its clear error, nothing
# changed; the daemons stop cleanly. A real lifetime expiry is
# devexpiry.sh's (a 75 s wait), the UICC change and key mismatch
# devrole.sh's, on these three namespaces too (selftests/lib/devlink.sh).
# Runs in the test VM; prints TAP.
set -u
cd "$(dirname "$0")/../.."
. selftests/lib/prologue.sh
. selftests/lib/wait.sh
make_tmp shm
. agent/tests/daemon_lib.sh

need_module
. selftests/lib/localnet.sh
. selftests/lib/stage.sh
stage_off

out() { sed -n "s/^$1=//p" "$tmp/est.out"; }	# a field of the last run
count() { grep -c -- "$2" "$tmp/$1.log"; }	# NAME PATTERN

localnet_up
tap_ok $? "three namespaces: dev -- mt (routing) -- net"
dev ping -c 1 -W 3 -q 10.2.0.1 > /dev/null
tap_ok $? "the device reaches the home network through its MT"
localnet_start > "$tmp/start.out"
tap_ok $? "HSS, BSF and Key Centre in net, the MT in mt, their data in place"

# --- the full procedure -----------------------------------------------------
localnet_establish > "$tmp/est.out" 2> "$tmp/est.err"
est=$?
[ $est = 0 ] || { cat "$tmp/est.err"; localnet_logs; } | sed 's/^/# /'
btid=$(out btid)
serial=$(out serial)
tap_is "$est $(out procedure) $(out naf_id) $(out device_id) $(out label) $(out completed) $(out key_id)" \
	"0 established nafkc.test $LOCALNET_DEV ks_local_device 1 1" \
	"full procedure: established, Ks_local_device for nafkc.test, completed, Key ID 1"
tap_is "$(count bsf "event=bootstrap btid=\"$btid\"") $(count hss 'event=av-issued') $(count nafkc "event=ks-local-issued btid=\"$btid\" device=$LOCALNET_DEV") $(count mt "event=ks-local-derived .*procedure=full")" \
	"1 1 1 1" \
	"full procedure: one Ub run under that B-TID, one vector, one key issued, the MT's full run"
kmt=$(keyctl search @u ks_local "e2m-mt iccid:$LOCALNET_ICCID device:$LOCALNET_DEV btid:$btid naf:nafkc.test")
kdev=$(keyctl search @u ks_local "e2m-device device:$LOCALNET_DEV btid:$btid naf:nafkc.test")
tap_is "$kdev $(slot dev 100 1 serial) $(slot dev 100 1 type) $kmt $(slot mt 200 1 serial) $(slot mt 200 1 type)" \
	"$serial $serial ks_local $kmt $kmt ks_local" \
	"both ends' Ks_local in the keyring by description, bound at Key ID 1 on both flows"
keyctl read "$kdev" > "$tmp/read.out" 2>&1
r1=$?
keyctl read "$kmt" >> "$tmp/read.out" 2>&1
tap_is "$r1 $? $(grep -c 'Operation not supported' "$tmp/read.out")" "1 1 2" \
	"neither Ks_local can be read back (EOPNOTSUPP)"

# --- the optimised procedure -----------------------------------------------
localnet_establish --renew > "$tmp/est.out" 2> "$tmp/est.err"
tap_is "$? $(out btid) $(out serial) $(out extended) $(out key_id)" \
	"0 $btid $serial 1 1" \
	"optimised procedure: the same B-TID, the same key kept (extended), Key ID 1"
tap_is "$(count bsf 'event=bootstrap ') $(count hss 'event=av-issued') $(count mt "event=ks-local-derived .*procedure=optimised") $(count mt 'event=ks-local-kept')" \
	"1 1 1 1" \
	"optimised procedure: no new Ub run, no vector; the MT derived again and kept its key"

# --- the local link, protected both ways -----------------------------------
dev ping -c 5 -i 0.2 -W 3 -q -p e2e2d0d0cafe 192.168.200.1 > /dev/null
tap_ok $? "device to MT: 5 of 5 answered"
mt ping -c 5 -i 0.2 -W 3 -q -p e2e2d0d0cafe 192.168.200.2 > /dev/null
tap_ok $? "MT to device: 5 of 5 answered"
tap_is "$(stat dev 100 tx-packets) $(stat dev 100 tx-bytes) $(stat dev 100 rx-packets) $(stat dev 100 rx-bytes) $(stat mt 200 tx-packets) $(stat mt 200 rx-packets)" \
	"10 840 10 840 10 10" "10 packets of 84 octets each way on both ends"
tap_is "$(slot dev 100 1 tx-count) $(slot mt 200 1 rx-count) $(slot mt 200 1 tx-count) $(slot dev 100 1 rx-count) $(stat mt 200 auth) $(stat mt 200 replay) $(stat dev 100 auth)" \
	"11 10 11 10 0 0 0" "COUNT 1 to 10 each way, no MAC failure, no replay"
# What each end receives: the echo request at the MT, the reply at the device.
rm -f "$tmp/mt.ready" "$tmp/dev.ready"
mt /usr/bin/python3 selftests/e2m/pdu.py capture --iface veth-mt --count 1 \
	--timeout 20 --ready "$tmp/mt.ready" --pcap "$tmp/mt.pcap" > /dev/null &
cap_mt=$!
dev /usr/bin/python3 selftests/e2m/pdu.py capture --iface veth-dev --count 1 \
	--timeout 20 --ready "$tmp/dev.ready" --pcap "$tmp/dev.pcap" > /dev/null &
cap_dev=$!
wait_for test -e "$tmp/mt.ready" -a -e "$tmp/dev.ready"
dev ping -c 1 -W 3 -q -p e2e2d0d0cafe 192.168.200.1 > /dev/null
wait $cap_mt $cap_dev
wire() {	# FIELD...: the two packets' fields, request then reply
	local f
	for f in "$tmp/mt.pcap" "$tmp/dev.pcap"; do
		tshark -r "$f" -n -T fields "${@/#/-e}" 2> /dev/null
	done | tr '\t\n' '  '
}
tap_is "$(wire ip.src gtp.teid udp.length)" \
	"10.1.0.1 0x000000c8 109 10.1.0.2 0x00000064 109 " \
	"on the wire: GTP-U to TEID 200 and back to TEID 100, 109 octets of UDP each"
tap_is "$(wire udp.payload | grep -c e2e2d0d0cafe)" 0 \
	"on the wire: no plaintext of the pings (their pattern in neither packet)"

# --- a refusal of the Key Centre reaches the device --------------------------
net "$E2MCTL" --socket "$tmp/run/nafkc.sock" device block "$LOCALNET_DEV" > /dev/null
localnet_establish --renew > "$tmp/est.out" 2> "$tmp/est.err"
tap_is "$? $(cat "$tmp/est.err")" \
	"1 e2mctl: local-key establish: the Key Centre nafkc.test refused the service request: 403 device-blocked: the Device_ID is blocked" \
	"a blocked Device_ID: the Key Centre's refusal, word for word, at the device"
tap_is "$(slot dev 100 1 serial) $(slot dev 100 2 serial) $(count nafkc 'event=ks-local-issued')" \
	"$serial none 2" "refused: the device's flow and key unchanged, nothing issued (the two runs' only)"
net "$E2MCTL" --socket "$tmp/run/nafkc.sock" device unblock "$LOCALNET_DEV" > /dev/null
dev ping -c 2 -i 0.2 -W 3 -q 192.168.200.1 > /dev/null
tap_ok $? "refused: the link still protected and working, 2 of 2 answered"

for n in mt nafkc bsf hss; do
	stop $n
	tap_is "$stop_status" 0 "$n stops cleanly"
done
localnet_teardown
tap_done
