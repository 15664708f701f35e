// SPDX-License-Identifier: GPL-2.0
/*
 * e2mctl's commands for e2md's admin socket, see cmd_admin.h. Input is
 * checked here as far as it can be (exit status 2), then the daemon
 * checks it again and has the last word (exit status 1).
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include <openssl/crypto.h>

#include "admin_client.h"
#include "cmd_admin.h"
#include "key_input.h"
#include "options.h"
#include "store/store.h"

#define OPTION(n, f) { .name = (n), .flags = (f) }

int admin_socket_option(int argc, char *argv[])
{
	static const char name[] = "--socket";
	size_t len = sizeof(name) - 1;

	if (argc < 1 || strncmp(argv[0], name, len) ||
	    (argv[0][len] && argv[0][len] != '='))
		return 0;
	if (argv[0][len] == '=') {
		admin_set_socket(argv[0] + len + 1);
		return 1;
	}
	if (argc < 2) {
		fprintf(stderr, "e2mctl: --socket needs a path\n");
		return -1;
	}
	admin_set_socket(argv[1]);
	return 2;
}

/* ---- output ------------------------------------------------------------ */

/* A scalar as text: strings as they are, null as "-". */
static void print_scalar(const json_t *value)
{
	if (json_is_string(value))
		fputs(json_string_value(value), stdout);
	else if (json_is_integer(value))
		printf("%lld", (long long)json_integer_value(value));
	else if (json_is_boolean(value))
		fputs(json_is_true(value) ? "true" : "false", stdout);
	else
		putchar('-');
}

static void print_pair(const char *sep, const char *key, const json_t *value)
{
	printf("%s%s=", sep, key);
	print_scalar(value);
}

/* A list of strings (or of objects' "naf") as "a,b", "-" when empty. */
static void print_list(const char *sep, const char *key, const json_t *list,
		       const char *member)
{
	const json_t *item;
	size_t i;

	printf("%s%s=", sep, key);
	if (!json_array_size(list))
		putchar('-');
	json_array_foreach(list, i, item) {
		if (i)
			putchar(',');
		print_scalar(member ? json_object_get(item, member) : item);
	}
}

static void print_subscriber(const json_t *sub)
{
	static const char *const scalars[] = {
		"amf", "ind-bits", "seq", "next-ind"
	};
	size_t i;

	print_pair("", "imsi", json_object_get(sub, "imsi"));
	print_pair(" ", "impi", json_object_get(sub, "impi"));
	for (i = 0; i < sizeof(scalars) / sizeof(scalars[0]); i++)
		print_pair(" ", scalars[i], json_object_get(sub, scalars[i]));
	print_list(" ", "flags", json_object_get(sub, "flags"), NULL);
	print_list(" ", "uss", json_object_get(sub, "uss"), "naf");
	putchar('\n');
}

static void print_session(const json_t *session)
{
	static const char *const keys[] = {
		"btid", "impi", "created", "expires"
	};
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		print_pair(i ? " " : "", keys[i],
			   json_object_get(session, keys[i]));
	putchar('\n');
}

/* Every scalar member of obj, in its order, as " key=value". */
static void print_members(const json_t *obj)
{
	const char *key;
	json_t *value;

	json_object_foreach((json_t *)obj, key, value) {
		if (!json_is_object(value) && !json_is_array(value))
			print_pair(" ", key, value);
	}
}

static void print_role(const json_t *role)
{
	print_pair("", "role", json_object_get(role, "name"));
	print_members(json_object_get(role, "listen"));
	print_members(json_object_get(role, "counters"));
	putchar('\n');
}

/* e2md on several workers: a line per worker and role, its own counters. */
static void print_worker(const json_t *worker)
{
	const json_t *role;
	size_t i;

	if (!json_object_get(worker, "roles")) {
		print_pair("", "worker", json_object_get(worker, "worker"));
		print_pair(" ", "pid", json_object_get(worker, "pid"));
		print_pair(" ", "error", json_object_get(worker, "error"));
		putchar('\n');
	}
	json_array_foreach(json_object_get(worker, "roles"), i, role) {
		print_pair("", "worker", json_object_get(worker, "worker"));
		print_pair(" ", "pid", json_object_get(worker, "pid"));
		print_pair(" ", "role", json_object_get(role, "name"));
		print_members(json_object_get(role, "counters"));
		putchar('\n');
	}
}

static void print_status(const json_t *status)
{
	static const char *const keys[] = {
		"version", "pid", "uptime", "log-level", "admin",
		"subscribers", "sessions"
	};
	const json_t *role;
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (!json_object_get(status, keys[i]))
			continue;
		print_pair("", keys[i], json_object_get(status, keys[i]));
		putchar('\n');
	}
	json_array_foreach(json_object_get(status, "roles"), i, role)
		print_role(role);
	json_array_foreach(json_object_get(status, "workers"), i, role)
		print_worker(role);
}

/* ---- the commands ------------------------------------------------------- */

/* Sends {"command": name}, prints the answer's member with print_one. */
static int list_command(const char *command, const char *name,
			const char *member, void (*print_one)(const json_t *),
			int argc, char *argv[])
{
	json_t *request, *answer, *list, *item;
	bool json;
	size_t i;
	int ret = json_flag(command, argc, argv, &json);

	if (ret)
		return ret;
	request = json_pack("{s:s}", "command", name);
	ret = request ? admin_call(command, request, &answer) : EXIT_FAILURE;
	json_decref(request);
	if (ret)
		return ret;
	list = json_object_get(answer, member);
	if (json)
		ret = print_json(command, list ? list : json_null());
	else {
		json_array_foreach(list, i, item)
			print_one(item);
		ret = finish_output(command);
	}
	json_decref(answer);
	return ret;
}

/* subscriber add's options; its keys come from --keys (key_input.h). */
enum { ADD_IMSI, ADD_IMPI, ADD_KEYS, ADD_AMF, ADD_E2M, ADD_GBA_U,
       ADD_IND_BITS, ADD_USS };
static const char *const subscriber_keys[] = { "k", "opc", "op", NULL };

/* K and exactly one of OPc and OP, each 16 octets; 0 or EXIT_USAGE. */
static int check_keys(const char *command, const struct key_input *keys)
{
	uint8_t octets[16];
	int ret;

	if (!key_input_get(keys, "opc") == !key_input_get(keys, "op")) {
		fail(command, "--keys: exactly one of opc= and op= is needed");
		return EXIT_USAGE;
	}
	ret = key_input_hex(command, keys, "k", octets, 16);
	if (!ret)
		ret = key_input_hex(command, keys,
				    key_input_get(keys, "opc") ? "opc" : "op",
				    octets, 16);
	OPENSSL_cleanse(octets, sizeof(octets));
	return ret;
}

/* The options of subscriber add checked here; 0 or EXIT_USAGE. */
static int check_add(const char *command, struct opt *opts,
		     const struct key_input *keys)
{
	uint8_t octets[2];
	unsigned long long ind_bits;
	int ret;

	if (!store_imsi_valid(opts[ADD_IMSI].value)) {
		fail(command, "--imsi: must be %d to %d digits", STORE_IMSI_MIN,
		     STORE_IMSI_MAX);
		return EXIT_USAGE;
	}
	if (!store_impi_valid(opts[ADD_IMPI].value)) {
		fail(command, "--impi: not an IMPI (user@realm)");
		return EXIT_USAGE;
	}
	ret = check_keys(command, keys);
	if (!ret && opts[ADD_AMF].value)
		ret = hex_option(command, &opts[ADD_AMF], octets, 2);
	if (!ret && opts[ADD_IND_BITS].value)
		ret = number_option(command, &opts[ADD_IND_BITS], 0,
				    STORE_IND_BITS_MAX, &ind_bits);
	if (!ret && opts[ADD_USS].value &&
	    store_uss_check(opts[ADD_USS].value)) {
		fail(command, "--uss: not a USS, [{\"naf\": FQDN, \"flags\": [N...]}...]");
		ret = EXIT_USAGE;
	}
	return ret;
}

static json_t *add_request(struct opt *opts, const struct key_input *keys)
{
	const char *op_name = key_input_get(keys, "opc") ? "opc" : "op";
	json_t *request, *flags = json_array();

	if (flags && opts[ADD_E2M].count)
		json_array_append_new(flags, json_string("e2m"));
	if (flags && opts[ADD_GBA_U].count)
		json_array_append_new(flags, json_string("gba-u"));
	request = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}",
			    "command", "subscriber-add",
			    "imsi", opts[ADD_IMSI].value,
			    "impi", opts[ADD_IMPI].value,
			    "k", key_input_get(keys, "k"),
			    op_name, key_input_get(keys, op_name),
			    "flags", flags);
	if (request && opts[ADD_AMF].value)
		json_object_set_new(request, "amf",
				    json_string(opts[ADD_AMF].value));
	if (request && opts[ADD_IND_BITS].value)
		json_object_set_new(request, "ind-bits",
				    json_integer(atoi(opts[ADD_IND_BITS].value)));
	if (request && opts[ADD_USS].value)
		json_object_set_new(request, "uss",
				    json_loads(opts[ADD_USS].value, 0, NULL));
	return request;
}

static int subscriber_add(int argc, char *argv[])
{
	static const char command[] = "subscriber add";
	struct opt opts[] = {
		[ADD_IMSI] = OPTION("imsi", OPT_REQUIRED),
		[ADD_IMPI] = OPTION("impi", OPT_REQUIRED),
		[ADD_KEYS] = OPTION("keys", OPT_REQUIRED),
		[ADD_AMF] = OPTION("amf", 0),
		[ADD_E2M] = OPTION("e2m", OPT_FLAG),
		[ADD_GBA_U] = OPTION("gba-u", OPT_FLAG),
		[ADD_IND_BITS] = OPTION("ind-bits", 0),
		[ADD_USS] = OPTION("uss", 0),
	};
	struct key_input keys = { 0 };
	json_t *request = NULL, *answer;
	int ret;

	ret = key_input_refuse_argv(command, subscriber_keys, argc, argv);
	if (!ret)
		ret = parse_options(command, opts, OPTS_COUNT(opts), argc,
				    argv);
	if (ret)
		return ret;
	ret = key_input_read(command, opts[ADD_KEYS].value, subscriber_keys,
			     &keys);
	if (!ret)
		ret = check_add(command, opts, &keys);
	if (!ret) {
		request = add_request(opts, &keys);
		ret = request ? admin_call(command, request, &answer) :
				EXIT_FAILURE;
		if (!request)
			fail(command, "out of memory");
		if (!ret)
			json_decref(answer);
	}
	json_decref(request);
	key_input_wipe(&keys);
	free_options(opts, OPTS_COUNT(opts));
	return ret;
}

static int subscriber_remove(int argc, char *argv[])
{
	static const char command[] = "subscriber remove";
	json_t *request, *answer;
	int ret;

	if (argc != 1) {
		fail(command, "exactly one IMSI or IMPI is needed");
		return EXIT_USAGE;
	}
	request = json_pack("{s:s, s:s}", "command", "subscriber-remove",
			    "id", argv[0]);
	ret = request ? admin_call(command, request, &answer) : EXIT_FAILURE;
	json_decref(request);
	if (!ret)
		json_decref(answer);
	return ret;
}

int cmd_subscriber(int argc, char *argv[])
{
	if (argc >= 1 && !strcmp(argv[0], "add"))
		return subscriber_add(argc - 1, argv + 1);
	if (argc >= 1 && !strcmp(argv[0], "list"))
		return list_command("subscriber list", "subscriber-list",
				    "subscribers", print_subscriber, argc - 1,
				    argv + 1);
	if (argc >= 1 && !strcmp(argv[0], "remove"))
		return subscriber_remove(argc - 1, argv + 1);
	fail("subscriber", "add, list or remove is needed");
	return EXIT_USAGE;
}

int cmd_session(int argc, char *argv[])
{
	if (argc >= 1 && !strcmp(argv[0], "list"))
		return list_command("session list", "session-list", "sessions",
				    print_session, argc - 1, argv + 1);
	fail("session", "list is needed");
	return EXIT_USAGE;
}

int cmd_status(int argc, char *argv[])
{
	static const char command[] = "status";
	json_t *request, *answer;
	bool json;
	int ret = json_flag(command, argc, argv, &json);

	if (ret)
		return ret;
	request = json_pack("{s:s}", "command", "status");
	ret = request ? admin_call(command, request, &answer) : EXIT_FAILURE;
	json_decref(request);
	if (ret)
		return ret;
	json_object_del(answer, "ok");
	if (json) {
		ret = print_json(command, answer);
	} else {
		print_status(answer);
		ret = finish_output(command);
	}
	json_decref(answer);
	return ret;
}
