#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# e2md on several workers (daemon/workers.h), run for real: an HSS e2md
# with workers: 2 on loopback, BEST AV requests from eight clients at
# once, each request on a connection of its own (tests/pg_load.py
# --fresh) so that the kernel hands them to both processes of the shared
# listener, for a few subscribers. Then:
#
#   the configuration's workers refused with exact errors (0, negative,
#   not a number, too many; a role or setting that cannot run on several
#   workers) by e2md --check-config;
#   two processes, the second a child of the first, both serving: each
#   worker's counters (status's "workers") above 0, their sums exact in
#   the role's counters, every request answered 200, no SQN twice for a
#   subscriber (from the AUTN and Milenage's AK); then Zh vectors for one
#   IMPI from eight clients, the same again;
#   SIGHUP reloads both processes; a changed workers is refused;
#   a worker killed -9: the first logs worker-died and stops the whole
#   e2md, exit status 1, no process left; started again, every vector's
#   SQN is above every one answered before;
#   the first killed -9: its worker stops by itself;
#   SIGTERM: both stop, exit status 0, no sanitizer report in the log;
#   no workers key: a process a CPU, and a reload that brings a setting
#   that needs one process (hse-clients) refused.
# Prints TAP.
#
#   tests/workers_test.sh [E2MCTL [E2MD]]
#
# Needs root (the admin socket takes uid 0 only), openssl, python3.
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../selftests/lib/prologue.sh"
E2MCTL=${1:-$E2MCTL}
E2MD=${2:-$E2MD}

need_root "the admin socket needs root"
need_tools openssl python3

make_tmp shm
. "$here/daemon_lib.sh"

pki_ca hss.test sgw.test bsf.test
store_keys hss

SUBSCRIBERS=4
REQUESTS=${E2M_WORKERS_REQUESTS:-200}
imsi() { printf '0010100002%05d' $1; }

# --- the configuration ------------------------------------------------------

hss_yaml() {	# NAME WORKERS-LINE [EXTRA HSS LINE]
	cat > "$tmp/$1.yaml" <<-EOF2
	$(config_base hss hss.test)
	$2
	log: { level: info }
	roles:
	  hss:
	    listen: "127.0.0.1:0"
	    clients: [bsf.test]
	    sn-clients: [sgw.test]
	    ${3:-prov-clients: []}
	    e2m: { window: 600, algorithm: aes }
	EOF2
}

check_config() {	# NAME: $check_out, $check_status
	check_out=$("$E2MD" --check-config -c "$tmp/$1.yaml" 2>&1)
	check_status=$?
}

for bad in 0 -1 abc 65 '"2"'; do
	hss_yaml bad "workers: $bad"
	check_config bad
	word=${bad//\"/}
	tap_is "$check_status $check_out" \
		"1 $tmp/bad.yaml:4: workers: must be an integer from 1 to 64, not '$word'" \
		"- workers: $bad refused by --check-config"
done
hss_yaml bad "workers: 2" "hse-clients: [bsf.test]"
check_config bad
tap_is "$check_status $check_out" \
	"1 $tmp/bad.yaml:4: workers: 2: role hss runs on one worker only (hse-clients pull key sets from the window of the process that made them); use workers: 1" \
	"- workers: 2 refused for an HSS whose HSEs pull key sets (the window is one process's)"
hss_yaml bad "workers: 2
metrics: { listen: \"127.0.0.1:0\" }"
check_config bad
tap_is "$check_status $check_out" \
	"1 $tmp/bad.yaml:4: workers: 2: metrics.listen would count one worker's requests only; use workers: 1" \
	"- workers: 2 refused with metrics"
cat > "$tmp/bad.yaml" <<-EOF2
$(config_base bsf bsf.test)
workers: 3
roles:
  bsf:
    ub-listen: "127.0.0.1:0"
    zn-listen: "127.0.0.1:0"
    hss: "https://127.0.0.1:1"
    naf-clients: [sgw.test]
EOF2
check_config bad
tap_is "$(grep -c "^$tmp/bad.yaml:4: workers: 3: role bsf runs on one worker only (its state between requests is in one process's memory); use workers: 1\$" <<< "$check_out") $check_status" \
	"1 1" "- workers: 3 refused for a BSF (its challenges are in memory)" \
	"$check_out"
hss_yaml hss "workers: 2"
check_config hss
tap_is "$check_status $check_out" "0 " "- workers: 2 for an HSS passes --check-config"

# --- two workers --------------------------------------------------------------

children() {	# PID: its children's pids
	ps -o pid= --ppid "$1" | tr -d ' '
}

if ! start hss; then
	echo "Bail out! the HSS did not start"
	sed 's/^/# /' "$tmp/hss.log"
	exit 1
fi
HSS=$(ready_value hss hss.zh)
first=${pid[hss]}
worker=$(children $first)
tap_is "$(wc -w <<< "$worker") $(grep -c 'event=worker-ready' "$tmp/hss.log")" \
	"1 1" "- workers: 2 is the first process and one worker, its child, ready before the ready file"

added=0 args=()
for i in $(seq 0 $((SUBSCRIBERS - 1))); do
	ctl --socket "$tmp/run/hss.sock" subscriber add --imsi $(imsi $i) \
		--impi w$i@home1.net --keys <(printf '%s\n' k=$K1 opc=$OPC1)
	[ $status = 0 ] && added=$((added + 1))
	args+=(--imsi $(imsi $i))
done
tap_is "$added" "$SUBSCRIBERS" "- $SUBSCRIBERS subscribers added at the first's admin socket"

load() {	# OUT REQUESTS: pg_load.py at the HSS, one connection a request
	python3 "$here/pg_load.py" --hss "$HSS" --hss "$HSS" --fresh \
		--ca "$tmp/ca.crt" --cert "$tmp/sgw.test.crt" \
		--key "$tmp/sgw.test.key" --k $K1 --opc $OPC1 "${args[@]}" \
		--requests $2 --threads 8 --out "$tmp/$1.sqn" \
		> "$tmp/$1.out" 2>&1
}
value() { sed -n "s/^$1=//p" "$tmp/$2.out"; }

load one $REQUESTS
tap_is "$(value answered one) $(value given_up one)" "$REQUESTS 0" \
	"- $REQUESTS AV requests from 8 clients at once: every one answered 200"
tap_is "$(awk '{print $2, $3}' "$tmp/one.sqn" | sort | uniq -d | wc -l) $(wc -l < "$tmp/one.sqn")" \
	"0 $REQUESTS" "- no SQN twice for a subscriber across both workers"

# The status, as JSON: the sums and each worker's own counters.
"$E2MCTL" --socket "$tmp/run/hss.sock" status --json > "$tmp/status.json"
python3 - "$tmp/status.json" > "$tmp/status.txt" <<-'EOF2'
import json, sys
s = json.load(open(sys.argv[1]))
hss = [r for r in s["roles"] if r["name"] == "hss"][0]["counters"]
print("sum", hss["requests"], hss["best-vectors"], hss["av-refused"])
for w in s["workers"]:
    c = [r for r in w["roles"] if r["name"] == "hss"][0]["counters"]
    print("worker", w["worker"], w["pid"], c["requests"], c["best-vectors"])
EOF2
read -r _ sum_requests sum_vectors sum_refused < <(grep '^sum' "$tmp/status.txt")
tap_is "$sum_requests $sum_vectors $sum_refused" "$REQUESTS $REQUESTS 0" \
	"- status sums the workers' counters exactly: requests, best-vectors, av-refused" \
	"$(cat "$tmp/status.json")"
w0=$(awk '$1 == "worker" && $2 == 0 {print $3, $5}' "$tmp/status.txt")
w1=$(awk '$1 == "worker" && $2 == 1 {print $3, $5}' "$tmp/status.txt")
result $(( ${w0#* } > 0 && ${w1#* } > 0 && ${w0#* } + ${w1#* } == REQUESTS )) \
	"both workers served: worker 0 (pid ${w0% *}) ${w0#* } vectors, worker 1 (pid ${w1% *}) ${w1#* }" \
	"$(cat "$tmp/status.txt")"
tap_is "${w0% *} ${w1% *}" "$first $worker" \
	"- status names each worker by its pid: the first, then its child"
"$E2MCTL" --socket "$tmp/run/hss.sock" status > "$tmp/status.plain"
tap_is "$(grep -c "^worker=1 pid=$worker role=hss " "$tmp/status.plain")" 1 \
	"- e2mctl status prints a line per worker and role" "$(cat "$tmp/status.plain")"

# Zh, as the BSFs ask: 100 vectors for one IMPI from 8 clients, each
# request on a connection of its own (tests/gba_peer.py zh-loop).
ZH=100
python3 "$here/gba_peer.py" zh-loop --addr "$HSS" --impi w0@home1.net \
	--count $ZH --parallel 8 --cert "$tmp/bsf.test.crt" \
	--key "$tmp/bsf.test.key" --ca "$tmp/ca.crt" --max-seconds 120 \
	--out "$tmp/zh.vectors" > "$tmp/zh.out" 2>&1
python3 "$here/gba_peer.py" sqn --k $K1 --opc $OPC1 < "$tmp/zh.vectors" \
	> "$tmp/zh.sqns"
# w0's SQNs over BEST and Zh together: none twice.
{ cat "$tmp/zh.sqns"; awk -v i=$(imsi 0) '$2 == i {print $3}' "$tmp/one.sqn"; } |
	sort | uniq -d > "$tmp/zh.twice"
tap_is "$(cat "$tmp/zh.out") $(wc -l < "$tmp/zh.sqns") $(wc -l < "$tmp/zh.twice")" \
	"attempts=$ZH ok=$ZH errors=0 $ZH 0" \
	"- Zh: $ZH vectors for one IMPI from 8 clients, no SQN twice with its BEST ones"
"$E2MCTL" --socket "$tmp/run/hss.sock" status --json > "$tmp/status.json"
python3 - "$tmp/status.json" > "$tmp/zh.txt" <<-'EOF2'
import json, sys
s = json.load(open(sys.argv[1]))
hss = [r for r in s["roles"] if r["name"] == "hss"][0]["counters"]
each = [[r for r in w["roles"] if r["name"] == "hss"][0]["counters"]
        for w in s["workers"]]
print(hss["requests"], hss["vectors-issued"],
      sum(c["vectors-issued"] for c in each),
      min(c["vectors-issued"] for c in each) > 0)
EOF2
tap_is "$(cat "$tmp/zh.txt")" "$((REQUESTS + ZH)) $ZH $ZH True" \
	"- status: requests and vectors-issued summed exactly, Zh served by both workers"

# --- SIGHUP ---------------------------------------------------------------------

sed -i 's/level: info/level: debug/' "$tmp/hss.yaml"
kill -HUP $first
tap_ok "$(wait_log hss 'event=reloaded' 2; echo $?)" \
	"SIGHUP: the first and its worker each reload"
sed -i 's/^workers: 2/workers: 3/' "$tmp/hss.yaml"
kill -HUP $first
wait_log hss 'workers changed: restart e2md' 2
tap_ok $? "SIGHUP with workers changed: both refuse it, restart needed"
sed -i 's/^workers: 3/workers: 2/' "$tmp/hss.yaml"

# --- a worker killed -9 -----------------------------------------------------------

# BEFORE AFTER: the subscribers whose every SQN in AFTER is above every
# one in BEFORE (pg_load.py's "INSTANCE IMSI SQN" lines, SQN in hex).
sqns_above() {
	python3 - "$1" "$2" <<-'EOF2'
	import sys
	def sqns(path):
	    by = {}
	    for line in open(path):
	        _, imsi, sqn = line.split()
	        by.setdefault(imsi, []).append(int(sqn, 16))
	    return by
	before, after = sqns(sys.argv[1]), sqns(sys.argv[2])
	print(sum(1 for i in after if min(after[i]) > max(before.get(i, [0]))))
	EOF2
}
kill -9 $worker
wait ${pid[hss]}
first_status=$?
pid[hss]=
tap_is "$first_status $(grep -c "event=worker-died worker=1 pid=$worker signal=Killed" "$tmp/hss.log") $(children $first | wc -w) $([ -e "$tmp/hss.ready" ]; echo $?)" \
	"1 1 0 1" \
	"- a worker killed -9: the first logs worker-died and stops the whole e2md (exit 1, no process left, no ready file)" \
	"$(tail -n 8 "$tmp/hss.log")"

start hss
HSS=$(ready_value hss hss.zh)
first=${pid[hss]}
worker=$(children $first)
load two 40
tap_is "$(value answered two) $(wc -w <<< "$worker")" "40 1" \
	"- started again with its two workers: 40 AV requests answered"
tap_is "$(sqns_above "$tmp/one.sqn" "$tmp/two.sqn")" "$SUBSCRIBERS" \
	"- after the restart every subscriber's SQNs are above every one answered before"

# --- the first killed -9 ----------------------------------------------------------

{ kill -9 $first; wait ${pid[hss]}; } 2> /dev/null
pid[hss]=
gone=0
for i in $(seq 200); do
	kill -0 $worker 2> /dev/null || { gone=1; break; }
	sleep 0.05
done
result $gone "the first killed -9: its worker stops by itself"
rm -f "$tmp/hss.ready"

# --- SIGTERM ------------------------------------------------------------------------

start hss
first=${pid[hss]}
worker=$(children $first)
stop hss
got="$stop_status $(kill -0 $worker 2> /dev/null; echo $?) $(grep -c "event=worker-stopped worker=1 pid=$worker status=0" "$tmp/hss.log")"
result $([ "$got" = "0 1 1" ]; echo $((! $?))) \
	"SIGTERM: the first stops its worker and both exit 0" \
	"got $got" "$(tail -n 8 "$tmp/hss.log")"

# Each process's ASan/UBSan reports go to the log (a check-asan run).
tap_is "$(grep -c 'Sanitizer\|runtime error' "$tmp/hss.log")" 0 \
	"- log: no sanitizer report from the first or its workers"

# --- the default: the CPUs ------------------------------------------------------

cpus=$(nproc)
[ $cpus -gt 64 ] && cpus=64
hss_yaml hss ""
if [ $cpus -lt 2 ]; then
	tap_skip "the default, one worker a CPU" "one CPU here"
	tap_skip "the default under a reload" "one CPU here"
elif start hss; then
	first=${pid[hss]}
	tap_is "$((1 + $(children $first | wc -w)))" "$cpus" \
		"- no workers key: one process a CPU ($cpus)"
	# hse-clients would need one process (the window is one's): a
	# reload may not bring them under several.
	hss_yaml hss "" "hse-clients: [bsf.test]"
	kill -HUP $first
	# (two such lines already, from the explicit change above)
	wait_log hss 'workers changed: restart e2md' $((2 + cpus))
	tap_ok $? "SIGHUP bringing hse-clients under the default's workers: refused, restart needed"
	stop hss
else
	result 0 "no workers key: e2md starts" "$(tail -n 5 "$tmp/hss.log")"
fi

tap_done
