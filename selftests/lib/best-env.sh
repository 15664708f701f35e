# SPDX-License-Identifier: GPL-2.0
#
# The parties of BEST (Documentation/best.md) in the test VM, for the test
# (selftests/e2m/best.sh) and the demo (selftests/demo.sh); source it from
# the top of the tree, with the module loaded:
#
#   ue    the device: a software USIM, `e2mctl attach`, e2m0 in role ue
#   hse   the gateway host: e2md role hse, e2m0 in role hse, IP forwarding
#   core  e2md roles hss and sgw, and a host behind the gateway (10.99.0.1)
#
#	ue 10.0.0.1 --veth-- 10.0.0.2 hse 10.0.1.2 --veth-- 10.0.1.1 core
#
# The control plane (attach, triplet, pull) is plain IP between them; the
# user plane from the device to 10.99.0.0/24 goes through e2m0 on both
# ends. best_setup builds it all; best_start_daemons starts HSS, SGW and
# HSE. Everything lives in $tmp; the daemons are in pid (both of
# selftests/lib/prologue.sh, sourced first), and at exit the namespaces
# and keyrings go too (best_teardown).

. selftests/lib/wait.sh
. selftests/lib/pki.sh
. selftests/lib/veth.sh

BEST_IMSI=$IMSI1
BEST_IMPI=$BEST_IMSI@ims.mnc001.mcc001.3gppnetwork.org
BEST_ICCID=8944000000000000001
# TS 35.208 test set 1
BEST_K=$K1
BEST_OPC=$OPC1
BEST_UE_TEID=1001
BEST_WINDOW=${BEST_WINDOW:-120}
BEST_HSE_LOG=${BEST_HSE_LOG:-info}

make_tmp

ue() { in_ns ue "$@"; }
hse() { in_ns hse "$@"; }
core() { in_ns core "$@"; }
hssctl() { "$E2MCTL" --socket "$tmp/run/hss.sock" "$@"; }
sgwctl() { "$E2MCTL" --socket "$tmp/run/sgw.sock" "$@"; }
hsectl() { "$E2MCTL" --socket "$tmp/run/hse.sock" "$@"; }
uectl() {
	ue "$E2MCTL" "$@" --store "$tmp/ue.db" \
		--store-key-file "$tmp/ue.key"
}

best_teardown() {
	ip netns del ue 2>/dev/null || true
	ip netns del hse 2>/dev/null || true
	ip netns del core 2>/dev/null || true
	keyctl unlink %keyring:e2m-hse @u >/dev/null 2>&1 || true
	keyctl unlink %keyring:e2m-ue @u >/dev/null 2>&1 || true
	# BEST_KEEP_LOGS=DIR: the daemons' logs stay there, for a failed run.
	if [ -n "${BEST_KEEP_LOGS:-}" ]; then
		cp "$tmp"/*.log "$BEST_KEEP_LOGS/" || true
	fi
}
at_exit best_teardown


best_topology() {
	local ns
	veth_pair &&
	ip netns add core &&
	ip -n core link set lo up &&
	ip link add veth-hc netns hse type veth peer name veth-core netns core &&
	hse ip addr add 10.0.1.2/24 dev veth-hc &&
	core ip addr add 10.0.1.1/24 dev veth-core &&
	core ip addr add 10.99.0.1/32 dev lo &&
	hse ip link set veth-hc up &&
	core ip link set veth-core up || return 1
	hse sysctl -qw net.ipv4.ip_forward=1 &&
	ue ip route add 10.0.1.0/24 via 10.0.0.2 &&
	hse ip route add 10.99.0.0/24 via 10.0.1.1 &&
	core ip route add 10.0.0.0/24 via 10.0.1.2 &&
	core ip route add 10.45.0.0/24 via 10.0.1.2 || return 1
	for ns in ue hse; do
		ip -n $ns link add e2m0 type e2m &&
		ip -n $ns link set e2m0 addrgenmode none || return 1
	done
	ue "$E2MCTL" set e2m0 role ue &&
	hse ip addr add 10.45.0.1/32 dev e2m0 &&
	hse ip link set e2m0 up &&
	hse ip route add 10.45.0.0/24 dev e2m0
}

# The CA, each daemon's certificate at its address, the store keys.
best_pki() {
	ca ca && pki hss.test ca 10.0.1.1 && pki sgw.test ca 10.0.1.1 &&
	pki hse.test ca 10.0.1.2 || return 1
	store_keys hss sgw hse ue
	mkdir -m 700 "$tmp/run"
}

best_common_config() {	# NAME CERT LEVEL
	cat <<-EOF
	log:
	  level: $3
	store:
	  path: $tmp/$1.db
	  key-file: $tmp/$1.key
	admin:
	  socket: $tmp/run/$1.sock
	tls:
	  certificate: $tmp/$2.crt
	  private-key: $tmp/$2.key
	  ca: $tmp/ca.crt
	EOF
}

best_configs() {
	{
		best_common_config hss hss.test info
		cat <<-EOF
		roles:
		  hss:
		    listen: "10.0.1.1:8443"
		    clients: [bsf.test]		# required; no BSF here
		    sn-clients: [sgw.test]
		    hse-clients: [hse.test]
		    e2m:
		      window: $BEST_WINDOW
		      algorithm: aes
		EOF
	} > "$tmp/hss.yaml"
	{
		best_common_config sgw sgw.test info
		cat <<-EOF
		roles:
		  sgw:
		    attach-listen: "10.0.1.1:8080"
		    hss-url: "https://10.0.1.1:8443"
		    hse-url: "https://10.0.1.2:8445"
		    aka: umts
		    hse-gtpu:
		      address: 10.0.0.2
		      port: 2152
		    inner-ipv4-pool: 10.45.0.0/24
		EOF
	} > "$tmp/sgw.yaml"
	{
		best_common_config hse hse.test "$BEST_HSE_LOG"
		cat <<-EOF
		roles:
		  hse:
		    triplet-listen: "10.0.1.2:8445"
		    clients: [sgw.test]
		    hss-url: "https://10.0.1.1:8443"
		    device: e2m0
		    key-lifetime: 3600
		EOF
	} > "$tmp/hse.yaml"
}

best_start() {	# NS NAME: e2md -c NAME.yaml in NS, waits for its ready file
	rm -f "$tmp/$2.ready"
	ip netns exec "$1" "$E2MD" -c "$tmp/$2.yaml" \
		--ready-file "$tmp/$2.ready" >>"$tmp/$2.log" 2>&1 &
	pid[$2]=$!
	wait_for test -s "$tmp/$2.ready"
}

best_stop() {	# NAME: SIGTERM, and its exit status
	local status
	kill -TERM "${pid[$1]}" && wait "${pid[$1]}"
	status=$?
	unset "pid[$1]"
	return $status
}

best_setup() {
	best_topology && best_pki && best_configs
}

# The HSS with the subscriber, the SGW, the HSE, and the device's USIM.
best_start_daemons() {
	best_start core hss &&
	hssctl subscriber add --imsi $BEST_IMSI --impi $BEST_IMPI \
		--keys <(printf '%s\n' k=$BEST_K opc=$BEST_OPC) --e2m >/dev/null &&
	best_start core sgw &&
	best_start hse hse &&
	uectl usim add --iccid $BEST_ICCID --imsi $BEST_IMSI \
		--impi $BEST_IMPI --keys <(printf '%s\n' k=$BEST_K opc=$BEST_OPC) >/dev/null &&
	BEST_UE_RING=$(keyctl newring e2m-ue @u)
}

# The device attaches: output in $out, exit status in $status.
best_attach() {
	# status set apart: under set -e (the demo) a failed attach must
	# still reach its caller's check, which shows attach.err.
	status=0
	out=$(uectl attach --iccid $BEST_ICCID --sgw http://10.0.1.1:8080 \
		--dev e2m0 --address 10.0.0.1 --teid $BEST_UE_TEID \
		--keyring "$BEST_UE_RING" 2>"$tmp/attach.err") || status=$?
}

# After the first attach: the device's inner address, up, routes.
best_device_up() {	# INNER
	ue ip addr add "$1/32" dev e2m0 &&
	ue ip link set e2m0 up &&
	ue ip route add 10.99.0.0/24 dev e2m0
}

field() {	# NAME TEXT: the value of NAME= in TEXT
	sed -n "s/^$1=//p" <<< "$2"
}

# flow_stat NS TEID NAME: one counter of a flow of e2m0, from e2mctl's text
flow_stat() {
	word_after "$3" "$(in_ns "$1" "$E2MCTL" flow show e2m0 teid "$2")"
}
