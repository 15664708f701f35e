#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A long-term key update end to end (Documentation/key-update.md), run
# for real: an HSS and a BSF e2md, a provisioning server e2md (role prov)
# with an OCE certificate under a CA-KLOC made here with the openssl
# command, and a UE store whose USIM has an SD certificate under a USIM
# CA. The operator queues the update (e2mctl key-update add), the USIM
# takes it (e2mctl usim update: PERFORM SECURITY OPERATION, MUTUAL
# AUTHENTICATE, the profile update under secure messaging, the result's
# KCVs), the server switches the HSS (step 6): the USIM has the keys
# pending, the HSS the new ones. Then a GBA bootstrap succeeds with the
# new keys and makes them current, and a USIM restored with the old keys
# fails; a BEST attach through an SGW (the HSE a stand-in,
# tests/gba_peer.py hse) verifies under the new keys only, the old keys'
# RES is refused, and the HSE pulls the key set of the new keys.
# The USIM's SK.SD, certificate and CA-KLOC go into the UE store first
# (e2mctl usim sd-set, its refusals changing nothing). Refusals: a server
# whose key is not its certificate's, session-max-age out of bounds, an
# SD certificate of another CA, an update not queued, a replayed counter
# (queued at the server, and one reaching the USIM: SW 6982).
# And rows of the kill -9 matrix: the HSS killed after its switch (the
# new keys attach), the server killed with the USIM's keys pending and
# the HSS down (the old keys still attach; the restarted server switches
# the HSS, then the new keys attach). An HSS that refuses (an IMSI it does
# not know yet): the server's back-off (2 s, then 4 s), one log line a
# step, SIGHUP trying at once, hss-recovered once it takes the keys; its
# metrics exact at each step (records by state, failed sessions,
# refusals, retries, the delay). And the server killed after the HSS
# switched but before it read the answer: restarted, it sends the same
# update, the HSS answers switched:false, the record is hss-done, and
# only the new keys attach. Through a proxy that holds one message
# (tests/ku_hold_proxy.py): the server killed mid-session with the
# USIM's result on its way (restarted, it takes the session up from its
# store and the update is done), the UE's e2mctl killed after its result
# reached the server (the HSS switched, the new keys attach) and before
# (the record queued, the old keys attach, the update run again is done;
# that abandoned session purged by age at the server's start and before
# a new session, exact counts). Prints TAP.
#
#   tests/keyupdate_prov_test.sh [E2MCTL [E2MD]]
#
# Needs root (the admin sockets take uid 0 only), openssl, python3, curl,
# jq, promtool.
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../selftests/lib/prologue.sh"
E2MCTL=${1:-$E2MCTL}
E2MD=${2:-$E2MD}
PEER=(python3 "$here/gba_peer.py")

need_root "the admin sockets need root"
need_tools openssl python3 curl jq promtool

make_tmp shm
. "$here/daemon_lib.sh"

ICCID=8988211000000000001
IMPI=user1@home1.net
pki_ca hss.test bsf.test prov.test sgw.test hse.test
store_keys hss bsf prov sgw ue old bad

# --- SCP11a's certificates: P-256, ECDSA-SHA-256 ---------------------------------

# ca NAME CN: a self-signed CA; leaf NAME CN CA: a certificate under CA.
scp_ca() {
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$tmp/$1.key.pem" -out "$tmp/$1.pem" -days 30 \
		-subj "/CN=$2" -sha256 \
		-addext basicConstraints=critical,CA:TRUE \
		-addext keyUsage=critical,keyCertSign 2> /dev/null
}
scp_leaf() {
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$tmp/$1.key.pem" -out "$tmp/$1.csr" -subj "/CN=$2" \
		2> /dev/null &&
	openssl x509 -req -in "$tmp/$1.csr" -CA "$tmp/$3.pem" \
		-CAkey "$tmp/$3.key.pem" -CAcreateserial -days 30 -sha256 \
		-out "$tmp/$1.pem" 2> /dev/null
}
scp_ca ca-kloc "CA-KLOC"
scp_leaf oce "prov.home1.net" ca-kloc
scp_ca usim-ca "USIM CA"
scp_leaf sd "SD $ICCID" usim-ca
scp_ca other-ca "USIM CA"
scp_leaf foreign-sd "SD $ICCID" other-ca
[ -s "$tmp/oce.pem" ] && [ -s "$tmp/sd.pem" ] && [ -s "$tmp/foreign-sd.pem" ]
result $((! $?)) "openssl made CA-KLOC, the OCE's, the USIM CA and the SD's certificates"

# --- the network: HSS, BSF, provisioning server -------------------------------------

write_configs() {
	cat > "$tmp/hss.yaml" <<-EOF2
	$(config_base hss hss.test)
	roles:
	  hss:
	    listen: "${HSS_LISTEN:-127.0.0.1:0}"
	    clients: [bsf.test]
	    sn-clients: [bsf.test, sgw.test]
	    hse-clients: [hse.test]
	    prov-clients: [prov.test]
	    e2m:
	      window: 600
	EOF2
	cat > "$tmp/bsf.yaml" <<-EOF2
	$(config_base bsf bsf.test)
	roles:
	  bsf:
	    name: bsf.test
	    ub-listen: "127.0.0.1:0"
	    zn-listen: "127.0.0.1:0"
	    hss-url: "https://$HSS"
	    ub-impi-window: 0	# the old USIM's failure, then at once again
	    nafs:
	      - name: naf1.test
	EOF2
	cat > "$tmp/prov.yaml" <<-EOF2
	$(config_base prov prov.test)
	metrics:
	  listen: "127.0.0.1:0"
	roles:
	  prov:
	    listen: "127.0.0.1:0"
	    certificate: $tmp/oce.pem
	    private-key: $tmp/oce.key.pem
	    usim-ca: $tmp/usim-ca.pem
	    hss-url: "https://$HSS"
	EOF2
}

# A server whose private key is not its certificate's does not start.
cat > "$tmp/bad.yaml" <<-EOF2
$(config_base bad prov.test)
roles:
  prov:
    listen: "127.0.0.1:0"
    certificate: $tmp/oce.pem
    private-key: $tmp/sd.key.pem
    usim-ca: $tmp/usim-ca.pem
    hss-url: "https://127.0.0.1:1"
EOF2
! start bad && grep -q "event=start-failed.*not the key of $tmp/oce.pem" "$tmp/bad.log"
result $((! $?)) "a server whose key is not its certificate's does not start, and says so" "$(cat "$tmp/bad.log")"
pid[bad]=

# session-max-age: 1 to 604800 seconds (a week).
for age in 0 604801; do
	sed "s/^    hss-url: .*/&\n    session-max-age: $age/" "$tmp/bad.yaml" > "$tmp/age.yaml"
	out=$("$E2MD" --check-config -c "$tmp/age.yaml" 2>&1)
	[ $? = 1 ] && [ "$out" = "$tmp/age.yaml:11: roles.prov.session-max-age: must be an integer from 1 to 604800, not '$age'" ]
	result $((! $?)) "session-max-age: $age refused by --check-config, the line and the bounds said" "$out"
done

HSS=127.0.0.1:1
write_configs
start hss || { echo "Bail out! the HSS did not start"; sed 's/^/# /' "$tmp/hss.log"; exit 1; }
HSS=$(ready_value hss hss.zh)
HSS_LISTEN=$HSS
write_configs
start bsf || { echo "Bail out! the BSF did not start"; sed 's/^/# /' "$tmp/bsf.log"; exit 1; }
UB=$(ready_value bsf bsf.ub)
start prov || { echo "Bail out! the server did not start"; sed 's/^/# /' "$tmp/prov.log"; exit 1; }
PROV=$(ready_value prov prov.ue)
result 1 "HSS on $HSS, BSF on $UB, provisioning server on $PROV"

hssctl() { ctl --socket "$tmp/run/hss.sock" "$@"; }
provctl() { ctl --socket "$tmp/run/prov.sock" "$@"; }
uectl() { ctl "$@" --store "$tmp/ue.db" --store-key-file "$tmp/ue.key"; }
oldctl() { ctl "$@" --store "$tmp/old.db" --store-key-file "$tmp/old.key"; }
is() { [ "$1" = "$2" ]; result $((! $?)) "$3" "got:  '$1'" "want: '$2'"; }
field() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" <<< "$out"; }

hssctl subscriber add --imsi $IMSI1 --impi $IMPI \
	--keys <(printf '%s\n' k=$K1 opc=$OPC1) --e2m
uectl usim add --iccid $ICCID --imsi $IMSI1 --impi $IMPI \
	--keys <(printf '%s\n' k=$K1 opc=$OPC1)
oldctl usim add --iccid $ICCID --imsi $IMSI1 --impi $IMPI \
	--keys <(printf '%s\n' k=$K1 opc=$OPC1)
uectl bootstrap --iccid $ICCID --bsf "http://$UB"
result $((status == 0)) "before: the USIM bootstraps with the set 1 keys" "$out" "$err"

sd_set() {	# KEY CERT CA [ICCID]: e2mctl usim sd-set with those PEM files
	uectl usim sd-set --iccid ${4:-$ICCID} --key "$tmp/$1.pem" \
		--cert "$tmp/$2.pem" --ca "$tmp/$3.pem"
}
sd_now=
update() {	# [SD [CA-KLOC]]: the UE's USIM $UPDATE_ICCID, with SD's key and
		# certificate and that CA-KLOC in its store (set when they
		# change: $sd_now), takes it
	local want="${UPDATE_ICCID:-$ICCID} ${1:-sd} ${2:-ca-kloc}"
	if [ "$want" != "$sd_now" ]; then
		sd_set ${1:-sd}.key ${1:-sd} ${2:-ca-kloc} ${UPDATE_ICCID:-$ICCID} ||
			return
		sd_now=$want
	fi
	uectl usim update --iccid ${UPDATE_ICCID:-$ICCID} --server "http://$PROV" \
		--timeout 10
}
state() { provctl key-update list; field state; }

# --- the USIM's SD credentials in the UE store (e2mctl usim sd-set) --------------

# Each refusal before the store is opened: status 2, the reason, the
# store's file not changed by a byte. (Each reason of the check itself,
# P-384 keys and CAs, a CA-KLOC that is no CA, is keyupdate_usim_sd_test's.)
ue_sum() { sha256sum < "$tmp/ue.db"; }
uectl usim update --iccid $ICCID --server "http://$PROV" --timeout 10
[ $status = 1 ] && [ "$err" = "e2mctl: usim update: no SD credentials set for the USIM (e2mctl usim sd-set)" ] &&
	! grep -q "event=session-started" "$tmp/prov.log"
result $((! $?)) "usim update before sd-set: refused (1), nothing sent to the server" "$status $err"
sum=$(ue_sum)
sd_refused() {	# STATUS MESSAGE WHAT: the last sd-set refused so, nothing changed
	[ $status = $1 ] && [ "$err" = "e2mctl: usim sd-set: $2" ] && [ -z "$out" ] &&
		[ "$(ue_sum)" = "$sum" ]
	result $((! $?)) "sd-set $3: refused ($1, \"$2\"), the store unchanged" "$status $err" "$out"
}
cp "$tmp/sd.key.pem" "$tmp/open.key.pem"
chmod 0644 "$tmp/open.key.pem"
sd_set sd.key foreign-sd ca-kloc
sd_refused 2 "the key is not the certificate's key" "with another SD's certificate"
sd_set open.key sd ca-kloc
sd_refused 2 "--key: $tmp/open.key.pem: mode 0644, the SD key file must be 0600 or 0400" "with a key file others may read"
sd_set sd.key sd.key ca-kloc
sd_refused 2 "--cert: $tmp/sd.key.pem: no PEM certificate" "with a key as the certificate"
sd_set sd.key sd ca-kloc 8988211000000000077
sd_refused 1 "no USIM with ICCID 8988211000000000077" "for a USIM not in the store"
sd_set sd.key sd ca-kloc
scalar=$(openssl pkey -in "$tmp/sd.key.pem" -noout -text | sed -n '/^priv:/,/^pub:/p' | tr -d ' :\n' | sed 's/^priv//; s/pub$//')
scalar=${scalar: -64}	# a leading 00, if printed, is not the key's
[ $status = 0 ] && [ "$out" = "iccid=$ICCID sd-cert=/CN=SD $ICCID ca-kloc=/CN=CA-KLOC" ] && [ -z "$err" ] &&
	[ ${#scalar} = 64 ] && ! grep -qi "$scalar" <<< "$out" &&
	[ "$(python3 -c 'import sys; print(sum(bytes.fromhex(sys.argv[1]) in open(f, "rb").read() for f in sys.argv[2:]))' "$scalar" "$tmp"/ue.db*)" = 0 ]
result $((! $?)) "sd-set: SK.SD, the SD's certificate, CA-KLOC kept: the two subjects printed, SK.SD neither printed nor in the store's file in the clear" "$status $out $err"
sd_now="$ICCID sd ca-kloc"

# --- refusals before anything is queued -------------------------------------------

update
[ $status = 1 ] && grep -q "404 no-update" <<< "$err"
result $((! $?)) "no update queued: the server says 404 no-update" "$status" "$err"

provctl key-update add --iccid $ICCID --imsi $IMSI1 \
	--keys <(printf '%s\n' k=$K2 opc=$OPC2) --counter 1
result $((status == 0)) "the operator queues the set 2 keys, counter 1" "$err"
[ "$(state)" = queued ]
result $((! $?)) "key-update list: queued" "$out"
provctl key-update add --iccid $ICCID --imsi $IMSI1 \
	--keys <(printf '%s\n' k=$K1 opc=$OPC1) --counter 2
[ $status = 1 ]
result $((! $?)) "another while it is queued: refused" "$status $err"

# The first command as curl sees it: PERFORM SECURITY OPERATION with the
# OCE's certificate, the DER openssl makes of oce.pem, extended Lc.
sd_hex=$(openssl x509 -in "$tmp/sd.pem" -outform DER | od -An -tx1 -v | tr -d ' \n')
oce_hex=$(openssl x509 -in "$tmp/oce.pem" -outform DER | od -An -tx1 -v | tr -d ' \n')
first=$(curl -s --max-time 10 -H "Content-Type: application/json" \
	--data-binary '{"iccid":"'$ICCID'","sd-certificate":"'$sd_hex'"}' \
	"http://$PROV/keyupdate/v1/session")
c_apdu=$(sed -n 's/.*"c-apdu":"\([0-9a-f]*\)".*/\1/p' <<< "$first")
[ "$c_apdu" = "802a011000$(printf '%04x' $((${#oce_hex} / 2)))$oce_hex" ]
result $((! $?)) "curl starts a session (and leaves it, as a UE killed after step 1): the first command is 80 2A 01 10 with the OCE's DER certificate" "$first"

update foreign-sd
[ $status = 1 ] && grep -q "403 sd-certificate-refused" <<< "$err"
result $((! $?)) "an SD certificate of another CA: 403 sd-certificate-refused" "$err"

# --- the update ----------------------------------------------------------------------

update
[ $status = 0 ] && [ "$(field pending)" = yes ] && [ "$(field update-counter)" = 1 ] &&
	[ "$(field commands)" = 3 ]
result $((! $?)) "usim update: 3 commands (certificate, MUTUAL AUTHENTICATE, update), keys pending, counter 1" "$out" "$err"
wait_log prov "event=update-done" 1
result $(( ! $? )) "the server switched the HSS: update-done" "$(grep -E 'usim-done|update-done|hss-' "$tmp/prov.log")"
[ "$(state)" = hss-done ]
result $((! $?)) "key-update list: hss-done" "$out"
grep -q "event=keys-updated imsi=$IMSI1 counter=1 switched=1 peer=prov.test" "$tmp/hss.log"
result $((! $?)) "the HSS logged keys-updated from prov.test"

update
[ $status = 1 ] && grep -q "404 no-update" <<< "$err"
result $((! $?)) "the update again once done: 404 no-update" "$err"

# --- re-attach: the new keys, then the old ones fail -------------------------------

# kill -9 of the HSS after its switch: the keys it switched are on disk.
kill -9 "${pid[hss]}"; wait "${pid[hss]}" 2> /dev/null; pid[hss]=
start hss
result $((! $?)) "the HSS killed with kill -9 after step 6, and started again"

uectl bootstrap --iccid $ICCID --bsf "http://$UB"
result $((status == 0)) "after: the USIM bootstraps (under the pending set 2 keys)" "$out" "$err"
oldctl bootstrap --iccid $ICCID --bsf "http://$UB"
[ $status = 1 ]
result $((! $?)) "a USIM restored with the set 1 keys fails to bootstrap" "$out" "$err"
uectl bootstrap --iccid $ICCID --bsf "http://$UB"
result $((status == 0)) "the updated USIM bootstraps again" "$out" "$err"

# --- BEST attach with the new keys (best.md): an SGW, the HSE stand-in ------------

"${PEER[@]}" hse --cert "$tmp/hse.test.crt" --key "$tmp/hse.test.key" \
	--ca "$tmp/ca.crt" --hss "$HSS" --client sgw.test --out "$tmp/hse.out" \
	--port-file "$tmp/hse.port" --mode-file "$tmp/hse.mode" 2>> "$tmp/hse.log" &
pid[hse]=$!
for i in $(seq 200); do [ -s "$tmp/hse.port" ] && break; sleep 0.05; done
cat > "$tmp/sgw.yaml" <<-EOF2
$(config_base sgw sgw.test)
roles:
  sgw:
    attach-listen: "127.0.0.1:0"
    hss-url: "https://$HSS"
    hse-url: "https://127.0.0.1:$(cat "$tmp/hse.port")"
    aka: umts
    hse-gtpu:
      address: 192.0.2.10
    inner-ipv4-pool: 10.45.0.0/16
EOF2
start sgw || { echo "Bail out! the SGW did not start"; sed 's/^/# /' "$tmp/sgw.log" "$tmp/hse.log"; exit 1; }
SGW=$(ready_value sgw sgw.attach)
sgw_post() {	# PATH BODY: the answer's status in $code, its body in $body
	body=$(curl -s --max-time 10 -w '\n%{http_code}' -H "Content-Type: application/json" \
		--data-binary "$2" "http://$SGW$1")
	code=${body##*$'\n'} body=${body%$'\n'*}
}
member() { jq -r "$1 // empty" <<< "$2" 2> /dev/null; }	# JQ-PATH JSON
attach() {	# the UE asks; the challenge in $ch, the session in $session
	sgw_post /sgw/v1/attach '{"imsi":"'$IMSI1'","gtpu":{"address":"192.0.2.1","port":2152,"teid":4097}}'
	ch=$body session=$(member .session "$body")
}
complete() {	# RES
	sgw_post /sgw/v1/attach/complete '{"session":"'$session'","res":"'$1'","pco":{"imsi":"'$IMSI1'","rand":"'$(member .rand "$ch")'"}}'
}
usim_view() { "${PEER[@]}" best-av --k $1 --opc $2 <<< "$ch"; }	# K OPC
uev() { sed -n "s/^$1=//p" <<< "$2"; }	# NAME VIEW

attach
new_view=$(usim_view $K2 $OPC2) old_view=$(usim_view $K1 $OPC1)
[ "$code" = 200 ] && [ "$(uev mac_ok "$new_view")" = 1 ] && [ "$(uev mac_ok "$old_view")" = 0 ]
result $((! $?)) "BEST attach: the challenge's AUTN verifies under the set 2 keys, not under set 1 (gba_peer.py's Milenage)" "$code $ch" "$new_view" "$old_view"
complete "$(uev res "$old_view")"
[ "$code" = 403 ] && [ "$(member .error "$body")" = authentication-failed ]
result $((! $?)) "the set 1 keys' RES: 403 authentication-failed" "$code $body"
attach
new_view=$(usim_view $K2 $OPC2)
complete "$(uev res "$new_view")"
triplet=$(tail -n 1 "$tmp/hse.out" 2> /dev/null)
[ "$code" = 200 ] && [ "$(member .imsi "$body")" = $IMSI1 ] &&
	[ "$(member '.["keyset-status"]' "$triplet")" = 200 ] &&
	[ "$(member '.keyset["k-enc"]' "$triplet")" = "$(uev k_enc "$new_view")" ] &&
	[ "$(member '.keyset["k-int"]' "$triplet")" = "$(uev k_int "$new_view")" ]
result $((! $?)) "the set 2 keys' RES: 200, and the key set the HSE pulled is the one of the set 2 keys" "$code $body" "$triplet" "$new_view"
stop sgw
result $((stop_status == 0)) "the SGW stops, exit 0"
kill "${pid[hse]}"; wait "${pid[hse]}" 2> /dev/null; pid[hse]=

provctl key-update add --iccid $ICCID --imsi $IMSI1 \
	--keys <(printf '%s\n' k=$K1 opc=$OPC1) --counter 1
[ $status = 1 ]
result $((! $?)) "counter 1 queued again: refused (not above the last)" "$err"

# --- kill -9: the server, with the USIM's keys pending and the HSS down ------------

provctl key-update add --iccid $ICCID --imsi $IMSI1 \
	--keys <(printf '%s\n' k=$K1 opc=$OPC1) --counter 2
result $((status == 0)) "counter 2, back to the set 1 keys, queued" "$err"
stop hss
update
[ $status = 0 ] && [ "$(field pending)" = yes ] && [ "$(field update-counter)" = 2 ]
result $((! $?)) "with the HSS down, the USIM takes it: pending" "$out" "$err"
[ "$(state)" = usim-done ]
result $((! $?)) "key-update list: usim-done" "$out"
kill -9 "${pid[prov]}"; wait "${pid[prov]}" 2> /dev/null; pid[prov]=
start hss
uectl bootstrap --iccid $ICCID --bsf "http://$UB"
result $((status == 0)) "server killed, HSS not switched: the USIM bootstraps with the set 2 keys (current)" "$out" "$err"
start prov
PROV=$(ready_value prov prov.ue)
wait_log prov "event=update-done" 2
result $(( ! $? )) "the restarted server switches the HSS: update-done" "$(grep -E 'update-done|hss-' "$tmp/prov.log")"
uectl bootstrap --iccid $ICCID --bsf "http://$UB"
result $((status == 0)) "then the USIM bootstraps with the set 1 keys (the switch)" "$out" "$err"
oldctl bootstrap --iccid $ICCID --bsf "http://$UB"
result $((status == 0)) "and the USIM that kept the set 1 keys too" "$out" "$err"

# --- the HSS refuses: its back-off, logged once a step; the metrics ---------------

# A scrape of the server's metrics into $prom.
scrape() { prom=$(curl -s --max-time 10 "http://$(ready_value prov metrics)/metrics"); }
# The server's counts as a line: updates queued, usim-done, hss-done;
# failed; the HSS's refusals as unknown-subscriber; retries; the delay.
counts() {
	scrape
	awk '{ v[$1] = $2 } END {
		print v["e2m_prov_updates{state=\"queued\"}"],
		      v["e2m_prov_updates{state=\"usim-done\"}"],
		      v["e2m_prov_updates{state=\"hss-done\"}"],
		      v["e2m_prov_updates_failed_total"],
		      v["e2m_prov_hss_refusals_total{reason=\"unknown-subscriber\"}"],
		      v["e2m_prov_hss_retries_total"],
		      v["e2m_prov_hss_retry_delay_seconds"] }' <<< "$prom"
}

ICCID2=8988211000000000002
uectl usim add --iccid $ICCID2 --imsi $IMSI2 --impi user2@home1.net \
	--keys <(printf '%s\n' k=$K2 opc=$OPC2)
provctl key-update add --iccid $ICCID2 --imsi $IMSI2 \
	--keys <(printf '%s\n' k=$K1 opc=$OPC1) --counter 1
result $((status == 0)) "a second USIM, its IMSI not in the HSS yet: update queued" "$err"
is "$(counts)" "1 0 1 0 0 0 0" "metrics: updates queued 1, usim-done 0, hss-done 1; failed 0, refusals 0, retries 0, delay 0"

UPDATE_ICCID=$ICCID2 update sd other-ca
[ $status = 1 ] && grep -q "409 update-refused" <<< "$err"
result $((! $?)) "a UE trusting another CA-KLOC: the USIM refuses the server, 409 update-refused" "$err"
is "$(counts)" "1 0 1 1 0 0 0" "metrics: updates failed 1, the record still queued"

UPDATE_ICCID=$ICCID2 update
result $((status == 0)) "the second USIM takes the update: pending" "$out" "$err"
wait_log prov "event=hss-refused iccid=$ICCID2 imsi=$IMSI2 counter=1 status=404 error=unknown-subscriber .*failures=1 retry-in=2" 1
result $((! $?)) "the HSS refuses it, 404 unknown-subscriber: logged, next try in 2 s" "$(grep hss- "$tmp/prov.log")"
is "$(counts)" "0 1 1 1 1 0 2" "metrics: usim-done 1, refusals{unknown-subscriber} 1, retries 0, delay 2"
wait_log prov "event=hss-refused iccid=$ICCID2 .*failures=2 retry-in=4" 1
result $((! $?)) "2 s later refused again: logged with the next delay, 4 s" "$(grep hss- "$tmp/prov.log")"
is "$(counts)" "0 1 1 1 2 1 4" "metrics: refusals 2, retries 1, delay 4"
hssctl subscriber add --imsi $IMSI2 --impi user2@home1.net \
	--keys <(printf '%s\n' k=$K2 opc=$OPC2)
kill -HUP "${pid[prov]}"
wait_log prov "event=hss-recovered failures=2" 1
result $((! $?)) "the subscriber added, SIGHUP (a round at once, not waiting the 4 s): switched, hss-recovered after 2 failures" "$(grep -E 'hss-|update-done' "$tmp/prov.log")"
is "$(grep -c "event=hss-refused iccid=$ICCID2" "$tmp/prov.log")" 2 "two refusals, two log lines"
is "$(counts)" "0 0 2 1 2 2 0" "metrics: hss-done 2; refusals 2, retries 2, delay back to 0"
scrape
out=$(promtool check metrics <<< "$prom" 2>&1)
result $((! $?)) "promtool check metrics: the server's scrape" "$out"
uectl bootstrap --iccid $ICCID2 --bsf "http://$UB"
result $((status == 0)) "the second USIM bootstraps with its new keys" "$out" "$err"

# --- kill -9: the server, after the HSS switched but before its answer was read ---

# The HSS down, the USIM takes counter 3 (usim-done), the server killed;
# the HSS back, and the switch sent as the server's call would have
# (curl with its certificate): the HSS holds the new keys, the server's
# record says usim-done, as when the server dies with the answer in
# flight. The restarted server sends it again: 200 switched:false.
provctl key-update add --iccid $ICCID --imsi $IMSI1 \
	--keys <(printf '%s\n' k=$K2 opc=$OPC2) --counter 3
stop hss
update
[ $status = 0 ] && [ "$(field pending)" = yes ] && [ "$(field update-counter)" = 3 ]
result $((! $?)) "counter 3 (the set 2 keys) with the HSS down: pending at the USIM" "$out" "$err"
kill -9 "${pid[prov]}"; wait "${pid[prov]}" 2> /dev/null; pid[prov]=
start hss
answer=$(curl -s --max-time 10 --cacert "$tmp/ca.crt" --cert "$tmp/prov.test.crt" \
	--key "$tmp/prov.test.key" -H "Content-Type: application/json" \
	--data-binary '{"imsi":"'$IMSI1'","k":"'$K2'","opc":"'$OPC2'","counter":3}' \
	"https://$HSS/keyupdate/v1/keys")
[ "$(jq -r .switched <<< "$answer")" = true ]
result $((! $?)) "the switch reaches the HSS with the server dead: switched" "$answer"
start prov
PROV=$(ready_value prov prov.ue)
wait_log prov "event=update-done iccid=$ICCID imsi=$IMSI1 counter=3 hss-switched=0" 1
result $((! $?)) "the restarted server sends it again: update-done, the HSS had switched already" "$(grep -E 'update-done|hss-' "$tmp/prov.log")"
provctl key-update list
is "$(grep -c 'state=hss-done' <<< "$out") $(grep -c 'state=' <<< "$out")" "2 2" "key-update list: both records hss-done"
is "$(counts)" "0 0 2 0 0 0 0" "metrics of the restarted server: hss-done 2, nothing failed or retried"
oldctl bootstrap --iccid $ICCID --bsf "http://$UB"
[ $status = 1 ]
result $((! $?)) "the USIM that kept the set 1 keys fails now" "$out" "$err"
uectl bootstrap --iccid $ICCID --bsf "http://$UB"
result $((status == 0)) "the updated USIM bootstraps with the set 2 keys (its pending ones)" "$out" "$err"

# --- kill -9: the server mid-session; the UE's e2mctl between command and answer ----

# The UE talks to the server through tests/ku_hold_proxy.py, which holds
# request number 4 (the USIM's result, the answer to the profile update)
# or the server's answer to it; the server's address is read from
# prov.addr at each request.
hold() {	# N request|answer: a proxy holding that message
	rm -f "$tmp/proxy.port" "$tmp/proxy.port.held" "$tmp/proxy.port.go"
	echo "$PROV" > "$tmp/prov.addr"
	python3 "$here/ku_hold_proxy.py" "$tmp/proxy.port" "$tmp/prov.addr" \
		"$1" "$2" 2>> "$tmp/proxy.log" &
	pid[proxy]=$!
	for i in $(seq 200); do [ -s "$tmp/proxy.port" ] && break; sleep 0.05; done
}
bg_update() {	# e2mctl usim update through the proxy, in the background
	"$E2MCTL" usim update --iccid $ICCID --server "http://127.0.0.1:$(cat "$tmp/proxy.port")" \
		--timeout 20 \
		--store "$tmp/ue.db" --store-key-file "$tmp/ue.key" \
		> "$tmp/bg.out" 2> "$tmp/bg.err" &
	pid[ue]=$!
	for i in $(seq 400); do [ -e "$tmp/proxy.port.held" ] && return 0; sleep 0.05; done
	return 1
}
unhold() { kill "${pid[proxy]}"; wait "${pid[proxy]}" 2> /dev/null; pid[proxy]=; }
kill9() { kill -9 "${pid[$1]}"; wait "${pid[$1]}" 2> /dev/null; pid[$1]=; }
open_sessions() { "$E2MCTL" --socket "$tmp/run/prov.sock" status | sed -n 's/.* sessions-open=\([-0-9]*\).*/\1/p'; }

# The server killed with the USIM's result on its way: the session (its
# step, the session keys sealed) is in the server's store; the server
# started again takes the result up where the session stood.
provctl key-update add --iccid $ICCID --imsi $IMSI1 \
	--keys <(printf '%s\n' k=$K1 opc=$OPC1) --counter 4
hold 4 request
bg_update
result $((! $?)) "counter 4 (the set 1 keys): the USIM's result held on its way" "$(cat "$tmp/bg.err")"
kill9 prov
start prov
PROV=$(ready_value prov prov.ue)
is "$(open_sessions)" 1 "the restarted server has the session in its store: sessions-open 1"
echo "$PROV" > "$tmp/prov.addr"
touch "$tmp/proxy.port.go"
wait "${pid[ue]}"; status=$?; pid[ue]=
out=$(cat "$tmp/bg.out")
[ $status = 0 ] && [ "$(field pending)" = yes ] && [ "$(field update-counter)" = 4 ] &&
	[ "$(field commands)" = 3 ]
result $((! $?)) "the server killed with kill -9 mid-session and started again: it takes the session up (the result verifies under the kept session keys), the e2mctl done" "$out" "$(cat "$tmp/bg.err")"
unhold
wait_log prov "event=update-done iccid=$ICCID imsi=$IMSI1 counter=4 " 1
result $((! $?)) "update-done for counter 4" "$(grep -E 'update-done|hss-|session' "$tmp/prov.log" | tail -5)"
uectl bootstrap --iccid $ICCID --bsf "http://$UB"
result $((status == 0)) "the USIM bootstraps (under its pending set 1 keys)" "$out" "$err"
oldctl bootstrap --iccid $ICCID --bsf "http://$UB"
result $((status == 0)) "and so does the USIM that kept the set 1 keys: the HSS has them" "$out" "$err"

# The UE's e2mctl killed after its result reached the server, before the
# answer came: the server has it (usim-done, the HSS switched); the
# USIM's keys are pending; the re-attach is with the new keys.
provctl key-update add --iccid $ICCID --imsi $IMSI1 \
	--keys <(printf '%s\n' k=$K2 opc=$OPC2) --counter 5
hold 4 answer
bg_update
result $((! $?)) "counter 5 (the set 2 keys): the server's answer to the result held" "$(cat "$tmp/bg.err")"
kill9 ue
unhold
wait_log prov "event=update-done iccid=$ICCID imsi=$IMSI1 counter=5 " 1
result $((! $?)) "the e2mctl killed with kill -9 before the answer: the server had the result, update-done" "$(grep -E 'update-done|hss-' "$tmp/prov.log" | tail -3)"
uectl bootstrap --iccid $ICCID --bsf "http://$UB"
result $((status == 0)) "the USIM bootstraps (its pending set 2 keys)" "$out" "$err"
oldctl bootstrap --iccid $ICCID --bsf "http://$UB"
[ $status = 1 ]
result $((! $?)) "the USIM with the set 1 keys fails: the HSS switched" "$out" "$err"

# The UE's e2mctl killed before its result reached the server: the keys
# are pending at the USIM, the record queued, the HSS not switched: the
# re-attach is with the old keys, and the update run again is answered
# 9000 again by the USIM, then the HSS switches.
provctl key-update add --iccid $ICCID --imsi $IMSI1 \
	--keys <(printf '%s\n' k=$K1 opc=$OPC1) --counter 6
hold 4 request
bg_update
result $((! $?)) "counter 6 (the set 1 keys): the USIM's result held on its way" "$(cat "$tmp/bg.err")"
kill9 ue
unhold
provctl key-update list
grep -q "^iccid=$ICCID .* counter=6 state=queued$" <<< "$out"
result $((! $?)) "the e2mctl killed with kill -9 before its result reached the server: the record stays queued" "$out"
is "$(open_sessions)" 1 "and its session stays kept (sessions-open 1)"

# The abandoned session purged by age (session-max-age, default 3600 s):
# the row aged 3601 s in the file, and a copy of it for another ICCID
# (never opened: a purge reads no secret) only 10 s old. At start the
# server purges exactly the old one; before the next new session, the
# copy aged past the hour too.
prov_sql() {	# STATEMENT...: run in one transaction, each one's row count
	python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
print(*(c.execute(q).rowcount for q in sys.argv[2:])); c.commit()' \
		"$tmp/prov.db" "$@"
}
stop prov
is "$(prov_sql "INSERT INTO prov_sessions SELECT '8988211000000000999',
	randomblob(16), counter, step, certs_sent, sd_point, secret, chain,
	sm_counter, created, updated - 10 FROM prov_sessions" \
	"UPDATE prov_sessions SET updated = updated - 3601
	WHERE iccid = '$ICCID'")" "1 1" "the server stopped: its session aged 3601 s, a copy 10 s"
start prov
PROV=$(ready_value prov prov.ue)
is "$(grep -c "event=sessions-purged count=1 max-age=3600$" "$tmp/prov.log") $(open_sessions)" "1 1" \
	"started again, it purges the one older than an hour: sessions-purged count=1, sessions-open 1"
prov_sql "UPDATE prov_sessions SET updated = updated - 3600" > /dev/null
uectl bootstrap --iccid $ICCID --bsf "http://$UB"
result $((status == 0)) "the USIM bootstraps (the HSS not switched: its current set 2 keys)" "$out" "$err"
oldctl bootstrap --iccid $ICCID --bsf "http://$UB"
[ $status = 1 ]
result $((! $?)) "the set 1 keys still fail" "$out" "$err"
update
[ $status = 0 ] && [ "$(field pending)" = yes ] && [ "$(field update-counter)" = 6 ]
result $((! $?)) "the update run again: the USIM answers it again (still pending), done" "$out" "$err"
wait_log prov "event=update-done iccid=$ICCID imsi=$IMSI1 counter=6 " 1
result $((! $?)) "update-done for counter 6" "$(grep -E 'update-done|hss-' "$tmp/prov.log" | tail -3)"
is "$(grep -c "event=sessions-purged count=1 max-age=3600$" "$tmp/prov.log") $(open_sessions)" "2 0" \
	"the new session purged the copy, now 3610 s old (sessions-purged count=1 again), and ended: sessions-open 0"
uectl bootstrap --iccid $ICCID --bsf "http://$UB"
result $((status == 0)) "the USIM bootstraps with the set 1 keys" "$out" "$err"
oldctl bootstrap --iccid $ICCID --bsf "http://$UB"
result $((status == 0)) "as does the one that kept them: the HSS has them again" "$out" "$err"

# A replayed update reaching the USIM: a server that lost its record
# (the row deleted from its store) queues counter 5, below the USIM's 6.
# The USIM refuses it under secure messaging, the session ends, nothing
# changes at the USIM or the HSS.
prov_sql "DELETE FROM prov_updates WHERE iccid = '$ICCID'" > /dev/null
provctl key-update add --iccid $ICCID --imsi $IMSI1 \
	--keys <(printf '%s\n' k=$K2 opc=$OPC2) --counter 5
update
refusal="$status $err"
provctl key-update list
[ "$refusal" = "1 e2mctl: usim update: the server refused: 409 update-refused: SW 6982: counter not above the USIM's last" ] &&
	grep -q "^iccid=$ICCID .* counter=5 state=queued$" <<< "$out"
result $((! $?)) "counter 5 replayed to the USIM at 6: 409 update-refused, SW 6982; the record stays queued" "$refusal" "$out"
uectl bootstrap --iccid $ICCID --bsf "http://$UB"
result $((status == 0)) "the USIM still bootstraps with the set 1 keys: nothing staged, the HSS not switched" "$out" "$err"

# --- no key in the logs --------------------------------------------------------------

leaked=()
for s in "$K1" "$OPC1" "$K2" "$OPC2"; do
	grep -qi -- "$s" "$tmp/prov.log" "$tmp/hss.log" && leaked+=("$s")
done
result $(( ${#leaked[@]} == 0 )) "the logs hold none of the keys" "${leaked[@]}"

stopped=()
for d in prov bsf hss; do
	stop $d
	stopped+=("$d:$stop_status")
done
is "${stopped[*]}" "prov:0 bsf:0 hss:0" "SIGTERM: each e2md exits 0 (under ASan: nothing leaked)"
tap_done
