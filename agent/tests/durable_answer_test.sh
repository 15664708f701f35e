#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Each role answers only once the write behind its answer is on disk
# (store/store_group.h): the HSS's vector once its SQN is, the BSF's 200
# once the bootstrap session is, the NAF Key Centre's Ks_local once its
# row is. A kill -9 seldom lands between an answer and its commit; here
# the commit fails for certain instead, as on a disk that is full or gone:
# the daemon's file size limit (RLIMIT_FSIZE, set on the running process
# with prlimit) drops to 0 with SIGXFSZ ignored, so that every write to
# its store fails (EFBIG). A full tmpfs would not do: SQLite's WAL reuses
# the space it has, and a commit may well fit.
#
# While the limit holds, each request whose write it refuses must get the
# documented 500 internal-error, never a vector, a 200 or a key (the
# HSS's vectors inside the SQNs it reserved on disk need no write and go
# out; the first beyond them must not). Then the
# limit goes, the daemon is killed with SIGKILL and started again, and
# every answer that went out is in the store: no SQN of a vector sent is
# used again, every B-TID answered is known with its IMPI, every key
# answered is listed with the expiry the device was told, and nothing else.
# Catches the answer-before-commit mutants (selftests/mutants.list).
#
# Last, the Key Centre under load (devices' nafkc-request loops, each key
# asked for until answered) is killed with SIGKILL at random moments and
# started again: every Ks_local answered is then listed with the expiry
# and lifetime the device was told and is the key the UE side derives,
# each key id (B-TID, Device_ID, label) answered once, and no key listed
# that was not answered. KC_UES, KC_DEVICES, KC_WORKERS, KC_KILLS size it.
# Prints TAP.
#
#   tests/durable_answer_test.sh [E2MCTL [E2MD]]
#
# Needs root (the admin sockets take uid 0 only), openssl, curl, python3,
# prlimit.
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../selftests/lib/prologue.sh"
E2MCTL=${1:-$E2MCTL}
E2MD=${2:-$E2MD}
PEER=(python3 "$here/gba_peer.py")

need_root "the admin socket needs root"
need_tools openssl curl python3 prlimit

make_tmp shm
. "$here/daemon_lib.sh"

# The daemons started from here ignore SIGXFSZ (an ignored signal stays
# ignored across exec): a write past the limit fails, the daemon lives.
trap '' XFSZ

pki_ca hss.test bsf.test nafkc.test sgw.test
store_keys hss bsf nafkc ue

HSS_LISTEN=127.0.0.1:0
UB_LISTEN=127.0.0.1:0
ZN_LISTEN=127.0.0.1:0
DEV_LISTEN=127.0.0.1:0

# workers: 1: prlimit and kill -9 below act on one process, the HSS.
write_configs() {
	cat > "$tmp/hss.yaml" <<-EOF
	$(config_base hss hss.test)
	workers: 1
	roles:
	  hss: { listen: "$HSS_LISTEN", clients: [bsf.test], sn-clients: [sgw.test] }
	EOF
	cat > "$tmp/bsf.yaml" <<-EOF
	$(config_base bsf bsf.test)
	roles:
	  bsf:
	    name: bsf.test
	    ub-listen: "$UB_LISTEN"
	    zn-listen: "$ZN_LISTEN"
	    hss-url: "https://$HSS"
	    key-lifetime: 3600
	    ub-impi-window: 0
	    nafs: [{ name: nafkc.test }]
	EOF
	cat > "$tmp/nafkc.yaml" <<-EOF
	$(config_base nafkc nafkc.test)
	roles:
	  nafkc:
	    name: nafkc.test
	    listen: "$DEV_LISTEN"
	    bsf-url: "https://$ZN"
	    key-lifetime: 600
	    device-auth: [psk]
	EOF
}

bail() {	# NAME: the daemon did not start
	echo "Bail out! $1 did not start"
	sed 's/^/# /' "$tmp/$1.log"
	exit 1
}

HSS= ZN=
write_configs
start hss || bail hss
HSS=$(ready_value hss hss.zh)
write_configs
start bsf || bail bsf
UB=$(ready_value bsf bsf.ub)
ZN=$(ready_value bsf bsf.zn)
write_configs
start nafkc || bail nafkc
DEV=$(ready_value nafkc nafkc.devices)
# Restarts come back on the same ports.
HSS_LISTEN=$HSS UB_LISTEN=$UB ZN_LISTEN=$ZN DEV_LISTEN=$DEV
write_configs
result 1 "HSS on $HSS, BSF with Ub on $UB and Zn on $ZN, Key Centre on $DEV"

field() {	# NAME: the value of NAME= in $out
	sed -n "s/^$1=//p" <<< "$out"
}
uectl() { ctl "$@" --store "$tmp/ue.db" --store-key-file "$tmp/ue.key"; }

# writes_fail NAME / writes_work NAME: the daemon's store writes from now.
writes_fail() {
	prlimit --pid "${pid[$1]}" --fsize=0:unlimited ||
		{ echo "Bail out! prlimit cannot limit $1"; exit 1; }
}
writes_work() {
	prlimit --pid "${pid[$1]}" --fsize=unlimited:unlimited ||
		{ echo "Bail out! prlimit cannot lift $1's limit"; exit 1; }
}

restart_killed() {	# NAME: kill -9, then start it again
	kill -KILL "${pid[$1]}"
	wait "${pid[$1]}" 2> /dev/null
	start "$1" || bail "$1"
}

IMPI=user1@home1.net
ICCID=898821100000000001
# The subscriber, with a USS naming the Key Centre, and its USIM.
ctl --socket "$tmp/run/hss.sock" subscriber add --imsi 001010000000001 \
	--impi $IMPI --keys <(printf '%s\n' k=$K1 opc=$OPC1) \
	--uss '[{"naf":"nafkc.test","flags":[1]}]'
[ $status = 0 ] || echo "Bail out! subscriber: $err"
uectl usim add --iccid $ICCID --imsi 001010000000001 --impi $IMPI \
	--keys <(printf '%s\n' k=$K1 opc=$OPC1)
[ $status = 0 ] || echo "Bail out! USIM: $err"

# --- the HSS: no vector, Zh or BEST, without its SQN on disk -----------------

# What a commit that failed for EFBIG answers (SQLITE_IOERR_WRITE, -EIO).
ERR_BODY='{"error":"internal-error","detail":"input/output error"}'
: > "$tmp/vectors"
vector() {	# CLIENT PATH BODY: one vector request, $code and $body; a
		# 200's RAND and AUTN kept in $tmp/vectors
	code=$(curl -s -o "$tmp/av.body" -w '%{http_code}' --max-time 20 \
		--cacert "$tmp/ca.crt" --cert "$tmp/$1.crt" --key "$tmp/$1.key" \
		-H 'Content-Type: application/json' -d "$3" "https://$HSS$2")
	body=$(cat "$tmp/av.body")
	[ "$code" = 200 ] &&
		python3 -c 'import json, sys; v = json.load(sys.stdin); print(v["rand"], v["autn"])' \
			< "$tmp/av.body" >> "$tmp/vectors"
}
zh() { vector bsf.test /zh/v1/av "{\"impi\":\"$IMPI\"}"; }
best_av() {	# as the SGW, POST /e2m/v1/av (Documentation/best.md)
	vector sgw.test /e2m/v1/av '{"imsi":"001010000000001","aka":"umts"}'
}

answered=0
for i in 1 2 3; do zh; [ "$code" = 200 ] && answered=$((answered + 1)); done
best_av
[ "$code" = 200 ] && answered=$((answered + 1))
result $((answered == 4)) "Zh and BEST: 4 vectors with the store writable" "$code $body"

# The HSS reserves SQNs ahead (store/store_sqn_reserve.h): the first
# vector wrote a mark STORE_SQN_WINDOW SEQs ahead, so the vectors up to it
# need no write and still go out; the first beyond it must not.
window=$(sed -n 's/^#define STORE_SQN_WINDOW[[:space:]]*\([0-9]*\).*/\1/p' \
	"$here/../store/store_sqn_reserve.h")
writes_fail hss
inside=0
for i in $(seq $((window + 8))); do
	zh
	[ "$code" = 200 ] || break
	inside=$((inside + 1))
done
[ "$inside" = $((window - 4)) ] && [ "$code" = 500 ] && [ "$body" = "$ERR_BODY" ]
result $((! $?)) "Zh: the $((window - 4)) vectors inside the SQNs reserved on disk go out, the next gets 500 internal-error" \
	"answered $inside, then: $code $body"
refused=0
for i in 1 2; do
	zh
	[ "$code" = 500 ] && [ "$body" = "$ERR_BODY" ] &&
		refused=$((refused + 1))
done
result $((refused == 2)) "Zh: each of 2 more vectors whose SQN cannot be written: 500 internal-error, no vector" \
	"last: $code $body"
refused=0
for i in 1 2; do
	best_av
	[ "$code" = 500 ] && [ "$body" = "$ERR_BODY" ] &&
		refused=$((refused + 1))
done
result $((refused == 2)) "BEST: each of 2 vectors whose SQN cannot be written: 500 internal-error, no vector" \
	"last: $code $body"
writes_work hss

answered=0
for i in 1 2; do zh; [ "$code" = 200 ] && answered=$((answered + 1)); done
best_av
[ "$code" = 200 ] && answered=$((answered + 1))
restart_killed hss
for i in 1 2; do zh; [ "$code" = 200 ] && answered=$((answered + 1)); done
best_av
[ "$code" = 200 ] && answered=$((answered + 1))
result $((answered == 6)) "Zh and BEST: vectors again once the store is writable, and after a kill -9" \
	"$code $body"

"${PEER[@]}" sqn --k $K1 --opc $OPC1 < "$tmp/vectors" > "$tmp/sqns"
prev=-1 bad=0
while read -r s; do
	[ $((16#$s)) -gt $prev ] || bad=$((bad + 1))
	prev=$((16#$s))
done < "$tmp/sqns"
[ "$(wc -l < "$tmp/sqns")" = $((window + 6)) ] && [ $bad = 0 ]
result $((! $?)) "the $((window + 6)) vectors sent: SQNs strictly increasing, none used twice" \
	"$(tr '\n' ' ' < "$tmp/sqns")"

# --- the BSF: no 200 without the session on disk --------------------------------

sessions() {	# the BSF's sessions, one "btid impi" line each, sorted
	"$E2MCTL" --socket "$tmp/run/bsf.sock" session list |
		sed -n 's/^btid=\([^ ]*\) impi=\([^ ]*\) .*/\1 \2/p' | sort
}
: > "$tmp/btids"
bootstrap() {	# one Ub bootstrap by the UE; a 200's B-TID kept
	uectl bootstrap --iccid $ICCID --bsf "http://$UB"
	[ $status = 0 ] && echo "$(field btid) $IMPI" >> "$tmp/btids"
}

bootstrap
result $((status == 0)) "Ub: a bootstrap with the store writable" "$err"
writes_fail bsf
bootstrap
[ $status = 1 ] && [ -z "$out" ] &&
	[ "$err" = "e2mctl: bootstrap: bootstrap failed: the BSF answered 500 internal-error: input/output error (200 expected)" ]
result $((! $?)) "Ub: a bootstrap whose session cannot be written: 500 internal-error, no B-TID" \
	"status $status" "$out" "$err"
writes_work bsf
bootstrap
result $((status == 0)) "Ub: a bootstrap once the store is writable again" "$err"
restart_killed bsf
bootstrap
result $((status == 0)) "Ub: a bootstrap after a kill -9" "$err"
[ "$(sessions)" = "$(sort "$tmp/btids")" ] && [ "$(wc -l < "$tmp/btids")" = 3 ]
result $((! $?)) "the BSF knows each of the 3 B-TIDs answered, with its IMPI, and no other" \
	"answered: $(tr '\n' ' ' < "$tmp/btids")" "stored: $(sessions | tr '\n' ' ')"
BTID=$(tail -1 "$tmp/btids" | cut -d' ' -f1)

# --- the Key Centre: no Ks_local without its row on disk ------------------------

kcctl() { ctl --socket "$tmp/run/nafkc.sock" "$@"; }
device_add() {	# N DEVICE_ID: a random PSK in $tmp/pskN, added for it
	head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' |
		sed 's/^/psk=/' > "$tmp/psk$1"
	chmod 0600 "$tmp/psk$1"
	kcctl device add --device-id "$2" --keys "$tmp/psk$1"
	[ $status = 0 ] || echo "Bail out! device $2: $err"
}
DEV1=imei:490154203237518 DEV2=imei:356938035643809 DEV3=imei:353918057821402
device_add 1 $DEV1
device_add 2 $DEV2
device_add 3 $DEV3

: > "$tmp/keys"
ks_local() {	# DEVICE N: device N asks for its key; a 200's row kept
	ctl nafkc-request --url "https://$DEV" --device-id "$1" \
		--keys "$tmp/psk$2" --btid "$BTID"
	[ $status = 0 ] &&
		echo "btid=$BTID device=$1 label=ks_local_device expires=$(field expires)" >> "$tmp/keys"
}
stored_keys() {	# the Key Centre's keys, as ks_local() keeps them, sorted
	"$E2MCTL" --socket "$tmp/run/nafkc.sock" local-key list |
		sed -n 's/^\(btid=[^ ]* device=[^ ]* label=[^ ]*\) naf_id=[^ ]* issued=[^ ]* \(expires=[^ ]*\) .*/\1 \2/p' |
		sort
}

ks_local $DEV1 1
result $((status == 0)) "Ks_local: $DEV1's key with the store writable" "$err"
writes_fail nafkc
ks_local $DEV2 2
[ $status = 1 ] && [ -z "$out" ] &&
	[ "$err" = "e2mctl: nafkc-request: 500 internal-error: input/output error" ]
result $((! $?)) "Ks_local: $DEV2's key whose row cannot be written: 500 internal-error, no key" \
	"status $status" "$out" "$err"
writes_work nafkc
restart_killed nafkc
ks_local $DEV3 3
result $((status == 0)) "Ks_local: $DEV3's key after the store is writable and a kill -9" "$err"
[ "$(stored_keys)" = "$(sort "$tmp/keys")" ] && [ "$(wc -l < "$tmp/keys")" = 2 ]
result $((! $?)) "the Key Centre lists each of the 2 keys answered, with the expiry told, and no other" \
	"answered: $(tr '\n' ' ' < "$tmp/keys")" "stored: $(stored_keys | tr '\n' ' ')"

# --- the Key Centre killed with SIGKILL under load --------------------------------

# KC_UES B-TIDs (at most 8) times KC_DEVICES devices (at most 900), each key asked for by one of
# KC_WORKERS devices' loops (nafkc-request) until answered, while the Key
# Centre is killed at random moments (KC_KILLS times at most, half that
# at least) and started again. After: every key answered is listed
# once, with the expiry the device was told and its lifetime (expires -
# issued), the key the UE side derives for it, each key id (B-TID,
# Device_ID, label) answered once; nothing listed that was not answered.
KC_UES=${KC_UES:-3} KC_DEVICES=${KC_DEVICES:-24} KC_WORKERS=${KC_WORKERS:-4}
KC_KILLS=${KC_KILLS:-20}
KC_NAF_ID=$(printf '%s' nafkc.test | od -An -tx1 | tr -d ' \n')ff00000001

declare -a kc_btid
for u in $(seq 2 $((KC_UES + 1))); do
	ctl --socket "$tmp/run/hss.sock" subscriber add --imsi 00101000000000$u \
		--impi user$u@home1.net --keys <(printf '%s\n' k=$K1 opc=$OPC1) \
		--uss '[{"naf":"nafkc.test","flags":[1]}]'
	[ $status = 0 ] || echo "Bail out! subscriber $u: $err"
	uectl usim add --iccid 89882110000000000$u --imsi 00101000000000$u \
		--impi user$u@home1.net --keys <(printf '%s\n' k=$K1 opc=$OPC1)
	[ $status = 0 ] || echo "Bail out! USIM $u: $err"
	uectl bootstrap --iccid 89882110000000000$u --bsf "http://$UB"
	[ $status = 0 ] || echo "Bail out! bootstrap $u: $err"
	kc_btid[$u]=$(field btid)
done
for d in $(seq 100 $((99 + KC_DEVICES))); do
	device_add $d imei:490154203237$d
done

kc_worker() {	# W: its keys until each is answered; lines in kc.W
	local u d n=0 tries
	for u in $(seq 2 $((KC_UES + 1))); do
		for d in $(seq 100 $((99 + KC_DEVICES))); do
			n=$((n + 1))
			[ $((n % KC_WORKERS)) = "$1" ] || continue
			for tries in $(seq 200); do
				"$E2MCTL" nafkc-request --url "https://$DEV" \
					--device-id imei:490154203237$d \
					--keys "$tmp/psk$d" --btid "${kc_btid[$u]}" \
					--show-key > "$tmp/kc.$1.out" 2> "$tmp/kc.$1.err" &&
					break
				# Only the kill may refuse: no connection, one
				# cut off, or a Zn call it cut (503, nothing
				# stored, asked again as a device would); any
				# other answer is an error here.
				grep -q "^e2mctl: nafkc-request: [0-9][0-9][0-9] " \
					"$tmp/kc.$1.err" &&
					! grep -q "^e2mctl: nafkc-request: 503 " \
						"$tmp/kc.$1.err" && break
				echo >> "$tmp/kc.retries"
				sleep 0.05
			done
			tr '\n' ' ' < "$tmp/kc.$1.out" >> "$tmp/kc.$1"
			echo "err=$(tr '\n' ' ' < "$tmp/kc.$1.err")" >> "$tmp/kc.$1"
		done
	done
}

: > "$tmp/kc.retries"
for w in $(seq 0 $((KC_WORKERS - 1))); do
	: > "$tmp/kc.$w"
	kc_worker $w &
	pid[kc$w]=$!
done
# A kill each time the devices got one more key (then 0 to 25 ms more),
# so that every kill lands under load however fast the machine; at most
# KC_KILLS, at least half that many before the keys run out (a restart
# is slow under load: about 5 keys a kill here, at a load of 10).
kc_answered() { cat "$tmp"/kc.[0-9] | wc -l; }
kc_busy() {
	local w
	for w in $(seq 0 $((KC_WORKERS - 1))); do
		kill -0 "${pid[kc$w]}" 2> /dev/null && return 0
	done
	return 1
}
kills=0 last=0
while [ $kills -lt $KC_KILLS ] && kc_busy; do
	sleep 0.01
	[ "$(kc_answered)" -gt $last ] || continue
	sleep "0.0$(printf '%02d' $((RANDOM % 26)))"
	last=$(kc_answered)
	restart_killed nafkc
	kills=$((kills + 1))
done
for w in $(seq 0 $((KC_WORKERS - 1))); do
	wait "${pid[kc$w]}"
	pid[kc$w]=
done
for w in $(seq 0 $((KC_WORKERS - 1))); do
	cat "$tmp/kc.$w"
done > "$tmp/kc.answered"

# What the UE side derives, per B-TID and device (e2mctl ks-local).
: > "$tmp/kc.expected"
for u in $(seq 2 $((KC_UES + 1))); do
	uectl naf-key --iccid 89882110000000000$u --naf-id $KC_NAF_ID --show-key
	ks_naf=$(field ks_naf)
	for d in $(seq 100 $((99 + KC_DEVICES))); do
		ctl ks-local --ks-naf "$ks_naf" --label ks_local_device \
			--btid "${kc_btid[$u]}" --naf-id $KC_NAF_ID \
			--device-id imei:490154203237$d
		echo "${kc_btid[$u]} imei:490154203237$d $(field ks_local)" >> "$tmp/kc.expected"
	done
done
"$E2MCTL" --socket "$tmp/run/nafkc.sock" local-key list > "$tmp/kc.listed"

kc_out=$(python3 - "$tmp/kc.answered" "$tmp/kc.listed" "$tmp/kc.expected" \
		"$(cat "$tmp/keys" | wc -l)" $((KC_UES * KC_DEVICES)) <<'PY'
import calendar, sys, time

def fields(line):
    return dict(f.split("=", 1) for f in line.split() if "=" in f)

def epoch(text):
    return calendar.timegm(time.strptime(text, "%Y-%m-%dT%H:%M:%SZ"))

answered_file, listed_file, expected_file, before, want = sys.argv[1:]
answered, bad = {}, []
for line in open(answered_file):
    a = fields(line)
    if not {"btid", "device_id", "label", "ks_local"} <= set(a):
        bad.append("not answered: " + line.strip())
        continue
    kid = (a["btid"], a["device_id"], a["label"])
    if kid in answered:
        bad.append("answered twice: %s %s %s" % kid)
    answered[kid] = a
expected = {}
for line in open(expected_file):
    btid, device, key = line.split()
    expected[(btid, device, "ks_local_device")] = key
listed = {}
for line in open(listed_file):
    r = fields(line)
    kid = (r["btid"], r["device"], r["label"])
    if kid in listed:
        bad.append("listed twice: %s %s %s" % kid)
    listed[kid] = r
for kid, a in answered.items():
    r = listed.get(kid)
    if not r:
        bad.append("answered, not stored: %s %s %s" % kid)
        continue
    life = epoch(r["expires"]) - epoch(r["issued"])
    if r["expires"] != a["expires"] or life != int(a["lifetime"]) or \
       r["naf_id"] != a["naf_id"] or r["revoked"] != "no" or \
       not 590 <= life <= 600 or a["ks_local"] != expected.get(kid):
        bad.append("%s %s %s: told %s %s, stored %s %s (%d s)" %
                   (kid + (a["expires"], a["lifetime"], r["issued"],
                           r["expires"], life)))
extra = set(listed) - set(answered) - {k for k in listed
                                       if k[0] not in {b for b, _, _ in expected}}
for kid in sorted(extra):
    bad.append("stored, never answered: %s %s %s" % kid)
print("answered=%d stored=%d" % (len(answered), len(listed) - int(before)))
for b in bad[:20]:
    print(b)
sys.exit(1 if bad or len(answered) != int(want) else 0)
PY
)
kc_status=$?
echo "# $(wc -l < "$tmp/kc.retries") requests cut off or refused by the kills, asked again"
result $((kc_status == 0 && kills >= KC_KILLS / 2)) \
	"$((KC_UES * KC_DEVICES)) Ks_local keys answered by a Key Centre killed $kills times: each stored with the expiry and lifetime told, the UE side's key, each key id once, nothing stored unanswered" \
	"$(sed -n 1p <<< "$kc_out") kills=$kills" "$(sed -n '2,$p' <<< "$kc_out")"

stops=
for name in hss bsf nafkc; do
	stop $name
	stops+="$name:$stop_status "
done
[ "$stops" = "hss:0 bsf:0 nafkc:0 " ]
result $((! $?)) "the three daemons stop cleanly on SIGTERM" "$stops"
tap_done
