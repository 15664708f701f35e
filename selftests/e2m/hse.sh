#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The HSE of BEST (Documentation/best.md, "The HSE") with e2m.ko: a real
# HSS e2md (an e2m subscriber; curl asks for its vectors as the SGW would)
# and the HSE e2md, both on 127.0.0.1 in the namespace "hse", whose e2m0
# is in role hse; the UE's end is a veth peer in the namespace "ue". curl
# posts triplets with client certificates. Checked: the key in the
# "e2m-hse" keyring (listed, never readable), the flow as e2mctl shows it,
# refusals that install nothing, a revoked key pulled again and bound in
# place of the dead one on traffic (COUNT carried on), a restart adopting
# the flow, a rekey (tx on rx), reconciliation, start failures, the
# HSE's metrics (e2m0's counters as e2mctl has them, the refusals), and
# batches of triplets (POST /e2m/v1/triplets: good, malformed, keyless,
# stale and TEID-taken triplets side by side, exact counters), and a
# TEID without a row, which goes to FLOW_NEW unread (an inner address of
# another flow; a kernel flow without a row). Runs
# in the test VM with the module loaded; prints TAP.
set -u
cd "$(dirname "$0")/../.."
. selftests/lib/prologue.sh
. selftests/lib/veth.sh

PDU="/usr/bin/python3 -S selftests/e2m/pdu.py"

# TS 35.208 test sets 1 and 2, both with the e2m flag (IMSI1, K1, OPC1
# and IMSI2, K2, OPC2: selftests/lib/test-vectors.sh).
IMSI3=001010000000003		# never subscribed
TEID=1000			# the HSE's (uplink), 000003e8
UE_TEID=2000
DESC1="imsi:$IMSI1 ksi:1 teid:000003e8"

hse() { ip netns exec hse "$@"; }

make_tmp
# daemon_lib.sh's start() runs "$E2MD": here, in the namespace hse.
. agent/tests/daemon_lib.sh
e2md_in hse

# --- topology: the UE's end (10.0.0.1) and the gateway (10.0.0.2) ---------
hse_gateway
hse ip route add 10.45.0.0/24 dev e2m0
hse ip link add e2m1 type e2m
hse "$E2MCTL" set e2m1 role ue

# --- the HSS and its subscribers ------------------------------------------
pki_ca hss.test hse.test sgw.test other.test
store_keys hss-store hse-store
hss_for_hse "$IMSI1,$K1,$OPC1" "$IMSI2,$K2,$OPC2"
tap_ok $? "the HSS starts, two subscribers with the e2m flag"

hse_config() {	# DEVICE
	cat > "$tmp/hse.yaml" <<-EOF
	store: { path: $tmp/hse.db, key-file: $tmp/hse-store.key }
	admin: { socket: $tmp/hse.sock }
	tls: { certificate: $tmp/hse.test.crt, private-key: $tmp/hse.test.key, ca: $tmp/ca.crt }
	metrics: { listen: "127.0.0.1:0" }
	roles:
	  hse:
	    triplet-listen: "127.0.0.1:0"
	    clients: [sgw.test]
	    hss-url: "https://$HSS"
	    device: $1
	    key-lifetime: 3600
	EOF
}

# --- start failures: the device must be an e2m device in role hse ---------
hse_config e2m9
start hse
tap_is "$? $(grep -c 'event=start-failed.*device e2m9' "$tmp/hse.log")" "1 1" \
	"no such device: start-failed"
hse_config e2m1
start hse
tap_is "$? $(grep -c 'event=start-failed.*e2m1 is in role ue, not hse' "$tmp/hse.log")" "1 1" \
	"a device in role ue: start-failed"

hse_config e2m0
start hse
tap_ok $? "the HSE starts on e2m0"
HSE=$(ready_value hse hse.triplet)

# --- helpers ----------------------------------------------------------------
post() {	# CLIENT URL PATH BODY: $code, $body
	code=$(hse curl -s -o "$tmp/body" -w '%{http_code}' --max-time 20 \
		--cacert "$tmp/ca.crt" --cert "$tmp/$1.crt" --key "$tmp/$1.key" \
		-H "Content-Type: application/json" --data-binary "$4" \
		"https://$2$3")
	body=$(cat "$tmp/body" 2> /dev/null)
}
jget() {	# MEMBER of $body (compact JSON)
	sed -n 's/.*"'"$1"'":"\{0,1\}\([^",}]*\).*/\1/p' <<< "$body"
}
av() {		# IMSI: a UMTS vector as the SGW; its RAND in $rand
	post sgw.test "$HSS" /e2m/v1/av '{"imsi":"'$1'","aka":"umts"}'
	rand=$(jget rand)
}
triplet() {	# CLIENT IMSI RAND KSI TEID [UE-TEID UE-PORT]
	post "$1" "$HSE" /e2m/v1/triplet '{"imsi":"'$2'","rand":"'$3'","ksi":'$4',
		"teid":{"hse":'$5',"ue":'${6:-$UE_TEID}'},
		"ue":{"address":"10.0.0.1","port":'${7:-2152}',"inner-ipv4":"10.45.0.2"}}'
}
endpoint() {	# "REMOTE-TEID PEER-PORT" of the flow
	hse "$E2MCTL" flow show e2m0 teid $TEID -j | /usr/bin/python3 -S -c '
import json, sys
f = json.load(sys.stdin)
print(f["remote-teid"], f["peer-port"])'
}
flows() {	# the TEIDs of e2m0's flows
	hse "$E2MCTL" show e2m0 -j | /usr/bin/python3 -S -c '
import json, sys
print(" ".join(str(f["teid"]) for f in json.load(sys.stdin)[0]["flows"]))'
}
# slots: "KEY-ID:STATE:TX-PENDING:TX-COUNT ..." of the flow, then tx-key-id.
slots() {
	hse "$E2MCTL" flow show e2m0 teid $TEID -j | /usr/bin/python3 -S -c '
import json, sys
f = json.load(sys.stdin)
print(" ".join("%d:%s:%s:%d" % (s["key-id"], s["state"],
      str(s["tx-pending"]).lower(), s["tx-count"]) for s in f["slots"]),
      "tx", f["tx-key-id"])'
}
hse_keys() {	# the descriptions of the keys in e2m-hse, sorted
	keyctl show @u | sed -n 's/.*\\_ e2mkeyset: //p' | sort | tr '\n' ';'
}
# device_metrics: e2m0's flow count and totals as e2mctl shows them,
# written as the HSE's metrics name them, sorted.
device_metrics() {
	hse "$E2MCTL" show e2m0 -j | /usr/bin/python3 -S -c '
import json, sys
d = json.load(sys.stdin)[0]
s = d["totals"]
print("e2m_device_flows{device=\"e2m0\"} %d" % d["flow-count"])
pairs = {"packets": "%s-packets", "bytes": "%s-bytes", "staged": "%s-staged"}
for name, key in pairs.items():
    for way in ("rx", "tx"):
        print("e2m_device_%s_total{device=\"e2m0\",direction=\"%s\"} %d" %
              (name, way, s[key % way]))
print("e2m_device_rx_steered_total{device=\"e2m0\"} %d" % s["rx-steered"])
for k in sorted(s):
    if k not in ("rx-packets", "rx-bytes", "tx-packets", "tx-bytes",
                 "tx-staged", "rx-staged", "rx-steered"):
        print("e2m_device_drops_total{device=\"e2m0\",reason=\"%s\"} %d" % (k, s[k]))' |
		sort
}
scrape() {	# GET /metrics of the HSE into $tmp/hse.prom
	hse curl -s --max-time 10 -o "$tmp/hse.prom" \
		"http://$(ready_value hse metrics)/metrics"
}
counter() {	# NAME: a counter of the HSE's e2mctl status
	"$E2MCTL" --socket "$tmp/hse.sock" status |
		sed -n "s/.* $1=\([0-9]*\).*/\1/p"
}

# --- a triplet makes the flow and its key --------------------------------------
av $IMSI1
rand1=$rand
tap_is "$code ${#rand1}" "200 32" "the SGW's vector for $IMSI1"
triplet sgw.test $IMSI1 "$rand1" 1 $TEID
tap_is "$code|$(jget imsi)|$(jget teid)|$(jget key-id)|$(jget key-description)" \
	"200|$IMSI1|$TEID|1|$DESC1" "triplet: 200 with the key's description"
tap_is "$(hse_keys)" "$DESC1;" "keyctl show: the key in e2m-hse, described imsi ksi teid"
serial1=$(keyctl search @u e2mkeyset "$DESC1" 2> /dev/null)
keyctl read "$serial1" > /dev/null 2>&1
tap_is "$?" 1 "keyctl read of the key is refused"
hse "$E2MCTL" flow show e2m0 teid $TEID -j > "$tmp/flow.json"
tap_is "$(/usr/bin/python3 -S -c '
import json, sys
f = json.load(open(sys.argv[1]))
s = f["slots"][0]
print(f["teid"], f["remote-teid"], f["peer"], f["peer-port"], f["inner-ipv4"],
      f["tx-key-id"], len(f["slots"]), s["key-id"], s["serial"], s["state"],
      s["enc-alg"], s["int-alg"])' "$tmp/flow.json")" \
	"$TEID $UE_TEID 10.0.0.1 2152 10.45.0.2 1 1 1 $serial1 live 128-NEA2 128-NIA2" \
	"flow show -j: TEIDs, peer, inner address, Key ID 1 with that key"
tap_is "$(grep -c "event=flow-created imsi=$IMSI1 teid=$TEID key-id=1" "$tmp/hse.log")" 1 \
	"logged flow-created"

# --- refusals install nothing ----------------------------------------------
triplet sgw.test $IMSI3 $rand1 2 1001
tap_is "$code $(jget error)" "502 keyset-unavailable" "unknown IMSI: 502 keyset-unavailable"
tap_is "$(jget detail)" "HSS: 404 no-keyset: no key set for that IMSI and RAND" \
	"its detail is the HSS's error"
triplet sgw.test $IMSI1 ${rand1:0:31}$(printf %x $(((0x${rand1:31:1} + 1) % 16))) 2 1001
tap_is "$code $(jget error)" "502 keyset-unavailable" "wrong RAND: 502 keyset-unavailable"
av $IMSI2
triplet sgw.test $IMSI2 $rand 3 $TEID
tap_is "$code $(jget error)" "409 teid-in-use" "TEID in use by another IMSI: 409 teid-in-use"
triplet other.test $IMSI1 $rand1 2 1001
tap_is "$code $(jget error)" "403 forbidden" "a client not in hse.clients: 403 forbidden"
post sgw.test "$HSE" /e2m/v1/triplet '{"imsi":"'$IMSI1'","ksi":9}'
tap_is "$code $(jget error)" "400 bad-request" "a malformed triplet: 400 bad-request"
tap_is "$(flows)|$(hse_keys)" "$TEID|$DESC1;" "after the refusals: one flow, one key"

# --- traffic, then the key revoked: pulled again, bound in its place -------
hse ping -c 3 -i 0.2 -W 1 -q 10.45.0.2 > /dev/null 2>&1
before=$(slots)
tap_is "$before" "1:live:false:4 tx 1" "the HSE sent 3 G-PDUs under Key ID 1 (next COUNT 4)"
keyctl revoke "$serial1"
gpdu=$($PDU craft --teid $TEID --key-id 1 --count 1 --direction 0 \
	--k-enc 00000000000000000000000000000000 \
	--k-int 00000000000000000000000000000000 --src 10.45.0.2 --dst 10.0.0.2)
ip netns exec ue $PDU send --to 10.0.0.2 "$gpdu"
wait_log hse "event=key-rebound imsi=$IMSI1 teid=$TEID key-id=1" 1
tap_ok $? "a G-PDU after the revocation: the HSE pulls again and logs key-rebound"
tap_is "$(slots)" "1:live:false:4 tx 1" "the slot is live again, COUNT carried on (next 4)"
serial2=$(keyctl search @u e2mkeyset "$DESC1" 2> /dev/null)
tap_is "$(hse_keys) $([ "$serial2" != "$serial1" ] && echo new)" "$DESC1; new" \
	"a new key in e2m-hse, the revoked one unlinked"
hse ping -c 2 -i 0.2 -W 1 -q 10.45.0.2 > /dev/null 2>&1
tap_is "$(slots)" "1:live:false:6 tx 1" "2 more G-PDUs: next COUNT 6"
tap_is "$(counter triplets) $(counter pulls) $(counter pulls-failed) $(counter installs) $(counter on-demand-pulls)" \
	"1 2 2 1 1" "status: triplets, pulls, pulls-failed, installs, on-demand-pulls"

# --- the metrics: the device's counters as e2mctl reads them -----------------
# A G-PDU for a TEID no flow has: the device's own no-flow drop.
gpdu=$($PDU craft --teid 9999 --key-id 1 --count 1 --direction 0 \
	--k-enc 00000000000000000000000000000000 \
	--k-int 00000000000000000000000000000000 --src 10.45.0.2 --dst 10.0.0.2)
ip netns exec ue $PDU send --to 10.0.0.2 "$gpdu"
for i in $(seq 50); do
	device_metrics | grep -q 'reason="no-flow"} 1$' && break
	sleep 0.1
done
scrape
tap_is "$(grep -c '^e2m_device_drops_total{device="e2m0",reason="no-flow"} 1$' "$tmp/hse.prom")" 1 \
	"metrics: a G-PDU for an unknown TEID is e2m0's no-flow drop"
tap_is "$(grep -c '^e2m_kernel_module_loaded 1$\|^e2m_device_present{device="e2m0"} 1$' "$tmp/hse.prom")" 2 \
	"metrics: the module loaded, e2m0 present"
tap_is "$(grep '^e2m_device_[a-z_]*{' "$tmp/hse.prom" | grep -v present | sort)" \
	"$(device_metrics)" "metrics: e2m0's flows, traffic and drops as e2mctl show's totals have them"
tap_is "$(grep -c '^e2m_device_flows{device="e2m0"} 1$' "$tmp/hse.prom") $(grep -c 'flow=\|teid=' "$tmp/hse.prom")" \
	"1 0" "metrics: one flow, and no per-flow label"
tap_is "$(sed -n 's/^e2m_http_refusals_total{role="hse",interface="triplet",reason="\([a-z-]*\)"} /\1=/p' "$tmp/hse.prom" | sort | tr '\n' ' ')" \
	"bad-request=1 forbidden=1 keyset-unavailable=2 teid-in-use=1 " \
	"metrics: the triplet refusals above, by reason"
if command -v promtool > /dev/null; then
	promtool check metrics < "$tmp/hse.prom" > "$tmp/promtool.out" 2>&1
	tap_ok $? "metrics: promtool check metrics"
else
	tap_skip "metrics: promtool check metrics" "no promtool"
fi

# --- restart: the flow is adopted --------------------------------------------
hse "$E2MCTL" flow add e2m0 teid 7777 remote-teid 1 peer 10.0.0.1 inner 10.45.0.7
stop hse
start hse
HSE=$(ready_value hse hse.triplet)
tap_is "$(grep -c 'event=reconciled adopted=1 deleted=1 dropped=0' "$tmp/hse.log")" 1 \
	"restart: the flow adopted, a flow without a row deleted"
tap_is "$(flows)|$(slots)" "$TEID|1:live:false:6 tx 1" "the flow and its COUNT untouched"

# --- a second AKA run with a new KSI: a rekey, tx on rx ---------------------
av $IMSI1
triplet sgw.test $IMSI1 $rand 2 $TEID
tap_is "$code $(jget key-id)" "200 2" "triplet with KSI 2 for the same IMSI and TEID: 200"
tap_is "$(slots)" "1:live:false:6 2:live:true:1 tx 1" \
	"two slots: Key ID 1 transmits, Key ID 2 pending tx-on-rx"
tap_is "$(hse_keys)" "$DESC1;imsi:$IMSI1 ksi:2 teid:000003e8;" "both keys in e2m-hse"
tap_is "$(grep -c "event=rekeyed imsi=$IMSI1 teid=$TEID key-id=2" "$tmp/hse.log") $(counter rekeys)" \
	"1 1" "logged rekeyed, counted"

# --- runs: the same one again, an older one, a newer one under a used KSI ---
rand2=$rand
keys2=$(hse_keys)
triplet sgw.test $IMSI1 $rand2 2 $TEID
tap_is "$code $(jget key-id) $(slots)" "200 2 1:live:false:6 2:live:true:1 tx 1" \
	"the second run's triplet again: 200, nothing changed"
triplet sgw.test $IMSI1 $rand1 1 $TEID
tap_is "$code $(jget error)" "409 stale-run" \
	"the first run's triplet replayed (its key set still at the HSS): 409 stale-run"
tap_is "$(jget detail | sed 's/[0-9]\+/N/g')" \
	"the flow has a newer AKA run (SQN N) than this key set (SQN N)" "its detail names both SQNs"
tap_is "$(slots)|$(hse_keys)" "1:live:false:6 2:live:true:1 tx 1|$keys2" \
	"and it bound nothing: the slots and keys as they were"
av $IMSI1
triplet sgw.test $IMSI1 $rand 1 $TEID
tap_is "$code $(jget error)" "409 ksi-in-use" \
	"a third run under KSI 1, which transmits beside KSI 2: 409 ksi-in-use"
tap_is "$(slots)" "1:live:false:6 2:live:true:1 tx 1" "and the flow is untouched"
tap_is "$(endpoint)" "$UE_TEID 2152" "the flow's remote TEID and port before"
av $IMSI1
triplet sgw.test $IMSI1 $rand 2 $TEID 4242 2153
tap_is "$code $(jget key-id) $(slots)" "200 2 1:live:false:6 2:live:true:1 tx 1" \
	"a fourth run under KSI 2 (pending, not transmitting): 200, Key ID 2 bound anew"
tap_is "$(hse_keys)" "$DESC1;imsi:$IMSI1 ksi:2 teid:000003e8;" \
	"one key per Key ID in e2m-hse: the third run's replaced the second's"
tap_is "$(endpoint)" "4242 2153" "the triplet's new UE TEID and port are the flow's"

# --- a row without a kernel flow is dropped at start: aka-needed -------------
stop hse
hse "$E2MCTL" flow del e2m0 teid $TEID
start hse
HSE=$(ready_value hse hse.triplet)
tap_is "$(grep -c "event=aka-needed teid=$TEID imsi=$IMSI1" "$tmp/hse.log") $(counter aka-needed)" \
	"1 1" "restart without the kernel flow: its row dropped, aka-needed"
tap_is "$(hse_keys)" "" "and its keys are gone from e2m-hse, not left to their timeout"
triplet sgw.test $IMSI2 $rand 3 $TEID
tap_is "$code $(jget error)" "502 keyset-unavailable" \
	"the TEID is free again (IMSI 2, RAND of IMSI 1: no key set)"

# --- batches: POST /e2m/v1/triplets ------------------------------------------
item() {	# IMSI RAND KSI TEID: one triplet of a batch
	printf '{"imsi":"%s","rand":"%s","ksi":%s,"teid":{"hse":%s,"ue":%s},"ue":{"address":"10.0.0.1","port":2152,"inner-ipv4":"10.46.0.%s"}}' \
		$1 $2 $3 $4 $(($4 + 1000)) $(($4 - 2990))
}
batch() {	# ITEM...: one batch as sgw.test; $results: "STATUS ERROR|..." per triplet
	local items
	items=$(IFS=,; echo "$*")
	post sgw.test "$HSE" /e2m/v1/triplets '{"triplets":['"$items"']}'
	results=$(/usr/bin/python3 -S -c '
import json, sys
try:
    r = json.loads(sys.stdin.read())["results"]
    print("|".join("%s %s" % (x["status"], x.get("error", x.get("key-id")))
                   for x in r))
except Exception:
    print("bad")' <<< "$body")
}
counters() {
	echo "$(counter triplets) $(counter pulls) $(counter pulls-failed) $(counter pull-batches) $(counter installs) $(counter rekeys)"
}
av $IMSI1
randa=$rand
av $IMSI2
randb=$rand
before=$(counters)
batch "$(item $IMSI1 $randa 1 3001)" "$(item $IMSI2 $randb 1 3002)" \
	'{"imsi":"'$IMSI1'","ksi":9}' "$(item $IMSI3 $randa 1 3003)"
tap_is "$code $results" "200 200 1|200 1|400 bad-request|502 keyset-unavailable" \
	"a batch of four (two good, one malformed, one without a key set): 200, each its own answer in order"
tap_is "$before -> $(counters)" "0 0 1 0 0 0 -> 2 2 2 1 2 0" \
	"counted: 2 triplets, 2 pulls and 1 failed in 1 batched pull, 2 installs"
tap_is "$(echo $(flows | tr ' ' '\n' | sort -n))" "3001 3002" "the two good ones are flows, nothing of the others"
tap_is "$(hse_keys)" "imsi:$IMSI1 ksi:1 teid:00000bb9;imsi:$IMSI2 ksi:1 teid:00000bba;" \
	"and their keys are in e2m-hse"
tap_is "$(grep -c 'event=triplet status=200 imsi=.* teid=300[12] key-id=1 peer=sgw.test' "$tmp/hse.log") $(grep -c 'event=triplet status=502 error=keyset-unavailable imsi='$IMSI3' teid=3003' "$tmp/hse.log")" \
	"2 1" "each triplet of the batch logged as one alone is"
av $IMSI1
randc=$rand
batch "$(item $IMSI1 $randc 2 3001)" "$(item $IMSI2 $randb 1 3002)"
tap_is "$code $results" "200 200 2|200 1" \
	"a batch: a new run for 3001 (KSI 2) and 3002's triplet again: both 200"
tap_is "$(counters)" "4 4 2 2 2 1" "a rekey and a repeat: no install, one rekey"
keys=$(hse_keys)
batch "$(item $IMSI1 $randa 1 3001)" "$(item $IMSI2 $randb 1 3002)" \
	"$(item $IMSI2 $randb 1 3001)"
tap_is "$code $results" "200 409 stale-run|200 1|409 teid-in-use" \
	"a batch with 3001's first run replayed and 3001 under another IMSI: 409 stale-run, 200, 409 teid-in-use"
tap_is "$(hse_keys)|$(echo $(flows | tr ' ' '\n' | sort -n))" "$keys|3001 3002" \
	"and the replay bound nothing"
tap_is "$(counters)" "5 6 2 3 2 1" "counted: 1 triplet answered 200, 2 pulls in 1 batch"
post sgw.test "$HSE" /e2m/v1/triplets '{"triplets":[]}'
tap_is "$code $(jget error)" "400 bad-request" "an empty batch: 400 bad-request"
post other.test "$HSE" /e2m/v1/triplets '{"triplets":['"$(item $IMSI1 $randc 2 3001)"']}'
tap_is "$code $(jget error) $(counters)" "403 forbidden 5 6 2 3 2 1" \
	"a batch from a client not in hse.clients: 403 forbidden, nothing done"

# --- a TEID without a row: FLOW_NEW first, without reading the flow ---------
# (hse_install.h, HSE_INSTALL_NO_ROW.) FLOW_NEW's -EEXIST for an inner
# address of another flow: refused as ever, nothing left behind.
flows0=$(echo $(flows | tr ' ' '\n' | sort -n))
keys0=$(hse_keys)
before=$(counters)
av $IMSI2
post sgw.test "$HSE" /e2m/v1/triplet '{"imsi":"'$IMSI2'","rand":"'$rand'","ksi":1,
	"teid":{"hse":3010,"ue":4010},
	"ue":{"address":"10.0.0.1","port":2152,"inner-ipv4":"10.46.0.11"}}'
tap_is "$code $(jget error)|$(jget detail)" \
	"500 kernel-error|inner address already belongs to another flow" \
	"a new TEID with 3001's inner address: 500 kernel-error, the kernel's reason"
tap_is "$(echo $(flows | tr ' ' '\n' | sort -n))|$(hse_keys)" "$flows0|$keys0" \
	"and no flow or key of 3010 is left"
tap_is "$before -> $(counters)" "5 6 2 3 2 1 -> 5 7 2 3 2 1" \
	"counted: its pull, no triplet answered 200, no install"
# A kernel flow without a row (a crash's leftover, reconciliation not yet
# run): FLOW_NEW says -EEXIST, the flow is read and planned as a new run
# on it (the key bound, its endpoint set to the triplet's), as when the
# read came first.
hse "$E2MCTL" flow add e2m0 teid 3011 remote-teid 1 peer 10.0.0.1 inner 10.46.0.21
av $IMSI2
post sgw.test "$HSE" /e2m/v1/triplet "$(item $IMSI2 $rand 1 3011)"
tap_is "$code $(jget key-id)" "200 1" "a triplet for a flow without a row: 200"
tap_is "$(TEID=3011 slots)|$(TEID=3011 endpoint)" "1:live:false:1 tx 1|4011 2152" \
	"its key bound on that flow, the triplet's UE TEID and port set"
tap_is "$(hse_keys)" \
	"$({ tr ';' '\n' <<< "$keys0"; echo "imsi:$IMSI2 ksi:1 teid:00000bc3"; } | sed '/^$/d' | sort | tr '\n' ';')" \
	"its key in e2m-hse beside the others"
tap_is "$(counters) $(grep -c "event=rekeyed imsi=$IMSI2 teid=3011 key-id=1" "$tmp/hse.log")" \
	"6 8 2 3 2 2 1" "counted and logged as a rekey of that flow, not an install"

grep -qiE "$K1|$OPC1|$K2|$OPC2" "$tmp/hse.log" "$tmp/hss.log"
tap_is $? 1 "no secret in either log"
stop hse
hse_status=$stop_status
stop hss
tap_is "$hse_status $stop_status" "0 0" "SIGTERM: both daemons exit 0 (clean, also under ASan)"
tap_done
