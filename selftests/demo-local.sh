#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo, act 2: local key establishment (TS 33.259 4.5.2, seeds 000
# and 001; Documentation/local-key-establishment.md) as a transcript, in
# the test VM after act 1 (selftests/demo.sh runs it). Three parties in
# three network namespaces:
#
#	dev 10.1.0.1 --veth-- 10.1.0.2 mt 10.2.0.2 --veth-- 10.2.0.1 net
#
#   dev  a remote device without a UICC: `e2mctl local-key establish`,
#        its device PSK, e2m0 in role ue (flow teid 100)
#   mt   the UICC hosting device: e2md role mt (a software USIM), the
#        local interface, e2m0 in role hse (flow teid 200); it routes
#   net  the home network: HSS, BSF and NAF Key Centre (e2md roles)
#
# Shown: each party's log lines for steps 1-18, both ends' Ks_local in the
# kernel keyring (described, never readable), the local link protected
# both ways (the wire and the counters), the optimised procedure (no new
# GBA run), then the bootstrap's lifetime running out: the kernel stops
# the link at the key's expiry, and the device establishes again (a full
# procedure, a new B-TID) with COUNT carried on.
set -euo pipefail
cd "$(dirname "$0")/.."
. selftests/lib/prologue.sh
. selftests/lib/wait.sh
make_tmp shm
. agent/tests/daemon_lib.sh

# The bootstrap's (and so every Ks_local's) lifetime, seconds: short, so
# that the demo sees it end, yet over the MT's floor for a new key (60 s,
# MT_LIFETIME_MIN) long enough for the optimised run to come first.
LOCALNET_LIFETIME=${DEMO_KEY_LIFETIME:-90}
LOCALNET_SHOW=1

say() { printf '\n== %s\n' "$*"; }
run() { printf '%s$ %s\n' "${PROMPT:-}" "$*"; "$@"; }
indent() { sed 's/^/  /'; }
flow() {	# NS TEID: the flow's counters and key slots
	echo "$1$ e2mctl flow show e2m0 teid $2"
	ip netns exec "$1" "$E2MCTL" flow show e2m0 teid "$2" | indent
}
establish() {	# [ARG...]: the device's run, its output and each party's log
	local n out
	for n in hss bsf nafkc mt; do
		mark $n
	done
	out=$(localnet_establish "$@") || { localnet_logs | indent; return 1; }
	indent <<< "$out"
	echo "  What each party did (their logs; no key is ever logged):"
	{
		since mt 'role=mt' | sed 's/^/mt: /'
		since bsf 'event=(challenge|bootstrap)' | sed 's/^/bsf: /'
		since hss 'event=av-issued' | sed 's/^/hss: /'
		since nafkc 'event=(ks-local|naf-key)' | sed 's/^/nafkc: /'
	} | indent
}

say "Load the e2m module into Debian's $(uname -r) kernel"
dmesg_from=$(dmesg | wc -l)
grep -q "^e2m " /proc/modules ||
	selftests/lib/load-module.sh "build/kmod/$E2M_KVER/e2m.ko"
. selftests/lib/localnet.sh

say "The parties: remote device (netns dev), its MT (netns mt), home network (netns net)"
localnet_up
cat <<EOF
  dev  10.1.0.1       remote device, device PSK, e2m0 (role ue) 192.168.200.2, flow teid 100
  mt   10.1.0.2       UICC hosting device: USIM (TS 35.208 test set 1), local interface,
       10.2.0.2       e2m0 (role hse) 192.168.200.1, flow teid 200; routes dev <-> net
  net  10.2.0.1       HSS/AuC, BSF (bootstrap lifetime ${LOCALNET_LIFETIME} s), NAF Key Centre nafkc.test
  The local link: 192.168.200.2 <-> .1 over GTP-U, protected by Ks_local.
EOF

say "Step 0 set-up: the subscriber (its GUSS lets nafkc.test issue Ks_local), the USIM, the device's PSK"
localnet_start
for n in hss bsf nafkc mt; do
	grep -h 'event=ready' "$tmp/$n.log" | sed "s/^e2md\[[0-9]*\]: /  $n: /"
done

say "Steps 1-18: the device asks its MT for a B-TID, the MT bootstraps (GBA over Ub), the device gets Ks_local from the Key Centre over PSK-TLS"
establish

say "Seed 001 8.1: asked again under the same bootstrap: the optimised procedure (no GBA run), the same key kept"
establish --renew
echo "  GBA runs at the BSF meanwhile: $(since bsf 'event=bootstrap ' | wc -l)"

say "Both ends' Ks_local in the kernel keyring (the device's and the MT's): described, never readable"
run keyctl show @u | indent
run grep ks_local /proc/keys | indent
serial=$(dev "$E2MCTL" local-key list --store "$tmp/dev.db" --store-key-file "$tmp/dev.key" |
	sed -n 's/.* serial=\([0-9]*\) .*/\1/p' | tail -1)
echo "\$ keyctl print $serial"
keyctl print "$serial" 2>&1 | indent || true

say "The device pings its MT over the local link: protected both ways"
PROMPT="dev " run dev ping -c 3 -i 0.3 192.168.200.1

say "On the wire: GTP-U to the MT's TEID 200, the packet encrypted (128-NEA2) and MACed (128-NIA2)"
rm -f "$tmp/cap.ready"
mt /usr/bin/python3 selftests/e2m/pdu.py capture --iface veth-mt --count 1 \
	--timeout 20 --ready "$tmp/cap.ready" --pcap "$tmp/local.pcap" > /dev/null &
while [ ! -e "$tmp/cap.ready" ]; do sleep 0.1; done
dev ping -c 1 -q 192.168.200.1 > /dev/null
wait $!
echo "  (tshark: source, destination, GTP message type, TEID, UDP length, the T-PDU: e2m header, ciphertext, MAC-I)"
tshark -r "$tmp/local.pcap" -n -T fields -e ip.src -e ip.dst -e gtp.message \
	-e gtp.teid -e udp.length -e gtp.tpdu_data -e data 2> /dev/null | indent

say "Counters, as the MT sees its end of the link"
flow mt 200

say "The bootstrap's lifetime runs out: the kernel stops the link at the key's expiry"
expires=$(dev "$E2MCTL" flow show e2m0 teid 100 -j | /usr/bin/python3 -S -c '
import json, sys
f = json.load(sys.stdin)
print([s for s in f["slots"] if s["key-id"] == f["tx-key-id"]][0]["expires"])')
echo "  (waiting $(( expires - $(date +%s) + 1 )) s for the keys to expire)"
while [ "$(date +%s)" -le "$expires" ]; do sleep 1; done
PROMPT="dev " run dev ping -c 1 -W 5 192.168.200.1 || true
echo "  The kernel found the key expired: the packet waited for a new one (tx-staged),"
echo "  then was dropped when none came in time (stage-expired); nothing left unprotected."
run grep ks_local /proc/keys | indent
flow dev 100

say "Step 1 again: the device establishes anew (a full procedure: a new GBA run, a new B-TID), bound in place, COUNT carried on"
establish --renew
PROMPT="dev " run dev ping -c 3 -i 0.3 192.168.200.1
flow dev 100

say "Stop the daemons: keys and flows go with the namespaces, nothing is left behind"
for n in mt nafkc bsf hss; do
	stop $n
	grep -h 'event=stopped' "$tmp/$n.log" | sed "s/^e2md\[[0-9]*\]: /  $n: /"
done
localnet_teardown
run rmmod e2m
dmesg | tail -n +"$((dmesg_from + 1))" | grep -E 'e2m (unloaded)|e2m: leak' |
	sed 's/^\[[ 0-9.]*\] /  kernel: /'
