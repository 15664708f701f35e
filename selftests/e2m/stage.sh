#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Packets that wait for a key (uapi/linux/e2m.h, "Staged packets"): a
# device ("ue") and a gateway ("hse") joined by veth, as datapath.sh has
# them. The gateway's key is revoked (a flush) and the same key set bound
# again, as the HSE does after its on-demand pull: no packet is lost, both
# ways. A pull that never comes: the packets expire. More packets than a
# flow holds: the overflow is counted. A flow deleted with packets staged:
# they go with it, nothing is left. Two flows staging at once, each to its
# own deadline, one drained when its key comes. The device deleted and
# the module unloaded with packets staged. Every counter is exact. Runs in the test VM with the module loaded (E2M_KO: reloaded at
# the end).
set -u
cd "$(dirname "$0")/../.."
. selftests/lib/prologue.sh
. selftests/lib/keyset.sh
. selftests/lib/wait.sh
. selftests/lib/veth.sh

export E2MCTL
param=/sys/module/e2m/parameters/stage_ms

ue() { in_ns ue "$@"; }
hse() { in_ns hse "$@"; }
stat() { e2m_stat "$1" e2m0 "${@:2}"; }	# NS [TEID] NAME: of e2m0
rebind_hse() {	# the same key set again on the gateway, as the HSE's pull does
	khse=$(keyset 1 "imsi:$IMSI1 kid:1 hse $1")
	hse "$E2MCTL" key bind e2m0 teid 200 serial "$khse"
}
# totals NS: the device's totals as NAME=VALUE, one line; "parts" after
# them when they are the device's own counters plus its live flows'.
totals() {
	in_ns "$1" "$E2MCTL" show e2m0 -j | /usr/bin/python3 -S -c '
import json, sys
d = json.load(sys.stdin)[0]
t = d["totals"]
parts = all(t[k] == d["stats"][k] + sum(f["stats"][k] for f in d["flows"])
            for k in t)
print(" ".join("%s=%d" % (k, t[k]) for k in sorted(t)), end="")
print(" parts" if parts else "")'
}
dev_stat() {	# NS NAME: the e2m device's own counter (sysfs)
	ip netns exec "$1" cat /sys/class/net/e2m0/statistics/"$2"
}
cleanup() {
	ip netns del ue 2>/dev/null
	ip netns del hse 2>/dev/null
	keyctl clear @u >/dev/null 2>&1
	[ -w $param ] && echo "$saved_ms" > $param
}
saved_ms=$(cat $param)
at_exit cleanup

tap_is "$saved_ms" 3000 "stage_ms: 3000 by default"
echo 60001 > $param 2>/dev/null
tap_is "$? $(cat $param)" "1 3000" "stage_ms: above 60000 refused"
# Room for a pull on a slow VM; the expiry below sets its own.
echo 20000 > $param

veth_pair
e2m_pair
tap_ok $? "flows on both sides"
kue=$(keyset 1 "imsi:$IMSI1 kid:1 ue")
khse=$(keyset 1 "imsi:$IMSI1 kid:1 hse")
ue "$E2MCTL" key bind e2m0 teid 100 serial "$kue" &&
hse "$E2MCTL" key bind e2m0 teid 200 serial "$khse"
tap_ok $? "Key ID 1 bound on both sides"
ue ping -c 1 -W 5 -q 192.168.100.1 >/dev/null
tap_ok $? "traffic flows"

# --- receive: the flush, 3 pings, all answered once the key is back ---------
rx=$(stat hse 200 rx-packets)
tx=$(stat hse 200 tx-packets)
keyctl revoke "$khse"
ue ping -c 3 -i 0.3 -W 30 -q 192.168.100.1 >/dev/null &
pinger=$!
wait_for eval '[ "$(stat hse 200 rx-staged)" = 3 ]'
tap_is "$(stat hse 200 rx-staged) $(stat hse 200 staged) $(stat hse 200 rx-packets)" "3 3 $rx" \
	"flush: the 3 echo requests wait on the gateway, none delivered yet"
tap_ok "$([ "$(stat hse staged-bytes)" -gt 0 ]; echo $?)" "flush: the device counts their memory"
rebind_hse rx
tap_ok $? "flush: the same key set bound again (the pull's KEY_BIND)"
wait $pinger
tap_ok $? "flush: 3 of 3 pings answered"
tap_is "$(stat hse 200 rx-packets) $(stat hse 200 tx-packets) $(stat hse 200 staged)" \
	"$((rx + 3)) $((tx + 3)) 0" "flush: the gateway delivered the 3 and answered them, none left staged"
tap_is "$(stat hse 200 dead-key) $(stat hse 200 no-key) $(stat hse 200 auth) $(stat hse 200 replay)" \
	"0 0 0 0" "flush: no drop on the gateway"
tap_is "$(stat hse staged-bytes)" 0 "flush: no memory staged on the device"

# --- transmit: the gateway's own packets wait, COUNT taken when they go ------
tx=$(stat hse 200 tx-packets)
count=$(hse "$E2MCTL" flow show e2m0 teid 200 | grep -o 'tx-count [0-9]*' | awk '{print $2}')
keyctl revoke "$khse"
hse ping -c 2 -i 0.3 -W 30 -q 192.168.100.2 >/dev/null &
pinger=$!
wait_for eval '[ "$(stat hse 200 tx-staged)" = 2 ]'
tap_is "$(stat hse 200 tx-staged) $(stat hse 200 tx-packets)" "2 $tx" \
	"transmit: the gateway's 2 echo requests wait, none sent"
rebind_hse tx
wait $pinger
tap_ok $? "transmit: 2 of 2 answered once the key is bound again"
tap_is "$(hse "$E2MCTL" flow show e2m0 teid 200 | grep -o 'tx-count [0-9]*' | awk '{print $2}') $(stat hse 200 tx-packets)" \
	"$((count + 2)) $((tx + 2))" "transmit: the staged packets took COUNTs $count and $((count + 1)) as they left"
tap_is "$(stat ue 100 replay) $(stat ue 100 auth)" "0 0" "transmit: the device accepted them"

# --- a pull that never comes: the packets expire -----------------------------
echo 1000 > $param
rx_dropped=$(dev_stat hse rx_dropped)
keyctl revoke "$khse"
ue ping -c 3 -i 0.2 -W 1 -q 192.168.100.1 >/dev/null
tap_is $? 1 "expiry: no key, no answer"
wait_for eval '[ "$(stat hse 200 stage-expired)" = 3 ]'
tap_is "$(stat hse 200 stage-expired) $(stat hse 200 rx-staged) $(stat hse 200 staged)" "3 6 0" \
	"expiry: the 3 staged dropped as stage-expired after stage_ms"
tap_is "$(stat hse 200 dead-key) $(dev_stat hse rx_dropped) $(stat hse staged-bytes)" \
	"0 $((rx_dropped + 3)) 0" "expiry: counted once, in the device's rx_dropped, nothing held"
rebind_hse expiry
ue ping -c 1 -W 5 -q 192.168.100.1 >/dev/null
tap_ok $? "expiry: a key bound later finds nothing old to send; traffic flows"

# --- the bound of a flow, then the flow deleted with packets staged ----------
# The longest hold there is: the packets must still be staged at the
# delete, however slow the guest (20 s ran out beside two other VMs).
echo 60000 > $param
keyctl revoke "$khse"
ue ping -c 20 -i 0.05 -W 1 -q 192.168.100.1 >/dev/null
wait_for eval '[ "$(stat hse 200 staged)" = 16 ]'
tap_is "$(stat hse 200 staged) $(stat hse 200 rx-staged) $(stat hse 200 stage-full)" "16 22 4" \
	"bound: 16 of 20 staged, 4 dropped as stage-full"
bytes=$(stat hse staged-bytes)
tap_ok "$([ "$bytes" -gt 0 ] && [ "$bytes" -le 65536 ]; echo $?)" \
	"bound: at most 64 KiB of one flow staged ($bytes)"
flushed=$(stat hse stage-flushed)
before=$(totals hse)
tap_is "${before##* }" parts "totals: the device's own counters plus its flow's"
hse "$E2MCTL" flow del e2m0 teid 200
tap_ok $? "flow delete with 16 packets staged"
tap_is "$(stat hse stage-flushed) $(stat hse staged-bytes)" "$((flushed + 16)) 0" \
	"flow delete: the 16 dropped as stage-flushed on the device, nothing held"
after=$(totals hse)
tap_is "$(sed 's/ parts$//; s/stage-flushed=[0-9]*/stage-flushed=F/' <<< "$after")" \
	"$(sed 's/ parts$//; s/stage-flushed=[0-9]*/stage-flushed=F/' <<< "$before")" \
	"totals: the deleted flow's counts stay in the device's totals"
tap_is "$(grep -o 'stage-flushed=[0-9]*\|stage-full=[0-9]*\|stage-expired=[0-9]*\|rx-staged=[0-9]*' <<< "$after" | tr '\n' ' ')" \
	"rx-staged=22 stage-expired=3 stage-flushed=$((flushed + 16)) stage-full=4 " \
	"totals: the flow's staged, expired and full counts, and the 16 flushed"
# New flows on both sides, new keys (Key ID 2): their COUNTs start at 1,
# and the new flows' replay windows are empty.
ue "$E2MCTL" flow del e2m0 teid 100 &&
ue "$E2MCTL" flow add e2m0 teid 100 remote-teid 200 peer 10.0.0.2 inner 192.168.100.2 &&
hse "$E2MCTL" flow add e2m0 teid 200 remote-teid 100 peer 10.0.0.1 inner 192.168.100.2
kue=$(keyset 2 "imsi:$IMSI1 kid:2 ue")
khse=$(keyset 2 "imsi:$IMSI1 kid:2 hse")
ue "$E2MCTL" key bind e2m0 teid 100 serial "$kue" &&
hse "$E2MCTL" key bind e2m0 teid 200 serial "$khse"
tap_ok $? "new flows, Key ID 2 bound on both sides"
ue ping -c 1 -W 5 -q 192.168.100.1 >/dev/null
tap_is "$? $(stat hse 200 staged) $(stat hse 200 rx-staged) $(stat hse 200 rx-packets)" "0 0 0 1" \
	"a new flow: nothing of the old one's stage comes back, traffic flows"

# --- two flows staging at once: one work item for the device's stages --------
# Both of the gateway's flows lose their key. The first's packets wait
# with a deadline 20 s off, the second's with one 1 s off, sooner: they
# expire at theirs while the first's wait on; the first's key bound again
# sends its packets and no other's.
echo 20000 > $param
ue ip addr add 192.168.100.3/32 dev e2m0
ue "$E2MCTL" flow add e2m0 teid 101 remote-teid 201 peer 10.0.0.2 inner 192.168.100.3 &&
hse "$E2MCTL" flow add e2m0 teid 201 remote-teid 101 peer 10.0.0.1 inner 192.168.100.3 &&
kue2=$(keyset 2 "imsi:$IMSI1 kid:2 ue second") &&
khse2=$(keyset 2 "imsi:$IMSI1 kid:2 hse second") &&
ue "$E2MCTL" key bind e2m0 teid 101 serial "$kue2" &&
hse "$E2MCTL" key bind e2m0 teid 201 serial "$khse2" &&
ue ping -c 1 -W 5 -q -I 192.168.100.3 192.168.100.1 >/dev/null
tap_ok $? "two flows: a second flow on both sides, traffic flows"
rx=$(stat hse 200 rx-packets)
keyctl revoke "$khse"
keyctl revoke "$khse2"
ue ping -c 2 -i 0.2 -W 30 -q 192.168.100.1 >/dev/null &
pinger=$!
wait_for eval '[ "$(stat hse 200 staged)" = 2 ]'
echo 1000 > $param
ue ping -c 2 -i 0.2 -W 1 -q -I 192.168.100.3 192.168.100.1 >/dev/null
tap_is $? 1 "two flows: the second's pings unanswered"
wait_for eval '[ "$(stat hse 201 stage-expired)" = 2 ]'
tap_is "$(stat hse 201 stage-expired) $(stat hse 201 staged) $(stat hse 200 staged) $(stat hse 200 stage-expired) $(stat hse 200 rx-packets)" \
	"2 0 2 0 $rx" "two flows: the second's 2 expired at their deadline, the first's 2 still wait"
khse=$(keyset 2 "imsi:$IMSI1 kid:2 hse two flows")
hse "$E2MCTL" key bind e2m0 teid 200 serial "$khse"
tap_ok $? "two flows: the first's key set bound again"
wait $pinger
tap_ok $? "two flows: the first's 2 pings answered"
tap_is "$(stat hse 200 staged) $(stat hse 200 rx-packets) $(stat hse 201 staged) $(stat hse 201 rx-staged) $(stat hse 201 rx-packets)" \
	"0 $((rx + 2)) 0 2 1" "two flows: the first's 2 delivered, the second's none"
ue "$E2MCTL" flow del e2m0 teid 101 &&
hse "$E2MCTL" flow del e2m0 teid 201 &&
ue ip addr del 192.168.100.3/32 dev e2m0
tap_ok $? "two flows: the second flow deleted on both sides"
# The longest hold again, for the device delete below.
echo 60000 > $param

# --- the device and the module go with packets staged -------------------------
keyctl revoke "$khse"
ue ping -c 4 -i 0.1 -W 1 -q 192.168.100.1 >/dev/null
wait_for eval '[ "$(stat hse 200 staged)" = 4 ]'
tap_is "$(stat hse 200 staged)" 4 "device delete: 4 packets staged"
hse ip link del e2m0
tap_ok $? "device delete with packets staged"
ue ping -c 2 -i 0.1 -W 1 -q 192.168.100.1 >/dev/null
if [ -n "${E2M_KO:-}" ]; then
	ip netns del ue
	ip netns del hse
	keyctl clear @u
	rmmod e2m
	tap_ok $? "unload: rmmod succeeds after staged packets were flushed"
	tap_is "$(dmesg | grep -c 'e2m: leak')" 0 "unload: no object of the module left"
	selftests/lib/load-module.sh "$E2M_KO"
	tap_ok $? "unload: the module loads again"
fi

tap_done
