# SPDX-License-Identifier: GPL-2.0
#
# The local link of the Ks_local suites (kslink.sh, material.sh; and
# localnet.sh, which adds the home network's namespace for its suite and
# devlink.sh's), sourced after prologue.sh: namespaces "dev" (the remote
# device) and "mt" (its MT) joined by veth (10.1.0.1, 10.1.0.2), an e2m
# device in each (role ue in dev, DIRECTION 0; role hse in mt) with
# 192.168.200.2 and .1, and one flow each way: teid 100 in dev, 200 in
# mt. dev and mt run a command in their namespace; stat and slot read a
# flow's counters and key slots, fields several of them at once.

dev() { in_ns dev "$@"; }
mt() { in_ns mt "$@"; }
stat() {	# NS TEID NAME: a counter or field of the flow, from e2mctl's text
	word_after "$3" "$(in_ns "$1" "$E2MCTL" flow show e2m0 teid "$2")"
}
# slot NS TEID KID FIELD: a field of a key slot, "none" without it; as
# `flow show -j` gives it: tx-pending True or False, expires in seconds
# since the epoch or null (from the JSON, the text has a date).
slot() {
	local v
	if [ "$4" = expires ]; then
		in_ns "$1" "$E2MCTL" flow show e2m0 teid "$2" -j | /usr/bin/python3 -S -c '
import json, sys
kid, field = int(sys.argv[1]), sys.argv[2]
s = [s for s in json.load(sys.stdin)["slots"] if s["key-id"] == kid]
v = s[0][field] if s else "none"
print("null" if v is None else v)' "$3" "$4"
		return
	fi
	v=$(slot_word "$3" "$4" "$(in_ns "$1" "$E2MCTL" flow show e2m0 teid "$2")")
	case "$4:$v" in
	tx-pending:yes) v=True ;;
	tx-pending:no) v=False ;;
	esac
	echo "$v"
}
fields() {	# NS TEID NAME...: several at once, one e2mctl and one python
	# (each costs a fraction of a second under TCG): a counter
	# (tx-packets), tx-key-id, or KID:FIELD of a key slot (1:tx-count,
	# "none" without that slot), space-separated in the order asked
	in_ns "$1" "$E2MCTL" flow show e2m0 teid "$2" -j | /usr/bin/python3 -S -c '
import json, sys
f = json.load(sys.stdin)
out = []
for name in sys.argv[1:]:
	if ":" in name:
		kid, field = name.split(":")
		s = [s for s in f["slots"] if s["key-id"] == int(kid)]
		v = s[0][field] if s else "none"
	elif name in f["stats"]:
		v = f["stats"][name]
	else:
		v = f[name]
	out.append("null" if v is None else str(v))
print(" ".join(out))' "${@:3}"
}

# local_link_up: the namespaces, devices and flows above; the status of
# the last flow add.
local_link_up() {
	ip netns add dev
	ip netns add mt
	ip link add veth-dev netns dev type veth peer name veth-mt netns mt
	for ns in dev mt; do
		ip -n $ns link set lo up
		ip -n $ns link add e2m0 type e2m
		ip -n $ns link set e2m0 addrgenmode none
	done
	dev ip addr add 10.1.0.1/24 dev veth-dev
	mt ip addr add 10.1.0.2/24 dev veth-mt
	dev ip link set veth-dev up
	mt ip link set veth-mt up
	dev "$E2MCTL" dev set e2m0 role ue
	dev ip addr add 192.168.200.2/32 dev e2m0
	mt ip addr add 192.168.200.1/32 dev e2m0
	for ns in dev mt; do
		ip -n $ns link set e2m0 up
		ip -n $ns route add 192.168.200.0/24 dev e2m0
	done
	dev "$E2MCTL" flow add e2m0 teid 100 remote-teid 200 peer 10.1.0.2 inner 192.168.200.2 &&
	mt "$E2MCTL" flow add e2m0 teid 200 remote-teid 100 peer 10.1.0.1 inner 192.168.200.2
}
