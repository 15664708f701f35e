# SPDX-License-Identifier: GPL-2.0
#
# A throwaway PKI and store keys, in $tmp, for the suites that run e2md
# or a store: the agent's (cli_test.sh, daemon_test.sh, and the others
# through agent/tests/daemon_lib.sh), BEST's parties in the VM
# (selftests/lib/best-env.sh) and BEST's benchmark. Sourced after
# selftests/lib/prologue.sh, used after make_tmp; needs openssl.

ca() {		# NAME: a self-signed CA, $tmp/NAME.key and NAME.crt
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$tmp/$1.key" -out "$tmp/$1.crt" -subj "/CN=$1" \
		-days 2 2> /dev/null
}

# pki NAME [CA [IP]]: a key and a certificate for NAME ($tmp/NAME.key,
# NAME.crt) from CA (ca), naming NAME as CN and DNS name, and IP
# (127.0.0.1).
pki() {
	local ca=${2:-ca} ip=${3:-127.0.0.1}

	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$tmp/$1.key" -out "$tmp/$1.csr" -subj "/CN=$1" \
		2> /dev/null &&
	openssl x509 -req -in "$tmp/$1.csr" -CA "$tmp/$ca.crt" \
		-CAkey "$tmp/$ca.key" -CAcreateserial -days 2 \
		-extfile <(printf 'subjectAltName=DNS:%s,IP:%s\n' "$1" "$ip") \
		-out "$tmp/$1.crt" 2> /dev/null
}

# devcert NAME CA [URI]: a device's key and certificate ($tmp/NAME.key,
# NAME.crt) from CA, naming URI (the Device_ID) as its subjectAltName URI
# (none without URI), as a NAF Key Centre's device-ca issues them; bails
# out when openssl cannot.
devcert() {
	local ext=/dev/null
	if [ -n "${3:-}" ]; then
		printf 'subjectAltName=URI:%s\n' "$3" > "$tmp/$1.ext"
		ext=$tmp/$1.ext
	fi
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$tmp/$1.key" -out "$tmp/$1.csr" -subj "/CN=$1" 2> /dev/null &&
	openssl x509 -req -in "$tmp/$1.csr" -CA "$tmp/$2.crt" \
		-CAkey "$tmp/$2.key" -CAcreateserial -days 2 -extfile "$ext" \
		-out "$tmp/$1.crt" 2> /dev/null || {
		echo "Bail out! openssl could not make the device certificate $1"
		exit 1
	}
}

# The CA ($tmp/ca.key, ca.crt) and a certificate for each NAME; bails out
# when openssl cannot.
pki_ca() {	# NAME...
	local name
	if ! ca ca; then
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
