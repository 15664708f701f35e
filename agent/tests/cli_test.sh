#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# e2mctl's offline commands, run as a user would: every command of the
# contract on 3GPP test data with its exact output, and every kind of bad
# input with its exact exit status, nothing on stdout and exactly one line
# "e2mctl: <command>: ..." on stderr. Prints TAP.
#
#   tests/cli_test.sh [E2MCTL [E2MD]]    (or the E2MCTL and E2MD variables)
#
# Expected values: Milenage sets 1-6, EEA2/EIA2 sets 1-3 and the GBA example
# are 3GPP data (TS 35.207/35.208, TS 33.401 C.1/C.2, TS 33.220 B.3 on set
# 1); the AUTN of sets 2-6 and the AUTS come from tests/milenage_vectors.py,
# the e2m profile keys, KASME, K_HSE and the kdf outputs from
# tests/derive_vectors.py: independent Python implementations.
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../selftests/lib/prologue.sh"
. "$here/../../selftests/lib/pki.sh"
E2MCTL=${1:-$E2MCTL}
E2MD=${2:-$E2MD}
make_tmp

run() {		# ARGS...: runs e2mctl, leaving $status, $tmp/out, $tmp/err
	"$E2MCTL" "$@" > "$tmp/out" 2> "$tmp/err"
	status=$?
}

# expect NAME EXPECTED-OUTPUT ARGS...: status 0, exact stdout, no stderr.
expect() {
	local name=$1 expected=$2
	shift 2
	run "$@"
	if [ $status = 0 ] && [ "$(cat "$tmp/out")" = "$expected" ] &&
	   [ ! -s "$tmp/err" ]; then
		result 1 "$name"
	else
		result 0 "$name" "status $status" "stdout: $(cat "$tmp/out")" \
			"stderr: $(cat "$tmp/err")" "expected: $expected"
	fi
}

# refuse NAME STATUS ARGS...: that status, empty stdout, and one stderr
# line "e2mctl: <first argument>: ..." (or "e2mctl: ..." with no argument).
refuse() {
	local name=$1 want=$2 prefix="e2mctl: "
	shift 2
	[ $# -gt 0 ] && prefix="e2mctl: $1: "
	run "$@"
	if [ $status = "$want" ] && [ ! -s "$tmp/out" ] &&
	   [ "$(wc -l < "$tmp/err")" = 1 ] &&
	   [ "$(head -c ${#prefix} "$tmp/err")" = "$prefix" ]; then
		result 1 "$name: $(cat "$tmp/err")"
	else
		result 0 "$name" "status $status, wanted $want" \
			"stdout: $(cat "$tmp/out")" "stderr: $(cat "$tmp/err")"
	fi
}

lines() {	# joins its arguments with newlines
	printf '%s\n' "$@"
}

# --- TS 35.207/35.208 test sets 1-6 ---------------------------------------

# Set 1's K, OP, OPc, RAND, SQN, AMF: selftests/lib/test-vectors.sh.
CK1=b40ba9a3c58b2a05bbf0d987b21bf8cb
IK1=f769bcd751044604127672711c6d3441
SET1_OUT=$(lines opc=$OPC1 mac_a=4a9ffac354dfafb3 mac_s=01cfaf9ec4e871e9 \
	res=a54211d5e3ba50bf ck=$CK1 ik=$IK1 ak=aa689c648370 \
	ak_star=451e8beca43b autn=55f328b43577b9b94a9ffac354dfafb3)

expect "milenage set 1 from OP" "$SET1_OUT" \
	milenage --k $K1 --op $OP1 --rand $RAND1 --sqn $SQN1 --amf $AMF1
expect "milenage set 1 from OPc" "$SET1_OUT" \
	milenage --k $K1 --opc $OPC1 --rand $RAND1 --sqn $SQN1 --amf $AMF1
expect "milenage set 1, options in another order, --name=value" "$SET1_OUT" \
	milenage --amf=$AMF1 --sqn $SQN1 --rand=$RAND1 --opc $OPC1 --k=$K1
expect "milenage set 1, upper-case input" "$SET1_OUT" \
	milenage --k ${K1^^} --op ${OP1^^} --rand ${RAND1^^} --sqn ${SQN1^^} \
	--amf ${AMF1^^}

# set K RAND SQN AMF OP OPc f1 f1* f2 f5 f3 f4 f5* AUTN
milenage_set() {
	expect "milenage set $1" "$(lines "opc=$7" "mac_a=$8" "mac_s=$9" \
		"res=${10}" "ck=${12}" "ik=${13}" "ak=${11}" "ak_star=${14}" \
		"autn=${15}")" \
		milenage --k "$2" --op "$6" --rand "$3" --sqn "$4" --amf "$5"
}
milenage_set 2 $K2 \
	c00d603103dcee52c4478119494202e8 fd8eef40df7d af17 \
	$OP2 $OPC2 \
	5df5b31807e258b0 a8c016e51ef4a343 d3a628ed988620f0 c47783995f72 \
	58c433ff7a7082acd424220f2b67c556 21a8c1f929702adb3e738488b9f5c5da \
	30f1197061c1 39f96cd9800faf175df5b31807e258b0
milenage_set 3 $K3 \
	9f7c8d021accf4db213ccff0c7f71a6a 9d0277595ffc 725c \
	$OP3 $OPC3 \
	9cabc3e99baf7281 95814ba2b3044324 8011c48c0c214ed2 33484dc2136b \
	5dbdbb2954e8f3cde665b046179a5098 59a92d3b476a0443487055cf88b2307b \
	deacdd848cc6 ae4a3a9b4c97725c9cabc3e99baf7281
milenage_set 4 $K4 \
	ce83dbc54ac0274a157c17f80d017bd6 0b604a81eca8 9e09 \
	$OP4 $OPC4 \
	74a58220cba84c49 ac2cc74a96871837 f365cd683cd92e96 f0b9c08ad02e \
	e203edb3971574f5a94b0d61b816345d 0c4524adeac041c4dd830d20854fc46b \
	6085a86c6f63 fbd98a0b3c869e0974a58220cba84c49
milenage_set 5 4ab1deb05ca6ceb051fc98e77d026a84 \
	74b0cd6031a1c8339b2b6ce2b8c4a186 e880a1b580b6 9f07 \
	2d16c5cd1fdf6b22383584e3bef2a8d8 dcf07cbd51855290b92a07a9891e523e \
	49e785dd12626ef2 9e85790336bb3fa2 5860fc1bce351e7e 31e11a609118 \
	7657766b373d1c2138f307e3de9242f9 1c42e960d89b8fa99f2744e0708ccb53 \
	fe2555e54aa9 d961bbd511ae9f0749e785dd12626ef2
milenage_set 6 6c38a116ac280c454f59332ee35c8c4f \
	ee6466bc96202c5a557abbeff8babf63 414b98222181 4464 \
	1ba00a1a7c6700ac8c3ff3e96ad08725 3803ef5363b947c6aaa225e58fae3934 \
	078adfb488241a57 80246b8d0186bcf1 16c8233f05a0ac28 45b0f69ab06c \
	3f8c7587fe8e4b233af676aede30ba3b a7466cc1e6b2a1337d49d3b66e95d7b4 \
	1f53cd2b1113 04fb6eb891ed4464078adfb488241a57

expect "auts, set 1 with SQN_MS 000000001f40" \
	auts=451e8becbb7b9488d8b32f2bd84d \
	auts --k $K1 --op $OP1 --rand $RAND1 --sqn-ms 000000001f40
expect "auts from OPc" auts=451e8becbb7b9488d8b32f2bd84d \
	auts --k $K1 --opc $OPC1 --rand $RAND1 --sqn-ms 000000001f40

# --- 128-EEA2 (TS 33.401 C.1) and 128-EIA2 (C.2) ----------------------------

EEA2_1="--key d3c5d592327fb11c4035c6680af8c6d1 --count 398a59b4 --bearer 0x15
	--direction 1 --length 253
	--in 981ba6824c1bfb1ab485472029b71d808ce33e2cc3c0b5fc1f3de8a6dc66b1f0"
EEA2_1_OUT=out=e9fed8a63d155304d71df20bf3e82214b20ed7dad2f233dc3c22d7bdeeed8e78
# shellcheck disable=SC2086 # word splitting of the option lists is wanted
expect "nea2 set 1 (253 bits)" $EEA2_1_OUT nea2 $EEA2_1
expect "nea2 set 1, COUNT with 0x, BEARER in decimal" $EEA2_1_OUT \
	nea2 --key d3c5d592327fb11c4035c6680af8c6d1 --count 0x398A59B4 \
	--bearer 21 --direction 1 --length 253 \
	--in 981ba6824c1bfb1ab485472029b71d808ce33e2cc3c0b5fc1f3de8a6dc66b1f0
expect "nea2 set 1 decrypts back (bits beyond 253 zero)" \
	out=981ba6824c1bfb1ab485472029b71d808ce33e2cc3c0b5fc1f3de8a6dc66b1f0 \
	nea2 --key d3c5d592327fb11c4035c6680af8c6d1 --count 398a59b4 \
	--bearer 0x15 --direction 1 --length 253 \
	--in e9fed8a63d155304d71df20bf3e82214b20ed7dad2f233dc3c22d7bdeeed8e78
expect "nea2 set 2 (798 bits)" \
	out=5961605353c64bdca15b195e288553a910632506d6200aa790c4c806c99904cf2445cc50bb1cf168a49673734e081b57e324ce5259c0e78d4cd97b870976503c0943f2cb5ae8f052c7b7d392239587b8956086bcab18836042e2e6ce42432a17105c53d0 \
	nea2 --key 2bd6459f82c440e0952c49104805ff48 --count c675a64b \
	--bearer 0x0c --direction 1 --length 798 \
	--in 7ec61272743bf1614726446a6c38ced166f6ca76eb5430044286346cef130f92922b03450d3a9975e5bd2ea0eb55ad8e1b199e3ec4316020e9a1b285e762795359b7bdfd39bef4b2484583d5afe082aee638bf5fd5a606193901a08f4ab41aab9b134880
expect "nea2 set 3 (310 bits)" \
	out=75750d37b4bba2a4dedb34235bd68c6645acdaaca48138a3b0c471e2a7041a576423d2927287f0 \
	nea2 --key 0a8b6bd8d9b08b08d64e32d1817777fb --count 544d49cd \
	--bearer 0x04 --direction 0 --length 310 \
	--in fd40a41d370a1f65745095687d47ba1d36d2349e23f644392c8ea9c49d40c13271aff264d0f248
expect "nea2 of nothing" out= \
	nea2 --key 0a8b6bd8d9b08b08d64e32d1817777fb --count 1 --bearer 0 \
	--direction 0 --length 0 --in ""

expect "nia2 set 1 (58 bits)" mac=118c6eb8 \
	nia2 --key 2bd6459f82c5b300952c49104881ff48 --count 38a6f056 \
	--bearer 0x18 --direction 0 --length 58 --in 3332346263393840
expect "nia2 set 2 (64 bits)" mac=b93787e6 \
	nia2 --key d3c5d592327fb11c4035c6680af8c6d1 --count 398a59b4 \
	--bearer 0x1a --direction 1 --length 64 --in 484583d5afe082ae
expect "nia2 set 3 (254 bits)" mac=1f60b01d \
	nia2 --key 7e5e94431e11d73828d739cc6ced4573 --count 36af6144 \
	--bearer 0x18 --direction 1 --length 254 \
	--in b3d3c9170a4e1632f60f861013d22d84b726b6a278d802d1eeaf1321ba5929dc

# --- KDF and derivations ----------------------------------------------------

IMPI=user1_private@home1.net
NAF_ID=6e6166312e686f6d65312e6e65740100000002	# naf1.home1.net || 0100000002
KS_NAF=7c351b69c4910d2da5a312ad73ce3ac7be6f46165fdb9ffc3494d874aca8a501
KS_INT_NAF=dc1ceb72700b7c0e17c8eac76838f8bafb134885011e713f782bfca16a2df691
BTID='I1U8vpY3qJ0hiuZNrke/NQ==@bsf.home1.net'
DEVICE_ID=imei:490154203237518
K_E2M=07ba01ec40f9a31db0874af154b5f967a296836eeff77632394ea55032e92ecc

expect "kdf: the GBA example (Ks_NAF)" out=$KS_NAF \
	kdf --key $CK1$IK1 --fc 01 --param 6762612d6d65 --param $RAND1 \
	--param "$(printf %s $IMPI | od -An -tx1 | tr -d ' \n')" \
	--param $NAF_ID
expect "kdf: two-octet FC (K_e2m)" out=$K_E2M \
	kdf --key $CK1$IK1 --fc ffe2 --param 65326d4b4559534554 --param $RAND1
expect "kdf: no parameters" \
	out=70abf0b340ddfff9c78f1edefa557c3384f698ee50a72a9236c262c0ed8d765a \
	kdf --key 01 --fc 10

expect "gba-naf: the GBA example" "$(lines ks_naf=$KS_NAF ks_int_naf=$KS_INT_NAF)" \
	gba-naf --ck $CK1 --ik $IK1 --rand $RAND1 --impi $IMPI --naf-id $NAF_ID
expect "btid" "btid=$BTID" btid --rand $RAND1 --bsf bsf.home1.net
expect "ks-local, ks_local_device" \
	ks_local=553fb73acce8b21950d53622f1784d1c503d66b4159e748cc64716bd9db8b440 \
	ks-local --ks-naf $KS_NAF --label ks_local_device --btid "$BTID" \
	--naf-id $NAF_ID --device-id $DEVICE_ID
expect "ks-local, ks_local_mt" \
	ks_local=9ff3ae89279bcf112e176f55e16816be6fa0ab0c7cd89d42425b456e3dad388d \
	ks-local --ks-naf $KS_NAF --label ks_local_mt --btid "$BTID" \
	--naf-id $NAF_ID --device-id $DEVICE_ID
expect "kasme" \
	kasme=48579af8781c742d5120e6ed8ccac13193f38c53ab7aa69396f49ca6e1b0562d \
	kasme --ck $CK1 --ik $IK1 --sn-id 00f110 --sqn-xor-ak 55f328b43577
expect "k-hse" \
	k_hse=a27696ad91c76cf5e608c11809408ad8afeff11e71cf77f6f36dd36b85a4875c \
	k-hse --ck $CK1 --ik $IK1 --snn 5G:mnc001.mcc001.3gppnetwork.org \
	--sqn-xor-ak 55f328b43577

keyset() {	# ALG K_ENC K_INT
	expect "e2m-keyset, algorithm $1" \
		"$(lines k_e2m=$K_E2M "k_enc=$2" "k_int=$3")" \
		e2m-keyset --ck $CK1 --ik $IK1 --rand $RAND1 --alg "$1"
}
keyset 0 f8d52332a28600146e0eab9b0e451f7e 79e37d88356b711750a155a33645ed5e
keyset 1 b82d3b3565ccef9c95baaa7385cc43a6 5f0fe7a5baf65fde6d994af4e0e11ce3
keyset 2 d048294200fa791d45690010fbd17917 e79569942531e8d25ab1c2fc9653b206
keyset 3 cf27510aa1a3b255e21baf91c9af6cea d324d2da25ab863f977088e19ce825d6

# The link keys of a Ks_local (FC 0xFF 0xE5), from the Ks_local_device
# above: no published vector; derive_vectors.py and openssl dgst -mac HMAC
# agree, and the debug module's self-test holds algorithms 2 and 3 too.
KS_LOCAL=553fb73acce8b21950d53622f1784d1c503d66b4159e748cc64716bd9db8b440
ks_link() {	# ALG K_ENC K_INT
	expect "ks-local-link, algorithm $1" "$(lines "k_enc=$2" "k_int=$3")" \
		ks-local-link --ks-local $KS_LOCAL --alg "$1"
}
ks_link 0 25a4e6676774ed9d0090c5af5bc4a551 010c91395a0026217602640c94fabc06
ks_link 1 dec59790036f7cf76b72d846d4d80534 6aafd2b48c39c5565c0af9a22f637b11
ks_link 2 f51cda2b9f696f23779f999e03b4d323 b9f5a8d228d74b7b4613b9031a4c4c00
ks_link 3 57093042ed2dc70f70181e4aae17c03a 53ae0df59edad646df176fe9dce66e42

expect "air-keys" \
	"$(lines ck_prime=79b2d748ab941cb0f5475e0a725c0590 \
		ik_prime=4415259915a6bd02a8a073b34f46765b)" \
	air-keys --ck $CK1 --ik $IK1 --rand $RAND1

# --- help ----------------------------------------------------------------------

for arg in help --help -h; do
	run $arg
	commands=0
	for c in milenage nea2 nia2 kdf gba-naf ks-local e2m-keyset auts kasme \
		 k-hse air-keys btid ks-local-link; do
		grep -q "^  $c " "$tmp/out" && commands=$((commands + 1))
	done
	[ $status = 0 ] && [ $commands = 13 ] && [ ! -s "$tmp/err" ]
	result $((! $?)) "e2mctl $arg lists every command on stdout, status 0"
done
run milenage --help
[ $status = 0 ] && grep -q -- '--opc HEX' "$tmp/out" && [ ! -s "$tmp/err" ]
result $((! $?)) "e2mctl milenage --help, status 0"

# Every object and "OBJECT COMMAND" e2mctl has, as it lists them itself (a
# new one cannot miss its help): --help and -h give status 0, nothing on
# stderr, "Usage:" and a line of its usage on stdout; "OBJECT help" too.
run help --commands
[ $status = 0 ] && [ ! -s "$tmp/err" ] && grep -qx 'flow add' "$tmp/out" &&
	grep -qx 'subscriber add' "$tmp/out" && grep -qx 'milenage' "$tmp/out"
result $((! $?)) "e2mctl help --commands lists objects and their commands"
listed=$(cat "$tmp/out")
helps=0
while read -r object sub; do
	for flag in --help -h; do
		# shellcheck disable=SC2086
		run $object $sub $flag
		if [ $status = 0 ] && [ ! -s "$tmp/err" ] &&
		   [ "$(head -n 1 "$tmp/out")" = "Usage:" ] &&
		   grep -qE "^  $object${sub:+ $sub}( |\$)" "$tmp/out"; then
			result 1 "e2mctl $object${sub:+ $sub} $flag: its usage, status 0"
		else
			result 0 "e2mctl $object${sub:+ $sub} $flag" \
				"status $status" "stdout: $(cat "$tmp/out")" \
				"stderr: $(cat "$tmp/err")"
		fi
		helps=$((helps + 1))
	done
	[ -n "$sub" ] && continue
	run "$object" help
	[ $status = 0 ] && [ ! -s "$tmp/err" ] &&
		[ "$(head -n 1 "$tmp/out")" = "Usage:" ] &&
		grep -q "^  $object " "$tmp/out"
	result $((! $?)) "e2mctl $object help: its usage, status 0"
done <<< "$listed"
[ $((helps / 2)) -ge 44 ]
result $((! $?)) "--help asked of all $((helps / 2)) objects and commands (44 today)"
run subscriber add --help
[ $status = 0 ] && [ ! -s "$tmp/err" ] &&
	grep -q '^  subscriber add --imsi N ' "$tmp/out" &&
	! grep -q '^  subscriber list' "$tmp/out"
result $((! $?)) "e2mctl subscriber add --help: that command's usage" "$(cat "$tmp/out")"
run help
for group in "Kernel:" "e2md administration" "UE:" "Known-answer checks" \
	     "Old spellings"; do
	grep -q "^$group" "$tmp/out"
	result $((! $?)) "e2mctl help: the group $group"
done
[ "$(grep -n '^  show ' "$tmp/out" | cut -d: -f1)" -lt \
  "$(grep -n '^  milenage ' "$tmp/out" | cut -d: -f1)" ]
result $((! $?)) "e2mctl help: the kernel objects before the known-answer checks"

# --- refusals ----------------------------------------------------------------

M="--k $K1 --op $OP1 --rand $RAND1 --sqn $SQN1"	# milenage without --amf
# shellcheck disable=SC2086
{
refuse "no command" 2
refuse "unknown command" 2 frob
refuse "unknown command that looks like an option" 2 --frob
refuse "milenage: odd-length hex" 2 milenage $M --amf b9b
refuse "milenage: non-hex character" 2 milenage $M --amf b9bg
refuse "milenage: 0x prefix on a HEX value" 2 milenage $M --amf 0xb9b9
refuse "milenage: K of 15 octets" 2 \
	milenage --k ${K1:2} --op $OP1 --rand $RAND1 --sqn $SQN1 --amf $AMF1
refuse "milenage: K of 17 octets" 2 \
	milenage --k ${K1}00 --op $OP1 --rand $RAND1 --sqn $SQN1 --amf $AMF1
refuse "milenage: OP of 8 octets" 2 \
	milenage --k $K1 --op ${OP1:16} --rand $RAND1 --sqn $SQN1 --amf $AMF1
refuse "milenage: RAND of 15 octets" 2 \
	milenage --k $K1 --op $OP1 --rand ${RAND1:2} --sqn $SQN1 --amf $AMF1
refuse "milenage: SQN of 5 octets" 2 \
	milenage --k $K1 --op $OP1 --rand $RAND1 --sqn ${SQN1:2} --amf $AMF1
refuse "milenage: AMF of 3 octets" 2 milenage $M --amf b9b9b9
refuse "milenage: empty AMF" 2 milenage $M --amf ""
refuse "milenage: missing --amf" 2 milenage $M
refuse "milenage: --amf without a value" 2 milenage $M --amf
refuse "milenage: unknown option" 2 milenage $M --amf $AMF1 --frob 00
refuse "milenage: single-dash option" 2 milenage $M --amf $AMF1 -k $K1
refuse "milenage: stray argument" 2 milenage $M --amf $AMF1 extra
refuse "milenage: --k twice" 2 milenage $M --amf $AMF1 --k $K1
refuse "milenage: --op and --opc both" 2 milenage $M --amf $AMF1 --opc $OPC1
refuse "milenage: neither --op nor --opc" 2 \
	milenage --k $K1 --rand $RAND1 --sqn $SQN1 --amf $AMF1
refuse "auts: SQN_MS of 7 octets" 2 \
	auts --k $K1 --op $OP1 --rand $RAND1 --sqn-ms 00000000001f40
refuse "auts: missing --sqn-ms" 2 auts --k $K1 --op $OP1 --rand $RAND1

P="--key d3c5d592327fb11c4035c6680af8c6d1 --count 398a59b4"
IN="--in 484583d5afe082ae"
for cmd in nea2 nia2; do
	refuse "$cmd: --length larger than the input" 2 \
		$cmd $P --bearer 1 --direction 0 --length 65 $IN
	refuse "$cmd: negative --length" 2 \
		$cmd $P --bearer 1 --direction 0 --length -1 $IN
	refuse "$cmd: garbage --length" 2 \
		$cmd $P --bearer 1 --direction 0 --length 12abc $IN
	refuse "$cmd: --length with a sign" 2 \
		$cmd $P --bearer 1 --direction 0 --length +8 $IN
	refuse "$cmd: huge --length" 2 \
		$cmd $P --bearer 1 --direction 0 --length 99999999999999999999999 $IN
	refuse "$cmd: --bearer 32" 2 \
		$cmd $P --bearer 32 --direction 0 --length 64 $IN
	refuse "$cmd: --bearer 0x20" 2 \
		$cmd $P --bearer 0x20 --direction 0 --length 64 $IN
	refuse "$cmd: garbage --bearer" 2 \
		$cmd $P --bearer 1x --direction 0 --length 64 $IN
	refuse "$cmd: negative --bearer" 2 \
		$cmd $P --bearer -1 --direction 0 --length 64 $IN
	refuse "$cmd: --direction 2" 2 \
		$cmd $P --bearer 1 --direction 2 --length 64 $IN
	refuse "$cmd: --direction up" 2 \
		$cmd $P --bearer 1 --direction up --length 64 $IN
	refuse "$cmd: --count of 9 digits" 2 \
		$cmd --key d3c5d592327fb11c4035c6680af8c6d1 --count 1398a59b4 \
		--bearer 1 --direction 0 --length 64 $IN
	refuse "$cmd: garbage --count" 2 \
		$cmd --key d3c5d592327fb11c4035c6680af8c6d1 --count 0xg \
		--bearer 1 --direction 0 --length 64 $IN
	refuse "$cmd: empty --count" 2 \
		$cmd --key d3c5d592327fb11c4035c6680af8c6d1 --count "" \
		--bearer 1 --direction 0 --length 64 $IN
	refuse "$cmd: key of 32 octets" 2 \
		$cmd --key $CK1$IK1 --count 1 --bearer 1 --direction 0 \
		--length 64 $IN
	refuse "$cmd: odd-length --in" 2 \
		$cmd $P --bearer 1 --direction 0 --length 8 --in 123
	refuse "$cmd: missing --in" 2 \
		$cmd $P --bearer 1 --direction 0 --length 8
done

refuse "kdf: --fc ff alone" 2 kdf --key 01 --fc ff
refuse "kdf: two-octet --fc not starting with ff" 2 kdf --key 01 --fc 01e1
refuse "kdf: three-octet --fc" 2 kdf --key 01 --fc ffe100
refuse "kdf: empty --fc" 2 kdf --key 01 --fc ""
refuse "kdf: empty --key" 2 kdf --key "" --fc 10
refuse "kdf: odd-length --param" 2 kdf --key 01 --fc 10 --param 00 --param 123
refuse "kdf: non-hex --param" 2 kdf --key 01 --fc 10 --param zz
# A --param over 65535 octets cannot reach e2mctl: Linux limits one
# argument to 128 KiB. kdf_test covers the refusal.
refuse "kdf: missing --fc" 2 kdf --key 01

refuse "gba-naf: NAF_Id of only the Ua id" 2 \
	gba-naf --ck $CK1 --ik $IK1 --rand $RAND1 --impi $IMPI --naf-id 0100000002
refuse "gba-naf: empty --impi" 2 \
	gba-naf --ck $CK1 --ik $IK1 --rand $RAND1 --impi "" --naf-id $NAF_ID
refuse "gba-naf: CK of 32 octets" 2 \
	gba-naf --ck $CK1$IK1 --ik $IK1 --rand $RAND1 --impi $IMPI --naf-id $NAF_ID
refuse "ks-local: unknown --label" 2 \
	ks-local --ks-naf $KS_NAF --label ks_local --btid "$BTID" \
	--naf-id $NAF_ID --device-id $DEVICE_ID
refuse "ks-local: Ks_NAF of 16 octets" 2 \
	ks-local --ks-naf $CK1 --label ks_local_mt --btid "$BTID" \
	--naf-id $NAF_ID --device-id $DEVICE_ID
refuse "ks-local: missing --device-id" 2 \
	ks-local --ks-naf $KS_NAF --label ks_local_mt --btid "$BTID" \
	--naf-id $NAF_ID
refuse "ks-local-link: --alg 4" 2 \
	ks-local-link --ks-local $KS_LOCAL --alg 4
refuse "ks-local-link: Ks_local of 16 octets" 2 \
	ks-local-link --ks-local $CK1 --alg 2
refuse "ks-local-link: missing --alg" 2 \
	ks-local-link --ks-local $KS_LOCAL
refuse "e2m-keyset: --alg 4" 2 \
	e2m-keyset --ck $CK1 --ik $IK1 --rand $RAND1 --alg 4
refuse "e2m-keyset: --alg -1" 2 \
	e2m-keyset --ck $CK1 --ik $IK1 --rand $RAND1 --alg -1
refuse "e2m-keyset: --alg aes" 2 \
	e2m-keyset --ck $CK1 --ik $IK1 --rand $RAND1 --alg aes
refuse "e2m-keyset: RAND of 17 octets" 2 \
	e2m-keyset --ck $CK1 --ik $IK1 --rand ${RAND1}00 --alg 2
refuse "kasme: SN id of 4 octets" 2 \
	kasme --ck $CK1 --ik $IK1 --sn-id 00f11000 --sqn-xor-ak 55f328b43577
refuse "k-hse: SQN xor AK of 5 octets" 2 \
	k-hse --ck $CK1 --ik $IK1 --snn 5G:x --sqn-xor-ak 55f328b435
refuse "air-keys: missing --rand" 2 air-keys --ck $CK1 --ik $IK1
refuse "btid: empty --bsf" 2 btid --rand $RAND1 --bsf ""
}

# A failed write is a failure (1), reported once, not a silent success.
if [ -w /dev/full ]; then
	# shellcheck disable=SC2086
	"$E2MCTL" milenage $M --amf $AMF1 > /dev/full 2> "$tmp/err"
	status=$?
	[ $status = 1 ] && [ "$(wc -l < "$tmp/err")" = 1 ] &&
		grep -q '^e2mctl: milenage: ' "$tmp/err"
	result $((! $?)) "output to a full device: status 1, one line: $(cat "$tmp/err")"
fi

# --- e2md ----------------------------------------------------------------------

if [ -x "$E2MD" ]; then
	out=$("$E2MD" --version 2>&1) && [[ $out =~ ^e2md\ [^[:space:]]+$ ]]
	result $((! $?)) "e2md --version: $out"
	"$E2MD" --help > "$tmp/out" 2> "$tmp/err" &&
		grep -q '^Usage: e2md' "$tmp/out" && [ ! -s "$tmp/err" ]
	result $((! $?)) "e2md --help"
	"$E2MD" > "$tmp/out" 2> "$tmp/err"
	[ $? = 2 ] && [ ! -s "$tmp/out" ] &&
		[ "$(cat "$tmp/err")" = "e2md: no configuration given (e2md -c FILE, see e2md --help)" ]
	result $((! $?)) "e2md with no configuration: status 2 and one line"
	"$E2MD" --frob > "$tmp/out" 2> "$tmp/err"
	[ $? = 2 ] && [ ! -s "$tmp/out" ] && [ "$(wc -l < "$tmp/err")" = 1 ]
	result $((! $?)) "e2md with an unknown option: status 2"
fi

# --- kernel commands: usage errors, found before any netlink ---------------
# Each line: the arguments | the one line e2mctl must print on stderr, with
# status 2 and nothing on stdout.
K16=000102030405060708090a0b0c0d0e0f
# keyset add's K_enc and K_int files (key_input.h), good and bad.
keys_file() {	# NAME LINES...: $tmp/NAME of mode 0600
	(umask 077; printf '%s\n' "${@:2}" > "$tmp/$1")
}
KS=$tmp/keyset.keys KS_SHORT=$tmp/short.keys KS_NOT_HEX=$tmp/not-hex.keys
KS_ENC_ONLY=$tmp/enc-only.keys
keys_file keyset.keys k-enc=$K16 k-int=$K16
keys_file short.keys k-enc=00 k-int=$K16
keys_file not-hex.keys k-enc=000102030405060708090a0b0c0d0e0g k-int=$K16
keys_file enc-only.keys k-enc=$K16
while IFS='|' read -r args message; do
	eval "set -- $args"
	run "$@"
	if [ $status = 2 ] && [ ! -s "$tmp/out" ] &&
	   [ "$(cat "$tmp/err")" = "$message" ]; then
		result 1 "$args: $message"
	else
		result 0 "$args" "status $status, wanted 2" \
			"stdout: $(cat "$tmp/out")" "stderr: $(cat "$tmp/err")" \
			"wanted: $message"
	fi
done <<'CASES'
show e2m0 e2m1|e2mctl: show: unexpected argument "e2m1"
show --frob|e2mctl: show: unknown option "--frob"
set|e2mctl: set: no device given
set e2m0|e2mctl: set: nothing to set
set e2m0 role pgw|e2mctl: set: role: expected hse or ue, not "pgw"
set e2m0 port 0|e2mctl: set: port: 0 is out of range 1..65535
set e2m0 port 65536|e2mctl: set: port: 65536 is out of range 1..65535
set e2m0 replay-window lots|e2mctl: set: replay-window: not a number: "lots"
set e2m0 count-limit|e2mctl: set: count-limit: value missing
set e2m0 mtu 1400|e2mctl: set: unknown keyword "mtu"
set e2m0 rx-cpus 1-x|e2mctl: set: rx-cpus: expected a CPU list (e.g. 1-3,6) or off, not "1-x"
set e2m0 rx-cpus 3-1|e2mctl: set: rx-cpus: expected a CPU list (e.g. 1-3,6) or off, not "3-1"
set e2m0 rx-cpus 8192|e2mctl: set: rx-cpus: a CPU above 8191 in "8192"
set e2m0 rx-cpus 1 rx-cpus off|e2mctl: set: rx-cpus given twice
flow|e2mctl: flow: expected add, change, del or show
flow frob e2m0|e2mctl: flow: unknown sub-command "frob" (add, change, del, show)
flow add e2m0 teid x|e2mctl: flow add: teid: not a number: "x"
flow add e2m0 teid 4294967296 remote-teid 1 peer 10.0.0.1 inner 10.1.0.1|e2mctl: flow add: teid: 4294967296 is out of range 1..4294967295
flow add e2m0 teid 1 remote-teid 2 peer gateway inner 10.1.0.1|e2mctl: flow add: peer: not an IPv4 or IPv6 address: "gateway"
flow add e2m0 teid 1 remote-teid 2 peer 10.0.0.1 inner 10.1.0.1 inner 10.1.0.2|e2mctl: flow add: inner: one IPv4 address at most
flow add e2m0 teid 1 remote-teid 2 inner 10.1.0.1|e2mctl: flow add: peer missing
flow del e2m0|e2mctl: flow del: teid missing
key frob e2m0 teid 1|e2mctl: key: unknown sub-command "frob" (bind, use, unbind)
key bind|e2mctl: key bind: no device given
key bind e2m0 teid 1 serial s|e2mctl: key bind: serial: not a number: "s"
key bind e2m0 teid 1 serial 5 tx-on-rx tx-on-rx|e2mctl: key bind: tx-on-rx given twice
key bind e2m0 teid 1 tx-on-rx|e2mctl: key bind: serial missing
key bind e2m0 teid 1 serial 5 alg 2|e2mctl: key bind: key-id and alg go together (a ks_local key)
key bind e2m0 teid 1 serial 5 key-id 1|e2mctl: key bind: key-id and alg go together (a ks_local key)
key bind e2m0 teid 1 serial 5 key-id 1 alg 256|e2mctl: key bind: alg: 256 is out of range 0..255
key use e2m0 teid 1 key-id 1 tx-on-rx|e2mctl: key use: unknown keyword "tx-on-rx"
key unbind e2m0 teid 1 key-id 1 tx-on-rx|e2mctl: key unbind: unknown keyword "tx-on-rx"
key use e2m0 teid 1 key-id 8|e2mctl: key use: key-id: 8 is out of range 0..7
keyset add --key-id 9 --keys $KS --desc x|e2mctl: keyset add: --key-id: 9 is out of range 0..7
keyset add --key-id 1 --keys $KS_SHORT --desc x|e2mctl: keyset add: --keys: k-enc: must be 16 octets (32 hex digits), not 1
keyset add --key-id 1 --keys $KS_NOT_HEX --desc x|e2mctl: keyset add: --keys: k-enc: not a hex string
keyset add --key-id 1 --keys $KS_ENC_ONLY --desc x|e2mctl: keyset add: --keys: k-int= is missing
keyset add --key-id 1 --keys $KS|e2mctl: keyset add: --desc missing
keyset add --key-id 1 --keys $KS --desc x --keyring @frob|e2mctl: keyset add: --keyring: unknown keyring "@frob"
keyset add --key-id 1 --k-enc $K16 --k-int $K16 --desc x|e2mctl: keyset add: --k-enc on the command line is refused (argv shows in /proc and shell history): put k-enc=HEX in a file given as --keys FILE (mode 0600), or - for standard input
keyset add --key-id=1 --keys $KS --k-int=$K16 --desc x|e2mctl: keyset add: --k-int on the command line is refused (argv shows in /proc and shell history): put k-int=HEX in a file given as --keys FILE (mode 0600), or - for standard input
monitor --count -1|e2mctl: monitor: --count: not a number: "-1"
monitor --timeout x|e2mctl: monitor: --timeout: not a number: "x"
dev|e2mctl: dev: expected show or set
dev frob|e2mctl: dev: unknown sub-command "frob" (show, set)
dev show e2m0 e2m1|e2mctl: dev show: unexpected argument "e2m1"
dev set|e2mctl: dev set: no device given
dev set e2m0|e2mctl: dev set: nothing to set
dev set e2m0 port 0|e2mctl: dev set: port: 0 is out of range 1..65535
keyset|e2mctl: keyset: expected add
keyset add key-id 9 keys $KS desc x|e2mctl: keyset add: key-id: 9 is out of range 0..7
keyset add key-id 1 keys $KS_SHORT desc x|e2mctl: keyset add: --keys: k-enc: must be 16 octets (32 hex digits), not 1
keyset add key-id 1 keys $KS|e2mctl: keyset add: desc missing
keyset add key-id 1 keys $KS desc ""|e2mctl: keyset add: desc: empty description
keyset add key-id 1 key-id 2|e2mctl: keyset add: key-id given twice
keyset add key-id 1 keys $KS desc x keyring @frob|e2mctl: keyset add: keyring: unknown keyring "@frob"
keyset add key-id 1 k-enc $K16 k-int $K16 desc x|e2mctl: keyset add: k-enc on the command line is refused (argv shows in /proc and shell history): put k-enc=HEX in a file given as keys FILE (mode 0600), or - for standard input
keyset add key-id 1 keys $KS k-int $K16 desc x|e2mctl: keyset add: k-int on the command line is refused (argv shows in /proc and shell history): put k-int=HEX in a file given as keys FILE (mode 0600), or - for standard input
keyset add key-id 1 frob 2|e2mctl: keyset add: unknown keyword "frob"
keyset add --key-id=1 --frob 2|e2mctl: keyset add: unknown option "--frob"
keyset add --key-id=9 --keys=$KS --desc=x|e2mctl: keyset add: --key-id: 9 is out of range 0..7
keyset add key-id 1 --keys $KS|e2mctl: keyset add: --desc missing
monitor count -1|e2mctl: monitor: count: not a number: "-1"
monitor timeout x|e2mctl: monitor: timeout: not a number: "x"
monitor count 1 count 2|e2mctl: monitor: count given twice
monitor --count|e2mctl: monitor: --count: value missing
monitor frob 1|e2mctl: monitor: unknown keyword "frob"
subscriber add --frob|e2mctl: subscriber add: unknown option --frob
frob --help|e2mctl: frob: unknown command (see e2mctl help)
CASES

# --- -n NETNS: the namespace entered before the command -------------------
# Its effect on the kernel objects is checked in the VM (datapath.sh); here
# the option's own errors, and that the command after it runs.
refuse "-n without a namespace" 2 -n
refuse "-n of a namespace that is not there" 1 -n e2m-no-such-ns-$$
refuse "--netns of a file that is no namespace" 1 --netns /etc/hostname
refuse "--netns with an empty name" 2 --netns ""
if [ "$(id -u)" = 0 ] && ip netns add "e2m-cli-$$" 2> /dev/null; then
	expect "-n NETNS, then a command: it runs (kdf, Ks_NAF)" out=$KS_NAF \
		-n "e2m-cli-$$" --socket /dev/null kdf --key $CK1$IK1 --fc 01 \
		--param 6762612d6d65 --param $RAND1 \
		--param "$(printf %s $IMPI | od -An -tx1 | tr -d ' \n')" \
		--param $NAF_ID
	ip netns del "e2m-cli-$$"
else
	tap_skip "-n NETNS, then a command" "needs root and ip netns"
fi

# --- attach: what fails before the kernel ---------------------------------------
# The whole attach needs the e2m module (the integrator's VM runs it);
# here: usage errors, the SGW unreachable or refusing, and challenges the
# USIM must refuse, each with its one line and status, nothing on stdout.
UE="--store $tmp/ue.db --store-key-file $tmp/ue.key --iccid 890100000000000001"
A="--dev e2m0 --address 192.0.2.1"
store_keys ue
run usim add $UE --imsi $IMSI1 --impi user1@home1.net \
	--keys <(printf '%s\n' k=$K1 opc=$OPC1)
result $((status == 0)) "attach: a UE store with a USIM (set 1)" "$(cat "$tmp/err")"

attach_fails() {	# NAME STATUS MESSAGE ARGS...
	local name=$1 want=$2 message=$3
	shift 3
	run attach "$@"
	if [ $status = "$want" ] && [ ! -s "$tmp/out" ] &&
	   [ "$(cat "$tmp/err")" = "$message" ]; then
		result 1 "attach: $name"
	else
		result 0 "attach: $name" "status $status, wanted $want" \
			"stdout: $(cat "$tmp/out")" "stderr: $(cat "$tmp/err")" \
			"wanted: $message"
	fi
}
# shellcheck disable=SC2086
{
attach_fails "no --teid" 2 "e2mctl: attach: missing --teid" \
	$UE --sgw http://127.0.0.1:1 $A
attach_fails "--teid 0" 2 "e2mctl: attach: --teid: not 0" \
	$UE --sgw http://127.0.0.1:1 $A --teid 0
attach_fails "--port 0" 2 "e2mctl: attach: --port: not 0" \
	$UE --sgw http://127.0.0.1:1 $A --teid 1 --port 0
attach_fails "an https SGW" 2 \
	"e2mctl: attach: --sgw: must be http://HOST[:PORT], not 'https://sgw'" \
	$UE --sgw https://sgw $A --teid 1
attach_fails "--address not an address" 2 \
	"e2mctl: attach: --address: not an IPv4 or IPv6 address in its usual form" \
	$UE --sgw http://127.0.0.1:1 --dev e2m0 --address 192.0.2 --teid 1
attach_fails "--dev too long" 2 "e2mctl: attach: --dev: not a device name" \
	$UE --sgw http://127.0.0.1:1 --dev e2m0123456789abcd --address 192.0.2.1 --teid 1
attach_fails "--keyring @frob" 2 \
	"e2mctl: attach: --keyring: unknown keyring \"@frob\"" \
	$UE --sgw http://127.0.0.1:1 $A --teid 1 --keyring @frob
attach_fails "an ICCID not in the store" 1 \
	"e2mctl: attach: no USIM with ICCID 890100000000000002 in the store" \
	--store "$tmp/ue.db" --store-key-file "$tmp/ue.key" \
	--iccid 890100000000000002 --sgw http://127.0.0.1:1 $A --teid 1
}

# A stand-in SGW: answers every POST with $tmp/sgw.status and
# $tmp/sgw.body, and writes what it got to $tmp/sgw.got.
if command -v python3 > /dev/null; then
	python3 -c '
import http.server, os, sys
d = sys.argv[1]
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def do_POST(self):
        got = self.rfile.read(int(self.headers["Content-Length"]))
        open(d + "/sgw.got", "ab").write(self.path.encode() + b" " + got + b"\n")
        body = open(d + "/sgw.body", "rb").read()
        self.send_response(int(open(d + "/sgw.status").read()))
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
s = http.server.HTTPServer(("127.0.0.1", 0), H)
open(d + "/sgw.port.tmp", "w").write(str(s.server_address[1]))
os.rename(d + "/sgw.port.tmp", d + "/sgw.port")
s.serve_forever()' "$tmp" &
	pid[sgw]=$!
	for i in $(seq 100); do [ -s "$tmp/sgw.port" ] && break; sleep 0.05; done
	SGW=http://127.0.0.1:$(cat "$tmp/sgw.port")
	sgw_answers() {	# STATUS BODY
		echo "$1" > "$tmp/sgw.status"
		printf '%s' "$2" > "$tmp/sgw.body"
	}
	challenge() {	# AUTN
		sgw_answers 200 '{"session":"00112233445566778899aabbccddeeff","rand":"'$RAND1'","autn":"'$1'","ksi":2,"aka":"umts"}'
	}
	autn_of() {	# AMF: the AUTN of set 1's K, OPc, RAND with SQN 32
		"$E2MCTL" milenage --k $K1 --opc $OPC1 --rand $RAND1 \
			--sqn 000000000020 --amf $1 | sed -n 's/^autn=//p'
	}
	# shellcheck disable=SC2086
	{
	sgw_answers 404 '{"error":"unknown-subscriber","detail":"the HSS has no such IMSI"}'
	attach_fails "the SGW refusing: its status, error and detail" 1 \
		"e2mctl: attach: the SGW answered 404 unknown-subscriber: the HSS has no such IMSI" \
		$UE --sgw $SGW $A --teid 4097
	[ "$(cat "$tmp/sgw.got")" = '/sgw/v1/attach {"imsi":"001010000000001","gtpu":{"address":"192.0.2.1","port":2152,"teid":4097}}' ]
	result $((! $?)) "attach: the request names the USIM's IMSI and the GTP-U endpoint" "$(cat "$tmp/sgw.got")"
	rm -f "$tmp/sgw.got"
	sgw_answers 200 '{"session":"0011"}'
	attach_fails "a challenge that does not parse" 1 \
		"e2mctl: attach: the SGW's challenge: \"session\": wrong length, not 16 octets of hex" \
		$UE --sgw $SGW $A --teid 4097
	autn=$(autn_of 4000)
	challenge ${autn:0:31}$(printf '%x' $(( (0x${autn:31:1} + 1) % 16 )))
	attach_fails "AUTN with a wrong MAC" 1 \
		"e2mctl: attach: the USIM refused AUTN (MAC): not our network" \
		$UE --sgw $SGW $A --teid 4097
	challenge "$(autn_of 0000)"
	attach_fails "AUTN without the e2m bit: nothing derived, no answer sent" 1 \
		"e2mctl: attach: the vector is not marked for e2m (AMF)" \
		$UE --sgw $SGW $A --teid 4097
	result $(( $(wc -l < "$tmp/sgw.got") == 3 )) "attach: no attach/complete sent for any of them (not even AUTS)" "$(cat "$tmp/sgw.got")"
	}
	kill "${pid[sgw]}" 2> /dev/null
	wait "${pid[sgw]}" 2> /dev/null
	pid[sgw]=
	attach_fails "the SGW unreachable" 1 \
		"e2mctl: attach: the SGW: Connection refused" \
		$UE --sgw $SGW $A --teid 4097
fi

echo "1..$tap_n"
[ $tap_failed = 0 ] || echo "# failed $tap_failed of $tap_n"
[ $tap_failed = 0 ]
