#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# e2md as the HSS, run for real: a throwaway CA and certificates made with
# openssl, a configuration, the daemon on 127.0.0.1 with a port the kernel
# picks (read from the ready file), subscribers added with e2mctl over the
# admin socket, and authentication vectors fetched over Zh with curl and
# mutual TLS. Every vector is checked against an independent Milenage run
# (e2mctl milenage on the subscriber's K and OPc and the vector's RAND),
# and the SQN against TS 33.102 Annex C. Then the refusals (unknown IMPI,
# bad JSON, wrong method, path, media type, no certificate, another CA, a
# client not listed), resynchronisation with an AUTS from e2mctl auts,
# SIGHUP with broken and good configurations, SIGTERM, and a restart that
# keeps subscribers and SQN. Prints TAP.
#
#   tests/daemon_test.sh [E2MCTL [E2MD]]    (or the E2MCTL and E2MD variables)
#
# Needs root (the admin socket takes uid 0 only), openssl and curl.
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../selftests/lib/prologue.sh"
E2MCTL=${1:-$E2MCTL}
E2MD=${2:-$E2MD}

need_root "the admin socket needs root"
need_tools openssl curl setpriv
make_tmp
export E2M_SOCKET=$tmp/run/e2md.sock

# expect_ctl NAME STATUS STDOUT STDERR ARGS...: exactly that.
expect_ctl() {
	local name=$1 want_status=$2 want_out=$3 want_err=$4
	shift 4
	ctl "$@"
	if [ "$status" = "$want_status" ] && [ "$out" = "$want_out" ] &&
	   [ "$err" = "$want_err" ]; then
		result 1 "$name"
	else
		result 0 "$name" "status $status, wanted $want_status" \
			"stdout: $out" "wanted: $want_out" \
			"stderr: $err" "wanted: $want_err"
	fi
}

# --- a CA, certificates, a store key, a configuration ----------------------

. "$e2m_top/selftests/lib/pki.sh"

if ! { ca ca && ca rogue-ca && pki hss.test ca && pki bsf.test ca &&
       pki naf.test ca && pki rogue.test rogue-ca; }; then
	echo "Bail out! openssl could not make the test certificates"
	exit 1
fi
store_keys store

cfg=$tmp/e2md.yaml
# workers: 1, one process: the exact SEQs below are one reservation's (a
# second worker reserves a window of its own; tests/workers_test.sh).
write_config() {	# [LISTEN [CLIENTS]]
	cat > "$cfg" <<-EOF
	log:
	  level: info
	store:
	  path: $tmp/store.db
	  key-file: $tmp/store.key
	admin:
	  socket: $E2M_SOCKET
	tls:
	  certificate: $tmp/hss.test.crt
	  private-key: $tmp/hss.test.key
	  ca: $tmp/ca.crt
	workers: 1
	roles:
	  hss:
	    listen: "${1:-127.0.0.1:0}"
	    clients: [${2:-bsf.test}]
	    sn-clients: [sgw.test]
	EOF
}
write_config

# --- --check-config ------------------------------------------------------------

check_config() {	# CONFIG: runs e2md --check-config, leaving $status, $err
	"$E2MD" --check-config -c "$1" > "$tmp/out" 2> "$tmp/err"
	status=$?
	err=$(cat "$tmp/err")
	[ ! -s "$tmp/out" ]
}

check_config "$cfg"
result $((status == 0 && ! $? && ${#err} == 0)) \
	"--check-config: a good configuration, status 0 and silence" "$err"

sed "s|$tmp/hss.test.crt|$tmp/missing.crt|" "$cfg" > "$tmp/bad.yaml"
check_config "$tmp/bad.yaml"
want="$tmp/bad.yaml:9: tls.certificate: $tmp/missing.crt: No such file or directory"
result $((status == 1)) "--check-config: a missing certificate: $err"
[ "$err" = "$want" ]
result $((! $?)) "--check-config: names the file and line exactly" \
	"got:    $err" "wanted: $want"

sed "s|$tmp/hss.test.key|$tmp/bsf.test.key|" "$cfg" > "$tmp/bad.yaml"
check_config "$tmp/bad.yaml"
want="$tmp/bad.yaml:10: tls.private-key: $tmp/bsf.test.key: does not match the certificate"
[ $status = 1 ] && [ "$err" = "$want" ]
result $((! $?)) "--check-config: a key of another certificate" \
	"got:    $err" "wanted: $want"

cp "$tmp/store.key" "$tmp/loose.key"
chmod 644 "$tmp/loose.key"
sed "s|$tmp/store.key|$tmp/loose.key|" "$cfg" > "$tmp/bad.yaml"
check_config "$tmp/bad.yaml"
want="$tmp/bad.yaml:5: store.key-file: $tmp/loose.key: mode 0644, the store key file must be 0600 or 0400"
[ $status = 1 ] && [ "$err" = "$want" ]
result $((! $?)) "--check-config: a store key others can read" \
	"got:    $err" "wanted: $want"

# A TLS private key, an existing store or its WAL open to group or other
# is refused, at start as by --check-config.
cp "$tmp/hss.test.key" "$tmp/loose-tls.key"
chmod 640 "$tmp/loose-tls.key"
sed "s|$tmp/hss.test.key|$tmp/loose-tls.key|" "$cfg" > "$tmp/bad.yaml"
check_config "$tmp/bad.yaml"
want="$tmp/bad.yaml:10: tls.private-key: $tmp/loose-tls.key: mode 0640, must not be open to group or other (0600 or 0400)"
[ $status = 1 ] && [ "$err" = "$want" ]
result $((! $?)) "--check-config: a TLS private key the group can read" \
	"got:    $err" "wanted: $want"
"$E2MD" -c "$tmp/bad.yaml" > "$tmp/out" 2> "$tmp/err"
[ $? = 1 ] && grep -qF "level=error event=config-invalid msg=\"$want\"" "$tmp/err"
result $((! $?)) "e2md with that key: does not start" "$(cat "$tmp/err")"
: > "$tmp/loose.db"
chmod 644 "$tmp/loose.db"
: > "$tmp/loose-wal.db"
: > "$tmp/loose-wal.db-wal"
chmod 600 "$tmp/loose-wal.db"
chmod 604 "$tmp/loose-wal.db-wal"
for db in loose.db loose-wal.db; do
	sed "s|$tmp/store.db|$tmp/$db|" "$cfg" > "$tmp/bad.yaml"
	check_config "$tmp/bad.yaml"
	file=$tmp/$db mode=0644
	[ $db = loose-wal.db ] && file=$tmp/$db-wal mode=0604
	want="$tmp/bad.yaml:4: store.path: $file: mode $mode, must not be open to group or other (0600 or 0400)"
	[ $status = 1 ] && [ "$err" = "$want" ]
	result $((! $?)) "--check-config: ${file##*/} of mode $mode is refused" \
		"got:    $err" "wanted: $want"
done
"$E2MD" -c "$tmp/bad.yaml" > "$tmp/out" 2> "$tmp/err"
[ $? = 1 ] && grep -qF "level=error event=config-invalid msg=\"$want\"" "$tmp/err"
result $((! $?)) "e2md with that store: does not start" "$(cat "$tmp/err")"
rm -f "$tmp"/loose*.db*

{ cat "$cfg"; echo "    timeout: 5"; echo "logging: {}"; } > "$tmp/bad.yaml"
check_config "$tmp/bad.yaml"
want="$tmp/bad.yaml:18: roles.hss: unknown key 'timeout' (expected one of: listen, clients, sn-clients, hse-clients, prov-clients, e2m)
$tmp/bad.yaml:19: unknown key 'logging' (expected one of: log, store, admin, tls, metrics, listeners, workers, roles)"
[ $status = 1 ] && [ "$err" = "$want" ]
result $((! $?)) "--check-config: every schema error, with its line" \
	"got:    $err" "wanted: $want"

# A client list left out fails closed: e2md will not start, and says
# which key (an unset list once admitted every certificate of the CA).
for key in clients sn-clients; do
	grep -v "^    $key:" "$cfg" > "$tmp/open.yaml"
	want="$tmp/open.yaml:14: roles.hss: missing key '$key'"
	check_config "$tmp/open.yaml"
	[ $status = 1 ] && [ "$err" = "$want" ]
	result $((! $?)) "--check-config: hss.$key unset is refused" \
		"got:    $err" "wanted: $want"
	"$E2MD" -c "$tmp/open.yaml" > "$tmp/out" 2> "$tmp/err"
	[ $? = 1 ] && grep -q "level=error event=config-invalid msg=\"$want\"" "$tmp/err"
	result $((! $?)) "e2md without hss.$key: does not start" "$(cat "$tmp/err")"
done

# Every key of daemon/e2md.yaml.example is one the schema takes, and the
# files it names load once pointed at this test's. --check-config reads
# the schema and loads the TLS material, the store key and the store's
# directory; it opens no socket and no device, so the example's admin
# socket, listen addresses and e2m0 stay as they are.
sed -e "s|/var/lib/e2m/store.db|$tmp/store.db|" \
    -e "s|/etc/e2m/store.key|$tmp/store.key|" \
    -e "s|/etc/e2m/tls/e2md.crt|$tmp/hss.test.crt|" \
    -e "s|/etc/e2m/tls/e2md.key|$tmp/hss.test.key|" \
    -e "s|/etc/e2m/tls/ca.crt|$tmp/ca.crt|" \
    "$here/../daemon/e2md.yaml.example" > "$tmp/example.yaml"
check_config "$tmp/example.yaml"
result $((status == 0 && ! $? && ${#err} == 0)) \
	"--check-config: daemon/e2md.yaml.example, its files here: status 0 and silence" \
	"$err"

# unknown_key ROLE KEYS: "frob: 1" first under roles.ROLE of the example
# is refused, with the keys the role's schema has.
unknown_key() {
	local line

	line=$(grep -n "^  $1:\$" "$tmp/example.yaml" | cut -d: -f1)
	sed "${line}a\\    frob: 1" "$tmp/example.yaml" > "$tmp/unknown.yaml"
	check_config "$tmp/unknown.yaml"
	want="$tmp/unknown.yaml:$((line + 1)): roles.$1: unknown key 'frob' (expected one of: $2)"
	[ -n "$line" ] && [ $status = 1 ] && [ "$err" = "$want" ]
	result $((! $?)) "--check-config: an unknown key under roles.$1" \
		"got:    $err" "wanted: $want"
}
unknown_key hss "listen, clients, sn-clients, hse-clients, prov-clients, e2m"
unknown_key bsf "name, ub-listen, zn-listen, hss-url, hlr, key-lifetime, ub-source-rate, ub-impi-window, nafs"
unknown_key sgw "attach-listen, hss-url, hse-url, aka, sn-id, hse-gtpu, inner-ipv4-pool"
unknown_key hse "triplet-listen, clients, hss-url, device, key-lifetime, instance"

"$E2MD" -c "$tmp/bad.yaml" > "$tmp/out" 2> "$tmp/err"
[ $? = 1 ] && [ ! -s "$tmp/out" ] &&
	grep -q "level=error event=config-invalid msg=\"$tmp/bad.yaml:19: unknown key 'logging'" "$tmp/err"
result $((! $?)) "e2md on a broken configuration: status 1, the errors logged"

for args in "-c" "--check-config" "-c $cfg -c $cfg" "-c $cfg --frob"; do
	"$E2MD" $args > "$tmp/out" 2> "$tmp/err"
	[ $? = 2 ] && [ ! -s "$tmp/out" ] && [ "$(wc -l < "$tmp/err")" = 1 ] &&
		grep -q '^e2md: ' "$tmp/err"
	result $((! $?)) "e2md ${args//$tmp\//}: usage, status 2: $(cat "$tmp/err")"
done

# --- the daemon ---------------------------------------------------------------

log=$tmp/log
start() {	# starts e2md, waits for its ready file; sets ${pid[hss]}, $addr
	rm -f "$tmp/ready"
	"$E2MD" -c "$cfg" --ready-file "$tmp/ready" 2>> "$log" &
	pid[hss]=$!
	local i
	for i in $(seq 200); do
		[ -s "$tmp/ready" ] && break
		kill -0 "${pid[hss]}" 2> /dev/null || break
		sleep 0.05
	done
	addr=$(sed -n 's/^hss\.zh=//p' "$tmp/ready" 2> /dev/null)
	[ -n "$addr" ]
}

stop() {	# SIGTERM, and e2md's exit status in $stop_status
	kill -TERM "${pid[hss]}"
	wait "${pid[hss]}"
	stop_status=$?
	pid[hss]=
}

wait_log() {	# PATTERN COUNT: until the log has COUNT lines matching
	local i
	for i in $(seq 200); do
		[ "$(grep -c -- "$1" "$log")" -ge "$2" ] && return 0
		sleep 0.05
	done
	return 1
}

if ! start; then
	echo "Bail out! e2md did not start"
	cat "$log" | sed 's/^/# /'
	exit 1
fi
result 1 "e2md starts and writes its ready file: hss.zh=$addr"
grep -q "^pid=${pid[hss]}\$" "$tmp/ready" && grep -q "^admin=$E2M_SOCKET\$" "$tmp/ready"
result $((! $?)) "the ready file has pid= and admin="
grep -q "level=info event=ready version=[^ ]* admin=$E2M_SOCKET hss.zh=$addr\$" "$log"
result $((! $?)) "the log says event=ready with the addresses"
[ "$(stat -c %a "$tmp/run")" = 700 ] && [ "$(stat -c %a "$E2M_SOCKET")" = 600 ] &&
	[ -S "$E2M_SOCKET" ]
result $((! $?)) "admin socket: mode 0600 in a directory made 0700"

# TLS 1.2 with ECDHE and an AEAD only, or TLS 1.3: CBC suites and RSA key
# exchange are refused in the handshake, whatever the certificate.
tls_hello() {	# OPENSSL-S_CLIENT-ARGS...: 0 when the handshake completes
	openssl s_client -connect "$addr" -CAfile "$tmp/ca.crt" \
		-cert "$tmp/bsf.test.crt" -key "$tmp/bsf.test.key" "$@" \
		< /dev/null > "$tmp/s_client.out" 2>&1
}
for suite in ECDHE-ECDSA-AES128-SHA ECDHE-ECDSA-AES256-SHA384 \
	     AES128-SHA AES256-GCM-SHA384; do
	! tls_hello -tls1_2 -cipher $suite
	result $((! $?)) "TLS 1.2 $suite: refused" "$(tail -3 "$tmp/s_client.out")"
done
tls_hello -tls1_2 -cipher ECDHE-ECDSA-AES128-GCM-SHA256 &&
	tls_hello -tls1_2 -cipher ECDHE-ECDSA-CHACHA20-POLY1305 &&
	tls_hello -tls1_3
result $((! $?)) "TLS 1.2 ECDHE-ECDSA AES-GCM and ChaCha20-Poly1305, TLS 1.3: accepted" \
	"$(tail -3 "$tmp/s_client.out")"

ctl status
echo "$out" | grep -q "^role=hss zh=$addr requests=0 vectors-issued=0 resyncs=0 refused=0 best-vectors=0 vectors-e2m=0 best-resyncs=0 av-refused=0 keysets-pulled=0 pulls-refused=0 keysets-evicted=0 keysets-expired=0 window=0 keys-switched=0 key-updates-again=0 key-updates-refused=0\$" &&
	echo "$out" | grep -q '^subscribers=0$' && echo "$out" | grep -q '^sessions=0$' &&
	echo "$out" | grep -q "^pid=${pid[hss]}\$" && [ $status = 0 ] && [ -z "$err" ]
result $((! $?)) "e2mctl status: pid, counts, and the hss role with its address" "$out" "$err"
ctl status -j
[ $status = 0 ] && echo "$out" | grep -q '"zh": "'"$addr"'"' &&
	! echo "$out" | grep -q '"ok"'
result $((! $?)) "e2mctl status -j: the daemon's JSON" "$out"

# --- subscribers ------------------------------------------------------------------

# TS 35.208 test set 1 (OPc) and set 2 (OP, OPc computed by the daemon):
# K, OP, OPc and the IMSIs from selftests/lib/test-vectors.sh.
IMPI1=$IMSI1@ims.mnc001.mcc001.3gppnetwork.org
IMPI2=user2@home1.net

expect_ctl "subscriber add: set 1 with OPc, GBA_U and a USS" 0 "" "" \
	subscriber add --imsi $IMSI1 --impi $IMPI1 --keys <(printf '%s\n' k=$K1 opc=$OPC1) \
	--gba-u --uss '[{"naf":"naf1.home1.net","flags":[1,2]}]'
expect_ctl "subscriber add: set 2 with OP, AMF, e2m, 3 IND bits" 0 "" "" \
	subscriber add --imsi $IMSI2 --impi $IMPI2 --keys <(printf '%s\n' k=$K2 op=$OP2) \
	--amf 8000 --e2m --ind-bits 3
expect_ctl "subscriber add: the same IMSI again" 1 "" \
	"e2mctl: subscriber add: a subscriber with that IMSI or IMPI exists already" \
	subscriber add --imsi $IMSI1 --impi other@home1.net --keys <(printf '%s\n' k=$K1 opc=$OPC1)
expect_ctl "subscriber add: a short K is bad usage" 2 "" \
	"e2mctl: subscriber add: --keys: k: must be 16 octets (32 hex digits), not 15" \
	subscriber add --imsi 001010000000003 --impi u3@home1.net \
	--keys <(printf '%s\n' k=${K1:2} opc=$OPC1)
expect_ctl "subscriber add: OP and OPc both" 2 "" \
	"e2mctl: subscriber add: --keys: exactly one of opc= and op= is needed" \
	subscriber add --imsi 001010000000003 --impi u3@home1.net \
	--keys <(printf '%s\n' k=$K1 opc=$OPC1 op=$OP2)
expect_ctl "subscriber add: an IMSI of letters" 2 "" \
	"e2mctl: subscriber add: --imsi: must be 6 to 15 digits" \
	subscriber add --imsi 00101abc --impi u3@home1.net --keys <(printf '%s\n' k=$K1 opc=$OPC1)

# Keys never on argv (/proc/PID/cmdline, shell history): refused, the
# message naming --keys; a key file others may read is refused too.
expect_ctl "subscriber add --k HEX: refused, naming the alternative" 2 "" \
	"e2mctl: subscriber add: --k on the command line is refused (argv shows in /proc and shell history): put k=HEX in a file given as --keys FILE (mode 0600), or - for standard input" \
	subscriber add --imsi 001010000000003 --impi u3@home1.net --k $K1 \
	--opc $OPC1
expect_ctl "subscriber add --opc=HEX: refused too" 2 "" \
	"e2mctl: subscriber add: --opc on the command line is refused (argv shows in /proc and shell history): put opc=HEX in a file given as --keys FILE (mode 0600), or - for standard input" \
	subscriber add --imsi 001010000000003 --impi u3@home1.net \
	--keys - --opc=$OPC1
printf '%s\n' "# set 1" k=$K1 opc=$OPC1 > "$tmp/keys"
chmod 0640 "$tmp/keys"
expect_ctl "subscriber add --keys FILE of mode 0640: refused" 1 "" \
	"e2mctl: subscriber add: --keys: $tmp/keys: mode 0640, a key file must not be open to group or other (0600 or 0400)" \
	subscriber add --imsi 001010000000003 --impi u3@home1.net \
	--keys "$tmp/keys"
chmod 0600 "$tmp/keys"
expect_ctl "subscriber add --keys FILE of mode 0600" 0 "" "" \
	subscriber add --imsi 001010000000003 --impi u3@home1.net \
	--keys "$tmp/keys"
ctl subscriber remove 001010000000003
expect_ctl "subscriber add --keys - (standard input)" 0 "" "" \
	subscriber add --imsi 001010000000003 --impi u3@home1.net \
	--keys - < "$tmp/keys"
ctl subscriber remove 001010000000003
rm -f "$tmp/keys"

expect_ctl "subscriber without add, list or remove: usage" 2 "" \
	"e2mctl: subscriber: add, list or remove is needed" subscriber
expect_ctl "status with an unknown argument: usage" 2 "" \
	"e2mctl: status: unexpected argument '-x'" status -x
expect_ctl "--socket without a path: usage" 2 "" \
	"e2mctl: --socket needs a path" --socket
expect_ctl "subscriber add --e2m=1: a flag takes no value" 2 "" \
	"e2mctl: subscriber add: --e2m takes no value" \
	subscriber add --imsi 001010000000003 --impi u3@home1.net \
	--keys <(printf '%s\n' k=$K1 opc=$OPC1) --e2m=1

LIST1="imsi=$IMSI1 impi=$IMPI1 amf=0000 ind-bits=5 seq=0 next-ind=0 flags=gba-u uss=naf1.home1.net"
LIST2="imsi=$IMSI2 impi=$IMPI2 amf=8000 ind-bits=3 seq=0 next-ind=0 flags=e2m uss=-"
expect_ctl "subscriber list: both, never a key" 0 "$LIST1
$LIST2" "" subscriber list
ctl subscriber list -j
[ $status = 0 ] && echo "$out" | grep -q '"impi": "'$IMPI2'"' &&
	! echo "$out" | grep -qi -e $K1 -e $OPC1 -e $K2 -e $OPC2 -e '"k"' -e '"opc"'
result $((! $?)) "subscriber list -j: JSON without K or OPc (OPc of set 2 computed, not shown)"

seq_of() {	# IMSI: the subscriber's SEQ_HE from the list
	"$E2MCTL" subscriber list | sed -n "s/^imsi=$1 .* seq=\([0-9]*\) .*/\1/p"
}

# --- Zh ---------------------------------------------------------------------------

BSF=(--cert "$tmp/bsf.test.crt" --key "$tmp/bsf.test.key")
JSON=(-H 'Content-Type: application/json')

zh() {		# BODY CURL-ARGS...: POST to Zh; $code, $body, $curl_status
	code=$(curl -sS --max-time 10 --cacert "$tmp/ca.crt" "${@:2}" \
		--data-binary "$1" -o "$tmp/body" -w '%{http_code}' \
		"https://$addr${ZH_PATH:-/zh/v1/av}" 2> "$tmp/curl.err")
	curl_status=$?
	body=$(cat "$tmp/body" 2> /dev/null)
	rm -f "$tmp/body"
}

field() {	# NAME: a string member of $body
	sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p" <<< "$body"
}

# verify K OPC: the vector in $body against Milenage; sets $sqn (hex)
verify() {
	local rand autn ak amf m
	rand=$(field rand)
	autn=$(field autn)
	ak=$("$E2MCTL" milenage --k $1 --opc $2 --rand "$rand" --sqn 000000000000 \
		--amf 0000 | sed -n 's/^ak=//p')
	sqn=$(printf '%012x' $((0x${autn:0:12} ^ 0x$ak)))
	amf=${autn:12:4}
	m=$("$E2MCTL" milenage --k $1 --opc $2 --rand "$rand" --sqn $sqn --amf $amf)
	[ ${#rand} = 32 ] && [ -n "$ak" ] &&
	grep -qx "res=$(field xres)" <<< "$m" &&
	grep -qx "ck=$(field ck)" <<< "$m" &&
	grep -qx "ik=$(field ik)" <<< "$m" &&
	grep -qx "autn=$autn" <<< "$m"
}

secrets=()	# every key and XRES handed out, to look for in the log
keep_secrets() {
	secrets+=("$(field ck)" "$(field ik)" "$(field xres)")
}

zh '{"impi":"'$IMPI1'"}' "${BSF[@]}" "${JSON[@]}"
result $((code == 200)) "Zh: a vector for set 1: 200" "code $code" "$body" \
	"$(cat "$tmp/curl.err")"
verify $K1 $OPC1
result $((! $?)) "Zh: RES, CK, IK and AUTN are Milenage's for its RAND (independent run)"
[ "$sqn" = 000000000020 ] && [ "$(field autn | cut -c13-16)" = 0000 ]
result $((! $?)) "Zh: the first SQN is SEQ 1, IND 0 (000000000020), AMF 0000: $sqn"
grep -q '"impi":"'$IMPI1'"' <<< "$body" && grep -q '"gba-u":true' <<< "$body" &&
	grep -q '"uss":{"uss-list":\[{"naf":"naf1.home1.net","flags":\[1,2\]}\]}' <<< "$body"
result $((! $?)) "Zh: impi, gba-u true, and the GUSS with the subscriber's USS" "$body"
keep_secrets
rand1=$(field rand)

zh '{"impi":"'$IMPI1'"}' "${BSF[@]}" "${JSON[@]}"
verify $K1 $OPC1 && [ "$sqn" = 000000000041 ] && [ "$(field rand)" != "$rand1" ]
result $((! $?)) "Zh: the next vector: SEQ 2, IND 1 (000000000041), a new RAND: $sqn"
keep_secrets
[ "$(seq_of $IMSI1)" = 2 ]
result $((! $?)) "Zh: SEQ_HE 2 stored"

zh '{"impi":"'$IMPI2'"}' "${BSF[@]}" "${JSON[@]}"
verify $K2 $OPC2 && [ "$sqn" = 000000000008 ] &&
	[ "$(field autn | cut -c13-16)" = 8000 ] && grep -q '"gba-u":false' <<< "$body" &&
	grep -q '"uss":null' <<< "$body"
result $((! $?)) "Zh: set 2 (OPc from OP): Milenage holds, SQN SEQ 1 with 3 IND bits, AMF 8000, no GUSS" \
	"sqn $sqn" "$body"
keep_secrets
grep -q "level=info role=hss event=av-issued impi=$IMPI1 sqn=32 peer=bsf.test\$" "$log" &&
	grep -q "level=info role=hss event=av-issued impi=$IMPI1 sqn=65 peer=bsf.test\$" "$log"
result $((! $?)) "log: each vector issued, with IMPI, SQN and peer"

# --- resynchronisation ------------------------------------------------------------

# The USIM has seen SEQ 100 (IND 0): AUTS for the RAND of the last challenge.
zh '{"impi":"'$IMPI1'"}' "${BSF[@]}" "${JSON[@]}"
keep_secrets
rand=$(field rand)
auts=$("$E2MCTL" auts --k $K1 --opc $OPC1 --rand $rand --sqn-ms 000000000c80 |
	sed -n 's/^auts=//p')
zh '{"impi":"'$IMPI1'","resync":{"rand":"'$rand'","auts":"'$auts'"}}' \
	"${BSF[@]}" "${JSON[@]}"
verify $K1 $OPC1
result $((code == 200 && ! $?)) "resync: 200 and a good vector" "code $code" "$body"
[ "$sqn" = 000000000ca3 ]
result $((! $?)) "resync: the fresh SQN is SEQ 101, IND 3 (000000000ca3): $sqn"
keep_secrets
before=$(seq_of $IMSI1)
bad_auts=${auts:0:27}$(printf '%x' $(( (0x${auts:27:1} + 1) % 16 )))
zh '{"impi":"'$IMPI1'","resync":{"rand":"'$rand'","auts":"'$bad_auts'"}}' \
	"${BSF[@]}" "${JSON[@]}"
[ $code = 403 ] && [ "$body" = '{"error":"resync-failed","detail":"AUTS does not verify"}' ] &&
	[ "$(seq_of $IMSI1)" = "$before" ] && [ "$before" = 101 ]
result $((! $?)) "resync: a bad MAC-S: 403 resync-failed, SEQ_HE unchanged" \
	"code $code" "$body" "seq $before -> $(seq_of $IMSI1)"

# --- refusals ---------------------------------------------------------------------

refused() {	# NAME CODE BODY: the last answer was exactly that
	[ "$code" = "$2" ] && [ "$body" = "$3" ]
	result $((! $?)) "$1" "code $code, wanted $2" "body $body" "wanted $3"
}

before=$(seq_of $IMSI1)
zh '{"impi":"nobody@home1.net"}' "${BSF[@]}" "${JSON[@]}"
refused "an unknown IMPI: 404 unknown-subscriber" 404 '{"error":"unknown-subscriber"}'
# A USS the store takes (under 4,096 octets) whose GUSS does not fit Zh's
# answer: said as such, not as the store's full disk (both were ENOSPC).
# 64 entries (the most a USS has) of 41 and 40 octets of FQDN: 4,083
# octets, and the GUSS's {"uss-list":...} 13 more.
big_uss=$(python3 -c '
import json
uss = [{"naf": "x%02d" % i + "a" * ((41 if i < 50 else 40) - 13) +
        ".home1.net", "flags": [1]} for i in range(64)]
print(json.dumps(uss, separators=(",", ":")))')
ctl subscriber add --imsi 001010000000004 --impi big@home1.net \
	--keys <(printf '%s\n' k=$K1 opc=$OPC1) --uss "$big_uss"
result $((! status)) "subscriber add: a USS of ${#big_uss} octets" "$err"
zh '{"impi":"big@home1.net"}' "${BSF[@]}" "${JSON[@]}"
refused "a USS too large for Zh's answer: 500, said so" 500 \
	'{"error":"internal-error","detail":"USS too large for Zh"}'
ctl subscriber remove 001010000000004
zh '{"impi":"'$IMPI1'",' "${BSF[@]}" "${JSON[@]}"
[ $code = 400 ] && grep -q '^{"error":"bad-request","detail":"' <<< "$body"
result $((! $?)) "malformed JSON: 400 bad-request" "code $code" "$body"
zh '{"imsi":"'$IMSI1'"}' "${BSF[@]}" "${JSON[@]}"
[ $code = 400 ] && grep -q '"error":"bad-request"' <<< "$body" &&
	grep -q 'impi' <<< "$body"
result $((! $?)) "no impi member: 400 bad-request naming it" "$body"
zh '{"impi":"'$IMPI1'","resync":{"rand":"00","auts":"00"}}' "${BSF[@]}" "${JSON[@]}"
[ $code = 400 ] && grep -q '"error":"bad-request"' <<< "$body"
result $((! $?)) "a resync with short hex: 400 bad-request" "$body"
zh '{"impi":"'$IMPI1'"}' "${BSF[@]}" -H 'Content-Type: text/plain'
refused "text/plain: 415" 415 \
	'{"error":"unsupported-media-type","detail":"Content-Type must be application/json"}'
zh '{"impi":"'$IMPI1'"}' "${BSF[@]}" "${JSON[@]}" -X PUT
refused "PUT: 405" 405 '{"error":"method-not-allowed"}'
curl -sS --max-time 10 --cacert "$tmp/ca.crt" "${BSF[@]}" -D "$tmp/headers" \
	-o /dev/null "https://$addr/zh/v1/av" 2> /dev/null
grep -q '^HTTP/1.1 405' "$tmp/headers" && grep -qi '^Allow: POST' "$tmp/headers"
result $((! $?)) "GET: 405 with Allow: POST"
ZH_PATH=/zh/v2/av zh '{"impi":"'$IMPI1'"}' "${BSF[@]}" "${JSON[@]}"
refused "another path: 404 not-found" 404 '{"error":"not-found"}'
head -c 20000 /dev/zero | tr '\0' ' ' > "$tmp/big"
zh "@$tmp/big" "${BSF[@]}" "${JSON[@]}"
result $((code == 413)) "a body over 16 KiB: 413" "code $code"
[ "$(seq_of $IMSI1)" = "$before" ]
result $((! $?)) "refused requests: SEQ_HE unchanged ($before)"

zh '{"impi":"'$IMPI1'"}' "${JSON[@]}"
[ $curl_status != 0 ] && [ "$code" = 000 ]
result $((! $?)) "no client certificate: TLS refused (curl $curl_status)" "$body"
wait_log "event=tls-refused peer=127.0.0.1:[0-9]* local=$addr alert=" 1
result $((! $?)) "log: the refused handshake, with peer and reason"
zh '{"impi":"'$IMPI1'"}' "${JSON[@]}" --cert "$tmp/rogue.test.crt" \
	--key "$tmp/rogue.test.key"
[ $curl_status != 0 ] && [ "$code" = 000 ]
result $((! $?)) "a client certificate from another CA: TLS refused (curl $curl_status)"
zh '{"impi":"'$IMPI1'"}' "${JSON[@]}" --cert "$tmp/naf.test.crt" \
	--key "$tmp/naf.test.key"
refused "a client of the CA not in hss.clients: 403 forbidden" 403 \
	'{"error":"forbidden","detail":"client not in hss.clients"}'
[ "$(seq_of $IMSI1)" = "$before" ]
result $((! $?)) "refused clients: SEQ_HE unchanged"

# --- sessions, removal, status --------------------------------------------------------

expect_ctl "session list: none" 0 "" "" session list
expect_ctl "session list -j: []" 0 "[]" "" session list -j
expect_ctl "subscriber remove by IMPI" 0 "" "" subscriber remove $IMPI2
expect_ctl "subscriber remove again: no such subscriber" 1 "" \
	"e2mctl: subscriber remove: no such subscriber" subscriber remove $IMPI2
expect_ctl "subscriber remove: an IMSI nobody has" 1 "" \
	"e2mctl: subscriber remove: no such subscriber" subscriber remove 999990000000001
ctl status
grep -q "^role=hss zh=$addr requests=16 vectors-issued=5 resyncs=1 refused=8 best-vectors=0 vectors-e2m=0 best-resyncs=0 av-refused=0 keysets-pulled=0 pulls-refused=0 keysets-evicted=0 keysets-expired=0 window=0 keys-switched=0 key-updates-again=0 key-updates-refused=0\$" <<< "$out" &&
	grep -q '^subscribers=1$' <<< "$out"
result $((! $?)) "status: 16 requests served (the 413 and the TLS refusals never reach it), 5 vectors, 1 resync, 8 refused by the HSS, 1 subscriber" "$out"
list=$("$E2MCTL" subscriber list)
E2M_SOCKET=$tmp/nowhere.sock expect_ctl "e2mctl --socket PATH before the command, over \$E2M_SOCKET" \
	0 "$list" "" --socket "$E2M_SOCKET" subscriber list
E2M_SOCKET=$tmp/nowhere.sock expect_ctl "no daemon at the socket: status 1, one line" 1 "" \
	"e2mctl: status: cannot connect to e2md at $tmp/nowhere.sock: No such file or directory" \
	status

# Another user, let in by the file modes: the daemon still says no.
chmod 711 "$tmp" && chmod 755 "$tmp/run" && chmod 666 "$E2M_SOCKET"
setpriv --reuid=65534 --regid=65534 --clear-groups "$E2MCTL" status \
	> "$tmp/out" 2> "$tmp/err"
[ $? = 1 ] && [ ! -s "$tmp/out" ] &&
	[ "$(cat "$tmp/err")" = "e2mctl: status: permission denied: only root may use the admin socket" ]
result $((! $?)) "admin: a non-root peer is refused (SO_PEERCRED)" "$(cat "$tmp/err")"
chmod 700 "$tmp" "$tmp/run" && chmod 600 "$E2M_SOCKET"
grep -q 'level=warning event=admin-refused uid=65534 pid=' "$log"
result $((! $?)) "log: the refused admin peer"
answers=$(python3 - "$E2M_SOCKET" <<'EOF' 2>&1
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall(b'not json\n{"command":"frob"}\n{"command":"status","x":1}\n')
f = s.makefile()
for _ in range(3):
    print(f.readline().strip())
EOF
)
want='{"ok":false,"error":"bad request: one JSON object with a string \"command\" per line"}
{"ok":false,"error":"unknown command \"frob\""}
{"ok":false,"error":"unknown member \"x\""}'
[ "$answers" = "$want" ]
result $((! $?)) "admin protocol: bad lines answered in order, connection kept" "$answers"

# --- SIGHUP -------------------------------------------------------------------------

cp "$cfg" "$tmp/good.yaml"
echo "bogus: 1" >> "$cfg"
kill -HUP "${pid[hss]}"
wait_log 'event=reload-failed msg="keeping the old configuration"' 1
result $((! $?)) "SIGHUP, broken configuration: logged, old one kept"
grep -q "event=reload-failed msg=\"$cfg:18: unknown key 'bogus'" "$log"
result $((! $?)) "SIGHUP, broken configuration: the error with its line"
zh '{"impi":"'$IMPI1'"}' "${BSF[@]}" "${JSON[@]}"
verify $K1 $OPC1
result $((code == 200 && ! $?)) "SIGHUP, broken configuration: still serving"
keep_secrets

write_config 127.0.0.1:0 naf.test
sed -i 's/level: info/level: debug/' "$cfg"
kill -HUP "${pid[hss]}"
wait_log "event=reloaded msg=$cfg" 1
result $((! $?)) "SIGHUP, good configuration: reloaded"
ctl status
grep -q '^log-level=debug$' <<< "$out"
result $((! $?)) "SIGHUP: the new log level applies"
# A client that goes after its answer without close_notify: an end,
# told at debug, not a refused handshake. The file is there before the
# client starts: the loop below reads it while the shell still opens it.
: > "$tmp/cut.out"
{ printf 'GET /nothing HTTP/1.1\r\nHost: hss.test\r\n\r\n'; sleep 5; } |
	openssl s_client -connect "$addr" -CAfile "$tmp/ca.crt" \
	-cert "$tmp/bsf.test.crt" -key "$tmp/bsf.test.key" -quiet \
	> "$tmp/cut.out" 2> /dev/null &
cut_pid=$!
for i in $(seq 100); do
	grep -q "^HTTP/1.1 404" "$tmp/cut.out" && break
	sleep 0.05
done
kill -KILL $cut_pid
wait $cut_pid 2> /dev/null
wait_log "level=debug event=tls-closed peer=[^ ]* local=$addr reason=\"no close_notify\"" 1
result $((! $?)) "log: a client gone after its answer without close_notify, at debug" \
	"$(grep 'tls-' "$log" | tail -3)"
! grep -q "event=tls-refused .*alert=\"decode error\"" "$log"
result $((! $?)) "log: not as a refused handshake"
zh '{"impi":"'$IMPI1'"}' "${BSF[@]}" "${JSON[@]}"
refused "SIGHUP: the new hss.clients applies (bsf.test now refused)" 403 \
	'{"error":"forbidden","detail":"client not in hss.clients"}'

write_config 127.0.0.1:1 bsf.test
kill -HUP "${pid[hss]}"
wait_log 'event=reload-failed msg="roles.hss.listen changed: restart e2md to apply it; keeping the old configuration"' 1
result $((! $?)) "SIGHUP, a new listen address: refused, restart needed"
zh '{"impi":"'$IMPI1'"}' "${JSON[@]}" --cert "$tmp/naf.test.crt" \
	--key "$tmp/naf.test.key"
result $((code == 200)) "SIGHUP refused: the configuration before it stays (naf.test served)"
keep_secrets

cp "$tmp/good.yaml" "$cfg"
kill -HUP "${pid[hss]}"
wait_log "event=reloaded msg=$cfg" 2
result $((! $?)) "SIGHUP: back to the first configuration"

# --- SIGTERM, restart -------------------------------------------------------------------

last_seq=$(seq_of $IMSI1)
stop
result $((stop_status == 0)) "SIGTERM: exit status 0" "status $stop_status"
grep -q 'level=info event=stopping msg="on SIGTERM"' "$log" &&
	grep -q 'level=info event=stopped msg="store closed"' "$log"
result $((! $?)) "SIGTERM: logged stopping and the store closed"
[ ! -e "$tmp/ready" ] && [ ! -e "$E2M_SOCKET" ]
result $((! $?)) "SIGTERM: ready file and admin socket removed"

if start; then
	result 1 "restart: ready again on $addr"
else
	result 0 "restart: ready again"
fi
expect_ctl "restart: the subscriber is still there" 0 \
	"imsi=$IMSI1 impi=$IMPI1 amf=0000 ind-bits=5 seq=$last_seq next-ind=6 flags=gba-u uss=naf1.home1.net" \
	"" subscriber list
zh '{"impi":"'$IMPI1'"}' "${BSF[@]}" "${JSON[@]}"
verify $K1 $OPC1 && [ "$sqn" = "$(printf '%012x' $(( (last_seq + 1) * 32 + 6 )))" ]
result $((! $?)) "restart: the SQN goes on from the store (SEQ $((last_seq + 1)), IND 6): $sqn"
keep_secrets

# A second daemon on the same admin socket: refused, the first unharmed.
"$E2MD" -c "$cfg" 2> "$tmp/second.log"
[ $? = 1 ] && grep -q "event=admin-failed msg=\"$E2M_SOCKET: another daemon is listening on it\"" "$tmp/second.log"
result $((! $?)) "a second e2md on the same socket: exit 1, logged" "$(cat "$tmp/second.log")"
ctl status
result $((status == 0)) "the first one still answers"

stop
result $((stop_status == 0)) "SIGTERM after restart: exit status 0"

# --- the log -------------------------------------------------------------------------

leaked=
for secret in $K1 $OPC1 $K2 $OP2 $OPC2 "${secrets[@]}"; do
	[ -n "$secret" ] && grep -qi -- "$secret" "$log" && leaked="$leaked $secret"
done
result $((${#secrets[@]} == 24 && ${#leaked} == 0)) \
	"log: no K, OP, OPc, CK, IK or XRES of ${#secrets[@]} handed out" "leaked:$leaked"
! grep -q -e 'ERROR: AddressSanitizer' -e 'runtime error:' -e 'LeakSanitizer' "$log"
result $((! $?)) "log: no sanitizer report"
[ "$(grep -cv '^e2md\[[0-9]*\]: level=[a-z]* ' "$log")" = 0 ]
result $((! $?)) "log: every line is e2md[pid]: level=... " \
	"$(grep -v '^e2md\[[0-9]*\]: level=[a-z]* ' "$log" | head -3)"

echo "1..$tap_n"
if [ $tap_failed != 0 ]; then
	echo "# failed $tap_failed of $tap_n"
	sed 's/^/# log: /' "$log"
fi
[ $tap_failed = 0 ]
