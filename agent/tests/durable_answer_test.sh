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
# documented 500 internal-error, never a vector, a 200 or a key. Then the
# limit goes, the daemon is killed with SIGKILL and started again, and
# every answer that went out is in the store: no SQN of a vector sent is
# used again, every B-TID answered is known with its IMPI, every key
# answered is listed with the expiry the device was told, and nothing else.
# Catches the answer-before-commit mutants (selftests/mutants.list).
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

pki_ca hss.test bsf.test nafkc.test
store_keys hss bsf nafkc ue

HSS_LISTEN=127.0.0.1:0
UB_LISTEN=127.0.0.1:0
ZN_LISTEN=127.0.0.1:0
DEV_LISTEN=127.0.0.1:0

write_configs() {
	cat > "$tmp/hss.yaml" <<-EOF
	$(config_base hss hss.test)
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
writes_fail() { prlimit --pid "${pid[$1]}" --fsize=0:unlimited; }
writes_work() { prlimit --pid "${pid[$1]}" --fsize=unlimited:unlimited; }

restart_killed() {	# NAME: kill -9, then start it again
	kill -KILL "${pid[$1]}"
	wait "${pid[$1]}" 2> /dev/null
	start "$1" || bail "$1"
}

IMPI=user1@home1.net
ICCID=898821100000000001
hss_subscriber() {	# the HSS's, with a USS naming the Key Centre
	ctl --socket "$tmp/run/hss.sock" subscriber add --imsi 001010000000001 \
		--impi $IMPI --keys <(printf '%s\n' k=$K1 opc=$OPC1) \
		--uss '[{"naf":"nafkc.test","flags":[1]}]'
}
hss_subscriber
uectl usim add --iccid $ICCID --imsi 001010000000001 --impi $IMPI \
	--keys <(printf '%s\n' k=$K1 opc=$OPC1)
[ $status = 0 ] || echo "Bail out! USIM: $err"

# --- the HSS: no vector without its SQN on disk ----------------------------------

# What a commit that failed for EFBIG answers (SQLITE_IOERR_WRITE, -EIO).
ERR_BODY='{"error":"internal-error","detail":"input/output error"}'
: > "$tmp/vectors"
zh() {		# one Zh vector request: $code, $body; a 200's RAND AUTN kept
	code=$(curl -s -o "$tmp/zh.body" -w '%{http_code}' --max-time 20 \
		--cacert "$tmp/ca.crt" --cert "$tmp/bsf.test.crt" \
		--key "$tmp/bsf.test.key" -H 'Content-Type: application/json' \
		-d "{\"impi\":\"$IMPI\"}" "https://$HSS/zh/v1/av")
	body=$(cat "$tmp/zh.body")
	[ "$code" = 200 ] &&
		python3 -c 'import json, sys; v = json.load(sys.stdin); print(v["rand"], v["autn"])' \
			< "$tmp/zh.body" >> "$tmp/vectors"
}

answered=0
for i in 1 2 3; do zh; [ "$code" = 200 ] && answered=$((answered + 1)); done
result $((answered == 3)) "Zh: 3 vectors with the store writable" "$code $body"

writes_fail hss
refused=0
for i in 1 2 3; do
	zh
	[ "$code" = 500 ] && [ "$body" = "$ERR_BODY" ] &&
		refused=$((refused + 1))
done
result $((refused == 3)) "Zh: each of 3 vectors whose SQN cannot be written: 500 internal-error, no vector" \
	"last: $code $body"
writes_work hss

answered=0
for i in 1 2; do zh; [ "$code" = 200 ] && answered=$((answered + 1)); done
restart_killed hss
for i in 1 2; do zh; [ "$code" = 200 ] && answered=$((answered + 1)); done
result $((answered == 4)) "Zh: vectors again once the store is writable, and after a kill -9" \
	"$code $body"

"${PEER[@]}" sqn --k $K1 --opc $OPC1 < "$tmp/vectors" > "$tmp/sqns"
prev=-1 bad=0
while read -r s; do
	[ $((16#$s)) -gt $prev ] || bad=$((bad + 1))
	prev=$((16#$s))
done < "$tmp/sqns"
[ "$(wc -l < "$tmp/sqns")" = 7 ] && [ $bad = 0 ]
result $((! $?)) "the 7 vectors sent: SQNs strictly increasing, none used twice" \
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

DEV1=imei:490154203237518 DEV2=imei:356938035643809 DEV3=imei:353918057821402
kcctl() { ctl --socket "$tmp/run/nafkc.sock" "$@"; }
for d in 1 2 3; do
	head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' |
		sed 's/^/psk=/' > "$tmp/psk$d"
	chmod 0600 "$tmp/psk$d"
	eval "kcctl device add --device-id \$DEV$d --keys $tmp/psk$d"
	[ $status = 0 ] || echo "Bail out! device $d: $err"
done

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

stops=
for name in hss bsf nafkc; do
	stop $name
	stops+="$name:$stop_status "
done
[ "$stops" = "hss:0 bsf:0 nafkc:0 " ]
result $((! $?)) "the three daemons stop cleanly on SIGTERM" "$stops"
tap_done
