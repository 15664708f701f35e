# SPDX-License-Identifier: GPL-2.0
#
# The local link of devrole.sh and devexpiry.sh, sourced after
# prologue.sh and wait.sh: the module loaded, the namespaces "dev" (an
# e2m device in role ue, flow teid 100) and "mt" (role hse, teid 200)
# joined by veth; in mt, a real HSS, BSF (key-lifetime
# DEVLINK_KEY_LIFETIME seconds, default 3600), NAF Key Centre and MT
# e2md; the device e2md's configuration and helpers, not started
# (E2MD is the one that runs in dev).

need_module
. selftests/lib/stage.sh
. selftests/lib/locallink.sh
# The revoked key's next packet is counted as dead-key at once.
stage_off

ICCID=8988211000000000011
DEV=imei:490154203237518

make_tmp shm
drop_namespaces() {
	ip netns del dev 2> /dev/null
	ip netns del mt 2> /dev/null
	keyctl clear @u > /dev/null 2>&1
}
at_exit drop_namespaces
. agent/tests/daemon_lib.sh
E2MD_BIN=$E2MD
for ns in dev mt; do
	printf '#!/bin/sh\nexec ip netns exec %s %q "$@"\n' $ns "$E2MD_BIN" > "$tmp/e2md-in-$ns"
	chmod +x "$tmp/e2md-in-$ns"
done
E2MD=$tmp/e2md-in-mt
wait_long() {	# COMMAND...: wait_for, up to 120 s (TCG is slow)
	local i
	for i in 1 2 3 4 5 6; do
		wait_for "$@" && return 0
	done
	return 1
}
bail() { echo "Bail out! $1 did not start"; sed 's/^/# /' "$tmp/$1.log"; exit 1; }

# --- topology (locallink.sh) -----------------------------------------------
local_link_up
tap_ok $? "the local link's flows: device teid 100 (role ue), MT teid 200 (role hse)"

# --- the network and the MT, in mt ------------------------------------------
pki_ca hss.test bsf.test nafkc.test
store_keys hss bsf nafkc mt dev
cat > "$tmp/hss.yaml" <<EOF
store: { path: $tmp/hss.db, key-file: $tmp/hss.key }
admin: { socket: $tmp/hss.sock }
tls: { certificate: $tmp/hss.test.crt, private-key: $tmp/hss.test.key, ca: $tmp/ca.crt }
roles:
  hss: { listen: "127.0.0.1:0", clients: [bsf.test], sn-clients: [sgw.test] }
EOF
start hss || bail hss
cat > "$tmp/bsf.yaml" <<EOF
store: { path: $tmp/bsf.db, key-file: $tmp/bsf.key }
admin: { socket: $tmp/bsf.sock }
tls: { certificate: $tmp/bsf.test.crt, private-key: $tmp/bsf.test.key, ca: $tmp/ca.crt }
roles:
  bsf:
    name: bsf.test
    ub-listen: "127.0.0.1:0"
    zn-listen: "127.0.0.1:0"
    hss-url: "https://$(ready_value hss hss.zh)"
    key-lifetime: ${DEVLINK_KEY_LIFETIME:-3600}
    nafs: [{ name: nafkc.test }]
EOF
start bsf || bail bsf
cat > "$tmp/nafkc.yaml" <<EOF
store: { path: $tmp/nafkc.db, key-file: $tmp/nafkc.key }
admin: { socket: $tmp/nafkc.sock }
tls: { certificate: $tmp/nafkc.test.crt, private-key: $tmp/nafkc.test.key, ca: $tmp/ca.crt }
roles:
  nafkc:
    name: nafkc.test
    listen: "10.1.0.2:0"
    bsf-url: "https://$(ready_value bsf bsf.zn)"
    key-lifetime: 600
EOF
start nafkc || bail nafkc
cat > "$tmp/mt.yaml" <<EOF
store: { path: $tmp/mt.db, key-file: $tmp/mt.key }
admin: { socket: $tmp/mt.sock }
roles:
  mt:
    listen: "10.1.0.2:0"
    iccid: "$ICCID"
    naf-ids: [nafkc.test]
    bsf-url: "http://$(ready_value bsf bsf.ub)"
    keyring: "@u"
    flows: [{ device-id: "$DEV", device: e2m0, teid: 200, key-id: 1, alg: 2 }]
EOF
mt "$E2MCTL" --socket "$tmp/hss.sock" subscriber add --imsi 001010000000001 \
	--impi user1@home1.net --keys <(printf '%s\n' k=$K1 opc=$OPC1) \
	--uss '[{"naf":"nafkc.test","flags":[1]}]' > /dev/null &&
"$E2MCTL" usim add --store "$tmp/mt.db" --store-key-file "$tmp/mt.key" \
	--iccid $ICCID --imsi 001010000000001 --impi user1@home1.net \
	--keys <(printf '%s\n' k=$K1 opc=$OPC1) > /dev/null
tap_ok $? "a subscriber at the HSS, its USIM in the MT's store"
start mt || bail mt
PSK=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
mt "$E2MCTL" --socket "$tmp/nafkc.sock" device add --device-id $DEV \
	--keys <(echo psk=$PSK) > /dev/null
(umask 077; echo psk=$PSK > "$tmp/dev.psk")

# --- the device role in dev ----------------------------------------------------
cat > "$tmp/devd.yaml" <<EOF
store: { path: $tmp/devd.db, key-file: $tmp/dev.key }
admin: { socket: $tmp/devd.sock }
roles:
  device:
    device-id: "$DEV"
    psk-file: $tmp/dev.psk
    keyring: "@u"
    timeout: 30
    links:
      - mt: "$(ready_value mt mt.local)"
        naf-id: nafkc.test
        key-centre: "$(ready_value nafkc nafkc.devices)"
        flow: { device: e2m0, teid: 100, key-id: 1, alg: 2 }
EOF
devd_counter() {
	"$E2MCTL" --socket "$tmp/devd.sock" status |
		sed -n "s/^role=device .* $1=\([0-9]*\).*/\1/p"
}
devd_serial() {
	"$E2MCTL" local-key list --store "$tmp/devd.db" --store-key-file "$tmp/dev.key" |
		sed -n 's/.* serial=\([0-9]*\) .*/\1/p'
}
E2MD=$tmp/e2md-in-dev
