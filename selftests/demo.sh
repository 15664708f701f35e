#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: builds e2m, boots the test VM (Debian's 6.1 kernel under qemu)
# and runs BEST, the HSE pull of TR 33.863 6.1.2.3 (Documentation/best.md),
# as a transcript: the HSS, the SGW/P-GW and the HSE as e2md daemons, a
# device with a software USIM attaching with `e2mctl attach`, the gateway
# pulling the e2mKEYSET into its kernel keyring (listed, never readable),
# protected N-PDUs in GTP-U both ways, what is on the wire, the counters,
# a flushed key pulled again on demand, and a rekey by a second AKA run.
# Act 2, in the same VM: local key establishment (selftests/demo-local.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${E2M_VM:-}" != 1 ]; then
	kver=${KVER:-6.1}
	make -s module KVER="$kver" agent >/dev/null
	exec selftests/vm/run.sh --kver "$kver" -- selftests/demo.sh
fi

. selftests/lib/prologue.sh
. selftests/lib/best-env.sh
say() { printf '\n== %s\n' "$*"; }
run() { printf '%s$ %s\n' "${PROMPT:-}" "$*"; "$@"; }
# events NAME PATTERN: what a daemon logged, without the "e2md[pid]: " prefix
events() {
	grep -E -- "$2" "$tmp/$1.log" | sed "s/^e2md\[[0-9]*\]: /  $1: /" || true
}

say "Load the e2m module into Debian's $(uname -r) kernel"
selftests/lib/load-module.sh "build/kmod/$E2M_KVER/e2m.ko"
dmesg | grep -E 'e2m: (self-tests|e2m [0-9])' | sed 's/^\[[ 0-9.]*\] /  kernel: /'

say "The parties: device (netns ue), gateway (netns hse), core network (netns core)"
best_setup
cat <<EOF
  device  10.0.0.1   USIM (TS 35.208 test set 1), e2m0 in role ue
  gateway 10.0.0.2   HSE: e2md role hse, e2m0 in role hse, routes to 10.99.0.0/24
          10.0.1.2
  core    10.0.1.1   HSS/AuC and SGSN/MME + P-GW: e2md roles hss and sgw
          10.99.0.1  a host behind the gateway
  Between network elements: HTTPS with mutual TLS (certificates from a test CA).
EOF

say "Step 0 set-up: the HSS has the subscriber, marked for e2m"
best_start core hss
PROMPT="core " run hssctl subscriber add --imsi $BEST_IMSI --impi $BEST_IMPI \
	--keys <(printf '%s\n' k="$BEST_K" opc="$BEST_OPC") --e2m | sed 's/^/  /'
best_start core sgw
best_start hse hse
uectl usim add --iccid $BEST_ICCID --imsi $BEST_IMSI --impi $BEST_IMPI \
	--keys <(printf '%s\n' k="$BEST_K" opc="$BEST_OPC") >/dev/null
BEST_UE_RING=$(keyctl newring e2m-ue @u)
events hss 'event=ready'
events sgw 'event=ready'
events hse 'event=ready'

say "Steps 1-9: the device attaches (AKA, PDP context with the PCO, triplet, pull, install)"
echo "ue$ e2mctl attach --iccid $BEST_ICCID --sgw http://10.0.1.1:8080 --dev e2m0 --address 10.0.0.1 --teid $BEST_UE_TEID"
best_attach
sed 's/^/  /' <<< "$out"
[ "$status" = 0 ] || { cat "$tmp/attach.err"; exit 1; }
hse_teid=$(field hse_teid "$out")
best_device_up "$(field inner_ipv4 "$out")"
echo
echo "  What each party did (their logs; no key is ever logged):"
events hss 'event=(av-issued|keyset-pulled)'
events sgw 'event=(attach|challenge|attached|triplet)'
events hse 'event=(triplet|keyset-pulled|flow-created|installed)'

say "The gateway's keyring: the key set by IMSI, KSI and TEID, never its bytes"
run keyctl show %:e2m-hse | sed 's/^/  /'
run grep e2mkeyset /proc/keys | sed 's/^/  /'
serial=$(keyctl search %:e2m-hse e2mkeyset \
	"$(printf 'imsi:%s ksi:0 teid:%08x' $BEST_IMSI "$hse_teid")")
echo "$ keyctl print $serial"
keyctl print "$serial" 2>&1 | sed 's/^/  /' || true

say "The device pings the host behind the gateway: protected both ways"
PROMPT="ue " run ue ping -c 3 -i 0.3 10.99.0.1

say "On the wire: GTP-U to the gateway's TEID, the N-PDU encrypted and MACed"
rm -f "$tmp/cap.ready"
hse /usr/bin/python3 selftests/e2m/pdu.py capture --iface veth-hse --count 1 \
	--timeout 20 --ready "$tmp/cap.ready" --pcap "$tmp/demo.pcap" >/dev/null &
while [ ! -e "$tmp/cap.ready" ]; do sleep 0.1; done
ue ping -c 1 -q 10.99.0.1 >/dev/null
wait $!
echo "  (tshark: source, destination, GTP message type, TEID, UDP length, payload)"
tshark -r "$tmp/demo.pcap" -n -T fields -e ip.src -e ip.dst -e gtp.message \
	-e gtp.teid -e udp.length -e data 2>/dev/null | sed 's/^/  /'

say "Counters, as the gateway sees the flow"
PROMPT="hse " run hse "$E2MCTL" flow show e2m0 teid "$hse_teid" | sed 's/^/  /'

say "The gateway flushes its key; the device's next packet makes the HSE pull it again, and waits"
run keyctl revoke "$serial"
PROMPT="ue " run ue ping -c 3 -i 0.5 -W 5 10.99.0.1 || true
wait_for grep -q "event=key-rebound" "$tmp/hse.log" || true
events hse 'event=(keyset-pulled .*for=event|key-rebound|aka-needed)'
PROMPT="ue " run ue ping -c 2 -i 0.3 10.99.0.1

say "Rekey: a second AKA run (Update PDP context), the new Key ID used at once"
best_attach
sed 's/^/  /' <<< "$out"
PROMPT="ue " run ue ping -c 2 -i 0.3 10.99.0.1
PROMPT="hse " run hse "$E2MCTL" flow show e2m0 teid "$hse_teid" | sed 's/^/  /'

say "Stop the daemons, unload: devices, flows and keys go, nothing is left behind"
for name in hse sgw hss; do
	best_stop $name
done
events hse 'event=stopped'
ip netns del ue
ip netns del hse
ip netns del core
keyctl unlink %keyring:e2m-hse @u >/dev/null 2>&1 || true
keyctl unlink %keyring:e2m-ue @u >/dev/null 2>&1 || true
run rmmod e2m
dmesg | grep -E 'e2m (unloaded)|e2m: leak' | sed 's/^\[[ 0-9.]*\] /  kernel: /'

printf '\n\n#### Act 2: local key establishment (TS 33.259 4.5.2)\n'
selftests/demo-local.sh
echo
echo "demo done"
