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

if ! grep -q "^e2m " /proc/modules; then
	ko=${E2M_KO:-build/kmod/${E2M_KVER:?not in the test VM}-debug/e2m.ko}
	if ! selftests/lib/load-module.sh "$ko"; then
		echo "Bail out! the e2m module $ko did not load"
		exit 1
	fi
fi
. selftests/lib/stage.sh
# The revoked key's next packet is counted as dead-key at once.
stage_off

ICCID=8988211000000000011
DEV=imei:490154203237518
dev() { ip netns exec dev "$@"; }
mt() { ip netns exec mt "$@"; }
stat() {	# NS TEID NAME: a counter or field of the flow, from e2mctl's text
	ip netns exec "$1" "$E2MCTL" flow show e2m0 teid "$2" |
		awk -v name="$3" '{ for (i = 1; i < NF; i++) if ($i == name) { print $(i + 1); exit } }'
}
slot() {	# NS TEID KID FIELD: a field of a key slot, from `flow show -j`
	ip netns exec "$1" "$E2MCTL" flow show e2m0 teid "$2" -j | /usr/bin/python3 -S -c '
import json, sys
kid, field = int(sys.argv[1]), sys.argv[2]
s = [s for s in json.load(sys.stdin)["slots"] if s["key-id"] == kid]
v = s[0][field] if s else "none"
print("null" if v is None else v)' "$3" "$4"
}

make_tmp shm
drop_namespaces() {
	ip netns del dev 2> /dev/null
	ip netns del mt 2> /dev/null
	keyctl clear @u > /dev/null 2>&1
}
at_exit drop_namespaces
. agent/tests/daemon_lib.sh
E2MD_BIN=$E2MD
for ns in dev mt; do
	printf '#!/bin/sh\nexec ip netns exec %s %q "$@"\n' $ns "$E2MD_BIN" > "$tmp/e2md-in-$ns"
	chmod +x "$tmp/e2md-in-$ns"
done
E2MD=$tmp/e2md-in-mt
wait_long() {	# COMMAND...: wait_for, up to 120 s (TCG is slow)
	local i
	for i in 1 2 3 4 5 6; do
		wait_for "$@" && return 0
	done
	return 1
}
bail() { echo "Bail out! $1 did not start"; sed 's/^/# /' "$tmp/$1.log"; exit 1; }

# --- topology (as kslink.sh) -------------------------------------------------
ip netns add dev
ip netns add mt
ip link add veth-dev netns dev type veth peer name veth-mt netns mt
for ns in dev mt; do
	ip -n $ns link set lo up
	ip -n $ns link add e2m0 type e2m
	ip -n $ns link set e2m0 addrgenmode none
done
dev ip addr add 10.1.0.1/24 dev veth-dev
mt ip addr add 10.1.0.2/24 dev veth-mt
dev ip link set veth-dev up
mt ip link set veth-mt up
dev "$E2MCTL" dev set e2m0 role ue
dev ip addr add 192.168.200.2/32 dev e2m0
mt ip addr add 192.168.200.1/32 dev e2m0
for ns in dev mt; do
	ip -n $ns link set e2m0 up
	ip -n $ns route add 192.168.200.0/24 dev e2m0
done
dev "$E2MCTL" flow add e2m0 teid 100 remote-teid 200 peer 10.1.0.2 inner 192.168.200.2 &&
mt "$E2MCTL" flow add e2m0 teid 200 remote-teid 100 peer 10.1.0.1 inner 192.168.200.2
tap_ok $? "the local link's flows: device teid 100 (role ue), MT teid 200 (role hse)"

# --- the network and the MT, in mt ------------------------------------------
pki_ca hss.test bsf.test nafkc.test
store_keys hss bsf nafkc mt dev
cat > "$tmp/hss.yaml" <<EOF
store: { path: $tmp/hss.db, key-file: $tmp/hss.key }
admin: { socket: $tmp/hss.sock }
tls: { certificate: $tmp/hss.test.crt, private-key: $tmp/hss.test.key, ca: $tmp/ca.crt }
roles:
  hss: { listen: "127.0.0.1:0", clients: [bsf.test], sn-clients: [sgw.test] }
EOF
start hss || bail hss
cat > "$tmp/bsf.yaml" <<EOF
store: { path: $tmp/bsf.db, key-file: $tmp/bsf.key }
admin: { socket: $tmp/bsf.sock }
tls: { certificate: $tmp/bsf.test.crt, private-key: $tmp/bsf.test.key, ca: $tmp/ca.crt }
roles:
  bsf:
    name: bsf.test
    ub-listen: "127.0.0.1:0"
    zn-listen: "127.0.0.1:0"
    hss-url: "https://$(ready_value hss hss.zh)"
    key-lifetime: 3600
    nafs: [{ name: nafkc.test }]
EOF
start bsf || bail bsf
cat > "$tmp/nafkc.yaml" <<EOF
store: { path: $tmp/nafkc.db, key-file: $tmp/nafkc.key }
admin: { socket: $tmp/nafkc.sock }
tls: { certificate: $tmp/nafkc.test.crt, private-key: $tmp/nafkc.test.key, ca: $tmp/ca.crt }
roles:
  nafkc:
    name: nafkc.test
    listen: "10.1.0.2:0"
    bsf-url: "https://$(ready_value bsf bsf.zn)"
    key-lifetime: 600
EOF
start nafkc || bail nafkc
cat > "$tmp/mt.yaml" <<EOF
store: { path: $tmp/mt.db, key-file: $tmp/mt.key }
admin: { socket: $tmp/mt.sock }
roles:
  mt:
    listen: "10.1.0.2:0"
    iccid: "$ICCID"
    naf-ids: [nafkc.test]
    bsf-url: "http://$(ready_value bsf bsf.ub)"
    keyring: "@u"
    flows: [{ device-id: "$DEV", device: e2m0, teid: 200, key-id: 1, alg: 2 }]
EOF
mt "$E2MCTL" --socket "$tmp/hss.sock" subscriber add --imsi 001010000000001 \
	--impi user1@home1.net --keys <(printf '%s\n' k=$K1 opc=$OPC1) \
	--uss '[{"naf":"nafkc.test","flags":[1]}]' > /dev/null &&
"$E2MCTL" usim add --store "$tmp/mt.db" --store-key-file "$tmp/mt.key" \
	--iccid $ICCID --imsi 001010000000001 --impi user1@home1.net \
	--keys <(printf '%s\n' k=$K1 opc=$OPC1) > /dev/null
tap_ok $? "a subscriber at the HSS, its USIM in the MT's store"
start mt || bail mt
PSK=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
mt "$E2MCTL" --socket "$tmp/nafkc.sock" device add --device-id $DEV \
	--keys <(echo psk=$PSK) > /dev/null
(umask 077; echo psk=$PSK > "$tmp/dev.psk")

# --- the device role in dev ----------------------------------------------------
cat > "$tmp/devd.yaml" <<EOF
store: { path: $tmp/devd.db, key-file: $tmp/dev.key }
admin: { socket: $tmp/devd.sock }
roles:
  device:
    device-id: "$DEV"
    psk-file: $tmp/dev.psk
    keyring: "@u"
    timeout: 30
    links:
      - mt: "$(ready_value mt mt.local)"
        naf-id: nafkc.test
        key-centre: "$(ready_value nafkc nafkc.devices)"
        flow: { device: e2m0, teid: 100, key-id: 1, alg: 2 }
EOF
devd_counter() {
	"$E2MCTL" --socket "$tmp/devd.sock" status |
		sed -n "s/^role=device .* $1=\([0-9]*\).*/\1/p"
}
devd_serial() {
	"$E2MCTL" local-key list --store "$tmp/devd.db" --store-key-file "$tmp/dev.key" |
		sed -n 's/.* serial=\([0-9]*\) .*/\1/p'
}
E2MD=$tmp/e2md-in-dev
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
	"0 3 2 3 2" "--renew --flow: 2 of 2 answered under Key ID 2, COUNT from 1"

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
	"3 2 3 2 $((auth + 8))" "mismatch: COUNT from 1 each way, no packet refused beyond the 8"
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
