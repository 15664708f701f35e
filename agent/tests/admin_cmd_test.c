// SPDX-License-Identifier: GPL-2.0
/*
 * The admin commands (daemon/admin_cmd.c) on a real store, without the
 * socket: each request as e2mctl or a script would send it, each answer
 * compared whole, as compact JSON. Every refusal has its exact message
 * and changes nothing; no answer holds K, OPc or Ks; sessions (which only
 * the BSF makes) are listed with their times in UTC.
 */
#include <string.h>

#include <jansson.h>

#include "daemon/admin_cmd.h"
#include "daemon/daemon.h"
#include "daemon/log.h"
#include "store_fixture.h"

static struct daemon daemon_state;

/* The answer to request (JSON text), as compact JSON text. */
static char *ask(const char *request_text)
{
	json_t *request = json_loads(request_text, 0, NULL), *answer;
	char *text;

	if (!request)
		bail("a test request is not JSON");
	answer = admin_cmd_handle(request, &daemon_state);
	json_decref(request);
	text = answer ? json_dumps(answer, JSON_COMPACT) : NULL;
	json_decref(answer);
	if (!text)
		bail("no answer");
	return text;
}

static void expect(const char *name, const char *request, const char *want)
{
	char *got = ask(request);

	if (!ok(!strcmp(got, want), "%s", name))
		printf("#   got:  %s\n#   want: %s\n", got, want);
	free(got);
}

#define ADD "{\"command\":\"subscriber-add\","
#define K1 "\"k\":\"" SET1_K "\""
#define OPC1 "\"opc\":\"" SET1_OPC "\""
#define ID1 "\"imsi\":\"" TEST_IMSI "\",\"impi\":\"" TEST_IMPI "\""
#define ERR(msg) "{\"ok\":false,\"error\":\"" msg "\"}"

struct refusal {
	const char *name;
	const char *request;
	const char *answer;
};

static const struct refusal refusals[] = {
	{ "an unknown command", "{\"command\":\"frob\"}",
	  ERR("unknown command \\\"frob\\\"") },
	{ "an unknown member", "{\"command\":\"subscriber-list\",\"all\":true}",
	  ERR("unknown member \\\"all\\\"") },
	{ "add without imsi", ADD "\"impi\":\"a@b\"," K1 "," OPC1 "}",
	  ERR("missing \\\"imsi\\\"") },
	{ "add with a numeric imsi", ADD "\"imsi\":1,\"impi\":\"a@b\"," K1 "," OPC1 "}",
	  ERR("\\\"imsi\\\" must be a string") },
	{ "add with a short imsi", ADD "\"imsi\":\"00101\",\"impi\":\"a@b\"," K1 "," OPC1 "}",
	  ERR("\\\"imsi\\\" must be 6 to 15 digits") },
	{ "add with an impi without realm", ADD "\"imsi\":\"001010000000009\",\"impi\":\"ab\"," K1 "," OPC1 "}",
	  ERR("\\\"impi\\\" is not an IMPI (user@realm)") },
	{ "add with a short k", ADD ID1 ",\"k\":\"00\"," OPC1 "}",
	  ERR("\\\"k\\\" must be 16 octets of hex: wrong length") },
	{ "add with a k not hex", ADD ID1 ",\"k\":\"zz5b5ce8b199b49faa5f0a2ee238a6bc\"," OPC1 "}",
	  ERR("\\\"k\\\" must be 16 octets of hex: not a hex string") },
	{ "add without opc or op", ADD ID1 "," K1 "}",
	  ERR("exactly one of \\\"opc\\\" and \\\"op\\\" is needed") },
	{ "add with opc and op", ADD ID1 "," K1 "," OPC1 ",\"op\":\"" SET1_OPC "\"}",
	  ERR("exactly one of \\\"opc\\\" and \\\"op\\\" is needed") },
	{ "add with an odd amf", ADD ID1 "," K1 "," OPC1 ",\"amf\":\"800\"}",
	  ERR("\\\"amf\\\" must be 2 octets of hex: odd number of hex digits") },
	{ "add with an unknown flag", ADD ID1 "," K1 "," OPC1 ",\"flags\":[\"gba\"]}",
	  ERR("\\\"flags\\\" must be a list of \\\"e2m\\\", \\\"gba-u\\\"") },
	{ "add with ind-bits 6", ADD ID1 "," K1 "," OPC1 ",\"ind-bits\":6}",
	  ERR("\\\"ind-bits\\\" must be 0 to 5") },
	{ "add with a USS that is not a list", ADD ID1 "," K1 "," OPC1 ",\"uss\":{\"naf\":\"x\"}}",
	  ERR("\\\"uss\\\" must be a USS: [{\\\"naf\\\": FQDN, \\\"flags\\\": [N...]}...]") },
	{ "remove without id", "{\"command\":\"subscriber-remove\"}",
	  ERR("missing \\\"id\\\"") },
	{ "remove someone unknown", "{\"command\":\"subscriber-remove\",\"id\":\"nobody@home1.net\"}",
	  ERR("no such subscriber") },
};

static void test_refusals(void)
{
	size_t i;

	for (i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++)
		expect(refusals[i].name, refusals[i].request,
		       refusals[i].answer);
	expect("nothing was added by the refusals",
	       "{\"command\":\"subscriber-list\"}",
	       "{\"ok\":true,\"subscribers\":[]}");
}

#define SUB1 "{\"imsi\":\"" TEST_IMSI "\",\"impi\":\"" TEST_IMPI "\"," \
	"\"amf\":\"b9b9\",\"flags\":[\"e2m\",\"gba-u\"],\"ind-bits\":4," \
	"\"seq\":0,\"next-ind\":0,\"uss\":[{\"naf\":\"naf1.home1.net\",\"flags\":[1]}]}"
#define SUB2 "{\"imsi\":\"001010000000002\",\"impi\":\"u2@home1.net\"," \
	"\"amf\":\"0000\",\"flags\":[],\"ind-bits\":5," \
	"\"seq\":0,\"next-ind\":0,\"uss\":[]}"

static void test_subscribers(void)
{
	struct store_subscriber sub;

	expect("add: set 1 with everything", ADD ID1 "," K1 "," OPC1
	       ",\"amf\":\"B9B9\",\"flags\":[\"gba-u\",\"e2m\"],\"ind-bits\":4,"
	       "\"uss\":[{\"naf\":\"naf1.home1.net\",\"flags\":[1]}]}",
	       "{\"ok\":true,\"subscriber\":" SUB1 "}");
	expect("add: set 1's K with OP, the defaults",
	       ADD "\"imsi\":\"001010000000002\",\"impi\":\"u2@home1.net\","
	       K1 ",\"op\":\"cdc202d5123e20f62b6d676ac72cb318\"}",
	       "{\"ok\":true,\"subscriber\":" SUB2 "}");
	if (!store_subscriber_get(daemon_state.store, "u2@home1.net", &sub))
		is_hex(sub.opc, sizeof(sub.opc), SET1_OPC,
		       "add: OPc computed from OP (TS 35.208 set 1)");
	else
		ok(0, "add: OPc computed from OP (the subscriber is missing)");
	store_subscriber_wipe(&sub);
	expect("add: the same IMPI again", ADD
	       "\"imsi\":\"001010000000003\",\"impi\":\"u2@home1.net\","
	       K1 "," OPC1 "}",
	       ERR("a subscriber with that IMSI or IMPI exists already"));
	expect("list: both, by IMSI, without K or OPc",
	       "{\"command\":\"subscriber-list\"}",
	       "{\"ok\":true,\"subscribers\":[" SUB1 "," SUB2 "]}");
	expect("remove by IMSI", "{\"command\":\"subscriber-remove\",\"id\":"
	       "\"001010000000002\"}", "{\"ok\":true}");
	expect("list: one left", "{\"command\":\"subscriber-list\"}",
	       "{\"ok\":true,\"subscribers\":[" SUB1 "]}");
}

static void add_session(const char *btid, int64_t created, int64_t expires)
{
	struct store_session session = { 0 };

	snprintf(session.pub.btid, sizeof(session.pub.btid), "%s", btid);
	snprintf(session.pub.impi, sizeof(session.pub.impi), "%s", TEST_IMPI);
	memset(session.pub.rand, 0x23, sizeof(session.pub.rand));
	memset(session.ks, 0x5a, sizeof(session.ks));
	session.pub.created = created;
	session.pub.expires = expires;
	if (store_session_add(daemon_state.store, &session))
		bail("store_session_add");
	store_session_wipe(&session);
}

static void test_sessions(void)
{
	char *answer;

	expect("sessions: none", "{\"command\":\"session-list\"}",
	       "{\"ok\":true,\"sessions\":[]}");
	add_session("IyMjIyMjIyMjIyMjIyMjIw==@bsf.home1.net", 1714564800,
		    1714568400);
	add_session("JCQkJCQkJCQkJCQkJCQkJA==@bsf.home1.net", 1714564801,
		    4102444800);
	answer = ask("{\"command\":\"session-list\"}");
	ok(!strcmp(answer, "{\"ok\":true,\"sessions\":["
		   "{\"btid\":\"IyMjIyMjIyMjIyMjIyMjIw==@bsf.home1.net\","
		   "\"impi\":\"" TEST_IMPI "\",\"created\":\"2024-05-01T12:00:00Z\","
		   "\"expires\":\"2024-05-01T13:00:00Z\"},"
		   "{\"btid\":\"JCQkJCQkJCQkJCQkJCQkJA==@bsf.home1.net\","
		   "\"impi\":\"" TEST_IMPI "\",\"created\":\"2024-05-01T12:00:01Z\","
		   "\"expires\":\"2100-01-01T00:00:00Z\"}]}"),
	   "sessions: both, expired or not, times in UTC");
	ok(!strstr(answer, "5a5a") && !strstr(answer, "WlpaWl") &&
	   !strstr(answer, "\"ks\"") && !strstr(answer, "rand"),
	   "sessions: no Ks, no RAND");
	free(answer);
}

#define DEV "\"device-id\":\"imei:490154203237518\""
#define PSK "\"psk\":\"" SET1_K SET1_OPC "\""

/* The NAF Key Centre's commands: refusals change nothing, no PSK shown. */
static void test_nafkc(void)
{
	static const struct refusal nafkc_refusals[] = {
		{ "device-add without device-id",
		  "{\"command\":\"device-add\"," PSK "}",
		  ERR("missing \\\"device-id\\\"") },
		{ "device-add with a space in the Device_ID",
		  "{\"command\":\"device-add\",\"device-id\":\"a b\"," PSK "}",
		  ERR("\\\"device-id\\\" must be 1 to 128 printable ASCII characters without space") },
		{ "device-add without psk",
		  "{\"command\":\"device-add\"," DEV "}",
		  ERR("missing \\\"psk\\\"") },
		{ "device-add with a 16-octet psk",
		  "{\"command\":\"device-add\"," DEV ",\"psk\":\"" SET1_K "\"}",
		  ERR("\\\"psk\\\" must be 32 octets of hex") },
		{ "device-add with a psk that is a number",
		  "{\"command\":\"device-add\"," DEV ",\"psk\":7}",
		  ERR("\\\"psk\\\" must be a string") },
		{ "device-add with an unknown member",
		  "{\"command\":\"device-add\"," DEV "," PSK ",\"k\":\"00\"}",
		  ERR("unknown member \\\"k\\\"") },
		{ "device-remove of none",
		  "{\"command\":\"device-remove\"," DEV "}",
		  ERR("device imei:490154203237518 has no PSK") },
		{ "device-unblock of none",
		  "{\"command\":\"device-unblock\"," DEV "}",
		  ERR("device imei:490154203237518 is not blocked") },
		{ "local-key-revoke without btid",
		  "{\"command\":\"local-key-revoke\"," DEV "}",
		  ERR("missing \\\"btid\\\"") },
		{ "local-key-revoke with a bad btid",
		  "{\"command\":\"local-key-revoke\"," DEV ",\"btid\":\"x\"}",
		  ERR("\\\"btid\\\" is not a B-TID") },
		{ "local-key-revoke of none",
		  "{\"command\":\"local-key-revoke\"," DEV
		  ",\"btid\":\"AAAAAAAAAAAAAAAAAAAAAA==@bsf.test\"}",
		  ERR("no local key of B-TID AAAAAAAAAAAAAAAAAAAAAA==@bsf.test and device imei:490154203237518") },
	};
	char *got;
	size_t i;

	for (i = 0; i < sizeof(nafkc_refusals) / sizeof(nafkc_refusals[0]);
	     i++)
		expect(nafkc_refusals[i].name, nafkc_refusals[i].request,
		       nafkc_refusals[i].answer);
	expect("nothing was added by the refusals",
	       "{\"command\":\"device-list\"}",
	       "{\"ok\":true,\"devices\":[],\"blocked\":[]}");
	expect("device-add", "{\"command\":\"device-add\"," DEV "," PSK "}",
	       "{\"ok\":true}");
	expect("device-add again",
	       "{\"command\":\"device-add\"," DEV "," PSK "}",
	       ERR("device imei:490154203237518 has a PSK already"));
	expect("device-block", "{\"command\":\"device-block\"," DEV "}",
	       "{\"ok\":true}");
	expect("device-block again", "{\"command\":\"device-block\"," DEV "}",
	       ERR("device imei:490154203237518 is blocked already"));
	got = ask("{\"command\":\"device-list\"}");
	ok(!strncmp(got, "{\"ok\":true,\"devices\":[{\"device-id\":"
		    "\"imei:490154203237518\",\"added\":\"", 64) &&
	   strstr(got, "\"blocked\":[{\"device-id\":\"imei:490154203237518\","
		  "\"since\":\"") && !strstr(got, SET1_K) &&
	   !strstr(got, SET1_OPC), "device-list: the device, blocked, no PSK");
	free(got);
	expect("device-unblock", "{\"command\":\"device-unblock\"," DEV "}",
	       "{\"ok\":true}");
	expect("device-remove", "{\"command\":\"device-remove\"," DEV "}",
	       "{\"ok\":true}");
	expect("local-key-list: none", "{\"command\":\"local-key-list\"}",
	       "{\"ok\":true,\"keys\":[]}");
}

int main(void)
{
	struct store_key key;

	log_set_level(LOG_LEVEL_ERROR);
	scratch_make("admin");
	test_key(&key, 0x11);
	daemon_state.store = open_store(scratch_path("store.db"), &key);
	store_key_wipe(&key);
	test_refusals();
	test_subscribers();
	test_sessions();
	test_nafkc();
	store_close(daemon_state.store);
	scratch_remove();
	return done_testing();
}
