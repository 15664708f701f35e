# SPDX-License-Identifier: GPL-2.0
#
# The local link of devrole.sh, devexpiry.sh and devswitch.sh, sourced
# after prologue.sh and wait.sh: the module loaded and localnet.sh's three
# namespaces, each party on its own stack:
#
#	dev 10.1.0.1 --veth-- 10.1.0.2 mt 10.2.0.2 --veth-- 10.2.0.1 net
#
#   dev  an e2m device in role ue, flow teid 100, where the device e2md
#        (roles.device) runs; its configuration and helpers are set here,
#        the daemon not started (E2MD is the one that runs in dev)
#   mt   the MT e2md (the MT's Ks_local into @u), an e2m device in role
#        hse, flow teid 200 bound by the role; it routes between dev and net
#   net  a real HSS, BSF (key-lifetime DEVLINK_KEY_LIFETIME seconds,
#        default 3600) and NAF Key Centre (nafkc.test)
#
# The daemons' admin sockets are $tmp/run/NAME.sock, the device e2md's
# $tmp/devd.sock.

need_module
. selftests/lib/stage.sh
# The revoked key's next packet is counted as dead-key at once.
stage_off

make_tmp shm
. agent/tests/daemon_lib.sh
LOCALNET_LIFETIME=${DEVLINK_KEY_LIFETIME:-3600}
. selftests/lib/localnet.sh
ICCID=$LOCALNET_ICCID
DEV=$LOCALNET_DEV
wait_long() {	# COMMAND...: wait_for, up to 120 s (TCG is slow)
	local i
	for i in 1 2 3 4 5 6; do
		wait_for "$@" && return 0
	done
	return 1
}
bail() { echo "Bail out! $1 did not start"; sed 's/^/# /' "$tmp/$1.log"; exit 1; }

# --- topology (localnet.sh) -----------------------------------------------------
localnet_up
tap_ok $? "the local link's flows: device teid 100 (role ue), MT teid 200 (role hse)"

# --- the network in net, the MT in mt ------------------------------------------
localnet_start > "$tmp/start.out"
started=$?
tap_ok $started "HSS, BSF and Key Centre in net, the MT in mt; a subscriber at the HSS, its USIM in the MT's store"
[ $started = 0 ] || { echo "Bail out! the network or the MT did not start";
	sed 's/^/# /' "$tmp/start.out"; exit 1; }

# --- the device role in dev ----------------------------------------------------
cat > "$tmp/devd.yaml" <<EOF2
store: { path: $tmp/devd.db, key-file: $tmp/dev.key }
admin: { socket: $tmp/devd.sock }
roles:
  device:
    device-id: "$DEV"
    psk-file: $tmp/dev.psk
    keyring: "@u"
    timeout: 30
    links:
      - mt: "$LOCALNET_MT"
        naf-id: nafkc.test
        key-centre: "$LOCALNET_KC"
        flow: { device: e2m0, teid: 100, key-id: 1, alg: 2 }
EOF2
devd_counter() {
	"$E2MCTL" --socket "$tmp/devd.sock" status |
		sed -n "s/^role=device .* $1=\([0-9]*\).*/\1/p"
}
devd_serial() {
	"$E2MCTL" local-key list --store "$tmp/devd.db" --store-key-file "$tmp/dev.key" |
		sed -n 's/.* serial=\([0-9]*\) .*/\1/p'
}
E2MD=$(e2md_in dev)
