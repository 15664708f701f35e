#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Reconfiguration under traffic, between two namespaces joined by veth as
# in datapath.sh: a flow's peer moved between IPv4 and IPv6, the device's
# port (and with it its sockets) changed, a second device deleted, each
# while packets flow without pause. What the packet path reads while it
# changes is published under RCU (kernel/flow.h, kernel/device.h): here
# every packet must go to the peer of the moment, and the run must end
# with exact counters and no splat in the kernel log (run.sh judges it;
# the debug kernel's KASAN and lockdep see what a production kernel may
# not). The races are not forced, only given many chances: a bounded
# number of rounds. Runs in the test VM with the module loaded (E2M_KO:
# reloaded at the end).
set -u
cd "$(dirname "$0")/../.."
. selftests/lib/prologue.sh
. selftests/lib/keyset.sh
. selftests/lib/wait.sh
. selftests/lib/veth.sh

ROUNDS=${E2M_RECONFIG_ROUNDS:-20}

ue() { in_ns ue "$@"; }
hse() { in_ns hse "$@"; }
stat() {	# NS DEV TEID NAME: a flow counter, from e2mctl's text output
	word_after "$4" "$(in_ns "$1" "$E2MCTL" flow show "$2" teid "$3")"
}
# udp_in NS: UDP datagrams received in NS, "IPv4 IPv6" (the outer packets:
# the tunnel's receive counts them).
udp_in() {
	echo "$(ip netns exec "$1" awk '/^Udp: [0-9]/ { print $2 }' /proc/net/snmp)" \
		"$(ip netns exec "$1" awk '$1 == "Udp6InDatagrams" { print $2 }' /proc/net/snmp6)"
}
udp_delta() {	# NS "V4 V6": what udp_in NS counted since
	local v4 v6 n4 n6
	read -r v4 v6 <<< "$2"
	read -r n4 n6 <<< "$(udp_in "$1")"
	echo "$((n4 - v4)) $((n6 - v6))"
}
# blast NS ADDR: datagrams to ADDR:9 without pause until /tmp/blast.stop.
blast() {
	ip netns exec "$1" /usr/bin/python3 -S -c '
import os, socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
while not os.path.exists("/tmp/blast.stop"):
    for i in range(64):
        try:
            s.sendto(b"x" * 200, (sys.argv[1], 9))
        except OSError:
            pass' "$2"
}
drop_namespaces() {
	touch /tmp/blast.stop
	ip netns del ue 2>/dev/null
	ip netns del hse 2>/dev/null
	keyctl clear @u >/dev/null 2>&1
}
at_exit drop_namespaces

# --- topology: IPv4 and IPv6 between the two -------------------------------
veth_pair --ipv6
e2m_pair &&
ue "$E2MCTL" key bind e2m0 teid 100 serial "$(keyset 1 "imsi:$IMSI1 kid:1 ue")" &&
hse "$E2MCTL" key bind e2m0 teid 200 serial "$(keyset 1 "imsi:$IMSI1 kid:1 hse")"
tap_ok $? "two flows, IPv4 peers, keys bound"
ue ping -c 2 -i 0.2 -W 3 -q 192.168.100.1 >/dev/null
tap_ok $? "traffic flows over IPv4"

# --- the peer moves to IPv6 and back ---------------------------------------
# The gateway answers over IPv4 (its peer stays 10.0.0.1): what reaches it
# over IPv6 is exactly what the device sent.
before=$(udp_in hse)
ue "$E2MCTL" flow change e2m0 teid 100 peer fd00::2
tap_ok $? "the device's flow moves to the IPv6 peer"
ue ping -c 5 -i 0.2 -W 3 -q 192.168.100.1 >/dev/null
tap_ok $? "IPv6 peer: 5 of 5 answered"
tap_is "$(udp_delta hse "$before")" "0 5" "IPv6 peer: the gateway got the 5 over IPv6, none over IPv4"
before=$(udp_in hse)
ue "$E2MCTL" flow change e2m0 teid 100 peer 10.0.0.2
ue ping -c 5 -i 0.2 -W 3 -q 192.168.100.1 >/dev/null
tap_ok $? "back to IPv4: 5 of 5 answered"
tap_is "$(udp_delta hse "$before")" "5 0" "back to IPv4: the gateway got the 5 over IPv4, none over IPv6"

# --- the same, and the port, under traffic -----------------------------------
rm -f /tmp/blast.stop
blast ue 192.168.100.1 &
blast hse 192.168.100.2 &
sleep 0.5
failed=0
for i in $(seq "$ROUNDS"); do
	ue "$E2MCTL" flow change e2m0 teid 100 peer fd00::2 || failed=1
	ue "$E2MCTL" set e2m0 port 2160 || failed=1
	ue "$E2MCTL" flow change e2m0 teid 100 peer 10.0.0.2 || failed=1
	ue "$E2MCTL" set e2m0 port 2152 || failed=1
done
touch /tmp/blast.stop
wait
tap_is $failed 0 "$ROUNDS rounds of peer family and port changes under traffic both ways"
sleep 1
tx=$(stat ue e2m0 100 tx-packets)
rx=$(stat hse e2m0 200 rx-packets)
before=$(udp_in hse)
ue ping -c 5 -i 0.2 -W 3 -q 192.168.100.1 >/dev/null
tap_ok $? "after them: 5 of 5 answered"
tap_is "$(( $(stat ue e2m0 100 tx-packets) - tx )) $(( $(stat hse e2m0 200 rx-packets) - rx ))" "5 5" \
	"after them: 5 sent, 5 received"
tap_is "$(udp_delta hse "$before")" "5 0" "after them: all 5 to the IPv4 peer of the moment"

# --- a device deleted under traffic, again and again -------------------------
# e2m1 in the device's namespace, a flow and a key of its own, traffic into
# it without pause, then deleted. The gateway has no flow for it.
failed=0
for i in $(seq "$ROUNDS"); do
	ip -n ue link add e2m1 type e2m &&
	ue "$E2MCTL" set e2m1 role ue port 2161 &&
	ue ip addr add 192.168.101.2/32 dev e2m1 &&
	ue ip link set e2m1 up &&
	ue ip route add 192.168.101.0/24 dev e2m1 &&
	ue "$E2MCTL" flow add e2m1 teid 101 remote-teid 201 peer fd00::2 inner 192.168.101.2 &&
	ue "$E2MCTL" key bind e2m1 teid 101 serial "$(keyset 2 "reconfig $i")" || failed=1
	rm -f /tmp/blast.stop
	blast ue 192.168.101.1 &
	sleep 0.2
	ue "$E2MCTL" flow change e2m1 teid 101 peer 10.0.0.2 || failed=1
	sleep 0.1
	ip -n ue link del e2m1 || failed=1
	touch /tmp/blast.stop
	wait
done
tap_is $failed 0 "$ROUNDS devices created, sent through and deleted under traffic"
tap_is "$(ip -n ue -o link show type e2m | wc -l)" 1 "only e2m0 is left"
ue ping -c 3 -i 0.2 -W 3 -q 192.168.100.1 >/dev/null
tap_ok $? "e2m0 still answers: 3 of 3"

# The test key sets' COUNTs went up here: crypto.sh, after it, expects a
# fresh module's.
keyset_fresh_module drop_namespaces

tap_done
