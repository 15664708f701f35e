#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The BSF in front of a real HLR: osmo-hlr (Debian's package, installed
# here when missing), started on a loopback address of its own with a
# throwaway database and configuration, its subscribers made through its
# own VTY. e2md's BSF takes its vectors over GSUP (bsf.hlr), e2mctl's
# software USIM bootstraps over Ub with the same K and OPc, and every key
# is checked against the independent computation of bsf_test.sh (e2mctl
# milenage and gba-naf on the RAND of the B-TID). Then resynchronisation
# with a USIM far ahead (osmo-hlr's SQN read back through its VTY), an
# IMSI the HLR does not know, an IMPI made of no IMSI, the HLR stopped
# mid-run (503, within the bounded wait) and started again (requests
# resume), and the configuration's refusals. Prints TAP.
#
#   tests/gsup_test.sh [E2MCTL [E2MD]]    (or the E2MCTL and E2MD variables)
#
# Needs root (the admin socket takes uid 0 only; apt-get), openssl,
# python3, and osmo-hlr or apt-get to install it.
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../selftests/lib/prologue.sh"
E2MCTL=${1:-$E2MCTL}
E2MD=${2:-$E2MD}

need_root "the admin socket needs root"
need_tools openssl python3
if ! command -v osmo-hlr > /dev/null; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q osmo-hlr \
		> /dev/null 2>&1 ||
		{ apt-get update -q > /dev/null 2>&1 &&
		  DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			osmo-hlr > /dev/null 2>&1; }
fi
if ! command -v osmo-hlr > /dev/null; then
	echo "1..0 # SKIP osmo-hlr is not installed and apt-get could not install it"
	exit 0
fi

make_tmp shm
. "$here/daemon_lib.sh"

# --- osmo-hlr ---------------------------------------------------------------------

# osmo-hlr listens on fixed ports (GSUP 4222, VTY 4258, CTRL 4259) of the
# address it is given: a 127/8 address nothing else uses is its own.
free_address() {
	python3 - <<-'PY'
	import random, socket
	for _ in range(100):
	    a = "127.%d.%d.%d" % (random.randint(1, 254), random.randint(0, 255),
	                          random.randint(2, 254))
	    socks = []
	    try:
	        for port in (4222, 4258, 4259):
	            s = socket.socket()
	            s.bind((a, port))
	            socks.append(s)
	    except OSError:
	        continue
	    finally:
	        for s in socks:
	            s.close()
	    print(a)
	    break
	PY
}

HLR_ADDR=$(free_address)
[ -n "$HLR_ADDR" ] || { echo "Bail out! no free loopback address"; exit 1; }
HLR_VERSION=$(osmo-hlr --version 2>&1 | sed -n 's/^OsmoHLR version \([^ ]*\).*/\1/p' | head -n1)

cat > "$tmp/hlr.cfg" <<EOF
log stderr
 logging filter all 1
 logging color 0
 logging print category 1
 logging level main notice
 logging level db notice
 logging level auc notice
 logging level lgsup notice
line vty
 bind $HLR_ADDR
ctrl
 bind $HLR_ADDR
hlr
 gsup
  bind ip $HLR_ADDR
EOF

# vty COMMAND...: the commands on osmo-hlr's VTY (enable first), the
# output in $out.
vty() {
	out=$(python3 - "$HLR_ADDR" "$@" <<-'PY'
	import socket, sys
	s = socket.create_connection((sys.argv[1], 4258), timeout=5)
	def prompt():
	    buf = b""
	    while not buf.rstrip().endswith((b">", b"#")):
	        d = s.recv(4096)
	        if not d:
	            break
	        buf += d
	    return buf.decode(errors="replace")
	prompt()
	out = ""
	for cmd in ["enable"] + sys.argv[2:]:
	    s.sendall(cmd.encode() + b"\r\n")
	    out += prompt()
	print(out.replace("\r", ""))
	PY
	)
}

start_hlr() {	# osmo-hlr, until its VTY answers
	local i
	osmo-hlr -c "$tmp/hlr.cfg" -l "$tmp/hlr.db" >> "$tmp/hlr.log" 2>&1 &
	pid[hlr]=$!
	for i in $(seq 200); do
		python3 -c "import socket; socket.create_connection(('$HLR_ADDR', 4258), timeout=1)" \
			2> /dev/null && return 0
		kill -0 "${pid[hlr]}" 2> /dev/null || return 1
		sleep 0.05
	done
	return 1
}

stop_hlr() {
	kill -TERM "${pid[hlr]}"
	wait "${pid[hlr]}" 2> /dev/null
	pid[hlr]=
}

if ! start_hlr; then
	echo "Bail out! osmo-hlr did not start"
	sed 's/^/# /' "$tmp/hlr.log"
	exit 1
fi
result 1 "osmo-hlr $HLR_VERSION on $HLR_ADDR (GSUP 4222, VTY 4258)"

hlr_sqn() {	# IMSI: the SQN osmo-hlr's VTY shows for it, 0 when none
	local sqn
	vty "subscriber imsi $1 show"
	sqn=$(sed -n 's/.* last-SQN=\([0-9]*\).*/\1/p' <<< "$out" | head -n1)
	echo "${sqn:-0}"
}

# Subscribers A and B (TS 35.208 set 1's K and OPc), made and keyed
# through osmo-hlr's VTY, an IND of 5 bits as e2m's USIMs count.
IMSI_A=001010000000001 IMSI_B=001010000000002 IMSI_UNKNOWN=001010000000009
DOMAIN=ims.mnc001.mcc001.3gppnetwork.org
IMPI_A=$IMSI_A@$DOMAIN IMPI_B=$IMSI_B@$DOMAIN
rekey() {	# IMSI: K and OPc (again), which sets osmo-hlr's SQN to 0
	vty "subscriber imsi $1 update aud3g milenage k $K1 opc $OPC1 ind-bitlen 5" \
	    "subscriber imsi $1 show"
}
for imsi in $IMSI_A $IMSI_B; do
	vty "subscriber imsi $imsi create"
	rekey $imsi
	grep -q "IMSI: $imsi" <<< "$out" && grep -q "3G auth: MILENAGE" <<< "$out" &&
		grep -q "IND-bitlen=5" <<< "$out"
	result $((! $?)) "osmo-hlr VTY: subscriber $imsi with Milenage K and OPc" "$out"
done

# --- the BSF ------------------------------------------------------------------------

pki_ca bsf.test naf1.test
store_keys bsf ue

UB_LISTEN=127.0.0.1:0
ZN_LISTEN=127.0.0.1:0
SOURCE="hlr: gsup://$HLR_ADDR:4222"

write_bsf_config() {
	cat > "$tmp/bsf.yaml" <<-EOF
	$(config_base bsf bsf.test)
	roles:
	  bsf:
	    name: bsf.test
	    ub-listen: "$UB_LISTEN"
	    zn-listen: "$ZN_LISTEN"
	    $SOURCE
	    ub-impi-window: 0
	    nafs:
	      - name: naf1.test
	EOF
}

write_bsf_config
if ! start bsf; then
	echo "Bail out! the BSF did not start"
	sed 's/^/# /' "$tmp/bsf.log"
	exit 1
fi
UB=$(ready_value bsf bsf.ub)
ZN=$(ready_value bsf bsf.zn)
result 1 "BSF with Ub on $UB and Zn on $ZN, vectors from osmo-hlr"

uectl() {
	ctl "$@" --store "$tmp/ue.db" --store-key-file "$tmp/ue.key"
}

field() {	# NAME: the value of NAME= in $out
	sed -n "s/^$1=//p" <<< "$out"
}

# expect NAME STATUS STDERR: the last ctl gave exactly that, no stdout.
expect() {
	[ "$status" = "$2" ] && [ -z "$out" ] && [ "$err" = "$3" ]
	result $((! $?)) "$1" "status $status, wanted $2" "stdout: $out" \
		"stderr: $err" "wanted: $3"
}

ICCID=89882110000000000
usim_add() {	# N IMSI IMPI
	uectl usim add --iccid ${ICCID}0$1 --imsi $2 --impi $3 \
		--keys <(printf '%s\n' k=$K1 opc=$OPC1)
	[ $status = 0 ] || echo "Bail out! USIM $1: $err"
}
usim_add 1 $IMSI_A $IMPI_A
usim_add 2 $IMSI_B $IMPI_B
usim_add 3 $IMSI_UNKNOWN $IMSI_UNKNOWN@$DOMAIN
usim_add 4 $IMSI_A user1@home1.net

UA=0100000002
NAF1=$(printf naf1.test | od -An -tx1 | tr -d ' \n')$UA
rand_of() {	# B-TID: RAND, from base64(RAND)@BSF
	printf '%s' "${1%@*}" | base64 -d 2> /dev/null | od -An -tx1 |
		tr -d ' \n'
}

# independent B-TID IMPI: Ks_NAF from Milenage's CK and IK for the RAND of
# the B-TID (e2mctl milenage and gba-naf, as bsf_test.sh); sets $ind_naf.
independent() {
	local rand m ck ik
	rand=$(rand_of "$1")
	m=$("$E2MCTL" milenage --k $K1 --opc $OPC1 --rand "$rand" \
		--sqn 000000000000 --amf 0000)
	ck=$(sed -n 's/^ck=//p' <<< "$m")
	ik=$(sed -n 's/^ik=//p' <<< "$m")
	ind_naf=$("$E2MCTL" gba-naf --ck "$ck" --ik "$ik" --rand "$rand" \
		--impi "$2" --naf-id "$NAF1" | sed -n 's/^ks_naf=//p')
	[ ${#rand} = 32 ] && [ ${#ind_naf} = 64 ]
}

zn() {		# BTID: zn-query as naf1.test, leaving $out
	ctl zn-query --bsf-url "https://$ZN" --btid "$1" --naf-id "$NAF1" \
		--cert "$tmp/naf1.test.crt" --key "$tmp/naf1.test.key" \
		--ca "$tmp/ca.crt" --show-key
}

# bootstrapped N IMPI RESYNC NAME: a bootstrap (with AUTS or not) whose
# Ks_NAF agrees three ways.
bootstrapped() {
	local btid k_ue
	uectl bootstrap --iccid ${ICCID}0$1 --bsf "http://$UB"
	btid=$(field btid)
	[ $status = 0 ] && [ "${btid#*@}" = bsf.test ] &&
		[ "$(field impi)" = $2 ] && [ "$(field gba)" = me ] &&
		[ "$(field resync)" = $3 ]
	result $((! $?)) "$4: bootstrap over Ub, resync=$3, B-TID $btid" \
		"$out" "$err"
	uectl naf-key --iccid ${ICCID}0$1 --naf-id $NAF1 --show-key
	k_ue=$(field ks_naf)
	zn "$btid"
	independent "$btid" $2
	[ -n "$k_ue" ] && [ "$k_ue" = "$(field ks_ext_naf)" ] &&
		[ "$k_ue" = "$ind_naf" ] && [ "$(field impi)" = $2 ]
	result $((! $?)) "$4: Ks_NAF the same at the UE, from the BSF over Zn, and computed apart" \
		"$out" "$err"
}

seq_ms() {	# N: the USIM's SEQ_MS
	uectl usim show --iccid ${ICCID}0$1
	sed -n 's/.* seq-ms=\([0-9]*\).*/\1/p' <<< "$out"
}

# --- bootstraps on osmo-hlr's vectors --------------------------------------------

bootstrapped 1 $IMPI_A 0 "first"
sqn1=$(hlr_sqn $IMSI_A)
[ "$sqn1" -gt 0 ] && [ $((sqn1 >> 5)) = "$(seq_ms 1)" ]
result $((! $?)) "osmo-hlr's SQN $sqn1: SEQ $((sqn1 >> 5)), the one the USIM accepted"
bootstrapped 1 $IMPI_A 0 "second"
sqn2=$(hlr_sqn $IMSI_A)
[ $((sqn2 >> 5)) = $(( (sqn1 >> 5) + 1 )) ] && [ $((sqn2 & 31)) = $((sqn1 & 31)) ]
result $((! $?)) "one vector a bootstrap: SEQ $((sqn1 >> 5)) then $((sqn2 >> 5)), the BSF's IND $((sqn1 & 31)) both times" \
	"$sqn1 $sqn2"
grep -q "level=info role=bsf event=bootstrap btid=\"[^\"]*\" impi=$IMPI_A expires=[^ ]* gba-u=0 remote=127.0.0.1:" "$tmp/bsf.log"
result $((! $?)) "log: the bootstrap, GBA_ME"

# --- resynchronisation with a USIM far ahead -------------------------------------

# osmo-hlr's SQN for B set 1000 SEQ ahead (its database: the VTY cannot),
# B bootstraps at SEQ 1001; then B is keyed again through the VTY, which
# puts the SQN back to 0: the USIM is 1001 SEQ ahead of the HLR.
python3 - "$tmp/hlr.db" $IMSI_B <<-'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("UPDATE auc_3g SET sqn = ? WHERE subscriber_id = "
           "(SELECT id FROM subscriber WHERE imsi = ?)", (1000 << 5, sys.argv[2]))
db.commit()
PY
bootstrapped 2 $IMPI_B 0 "B at SEQ 1001"
[ "$(seq_ms 2)" = 1001 ]
result $((! $?)) "the USIM accepted SEQ 1001" "$out"
rekey $IMSI_B
[ "$(hlr_sqn $IMSI_B)" = 0 ]
result $((! $?)) "keyed again on osmo-hlr's VTY: its SQN is 0, 1001 SEQ behind the USIM" "$out"
bootstrapped 2 $IMPI_B 1 "B resynchronised"
sqnb=$(hlr_sqn $IMSI_B)
[ $((sqnb >> 5)) = 1002 ] && [ "$(seq_ms 2)" = 1002 ]
result $((! $?)) "AUTS through GSUP moved osmo-hlr's SQN to SEQ 1002 (VTY: $sqnb), the USIM's too" "$out"
grep -q "level=info role=bsf event=resync msg=\"AUTS from $IMPI_B passed to the HSS\"" "$tmp/bsf.log" &&
	grep -q "level=info role=bsf event=challenge impi=$IMPI_B resync=1 " "$tmp/bsf.log"
result $((! $?)) "log: the AUTS passed on, a fresh challenge after it"

# --- refusals ----------------------------------------------------------------------------

# An unknown subscriber gets a decoy challenge (no user enumeration on
# Ub), which the USIM refuses as it refuses a foreign network's.
DECOY_REFUSED="e2mctl: bootstrap: bootstrap failed: AUTN does not verify: the network is not authenticated (the BSF answered 403)"
uectl bootstrap --iccid ${ICCID}03 --bsf "http://$UB"
expect "an IMSI osmo-hlr does not know: a decoy challenge, its AUTN refused" 1 \
	"$DECOY_REFUSED"
grep -q "level=warning role=bsf event=ub-refused status=401 error=unknown-user impi=$IMSI_UNKNOWN@$DOMAIN detail=\"the HLR has no such IMSI\" answer=decoy " "$tmp/bsf.log" &&
	grep -q "level=warning role=bsf event=ub-refused status=403 error=network-authentication-failed impi=$IMSI_UNKNOWN@$DOMAIN detail=\"the UE could not authenticate the network\" answer=decoy " "$tmp/bsf.log"
result $((! $?)) "log: the HLR has no such IMSI, a decoy; its answer refused" \
	"$(grep ub-refused "$tmp/bsf.log" | tail -2)"
uectl bootstrap --iccid ${ICCID}04 --bsf "http://$UB"
expect "an IMPI made of no IMSI: a decoy challenge, the HLR not asked" 1 \
	"$DECOY_REFUSED"
grep -q "level=warning role=bsf event=ub-refused status=401 error=unknown-user impi=user1@home1.net detail=\"the IMPI is not made of an IMSI, as the HLR needs\" answer=decoy " "$tmp/bsf.log"
result $((! $?)) "log: the IMPI holds no IMSI, a decoy" \
	"$(grep ub-refused "$tmp/bsf.log" | tail -2)"

# --- the HLR lost, and back ----------------------------------------------------------

UNAVAILABLE="e2mctl: bootstrap: bootstrap failed: the BSF answered 503 hss-unavailable: no authentication vector from the HSS (401 expected)"
kill -STOP "${pid[hlr]}"
t0=$(date +%s%N)
uectl bootstrap --iccid ${ICCID}01 --bsf "http://$UB" --timeout 30
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
expect "osmo-hlr frozen: 503 hss-unavailable" 1 "$UNAVAILABLE"
[ $ms -ge 4500 ] && [ $ms -lt 9000 ]
result $((! $?)) "after the bounded wait of 5 s, not a hang ($ms ms)"
grep -q "level=error role=bsf event=zh-failed msg=\"$IMPI_A: no answer from the HLR within 5 s\"" "$tmp/bsf.log"
result $((! $?)) "log: no answer within 5 s"
kill -CONT "${pid[hlr]}"
stop_hlr
t0=$(date +%s%N)
uectl bootstrap --iccid ${ICCID}01 --bsf "http://$UB"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
expect "osmo-hlr stopped: 503 hss-unavailable" 1 "$UNAVAILABLE"
[ $ms -lt 3000 ]
result $((! $?)) "at once: the connection is gone ($ms ms)"
grep -q "level=error role=bsf event=zh-failed msg=\"$IMPI_A: the HLR is not connected\"" "$tmp/bsf.log"
result $((! $?)) "log: the HLR is not connected"

start_hlr
result $((! $?)) "osmo-hlr started again, same database"
for i in $(seq 40); do
	uectl bootstrap --iccid ${ICCID}01 --bsf "http://$UB"
	[ $status = 0 ] && break
	sleep 0.25
done
result $((status == 0)) "the BSF connects again by itself: bootstraps resume (try $i)" "$err"
bootstrapped 1 $IMPI_A 0 "after the restart"
sqn3=$(hlr_sqn $IMSI_A)
[ $((sqn3 & 31)) = $((sqn1 & 31)) ]
result $((! $?)) "the BSF keeps its IND across reconnects (osmo-hlr's SQN $sqn3)"

ctl --socket "$tmp/run/bsf.sock" status
grep -q "^role=bsf ub=$UB zn=$ZN .* resyncs=1 .* zh-failures=$((2 + i - 1)) " <<< "$out"
result $((! $?)) "status: one resync, $((2 + i - 1)) failures to get a vector (HLR frozen, stopped, starting)" "$out"

# --- the configuration -----------------------------------------------------------

check_config() {	# the BSF's configuration with SOURCE: --check-config's stderr
	write_bsf_config
	"$E2MD" --check-config -c "$tmp/bsf.yaml" 2>&1 > /dev/null
}
SOURCE="hss-url: https://hss.test
    hlr: gsup://127.0.0.1:4222"
err=$(check_config)
grep -q "roles.bsf: hss-url and hlr exclude each other: the vectors come from one" <<< "$err"
result $((! $?)) "config: hss-url and hlr both is an error" "$err"
for bad in "gsup://hlr.example:4222" "gsup://127.0.0.1" "http://127.0.0.1:4222" \
	   "gsup://::1:4222" "gsup://127.0.0.1:0"; do
	SOURCE="hlr: $bad"
	err=$(check_config)
	grep -q "roles.bsf.hlr: must be gsup://ADDRESS:PORT (an IPv4 or \[IPv6\] address), not '$bad'" <<< "$err"
	result $((! $?)) "config: hlr: $bad is refused" "$err"
done
SOURCE="hlr: gsup://[::1]:4222"
err=$(check_config)
result $((${#err} == 0)) "config: hlr: an IPv6 address in brackets" "$err"

# A reload onto e2m's HSS: the source changes, Ub stays up.
SOURCE="hss-url: https://127.0.0.1:1"
write_bsf_config
kill -HUP "${pid[bsf]}"
wait_log bsf "event=vector-source msg=\"vectors from the hss at https://127.0.0.1:1\"" 1
result $((! $?)) "reload: hlr to hss-url switches the source"
uectl bootstrap --iccid ${ICCID}01 --bsf "http://$UB"
[ $status = 1 ] && grep -q "503 hss-unavailable" <<< "$err"
result $((! $?)) "and the vectors come from there (no HSS: 503)" "$err"
SOURCE="hlr: gsup://$HLR_ADDR:4222"
write_bsf_config
kill -HUP "${pid[bsf]}"
wait_log bsf "event=vector-source msg=\"vectors from the hlr at gsup://$HLR_ADDR:4222\"" 1
for i in $(seq 40); do
	uectl bootstrap --iccid ${ICCID}01 --bsf "http://$UB"
	[ $status = 0 ] && break
	sleep 0.25
done
result $((status == 0)) "reload back to osmo-hlr: bootstraps again" "$err"

stop bsf
result $((stop_status == 0)) "SIGTERM: the BSF exits 0"
stop_hlr
! grep -q "$K1\|$OPC1" "$tmp/bsf.log"
result $((! $?)) "no K or OPc in the BSF's log"
! grep -q -e 'ERROR: AddressSanitizer' -e 'runtime error:' -e 'LeakSanitizer' \
	"$tmp/bsf.log"
result $((! $?)) "log: no sanitizer report"

echo "1..$tap_n"
if [ $tap_failed != 0 ]; then
	echo "# failed $tap_failed of $tap_n"
fi
[ $tap_failed = 0 ]
