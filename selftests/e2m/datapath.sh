#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The e2m data path between two namespaces joined by veth: a device ("ue",
# role ue) and a gateway ("hse", role hse), each with an e2m device, keys
# added to the user keyring, flows set with e2mctl. Every check is on exact
# packet and counter values. Runs in the test VM with the module loaded.
set -u
cd "$(dirname "$0")/../.."
. selftests/lib/tap.sh

E2MCTL=${E2MCTL:-$PWD/agent/e2mctl}
export E2MCTL
PDU="/usr/bin/python3 selftests/e2m/pdu.py"
K_ENC=000102030405060708090a0b0c0d0e0f
K_INT=f0e0d0c0b0a090807060504030201000

ue() { ip netns exec ue "$@"; }
hse() { ip netns exec hse "$@"; }
# stat NS DEV [TEID] NAME: one counter or field, from e2mctl's text output
# (a flow's line and counters, or the device's own drop counters).
stat() {
	local ns=$1 dev=$2 out
	if [ $# = 4 ]; then
		out=$(ip netns exec "$ns" "$E2MCTL" flow show "$dev" teid "$3")
	else
		out=$(ip netns exec "$ns" "$E2MCTL" show "$dev")
	fi
	awk -v name="${!#}" '{ for (i = 1; i < NF; i++) if ($i == name) { print $(i + 1); exit } }' <<< "$out"
}
# jstat NS DEV [TEID] NAME: the same from the JSON output.
jstat() {
	local ns=$1
	shift
	ip netns exec "$ns" "$E2MCTL" show -j | $PDU stat "$@"
}
keyset() {	# KID DESC -> serial
	"$E2MCTL" keyset add --key-id "$1" --k-enc $K_ENC --k-int $K_INT \
		--keyring @u --desc "$2" | sed -n 's/^serial=//p'
}
bind_both() {	# KID: a key for each side, bound to flows 100 (ue) and 200 (hse)
	local kid=$1
	kue=$(keyset "$kid" "imsi:001010000000001 kid:$kid ue")
	khse=$(keyset "$kid" "imsi:001010000000001 kid:$kid hse")
	ue "$E2MCTL" key bind e2m0 teid 100 serial "$kue" &&
	hse "$E2MCTL" key bind e2m0 teid 200 serial "$khse"
}
use_both() {
	ue "$E2MCTL" key use e2m0 teid 100 key-id "$1" &&
	hse "$E2MCTL" key use e2m0 teid 200 key-id "$1"
}
unbind_both() {
	ue "$E2MCTL" key unbind e2m0 teid 100 key-id "$1" &&
	hse "$E2MCTL" key unbind e2m0 teid 200 key-id "$1"
}
# wait_for CONDITION...: polls for up to 20 s (the VM is slow to start things).
wait_for() {
	local i
	for i in $(seq 200); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}
# monitoring NS: an e2mctl monitor has its generic netlink socket open in NS
# (nothing else in the test namespaces opens one for long); it joins the
# events group right after, so a short sleep more covers that.
monitoring() {
	wait_for eval "ip netns exec $1 awk '\$2 == 16 && \$3 != 0 { f = 1 } END { exit !f }' /proc/net/netlink" &&
		sleep 0.3
}
listening() {	# NS tcp|udp PORT
	ip netns exec "$1" ss -Hln --"$2" "sport = :$3" | grep -q .
}
cleanup() {
	ip netns del ue 2>/dev/null
	ip netns del hse 2>/dev/null
	keyctl clear @u >/dev/null 2>&1
}
trap cleanup EXIT

# --- topology -------------------------------------------------------------
ip netns add ue
ip netns add hse
ip link add veth-ue netns ue type veth peer name veth-hse netns hse
ue ip link set lo up
hse ip link set lo up
ue ip addr add 10.0.0.1/24 dev veth-ue
hse ip addr add 10.0.0.2/24 dev veth-hse
ue ip link set veth-ue up
hse ip link set veth-hse up
for ns in ue hse; do
	ip -n $ns link add e2m0 type e2m
	# No IPv6 link-local address: nothing but the test's own traffic.
	ip -n $ns link set e2m0 addrgenmode none
done
ue "$E2MCTL" set e2m0 role ue
tap_ok $? "e2mctl set role ue"
ue ip addr add 192.168.100.2/32 dev e2m0
hse ip addr add 192.168.100.1/32 dev e2m0
ue ip link set e2m0 up
hse ip link set e2m0 up
ue ip route add 192.168.100.0/24 dev e2m0
hse ip route add 192.168.100.0/24 dev e2m0

ue "$E2MCTL" flow add e2m0 teid 100 remote-teid 200 peer 10.0.0.2 inner 192.168.100.2
tap_ok $? "flow added on the device side"
hse "$E2MCTL" flow add e2m0 teid 200 remote-teid 100 peer 10.0.0.1 inner 192.168.100.2
tap_ok $? "flow added on the gateway side"
bind_both 1
tap_ok $? "e2mkeyset keys (Key ID 1) bound on both sides"

# --- traffic both ways ----------------------------------------------------
ue ping -c 5 -i 0.2 -W 3 -q 192.168.100.1 >/dev/null
tap_ok $? "ping through the tunnel: 5 of 5 answered"
# An ICMP echo of 56 data octets is 84 octets of IPv4.
tap_is "$(stat ue e2m0 100 tx-packets) $(stat ue e2m0 100 tx-bytes)" "5 420" "ue: 5 packets, 420 octets sent"
tap_is "$(stat ue e2m0 100 rx-packets) $(stat ue e2m0 100 rx-bytes)" "5 420" "ue: 5 packets, 420 octets received"
tap_is "$(stat hse e2m0 200 rx-packets) $(stat hse e2m0 200 rx-bytes)" "5 420" "hse: 5 packets, 420 octets received"
tap_is "$(stat hse e2m0 200 tx-packets) $(stat hse e2m0 200 tx-bytes)" "5 420" "hse: 5 packets, 420 octets sent"
devstat() {	# NS DEV: the device's own packet and octet counters
	ip netns exec "$1" sh -c "cd /sys/class/net/$2/statistics &&
		echo \$(cat tx_packets tx_bytes rx_packets rx_bytes tx_errors rx_errors)"
}
tap_is "$(devstat ue e2m0)" "5 420 5 420 0 0" "ue: the device counted the same, once"
tap_is "$(devstat hse e2m0)" "5 420 5 420 0 0" "hse: the device counted the same, once"
tap_is "$(jstat hse e2m0 200 tx-packets) $(jstat hse e2m0 200 rx-bytes) $(jstat hse e2m0 200 auth)" "5 420 0" \
	"hse: show -j gives the same counters"

# A TCP transfer of 1 MiB: what arrives is what was sent.
hse /usr/bin/python3 -c '
import hashlib, socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("192.168.100.1", 5001)); s.listen(1); s.settimeout(60)
c, _ = s.accept(); h = hashlib.sha256(); n = 0
while True:
    b = c.recv(65536)
    if not b: break
    h.update(b); n += len(b)
print(n, h.hexdigest())' > /tmp/tcp.out &
wait_for listening hse tcp 5001
ue /usr/bin/python3 -c '
import socket
s = socket.create_connection(("192.168.100.1", 5001), timeout=60)
s.sendall(bytes(range(256)) * 4096); s.close()'
wait
want="1048576 $(/usr/bin/python3 -c 'import hashlib; print(hashlib.sha256(bytes(range(256)) * 4096).hexdigest())')"
tap_is "$(cat /tmp/tcp.out)" "$want" "TCP: 1 MiB arrives intact"
tap_is "$(stat ue e2m0 100 tx-packets)" "$(stat hse e2m0 200 rx-packets)" "TCP: every packet the device sent was delivered"
tap_is "$(stat hse e2m0 200 tx-packets)" "$(stat ue e2m0 100 rx-packets)" "TCP: every packet the gateway sent was delivered"

# --- IPv6 outside and inside: a second device pair on port 2153 -------------
ue ip addr add fd00::1/64 dev veth-ue nodad
hse ip addr add fd00::2/64 dev veth-hse nodad
for ns in ue hse; do
	ip -n $ns link add e2m1 type e2m
	ip -n $ns link set e2m1 addrgenmode none
	ip netns exec $ns "$E2MCTL" set e2m1 port 2153
done
ue "$E2MCTL" set e2m1 role ue
ue ip addr add 192.168.110.2/32 dev e2m1
ue ip addr add fd10::2/128 dev e2m1 nodad
hse ip addr add 192.168.110.1/32 dev e2m1
hse ip addr add fd10::1/128 dev e2m1 nodad
ue ip link set e2m1 up
hse ip link set e2m1 up
ue ip route add 192.168.110.0/24 dev e2m1
ue ip route add fd10::/64 dev e2m1
hse ip route add 192.168.110.0/24 dev e2m1
hse ip route add fd10::/64 dev e2m1
ue "$E2MCTL" flow add e2m1 teid 110 remote-teid 210 peer fd00::2 peer-port 2153 \
	inner 192.168.110.2 inner fd10::2
tap_ok $? "IPv6: flow with an IPv6 peer and IPv4 + IPv6 inner addresses"
hse "$E2MCTL" flow add e2m1 teid 210 remote-teid 110 peer fd00::1 peer-port 2153 \
	inner 192.168.110.2 inner fd10::2
k6ue=$(keyset 1 "imsi:001010000000002 kid:1 ue")
k6hse=$(keyset 1 "imsi:001010000000002 kid:1 hse")
ue "$E2MCTL" key bind e2m1 teid 110 serial "$k6ue"
hse "$E2MCTL" key bind e2m1 teid 210 serial "$k6hse"
ue ping -c 3 -i 0.2 -W 3 -q 192.168.110.1 >/dev/null
tap_ok $? "IPv6 outside: IPv4 inside answered 3 of 3"
ue ping -6 -c 3 -i 0.2 -W 3 -q fd10::1 >/dev/null
tap_ok $? "IPv6 outside: IPv6 inside answered 3 of 3"
# 3 x 84 octets of IPv4 and 3 x 104 of IPv6 echo requests.
tap_is "$(stat ue e2m1 110 tx-packets) $(stat ue e2m1 110 tx-bytes)" "6 564" "IPv6: ue sent 6 packets, 564 octets"
tap_is "$(stat hse e2m1 210 rx-packets) $(stat hse e2m1 210 rx-bytes)" "6 564" "IPv6: hse received 6 packets, 564 octets"
tap_is "$(stat ue e2m1 110 rx-packets) $(stat ue e2m1 110 rx-bytes)" "6 564" "IPv6: ue received the 6 replies"

# --- on the wire ----------------------------------------------------------
rm -f /tmp/cap.ready
hse $PDU capture --iface veth-hse --count 1 --timeout 20 --ready /tmp/cap.ready \
	--pcap /tmp/cap.pcap > /tmp/cap &
wait_for test -e /tmp/cap.ready
ue ping -c 1 -W 3 -q 192.168.100.1 >/dev/null
wait
cap=$(head -n 1 /tmp/cap)
opened=$($PDU open --k-enc $K_ENC --k-int $K_INT --direction 0 "$cap")
tap_is "$(echo "$opened" | grep -o 'flags=[0-9a-f]* type=[0-9]* teid=[0-9]* key_id=[0-9]*')" \
	"flags=30 type=255 teid=200 key_id=1" "wire: a GTP-U G-PDU to TEID 200 under Key ID 1"
tap_is "$(echo "$opened" | grep -o 'mac_ok=[01]')" "mac_ok=1" "wire: its MAC-I verifies with e2mctl nia2"
inner=$(echo "$opened" | sed -n 's/.*inner=//p')
tap_is "${inner:0:2}${inner:24:16}${inner:40:2}" "45c0a86402c0a8640108" \
	"wire: e2mctl nea2 decrypts it to the ICMP echo request"
case "$cap" in
*c0a86402c0a86401*|*101112131415161718191a1b*) leak=1 ;;
*) leak=0 ;;
esac
tap_is $leak 0 "wire: neither the inner addresses nor the payload are in clear"
# tshark's own GTP dissector reads the same packet from the capture file.
teid=$(tshark -n -r /tmp/cap.pcap -T fields -e gtp.message -e gtp.teid 2>/dev/null)
tap_is "$teid" "$(printf '0xff\t0x000000c8')" "wire: tshark decodes a GTP-U G-PDU (type 255) with TEID 200"

# --- tampering and replay -------------------------------------------------
rx=$(stat hse e2m0 200 rx-packets)
auth=$(stat hse e2m0 200 auth)
nokey=$(stat hse e2m0 200 no-key)
len=$(( ${#cap} / 2 ))
# Every octet of the protected N-PDU after its first (COUNT, ciphertext,
# MAC-I) flipped: each an authentication failure.
ue $PDU send --to 10.0.0.2 $($PDU flips "$cap" --from 9)
sleep 1
tap_is "$(stat hse e2m0 200 auth)" "$((auth + len - 9))" "tamper: $((len - 9)) flipped packets, $((len - 9)) auth failures"
# Its first octet carries the Key ID: flipped, it names a key that is not there.
ue $PDU send --to 10.0.0.2 "$($PDU flips "$cap" --from 8 | head -n 1)"
sleep 1
tap_is "$(stat hse e2m0 200 no-key)" "$((nokey + 1))" "tamper: a changed Key ID finds no key"
tap_is "$(stat hse e2m0 200 rx-packets)" "$rx" "tamper: nothing was delivered"
replay=$(stat hse e2m0 200 replay)
ue $PDU send --to 10.0.0.2 "$cap"
sleep 1
tap_is "$(stat hse e2m0 200 replay)" "$((replay + 1))" "replay: the captured packet again is dropped as a replay"
tap_is "$(stat hse e2m0 200 rx-packets)" "$rx" "replay: and not delivered"

# --- the replay window, with packets made in userspace ---------------------
# A second device behind the same UE address space: flow 300 on the gateway
# (inner 192.168.100.3), window 64, the same keys. Packets from userspace
# that the kernel accepts prove the two implementations agree.
hse "$E2MCTL" set e2m0 replay-window 64
hse "$E2MCTL" flow add e2m0 teid 300 remote-teid 301 peer 10.0.0.1 inner 192.168.100.3
hse "$E2MCTL" key bind e2m0 teid 300 serial "$khse"
tap_ok $? "flow 300 with a 64-packet replay window"
send_count() {
	ue $PDU send --to 10.0.0.2 "$($PDU craft --teid 300 --key-id 1 --count "$1" \
		--k-enc $K_ENC --k-int $K_INT --direction 0 --src 192.168.100.3 \
		--dst 192.168.100.1 --seq "$1")"
}
for c in 100 90 90 36 37 200 100; do
	send_count $c
done
sleep 1
tap_is "$(stat hse e2m0 300 rx-packets)" 4 "window: COUNT 100, 90 (late), 37, 200 accepted"
tap_is "$(stat hse e2m0 300 replay)" 3 "window: 90 again, 36 (left of 100) and 100 (left of 200) refused"
tap_is "$(stat hse e2m0 300 tx-packets)" 4 "window: the gateway answered the 4 echo requests"
tap_is "$(stat hse e2m0 300 auth)" 0 "window: every userspace-made packet authenticated"

# --- unknown TEID: one notification, not one per packet --------------------
noflow=$(stat hse e2m0 no-flow)
pkt=$($PDU craft --teid 999 --key-id 1 --count 1 --k-enc $K_ENC --k-int $K_INT \
	--direction 0 --src 192.168.100.9 --dst 192.168.100.1)
hse "$E2MCTL" monitor --count 3 --timeout 5 > /tmp/events &
monitoring hse
ue $PDU send --to 10.0.0.2 $(for i in $(seq 20); do echo "$pkt"; done)
wait
tap_is "$(stat hse e2m0 no-flow)" "$((noflow + 20))" "unknown TEID: 20 packets dropped as no-flow"
tap_is "$(grep -c 'teid 999 reason unknown-teid' /tmp/events) $(wc -l < /tmp/events)" "1 1" \
	"unknown TEID: exactly one notification"

# --- revoke ---------------------------------------------------------------
ue "$E2MCTL" monitor --count 1 --timeout 10 > /tmp/events &
monitoring ue
keyctl revoke "$kue"
ue ping -c 1 -W 2 -q 192.168.100.1 >/dev/null
tap_is $? 1 "revoke: the device stops sending at the next packet"
wait
tap_is "$(stat ue e2m0 100 dead-key)" 1 "revoke: one packet dropped as dead-key"
tap_is "$(cat /tmp/events)" "event key dev e2m0 ifindex $(ue cat /sys/class/net/e2m0/ifindex) teid 100 key-id 1 serial $kue reason revoked" \
	"revoke: the kernel notified the agent"
unbind_both 1
tap_ok $? "revoke: the dead key is unbound on both sides"

# --- expiry ---------------------------------------------------------------
bind_both 2
ue ping -c 1 -W 3 -q 192.168.100.1 >/dev/null
tap_ok $? "expiry: traffic flows under Key ID 2"
ue "$E2MCTL" monitor --count 1 --timeout 10 > /tmp/events &
monitoring ue
keyctl timeout "$kue" 1
sleep 2
ue ping -c 1 -W 2 -q 192.168.100.1 >/dev/null
tap_is $? 1 "expiry: the device stops sending once the key expired"
wait
tap_is "$(grep -o 'key-id 2 serial [0-9]* reason [a-z-]*' /tmp/events)" "key-id 2 serial $kue reason expired" \
	"expiry: the kernel notified the agent"
unbind_both 2

# --- rekey under continuous traffic ----------------------------------------
bind_both 3
hse /usr/bin/python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("192.168.100.1", 6000))
s.settimeout(8); n = 0
try:
    while n < 600:
        s.recv(2048); n += 1
except socket.timeout:
    pass
print(n)' > /tmp/udp.out &
wait_for listening hse udp 6000
ue /usr/bin/python3 -c '
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(600):
    s.sendto(b"%05d" % i, ("192.168.100.1", 6000)); time.sleep(0.005)' &
sender=$!
sleep 0.5
bind_both 4 && use_both 4 && sleep 0.3 && unbind_both 3
rekeyed=$?
wait $sender
wait
tap_ok $rekeyed "rekey: Key ID 4 bound, used, Key ID 3 dropped while traffic flows"
tap_is "$(cat /tmp/udp.out)" 600 "rekey: all 600 datagrams arrived"
tap_is "$(stat ue e2m0 100 tx-key-id)" 4 "rekey: the device sends under Key ID 4"

# --- COUNT limit -----------------------------------------------------------
ue "$E2MCTL" set e2m0 count-notify 5 count-limit 10
bind_both 5 && use_both 5 && unbind_both 4
ue "$E2MCTL" monitor --count 2 --timeout 20 > /tmp/events &
monitoring ue
ue ping -c 12 -i 0.2 -W 1 -q 192.168.100.1 > /tmp/ping.out
wait
tap_is "$(grep -o '[0-9]* received' /tmp/ping.out)" "10 received" "count limit: 10 packets go out under a limit of 10"
tap_is "$(stat ue e2m0 100 counter-exhausted)" 2 "count limit: then every packet is dropped, never a wrap"
tap_is "$(grep -o 'reason [a-z-]*' /tmp/events | tr '\n' ' ')" "reason count-notify reason count-exhausted " \
	"count limit: notified at the threshold and at the limit, once each"

# --- module unload while traffic runs -------------------------------------
if [ -n "${E2M_KO:-}" ]; then
	ue ping -i 0.01 -q 192.168.100.1 >/dev/null 2>&1 &
	pinger=$!
	ue /usr/bin/python3 -c '
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
end = time.monotonic() + 4
while time.monotonic() < end:
    try:
        s.sendto(b"x" * 1000, ("192.168.100.1", 6001))
    except OSError:
        pass' &
	blaster=$!
	sleep 1
	rmmod e2m
	tap_ok $? "unload: rmmod succeeds while traffic flows"
	kill $pinger 2>/dev/null
	wait $blaster
	wait $pinger 2>/dev/null
	tap_is "$(ip -n ue -o link show type e2m 2>/dev/null | wc -l)" 0 "unload: the devices are gone"
	tap_is "$(grep -cE ' (e2mkeyset|ks_local) ' /proc/keys)" 0 "unload: no e2m key is left"
	selftests/lib/load-module.sh "$E2M_KO"
	tap_ok $? "unload: the module loads again"
fi

tap_done
