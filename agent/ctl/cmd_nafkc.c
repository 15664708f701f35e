// SPDX-License-Identifier: GPL-2.0
/*
 * e2mctl device and local-key: the NAF Key Centre's admin commands, see
 * cmd_nafkc.h. Input is checked here as far as it can be (exit status 2),
 * then the daemon checks it again and has the last word (exit status 1).
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>
#include <openssl/crypto.h>

#include "admin_client.h"
#include "cmd_nafkc.h"
#include "key_input.h"
#include "options.h"
#include "store/store.h"

#define OPTION(n, f) { .name = (n), .flags = (f) }

/* A scalar as text: strings as they are, booleans, integers, else "-". */
static void print_value(const char *sep, const char *key, const json_t *v)
{
	printf("%s%s=", sep, key);
	if (json_is_string(v))
		fputs(json_string_value(v), stdout);
	else if (json_is_integer(v))
		printf("%lld", (long long)json_integer_value(v));
	else if (json_is_boolean(v))
		fputs(json_is_true(v) ? "yes" : "no", stdout);
	else
		putchar('-');
}

/* Sends request (taken) and drops the answer: 0 or the exit status. */
static int call(const char *command, json_t *request, json_t **answer)
{
	json_t *ignored;
	int ret;

	if (!request) {
		fail(command, "out of memory");
		return EXIT_FAILURE;
	}
	ret = admin_call(command, request, answer ? answer : &ignored);
	json_decref(request);
	if (!ret && !answer)
		json_decref(ignored);
	return ret;
}

/* One Device_ID argument, checked. */
static int device_arg(const char *command, int argc, char *argv[])
{
	if (argc != 1) {
		fail(command, "exactly one Device_ID is needed");
		return EXIT_USAGE;
	}
	if (!store_device_id_valid(argv[0])) {
		fail(command, "'%s' is not a Device_ID (1 to %d printable ASCII characters without space)",
		     argv[0], STORE_DEVICE_ID_MAX);
		return EXIT_USAGE;
	}
	return 0;
}

static int device_one(const char *command, const char *name, int argc,
		      char *argv[])
{
	int ret = device_arg(command, argc, argv);

	if (ret)
		return ret;
	return call(command, json_pack("{s:s, s:s}", "command", name,
				       "device-id", argv[0]), NULL);
}

static int device_add(int argc, char *argv[])
{
	static const char command[] = "device add";
	static const char *const key_names[] = { "psk", NULL };
	enum { ID, KEYS };
	struct opt opts[] = {
		[ID] = OPTION("device-id", OPT_REQUIRED),
		[KEYS] = OPTION("keys", OPT_REQUIRED),
	};
	uint8_t psk[STORE_DEVICE_PSK_LEN];
	struct key_input keys = { 0 };
	int ret = key_input_refuse_argv(command, key_names, argc, argv);

	if (!ret)
		ret = parse_options(command, opts, OPTS_COUNT(opts), argc,
				    argv);
	if (ret)
		return ret;
	if (!store_device_id_valid(opts[ID].value)) {
		fail(command, "--device-id: not a Device_ID (1 to %d printable ASCII characters without space)",
		     STORE_DEVICE_ID_MAX);
		ret = EXIT_USAGE;
	}
	if (!ret)
		ret = key_input_read(command, opts[KEYS].value, key_names,
				     &keys);
	if (!ret)
		ret = key_input_hex(command, &keys, "psk", psk, sizeof(psk));
	OPENSSL_cleanse(psk, sizeof(psk));
	if (!ret)
		ret = call(command, json_pack("{s:s, s:s, s:s}", "command",
					      "device-add", "device-id",
					      opts[ID].value, "psk",
					      key_input_get(&keys, "psk")),
			   NULL);
	key_input_wipe(&keys);
	free_options(opts, OPTS_COUNT(opts));
	return ret;
}

static void print_devices(const json_t *answer)
{
	const json_t *row;
	size_t i;

	json_array_foreach(json_object_get(answer, "devices"), i, row) {
		print_value("", "device", json_object_get(row, "device-id"));
		print_value(" ", "added", json_object_get(row, "added"));
		putchar('\n');
	}
	json_array_foreach(json_object_get(answer, "blocked"), i, row) {
		print_value("", "blocked", json_object_get(row, "device-id"));
		print_value(" ", "since", json_object_get(row, "since"));
		putchar('\n');
	}
}

static void print_keys(const json_t *answer)
{
	static const char *const keys[][2] = {
		{ "btid", "btid" }, { "device", "device-id" },
		{ "label", "label" }, { "naf_id", "naf-id" },
		{ "issued", "issued" }, { "expires", "expires" },
		{ "revoked", "revoked" },
	};
	const json_t *row;
	size_t i, k;

	json_array_foreach(json_object_get(answer, "keys"), i, row) {
		for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			print_value(k ? " " : "", keys[k][0],
				    json_object_get(row, keys[k][1]));
		putchar('\n');
	}
}

/* A list command: JSON with -j (its list members), else lines. */
static int list(const char *command, const char *name, int argc,
		char *argv[], void (*print)(const json_t *))
{
	json_t *answer;
	bool json;
	int ret = json_flag(command, argc, argv, &json);

	if (ret)
		return ret;
	ret = call(command, json_pack("{s:s}", "command", name), &answer);
	if (ret)
		return ret;
	json_object_del(answer, "ok");
	if (json) {
		ret = print_json(command, answer);
	} else {
		print(answer);
		ret = finish_output(command);
	}
	json_decref(answer);
	return ret;
}

int cmd_device(int argc, char *argv[])
{
	const char *sub = argc >= 1 ? argv[0] : "";

	if (!strcmp(sub, "add"))
		return device_add(argc - 1, argv + 1);
	if (!strcmp(sub, "remove"))
		return device_one("device remove", "device-remove", argc - 1,
				  argv + 1);
	if (!strcmp(sub, "block"))
		return device_one("device block", "device-block", argc - 1,
				  argv + 1);
	if (!strcmp(sub, "unblock"))
		return device_one("device unblock", "device-unblock", argc - 1,
				  argv + 1);
	if (!strcmp(sub, "list"))
		return list("device list", "device-list", argc - 1, argv + 1,
			    print_devices);
	fail("device", "add, remove, block, unblock or list is needed");
	return EXIT_USAGE;
}

static int local_key_revoke(int argc, char *argv[])
{
	static const char command[] = "local-key revoke";
	enum { BTID, ID };
	struct opt opts[] = {
		[BTID] = OPTION("btid", OPT_REQUIRED),
		[ID] = OPTION("device-id", OPT_REQUIRED),
	};
	json_t *answer;
	int ret = parse_options(command, opts, OPTS_COUNT(opts), argc, argv);

	if (!ret && !store_btid_valid(opts[BTID].value)) {
		fail(command, "--btid: not a B-TID");
		ret = EXIT_USAGE;
	}
	if (!ret && !store_device_id_valid(opts[ID].value)) {
		fail(command, "--device-id: not a Device_ID");
		ret = EXIT_USAGE;
	}
	if (!ret)
		ret = call(command, json_pack("{s:s, s:s, s:s}", "command",
					      "local-key-revoke", "btid",
					      opts[BTID].value, "device-id",
					      opts[ID].value), &answer);
	if (!ret) {
		print_value("", "revoked", json_object_get(answer, "revoked"));
		putchar('\n');
		json_decref(answer);
		ret = finish_output(command);
	}
	free_options(opts, OPTS_COUNT(opts));
	return ret;
}

int cmd_local_key(int argc, char *argv[])
{
	const char *sub = argc >= 1 ? argv[0] : "";

	if (!strcmp(sub, "list"))
		return list("local-key list", "local-key-list", argc - 1,
			    argv + 1, print_keys);
	if (!strcmp(sub, "revoke"))
		return local_key_revoke(argc - 1, argv + 1);
	fail("local-key", "list or revoke is needed");
	return EXIT_USAGE;
}
