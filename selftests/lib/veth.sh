# SPDX-License-Identifier: GPL-2.0
#
# The two namespaces of the data path suites and benchmarks, sourced from
# the top of the tree.
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
