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
#   a BSF e2md with workers: 2 on SQLite (its challenges in the store,
#   shared by both: store.h), the HSS its source: UEs (tests/ub_load.c,
#   16 USIMs, each request on a connection of its own) bootstrap through
#   both workers, every answer 200 with its rspauth checked, none
#   failed or refused (no 503), each B-TID a session, both workers'
#   counters above 0 and summed exactly; then one UE on connections
#   pinned to each worker (gba_peer.py ue-workers): bootstraps back to
#   back whose challenge is made at one worker and answered at the
#   other, each next first request at the worker whose IMPI window the
#   last one opened, all 200 with no 503, the per-worker challenges and
#   bootstraps showing the crossing, and the first answer replayed at
#   both workers: 403 nonce-replayed at each;
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
store_keys hss bsf ue

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
tap_is "$(grep -c "^$tmp/bad.yaml:4: workers: 3: role bsf runs on one worker only" <<< "$check_out") $(grep -c "^$tmp/bad.yaml:.*unknown key 'hss'" <<< "$check_out") $check_status" \
	"0 1 1" "- workers: 3 for a BSF is no refusal (only its unknown keys are)" \
	"$check_out"

bsf_yaml() {	# NAME WORKERS-LINE SOURCE-LINE
	cat > "$tmp/$1.yaml" <<-EOF2
	$(config_base bsf bsf.test)
	$2
	log: { level: info }
	roles:
	  bsf:
	    name: bsf.test
	    ub-listen: "127.0.0.1:0"
	    zn-listen: "127.0.0.1:0"
	    $3
	    nafs:
	      - name: naf1.test
	EOF2
}
bsf_yaml bad "workers: 2" 'hlr: "gsup://127.0.0.1:4222"'
check_config bad
tap_is "$check_status $check_out" \
	"1 $tmp/bad.yaml:4: workers: 2: role bsf runs on one worker only (hlr: the HLR knows the BSF as one GSUP peer (bsf.name), each worker would be another); use workers: 1" \
	"- workers: 2 refused for a BSF whose vectors come from an HLR over GSUP"
bsf_yaml bad "" 'hlr: "gsup://127.0.0.1:4222"'
check_config bad
tap_is "$check_status $check_out" "0 " \
	"- the same BSF without a workers key passes (one worker)"
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

# --- a BSF on two workers --------------------------------------------------------

# Its challenges and the IMPI windows' sessions go through its SQLite
# store, which both workers open (bsf_shared.h); the HSS above is its
# source of vectors.
bsf_yaml bsf "workers: 2" "hss-url: \"https://$HSS\""
if ! start bsf; then
	echo "Bail out! the BSF did not start"
	sed 's/^/# /' "$tmp/bsf.log"
	exit 1
fi
UB=$(ready_value bsf bsf.ub)
bsf_first=${pid[bsf]}
tap_is "$(children $bsf_first | wc -w)" 1 \
	"- the BSF with workers: 2: the first process and one worker"

UES=16 BOOTS=${E2M_WORKERS_BOOTSTRAPS:-200}
iccids=()
for i in $(seq 10 $((10 + UES - 1))); do
	ctl --socket "$tmp/run/hss.sock" subscriber add --imsi $(imsi $i) \
		--impi u$i@home1.net --keys <(printf '%s\n' k=$K1 opc=$OPC1)
	iccid=$(printf '8988211000000000%04d' $i)
	ctl usim add --store "$tmp/ue.db" --store-key-file "$tmp/ue.key" \
		--iccid $iccid --imsi $(imsi $i) --impi u$i@home1.net \
		--keys <(printf '%s\n' k=$K1 opc=$OPC1)
	iccids+=($iccid)
done
LOAD=$(dirname "$E2MCTL")/tests/ub_load
[ -x "$LOAD" ] || LOAD=$here/../build/tests/ub_load
# Each of the UEs' requests on a connection of its own: a challenge made
# at one worker is answered at either, and a UE's next bootstrap starts
# at either, while the last one's IMPI window is open at the other.
"$LOAD" "http://$UB" "$tmp/ue.db" "$tmp/ue.key" $BOOTS "$tmp/boot.out" \
	"${iccids[@]}" > "$tmp/load.out" 2> "$tmp/load.err"
load_status=$?
tap_is "$load_status $(tail -n 1 "$tmp/load.out")" \
	"0 ok=$BOOTS failed=0 resynced=0" \
	"- $BOOTS bootstraps of $UES UEs at once through both BSF workers: every one 200 with its rspauth, none failed or refused (no 503), no AUTS" \
	"$(tail -n 5 "$tmp/load.err")"
"$E2MCTL" --socket "$tmp/run/bsf.sock" session list > "$tmp/sessions.txt"
tap_is "$(sort -u "$tmp/boot.out" | wc -l) $(sort -u "$tmp/boot.out" | grep -cFf - "$tmp/sessions.txt")" \
	"$BOOTS $BOOTS" "- $BOOTS B-TIDs, none twice, each a session in the BSF's store"
bsf_counters() {	# OUT: "sum C B R" and "worker N PID C B R" lines
	"$E2MCTL" --socket "$tmp/run/bsf.sock" status --json > "$tmp/bsf.json"
	python3 - "$tmp/bsf.json" > "$1" <<-'EOF2'
	import json, sys
	s = json.load(open(sys.argv[1]))
	def bsf(roles):
	    c = [r for r in roles if r["name"] == "bsf"][0]["counters"]
	    return "%d %d %d" % (c["challenges"], c["bootstraps"], c["ub-refused"])
	print("sum", bsf(s["roles"]))
	for w in s["workers"]:
	    print("worker", w["worker"], w["pid"], bsf(w["roles"]))
	EOF2
}
bsf_counters "$tmp/bsf0.txt"
# ub_load stops at $BOOTS answered: the bootstraps of UEs then in
# flight may end (a few more) or not (their challenges unanswered).
tap_is "$(awk -v boots=$BOOTS -v ues=$UES '
	$1 == "sum" { c = $2; b = $3; r = $4 }
	$1 == "worker" { wc += $4; wb += $5; wr += $6 }
	END { print (c == wc && b == wb && r == wr), r,
		    (b >= boots && b < boots + ues), (c - b >= 0 && c - b < ues) }' \
	"$tmp/bsf0.txt")" "1 0 1 1" \
	"- BSF status: challenges, bootstraps and ub-refused summed exactly over the workers; none refused, $BOOTS bootstraps and those in flight, a challenge each" \
	"$(cat "$tmp/bsf0.txt")"
tap_is "$(awk '$1 == "worker" && $5 > 0 && $5 < '$BOOTS' {n++} END {print n + 0}' "$tmp/bsf0.txt")" 2 \
	"- both BSF workers made bootstraps" "$(cat "$tmp/bsf0.txt")"

# One UE, its requests on connections pinned to each worker: 3
# bootstraps back to back challenged at worker 0 and answered at worker
# 1 (each next first request at worker 0 finds its IMPI window, opened
# by the last challenge, ended by that challenge's session from worker
# 1), then one the other way; the first answer replayed at both.
python3 "$here/gba_peer.py" ue-workers --addr "$UB" --impi u10@home1.net \
	--k $K1 --opc $OPC1 --rounds 3 \
	--status "'$E2MCTL' --socket '$tmp/run/bsf.sock' status --json" \
	> "$tmp/pinned.out" 2>&1
tap_is "$(cat "$tmp/pinned.out")" "pinned=0,1
across=401-200-ok 401-200-ok 401-200-ok 401-200-ok
replay=403:nonce-replayed 403:nonce-replayed" \
	"- a UE bootstrapping 4 times back to back, each challenge answered at the other worker, each next first request where the last window opened: all 200 (rspauth checked), no 503; the first answer replayed at each worker: 403"
bsf_counters "$tmp/bsf1.txt"
delta=$(join <(awk '$1 == "worker" {print $2, $4, $5}' "$tmp/bsf0.txt") \
	     <(awk '$1 == "worker" {print $2, $4, $5}' "$tmp/bsf1.txt") |
	awk '{printf "%s%d:%d/%d", (NR > 1 ? " " : ""), $1, $4 - $2, $5 - $3}')
tap_is "$delta" "0:3/1 1:1/3" \
	"- per worker, challenges/bootstraps made meanwhile: worker 0 3/1, worker 1 1/3 (the answers crossed)" \
	"$(cat "$tmp/bsf0.txt" "$tmp/bsf1.txt")"
stop bsf
tap_is "$stop_status $(grep -c 'Sanitizer\|runtime error' "$tmp/bsf.log")" "0 0" \
	"- the BSF stops cleanly, no sanitizer report"

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
