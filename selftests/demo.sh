#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: builds e2m, boots the test VM (Debian's 6.1 kernel under qemu)
# and shows e2m at work, as a transcript: keys derived from an AKA run,
# installed in the kernel keyring (listed, never readable), a device and a
# gateway exchanging protected N-PDUs in GTP-U, the counters, what is on the
# wire, and a revoked key stopping the flow.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${E2M_VM:-}" != 1 ]; then
	kver=${KVER:-6.1}
	make -s module KVER="$kver" agent >/dev/null
	exec selftests/vm/run.sh --kver "$kver" -- selftests/demo.sh
fi

E2MCTL=$PWD/agent/e2mctl
ue() { ip netns exec ue "$@"; }
hse() { ip netns exec hse "$@"; }
say() { printf '\n== %s\n' "$*"; }
run() { printf '%s$ %s\n' "${PROMPT:-}" "$*"; "$@"; }

say "Load the e2m module into Debian's $(uname -r) kernel"
selftests/lib/load-module.sh "build/kmod/$E2M_KVER/e2m.ko"
dmesg | grep -E 'e2m: (self-tests|e2m [0-9])' | sed 's/^\[[ 0-9.]*\] /  kernel: /'

say "AKA (Milenage, TS 35.208 test set 1): the USIM and the HSS both get CK, IK"
aka=$("$E2MCTL" milenage --k 465b5ce8b199b49faa5f0a2ee238a6bc \
	--opc cd63cb71954a9f4e48a5994e37a02baf --rand 23553cbe9637a89d218ae64dae47bf35 \
	--sqn ff9bb4d0b607 --amf b9b9)
ck=$(sed -n 's/^ck=//p' <<< "$aka")
ik=$(sed -n 's/^ik=//p' <<< "$aka")
echo "  RAND 23553cbe9637a89d218ae64dae47bf35, AUTN $(sed -n 's/^autn=//p' <<< "$aka")"
echo "  (CK and IK are not shown)"

say "Both derive the e2mKEYSET (e2m profile: K_e2m from CK||IK and RAND, then K_enc, K_int for NEA2/NIA2)"
keys=$("$E2MCTL" e2m-keyset --ck "$ck" --ik "$ik" --rand 23553cbe9637a89d218ae64dae47bf35 --alg 2)
k_enc=$(sed -n 's/^k_enc=//p' <<< "$keys")
k_int=$(sed -n 's/^k_int=//p' <<< "$keys")
unset aka ck ik keys
echo "  (the keys go straight into the kernel keyring; they are not shown)"

say "Two hosts: the device (netns ue, 10.0.0.1) and the gateway (netns hse, 10.0.0.2)"
ip netns add ue
ip netns add hse
ip link add veth-ue netns ue type veth peer name veth-hse netns hse
ue ip addr add 10.0.0.1/24 dev veth-ue
hse ip addr add 10.0.0.2/24 dev veth-hse
ue ip link set veth-ue up
hse ip link set veth-hse up
for ns in ue hse; do
	ip -n $ns link set lo up
	ip -n $ns link add e2m0 type e2m
	ip -n $ns link set e2m0 addrgenmode none
done
ue "$E2MCTL" set e2m0 role ue
ue ip addr add 192.168.100.2/32 dev e2m0
hse ip addr add 192.168.100.1/32 dev e2m0
ue ip link set e2m0 up
hse ip link set e2m0 up
ue ip route add 192.168.100.0/24 dev e2m0
hse ip route add 192.168.100.0/24 dev e2m0

say "Each installs its e2mKEYSET as a kernel key (Key ID 1)"
kue=$("$E2MCTL" keyset add --key-id 1 --k-enc "$k_enc" --k-int "$k_int" --keyring @u \
	--desc "imsi:001010123456789 kid:1 device" | sed -n 's/^serial=//p')
khse=$("$E2MCTL" keyset add --key-id 1 --k-enc "$k_enc" --k-int "$k_int" --keyring @u \
	--desc "imsi:001010123456789 kid:1 gateway" | sed -n 's/^serial=//p')
unset k_enc k_int
run keyctl show @u
run grep e2mkeyset /proc/keys
echo "$ keyctl print $khse"
keyctl print "$khse" 2>&1 | sed 's/^/  /' || true

say "Flows: the device's PDP context, TEIDs 100 (device) and 200 (gateway)"
PROMPT="ue " run ue "$E2MCTL" flow add e2m0 teid 100 remote-teid 200 peer 10.0.0.2 inner 192.168.100.2
PROMPT="ue " run ue "$E2MCTL" key bind e2m0 teid 100 serial "$kue"
PROMPT="hse " run hse "$E2MCTL" flow add e2m0 teid 200 remote-teid 100 peer 10.0.0.1 inner 192.168.100.2
PROMPT="hse " run hse "$E2MCTL" key bind e2m0 teid 200 serial "$khse"

say "The device pings a host behind the gateway, through e2m"
PROMPT="ue " run ue ping -c 3 -i 0.3 192.168.100.1

say "On the wire: GTP-U to TEID 200, the N-PDU encrypted and MACed"
rm -f /tmp/demo-cap.ready
hse /usr/bin/python3 selftests/e2m/pdu.py capture --iface veth-hse --count 1 \
	--timeout 20 --ready /tmp/demo-cap.ready --pcap /tmp/demo.pcap >/dev/null &
while [ ! -e /tmp/demo-cap.ready ]; do sleep 0.1; done
ue ping -c 1 -q 192.168.100.1 >/dev/null
wait
echo "  (tshark: source, destination, GTP message type, TEID, UDP length, payload)"
tshark -r /tmp/demo.pcap -n -T fields -e ip.src -e ip.dst -e gtp.message \
	-e gtp.teid -e udp.length -e data 2>/dev/null | sed 's/^/  /'

say "Counters, as the gateway sees them"
PROMPT="hse " run hse "$E2MCTL" show e2m0

say "The device's key is revoked: the flow stops at the next packet, and the agent hears of it"
ue "$E2MCTL" monitor --count 1 --timeout 10 | sed 's/^/  /' &
sleep 1
run keyctl revoke "$kue"
PROMPT="ue " run ue ping -c 1 -W 2 192.168.100.1 || true
wait
run grep "imsi:001010123456789 kid:1 device" /proc/keys

say "Unload: devices, flows and keys go, nothing is left behind"
ip netns del ue
ip netns del hse
run rmmod e2m
dmesg | grep -E 'e2m (unloaded)|e2m: leak' | sed 's/^\[[ 0-9.]*\] /  kernel: /'
echo
echo "demo done"
