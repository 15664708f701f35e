// SPDX-License-Identifier: GPL-2.0
/*
 * The local interface (proto/local): the framing byte for byte (partial
 * reads, the length limits), every message built to exact bytes and
 * parsed back, and every refusal with its error token.
 */
#include <errno.h>
#include <string.h>

#include "tap.h"
#include "proto/local/local_msg.h"

#define BTID	"I1U8vpY3qJ0hiuZNrke/NQ==@bsf.home1.net"
#define DEVICE	"imei:490154203237518"
#define KC	"nafkc.home1.net"
#define ACK_LATER "{\"type\":\"complete-ack\",\"id\":9,\"later\":[1]}"

static void test_frame(void)
{
	uint8_t buf[LOCAL_FRAME_BUFFER + 1] = { 0x00, 0x03, '{', '}', ' ',
						0x00, 0x02 };
	uint8_t header[2];
	size_t n = 99;

	ok(local_frame_peek(buf, 0, &n) == LOCAL_FRAME_PARTIAL && n == 0,
	   "frame: nothing buffered is partial");
	ok(local_frame_peek(buf, 1, &n) == LOCAL_FRAME_PARTIAL,
	   "frame: half a header is partial");
	ok(local_frame_peek(buf, 4, &n) == LOCAL_FRAME_PARTIAL,
	   "frame: header and 2 of 3 payload octets is partial");
	ok(local_frame_peek(buf, 5, &n) == LOCAL_FRAME_READY && n == 3,
	   "frame: 00 03 and 3 octets is ready, payload 3");
	ok(local_frame_peek(buf, 7, &n) == LOCAL_FRAME_READY && n == 3,
	   "frame: a second frame behind does not change the first");
	ok(local_frame_peek(buf + 5, 2, &n) == LOCAL_FRAME_PARTIAL,
	   "frame: the second's header alone is partial");
	buf[0] = 0;
	buf[1] = 0;
	ok(local_frame_peek(buf, 2, &n) == LOCAL_FRAME_BAD_LENGTH && n == 0,
	   "frame: length 0 is bad");
	buf[0] = 0x10;
	buf[1] = 0x01;
	ok(local_frame_peek(buf, 2, &n) == LOCAL_FRAME_BAD_LENGTH,
	   "frame: length 4097 is bad, before its payload comes");
	buf[0] = 0x10;
	buf[1] = 0x00;
	ok(local_frame_peek(buf, LOCAL_FRAME_BUFFER, &n) == LOCAL_FRAME_READY &&
	   n == 4096, "frame: length 4096 is the largest");
	buf[0] = 0xff;
	buf[1] = 0xff;
	ok(local_frame_peek(buf, 2, &n) == LOCAL_FRAME_BAD_LENGTH,
	   "frame: length 65535 is bad");
	ok(local_frame_header(header, 258) == 0 && header[0] == 0x01 &&
	   header[1] == 0x02, "frame: header of 258 is 01 02");
	ok(local_frame_header(header, 0) == -EMSGSIZE &&
	   local_frame_header(header, 4097) == -EMSGSIZE,
	   "frame: header of 0 or 4097 is refused");
}

/* Builds msg and compares the frame with the 2 length octets and json. */
static void built(const struct local_msg *msg, const char *json,
		  const char *what)
{
	uint8_t out[LOCAL_FRAME_BUFFER];
	size_t len = strlen(json);
	int n = local_msg_frame(msg, out, sizeof(out), NULL, 0);
	struct local_msg back;

	ok(n == (int)(len + 2) && out[0] == len >> 8 &&
	   out[1] == (len & 0xff) && !memcmp(out + 2, json, len),
	   "build %s: %s", what, json);
	if (n != (int)(len + 2))
		printf("#   got %d: %.*s\n", n, n > 2 ? n - 2 : 0,
		       (const char *)out + 2);
	ok(n > 2 && !local_msg_parse(out + 2, (size_t)n - 2, &back, NULL, 0) &&
	   !memcmp(&back, msg, sizeof(back)), "parse %s back", what);
}

static void test_build(void)
{
	struct local_msg m;

	memset(&m, 0, sizeof(m));
	m.type = LOCAL_NAF_ID_LIST_REQUEST;
	m.has_id = true;
	m.id = 1;
	built(&m, "{\"type\":\"naf-id-list-request\",\"id\":1}",
	      "naf-id-list-request");

	m.type = LOCAL_NAF_ID_LIST;
	m.n_naf_ids = 2;
	strcpy(m.naf_ids[0], KC);
	strcpy(m.naf_ids[1], "kc2.home1.net");
	built(&m, "{\"type\":\"naf-id-list\",\"id\":1,\"naf-ids\":"
	      "[\"nafkc.home1.net\",\"kc2.home1.net\"]}", "naf-id-list");

	memset(&m, 0, sizeof(m));
	m.type = LOCAL_BTID_REQUEST;
	m.has_id = true;
	m.id = 4294967295u;
	strcpy(m.naf_id, KC);
	strcpy(m.device_id, DEVICE);
	built(&m, "{\"type\":\"btid-request\",\"id\":4294967295,\"naf-id\":"
	      "\"nafkc.home1.net\",\"device-id\":\"imei:490154203237518\"}",
	      "btid-request");

	memset(m.device_id, 0, sizeof(m.device_id));
	m.type = LOCAL_BTID;
	m.id = 0;
	strcpy(m.btid, BTID);
	built(&m, "{\"type\":\"btid\",\"id\":0,\"btid\":"
	      "\"I1U8vpY3qJ0hiuZNrke/NQ==@bsf.home1.net\",\"naf-id\":"
	      "\"nafkc.home1.net\"}", "btid");
	m.has_key_id = true;
	built(&m, "{\"type\":\"btid\",\"id\":0,\"btid\":"
	      "\"I1U8vpY3qJ0hiuZNrke/NQ==@bsf.home1.net\",\"naf-id\":"
	      "\"nafkc.home1.net\",\"key-id\":0}", "btid with the MT's Key ID 0");
	m.key_id = 7;
	built(&m, "{\"type\":\"btid\",\"id\":0,\"btid\":"
	      "\"I1U8vpY3qJ0hiuZNrke/NQ==@bsf.home1.net\",\"naf-id\":"
	      "\"nafkc.home1.net\",\"key-id\":7}", "btid with the MT's Key ID 7");
	m.has_key_id = false;
	m.key_id = 0;

	m.type = LOCAL_COMPLETE;
	m.id = 7;
	strcpy(m.device_id, DEVICE);
	built(&m, "{\"type\":\"complete\",\"id\":7,\"btid\":"
	      "\"I1U8vpY3qJ0hiuZNrke/NQ==@bsf.home1.net\",\"naf-id\":"
	      "\"nafkc.home1.net\",\"device-id\":\"imei:490154203237518\"}",
	      "complete");

	memset(&m, 0, sizeof(m));
	m.type = LOCAL_COMPLETE_ACK;
	m.has_id = true;
	m.id = 7;
	built(&m, "{\"type\":\"complete-ack\",\"id\":7}", "complete-ack");

	memset(&m, 0, sizeof(m));
	m.type = LOCAL_REKEY_WATCH;
	m.has_id = true;
	m.id = 8;
	strcpy(m.naf_id, KC);
	strcpy(m.device_id, DEVICE);
	built(&m, "{\"type\":\"rekey-watch\",\"id\":8,\"naf-id\":"
	      "\"nafkc.home1.net\",\"device-id\":\"imei:490154203237518\"}",
	      "rekey-watch");

	m.type = LOCAL_REKEY_REQUEST;
	strcpy(m.btid, BTID);
	strcpy(m.reason, LOCAL_REKEY_MISMATCH);
	built(&m, "{\"type\":\"rekey-request\",\"id\":8,\"btid\":"
	      "\"I1U8vpY3qJ0hiuZNrke/NQ==@bsf.home1.net\",\"naf-id\":"
	      "\"nafkc.home1.net\",\"device-id\":\"imei:490154203237518\","
	      "\"reason\":\"key-mismatch\"}", "rekey-request");

	memset(&m, 0, sizeof(m));
	m.type = LOCAL_ERROR;
	strcpy(m.error, LOCAL_ERR_BAD_JSON);
	strcpy(m.detail, "not JSON");
	built(&m, "{\"type\":\"error\",\"error\":\"bad-json\",\"detail\":"
	      "\"not JSON\"}", "error without id");
	m.has_id = true;
	m.id = 3;
	memset(m.detail, 0, sizeof(m.detail));
	strcpy(m.error, LOCAL_ERR_UNKNOWN_NAF);
	built(&m, "{\"type\":\"error\",\"id\":3,\"error\":\"unknown-naf-id\"}",
	      "error with id, no detail");
}

static void test_build_refusals(void)
{
	uint8_t out[LOCAL_FRAME_BUFFER];
	struct local_msg m;

	memset(&m, 0, sizeof(m));
	ok(local_msg_frame(&m, out, sizeof(out), NULL, 0) == -EINVAL,
	   "build: no type is refused");
	m.type = LOCAL_BTID_REQUEST;
	strcpy(m.naf_id, KC);
	strcpy(m.device_id, DEVICE);
	ok(local_msg_frame(&m, out, sizeof(out), NULL, 0) == -EINVAL,
	   "build: a request without id is refused");
	m.has_id = true;
	strcpy(m.device_id, "has space");
	ok(local_msg_frame(&m, out, sizeof(out), NULL, 0) == -EINVAL,
	   "build: a bad Device_ID is refused");
	strcpy(m.device_id, DEVICE);
	strcpy(m.naf_id, "-bad.example");
	ok(local_msg_frame(&m, out, sizeof(out), NULL, 0) == -EINVAL,
	   "build: a NAF-ID that is no FQDN is refused");
	strcpy(m.naf_id, KC);
	ok(local_msg_frame(&m, out, 20, NULL, 0) == -EMSGSIZE,
	   "build: too small a buffer is -EMSGSIZE");
	memset(&m, 0, sizeof(m));
	m.type = LOCAL_NAF_ID_LIST;
	m.has_id = true;
	ok(local_msg_frame(&m, out, sizeof(out), NULL, 0) == -EINVAL,
	   "build: an empty NAF-ID list is refused");
	m.n_naf_ids = LOCAL_NAF_IDS_MAX + 1;
	ok(local_msg_frame(&m, out, sizeof(out), NULL, 0) == -EINVAL,
	   "build: 9 NAF-IDs are refused");
	memset(&m, 0, sizeof(m));
	m.type = LOCAL_ERROR;
	strcpy(m.error, "Bad_Token");
	ok(local_msg_frame(&m, out, sizeof(out), NULL, 0) == -EINVAL,
	   "build: an error token out of a-z and - is refused");
	memset(&m, 0, sizeof(m));
	m.type = LOCAL_REKEY_REQUEST;
	m.has_id = true;
	strcpy(m.btid, BTID);
	strcpy(m.naf_id, KC);
	strcpy(m.device_id, DEVICE);
	ok(local_msg_frame(&m, out, sizeof(out), NULL, 0) == -EINVAL,
	   "build: a rekey-request without reason is refused");
	memset(&m, 0, sizeof(m));
	m.type = LOCAL_BTID;
	m.has_id = true;
	strcpy(m.btid, BTID);
	strcpy(m.naf_id, KC);
	m.has_key_id = true;
	m.key_id = 8;
	ok(local_msg_frame(&m, out, sizeof(out), NULL, 0) == -EINVAL,
	   "build: a btid with Key ID 8 is refused");
}

/* Parses json; expects ret, and the id/type read. */
static void refused(const char *json, int ret, const char *token,
		    bool has_id, enum local_type type, const char *why_expected)
{
	struct local_msg m;
	char why[128] = "";
	int got = local_msg_parse((const uint8_t *)json, strlen(json), &m, why,
				  sizeof(why));

	ok(got == ret && !strcmp(local_msg_error_token(got), token) &&
	   m.has_id == has_id && m.type == type &&
	   !strcmp(why, why_expected), "refuse %s: %s (%s)", json, token,
	   why);
}

static void test_parse_refusals(void)
{
	struct local_msg m;
	uint8_t big[LOCAL_FRAME_MAX + 1];

	refused("", -EBADMSG, "bad-json", false, LOCAL_NONE,
		"payload of 0 octets");
	memset(big, ' ', sizeof(big));
	ok(local_msg_parse(big, sizeof(big), &m, NULL, 0) == -EBADMSG,
	   "refuse a payload of 4097 octets");
	refused("{\"type\":", -EBADMSG, "bad-json", false, LOCAL_NONE,
		"not JSON: unexpected token near end of file");
	refused("[1]", -EBADMSG, "bad-json", false, LOCAL_NONE,
		"not a JSON object");
	refused("{\"id\":1}", -EINVAL, "bad-request", true, LOCAL_NONE,
		"\"type\" is missing or not a string");
	refused("{\"type\":\"hello\",\"id\":5}", -EOPNOTSUPP, "unknown-type",
		true, LOCAL_NONE, "\"type\" is not one this MT knows");
	refused("{\"type\":\"naf-id-list-request\"}", -EINVAL, "bad-request",
		false, LOCAL_NAF_ID_LIST_REQUEST,
		"\"id\" is missing or not an integer");
	refused("{\"type\":\"naf-id-list-request\",\"id\":\"1\"}", -EINVAL,
		"bad-request", false, LOCAL_NAF_ID_LIST_REQUEST,
		"\"id\" is missing or not an integer");
	refused("{\"type\":\"naf-id-list-request\",\"id\":-1}", -EINVAL,
		"bad-request", false, LOCAL_NAF_ID_LIST_REQUEST,
		"\"id\" is out of range");
	refused("{\"type\":\"naf-id-list-request\",\"id\":4294967296}",
		-EINVAL, "bad-request", false, LOCAL_NAF_ID_LIST_REQUEST,
		"\"id\" is out of range");
	refused("{\"type\":\"naf-id-list-request\",\"id\":1,\"id\":2}",
		-EBADMSG, "bad-json", false, LOCAL_NONE,
		"not JSON: duplicate object key near '\"id\"'");
	refused("{\"type\":\"btid-request\",\"id\":2,\"device-id\":\"d1\"}",
		-EINVAL, "bad-request", true, LOCAL_BTID_REQUEST,
		"\"naf-id\" is missing");
	refused("{\"type\":\"btid-request\",\"id\":2,\"naf-id\":\"a..b\","
		"\"device-id\":\"d1\"}", -EINVAL, "bad-request", true,
		LOCAL_BTID_REQUEST, "\"naf-id\" is not an FQDN");
	refused("{\"type\":\"btid-request\",\"id\":2,\"naf-id\":\"" KC "\"}",
		-EINVAL, "bad-request", true, LOCAL_BTID_REQUEST,
		"\"device-id\" is missing");
	refused("{\"type\":\"btid-request\",\"id\":2,\"naf-id\":\"" KC "\","
		"\"device-id\":\"a b\"}", -EINVAL, "bad-request", true,
		LOCAL_BTID_REQUEST, "\"device-id\" is not a Device_ID");
	refused("{\"type\":\"btid-request\",\"id\":2,\"naf-id\":\"" KC "\","
		"\"device-id\":\"a\\u0000b\"}", -EBADMSG, "bad-json", false,
		LOCAL_NONE, "not JSON: \\u0000 is not allowed without "
		"JSON_ALLOW_NUL near '\"a\\u0000b\"'");
	refused("{\"type\":\"btid-request\",\"id\":2,\"naf-id\":7,"
		"\"device-id\":\"d\"}", -EINVAL, "bad-request", true,
		LOCAL_BTID_REQUEST, "\"naf-id\" is not a string");
	refused("{\"type\":\"complete\",\"id\":3,\"btid\":\"no-at\","
		"\"naf-id\":\"" KC "\",\"device-id\":\"d\"}", -EINVAL,
		"bad-request", true, LOCAL_COMPLETE,
		"\"btid\" is not a B-TID");
	refused("{\"type\":\"naf-id-list\",\"id\":3,\"naf-ids\":[]}", -EINVAL,
		"bad-request", true, LOCAL_NAF_ID_LIST,
		"\"naf-ids\" is not a list of 1 to 8");
	refused("{\"type\":\"naf-id-list\",\"id\":3,\"naf-ids\":[\"a\",1]}",
		-EINVAL, "bad-request", true, LOCAL_NAF_ID_LIST,
		"\"naf-ids\"[1] is not an FQDN");
	refused("{\"type\":\"error\",\"error\":\"Nope\"}", -EINVAL,
		"bad-request", false, LOCAL_ERROR, "\"error\" is not a token");
	refused("{\"type\":\"rekey-watch\",\"id\":8,\"naf-id\":\"" KC "\"}",
		-EINVAL, "bad-request", true, LOCAL_REKEY_WATCH,
		"\"device-id\" is missing");
	refused("{\"type\":\"rekey-request\",\"id\":8,\"btid\":\"" BTID "\","
		"\"naf-id\":\"" KC "\",\"device-id\":\"" DEVICE "\"}", -EINVAL,
		"bad-request", true, LOCAL_REKEY_REQUEST,
		"\"reason\" is missing");
	refused("{\"type\":\"rekey-request\",\"id\":8,\"btid\":\"" BTID "\","
		"\"naf-id\":\"" KC "\",\"device-id\":\"" DEVICE "\","
		"\"reason\":\"Key Mismatch\"}", -EINVAL, "bad-request", true,
		LOCAL_REKEY_REQUEST, "\"reason\" is not a token");
	refused("{\"type\":\"rekey-request\",\"id\":8,\"naf-id\":\"" KC "\","
		"\"device-id\":\"" DEVICE "\",\"reason\":\"key-mismatch\"}",
		-EINVAL, "bad-request", true, LOCAL_REKEY_REQUEST,
		"\"btid\" is missing");
#define BTID_KEY_ID(k) "{\"type\":\"btid\",\"id\":2,\"btid\":\"" BTID \
	"\",\"naf-id\":\"" KC "\",\"key-id\":" k "}"
	refused(BTID_KEY_ID("8"), -EINVAL, "bad-request", true, LOCAL_BTID,
		"\"key-id\" is not an integer 0 to 7");
	refused(BTID_KEY_ID("-1"), -EINVAL, "bad-request", true, LOCAL_BTID,
		"\"key-id\" is not an integer 0 to 7");
	refused(BTID_KEY_ID("\"1\""), -EINVAL, "bad-request", true,
		LOCAL_BTID, "\"key-id\" is not an integer 0 to 7");
	refused(BTID_KEY_ID("1.0"), -EINVAL, "bad-request", true, LOCAL_BTID,
		"\"key-id\" is not an integer 0 to 7");
	refused(BTID_KEY_ID("null"), -EINVAL, "bad-request", true, LOCAL_BTID,
		"\"key-id\" is not an integer 0 to 7");
	ok(!local_msg_parse((const uint8_t *)BTID_KEY_ID("3"),
			    strlen(BTID_KEY_ID("3")), &m, NULL, 0) &&
	   m.type == LOCAL_BTID && m.has_key_id && m.key_id == 3,
	   "parse: a btid with the MT's Key ID 3");
	ok(!local_msg_parse((const uint8_t *)ACK_LATER, strlen(ACK_LATER), &m,
			    NULL, 0) && !m.has_key_id && !m.key_id,
	   "parse: a message without key-id has none");
	ok(!strcmp(local_msg_error_token(-ENOMEM), "internal-error"),
	   "the token of any other error is internal-error");
	ok(!local_msg_parse((const uint8_t *)ACK_LATER, strlen(ACK_LATER), &m,
			    NULL, 0) &&
	   m.type == LOCAL_COMPLETE_ACK && m.id == 9,
	   "parse: an unknown member is ignored");
}

int main(void)
{
	test_frame();
	test_build();
	test_build_refusals();
	test_parse_refusals();
	return done_testing();
}
