// SPDX-License-Identifier: GPL-2.0
/*
 * e2mctl key-update, see cmd_key_update.h.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>
#include <openssl/crypto.h>

#include "admin_client.h"
#include "cmd_key_update.h"
#include "key_input.h"
#include "options.h"
#include "store/store.h"
#include "util/hex.h"

#define OPTION(n, f) { .name = (n), .flags = (f) }

static const char *const key_names[] = { "k", "opc", NULL };

/* The request, keys in hex; NULL on bad input (said) or no memory. */
static json_t *add_request(const char *command, struct opt *opts,
			   uint32_t counter)
{
	uint8_t k[16], opc[16];
	char k_hex[33], opc_hex[33];
	struct key_input keys = { 0 };
	json_t *request = NULL;
	int ret = key_input_read(command, opts[2].value, key_names, &keys);

	if (!ret)
		ret = key_input_hex(command, &keys, "k", k, sizeof(k));
	if (!ret)
		ret = key_input_hex(command, &keys, "opc", opc, sizeof(opc));
	key_input_wipe(&keys);
	if (!ret) {
		hex_encode(k_hex, k, sizeof(k));
		hex_encode(opc_hex, opc, sizeof(opc));
		request = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I}",
				    "command", "key-update-add",
				    "iccid", opts[0].value,
				    "imsi", opts[1].value, "k", k_hex,
				    "opc", opc_hex,
				    "counter", (json_int_t)counter);
	}
	OPENSSL_cleanse(k, sizeof(k));
	OPENSSL_cleanse(opc, sizeof(opc));
	OPENSSL_cleanse(k_hex, sizeof(k_hex));
	OPENSSL_cleanse(opc_hex, sizeof(opc_hex));
	return request;
}

static int update_add(int argc, char *argv[])
{
	static const char command[] = "key-update add";
	struct opt opts[] = {
		OPTION("iccid", OPT_REQUIRED),
		OPTION("imsi", OPT_REQUIRED),
		OPTION("keys", OPT_REQUIRED),
		OPTION("counter", OPT_REQUIRED),
	};
	unsigned long long counter = 0;
	json_t *request, *answer = NULL;
	int ret = key_input_refuse_argv(command, key_names, argc, argv);

	if (!ret)
		ret = parse_options(command, opts, OPTS_COUNT(opts), argc,
				    argv);
	if (!ret && (!store_iccid_valid(opts[0].value) ||
		     !store_imsi_valid(opts[1].value)))
		ret = report(EXIT_USAGE, command,
			     "--iccid or --imsi is not one");
	if (!ret)
		ret = number_option(command, &opts[3], 0, UINT32_MAX,
				    &counter);
	if (!ret && !counter)
		ret = report(EXIT_USAGE, command, "--counter: 1 at least");
	if (!ret) {
		request = add_request(command, opts, (uint32_t)counter);
		ret = request ? admin_call(command, request, &answer) :
				EXIT_USAGE;
		json_decref(request);	/* wiped by admin_call once sent */
		json_decref(answer);
	}
	free_options(opts, OPTS_COUNT(opts));
	return ret;
}

static int update_list(int argc, char *argv[])
{
	static const char command[] = "key-update list";
	json_t *answer = NULL, *row, *request;
	size_t i;
	bool json;
	int ret = json_flag(command, argc, argv, &json);

	if (ret)
		return ret;
	request = json_pack("{s:s}", "command", "key-update-list");
	ret = request ? admin_call(command, request, &answer) : EXIT_FAILURE;
	json_decref(request);
	if (!ret && json) {
		ret = print_json(command, json_object_get(answer, "updates"));
	} else if (!ret) {
		json_array_foreach(json_object_get(answer, "updates"), i, row)
			printf("iccid=%s imsi=%s counter=%lld state=%s\n",
			       json_string_value(json_object_get(row, "iccid")),
			       json_string_value(json_object_get(row, "imsi")),
			       (long long)json_integer_value(
				       json_object_get(row, "counter")),
			       json_string_value(json_object_get(row,
								 "state")));
		ret = finish_output(command);
	}
	json_decref(answer);
	return ret;
}

int cmd_key_update(int argc, char *argv[])
{
	const char *sub = argc >= 1 ? argv[0] : "";

	if (!strcmp(sub, "add"))
		return update_add(argc - 1, argv + 1);
	if (!strcmp(sub, "list"))
		return update_list(argc - 1, argv + 1);
	return report(EXIT_USAGE, "key-update", "add or list is needed");
}
