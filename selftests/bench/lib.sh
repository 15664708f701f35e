# SPDX-License-Identifier: GPL-2.0
#
# The data path benchmarks' set-up and measurements, sourced by
# datapath.sh, rps.sh and ab.sh after selftests/lib/prologue.sh, from the
# top of the tree: the namespaces "ue" and "hse" over one veth (veth_pair,
# selftests/lib/veth.sh), e2m (e2m_pair there), xfrm and gtp.c between
# them, the debug module's raw crypto rate, and one iperf3 UDP run.

. selftests/lib/keyset.sh
. selftests/lib/veth.sh

ue() { ip netns exec ue "$@"; }
hse() { ip netns exec hse "$@"; }

setup_e2m() {
	local kue khse
	# gtp.c takes port 2152 in both namespaces: e2m runs on 2153 here.
	e2m_pair --port 2153 || return 1
	kue=$(keyset 1 "bench ue")
	khse=$(keyset 1 "bench hse")
	ue "$E2MCTL" key bind e2m0 teid 100 serial "$kue"
	hse "$E2MCTL" key bind e2m0 teid 200 serial "$khse"
}

# ESP tunnel between 10.0.0.1 and 10.0.0.2 for 192.168.200.2 <-> .1.
setup_xfrm() {
	local enc=0x${K_ENC}00000001
	local auth=0x$K_INT
	ue ip addr add 192.168.200.2/32 dev lo
	hse ip addr add 192.168.200.1/32 dev lo
	ue ip route add 192.168.200.1/32 via 10.0.0.2 src 192.168.200.2
	hse ip route add 192.168.200.2/32 via 10.0.0.1 src 192.168.200.1
	for ns in ue hse; do
		ip -n $ns xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x100 \
			mode tunnel enc 'rfc3686(ctr(aes))' $enc auth-trunc 'cmac(aes)' $auth 96
		ip -n $ns xfrm state add src 10.0.0.2 dst 10.0.0.1 proto esp spi 0x200 \
			mode tunnel enc 'rfc3686(ctr(aes))' $enc auth-trunc 'cmac(aes)' $auth 96
	done
	ue ip xfrm policy add src 192.168.200.2 dst 192.168.200.1 dir out \
		tmpl src 10.0.0.1 dst 10.0.0.2 proto esp mode tunnel
	ue ip xfrm policy add src 192.168.200.1 dst 192.168.200.2 dir in \
		tmpl src 10.0.0.2 dst 10.0.0.1 proto esp mode tunnel
	hse ip xfrm policy add src 192.168.200.2 dst 192.168.200.1 dir in \
		tmpl src 10.0.0.1 dst 10.0.0.2 proto esp mode tunnel
	hse ip xfrm policy add src 192.168.200.1 dst 192.168.200.2 dir out \
		tmpl src 10.0.0.2 dst 10.0.0.1 proto esp mode tunnel
}

# gtp.c between the same two hosts for 192.168.150.2 (the device) and .1.
setup_gtp() {
	modprobe gtp || return 1
	ue ip link add gtp0 type gtp role sgsn
	hse ip link add gtp0 type gtp role ggsn
	ue ip addr add 192.168.150.2/32 dev gtp0
	hse ip addr add 192.168.150.1/32 dev gtp0
	ue ip link set gtp0 up
	hse ip link set gtp0 up
	ue ip route add 192.168.150.1/32 dev gtp0 src 192.168.150.2
	hse ip route add 192.168.150.2/32 dev gtp0
	ue "$GTP_PDP" gtp0 10.0.0.2 192.168.150.2 300 400 &&
	hse "$GTP_PDP" gtp0 10.0.0.1 192.168.150.2 400 300
}

# setup_paths RELEASE-KO: the module loaded and every path of the bench
# up (veth, e2m, xfrm, gtp.c); fails only where gtp.c cannot be set up.
setup_paths() {
	selftests/lib/load-module.sh "$1"
	veth_pair
	setup_e2m
	setup_xfrm
	setup_gtp
}

# crypto_rate DEBUG-KO [NAME]: the raw crypto rate, from the debug
# module's self-test, as "NAME SIZE pps mbit" lines (NAME: crypto). Any
# module that prints "crypto rate: N octet packets: P packets/s" at load
# with crypto_rate=1 will do.
crypto_rate() {
	local debug_ko=$1 name=${2:-crypto} size
	dmesg -C
	selftests/lib/load-module.sh "$debug_ko" crypto_rate=1 || return 1
	# By the module's own name: the file may be called anything.
	rmmod "$(modinfo -F name "$debug_ko")"
	for size in 64 1400; do
		dmesg | sed -n "s/.*crypto rate: $((size + 28)) octet packets: \([0-9]*\) .*/\1/p" |
			awk -v s=$size -v n="$name" \
			'{ printf "%s %d %s %.2f\n", n, s, $1, $1 * s * 8 / 1e6 }'
	done
}

# crypto_rate_sync NAME: the same, through the synchronous transforms
# (modules that measure those), from the dmesg crypto_rate left.
crypto_rate_sync() {
	local name=$1 size
	for size in 64 1400; do
		dmesg | sed -n "s/.*crypto rate (sync): $((size + 28)) octet packets: \([0-9]*\) .*/\1/p" |
			awk -v s=$size -v n="$name" \
			'{ printf "%s %d %s %.2f\n", n, s, $1, $1 * s * 8 / 1e6 }'
	done
}

# remove_e2m: the e2m devices of setup_e2m go (the module may then go).
remove_e2m() {
	ip -n ue link del e2m0
	ip -n hse link del e2m0
}

# Where the two ends run: unpinned, unless rps_split set them apart.
CPU_UE=()
CPU_HSE=()

# rps_split on|off: "on" gives each end a vCPU of its own, as two hosts
# would have: the sender (iperf3 client, its transmit path and crypto) on
# CPU 0, and through RPS on the receiving veth the receiver's whole path
# (outer UDP, decapsulation and decryption, the inner packet, the iperf3
# server) on CPU 1. Without it, veth's netif_rx() is processed in the
# sender's softirq, so one CPU pays both ends. The same for every path.
rps_split() {
	local mask=0
	CPU_UE=()
	CPU_HSE=()
	if [ "$1" = on ]; then
		mask=2
		CPU_UE=(taskset -c 0)
		CPU_HSE=(taskset -c 1)
	fi
	hse sh -c "echo $mask > /sys/class/net/veth-hse/queues/rx-0/rps_cpus"
}

# cpu_times: "cpuN BUSY IDLE" a vCPU, in ticks, from /proc/stat.
cpu_times() {
	awk '/^cpu[0-9]/ { print $1, $2 + $3 + $4 + $7 + $8 + $9, $5 + $6 }' \
		/proc/stat
}

# cpu_busy BEFORE AFTER: "cpu0 N% cpu1 N% ..." between two cpu_times.
cpu_busy() {
	paste <(echo "$1") <(echo "$2") | awk '{
		busy = $5 - $2; idle = $6 - $3
		printf "%s %.0f%% ", $1, busy + idle ? 100 * busy / (busy + idle) : 0
	}'
}

# run NAME SERVER-ADDRESS SIZE: prints "NAME SIZE pps mbit"; with
# BENCH_CPU_FILE set, appends "NAME SIZE cpu0 N% cpu1 N%..." to it: each
# vCPU's busy share while the client ran.
run() {
	local name=$1 addr=$2 size=$3 json before
	hse "${CPU_HSE[@]}" iperf3 -s -1 -B "$addr" >/dev/null 2>&1 &
	sleep 1
	before=$(cpu_times)
	json=$(ue "${CPU_UE[@]}" iperf3 -c "$addr" -u -b 0 -l "$size" \
		-t "$SECONDS_PER_RUN" -J 2>/dev/null)
	[ -z "${BENCH_CPU_FILE:-}" ] ||
		echo "$name $size $(cpu_busy "$before" "$(cpu_times)")" \
			>> "$BENCH_CPU_FILE"
	wait
	/usr/bin/python3 -c '
import json, sys
name, size, doc = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])
s = doc["end"]["sum"]
delivered = s["packets"] - s["lost_packets"]
pps = delivered / s["seconds"]
print("%s %d %.0f %.2f" % (name, size, pps, pps * size * 8 / 1e6))
' "$name" "$size" "$json"
}

