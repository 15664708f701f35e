#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The e2md role device driving its local link (issue 13, items 1-2): a
# remote device ("dev": an e2m device in role ue, DIRECTION 0) and its MT
# ("mt": role hse), each on its own network stack, and the home network
# ("net"), three namespaces (selftests/lib/devlink.sh, localnet.sh): in
# net a real HSS, BSF and NAF Key Centre; in mt, on 10.1.0.2 and routing
# between dev and net, the MT e2md (the MT's Ks_local into @u); in dev,
# the device e2md (roles.device) with one link whose flow is teid 100,
# reaching the Key Centre through the MT. Checked: the
# role establishes at start and binds its key to the flow (Key ID 1), the
# MT binds its own key on its end (roles.mt.flows, teid 200), traffic
# both ways with exact counters and COUNTs; its key revoked: the
# kernel's event makes the role install the stored key again and bind it
# in place of the dead slot, COUNT carried on, traffic again; stopped, and
# two `e2mctl local-key establish --renew --flow` under the one bootstrap
# while traffic flows: the same Ks_local each time, so each end keeps the
# key it has (same serial, expiry moved, no new Key ID, no bind), COUNT
# carried on, exact counters, no drop; the role started again, its
# rekey-watch held by the MT, and the device's Key ID 1 given other
# bytes: the MT's kernel sees the key mismatch, the MT sends
# rekey-request on the watch, the role's run gets the same key again and
# puts it back at Key ID 1, its COUNT carried on, traffic flows with exact
# counters; then the MT's Key ID 1 given other bytes and only the MT
# sending: the device's own kernel sees the mismatch, its event makes the
# role run the procedure, the MT's kept key goes back at Key ID 1, traffic
# flows again; another UICC in the MT: its key unbound from the MT's flow
# and revoked, the link cut until the device's next run, a full procedure
# whose btid answer names the MT's Key ID: the device binds there, traffic
# both ways again. Runs in the test VM with the
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
	"$E2MCTL" --socket "$tmp/run/mt.sock" status |
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

# --- two renewals under one bootstrap, under traffic: the same key kept --------
# Ks_local depends only on Ks_(ext)_NAF, the label, B-TID, NAF_Id and
# Device_ID: each optimised run gives both ends the same bytes again. A new
# serial of them would start COUNT again; each end keeps the key it has,
# its expiry moved, no new key, no new Key ID, no bind.
stop devd
tap_is "$stop_status" 0 "the device role stops cleanly"
renew() {	# N: e2mctl local-key establish --renew --flow, out to renewN.out
	dev "$E2MCTL" local-key establish --mt "$(ready_value mt mt.local)" --device-id "$DEV" \
		--naf-id "nafkc.test=$(ready_value nafkc nafkc.devices)" --keys "$tmp/dev.psk" \
		--store "$tmp/devd.db" --store-key-file "$tmp/dev.key" --renew \
		--flow e2m0:100:1 > "$tmp/renew$1.out" 2> "$tmp/renew$1.err"
}
out() { sed -n "s/^$2=//p" "$tmp/renew$1.out"; }
exp0=$(slot dev 100 1 expires)
mt_exp0=$(slot mt 200 1 expires)
tx0=$(stat dev 100 tx-packets)
rx0=$(stat dev 100 rx-packets)
count0=$(slot dev 100 1 tx-count)
mt_count0=$(slot mt 200 1 tx-count)
# 300 pings 0.1 s apart (30 s) while both renewals run (about 10 s under TCG).
dev ping -c 300 -i 0.1 -W 3 192.168.200.1 > "$tmp/ping.out" 2>&1 &
ping_pid=$!
sleep 1
renewals_start=$SECONDS
renew 1
r1=$?
exp1=$(slot dev 100 1 expires)
sleep 2
renew 2
r2=$?
exp2=$(slot dev 100 1 expires)
ping_running=0
kill -0 $ping_pid 2> /dev/null && ping_running=1
echo "# the two renewals took $((SECONDS - renewals_start)) s"
wait $ping_pid
tap_is "$r1 $(out 1 procedure) $(out 1 serial) $(out 1 key_id) $(out 1 extended) $r2 $(out 2 serial) $(out 2 key_id) $(out 2 extended)" \
	"0 established $serial2 1 1 0 $serial2 1 1" \
	"renewals: two runs under one bootstrap, each the same key (serial $serial2) kept, Key ID 1"
tap_is "$ping_running" 1 "renewals: both ran while the traffic went on"
tap_is "$(devd_serial) $(slot dev 100 1 serial) $(slot dev 100 2 serial) $(stat dev 100 tx-key-id) $(( exp1 > exp0 && exp2 > exp1 ))" \
	"$serial2 $serial2 none 1 1" \
	"renewals: the device's key serial and Key ID unchanged, no second slot, its expiry moved each time"
keyctl describe "$serial2" > /dev/null 2>&1
tap_is $? 0 "renewals: the device's key alive, not revoked"
tap_is "$(mt_counter flow-binds) $(mt_counter kernel-keys-kept) $(slot mt 200 1 serial) $(slot mt 200 2 serial) $(stat mt 200 tx-key-id) $(( $(slot mt 200 1 expires) >= mt_exp0 ))" \
	"1 2 $kmt none 1 1" \
	"renewals: the MT kept its key (serial $kmt) twice, no bind, Key ID 1"
[ "$(grep -c "role=mt event=ks-local-kept msg=\"device=$DEV btid=$btid serial=$kmt " "$tmp/mt.log")" = 2 ]
tap_ok $? "renewals: the MT logged ks-local-kept twice, naming no key"
tap_is "$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$tmp/ping.out") $(stat dev 100 tx-packets) $(stat dev 100 rx-packets) $(stat dev 100 dead-key)" \
	"300 $((tx0 + 300)) $((rx0 + 300)) 1" \
	"renewals: 300 of 300 answered across them, 300 packets each way, no drop"
tap_is "$(slot dev 100 1 tx-count) $(slot mt 200 1 rx-count) $(slot mt 200 1 tx-count) $(slot dev 100 1 rx-count) $(stat mt 200 replay) $(stat mt 200 auth) $(stat dev 100 auth)" \
	"$((count0 + 300)) $((count0 + 299)) $((mt_count0 + 300)) $((mt_count0 + 299)) 0 0 0" \
	"renewals: COUNT carried on under the one key each way (no COUNT again), no replay, no MAC failure"
kmt3=$kmt
serial3=$serial2

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
count3=$(slot dev 100 1 tx-count)
mt_count3=$(slot mt 200 1 tx-count)
dev "$E2MCTL" key unbind e2m0 teid 100 key-id 1 &&
dev "$E2MCTL" key bind e2m0 teid 100 serial "$kother" key-id 1 alg 2
tap_is "$? $(stat dev 100 tx-key-id) $(slot dev 100 1 serial)" "0 1 $kother" \
	"mismatch: the device's Key ID 1 now holds other bytes than the MT's"
auth=$(stat mt 200 auth)
bound_before=$(grep -c "event=key-bound" "$tmp/devd.log")
dev ping -c 8 -i 0.2 -W 1 -q 192.168.200.1 > /dev/null
tap_is "$? $(stat mt 200 auth)" "1 $((auth + 8))" \
	"mismatch: 8 packets refused by the MT (the kernel's rule: 8 failed MACs in a row)"
wait_long bound $((bound_before + 1))
serial4=$(devd_serial)
tap_is "$(mt_counter key-events) $(mt_counter rekeys) $(devd_counter rekey-requests) $(devd_counter renewals) $(devd_counter extended) $(mt_counter kernel-keys-kept)" \
	"1 1 1 1 1 3" "mismatch: one kernel event at the MT, one rekey-request, one run of the role: the same key again, kept at both ends (the MT's third)"
grep -q "role=mt event=key-event msg=\"reason=key-mismatch teid=200 serial=$kmt3 btid=$btid naf=nafkc.test device=$DEV\"" "$tmp/mt.log" &&
grep -q "role=mt event=rekey-requested msg=\"peer=10.1.0.1:[0-9]* btid=$btid naf=nafkc.test device=$DEV reason=key-mismatch id=[0-9]*\"" "$tmp/mt.log" &&
grep -q "role=device event=rekey-requested msg=\"nafkc.test via .*: btid=$btid reason=key-mismatch\"" "$tmp/devd.log"
tap_ok $? "mismatch: the MT's event names its key, the rekey-request its reason, both logged"
kmt4=$kmt3
grep -q "role=device event=key-extended .* serial=$serial3" "$tmp/devd.log"
tap_ok $? "mismatch: the role logged key-extended for its key"
tap_is "$serial4 $(stat dev 100 tx-key-id) $(slot dev 100 1 serial) $(slot dev 100 2 serial) $(stat mt 200 tx-key-id) $(slot mt 200 1 serial) $(slot mt 200 2 serial)" \
	"$serial3 1 $serial3 none 1 $kmt4 none" \
	"mismatch: the device's kept key back at Key ID 1 in place of the other bytes, the MT's untouched"
dev ping -c 2 -i 0.2 -W 3 -q 192.168.200.1 > /dev/null
tap_ok $? "mismatch: traffic flows again, 2 of 2 answered"
tap_is "$(slot dev 100 1 tx-count) $(slot mt 200 1 rx-count) $(slot mt 200 1 tx-count) $(stat mt 200 auth) $(stat mt 200 replay)" \
	"$((count3 + 2)) $((count3 + 1)) $((mt_count3 + 2)) $((auth + 8)) 0" \
	"mismatch: the key's COUNT carried on each way (not from 1), no packet refused beyond the 8"

# --- key mismatch seen by the device's own kernel: the role runs again -------
# Now the MT's Key ID 1 holds other bytes, and only the MT sends (the
# device refuses each packet, so nothing answers): the device's kernel,
# not the MT's, sees the 8 failed MACs, and its event makes the role run
# the procedure; the MT, kept its key again, puts it back at Key ID 1.
own_start=$SECONDS
kother2=$(ks_local "$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" "other bytes 2")
count5=$(slot dev 100 1 tx-count)
mt_count5=$(slot mt 200 1 tx-count)
mt "$E2MCTL" key unbind e2m0 teid 200 key-id 1 &&
mt "$E2MCTL" key bind e2m0 teid 200 serial "$kother2" key-id 1 alg 2
tap_is "$? $(stat mt 200 tx-key-id) $(slot mt 200 1 serial)" "0 1 $kother2" \
	"own mismatch: the MT's Key ID 1 now holds other bytes than the device's"
dev_auth=$(stat dev 100 auth)
mt_binds=$(mt_counter flow-binds)
extended_before=$(grep -c "role=device event=key-extended" "$tmp/devd.log")
mt ping -c 8 -i 0.2 -W 1 -q 192.168.200.2 > /dev/null
tap_is "$? $(stat dev 100 auth) $(stat mt 200 auth)" "1 $((dev_auth + 8)) $((auth + 8))" \
	"own mismatch: 8 packets refused by the device, none by the MT"
wait_long eval '[ "$(grep -c "role=device event=key-extended" "$tmp/devd.log")" -gt $extended_before ]'
tap_is "$(devd_counter event-runs) $(devd_counter rekey-requests) $(devd_counter extended) $(mt_counter key-events) $(mt_counter kernel-keys-kept) $(mt_counter flow-binds)" \
	"1 1 2 1 4 $((mt_binds + 1))" \
	"own mismatch: the device's kernel event made one run (no rekey-request), the same key kept at both ends, the MT's bound again"
grep -q "role=device event=key-event reason=key-mismatch teid=100 key-id=1 naf-id=nafkc.test then=renew" "$tmp/devd.log"
tap_ok $? "own mismatch: the role logged the kernel's key-mismatch event, then renew"
tap_is "$(slot dev 100 1 serial) $(slot dev 100 2 serial) $(stat mt 200 tx-key-id) $(slot mt 200 1 serial) $(slot mt 200 2 serial)" \
	"$serial3 none 1 $kmt4 none" \
	"own mismatch: the device's key untouched, the MT's kept key back at Key ID 1 in place of the other bytes"
mt ping -c 2 -i 0.2 -W 3 -q 192.168.200.2 > /dev/null
tap_ok $? "own mismatch: traffic flows again, 2 of 2 answered"
tap_is "$(slot mt 200 1 tx-count) $(slot dev 100 1 rx-count) $(slot dev 100 1 tx-count) $(stat dev 100 auth) $(stat dev 100 replay)" \
	"$((mt_count5 + 2)) $((mt_count5 + 1)) $((count5 + 2)) $((dev_auth + 8)) 0" \
	"own mismatch: the key's COUNT carried on each way, no packet refused beyond the 8"
echo "# the device's own mismatch took $((SECONDS - own_start)) s"
stop devd
tap_is "$stop_status" 0 "the device role stops cleanly again"

# --- another UICC in the MT: its keys unbound from the flow, then revoked ------
E2MD=$(e2md_in mt)
stop mt
tap_is "$stop_status" 0 "the MT stops cleanly"
ICCID2=8988211000000000022
net "$E2MCTL" --socket "$tmp/run/hss.sock" subscriber add --imsi 001010000000002 \
	--impi user2@home1.net --keys <(printf '%s\n' k=$K1 opc=$OPC1) \
	--uss '[{"naf":"nafkc.test","flags":[1]}]' > /dev/null &&
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

# --- after another UICC: the device's next run lands on the MT's Key ID --------
# The MT's flow is empty, the device's still transmits under its old key at
# Key ID 1: the link is cut. The device's next run is a full procedure
# (the new UICC bootstraps); the MT binds the new key at Key ID 1 (its
# flow empty: the first key bound transmits) and says so in its btid
# answer; the device, whose own plan would move to Key ID 2, binds there,
# in place of its old key, so both ends meet.
uicc_start=$SECONDS
no_key=$(fields mt 200 no-key)
dev ping -c 1 -W 1 -q 192.168.200.1 > /dev/null
tap_is "$? $(fields mt 200 no-key)" "1 $((no_key + 1))" \
	"another UICC: the device's packet dropped by the MT, which has no key"
renew 3
tap_is "$? $(out 3 procedure) $(out 3 key_id) $(grep -c '^extended=' "$tmp/renew3.out") $([ "$(out 3 btid)" != "$btid" ] && echo new)" \
	"0 established 1 0 new" \
	"another UICC: the device's run: a full procedure under a new B-TID, its key at the MT's Key ID 1"
serial6=$(out 3 serial)
kmt6=$(mt_bound)
tap_is "$(mt_counter bootstraps) $(mt_counter flow-binds) $(fields mt 200 1:serial 2:serial tx-key-id)" \
	"1 1 $kmt6 none 1" \
	"another UICC: the MT bootstrapped once and bound its new key at Key ID 1"
keyctl describe "$serial3" > /dev/null 2>&1
tap_is "$? $(fields dev 100 1:serial 2:serial tx-key-id)" \
	"1 $serial6 none 1" \
	"another UICC: the device's new key at Key ID 1 in place of the old one, revoked"
read -r dev_tx dev_rx < <(fields dev 100 tx-packets rx-packets)
read -r mt_tx mt_rx < <(fields mt 200 tx-packets rx-packets)
dev ping -c 3 -i 0.2 -W 3 -q 192.168.200.1 > /dev/null
tap_ok $? "another UICC: device to MT, 3 of 3 answered"
mt ping -c 3 -i 0.2 -W 3 -q 192.168.200.2 > /dev/null
tap_ok $? "another UICC: MT to device, 3 of 3 answered"
read -r dtx drx dtxc drxc dauth dreplay < <(fields dev 100 tx-packets rx-packets 1:tx-count 1:rx-count auth replay)
read -r mtx mrx mtxc mrxc mauth mreplay < <(fields mt 200 tx-packets rx-packets 1:tx-count 1:rx-count auth replay)
tap_is "$((dtx - dev_tx)) $((drx - dev_rx)) $((mtx - mt_tx)) $((mrx - mt_rx))" \
	"6 6 6 6" "another UICC: 6 packets each way at each end"
tap_is "$dtxc $mrxc $mtxc $drxc $mauth $dauth $mreplay $dreplay" \
	"7 6 7 6 $((auth + 8)) $((dev_auth + 8)) 0 0" \
	"another UICC: the new key's COUNT from 1 each way, no packet refused beyond the mismatches, no replay"
echo "# the device's run and traffic after another UICC took $((SECONDS - uicc_start)) s"

localnet_teardown
tap_done
