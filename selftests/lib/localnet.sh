# SPDX-License-Identifier: GPL-2.0
#
# Local key establishment's three parties in three network namespaces,
# for the demo's second act (selftests/demo-local.sh), its VM suite
# (selftests/e2m/localnet.sh) and the device role's suites
# (selftests/lib/devlink.sh: devrole.sh, devexpiry.sh, devswitch.sh).
# Sourced from the top of the tree after selftests/lib/prologue.sh,
# wait.sh, make_tmp and agent/tests/daemon_lib.sh, with the module loaded:
#
#	dev 10.1.0.1 --veth-- 10.1.0.2 mt 10.2.0.2 --veth-- 10.2.0.1 net
#
#   dev  a remote device (no UICC): `e2mctl local-key establish` with its
#        device PSK; e2m0 in role ue, 192.168.200.2, flow teid 100
#   mt   the UICC hosting device: e2md role mt (a software USIM, TS 35.208
#        test set 1) on 10.1.0.2, e2m0 in role hse, 192.168.200.1, flow
#        teid 200 bound by the role; it routes between dev and net
#   net  the home network: e2md roles hss, bsf (bootstraps of
#        LOCALNET_LIFETIME seconds, default 3600) and nafkc (nafkc.test)
#
# localnet_up builds the namespaces, localnet_start the daemons (admin
# sockets $tmp/run/NAME.sock; e2md_in NS names an e2md that runs in NS)
# and their data (the subscriber, whose GUSS lets nafkc.test issue
# Ks_local; the USIM in the MT's store; the device's PSK at the Key
# Centre). With
# LOCALNET_SHOW=1 the set-up shows the commands an operator would type.
# At exit the namespaces go and @u is cleared.

. selftests/lib/locallink.sh

LOCALNET_ICCID=8988211000000000011
LOCALNET_IMSI=001010000000001
LOCALNET_IMPI=user1@home1.net
LOCALNET_DEV=imei:490154203237518

net() { in_ns net "$@"; }

localnet_teardown() {
	local ns
	for ns in dev mt net; do
		ip netns del $ns 2> /dev/null || true
	done
	keyctl clear @u > /dev/null 2>&1 || true
}
at_exit localnet_teardown

shown() {	# TEXT: what the set-up does, as an operator would type it
	[ "${LOCALNET_SHOW:-0}" = 1 ] && echo "$*"
	return 0
}

localnet_up() {
	local_link_up > /dev/null &&
	ip netns add net &&
	ip -n net link set lo up &&
	ip link add veth-mtn netns mt type veth peer name veth-net netns net &&
	mt ip addr add 10.2.0.2/24 dev veth-mtn &&
	net ip addr add 10.2.0.1/24 dev veth-net &&
	mt ip link set veth-mtn up &&
	net ip link set veth-net up &&
	mt sysctl -qw net.ipv4.ip_forward=1 &&
	dev ip route add 10.2.0.0/24 via 10.1.0.2 &&
	net ip route add 10.1.0.0/24 via 10.2.0.2
}

# The e2md binary itself, before a caller names a wrapper as its E2MD.
LOCALNET_E2MD=$E2MD
e2md_in() {	# NS: the path of an e2md that runs in NS (made once)
	if [ ! -x "$tmp/e2md-in-$1" ]; then
		printf '#!/bin/sh\nexec ip netns exec %s %q "$@"\n' "$1" \
			"$LOCALNET_E2MD" > "$tmp/e2md-in-$1"
		chmod +x "$tmp/e2md-in-$1"
	fi
	echo "$tmp/e2md-in-$1"
}

start_in() {	# NS NAME: e2md -c NAME.yaml in NS, waits for its ready file
	E2MD=$(e2md_in "$1") start "$2" && return 0
	echo "$2 did not start:"
	sed 's/^/  /' "$tmp/$2.log"
	return 1
}

localnet_start() {
	pki_ca hss.test bsf.test nafkc.test
	store_keys hss bsf nafkc mt dev
	mkdir -m 700 "$tmp/run"
	{ config_base hss hss.test; cat <<EOF
roles:
  hss: { listen: "127.0.0.1:0", clients: [bsf.test], sn-clients: [sgw.test] }
EOF
	} > "$tmp/hss.yaml"
	start_in net hss || return 1
	{ config_base bsf bsf.test; cat <<EOF
roles:
  bsf:
    name: bsf.test
    ub-listen: "10.2.0.1:0"
    zn-listen: "127.0.0.1:0"
    hss-url: "https://$(ready_value hss hss.zh)"
    key-lifetime: ${LOCALNET_LIFETIME:-3600}
    nafs: [{ name: nafkc.test }]
EOF
	} > "$tmp/bsf.yaml"
	start_in net bsf || return 1
	{ config_base nafkc nafkc.test; cat <<EOF
roles:
  nafkc:
    name: nafkc.test
    listen: "10.2.0.1:0"
    bsf-url: "https://$(ready_value bsf bsf.zn)"
    key-lifetime: 600
EOF
	} > "$tmp/nafkc.yaml"
	start_in net nafkc || return 1
	localnet_data || return 1
	{ config_base mt; cat <<EOF
roles:
  mt:
    listen: "10.1.0.2:0"
    iccid: "$LOCALNET_ICCID"
    naf-ids: [nafkc.test]
    bsf-url: "http://$(ready_value bsf bsf.ub)"
    keyring: "@u"
    flows: [{ device-id: "$LOCALNET_DEV", device: e2m0, teid: 200, key-id: 1, alg: 2 }]
EOF
	} > "$tmp/mt.yaml"
	start_in mt mt || return 1
	LOCALNET_MT=$(ready_value mt mt.local)
	LOCALNET_KC=$(ready_value nafkc nafkc.devices)
}

# The subscriber at the HSS, its USIM in the MT's store, the device's PSK
# in its file and at the Key Centre.
localnet_data() {
	local psk uss='[{"naf":"nafkc.test","flags":[1]}]'

	shown "net$ e2mctl subscriber add --imsi $LOCALNET_IMSI --impi $LOCALNET_IMPI --keys FILE --uss '$uss'"
	net "$E2MCTL" --socket "$tmp/run/hss.sock" subscriber add \
		--imsi $LOCALNET_IMSI --impi $LOCALNET_IMPI --uss "$uss" \
		--keys <(printf '%s\n' k="$K1" opc="$OPC1") > /dev/null || return 1
	shown "mt$ e2mctl usim add --iccid $LOCALNET_ICCID --imsi $LOCALNET_IMSI --impi $LOCALNET_IMPI --keys FILE"
	"$E2MCTL" usim add --store "$tmp/mt.db" --store-key-file "$tmp/mt.key" \
		--iccid $LOCALNET_ICCID --imsi $LOCALNET_IMSI --impi $LOCALNET_IMPI \
		--keys <(printf '%s\n' k="$K1" opc="$OPC1") > /dev/null || return 1
	psk=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
	(umask 077; echo "psk=$psk" > "$tmp/dev.psk")
	shown "net$ e2mctl device add --device-id $LOCALNET_DEV --keys dev.psk     (at the Key Centre)"
	net "$E2MCTL" --socket "$tmp/run/nafkc.sock" device add \
		--device-id $LOCALNET_DEV --keys "$tmp/dev.psk" > /dev/null
}

# localnet_establish [ARG...]: the device's run of the procedure (TS 33.259
# 4.5.2) with its flow bound (teid 100, Key ID 1), e2mctl's output.
localnet_establish() {
	shown "dev$ e2mctl local-key establish --mt $LOCALNET_MT --device-id $LOCALNET_DEV --naf-id nafkc.test=$LOCALNET_KC --keys dev.psk --flow e2m0:100:1 --alg 2 $*"
	dev "$E2MCTL" local-key establish --mt "$LOCALNET_MT" \
		--device-id "$LOCALNET_DEV" --naf-id "nafkc.test=$LOCALNET_KC" \
		--keys "$tmp/dev.psk" --store "$tmp/dev.db" \
		--store-key-file "$tmp/dev.key" --flow e2m0:100:1 --alg 2 "$@"
}

localnet_logs() {	# the daemons' last lines, for a step that failed
	local n
	for n in hss bsf nafkc mt; do
		echo "--- $n.log"
		tail -15 "$tmp/$n.log"
	done
}

# mark NAME; since NAME PATTERN: NAME's log lines matching PATTERN since
# its mark, without the "e2md[pid]: " prefix.
mark() { wc -l < "$tmp/$1.log" > "$tmp/$1.mark"; }
since() {	# (none matching is no failure, under set -e too)
	tail -n +"$(( $(cat "$tmp/$1.mark") + 1 ))" "$tmp/$1.log" |
		grep -E -- "$2" | sed "s/^e2md\[[0-9]*\]: //" || true
}
