#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The store's PostgreSQL engine against a real server: a throwaway
# cluster (tests/pg_cluster.sh), then
#
#   build/tests/store_pg_test on a database of its own: the engines'
#   common suites (tests/store_suite.h, tests/keyupdate_suite.h) and
#   the engine's own tests;
#
#   two HSS e2md on one database, a subscriber added through one and
#   served by both, AV requests for the same two subscribers alternating
#   between them (the exact SQNs: each instance takes the row from the
#   other, so each vector's SEQ is the window, 64, above the last), then
#   40 requests at both at once (40 answers, no SQN twice); an admin
#   command of a role the engine does not serve refused; each SQN is
#   taken from the AUTN with e2mctl milenage's AK;
#
#   two BSF e2md on one database: a UE bootstraps at one, a NAF's Zn
#   request at the other gets the UE's Ks_NAF, and either lists every
#   session; a challenge of one answered at the other (tests/gba_peer.py's
#   UE), that answer replayed at each (403 nonce-replayed), one answer
#   sent to both at once 8 times (exactly one 200), a decoy of one
#   answered at the other (403 as a wrong RES);
#
#   the server going away: a BSF's session INSERT (a UE's bootstrap)
#   and an HSS's SQN update, each waiting for a lock this suite holds,
#   caught by a fast stop, and an AV and a Zn request while the server
#   is down: each answered 503 store-unavailable (Retry-After: 1 where
#   curl sees the headers), the SQN row and the sessions as before; the
#   server started again, and the next requests of every instance served
#   with fresh SQNs;
#
#   kill -9 of one HSS under load (tests/pg_load.py): every request
#   answered 200 (by the survivor after the kill), no SQN twice, every
#   answered SEQ at or below its subscriber's mark in the database, the
#   killed HSS started again and both serving above every SQN answered;
#
#   the issue's mix (tests/pg_mix.sh): two HSS and two BSF on one
#   database, AV requests and bootstraps for the same 20 subscribers at
#   once, one BSF killed (-9) mid-load: every request answered, nothing
#   answered lost, no SQN twice, no nonce accepted twice;
#
#   two SGW e2md on one database (tests/pg_sgw.sh): KSIs alternating
#   between them exactly, the pool recorded once and a third SGW with
#   another pool refused at start, first attaches alternating given
#   exact addresses with one retry, UEs at both at once never given one
#   address twice, a kill -9 losing no KSI answered.
#
# Without a cluster (no postgresql package, initdb failing) every test is
# reported skipped with the reason, never passed. Prints TAP.
#
#   tests/pg_test.sh [E2MCTL [E2MD]]
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../selftests/lib/prologue.sh"
E2MCTL=${1:-$E2MCTL}
E2MD=${2:-$E2MD}
STORE_PG_TEST=$(dirname "$E2MCTL")/tests/store_pg_test
[ -x "$STORE_PG_TEST" ] || STORE_PG_TEST=$here/../build/tests/store_pg_test

need_root "the cluster runs as an unprivileged user root switches to"
need_tools openssl curl python3 jq
make_tmp
. "$here/pg_cluster.sh"
. "$here/daemon_lib.sh"

TWO_TESTS=52	# after store_pg_test's
WINDOW=64	# STORE_SQN_WINDOW (agent/store/store_sqn_reserve.h)
ROUNDS=6	# alternating requests per subscriber and instance
PARALLEL=40

# store_pg_test's TAP, numbered on with this script's; a bail-out or any
# other non-zero exit is one failure more, whatever it printed.
run_store_pg_test() {
	local line rc
	"$STORE_PG_TEST" > "$tmp/store_pg_test.out" 2>&1
	rc=$?
	while IFS= read -r line; do
		case $line in
		1..*) ;;
		"ok "*|"not ok "*)
			tap_n=$((tap_n + 1))
			case $line in "not ok "*) tap_failed=$((tap_failed + 1)) ;; esac
			echo "$line" ;;
		*) echo "$line" ;;
		esac
	done < "$tmp/store_pg_test.out"
	[ $rc = 0 ] || result 0 "store_pg_test exits 0" "exit $rc"
}

if ! pg_start; then
	E2M_TEST_PG_SKIP="no PostgreSQL cluster: $pg_why" run_store_pg_test
	for i in $(seq $TWO_TESTS); do
		tap_skip "- two HSS, two BSF on one database ($i)" "no PostgreSQL cluster: $pg_why"
	done
	tap_done
	exit
fi
pg_createdb e2m_store
pg_createdb e2m_hss
E2M_TEST_PG=$(pg_conninfo e2m_store) \
E2M_TEST_PG_PASSWORD_FILE=$pg_password_file run_store_pg_test

# --- two HSS instances on one database -------------------------------------

pki_ca hss.test sgw.test bsf.test naf1.test hse.test
store_keys store ue
pg_createdb e2m_bsf
mkdir -p "$tmp/run"
# workers: 1: the kill -9 below counts what the one killed process
# answered (a second worker would go on answering while it drains).
for name in hss_a hss_b; do
	cat > "$tmp/$name.yaml" <<-EOF2
	workers: 1
	store:
	  engine: postgresql
	  connection: "$(pg_conninfo e2m_hss)"
	  password-file: $pg_password_file
	  key-file: $tmp/store.key
	admin: { socket: $tmp/run/$name.sock }
	tls: { certificate: $tmp/hss.test.crt, private-key: $tmp/hss.test.key, ca: $tmp/ca.crt }
	roles:
	  hss:
	    listen: "127.0.0.1:0"
	    clients: [bsf.test]
	    sn-clients: [sgw.test]
	EOF2
done
started=1
start hss_a && start hss_b || started=0
result $started "two HSS e2md on one PostgreSQL database" \
	"$(cat "$tmp/hss_a.log" "$tmp/hss_b.log" 2> /dev/null)"
[ $started = 1 ] || { tap_done; exit; }
addr[0]=$(ready_value hss_a hss.zh)
addr[1]=$(ready_value hss_b hss.zh)

ctl --socket "$tmp/run/hss_a.sock" subscriber add --imsi $IMSI1 \
	--impi user1@home1.net --keys <(printf '%s\n' k=$K1 opc=$OPC1) \
	--uss '[{"naf":"naf1.test"}]'
s1=$status
ctl --socket "$tmp/run/hss_a.sock" subscriber add --imsi $IMSI2 \
	--impi user2@home1.net --keys <(printf '%s\n' k=$K2 opc=$OPC2)
ctl --socket "$tmp/run/hss_b.sock" subscriber list
result $((s1 == 0 && status == 0)) \
	"two subscribers added through one instance, listed by the other" \
	"$out" "$err"
grep -q "$IMSI1" <<< "$out" && grep -q "$IMSI2" <<< "$out"
result $((! $?)) "the other lists both" "$out"
ctl --socket "$tmp/run/hss_a.sock" device list
result $((status != 0)) \
	"an admin command of a role the engine does not serve is refused" "$out"
tap_is "$err" "e2mctl: device list: the postgresql store engine does not serve the nafkc role's commands yet" \
	"- ... saying so"

# av N IMSI FILE: an AV request to instance N as the SGW; code, then body.
av() {
	curl -s -o "$3.body" -D "$3.headers" -w '%{http_code}' --max-time 60 \
		--cacert "$tmp/ca.crt" --cert "$tmp/sgw.test.crt" \
		--key "$tmp/sgw.test.key" -H "Content-Type: application/json" \
		--data-binary '{"imsi":"'$2'","aka":"umts"}' \
		"https://${addr[$1]}/e2m/v1/av" > "$3.code" 2> /dev/null
}

# sqn_of K OPC FILE: the SQN of the AV in FILE.body, 12 hex digits.
sqn_of() {
	local body rand autn ak
	body=$(cat "$3.body")
	rand=$(sed -n 's/.*"rand":"\([0-9a-f]*\)".*/\1/p' <<< "$body")
	autn=$(sed -n 's/.*"autn":"\([0-9a-f]*\)".*/\1/p' <<< "$body")
	ak=$("$E2MCTL" milenage --k $1 --opc $2 --rand "$rand" \
		--sqn 000000000000 --amf 0000 | sed -n 's/^ak=//p')
	[ ${#autn} = 32 ] && [ ${#ak} = 12 ] || { echo bad; return; }
	printf '%012x\n' $(( 0x${autn:0:12} ^ 0x$ak ))
}

# Alternating: instance k % 2 serves request k of each subscriber.
got1= got2= want= codes=
for k in $(seq 0 $((2 * ROUNDS - 1))); do
	av $((k % 2)) $IMSI1 "$tmp/s1.$k"
	av $((k % 2)) $IMSI2 "$tmp/s2.$k"
	codes+="$(cat "$tmp/s1.$k.code")$(cat "$tmp/s2.$k.code") "
	got1+="$(sqn_of $K1 $OPC1 "$tmp/s1.$k") "
	got2+="$(sqn_of $K2 $OPC2 "$tmp/s2.$k") "
	want+="$(printf '%012x' $(( ((1 + WINDOW * k) << 5) | (k % 32) ))) "
done
tap_is "$codes" "$(printf '200200 %.0s' $(seq $((2 * ROUNDS))))" \
	"- $((4 * ROUNDS)) alternating AV requests: every one 200"
tap_is "$got1" "$want" \
	"- subscriber 1: SEQ 1, 65, 129, ... (each instance starts above the other's window), IND 0, 1, 2, ..."
tap_is "$got2" "$want" "- subscriber 2: the same, its own"

# At once: PARALLEL requests, half to each instance, both subscribers.
for k in $(seq 1 $PARALLEL); do
	av $((k % 2)) $( ((k % 4 < 2)) && echo $IMSI1 || echo $IMSI2) \
		"$tmp/p.$k" &
	pid[av$k]=$!
done
for k in $(seq 1 $PARALLEL); do
	wait "${pid[av$k]}"
	pid[av$k]=
done
ok_count=0 all=
for k in $(seq 1 $PARALLEL); do
	[ "$(cat "$tmp/p.$k.code")" = 200 ] && ok_count=$((ok_count + 1))
	if ((k % 4 < 2)); then
		all+="1:$(sqn_of $K1 $OPC1 "$tmp/p.$k")"$'\n'
	else
		all+="2:$(sqn_of $K2 $OPC2 "$tmp/p.$k")"$'\n'
	fi
done
tap_is "$ok_count" $PARALLEL "- $PARALLEL AV requests at both at once: every one 200"
all+=$(for k in $(seq 0 $((2 * ROUNDS - 1))); do
	echo "1:$(sqn_of $K1 $OPC1 "$tmp/s1.$k")"
	echo "2:$(sqn_of $K2 $OPC2 "$tmp/s2.$k")"
done)
dups=$(grep -v ':bad$' <<< "$all" | sort | uniq -d)
count=$(grep -v ':bad$' <<< "$all" | sort -u | grep -c .)
tap_is "$count/$dups" "$((PARALLEL + 4 * ROUNDS))/" \
	"- no SQN issued twice for a subscriber, over all $((PARALLEL + 4 * ROUNDS)) vectors"

# --- two BSF instances on one database ---------------------------------------

# bsf_yaml NAME DATABASE HSS-ADDR: $tmp/NAME.yaml, a BSF e2md on that
# database asking that HSS (also the mix's, pg_mix.sh)
bsf_yaml() {
	cat > "$tmp/$1.yaml" <<-EOF2
	store:
	  engine: postgresql
	  connection: "$(pg_conninfo "$2")"
	  password-file: $pg_password_file
	  key-file: $tmp/store.key
	admin: { socket: $tmp/run/$1.sock }
	tls: { certificate: $tmp/bsf.test.crt, private-key: $tmp/bsf.test.key, ca: $tmp/ca.crt }
	roles:
	  bsf:
	    name: bsf.test
	    ub-listen: "127.0.0.1:0"
	    zn-listen: "127.0.0.1:0"
	    hss-url: "https://$3"
	    ub-impi-window: 0
	    nafs:
	      - name: naf1.test
	EOF2
}
bsf_yaml bsf_a e2m_bsf "${addr[0]}"
bsf_yaml bsf_b e2m_bsf "${addr[0]}"
started=1
start bsf_a && start bsf_b || started=0
result $started "two BSF e2md on one PostgreSQL database" \
	"$(cat "$tmp/bsf_a.log" "$tmp/bsf_b.log" 2> /dev/null)"
ub[0]=$(ready_value bsf_a bsf.ub) zn[0]=$(ready_value bsf_a bsf.zn)
ub[1]=$(ready_value bsf_b bsf.ub) zn[1]=$(ready_value bsf_b bsf.zn)
NAF1=$(printf naf1.test | od -An -tx1 | tr -d ' \n')0100000002
ICCID1=8988211000000000001

uectl() { ctl "$@" --store "$tmp/ue.db" --store-key-file "$tmp/ue.key"; }
field() { sed -n "s/^$1=//p" <<< "$out"; }

uectl usim add --iccid $ICCID1 --imsi $IMSI1 --impi user1@home1.net \
	--keys <(printf '%s\n' k=$K1 opc=$OPC1)

# bootstrap_zn UB ZN: a bootstrap through BSF UB, Zn for it at BSF ZN.
bootstrap_zn() {
	local btid ue_naf
	uectl bootstrap --iccid $ICCID1 --bsf "http://${ub[$1]}"
	btid=$(field btid)
	uectl naf-key --iccid $ICCID1 --naf-id $NAF1 --show-key
	ue_naf=$(field ks_naf)
	ctl zn-query --bsf-url "https://${zn[$2]}" --btid "$btid" \
		--naf-id $NAF1 --cert "$tmp/naf1.test.crt" \
		--key "$tmp/naf1.test.key" --ca "$tmp/ca.crt" --show-key
	[ -n "$btid" ] && [ ${#ue_naf} = 64 ] && [ $status = 0 ] &&
		[ "$(field ks_ext_naf)" = "$ue_naf" ] &&
		[ "$(field impi)" = user1@home1.net ]
	result $((! $?)) "bootstrap at BSF $1, Zn at BSF $2: the UE's Ks_NAF" \
		"$out" "$err"
	btids+="$btid "
}
btids=
bootstrap_zn 0 1
bootstrap_zn 1 0
bootstrap_zn 1 1
sessions=$("$E2MCTL" --socket "$tmp/run/bsf_a.sock" session list |
	sed -n 's/^btid=\([^ ]*\) .*/\1/p' | sort | tr '\n' ' ')
tap_is "$sessions" "$(tr ' ' '\n' <<< "$btids" | grep . | sort | tr '\n' ' ')" \
	"- one BSF lists the sessions of both"

# --- one BSF's challenge answered at the other: once ---------------------------

# ue_peer ARGS: tests/gba_peer.py's UE (its own Milenage and Digest) as user1.
ue_peer() {
	out=$(python3 "$here/gba_peer.py" ue --impi user1@home1.net \
		--k $K1 --opc $OPC1 "$@" 2>&1)
	status=$?
}
lines() { grep -E "^($1)=" <<< "$out" | tr '\n' ' '; }
ue_peer --addr "${ub[0]}" --answer-at "${ub[1]}" --replay-at "${ub[0]}" \
	--replay-at "${ub[1]}"
tap_is "$(lines 'challenge|answer|rspauth|replay_at')" \
	"challenge=401 answer=200 error=- rspauth=ok replay_at=403 error=nonce-replayed replay_at=403 error=nonce-replayed " \
	"a challenge of BSF 0 answered at BSF 1: 200; that answer again at each: 403 nonce-replayed"
btids+="$(field btid) "
race_at=
for i in 1 2 3 4; do race_at+="--race-at ${ub[0]} --race-at ${ub[1]} "; done
ue_peer --addr "${ub[1]}" $race_at
tap_is "$(lines race)" "race=200/-:1 403/nonce-replayed:7 " \
	"one answer sent 8 times at once, 4 to each BSF: one 200, 7 times 403 nonce-replayed"
btids+="$(field btid) "
out=$(python3 "$here/gba_peer.py" ue --impi nobody@home1.net --k $K1 \
	--opc $OPC1 --addr "${ub[0]}" --answer-at "${ub[1]}" 2>&1)
tap_is "$(lines 'challenge|answer')" \
	"challenge=401 answer=403 error=authentication-failed " \
	"a decoy of BSF 0 (an IMPI the HSS lacks) answered at BSF 1: 403 authentication-failed, as a wrong RES"
rows=$(pg_sql e2m_bsf "SELECT count(*), count(*) FILTER (WHERE spent = 1 AND secret IS NULL) FROM bsf_challenges")
tap_is "$rows" "6|6" \
	"- the database holds the 6 challenges answered, each spent and without its secret"

# --- the server away ----------------------------------------------------------

# hold DATABASE SQL: SQL in a prepared transaction (PREPARE TRANSACTION),
# its locks held whatever becomes of sessions, a server stop included,
# until release DATABASE rolls it back.
hold() {
	pg_sql "$1" "BEGIN; $2 PREPARE TRANSACTION 'hold_$1';" > /dev/null
}
release() {
	pg_sql "$1" "ROLLBACK PREPARED 'hold_$1';" > /dev/null
}

# until COUNT sessions of the cluster match the condition SQL.
wait_sessions() {	# COUNT SQL
	local i
	for i in $(seq 600); do
		[ "$(pg_sql postgres "SELECT count(*) FROM pg_stat_activity
			WHERE $2")" = "$1" ] && return 0
		sleep 0.05
	done
	return 1
}
waiting='wait_event_type = '\''Lock'\'''

# retry_after FILE: the Retry-After of the answer in FILE.headers.
retry_after() {
	sed -n 's/^Retry-After: *\([0-9]*\).*/\1/Ip' "$1.headers"
}
error_of() {	# FILE: the error token of the answer in FILE.body
	sed -n 's/.*"error":"\([^"]*\)".*/\1/p' "$1.body"
}

# Two requests caught by the server going away, each waiting for a lock
# this suite holds: the BSF's INSERT of a UE's session (the UE's answer
# verified) and an HSS's SQN update (SELECT ... FOR UPDATE). A fast stop
# ends their sessions mid-transaction; the locks, prepared, outlive it.
hold e2m_bsf "LOCK TABLE sessions IN EXCLUSIVE MODE;"
hold e2m_hss "SELECT 1 FROM subscribers WHERE imsi = '$IMSI2' FOR UPDATE;"
sqn_row=$(pg_sql e2m_hss "SELECT sqn_seq, sqn_ind FROM subscribers WHERE imsi = '$IMSI2'")
# The UE's vector comes from the first HSS; the second is the one caught.
"$E2MCTL" bootstrap --iccid $ICCID1 --bsf "http://${ub[0]}" --timeout 120 \
	--store "$tmp/ue.db" --store-key-file "$tmp/ue.key" \
	> "$tmp/caught_ub.out" 2> "$tmp/caught_ub.err" &
pid[caught_ub]=$!
av 1 $IMSI2 "$tmp/caught" &
pid[caught_av]=$!
waited=1
wait_sessions 2 "$waiting AND ((datname = 'e2m_bsf' AND query LIKE 'INSERT INTO sessions%')
	OR (datname = 'e2m_hss' AND query LIKE '%FOR UPDATE'))" || waited=0
result $waited "a BSF's session INSERT and an HSS's SQN update wait for locks held" \
	"$(cat "$tmp/caught_ub.err" 2> /dev/null; grep -h 'level=error' "$tmp/bsf_a.log" "$tmp/hss_a.log" | tail -n 4)"
pg_server_stop
wait "${pid[caught_av]}"
pid[caught_av]=
wait "${pid[caught_ub]}"
ub_status=$?
pid[caught_ub]=
tap_is "$(cat "$tmp/caught.code") $(error_of "$tmp/caught") $(retry_after "$tmp/caught")" \
	"503 store-unavailable 1" \
	"- the server stopped under the HSS's SQN update: 503 store-unavailable, Retry-After: 1"
tap_is "$ub_status $(cat "$tmp/caught_ub.err")" \
	"1 e2mctl: bootstrap: bootstrap failed: the BSF answered 503 store-unavailable: store server unreachable (200 expected)" \
	"- ... under the BSF's session INSERT: the UE gets 503 store-unavailable"

# The server away: each request tries to connect, and is answered 503.
av 0 $IMSI2 "$tmp/away"
tap_is "$(cat "$tmp/away.code") $(error_of "$tmp/away") $(retry_after "$tmp/away")" \
	"503 store-unavailable 1" \
	"- an AV request while the server is away: 503 store-unavailable, Retry-After: 1"
zn_btid=${btids%% *}
zn() {	# BSF: a Zn request for the first session
	ctl zn-query --bsf-url "https://${zn[$1]}" --btid "$zn_btid" \
		--naf-id $NAF1 --cert "$tmp/naf1.test.crt" \
		--key "$tmp/naf1.test.key" --ca "$tmp/ca.crt"
}
zn 1
tap_is "$status $err" \
	"1 e2mctl: zn-query: the BSF answered 503 store-unavailable: store server unreachable" \
	"- a Zn request while the server is away: 503 store-unavailable"
started=1
pg_server_start || started=0
result $started "the server started again"
release e2m_bsf
release e2m_hss
tap_is "$(pg_sql e2m_hss "SELECT sqn_seq, sqn_ind FROM subscribers WHERE imsi = '$IMSI2'")" \
	"$sqn_row" "- the SQN row as before the caught update: nothing of it written"
sessions=$("$E2MCTL" --socket "$tmp/run/bsf_a.sock" session list |
	sed -n 's/^btid=\([^ ]*\) .*/\1/p' | sort | tr '\n' ' ')
tap_is "$sessions" "$(tr ' ' '\n' <<< "$btids" | grep . | sort | tr '\n' ' ')" \
	"- the sessions as before the caught bootstrap: none half-stored"
zn 1
tap_is "$status" 0 "- the Zn request at the same BSF once the server is back: served" \
	"$out" "$err"
# --- one IMPI window across the two BSFs ------------------------------------

# ub-impi-window: 30 on both (SIGHUP; long enough that a loaded host's
# slow UE stays inside it), user2: a bootstrap whose challenge BSF 0
# made and BSF 1 verified ends the IMPI's window at BSF 0 too (BSF 0
# finds that challenge's session in the database), so the UE's next
# bootstrap starting at BSF 0 at once gets its 401, not 503 busy; a
# wrong answer makes no session, and the window stands.
set_window() {	# SECONDS: on both BSFs, reloaded
	local b n
	for b in bsf_a bsf_b; do
		n=$(grep -c 'event=reloaded' "$tmp/$b.log")
		sed -i "s/^    ub-impi-window: .*/    ub-impi-window: $1/" \
			"$tmp/$b.yaml"
		kill -HUP ${pid[$b]}
		wait_log $b 'event=reloaded' $((n + 1)) || return 1
	done
}
# user2: no first request of its on Ub before, no window open.
ue2_peer() {
	out=$(python3 "$here/gba_peer.py" ue --impi user2@home1.net \
		--k $K2 --opc $OPC2 "$@" 2>&1)
}
set_window 30
got=
for extra in "" "" --wrong-res; do
	ue2_peer --addr "${ub[0]}" --answer-at "${ub[1]}" $extra
	got+=$(lines 'challenge|answer')
done
ue2_peer --addr "${ub[0]}"
got+=$(lines 'challenge')
tap_is "$got" \
	"challenge=401 answer=200 error=- challenge=401 answer=200 error=- challenge=401 answer=403 error=authentication-failed challenge=503 " \
	"ub-impi-window 30: challenged at BSF 0, verified at BSF 1, twice back to back: 200 each, no 503; after a wrong answer the window stands at BSF 0: 503"

stop bsf_a
stop bsf_b

# Each instance's next request finds its connection lost at BEGIN (or
# at its first read), makes it again and is served.
codes= sqns=
for n in 0 1; do
	av $n $IMSI1 "$tmp/r.$n"
	codes+="$(cat "$tmp/r.$n.code") "
	sqns+="1:$(sqn_of $K1 $OPC1 "$tmp/r.$n")"$'\n'
done
tap_is "$codes" "200 200 " \
	"- after a server restart, both instances serve the next request"
dups=$( (echo "$all"; echo -n "$sqns") | grep -v ':bad$' | sort | uniq -d)
tap_is "$(grep -c ':bad$' <<< "$sqns")/$dups" "0/" \
	"- ... with SQNs none of the vectors before had"
# --- kill -9 of one HSS under load -----------------------------------------------

# LOAD_REQUESTS AV requests for LOAD_SUBSCRIBERS subscribers from 8
# clients, 4 at each HSS (tests/pg_load.py); the first HSS killed once it
# has answered LOAD_KILL_AFTER, its clients going on at the second.
# E2M_PG_LOAD="REQUESTS SUBSCRIBERS KILL_AFTER" runs a larger one by
# hand: "2000 20 600" took 6 s for the load and 12 s for the checks
# after it on the 2-core host (load average 5), against 1.4 and 3.5.
read -r LOAD_REQUESTS LOAD_SUBSCRIBERS LOAD_KILL_AFTER <<< "${E2M_PG_LOAD:-320 4 60}"
load_imsi() { printf '0010100000%05d' $((100 + $1)); }
load_args=()
for i in $(seq 0 $((LOAD_SUBSCRIBERS - 1))); do
	ctl --socket "$tmp/run/hss_b.sock" subscriber add \
		--imsi $(load_imsi $i) --impi load$i@home1.net \
		--keys <(printf '%s\n' k=$K1 opc=$OPC1)
	load_args+=(--imsi $(load_imsi $i))
done
# Not bash's "Killed" line: the load's errors are in load.out.
{
	python3 "$here/pg_load.py" --hss "${addr[0]}" --hss "${addr[1]}" \
		--ca "$tmp/ca.crt" --cert "$tmp/sgw.test.crt" \
		--key "$tmp/sgw.test.key" --k $K1 --opc $OPC1 "${load_args[@]}" \
		--requests $LOAD_REQUESTS --threads 8 \
		--kill-pid "${pid[hss_a]}" --kill-after $LOAD_KILL_AFTER \
		--out "$tmp/load.sqn" > "$tmp/load.out" 2>&1
	# Not killed by the load (its first HSS's clients all moved on
	# before it answered KILL_AFTER): a failure below, not a hang here.
	grep -q '^killed=1' "$tmp/load.out" || kill -9 "${pid[hss_a]}"
	wait "${pid[hss_a]}"
	killed_status=$?
} 2> /dev/null
pid[hss_a]=
load() { sed -n "s/^$1=//p" "$tmp/load.out"; }
tap_is "$(load answered) $(load given_up) $(load killed) $killed_status" \
	"$LOAD_REQUESTS 0 1 137" \
	"- $LOAD_REQUESTS AV requests at two HSS, the first killed (-9) after $LOAD_KILL_AFTER answers: every request answered 200, the survivor answering the rest" \
	"$(cat "$tmp/load.out")"
answered_a=$(load answered_a)
result $((answered_a >= LOAD_KILL_AFTER && answered_a <= LOAD_KILL_AFTER + 3)) \
	"... the killed HSS answered $LOAD_KILL_AFTER to $((LOAD_KILL_AFTER + 3)) of them (its 3 other clients' answers under way): $answered_a"
tap_is "$(wc -l < "$tmp/load.sqn") $(awk '{print $2, $3}' "$tmp/load.sqn" | sort | uniq -d | wc -l)" \
	"$LOAD_REQUESTS 0" "- no SQN handed out twice for a subscriber, over the $LOAD_REQUESTS vectors"
# Each vector's SEQ (SQN >> 5) against its subscriber's row: the mark on
# the database is at or above every SEQ answered.
pg_sql e2m_hss "SELECT imsi, sqn_seq FROM subscribers
	WHERE impi LIKE 'load%'" > "$tmp/load.rows"
declare -A mark=()
while IFS='|' read -r imsi seq; do
	mark[$imsi]=$seq
done < "$tmp/load.rows"
above=0
while read -r _ imsi sqn; do
	[ -n "${mark[$imsi]:-}" ] && (( (0x$sqn >> 5) <= mark[$imsi] )) ||
		above=$((above + 1))
done < "$tmp/load.sqn"
tap_is "$above" 0 "- every vector answered has its SEQ at or below its subscriber's mark on the database"

# The killed HSS started again, and both serve each subscriber above
# every SQN answered before.
started=1
start hss_a || started=0
result $started "the killed HSS starts again" "$(tail -n 5 "$tmp/hss_a.log")"
addr[0]=$(ready_value hss_a hss.zh)
codes= above=0
for i in $(seq 0 $((LOAD_SUBSCRIBERS - 1))); do
	imsi=$(load_imsi $i)
	last=$(awk -v i=$imsi '$2 == i { print $3 }' "$tmp/load.sqn" | sort | tail -n 1)
	for n in 0 1; do
		av $n $imsi "$tmp/after.$i.$n"
		codes+="$(cat "$tmp/after.$i.$n.code") "
		sqn=$(sqn_of $K1 $OPC1 "$tmp/after.$i.$n")
		[ "$sqn" != bad ] && (( (0x$sqn >> 5) > (0x$last >> 5) )) &&
			above=$((above + 1))
	done
done
tap_is "$codes" "$(printf '200 %.0s' $(seq $((2 * LOAD_SUBSCRIBERS))))" \
	"- then an AV request per subscriber at each HSS: every one 200"
tap_is "$above" $((2 * LOAD_SUBSCRIBERS)) \
	"- ... each with an SEQ above every one answered under the load"

# --- the issue's mix: two HSS, two BSF, one database ----------------------------
. "$here/pg_mix.sh"

# --- two SGW instances, one database ---------------------------------------------
. "$here/pg_sgw.sh"

stop hss_a
a_status=$stop_status
stop hss_b
! grep -qF "$pg_password" "$tmp"/hss_?.yaml "$tmp"/hss_?.log \
	"$tmp"/bsf_?.yaml "$tmp"/bsf_?.log && [ $a_status = 0 ] &&
	[ $stop_status = 0 ]
result $((! $?)) "both HSS stop cleanly; the password in no config nor log"
tap_done
