#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The oneM2M security bootstrap (seed 002, Documentation/onem2m.md).
#
# e2mctl onem2m-ids, the known-answer command of PROFILE.md 6: exact
# values, and the same values from tests/onem2m_vectors.py, Python's hmac
# and base64 (an implementation independent of crypto/onem2m.c), for
# several Kes; its bad usage.
#
# The pre-provisioned symmetric key framework (TS-0003 8.3.2.1) for real
# on loopback: an MEF (e2md role mef) and an Enrolee (e2mctl onem2m, its
# own store), each with a Kpm and its Bootstrap Instruction
# Configuration; the Enrolee enrols over TLS 1.2 PSK and both hold the
# same Ke (e2mctl onem2m-ids gives the same KeId from it). Interop: the
# MEF with openssl s_client -tls1_2 -psk_identity KpmId -psk HEX, each
# of the two suites, Ke read with s_client -keymatexport (the RFC 5705
# exporter of OpenSSL's own client) and its KeId the MEF's; a client
# offering GCM before CCM8 gets CCM8, the server's order (TLS and DTLS,
# the MEF and the MAF). Every
# refusal (unknown KpmId, wrong Kpm, TLS 1.3, another suite, an Enrolee
# configured for another MAF, a bad body, a removed Kpm) with its status,
# token or alert, its log event, and nothing stored on either side.
#
# Prints TAP.
#
#   tests/onem2m_test.sh [E2MCTL [E2MD]]    (or the E2MCTL and E2MD variables)
#
# Needs python3; root for the MEF (the admin socket takes uid 0 only),
# openssl.
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../selftests/lib/prologue.sh"
E2MCTL=${1:-$E2MCTL}
E2MD=${2:-$E2MD}

need_tools python3 openssl timeout
make_tmp shm

lines() {	# joins its arguments with newlines
	printf '%s\n' "$@"
}

# --- e2mctl onem2m-ids ------------------------------------------------------

KE=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
ctl onem2m-ids --ke $KE --mef mef.example.net --maf-id maf-1 \
	--enrolee-id CAE-enrolee-1 --enrolee-b-id node-b --target maf.example.net
[ $status = 0 ] && [ -z "$err" ] && [ "$out" = "$(lines \
	ke_id=vbil5qy0yhIdG0p1WqDHRQ==@mef.example.net \
	km=94686d5b93913e98a4a493ae7b38346395ff27ab1a75751deff01f8f1a644eda \
	km_id=h9VipqsqGS95IEmdniAr3A==@maf.example.net \
	kpsa=df670490f8aaebb0c83d98e7fb84e5d297afb9968e98043cffbc86a38cba246e \
	kpsa_id=lx5bkhdvZlRA1mnShrSPQg==@maf.example.net)" ]
result $((! $?)) "onem2m-ids: the exact KeId, Km, Km-Id, Kpsa, Kpsa-Id" "$out" "$err"

ctl onem2m-ids --ke $KE --mef mef.example.net --maf-id maf-1 \
	--enrolee-id CAE-enrolee-1 --target maf.example.net
[ $status = 0 ] && [ "$out" = "$(lines \
	ke_id=vbil5qy0yhIdG0p1WqDHRQ==@mef.example.net \
	km=94686d5b93913e98a4a493ae7b38346395ff27ab1a75751deff01f8f1a644eda \
	km_id=h9VipqsqGS95IEmdniAr3A==@maf.example.net)" ]
result $((! $?)) "onem2m-ids: no --enrolee-b-id, no kpsa= and kpsa_id= lines" "$out"

# Against Python for Kes of every kind (all zero, all ones, random).
for ke in $(printf '%064d' 0) $(printf 'f%.0s' $(seq 64)) \
	  $(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'); do
	for b in - "AE-b.01"; do
		args=(--ke $ke --mef mef.home1.net --maf-id "MAF/1 é"
		      --enrolee-id "C-enrolee:42")
		[ "$b" != - ] && args+=(--enrolee-b-id "$b")
		ctl onem2m-ids "${args[@]}" --target enrolee-b.home1.net
		want=$(python3 "$here/onem2m_vectors.py" $ke mef.home1.net \
			"MAF/1 é" "C-enrolee:42" "$b" enrolee-b.home1.net)
		[ $status = 0 ] && [ "$out" = "$want" ]
		result $((! $?)) "onem2m-ids = Python's hmac, Ke ${ke:0:8}..., Enrolee-B-ID $b" \
			"got: $out" "want: $want"
	done
done

refuse() {	# NAME ERROR ARGS...: status 2, that one line, no output
	local name=$1 want=$2
	shift 2
	ctl onem2m-ids "$@"
	[ $status = 2 ] && [ -z "$out" ] && [ "$err" = "e2mctl: onem2m-ids: $want" ]
	result $((! $?)) "onem2m-ids refuses $name" "status $status" "$err"
}
ONE=(--mef mef.test --maf-id m --enrolee-id e --target maf.test)
refuse "a short Ke" "--ke: must be 32 octets (64 hex digits), not 16" \
	--ke 000102030405060708090a0b0c0d0e0f "${ONE[@]}"
refuse "an --mef that is no FQDN" "--mef: 'mef test' is not an FQDN" \
	--ke $KE --mef "mef test" --maf-id m --enrolee-id e --target maf.test
refuse "a --target that is no FQDN" "--target: '-maf.test' is not an FQDN" \
	--ke $KE --mef mef.test --maf-id m --enrolee-id e --target -maf.test
ctl onem2m-ids --ke $KE --mef mef.test --enrolee-id e --target maf.test
result $((status == 2 && ${#out} == 0)) "onem2m-ids refuses a missing --maf-id: $err"

# as_uid UID COMMAND...: COMMAND as UID (the applications of the keyring
# hand-off), in a session keyring of its own
as_uid() {
	setpriv --reuid="$1" --regid="$1" --clear-groups keyctl session - "${@:2}" \
		2> >(grep -v '^Joined session keyring' >&2)
}
# handed UID KEY-ID: the key UID finds as "onem2m:KEY-ID" in its persistent
# keyring, in hex
handed() {
	# shellcheck disable=SC2016
	as_uid "$1" sh -c 'ring=$(keyctl get_persistent @s) &&
		keyctl pipe "$(keyctl search "$ring" user "onem2m:$0")" |
		od -An -tx1 | tr -d " \n"' "$2" 2>&1
}

. "$here/onem2m_mef.sh"
. "$here/onem2m_km.sh"
. "$here/onem2m_gba.sh"

tap_done
