# SPDX-License-Identifier: GPL-2.0
#
# What the shell suites that run e2md for real share (bsf_test.sh,
# best_hss_test.sh, best_sgw_test.sh, selftests/e2m/hse.sh): a throwaway
# CA and certificates, store keys (selftests/lib/pki.sh), starting a
# daemon and waiting for its ready file, stopping it, waiting for log
# lines, the HSS of the HSE's suites. Sourced after selftests/lib/prologue.sh and
# make_tmp, with $E2MD the daemon; each daemon's process is pid[NAME], which
# the prologue kills at exit.

. "$e2m_top/selftests/lib/pki.sh"

# config_base NAME [CN]: the head of daemon NAME's config, for a here
# document: its store NAME.db sealed under NAME.key, its admin socket
# run/NAME.sock and, given CN, TLS with CN's certificate from the test CA.
config_base() {
	echo "store: { path: $tmp/$1.db, key-file: $tmp/$1.key }"
	echo "admin: { socket: $tmp/run/$1.sock }"
	[ -z "${2-}" ] ||
		echo "tls: { certificate: $tmp/$2.crt, private-key: $tmp/$2.key, ca: $tmp/ca.crt }"
}

start() {	# NAME: starts e2md -c NAME.yaml, waits for its ready file
	local i
	rm -f "$tmp/$1.ready"
	"$E2MD" -c "$tmp/$1.yaml" --ready-file "$tmp/$1.ready" \
		2>> "$tmp/$1.log" &
	pid[$1]=$!
	for i in $(seq 400); do
		[ -s "$tmp/$1.ready" ] && return 0
		kill -0 "${pid[$1]}" 2> /dev/null || return 1
		sleep 0.025
	done
	return 1
}

stop() {	# NAME: SIGTERM, its exit status in $stop_status
	kill -TERM "${pid[$1]}"
	wait "${pid[$1]}"
	stop_status=$?
	pid[$1]=
}

wait_log() {	# NAME PATTERN COUNT: until NAME.log has COUNT lines matching
	local i
	for i in $(seq 200); do
		[ "$(grep -c -- "$2" "$tmp/$1.log")" -ge "$3" ] && return 0
		sleep 0.05
	done
	return 1
}

ready_value() {	# NAME KEY
	sed -n "s/^$2=//p" "$tmp/$1.ready"
}

# hss_for_hse IMSI,K,OPC...: an HSS e2md "hss" on 127.0.0.1 ($tmp/hss.yaml)
# whose vectors sgw.test may ask for and whose key sets hse.test may pull
# (pki_ca made hss.test, store_keys hss-store), with each subscriber given
# (Milenage K and OPc) flagged for e2m; its address in $HSS. Non-zero if
# it did not start or a subscriber was refused.
hss_for_hse() {
	local sub imsi k opc

	cat > "$tmp/hss.yaml" <<-EOF
	store: { path: $tmp/hss.db, key-file: $tmp/hss-store.key }
	admin: { socket: $tmp/hss.sock }
	tls: { certificate: $tmp/hss.test.crt, private-key: $tmp/hss.test.key, ca: $tmp/ca.crt }
	roles:
	  hss:
	    listen: "127.0.0.1:0"
	    clients: [bsf.test]	# required; no BSF here
	    sn-clients: [sgw.test]
	    hse-clients: [hse.test]
	    e2m: { window: 600, algorithm: aes }
	EOF
	start hss || return 1
	HSS=$(ready_value hss hss.zh)
	for sub in "$@"; do
		IFS=, read -r imsi k opc <<< "$sub"
		"$E2MCTL" --socket "$tmp/hss.sock" subscriber add --imsi "$imsi" \
			--impi "$imsi@home1.net" \
			--keys <(printf '%s\n' "k=$k" "opc=$opc") --e2m > /dev/null ||
			return 1
	done
}
