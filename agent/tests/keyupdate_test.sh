#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# e2mctl scp11a-kdf (PROFILE.md section 7, Documentation/key-update.md)
# against computations made apart from e2m: the ANSI X9.63 KDF written out
# here in Python's hashlib from the standard's definition (K_i =
# SHA-256(Z || i as 4 octets || SharedInfo), i from 1, concatenated and cut
# to 80 octets), the same through `openssl kdf ... X963KDF`, and the
# receipt of the SCP11a handshake of tests/keyupdate_scp11a_test.c (fixed
# keys 0x11.., 0x22.., 0x33.., 0x44..) through `openssl mac ... CMAC` under
# the receipt key the command prints. Then the bad inputs. Prints TAP.
#
#   tests/keyupdate_test.sh [E2MCTL [E2MD]]
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../selftests/lib/prologue.sh"
E2MCTL=${1:-$E2MCTL}
make_tmp

# The ShS of the fixed-key handshake and what the SD sent around it.
SHS=b019f997f1acd2a2e19a75c38f0f658a935b22db5960a5394216b466775c83ba39a10ced504c975c9e089753c8250af85a2521eaa13d721f3395bc7bb45b92f5
OCE_DATA=a60d9002110195013c8001888101105f494104d65a93977caa3d1b081852ff57a79e465f1660577304baead505dd3a48589cf350185e895372df6221ea3a137557e473fddb6755f05bd507c3c533fce9c91285
SD_EPK_TLV=5f4941045b36890dacbd7c9a96bb74a1ee28b3d2d75b72e09a20ef25cf8e6fd8a9f0350d0e14bed8d4682a34d83538bdff5b96e89a6666ec0db5745d02fa1210072df75a
RECEIPT=cc2ebfdf7981e170bad74e0c946c2773

# x963 SHS-HEX INFO-HEX: the five keys as the command prints them.
x963() {
	python3 - "$1" "$2" <<'PY'
import hashlib, sys
z, info = bytes.fromhex(sys.argv[1]), bytes.fromhex(sys.argv[2])
out, i = b"", 1
while len(out) < 80:
    out += hashlib.sha256(z + i.to_bytes(4, "big") + info).digest()
    i += 1
for n, name in enumerate(("receipt_key", "s_enc", "s_mac", "s_rmac", "s_dek")):
    print("%s=%s" % (name, out[16 * n:16 * n + 16].hex()))
PY
}

# openssl_x963 SHS-HEX INFO-HEX: the same through OpenSSL's command line.
openssl_x963() {
	openssl kdf -keylen 80 -kdfopt digest:SHA256 -kdfopt "hexsecret:$1" \
		-kdfopt "hexinfo:$2" X963KDF | tr -d ':\n' |
		tr 'A-F' 'a-f' | sed -E 's/(.{32})/\1\n/g' |
		paste -d= <(printf '%s\n' receipt_key s_enc s_mac s_rmac s_dek) -
}

check() {	# NAME SHS INFO [ARGS...]: e2mctl against both
	local name=$1 shs=$2 info=$3 got
	shift 3
	got=$("$E2MCTL" scp11a-kdf --shs "$shs" "$@" 2>&1)
	tap_is "$got" "$(x963 "$shs" "$info")" "- scp11a-kdf $name: as hashlib X9.63"
	if openssl kdf -help > /dev/null 2>&1; then
		tap_is "$got" "$(openssl_x963 "$shs" "$info")" \
			"- scp11a-kdf $name: as openssl kdf X963KDF"
	else
		tap_skip "- scp11a-kdf $name: as openssl kdf X963KDF" \
			"no openssl kdf"
	fi
}

check "handshake ShS" $SHS 3c8810
check "handshake ShS, --shared-info 3c8810" $SHS 3c8810 --shared-info 3c8810
check "one octet, other shared info" 00 3c8820 --shared-info 3c8820
check "33 octets (two hash blocks of input)" \
	000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20 \
	0102 --shared-info 0102

receipt_key=$("$E2MCTL" scp11a-kdf --shs $SHS | sed -n 's/^receipt_key=//p')
python3 -c "import sys; sys.stdout.buffer.write(bytes.fromhex(sys.argv[1]))" \
	$OCE_DATA$SD_EPK_TLV > "$tmp/kad"
got=$(openssl mac -cipher AES-128-CBC -macopt "hexkey:$receipt_key" \
	-in "$tmp/kad" CMAC | tr 'A-F' 'a-f')
tap_is "$got" $RECEIPT \
	"- receipt: openssl CMAC under the printed receipt key over the key-agreement data"

# refuse NAME ARGS...: status 2, nothing on stdout, one line on stderr.
refuse() {
	local name=$1
	shift
	"$E2MCTL" scp11a-kdf "$@" > "$tmp/out" 2> "$tmp/err"
	local status=$?
	if [ $status = 2 ] && [ ! -s "$tmp/out" ] &&
	   [ "$(wc -l < "$tmp/err")" = 1 ] &&
	   grep -q '^e2mctl: scp11a-kdf: ' "$tmp/err"; then
		tap_result 0 "- refused: $name: $(cat "$tmp/err")"
	else
		tap_result 1 "- refused: $name" "status $status" \
			"stdout: $(cat "$tmp/out")" "stderr: $(cat "$tmp/err")"
	fi
}

refuse "no --shs"
refuse "empty --shs" --shs ""
refuse "odd hex" --shs 123
refuse "not hex" --shs zz
refuse "--shs over 1024 octets" --shs "$(printf '%02050d' 0)"
refuse "empty --shared-info" --shs 00 --shared-info ""
refuse "unknown option" --shs 00 --salt 00

tap_done
