# SPDX-License-Identifier: GPL-2.0
#
# The two namespaces of the data path suites and benchmarks, and the e2m
# devices between them, sourced from the top of the tree.
#
# veth_pair [--ipv6]: the namespaces "ue" and "hse", lo up in each, joined
# by one veth, both ends up:
#
#	ue veth-ue 10.0.0.1/24 --veth-- 10.0.0.2/24 veth-hse hse
#
# and with --ipv6 fd00::1/64 and fd00::2/64 on the same ends (no DAD).
# Stops at the first ip(8) that fails (its message on stderr) and returns
# non-zero; the caller deletes the namespaces at exit.
veth_pair() {
	ip netns add ue && ip netns add hse &&
	ip link add veth-ue netns ue type veth peer name veth-hse netns hse &&
	ip -n ue link set lo up && ip -n hse link set lo up &&
	ip -n ue addr add 10.0.0.1/24 dev veth-ue &&
	ip -n hse addr add 10.0.0.2/24 dev veth-hse || return 1
	if [ "${1:-}" = --ipv6 ]; then
		ip -n ue addr add fd00::1/64 dev veth-ue nodad &&
		ip -n hse addr add fd00::2/64 dev veth-hse nodad || return 1
	fi
	ip -n ue link set veth-ue up && ip -n hse link set veth-hse up
}

# e2m_pair [--port P] [UE HSE]: on the namespaces of veth_pair (or UE and
# HSE, joined the same way), an e2m device e2m0 in each, without IPv6
# link-local addresses (addrgenmode none), UE's in role ue; 192.168.100.2/32
# on UE's and 192.168.100.1/32 on HSE's, both up, 192.168.100.0/24 routed to
# e2m0 in each; one flow on each for the device's inner address, no keys:
#
#	UE  teid 100 remote-teid 200 peer 10.0.0.2 inner 192.168.100.2
#	HSE teid 200 remote-teid 100 peer 10.0.0.1 inner 192.168.100.2
#
# With --port P both devices take GTP-U port P and both flows send to
# peer-port P (instead of 2152). Needs $E2MCTL (prologue.sh) and no suite
# helpers: ip -n, and e2mctl's own -n (no process per ip netns exec). Stops
# at the first ip(8) or e2mctl that fails (its message on stderr) and
# returns non-zero; the caller deletes the namespaces at exit.
e2m_pair() {
	local ue=ue hse=hse ns port=() peer_port=()

	if [ "${1:-}" = --port ]; then
		port=(port "$2")
		peer_port=(peer-port "$2")
		shift 2
	fi
	if [ $# = 2 ]; then
		ue=$1
		hse=$2
	fi
	for ns in "$ue" "$hse"; do
		ip -n "$ns" link add e2m0 type e2m &&
		ip -n "$ns" link set e2m0 addrgenmode none || return 1
	done
	"$E2MCTL" -n "$ue" set e2m0 role ue "${port[@]}" || return 1
	if [ ${#port[@]} != 0 ]; then
		"$E2MCTL" -n "$hse" set e2m0 "${port[@]}" || return 1
	fi
	ip -n "$ue" addr add 192.168.100.2/32 dev e2m0 &&
	ip -n "$hse" addr add 192.168.100.1/32 dev e2m0 &&
	ip -n "$ue" link set e2m0 up &&
	ip -n "$hse" link set e2m0 up &&
	ip -n "$ue" route add 192.168.100.0/24 dev e2m0 &&
	ip -n "$hse" route add 192.168.100.0/24 dev e2m0 &&
	"$E2MCTL" -n "$ue" flow add e2m0 teid 100 remote-teid 200 \
		peer 10.0.0.2 "${peer_port[@]}" inner 192.168.100.2 &&
	"$E2MCTL" -n "$hse" flow add e2m0 teid 200 remote-teid 100 \
		peer 10.0.0.1 "${peer_port[@]}" inner 192.168.100.2
}

# hse_gateway: the namespaces of veth_pair and, in "hse", e2m0 (the
# device's first role, hse) up without link-local addresses, for the
# HSE's suites and benchmarks; at exit both namespaces go, and the keys of
# root's user keyring (the HSE's "e2m-hse"). Needs prologue.sh's at_exit.
hse_gateway() {
	at_exit hse_gateway_drop
	veth_pair &&
	ip -n hse link add e2m0 type e2m &&
	ip -n hse link set e2m0 addrgenmode none &&
	ip -n hse link set e2m0 up
}

hse_gateway_drop() {
	ip netns del ue 2> /dev/null
	ip netns del hse 2> /dev/null
	keyctl clear @u > /dev/null 2>&1
}

# e2md_in NS: $E2MD becomes a script in $tmp that runs e2md in the
# namespace NS (daemon_lib.sh's start() runs "$E2MD"); the program itself
# stays in $E2MD_BIN. Its pid is e2md's (exec).
e2md_in() {
	E2MD_BIN=$E2MD
	E2MD=$tmp/e2md-in-$1
	printf '#!/bin/sh\nexec ip netns exec %q %q "$@"\n' "$1" "$E2MD_BIN" \
		> "$E2MD" && chmod +x "$E2MD"
}
