# SPDX-License-Identifier: GPL-2.0
#
# What the shell suites that run e2md for real share (bsf_test.sh,
# best_hss_test.sh, best_sgw_test.sh): a throwaway CA and certificates,
# store keys, starting a daemon and waiting for its ready file, stopping
# it, waiting for log lines. Sourced after selftests/lib/prologue.sh and
# make_tmp, with $E2MD the daemon; each daemon's process is pid[NAME], which
# the prologue kills at exit.

# A key and a certificate for NAME from the CA ($tmp/NAME.key, .crt),
# naming NAME as CN and DNS name, and 127.0.0.1.
pki() {		# NAME
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$tmp/$1.key" -out "$tmp/$1.csr" -subj "/CN=$1" \
		2> /dev/null &&
	openssl x509 -req -in "$tmp/$1.csr" -CA "$tmp/ca.crt" \
		-CAkey "$tmp/ca.key" -CAcreateserial -days 2 \
		-extfile <(printf 'subjectAltName=DNS:%s,IP:127.0.0.1\n' "$1") \
		-out "$tmp/$1.crt" 2> /dev/null
}

# The CA ($tmp/ca.key, ca.crt) and a certificate for each NAME; bails out
# when openssl cannot.
pki_ca() {	# NAME...
	local name
	if ! openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
		-nodes -keyout "$tmp/ca.key" -out "$tmp/ca.crt" -subj "/CN=ca" \
		-days 2 2> /dev/null; then
		echo "Bail out! openssl could not make the test CA"
		exit 1
	fi
	for name in "$@"; do
		if ! pki "$name"; then
			echo "Bail out! openssl could not make a certificate for $name"
			exit 1
		fi
	done
}

# A store key for each NAME, $tmp/NAME.key (64 hex digits, mode 0600).
store_keys() {	# NAME...
	local name
	for name in "$@"; do
		head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' \
			> "$tmp/$name.key"
		chmod 600 "$tmp/$name.key"
	done
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
