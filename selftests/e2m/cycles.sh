#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Life cycles under traffic, E2M_CYCLES times each (100 by default):
#
#   module cycles  load the module, make a device in two namespaces, a flow
#                  and a key on each, ping through the tunnel, then with a
#                  flood running either delete the devices and unload (even
#                  cycles) or unload with the devices up (odd cycles)
#   device cycles  the module stays loaded: make the devices, flows and keys,
#                  ping, delete the devices under a flood
#
# Each cycle checks exact counters: 3 echo requests answered, 3 packets and
# 252 octets (3 x 84 of IPv4) each way on both flows and both devices. A
# failing cycle prints what it saw; the results count the cycles that
# passed. At each unload the module's object counts must be zero (no
# "e2m: leak" in the kernel log) and it must report its unload. At the end
# no e2m device or key is left, and on a kernel with kmemleak
# (selftests/vm/kmemleak.sh) nothing of e2m's is unreferenced.
#
# Runs in the test VM with the module not loaded; leaves it loaded.
# usage: cycles.sh PATH/TO/e2m.ko
set -u
cd "$(dirname "$0")/../.."
. selftests/lib/prologue.sh
. selftests/lib/keyset.sh
. selftests/lib/wait.sh
. selftests/lib/veth.sh

ko=$1
cycles=${E2M_CYCLES:-100}

ue() { in_ns ue "$@"; }
hse() { in_ns hse "$@"; }

drop_namespaces() {
	ip netns del ue 2>/dev/null
	ip netns del hse 2>/dev/null
	keyctl clear @u >/dev/null 2>&1
}
at_exit drop_namespaces

veth_pair

# problem WHAT: the current cycle failed; says why (first time only).
problem() {
	[ -n "$why" ] || why=$1
}

# make_tunnel N: the devices, flows and keys of cycle N (a new key set each
# time: the kernel refuses to restart COUNT under one already used).
make_tunnel() {
	local n=$1 ns teid kid serial addr
	# One ip(8) a side: each process start costs in the VM.
	for ns in ue hse; do
		[ $ns = ue ] && addr=192.168.100.2 || addr=192.168.100.1
		ip -n $ns -batch - <<-EOB || { problem "$ns: device setup"; return; }
		link add e2m0 type e2m
		link set e2m0 addrgenmode none
		addr add $addr/32 dev e2m0
		link set e2m0 up
		route add 192.168.100.0/24 dev e2m0
		EOB
	done
	ue "$E2MCTL" set e2m0 role ue || problem "ue: set role"
	ue "$E2MCTL" flow add e2m0 teid 100 remote-teid 200 peer 10.0.0.2 \
		inner 192.168.100.2 || problem "ue: flow add"
	hse "$E2MCTL" flow add e2m0 teid 200 remote-teid 100 peer 10.0.0.1 \
		inner 192.168.100.2 || problem "hse: flow add"
	kid=$(( n % 8 ))	# Key IDs are 0..7 (the e2m header has 3 bits)
	for ns in ue hse; do
		serial=$(keyset $kid "imsi:$IMSI1 kid:$kid $ns cycle $n")
		[ -n "$serial" ] || { problem "$ns: keyset add"; return; }
		[ $ns = ue ] && teid=100 || teid=200
		in_ns $ns "$E2MCTL" key bind e2m0 teid $teid serial "$serial" ||
			problem "$ns: key bind"
	done
}

# counters NS TEID: a flow's "tx-packets tx-bytes rx-packets rx-bytes", then
# the device's own "tx rx packets and octets, tx and rx errors".
counters() {
	local out
	out=$(in_ns "$1" "$E2MCTL" flow show e2m0 teid "$2")
	echo "$(word_after tx-packets "$out") $(word_after tx-bytes "$out")" \
		"$(word_after rx-packets "$out") $(word_after rx-bytes "$out")"
	ip netns exec "$1" sh -c 'cd /sys/class/net/e2m0/statistics &&
		echo $(cat tx_packets tx_bytes rx_packets rx_bytes tx_errors rx_errors)'
}

# traffic: 3 echo requests through the tunnel; every counter exact.
traffic() {
	local got
	got=$(ue ping -c 3 -i 0.05 -W 3 -q 192.168.100.1 | grep -o '[0-9]* received')
	[ "$got" = "3 received" ] || problem "ping: '$got', want '3 received'"
	got=$(counters ue 100 | tr '\n' '/')
	[ "$got" = "3 252 3 252/3 252 3 252 0 0/" ] || problem "ue counters: '$got'"
	got=$(counters hse 200 | tr '\n' '/')
	[ "$got" = "3 252 3 252/3 252 3 252 0 0/" ] || problem "hse counters: '$got'"
}

# flood_start / flood_stop: echo requests every 10 ms and UDP datagrams as
# fast as they go, both into the tunnel, while it is taken down.
flood_start() {
	# Not through ue/hse: $! must be the process itself, not a subshell.
	ip netns exec ue ping -i 0.01 -q 192.168.100.1 >/dev/null 2>&1 &
	pid[pinger]=$!
	ip netns exec hse /usr/bin/python3 -S -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
while True:
    try:
        s.sendto(b"x" * 1000, ("192.168.100.2", 6001))
    except OSError:
        pass' &
	pid[blaster]=$!
	sleep 0.3
}
flood_stop() {
	kill "${pid[pinger]}" "${pid[blaster]}" 2>/dev/null
	wait "${pid[pinger]}" "${pid[blaster]}" 2>/dev/null
	unset "pid[pinger]" "pid[blaster]"
}

delete_devices() {
	ip -n ue link del e2m0 || problem "ue: link del"
	ip -n hse link del e2m0 || problem "hse: link del"
}

e2m_devices() {
	echo $(( $(ip -n ue -o link show type e2m | wc -l) +
		 $(ip -n hse -o link show type e2m | wc -l) ))
}
e2m_keys() {
	grep -cE ' (e2mkeyset|ks_local) ' /proc/keys
}
# The kernel log as it comes, into a file: 200 cycles of the debug
# module's messages overrun the kernel's ring buffer.
make_tmp
dmesg -w > "$tmp/kmsg" &
pid[kmsg]=$!
log_count() {	# PATTERN: lines of the kernel log so far that match
	local mark="e2m cycles: mark $RANDOM$RANDOM"
	echo "$mark" > /dev/kmsg
	wait_for grep -qF "$mark" "$tmp/kmsg"
	grep -c "$1" "$tmp/kmsg"
}
unload_log() {	# "UNLOADS LEAKS": the module's unload and leak reports so far
	echo "$(log_count 'e2m unloaded') $(log_count 'e2m: leak')"
}

# --- module cycles ----------------------------------------------------------
leaks0=$(log_count 'e2m: leak')
start=$SECONDS
good=0
for n in $(seq "$cycles"); do
	why=
	read -r unloads leaks <<< "$(unload_log)"
	selftests/lib/load-module.sh "$ko" || problem "load"
	[ -z "$why" ] && make_tunnel "$n"
	[ -z "$why" ] && traffic
	flood_start
	if [ $((n % 2)) = 0 ]; then
		delete_devices
	fi
	keyctl clear @u
	rmmod e2m || problem "rmmod"
	flood_stop
	[ "$(e2m_devices)" = 0 ] || problem "e2m devices left after unload"
	[ "$(e2m_keys)" = 0 ] || problem "e2m keys left after unload"
	[ "$(unload_log)" = "$((unloads + 1)) $leaks" ] ||
		problem "unload: want one 'e2m unloaded' and no 'e2m: leak', log has $(unload_log) after $unloads $leaks"
	if [ -n "$why" ]; then
		echo "# module cycle $n: $why"
		grep -q '^e2m ' /proc/modules && rmmod e2m
	else
		good=$((good + 1))
	fi
done
module_seconds=$((SECONDS - start))
echo "# $cycles module cycles in ${module_seconds}s"
tap_is "$good" "$cycles" "module: $cycles of $cycles load/traffic/unload cycles with exact counters"
tap_is "$(log_count 'e2m: leak')" "$leaks0" "module: no object left at any unload"

# --- device cycles ----------------------------------------------------------
selftests/lib/load-module.sh "$ko"
tap_ok $? "device: the module loads"
start=$SECONDS
good=0
for n in $(seq "$cycles"); do
	why=
	make_tunnel "$n"
	[ -z "$why" ] && traffic
	flood_start
	delete_devices
	flood_stop
	keyctl clear @u
	[ "$(e2m_devices)" = 0 ] || problem "e2m devices left after delete"
	if [ -n "$why" ]; then
		echo "# device cycle $n: $why"
		ip -n ue link del e2m0 2>/dev/null
		ip -n hse link del e2m0 2>/dev/null
	else
		good=$((good + 1))
	fi
done
echo "# $cycles device cycles in $((SECONDS - start))s"
tap_is "$good" "$cycles" "device: $cycles of $cycles create/traffic/delete cycles with exact counters"

# The objects of all those cycles are counted at this unload.
leaks0=$(log_count 'e2m: leak')
rmmod e2m
tap_ok $? "device: the module unloads after the cycles"
tap_is "$(log_count 'e2m: leak')" "$leaks0" "device: no object left at unload"
tap_is "$(e2m_keys)" 0 "device: no e2m key is left"
if [ -w /sys/kernel/debug/kmemleak ]; then
	selftests/vm/kmemleak.sh check
	tap_ok $? "kmemleak: nothing of e2m's is unreferenced"
else
	tap_skip "kmemleak: nothing of e2m's is unreferenced" "no kmemleak in this kernel"
fi
selftests/lib/load-module.sh "$ko"
tap_ok $? "the module loads again"

tap_done
