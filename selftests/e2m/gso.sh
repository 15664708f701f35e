#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Large sends through e2m (Documentation/datapath.md, "Large sends"): the
# device takes scatter-gather, checksum offload and GSO packets, cuts a GSO
# packet into its segments itself, and each segment is one N-PDU with its
# own COUNT. A device ("ue") and a gateway ("hse") joined by veth, as
# datapath.sh has them, with e2m0 over IPv4 and e2m1 over IPv6, each flow
# carrying an IPv4 and an IPv6 inner address. Each case checks exact
# values: the datagrams that arrive, octet for octet; the flows' and
# devices' counters and COUNTs; what the gateway's veth saw (the outer
# packets, each within its MTU, none a fragment); and the inner packets
# delivered, their TCP and UDP checksums right (the receiver marks them
# verified: a wrong one would only show beyond the gateway). The debug
# module's test_tx_gso and test_tx_copied say where the segments were cut
# and which packets were copied. Then large receives ("Large receives"):
# GRO off in a new device, and with the gateway's on, its device merges
# TCP segments and passes datagrams as they came. Runs in the test VM with
# the module loaded (E2M_KO: reloaded at the end).
set -u
cd "$(dirname "$0")/../.."
. selftests/lib/prologue.sh
. selftests/lib/keyset.sh
. selftests/lib/wait.sh
. selftests/lib/veth.sh

export E2MCTL
GSO="/usr/bin/python3 -S selftests/e2m/gso.py"
param=/sys/module/e2m/parameters
saved_ms=$(cat $param/stage_ms)

ue() { in_ns ue "$@"; }
hse() { in_ns hse "$@"; }
stat() {	# NS DEV TEID NAME: a counter or field of a flow
	word_after "$4" "$(in_ns "$1" "$E2MCTL" flow show "$2" teid "$3")"
}
devstat() {	# NS DEV NAME...: the device's own counters (sysfs)
	local ns=$1 dev=$2
	shift 2
	ip netns exec "$ns" sh -c "cd /sys/class/net/$dev/statistics && echo \$(cat $*)"
}
debug() {	# NAME: a test counter of the debug module, "-" without one
	cat "$param/test_tx_$1" 2>/dev/null || echo -
}
listening() {	# NS tcp|udp PORT
	ip netns exec "$1" ss -Hln --"$2" "sport = :$3" | grep -q .
}
cleanup() {
	ip netns del ue 2>/dev/null
	ip netns del hse 2>/dev/null
	keyctl clear @u >/dev/null 2>&1
	echo "$saved_ms" > $param/stage_ms
}
at_exit cleanup

# --- topology: e2m0 over IPv4 (port 2152), e2m1 over IPv6 (port 2153) -------
veth_pair --ipv6
for ns in ue hse; do
	ip -n $ns link add e2m0 type e2m
	ip -n $ns link add e2m1 type e2m
	ip -n $ns link set e2m0 addrgenmode none
	ip -n $ns link set e2m1 addrgenmode none
	in_ns $ns "$E2MCTL" set e2m1 port 2153
done
ue "$E2MCTL" set e2m0 role ue
ue "$E2MCTL" set e2m1 role ue
ue ip addr add 192.168.100.2/32 dev e2m0
ue ip addr add fd10::2/128 dev e2m0 nodad
hse ip addr add 192.168.100.1/32 dev e2m0
hse ip addr add fd10::1/128 dev e2m0 nodad
ue ip addr add 192.168.110.2/32 dev e2m1
ue ip addr add fd11::2/128 dev e2m1 nodad
hse ip addr add 192.168.110.1/32 dev e2m1
hse ip addr add fd11::1/128 dev e2m1 nodad
for ns in ue hse; do
	for dev in e2m0 e2m1; do
		ip -n $ns link set $dev up
	done
	ip -n $ns route add 192.168.100.0/24 dev e2m0
	ip -n $ns route add fd10::/64 dev e2m0
	ip -n $ns route add 192.168.110.0/24 dev e2m1
	ip -n $ns route add fd11::/64 dev e2m1
done
ue "$E2MCTL" flow add e2m0 teid 100 remote-teid 200 peer 10.0.0.2 \
	inner 192.168.100.2 inner fd10::2 &&
hse "$E2MCTL" flow add e2m0 teid 200 remote-teid 100 peer 10.0.0.1 \
	inner 192.168.100.2 inner fd10::2 &&
ue "$E2MCTL" flow add e2m1 teid 110 remote-teid 210 peer fd00::2 peer-port 2153 \
	inner 192.168.110.2 inner fd11::2 &&
hse "$E2MCTL" flow add e2m1 teid 210 remote-teid 110 peer fd00::1 peer-port 2153 \
	inner 192.168.110.2 inner fd11::2
tap_ok $? "flows on both sides: e2m0 over IPv4, e2m1 over IPv6, IPv4 and IPv6 inside"
kue=$(keyset 1 "imsi:$IMSI1 kid:1 ue")
khse=$(keyset 1 "imsi:$IMSI1 kid:1 hse")
k6ue=$(keyset 1 "imsi:001010000000002 kid:1 ue")
k6hse=$(keyset 1 "imsi:001010000000002 kid:1 hse")
ue "$E2MCTL" key bind e2m0 teid 100 serial "$kue" &&
hse "$E2MCTL" key bind e2m0 teid 200 serial "$khse" &&
ue "$E2MCTL" key bind e2m1 teid 110 serial "$k6ue" &&
hse "$E2MCTL" key bind e2m1 teid 210 serial "$k6hse"
tap_ok $? "Key ID 1 bound on both sides of both devices"
ue ping -c 1 -W 5 -q 192.168.100.1 >/dev/null && ue ping -c 1 -W 5 -q fd11::1 >/dev/null
tap_ok $? "traffic flows on both devices"

# --- the features, and that ethtool turns them off ----------------------------
features="scatter-gather tx-checksum-ip-generic tx-tcp-segmentation tx-tcp6-segmentation"
features+=" generic-segmentation-offload tx-udp-segmentation"
feature_states() {	# NS DEV: "NAME: STATE" of each of $features
	local f
	for f in $features; do
		in_ns "$1" ethtool -k "$2" | grep "^[[:space:]]*$f:" | sed 's/^[[:space:]]*//'
	done | tr '\n' ' '
}
want_on=$(for f in $features; do echo -n "$f: on "; done)
want_off=$(for f in $features; do
	case $f in
	scatter-gather|tx-checksum-ip-generic) echo -n "$f: on " ;;
	*) echo -n "$f: off " ;;
	esac
done)
tap_is "$(feature_states ue e2m0)" "$want_on" \
	"features: scatter-gather, checksum offload, TSO and GSO on, none fixed"
gso_off() {	# NS DEV: every segmentation offload off, the stack cuts
	in_ns "$1" ethtool -K "$2" gso off tso off tx-udp-segmentation off
}
gso_on() {
	in_ns "$1" ethtool -K "$2" gso on tso on tx-udp-segmentation on
}

# --- UDP_SEGMENT: one send, N datagrams -----------------------------------------
# udp_gso DEV TEID OUTER-PORT INNER-DST SIZE N GSO COPIED NAME: N datagrams
# of SIZE octets in one UDP_SEGMENT send from ue through DEV (its flow
# TEID) to INNER-DST, port 6000. GSO and COPIED: how much the debug
# module's counters must move (e2m cut the packet, or the stack did).
udp_gso() {
	local dev=$1 teid=$2 port=$3 dst=$4 size=$5 n=$6 gso=$7 copied=$8 name=$9
	local ip=20 outer=20 peer_teid=$(( $2 + 100 )) tx tx_bytes devtx rx count g c
	case $dst in *:*) ip=40 ;; esac
	[ "$dev" = e2m1 ] && outer=40
	local inner=$(( size + ip + 8 ))
	tx=$(stat ue "$dev" "$teid" tx-packets)
	tx_bytes=$(stat ue "$dev" "$teid" tx-bytes)
	devtx=$(devstat ue "$dev" tx_packets tx_bytes tx_dropped)
	rx=$(stat hse "$dev" $peer_teid rx-packets)
	count=$(stat ue "$dev" "$teid" tx-count)
	g=$(debug gso)
	c=$(debug copied)
	rm -f /tmp/gso.ready
	hse $GSO capture --ready /tmp/gso.ready --outer veth-hse --port "$port" \
		--inner "$dev" > /tmp/gso.cap &
	hse $GSO udp-recv --bind "$dst" --port 6000 --size "$size" --count "$n" > /tmp/gso.recv &
	wait_for test -e /tmp/gso.ready && wait_for listening hse udp 6000
	ue $GSO udp-send --to "$dst" --port 6000 --size "$size" --count "$n"
	wait
	tap_is "$(cat /tmp/gso.recv)" "$n $n" "$name: $n datagrams of $size octets arrive, each exactly as sent"
	tap_is "$(( $(stat ue "$dev" "$teid" tx-packets) - tx )) $(( $(stat ue "$dev" "$teid" tx-bytes) - tx_bytes ))" \
		"$n $(( n * inner ))" "$name: the flow sent $n packets, $(( n * inner )) octets"
	tap_is "$(devstat ue "$dev" tx_packets tx_bytes tx_dropped)" \
		"$(echo "$devtx" | awk -v n="$n" -v b=$(( n * inner )) '{ print $1 + n, $2 + b, $3 }')" \
		"$name: the device counted the same, nothing dropped"
	tap_is "$(( $(stat ue "$dev" "$teid" tx-count) - count )) $(( $(stat hse "$dev" $peer_teid rx-packets) - rx ))" \
		"$n $n" "$name: $n COUNTs taken, one a segment; the gateway received $n"
	tap_is "$(cat /tmp/gso.cap)" \
		"packets=$n max=$(( inner + outer + 8 + 8 + 9 )) fragments=0 inner=$n tcp=0 udp=$n csum-ok=$n" \
		"$name: $n outer packets of $(( inner + outer + 25 )) octets (MTU 1500), no fragment; the $n inner UDP checksums right"
	if [ "$g" != - ]; then
		tap_is "$(( $(debug gso) - g )) $(( $(debug copied) - c ))" "$gso $copied" \
			"$name: $gso packet cut by e2m, $copied copied on transmit"
	else
		tap_skip "$name: where it was cut" "a release module"
	fi
}

udp_gso e2m0 100 2152 192.168.100.1 1000 8 1 0 "UDP_SEGMENT, IPv4 in IPv4"
# Every segment at the MTU (1431): its outer IPv6 packet is 1496 octets.
udp_gso e2m1 110 2153 fd11::1 1383 8 1 0 "UDP_SEGMENT, IPv6 in IPv6, at the MTU"
gso_off ue e2m0
tap_is "$(feature_states ue e2m0)" "$want_off" "GSO off: ethtool turns TSO, GSO and UDP segmentation off"
# The stack cuts them, with scatter-gather: each segment's payload in the
# socket's page fragments, which e2m copies once to write.
udp_gso e2m0 100 2152 192.168.100.1 1000 8 0 8 "GSO off, UDP_SEGMENT, IPv4 in IPv4"
udp_gso e2m0 100 2152 fd10::1 1000 8 0 8 "GSO off, UDP_SEGMENT, IPv6 in IPv4"
gso_on ue e2m0
tap_is "$(feature_states ue e2m0)" "$want_on" "GSO on again"
udp_gso e2m1 110 2153 192.168.110.1 1000 8 1 0 "UDP_SEGMENT, IPv4 in IPv6"
# With the gateway's GRO on (off in a new device, "Large receives"): the
# datagrams pass through it one by one, as they came.
hse ethtool -K e2m0 gro on
udp_gso e2m0 100 2152 192.168.100.1 1000 8 1 0 "GRO on, UDP_SEGMENT, IPv4 in IPv4"
hse ethtool -K e2m0 gro off

# --- one datagram in page fragments, not GSO ------------------------------------
# Sent in two parts, the first with MSG_MORE: with scatter-gather the rest
# lands in page fragments. Copied once, its checksum (left to the device)
# done on the copy.
tx=$(stat ue e2m0 100 tx-packets)
c=$(debug copied)
rm -f /tmp/gso.ready
hse $GSO capture --ready /tmp/gso.ready --outer veth-hse --port 2152 --inner e2m0 > /tmp/gso.cap &
hse $GSO udp-recv --bind 192.168.100.1 --port 6000 --size 1200 --count 1 > /tmp/gso.recv &
wait_for test -e /tmp/gso.ready && wait_for listening hse udp 6000
ue $GSO udp-send --to 192.168.100.1 --port 6000 --size 1200 --more 40
wait
tap_is "$(cat /tmp/gso.recv) $(( $(stat ue e2m0 100 tx-packets) - tx ))" "1 1 1" \
	"fragments: the datagram arrives exactly as sent, one packet"
tap_is "$(cat /tmp/gso.cap)" "packets=1 max=1273 fragments=0 inner=1 tcp=0 udp=1 csum-ok=1" \
	"fragments: one outer packet, its inner UDP checksum right"
if [ "$c" != - ]; then
	tap_is "$(( $(debug copied) - c ))" 1 "fragments: copied once to be written"
else
	tap_skip "fragments: copied once" "a release module"
fi

# --- TCP, a few MiB, with loss: retransmissions must be what was sent ------------
# netem drops 1 % of the device's outer packets (10 % for the small
# writes), so TCP retransmits from its queue: a clone's data or page
# fragments that e2m wrote in place would go out encrypted twice, and the
# receiver would see garbage.
loss=0
ue tc qdisc add dev veth-ue root netem loss 1% 2>/dev/null && loss=1
retrans() {
	ue awk '/^Tcp:/ { if (h) print $13; h = 1 }' /proc/net/snmp
}
# tcp DEV TEID OUTER-PORT DST OCTETS NAME CUT [WRITE]: OCTETS from ue to
# DST through DEV, in writes of 64 KiB or of WRITE octets; CUT: whether
# e2m must have cut GSO packets ("cut", "not cut"; "-" not checked).
# What the gateway's DEV delivers depends on its GRO ($gro): off, each
# inner packet as it came, its checksum checked; on, the segments of a
# burst merged into fewer, larger packets (a merged packet carries its
# first segment's checksum, so none is checked).
gro=off
field() {	# NAME: a number of the capture's line
	sed -n "s/^\(.* \)\?$1=\([0-9]*\).*/\2/p" /tmp/gso.cap
}
tcp() {
	local dev=$1 teid=$2 port=$3 dst=$4 octets=$5 name=$6 peer_teid=$(( $2 + 100 ))
	local rx g r mtu
	rx=$(stat hse "$dev" $peer_teid rx-packets)
	g=$(debug gso)
	r=$(retrans)
	rm -f /tmp/gso.ready
	hse $GSO capture --ready /tmp/gso.ready --outer veth-hse --port "$port" \
		--inner "$dev" --timeout 4 --sizes > /tmp/gso.cap &
	hse $GSO tcp-recv --bind "$dst" --port 5001 > /tmp/gso.recv &
	wait_for test -e /tmp/gso.ready && wait_for listening hse tcp 5001
	ue $GSO tcp-send --to "$dst" --port 5001 --bytes "$octets" --write "${8:-0}"
	wait
	tap_is "$(cat /tmp/gso.recv)" "$($GSO sha --bytes "$octets")" "$name: $octets octets arrive intact"
	rx=$(( $(stat hse "$dev" $peer_teid rx-packets) - rx ))
	mtu=$(hse cat /sys/class/net/"$dev"/mtu)
	if [ $gro = off ]; then
		tap_is "$(sed 's/max=[0-9]*/max=M/; s/ inner-max=.*//' /tmp/gso.cap)" \
			"packets=$rx max=M fragments=0 inner=$rx tcp=$rx udp=0 csum-ok=$rx" \
			"$name: $rx packets, no fragment, every inner TCP checksum right"
		tap_ok "$([ "$(field inner-max)" -le "$mtu" ]; echo $?)" \
			"$name: GRO off, no inner packet above the MTU ($(field inner-max) of $mtu octets)"
	else
		tap_is "$(sed 's/max=[0-9]*/max=M/; s/ inner=.*//' /tmp/gso.cap)" \
			"packets=$rx max=M fragments=0" "$name: $rx packets, no fragment"
		tap_ok "$([ "$(field inner)" -lt "$rx" ] && [ "$(field tcp)" = "$(field inner)" ] &&
			[ "$(field inner-max)" -gt "$mtu" ]; echo $?)" \
			"$name: GRO merged $rx segments into $(field inner) TCP packets, the largest $(field inner-max) octets (MTU $mtu)"
	fi
	local max
	max=$(field max)
	tap_ok "$([ "$max" -le 1500 ]; echo $?)" "$name: every outer packet within the MTU ($max octets at most)"
	if [ $loss = 1 ]; then
		tap_ok "$([ "$(retrans)" -gt "$r" ]; echo $?)" "$name: TCP retransmitted ($(( $(retrans) - r )) segments)"
	else
		tap_skip "$name: retransmissions" "no netem in this kernel"
	fi
	if [ "$7" = - ]; then
		:
	elif [ "$g" != - ]; then
		tap_is "$([ "$(debug gso)" -gt "$g" ] && echo cut || echo "not cut")" "$7" \
			"$name: GSO packets $7 by e2m"
	else
		tap_skip "$name: where it was cut" "a release module"
	fi
}
# The gateway's GRO is off for these, as in a new device.
tap_is "$(hse ethtool -k e2m0 | grep '^generic-receive-offload:')" \
	"generic-receive-offload: off" "GRO: off in a new device"
tcp e2m1 110 2153 192.168.110.1 $((4 << 20)) "TCP, IPv4 in IPv6" cut
tcp e2m0 100 2152 fd10::1 $((4 << 20)) "TCP, IPv6 in IPv4" cut
gso_off ue e2m0
tcp e2m0 100 2152 192.168.100.1 $((2 << 20)) "GSO off, TCP, IPv4 in IPv4" "not cut"
gso_on ue e2m0
# GRO on (Documentation/datapath.md, "Large receives"): the gateway's
# device merges a burst's segments, retransmissions included, before its
# TCP sees them.
gro=on
hse ethtool -K e2m0 gro on
hse ethtool -K e2m1 gro on
tap_is "$(hse ethtool -k e2m1 | grep '^generic-receive-offload:')" \
	"generic-receive-offload: on" "GRO: ethtool turns it on"
tcp e2m0 100 2152 192.168.100.1 $((2 << 20)) "GRO, TCP, IPv4 in IPv4" cut
tcp e2m1 110 2153 fd11::1 $((2 << 20)) "GRO, TCP, IPv6 in IPv6" cut
gro=off
hse ethtool -K e2m0 gro off
hse ethtool -K e2m1 gro off
# Writes of 100 octets, each alone (TCP_NODELAY): each a packet of its
# own, not GSO, its data in TCP's page fragments, which TCP keeps. One
# lost is retransmitted from them: had e2m encrypted them in place, the
# retransmission would carry its ciphertext (which the receiver's e2m
# decrypts to the first encryption's output) under a checksum the stack
# computes anew.
[ $loss = 1 ] && ue tc qdisc change dev veth-ue root netem loss 10%
tcp e2m0 100 2152 192.168.100.1 10000 "TCP, 100-octet writes" - 100
[ $loss = 1 ] && ue tc qdisc del dev veth-ue root

# --- a GSO packet on a flow without a key: its segments wait one by one --------
# The gateway's key is gone; it sends 20 datagrams in one UDP_SEGMENT send.
# Its stage takes 16 segments (its bound), the 4 others are dropped as
# stage-full, each counted; the key bound again sends the 16, in order,
# each with its own COUNT.
echo 20000 > $param/stage_ms
tx=$(stat hse e2m0 200 tx-packets)
count=$(stat hse e2m0 200 tx-count)
dropped=$(devstat hse e2m0 tx_dropped)
keyctl revoke "$khse"
ue $GSO udp-recv --bind 192.168.100.2 --port 6001 --size 100 --count 20 --timeout 60 > /tmp/gso.recv &
wait_for listening ue udp 6001
hse $GSO udp-send --to 192.168.100.2 --port 6001 --size 100 --count 20
wait_for eval '[ "$(stat hse e2m0 200 staged)" = 16 ]'
tap_is "$(stat hse e2m0 200 staged) $(stat hse e2m0 200 tx-staged) $(stat hse e2m0 200 stage-full) $(devstat hse e2m0 tx_dropped)" \
	"16 16 4 $(( dropped + 4 ))" "stage: 16 segments wait, 4 dropped as stage-full (tx_dropped + 4)"
khse=$(keyset 1 "imsi:$IMSI1 kid:1 hse again")
hse "$E2MCTL" key bind e2m0 teid 200 serial "$khse"
tap_ok $? "stage: the same key set bound again"
wait
tap_is "$(cat /tmp/gso.recv)" "16 16" "stage: the 16 arrive, in order, each exactly as sent"
tap_is "$(( $(stat hse e2m0 200 tx-packets) - tx )) $(( $(stat hse e2m0 200 tx-count) - count )) $(stat hse e2m0 200 staged)" \
	"16 16 0" "stage: 16 sent with 16 COUNTs, none left"

# --- the module again, fresh ---------------------------------------------------
# The test key set's COUNTs went up by thousands here.
keyset_fresh_module cleanup

tap_done
