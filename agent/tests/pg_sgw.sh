# SPDX-License-Identifier: GPL-2.0
#
# Two SGW e2md on one PostgreSQL database (the store's sgw_ues, shared),
# sourced by tests/pg_test.sh: an HSS of their own (SQLite, the e2m
# subscribers and the HSE's pulls) and tests/gba_peer.py hse as the HSE;
# curl as the UEs, RES from gba_peer.py best-av. Then:
#
#   one IMSI's attaches alternating between the instances: KSI 0, 1, 2,
#   ..., 6, 0: each the one after the other instance's (the row read
#   before a KSI is taken);
#   SGW_UES other IMSIs attaching at once, half at each instance (each
#   UE trying again on 500, as a UE does: an instance's pool cursor may
#   offer an address the other gave, which the database refuses):
#   every one attached, no address twice, each answer's KSI and address
#   the database's row;
#   one instance killed (-9) and started again: it restores every row,
#   and each UE's next attach there gets the KSI after the one answered;
#   both stopped and the pool's record deleted, a start with another
#   pool records it and drops the old pool's addresses.
#
# Before the UEs at once: the pool's record (meta sgw_pool), written by
# the first SGW; a third SGW with another pool refused at start (exit 1,
# both pools named, nothing written); SGW_SEQ UEs attaching one after
# the other, alternating between the instances, each a first attach:
# the second instance's first address is the first's (.2), refused by
# the database and tried again at once at .129, the middle of what it
# knows free (sgw_ues_address_elsewhere()); then each instance goes on
# from its own: .2 .129 .3 .130, one retry in all.
SGW_UES=6
SGW_SEQ=4	# IMSIs SGW_UES + 1 .. SGW_UES + SGW_SEQ
sgw_imsi() { printf '0010100002%05d' $1; }

sgw_t0=$(date +%s%N)
pg_createdb e2m_sgw
store_keys hss_s
cat > "$tmp/hss_s.yaml" <<EOF2
$(config_base hss_s hss.test)
roles:
  hss:
    listen: "127.0.0.1:0"
    clients: [bsf.test]
    sn-clients: [sgw.test]
    hse-clients: [hse.test]
    e2m:
      window: 600
EOF2
sgw_added=0
if start hss_s; then
	for i in $(seq 0 $((SGW_UES + SGW_SEQ))); do
		ctl --socket "$tmp/run/hss_s.sock" subscriber add \
			--imsi $(sgw_imsi $i) --impi sgw$i@home1.net \
			--keys <(printf '%s\n' k=$K1 opc=$OPC1) --e2m
		[ $status = 0 ] && sgw_added=$((sgw_added + 1))
	done
fi
rm -f "$tmp/hse.port"
python3 "$here/gba_peer.py" hse --cert "$tmp/hse.test.crt" \
	--key "$tmp/hse.test.key" --ca "$tmp/ca.crt" \
	--hss "$(ready_value hss_s hss.zh)" --client sgw.test \
	--out "$tmp/hse.out" --port-file "$tmp/hse.port" \
	--mode-file "$tmp/hse.mode" 2>> "$tmp/hse.log" &
pid[hse]=$!
for i in $(seq 200); do
	[ -s "$tmp/hse.port" ] && break
	sleep 0.05
done
sgw_yaml() {	# NAME [POOL]
	cat > "$tmp/$1.yaml" <<-EOF2
	store:
	  engine: postgresql
	  connection: "$(pg_conninfo e2m_sgw)"
	  password-file: $pg_password_file
	  key-file: $tmp/store.key
	admin: { socket: $tmp/run/$1.sock }
	tls: { certificate: $tmp/sgw.test.crt, private-key: $tmp/sgw.test.key, ca: $tmp/ca.crt }
	roles:
	  sgw:
	    attach-listen: "127.0.0.1:0"
	    hss-url: "https://$(ready_value hss_s hss.zh)"
	    hse-url: "https://127.0.0.1:$(cat "$tmp/hse.port" 2> /dev/null)"
	    hse-gtpu: { address: 192.0.2.10 }
	    inner-ipv4-pool: ${2:-10.46.0.0/24}
	EOF2
}
sgw_yaml sgw_0
sgw_yaml sgw_1
started=1
start sgw_0 && start sgw_1 || started=0
result $((started && sgw_added == SGW_UES + SGW_SEQ + 1)) \
	"two SGW e2md on one PostgreSQL database, $((SGW_UES + SGW_SEQ + 1)) e2m subscribers at their HSS" \
	"$(tail -n 5 "$tmp/sgw_0.log" "$tmp/sgw_1.log" "$tmp/hse.log" 2> /dev/null)"
sgw_addr() { ready_value sgw_$1 sgw.attach; }
sgw_checks() {

# sgw_post N PATH BODY OUT: OUT.code, OUT.body
sgw_post() {
	curl -s -o "$4.body" -w '%{http_code}' --max-time 30 \
		-H "Content-Type: application/json" --data-binary "$3" \
		"http://$(sgw_addr $1)$2" > "$4.code" 2> /dev/null
}
sgw_member() {	# MEMBER OUT: a member of OUT.body ("" when none)
	jq -r --arg m "$1" '.[$m] // empty' "$2.body" 2> /dev/null
}

# sgw_attach N IMSI OUT: an attach and its completion at instance N;
# OUT.code and OUT.body the completion's (the attach's when it failed).
sgw_attach() {
	local res session rand
	sgw_post $1 /sgw/v1/attach '{"imsi":"'$2'","gtpu":{"address":"192.0.2.1","port":2152,"teid":4097}}' "$3"
	[ "$(cat "$3.code")" = 200 ] || return 0
	session=$(sgw_member session "$3") rand=$(sgw_member rand "$3")
	res=$(python3 "$here/gba_peer.py" best-av --k $K1 --opc $OPC1 \
		< "$3.body" | sed -n 's/^res=//p')
	sgw_member ksi "$3" > "$3.ksi"
	sgw_post $1 /sgw/v1/attach/complete '{"session":"'$session'","res":"'$res'","pco":{"imsi":"'$2'","rand":"'$rand'"}}' "$3"
}

# One IMSI alternating: attaches only (the KSI is taken with the challenge).
ksis=
for k in $(seq 0 7); do
	sgw_post $((k % 2)) /sgw/v1/attach '{"imsi":"'$(sgw_imsi 0)'","gtpu":{"address":"192.0.2.1","port":2152,"teid":4097}}' "$tmp/alt.$k"
	ksis+="$(cat "$tmp/alt.$k.code"):$(sgw_member ksi "$tmp/alt.$k") "
done
tap_is "$ksis" "200:0 200:1 200:2 200:3 200:4 200:5 200:6 200:0 " \
	"- one IMSI's 8 attaches alternating between the SGWs: KSI 0..6, then 0, each after the other's"

# The pool's record, and a third SGW with another pool.
sgw_table() {
	pg_sql e2m_sgw "SELECT name, md5(value) FROM meta ORDER BY name;
		SELECT imsi, last_ksi, inner_ipv4, hse_teid, attached, mac
		FROM sgw_ues ORDER BY imsi"
}
tap_is "$(pg_sql e2m_sgw "SELECT count(*) FROM meta WHERE name = 'sgw_pool'") $(cat "$tmp/sgw_0.log" "$tmp/sgw_1.log" | grep -c "level=info role=sgw event=pool-recorded pool=10.46.0.0/24")" "1 1" \
	"- the pool recorded once in the database (meta sgw_pool), by the first SGW to start"
sgw_table > "$tmp/table.before"
sgw_yaml sgw_2 10.46.1.0/24
timeout 20 "$E2MD" -c "$tmp/sgw_2.yaml" 2> "$tmp/sgw_2.log"
sgw2_status=$?
sgw_table > "$tmp/table.after"
tap_is "$sgw2_status $(grep -c "level=error role=sgw event=start-failed msg=.roles.sgw.inner-ipv4-pool is 10.46.1.0/24, but the SGW instances sharing this store hand out 10.46.0.0/24" "$tmp/sgw_2.log") $(cmp -s "$tmp/table.before" "$tmp/table.after" && echo same)" \
	"1 1 same" \
	"- a third SGW with another pool (10.46.1.0/24): exit 1, both pools named, the database's meta and sgw_ues as they were"

# SGW_SEQ first attaches one after the other, alternating.
seq_got=
for k in $(seq 1 $SGW_SEQ); do
	i=$((SGW_UES + k))
	sgw_attach $(( (k - 1) % 2 )) $(sgw_imsi $i) "$tmp/seq.$k"
	seq_got+="$(cat "$tmp/seq.$k.code"):$(sgw_member inner-ipv4 "$tmp/seq.$k") "
done
sgw_retries() {	# N: the instance's address-retries
	ctl --socket "$tmp/run/sgw_$1.sock" status
	sed -n 's/^role=sgw .* address-retries=\([0-9]*\).*/\1/p' <<< "$out"
}
tap_is "$seq_got$(sgw_retries 0) $(sgw_retries 1) $(grep -c "event=address-taken imsi=$(sgw_imsi $((SGW_UES + 2))) inner-ipv4=10.46.0.2 try=1" "$tmp/sgw_1.log")" \
	"200:10.46.0.2 200:10.46.0.129 200:10.46.0.3 200:10.46.0.130 0 1 1" \
	"- $SGW_SEQ UEs alternating: .2, .129 (the second SGW's .2 refused, tried again once), .3, .130; address-retries 0 and 1"

# SGW_UES UEs at once, each trying again (6 tries at most) on a refusal.
sgw_ue() {	# I
	local try
	for try in 1 2 3 4 5 6; do
		sgw_attach $(($1 % 2)) $(sgw_imsi $1) "$tmp/ue.$1"
		[ "$(cat "$tmp/ue.$1.code")" = 200 ] && break
		echo "$(cat "$tmp/ue.$1.code")" >> "$tmp/ue.$1.refused"
		sleep 0.1
	done
}
for i in $(seq 1 $SGW_UES); do
	sgw_ue $i &
	pid[ue$i]=$!
done
for i in $(seq 1 $SGW_UES); do
	wait "${pid[ue$i]}"
	pid[ue$i]=
done
answered= codes= refused=0
for i in $(seq 1 $SGW_UES); do
	codes+="$(cat "$tmp/ue.$i.code") "
	answered+="$(sgw_imsi $i)|$(cat "$tmp/ue.$i.ksi")|$(sgw_member inner-ipv4 "$tmp/ue.$i")"$'\n'
	[ -f "$tmp/ue.$i.refused" ] &&
		refused=$((refused + $(wc -l < "$tmp/ue.$i.refused")))
done
echo "# $SGW_UES UEs at two SGWs at once: $refused refusals tried again"
tap_is "$codes" "$(printf '200 %.0s' $(seq $SGW_UES))" \
	"- $SGW_UES UEs attaching at once, half at each SGW: every one attached"
tap_is "$(sed -n 's/.*|//p' <<< "$answered" | sort -u | grep -c '^10\.46\.0\.')" $SGW_UES \
	"- ... $SGW_UES inner addresses, none twice"
db_rows() {
	pg_sql e2m_sgw "SELECT imsi, last_ksi, inner_ipv4 FROM sgw_ues
		WHERE imsi <> '$(sgw_imsi 0)' AND imsi <= '$(sgw_imsi $SGW_UES)'
		ORDER BY imsi"
}
tap_is "$(db_rows)" "$(sed '/^$/d' <<< "$answered")" \
	"- ... each answer's KSI and address the database's row"

# kill -9 of one; started again, it goes on from the database.
{
	kill -9 "${pid[sgw_1]}"
	wait "${pid[sgw_1]}"
	killed=$?
} 2> /dev/null
pid[sgw_1]=
started=0
start sgw_1 && started=1
want= got=
for i in $(seq 1 $SGW_UES); do
	sgw_post 1 /sgw/v1/attach '{"imsi":"'$(sgw_imsi $i)'","gtpu":{"address":"192.0.2.1","port":2152,"teid":4097}}' "$tmp/again.$i"
	got+="$(sgw_member ksi "$tmp/again.$i") "
	want+="$(( ($(cat "$tmp/ue.$i.ksi") + 1) % 7 )) "
done
tap_is "$killed $started $got" "137 1 $want" \
	"- one SGW killed (-9) and started again: each UE's next attach there gets the KSI after the one answered"
stop sgw_0
s0=$stop_status
stop sgw_1
tap_is "$s0 $stop_status" "0 0" "- both SGWs stop cleanly"

# The operator's change of the pool (Documentation/deploy.md): every SGW
# stopped, the record deleted, the first start with the new pool records
# it and drops the 10 addresses of the old one, and their contexts.
pg_sql e2m_sgw "DELETE FROM meta WHERE name = 'sgw_pool'"
started=0
start sgw_2 && started=1
tap_is "$started $(grep -c "level=info role=sgw event=pool-recorded pool=10.46.1.0/24" "$tmp/sgw_2.log") $(grep -c "level=info role=sgw event=restored ues=$((SGW_UES + SGW_SEQ + 1)) attached=0 addresses-dropped=$((SGW_UES + SGW_SEQ))" "$tmp/sgw_2.log") $(pg_sql e2m_sgw "SELECT count(*) FROM sgw_ues WHERE inner_ipv4 <> '' OR attached <> 0")" \
	"1 1 1 0" \
	"- the pool changed: all stopped, its record deleted, a start with 10.46.1.0/24 records it and drops the $((SGW_UES + SGW_SEQ)) old addresses"
[ $started = 0 ] || stop sgw_2
}
if [ $started = 1 ]; then
	sgw_checks
else
	for i in $(seq 10); do
		tap_skip "- two SGW on one database ($i)" "they did not start"
	done
fi
[ -z "${pid[hss_s]-}" ] || stop hss_s
kill "${pid[hse]}" 2> /dev/null
wait "${pid[hse]}" 2> /dev/null
pid[hse]=
echo "# two SGWs, set-up and checks included: $((($(date +%s%N) - sgw_t0) / 1000000)) ms"
