#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Receive steering (uapi/linux/e2m.h, "Receive steering"; kernel/steer.h):
# a device ("ue") and a gateway ("hse") joined by veth, as stage.sh has
# them, with the gateway's rx-cpus set. Checked, every counter exact:
#
#   off in a new device; rx_queue_len 1000 by default, 0 and 65537
#   refused; a CPU that cannot exist refused by the kernel, nothing
#   changed; the set shown as set (text and JSON);
#   pings sent from CPU 0 through a gateway steering to CPU 0 (its own
#   queue) and to CPU 1 (by IPI): each G-PDU counted rx-steered once,
#   delivered, answered;
#   600 datagrams of one flow over both vCPUs: all delivered, in order;
#   the queue's bound (the debug module holds the queue): 8 queued, the
#   2 after them dropped as steer-full, on the device and in its
#   rx_dropped; released, the next packet (dropped: the queue is still
#   full) gets the 8 delivered, and with room one more goes through;
#   the device deleted with packets held in its queue;
#   rx-cpus off: received where they arrive, rx-steered unchanged.
# Runs in the test VM with the debug module loaded (E2M_KO).
set -u
cd "$(dirname "$0")/../.."
. selftests/lib/prologue.sh
. selftests/lib/keyset.sh
. selftests/lib/wait.sh
. selftests/lib/veth.sh

export E2MCTL
params=/sys/module/e2m/parameters

ue() { in_ns ue "$@"; }
hse() { in_ns hse "$@"; }
stat() { e2m_stat "$1" e2m0 "${@:2}"; }	# NS [TEID] NAME: of e2m0
dev_stat() {	# NS NAME: the e2m device's own counter (sysfs)
	ip netns exec "$1" cat /sys/class/net/e2m0/statistics/"$2"
}
# send COUNT [PORT]: COUNT datagrams from the UE through its e2m0 to the
# gateway's inner address, each its number, 4 octets, in order.
send() {
	ue /usr/bin/python3 -S -c '
import socket, struct, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(int(sys.argv[1])):
    s.sendto(struct.pack("!I", i), ("192.168.100.1", int(sys.argv[2])))' \
		"$1" "${2:-9000}"
}
# receive COUNT OUT: until COUNT datagrams came to port 9000 (30 s at
# most); writes "in-order" or "out-of-order", and how many came, to OUT.
receive() {
	hse /usr/bin/python3 -S -c '
import socket, struct, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, 33, 4 << 20)	# SO_RCVBUFFORCE
s.bind(("192.168.100.1", 9000))
s.settimeout(30)
want, got = int(sys.argv[1]), []
open(sys.argv[2] + ".ready", "w").close()
try:
    while len(got) < want:
        got.append(struct.unpack("!I", s.recv(64))[0])
except socket.timeout:
    pass
order = "in-order" if got == list(range(len(got))) else "out-of-order"
open(sys.argv[2], "w").write("%s %d\n" % (order, len(got)))' "$1" "$2"
}
cleanup() {
	ip netns del ue 2>/dev/null
	ip netns del hse 2>/dev/null
	keyctl clear @u >/dev/null 2>&1
	[ -w $params/rx_queue_len ] && echo 1000 > $params/rx_queue_len
	[ -w $params/test_steer_hold ] && echo 0 > $params/test_steer_hold
}
at_exit cleanup

need_module
make_tmp
if [ ! -w $params/test_steer_hold ]; then
	tap_skip "receive steering" "needs the debug module (test_steer_hold)"
	tap_done
	exit
fi

tap_is "$(cat $params/rx_queue_len)" 1000 "rx_queue_len: 1000 by default"
echo 0 > $params/rx_queue_len 2>/dev/null
s0=$?
echo 65537 > $params/rx_queue_len 2>/dev/null
tap_is "$s0 $? $(cat $params/rx_queue_len)" "1 1 1000" \
	"rx_queue_len: 0 and 65537 refused"

veth_pair
e2m_pair
tap_ok $? "flows on both sides"
kue=$(keyset 1 "imsi:$IMSI1 kid:1 ue")
khse=$(keyset 1 "imsi:$IMSI1 kid:1 hse")
ue "$E2MCTL" key bind e2m0 teid 100 serial "$kue" &&
hse "$E2MCTL" key bind e2m0 teid 200 serial "$khse"
tap_ok $? "Key ID 1 bound on both sides"

# --- the setting --------------------------------------------------------------
tap_is "$(hse "$E2MCTL" show e2m0 | head -1 | grep -c rx-cpus) $(hse "$E2MCTL" show e2m0 -j | grep -c '"rx-cpus": \[\]')" \
	"0 1" "off in a new device: no rx-cpus in show, [] in its JSON"
# nr_cpu_ids: one more than the last possible CPU
ncpus=$(( $(sed 's/.*[-,]//' /sys/devices/system/cpu/possible) + 1 ))
before=$(hse "$E2MCTL" show e2m0 | head -1)
out=$(hse "$E2MCTL" set e2m0 rx-cpus "$ncpus" 2>&1)
tap_is "$? $out" \
	"1 e2mctl: set: a CPU in the bitmap cannot exist on this host (rx-cpus)" \
	"CPU $ncpus of $ncpus: refused by the kernel"
tap_is "$(hse "$E2MCTL" show e2m0 | head -1)" "$before" "refused: nothing changed"
hse "$E2MCTL" set e2m0 rx-cpus 0-$((ncpus - 1))
set_status=$?
# e2mctl's list: a range of three or more, each CPU of a shorter run alone.
case $ncpus in
1) all=0 ;;
2) all=0,1 ;;
*) all=0-$((ncpus - 1)) ;;
esac
tap_is "$set_status $(hse "$E2MCTL" show e2m0 | head -1 | grep -o 'rx-cpus [0-9,-]*')" \
	"0 rx-cpus $all" "rx-cpus 0-$((ncpus - 1)): shown as the kernel has it"

# --- pings: each request steered once, delivered, answered -------------------
# Sent from CPU 0, so received there (veth): steered to CPU 0 itself, and
# to CPU 1 by IPI.
for cpu in 0 1; do
	[ $cpu -lt "$ncpus" ] || continue
	hse "$E2MCTL" set e2m0 rx-cpus $cpu
	rx=$(stat hse 200 rx-packets)
	steered=$(stat hse rx-steered)
	ue taskset -c 0 ping -c 10 -i 0.05 -W 5 -q 192.168.100.1 > /dev/null
	tap_ok $? "rx-cpus $cpu: 10 of 10 pings from CPU 0 answered"
	tap_is "$(stat hse rx-steered) $(stat hse 200 rx-packets) $(stat hse steer-full)" \
		"$((steered + 10)) $((rx + 10)) 0" \
		"rx-cpus $cpu: each G-PDU steered once and delivered; nothing dropped"
done
tap_is "$(stat ue rx-steered)" 0 "the UE's device (steering off) steered none"
hse "$E2MCTL" set e2m0 rx-cpus 0-$((ncpus - 1))

# --- one flow's order over the vCPUs -----------------------------------------
rx=$(stat hse 200 rx-packets)
receive 600 "$tmp/order" &
receiver=$!
wait_for test -e "$tmp/order.ready"
send 600
wait $receiver
tap_is "$(cat "$tmp/order") $(stat hse 200 rx-packets) $(stat hse 200 replay)" \
	"in-order 600 $((rx + 600)) 0" "600 datagrams of one flow: all delivered, in order"

# --- the queue's bound ---------------------------------------------------------
echo 8 > $params/rx_queue_len
echo 1 > $params/test_steer_hold
rx=$(stat hse 200 rx-packets)
steered=$(stat hse rx-steered)
dropped=$(dev_stat hse rx_dropped)
send 10
wait_for eval '[ "$(stat hse steer-full)" = 2 ]'
tap_is "$(stat hse rx-steered) $(stat hse steer-full) $(dev_stat hse rx_dropped) $(stat hse 200 rx-packets)" \
	"$((steered + 8)) 2 $((dropped + 2)) $rx" \
	"held: 8 queued, the 2 after them dropped as steer-full (rx_dropped +2), none delivered"
tap_is "$(hse "$E2MCTL" show e2m0 -j | /usr/bin/python3 -S -c '
import json, sys
d = json.load(sys.stdin)[0]
print(d["stats"]["steer-full"], d["totals"]["steer-full"], d["flows"][0]["stats"]["steer-full"])')" \
	"2 2 0" "steer-full is the device's, in its totals, not the flow's"
echo 0 > $params/test_steer_hold
send 1
wait_for eval '[ "$(stat hse 200 rx-packets)" = $((rx + 8)) ]'
tap_is "$(stat hse 200 rx-packets) $(stat hse rx-steered) $(stat hse steer-full)" \
	"$((rx + 8)) $((steered + 8)) 3" \
	"released: the next packet finds the queue full (steer-full 3) and gets the 8 delivered"
echo 1000 > $params/rx_queue_len
send 1
wait_for eval '[ "$(stat hse 200 rx-packets)" = $((rx + 9)) ]'
tap_is "$(stat hse 200 rx-packets) $(stat hse rx-steered) $(stat hse steer-full)" \
	"$((rx + 9)) $((steered + 9)) 3" "the bound back at 1000: the next one queued and delivered"

# --- off ------------------------------------------------------------------------
hse "$E2MCTL" set e2m0 rx-cpus off
tap_is "$? $(hse "$E2MCTL" show e2m0 | head -1 | grep -c rx-cpus)" "0 0" "rx-cpus off"
steered=$(stat hse rx-steered)
rx=$(stat hse 200 rx-packets)
ue ping -c 3 -i 0.05 -W 5 -q 192.168.100.1 > /dev/null
tap_is "$? $(stat hse rx-steered) $(stat hse 200 rx-packets)" "0 $steered $((rx + 3))" \
	"off: 3 pings answered, received where they came, none steered"

# --- the device deleted with packets in its queue -----------------------------
hse "$E2MCTL" set e2m0 rx-cpus 0-$((ncpus - 1))
echo 1 > $params/test_steer_hold
steered=$(stat hse rx-steered)
rx=$(stat hse 200 rx-packets)
send 5
wait_for eval '[ "$(stat hse rx-steered)" = $((steered + 5)) ]'
tap_is "$(stat hse rx-steered) $(stat hse 200 rx-packets)" "$((steered + 5)) $rx" \
	"held: 5 in the queue"
ip -n hse link del e2m0
tap_ok $? "the device deleted with the 5 queued"
echo 0 > $params/test_steer_hold
tap_is "$(ip -n hse link show e2m0 2>&1 | grep -c 'does not exist')" 1 "it is gone"
tap_done
