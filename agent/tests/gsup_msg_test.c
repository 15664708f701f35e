// SPDX-License-Identifier: GPL-2.0
/*
 * proto/gsup: the IPA framing and the GSUP SendAuthInfo messages, octet
 * for octet: what the BSF sends osmo-hlr, and what it takes from it and
 * refuses.
 */
#include <errno.h>

#include "proto/gsup/gsup_msg.h"
#include "proto/gsup/ipa.h"
#include "util/why.h"
#include "tap.h"

#define IMSI		"001010000000001"
#define IMSI_BCD	"00010100000000f1"
#define RAND		"23553cbe9637a89d218ae64dae47bf35"
#define AUTN		"55f328b43577b9b94a9ffac354dfafb3"
#define CK		"b40ba9a3c58b2a05bbf0d987b21bf8cb"
#define IK		"f769bcd751044604127672711c6d3441"
#define RES		"a54211d5e3ba50bf"
#define AUTS		"0102030405060708090a0b0c0d0e"
/* A tuple as osmo-hlr sends it: RAND, SRES, Kc, IK, CK, AUTN, RES. */
#define TUPLE		"0362" "2010" RAND "210446f8416a" "22089a9c2a3f4e5d6c7b" \
			"2310" IK "2410" CK "2510" AUTN "2708" RES

static size_t bytes(uint8_t *out, const char *hex)
{
	return unhex(out, 1024, hex);
}

static void test_ipa(void)
{
	uint8_t buf[1024];
	struct ipa_frame f;
	size_t n;
	int ret;

	is_hex(buf, ipa_ccm_build(buf, IPA_CCM_PONG), "0001fe01",
	       "ipa: PONG");
	is_hex(buf, ipa_ccm_build(buf, IPA_CCM_ID_ACK), "0001fe06",
	       "ipa: ID_ACK");
	ret = ipa_id_resp_build(buf, sizeof(buf), "bsf.test");
	ok(ret == 37, "ipa: ID_RESP of bsf.test is 37 octets");
	is_hex(buf, ret > 0 ? (size_t)ret : 0,
	       "0022fe05" "000a00" "6273662e7465737400"
	       "000a01" "6273662e7465737400" "000708" "302f302f3000",
	       "ipa: ID_RESP: SERNR and UNITNAME the name, UNIT 0/0/0");
	ok(ipa_id_resp_build(buf, 36, "bsf.test") == -ENOSPC &&
	   ipa_id_resp_build(buf, sizeof(buf), "") == -EINVAL,
	   "ipa: ID_RESP: too small a buffer, an empty name");
	ok(ipa_gsup_header(buf, 14) == 4, "ipa: GSUP header, 4 octets");
	is_hex(buf, 4, "000fee05", "ipa: GSUP header of 14 octets");
	ok(ipa_gsup_header(buf, 0xffff) == -EMSGSIZE &&
	   ipa_gsup_header(buf, 0xfffe) == 4,
	   "ipa: GSUP header: 65534 octets fit, 65535 do not");

	n = bytes(buf, "000fee05" "0901" "08" IMSI_BCD "020102" "0001fe00");
	ok(ipa_frame_next(buf, 2, &f) == 0 && ipa_frame_next(buf, 17, &f) == 0,
	   "ipa: a partial header, a partial payload: more needed");
	ret = ipa_frame_next(buf, n, &f);
	ok(ret == 18 && f.proto == IPA_PROTO_OSMO && f.kind == IPA_EXT_GSUP &&
	   f.body_len == 14 && f.body == buf + 4,
	   "ipa: the first of two frames: GSUP, 14 octets of message");
	ret = ipa_frame_next(buf + 18, n - 18, &f);
	ok(ret == 4 && f.proto == IPA_PROTO_CCM && f.kind == IPA_CCM_PING &&
	   f.body_len == 0, "ipa: then a PING");
	n = bytes(buf, "0000fe");
	ok(ipa_frame_next(buf, n, &f) == -EBADMSG,
	   "ipa: a CCM frame with no message type is refused");
	n = bytes(buf, "0002ff0102");
	ok(ipa_frame_next(buf, n, &f) == 5 && f.proto == 0xff &&
	   f.body_len == 2, "ipa: another protocol passes whole");
}

static void test_request(void)
{
	struct gsup_sai_request req;
	uint8_t buf[GSUP_SAI_REQUEST_MAX];
	int ret;

	memset(&req, 0, sizeof(req));
	strcpy(req.imsi, IMSI);
	ret = gsup_sai_request_build(&req, buf, sizeof(buf));
	is_hex(buf, ret > 0 ? (size_t)ret : 0,
	       "08" "0108" IMSI_BCD "520101",
	       "request: SendAuthInfo, IMSI (odd, 0xf filler), one vector");
	strcpy(req.imsi, "00101000000001");
	ret = gsup_sai_request_build(&req, buf, sizeof(buf));
	is_hex(buf, ret > 0 ? (size_t)ret : 0,
	       "08" "0107" "00010100000010" "520101",
	       "request: an even IMSI has no filler");
	strcpy(req.imsi, IMSI);
	req.resync = true;
	unhex(req.rand, sizeof(req.rand), RAND);
	unhex(req.auts, sizeof(req.auts), AUTS);
	ret = gsup_sai_request_build(&req, buf, sizeof(buf));
	is_hex(buf, ret > 0 ? (size_t)ret : 0,
	       "08" "0108" IMSI_BCD "260e" AUTS "2010" RAND "520101",
	       "request: resynchronisation adds AUTS and RAND");
	ok(ret == GSUP_SAI_REQUEST_MAX,
	   "request: the longest fits GSUP_SAI_REQUEST_MAX");
	ok(gsup_sai_request_build(&req, buf, GSUP_SAI_REQUEST_MAX - 1) ==
	   -ENOSPC, "request: a buffer under GSUP_SAI_REQUEST_MAX: -ENOSPC");
	strcpy(req.imsi, "0010");
	ok(gsup_sai_request_build(&req, buf, sizeof(buf)) == -EINVAL,
	   "request: an IMSI of 4 digits is refused");
	strcpy(req.imsi, "00101000000000x");
	ok(gsup_sai_request_build(&req, buf, sizeof(buf)) == -EINVAL,
	   "request: an IMSI with a letter is refused");
}

static int parse(const char *hex, struct gsup_message *m, char *why)
{
	uint8_t buf[1024];
	size_t n = bytes(buf, hex);

	why[0] = '\0';
	return gsup_message_parse(buf, n, m, why, UB_WHY_MAX);
}

static void test_answers(void)
{
	struct gsup_message m;
	char why[UB_WHY_MAX];

	ok(!parse("0a" "0108" IMSI_BCD TUPLE, &m, why) &&
	   m.type == GSUP_MSGT_SAI_RESULT && !strcmp(m.imsi, IMSI) &&
	   !m.has_cause && m.tuples == 1 && m.has_vector,
	   "result: one UMTS vector");
	is_hex(m.vector.rand, 16, RAND, "result: RAND");
	is_hex(m.vector.autn, 16, AUTN, "result: AUTN");
	is_hex(m.vector.ck, 16, CK, "result: CK");
	is_hex(m.vector.ik, 16, IK, "result: IK");
	ok(m.vector.res_len == 8, "result: RES of 8 octets");
	is_hex(m.vector.res, m.vector.res_len, RES, "result: RES");
	gsup_message_wipe(&m);
	ok(!parse("0a" "0a0101" "0108" IMSI_BCD "0306" "2104aabbccdd" TUPLE
		  "7f00", &m, why) && m.tuples == 2 && m.has_vector,
	   "result: a GSM triplet first, unknown IEs skipped, the vector kept");
	is_hex(m.vector.rand, 16, RAND, "result: the vector is the UMTS one");
	ok(!parse("0a" "0108" IMSI_BCD "0314" "2010" RAND "9900", &m, why) &&
	   m.tuples == 1 && !m.has_vector,
	   "result: a tuple with no AUTN, CK, IK, RES is no vector");
	ok(!parse("09" "0108" IMSI_BCD "020102", &m, why) &&
	   m.type == GSUP_MSGT_SAI_ERROR && m.has_cause && m.cause == 2 &&
	   !m.tuples, "error: IMSI unknown (cause 2)");
	ok(!parse("09" "0107" "00010100000010" "020111", &m, why) &&
	   !strcmp(m.imsi, "00101000000001") && m.cause == 0x11,
	   "error: an even IMSI, network failure");

	ok(parse("", &m, why) == -EBADMSG && !strcmp(why, "empty message"),
	   "refused: nothing");
	ok(parse("0a" "020102", &m, why) == -EBADMSG &&
	   !strcmp(why, "no IMSI"), "refused: no IMSI");
	ok(parse("0a" "0108" IMSI_BCD "0108" IMSI_BCD, &m, why) == -EBADMSG &&
	   !strcmp(why, "IMSI twice or not BCD digits"), "refused: IMSI twice");
	ok(parse("0a" "0108" "000101000a0000f1", &m, why) == -EBADMSG,
	   "refused: an IMSI nibble over 9");
	ok(parse("0a" "0108" "0001010000000001", &m, why) == -EBADMSG,
	   "refused: 16 digits in 8 octets (found by fuzz_gsup_msg)");
	ok(parse("0a" "0108" "00f1010000000001", &m, why) == -EBADMSG,
	   "refused: the filler anywhere but last");
	ok(parse("0a" "0102" "0010", &m, why) == -EBADMSG,
	   "refused: an IMSI of 4 digits");
	ok(parse("0a" "0109" "00010100000000000f", &m, why) == -EBADMSG,
	   "refused: an IMSI of 9 octets");
	ok(parse("0a" "0108" "000101", &m, why) == -EBADMSG &&
	   !strcmp(why, "an IE overruns the message"), "refused: an overrun");
	ok(parse("0a" "0108" IMSI_BCD "02", &m, why) == -EBADMSG,
	   "refused: a lone IEI at the end");
	ok(parse("09" "0108" IMSI_BCD "02020202", &m, why) == -EBADMSG &&
	   !strcmp(why, "cause twice or not one octet"),
	   "refused: a cause of two octets");
	ok(parse("09" "0108" IMSI_BCD "020102" "020102", &m, why) == -EBADMSG,
	   "refused: the cause twice");
	ok(parse("0a" "0108" IMSI_BCD "0311" "200f" RAND, &m, why) ==
	   -EBADMSG, "refused: a tuple overrun by its RAND");
	ok(parse("0a" "0108" IMSI_BCD "0311" "200f" "23553cbe9637a89d218ae64dae47bf",
		 &m, why) == -EBADMSG &&
	   !strcmp(why, "auth tuple: IE 0x20 of a wrong length or twice"),
	   "refused: a RAND of 15 octets");
	ok(parse("0a" "0108" IMSI_BCD "0305" "2703aabbcc", &m, why) ==
	   -EBADMSG, "refused: a RES of 3 octets");
	ok(parse("0a" "0108" IMSI_BCD "0314" "2708" RES "2708" RES, &m, why) ==
	   -EBADMSG, "refused: RES twice in a tuple");
	ok(parse("0a" "0108" IMSI_BCD "0304" "2203aabbcc", &m, why) ==
	   -EBADMSG, "refused: a Kc of 3 octets");
	ok(parse("0a" "0108" IMSI_BCD "0302" "2010", &m, why) == -EBADMSG &&
	   !strcmp(why, "auth tuple: an IE overruns it"),
	   "refused: an IE overruns its tuple");
}

int main(void)
{
	test_ipa();
	test_request();
	test_answers();
	return done_testing();
}
