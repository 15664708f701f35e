#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The e2md role device driving its local link (issue 13, items 1-2): a
# remote device ("dev": an e2m device in role ue, DIRECTION 0) and its MT
# ("mt": role hse). In mt, on loopback and 10.1.0.2, a real HSS, BSF, NAF
# Key Centre and MT e2md (the MT's Ks_local into @u); in dev, the device
# e2md (roles.device) with one link whose flow is teid 100. Checked: the
# role establishes at start and binds its key to the flow (Key ID 1), the
# MT binds its own key on its end (roles.mt.flows, teid 200), traffic
# both ways with exact counters and COUNTs; its key revoked: the
# kernel's event makes the role install the stored key again and bind it
# in place of the dead slot, COUNT carried on, traffic again; stopped and
# replaced by `e2mctl local-key establish --renew --flow`: the new key
# under Key ID 2 on both ends, used, Key ID 1 unbound, the old keys
# revoked only then; the role started again, its rekey-watch held by the
# MT, and the device's key replaced by other bytes: the MT's kernel sees
# the key mismatch, the MT sends rekey-request on the watch, the role
# establishes again and both ends move to Key ID 1 make before break,
# traffic flows with exact counters; another UICC in the MT: its key
# unbound from the MT's flow and revoked. Runs in the test VM with the
# module loaded; prints TAP.
set -u
cd "$(dirname "$0")/../.."
. selftests/lib/prologue.sh
. selftests/lib/wait.sh
. selftests/lib/devlink.sh
start devd || bail devd
bound() {	# N: the role logged N keys bound (cheaper than e2mctl under TCG)
	[ "$(grep -c "event=key-bound" "$tmp/devd.log")" -ge "$1" ]
}
wait_long bound 1
serial=$(devd_serial)
tap_is "$(devd_counter established) $(devd_counter binds) $(slot dev 100 1 serial) $(slot dev 100 1 type) $(stat dev 100 tx-key-id)" \
	"1 1 $serial ks_local 1" \
	"role device: established at start, its key bound to flow 100 under Key ID 1"
btid=$("$E2MCTL" local-key list --store "$tmp/devd.db" --store-key-file "$tmp/dev.key" |
	sed -n 's/.* btid=\([^ ]*\) .*/\1/p')
kmt=$(keyctl search @u ks_local "e2m-mt iccid:$ICCID device:$DEV btid:$btid naf:nafkc.test")
mt_counter() {
	"$E2MCTL" --socket "$tmp/mt.sock" status |
		sed -n "s/^role=mt .* $1=\([0-9]*\).*/\1/p"
}
mt_bound() {	# the serial of the MT's last key-bound line
	sed -n 's/.*role=mt event=key-bound .* serial=\([0-9]*\).*/\1/p' "$tmp/mt.log" | tail -1
}
tap_is "$(mt_counter flow-binds) $(mt_bound) $(slot mt 200 1 serial) $(slot mt 200 1 type) $(stat mt 200 tx-key-id)" \
	"1 $kmt $kmt ks_local 1" \
	"the MT bound its key for the device on its end (roles.mt.flows), Key ID 1"

# --- traffic both ways ---------------------------------------------------------
dev ping -c 5 -i 0.2 -W 3 -q 192.168.200.1 > /dev/null
tap_ok $? "device to MT: 5 of 5 answered"
mt ping -c 5 -i 0.2 -W 3 -q 192.168.200.2 > /dev/null
tap_ok $? "MT to device: 5 of 5 answered"
tap_is "$(stat dev 100 tx-packets) $(stat dev 100 tx-bytes) $(stat dev 100 rx-packets) $(stat dev 100 rx-bytes)" \
	"10 840 10 840" "device: 10 packets of 84 octets each way"
tap_is "$(stat mt 200 tx-packets) $(stat mt 200 tx-bytes) $(stat mt 200 rx-packets) $(stat mt 200 rx-bytes)" \
	"10 840 10 840" "MT: 10 packets of 84 octets each way"
tap_is "$(slot dev 100 1 tx-count) $(slot mt 200 1 rx-count) $(slot mt 200 1 tx-count) $(slot dev 100 1 rx-count)" \
	"11 10 11 10" "COUNT: 10 sent each way, from 1"

# --- revoked: the event, the stored key again, in place of the dead slot -------
# (the events group is joined: the role's start opened it before binding)
# The kernel finds the key dead, and says so, at the flow's next packet.
keyctl revoke "$serial"
dev ping -c 1 -W 2 -q 192.168.200.1 > /dev/null
tap_is "$? $(stat dev 100 dead-key) $(stat dev 100 tx-packets)" "1 1 10" \
	"revoked: the next packet dropped as dead-key, nothing left the device"
wait_long bound 2
serial2=$(devd_serial)
tap_is "$(devd_counter event-runs) $(devd_counter stored) $(devd_counter established)" "1 1 1" \
	"revoked: one event run, the stored key installed again, no new procedure"
tap_is "$(( serial2 != serial )) $(slot dev 100 1 serial) $(slot dev 100 1 state) $(slot dev 100 1 tx-count)" \
	"1 $serial2 live 11" \
	"revoked: the new serial in place of the dead slot, COUNT carried on (11)"
dev ping -c 2 -i 0.2 -W 3 -q 192.168.200.1 > /dev/null
tap_ok $? "revoked: traffic flows again, 2 of 2 answered"
tap_is "$(stat mt 200 replay) $(slot mt 200 1 rx-count) $(stat dev 100 tx-packets)" "0 12 12" \
	"revoked: the MT saw COUNTs 11 and 12, no replay"
grep -q "event=key-event reason=revoked teid=100 key-id=1 .*then=establish" "$tmp/devd.log"
tap_ok $? "revoked: the role logged the kernel's event"

# --- e2mctl local-key establish --renew --flow: make before break ---------------
stop devd
tap_is "$stop_status" 0 "the device role stops cleanly"
dev "$E2MCTL" local-key establish --mt "$(ready_value mt mt.local)" --device-id "$DEV" \
	--naf-id "nafkc.test=$(ready_value nafkc nafkc.devices)" --keys "$tmp/dev.psk" \
	--store "$tmp/devd.db" --store-key-file "$tmp/dev.key" --renew \
	--flow e2m0:100:1 > "$tmp/renew.out" 2> "$tmp/renew.err"
serial3=$(sed -n 's/^serial=//p' "$tmp/renew.out")
tap_is "$? $(sed -n 's/^key_id=//p' "$tmp/renew.out") $(stat dev 100 tx-key-id) $(slot dev 100 2 serial) $(slot dev 100 1 serial)" \
	"0 2 2 $serial3 none" \
	"--renew --flow: the new key under Key ID 2, used, Key ID 1 unbound"
keyctl describe "$serial2" > /dev/null 2>&1
tap_is $? 1 "--renew --flow: the old key revoked after the move"
kmt3=$(mt_bound)
tap_is "$(mt_counter flow-binds) $(( kmt3 != kmt )) $(stat mt 200 tx-key-id) $(slot mt 200 2 serial) $(slot mt 200 1 serial)" \
	"2 1 2 $kmt3 none" \
	"--renew --flow: the MT bound its new key under Key ID 2, used, Key ID 1 unbound"
keyctl describe "$kmt" > /dev/null 2>&1
tap_is $? 1 "--renew --flow: the MT's old key revoked after the move"
dev ping -c 2 -i 0.2 -W 3 -q 192.168.200.1 > /dev/null
tap_is "$? $(slot dev 100 2 tx-count) $(slot mt 200 2 rx-count) $(slot mt 200 2 tx-count) $(slot dev 100 2 rx-count)" \
	"0 15 14 15 14" "--renew --flow: 2 of 2 answered under Key ID 2: the same Ks_local, so its COUNT carries on (13, 14)"

# --- key mismatch seen by the MT: rekey-request, the role establishes again ----
# ks_local HEX DESC: a Ks_local_device of those bytes in @u; its serial.
ks_local() {
	/usr/bin/python3 -S -c '
import struct, sys
key = bytes.fromhex(sys.argv[1])
btid, naf, dev = b"I1U8vpY3qJ0hiuZNrke/NQ==@bsf.home1.net", \
	b"nafkc.test" + bytes.fromhex("ff00000001"), b"imei:490154203237518"
sys.stdout.buffer.write(struct.pack("<BBBBHHI32s", 1, 1, len(btid), len(dev),
	len(naf), 0, 0, key) + btid + naf + dev)' "$1" |
		keyctl padd ks_local "$2" @u
}
start devd || bail devd
wait_long eval '[ "$(mt_counter watches-open)" = 1 ]'
tap_is "$(devd_counter stored) $(devd_counter established) $(mt_counter watches-open)" "1 0 1" \
	"mismatch: the role started again on its stored key, its rekey-watch held by the MT"
kother=$(ks_local "$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" "other bytes")
dev "$E2MCTL" key unbind e2m0 teid 100 key-id 2 &&
dev "$E2MCTL" key bind e2m0 teid 100 serial "$kother" key-id 2 alg 2 &&
dev "$E2MCTL" key use e2m0 teid 100 key-id 2
tap_ok $? "mismatch: the device's Key ID 2 now holds other bytes than the MT's"
auth=$(stat mt 200 auth)
bound_before=$(grep -c "event=key-bound" "$tmp/devd.log")
dev ping -c 8 -i 0.2 -W 1 -q 192.168.200.1 > /dev/null
tap_is "$? $(stat mt 200 auth)" "1 $((auth + 8))" \
	"mismatch: 8 packets refused by the MT (the kernel's rule: 8 failed MACs in a row)"
wait_long bound $((bound_before + 1))
kmt4=$(mt_bound)
serial4=$(devd_serial)
tap_is "$(mt_counter key-events) $(mt_counter rekeys) $(devd_counter rekey-requests) $(devd_counter renewals)" \
	"1 1 1 1" "mismatch: one kernel event at the MT, one rekey-request, one run of the role"
grep -q "role=mt event=key-event msg=\"reason=key-mismatch teid=200 serial=$kmt3 btid=$btid naf=nafkc.test device=$DEV\"" "$tmp/mt.log" &&
grep -q "role=mt event=rekey-requested msg=\"peer=10.1.0.1:[0-9]* btid=$btid naf=nafkc.test device=$DEV reason=key-mismatch id=[0-9]*\"" "$tmp/mt.log" &&
grep -q "role=device event=rekey-requested msg=\"nafkc.test via .*: btid=$btid reason=key-mismatch\"" "$tmp/devd.log"
tap_ok $? "mismatch: the MT's event names its key, the rekey-request its reason, both logged"
tap_is "$(stat dev 100 tx-key-id) $(slot dev 100 1 serial) $(slot dev 100 2 serial) $(stat mt 200 tx-key-id) $(slot mt 200 1 serial) $(slot mt 200 2 serial)" \
	"1 $serial4 none 1 $kmt4 none" \
	"mismatch: both ends moved to Key ID 1 make before break, Key ID 2 unbound"
dev ping -c 2 -i 0.2 -W 3 -q 192.168.200.1 > /dev/null
tap_ok $? "mismatch: traffic flows again, 2 of 2 answered"
tap_is "$(slot dev 100 1 tx-count) $(slot mt 200 1 rx-count) $(slot mt 200 1 tx-count) $(slot dev 100 1 rx-count) $(stat mt 200 auth)" \
	"17 16 17 16 $((auth + 8))" "mismatch: the first Ks_local back on Key ID 1 carries on (15, 16), never COUNT 1 again; no packet refused beyond the 8"
stop devd
tap_is "$stop_status" 0 "the device role stops cleanly again"

# --- another UICC in the MT: its keys unbound from the flow, then revoked ------
E2MD=$tmp/e2md-in-mt
stop mt
tap_is "$stop_status" 0 "the MT stops cleanly"
ICCID2=8988211000000000022
"$E2MCTL" usim add --store "$tmp/mt.db" --store-key-file "$tmp/mt.key" \
	--iccid $ICCID2 --imsi 001010000000002 --impi user2@home1.net \
	--keys <(printf '%s\n' k=$K1 opc=$OPC1) > /dev/null &&
sed -i "s/iccid: \"$ICCID\"/iccid: \"$ICCID2\"/" "$tmp/mt.yaml"
start mt || bail mt
keyctl describe "$kmt4" > /dev/null 2>&1
tap_is "$? $(slot mt 200 1 serial) $(slot mt 200 2 serial) $(mt_counter keys-wiped)" "1 none none 1" \
	"another UICC: the MT's key for the device unbound from its flow and revoked"
grep -q "role=mt event=key-unbound msg=\"device=$DEV e2m0 teid 200 key-id 1 serial $kmt4\"" "$tmp/mt.log"
tap_ok $? "another UICC: the unbind logged"

drop_namespaces
tap_done
