// SPDX-License-Identifier: GPL-2.0
/*
 * e2mctl onem2m, see cmd_onem2m.h: each command builds the MEF's admin
 * request, and with --store runs the same on the Enrolee's store.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <openssl/crypto.h>

#include "admin_client.h"
#include "cmd_onem2m.h"
#include "cmd_onem2m_associate.h"
#include "cmd_onem2m_handoff.h"
#include "cmd_onem2m_enrol.h"
#include "cmd_onem2m_kpsa.h"
#include "key_input.h"
#include "options.h"
#include "store/store.h"
#include "ue_store.h"
#include "util/utc.h"

#define OPTION(n, f) { .name = (n), .flags = (f) }
#define ID_RULE "1 to 255 printable ASCII characters without space"

enum { STORE, STORE_KEY };

/* --store and --store-key-file: both or neither; opens the store. */
static int open_store(const char *command, const struct opt *opts,
		      struct store **store)
{
	*store = NULL;
	if (!opts[STORE].value != !opts[STORE_KEY].value)
		return report(EXIT_USAGE, command,
			      "--store and --store-key-file go together");
	if (!opts[STORE].value)
		return 0;
	return ue_store_open(command, &opts[STORE], &opts[STORE_KEY], store);
}

static int check_id(const char *command, const struct opt *opt)
{
	if (opt->value && !store_onem2m_id_valid(opt->value))
		return report(EXIT_USAGE, command, "--%s: must be " ID_RULE,
			      opt->name);
	return 0;
}

static int store_failed(const char *command, struct store *store, int err,
			const char *what)
{
	if (err == -EEXIST || err == -ENOENT)
		return report(EXIT_FAILURE, command, "%s", what);
	return report(EXIT_FAILURE, command, "store: %s: %s",
		      store_strerror(err), store_errmsg(store));
}

/* Sends request (taken): 0 or the exit status; the answer in *answer. */
static int call(const char *command, json_t *request, json_t **answer)
{
	json_t *ignored;
	int ret;

	if (!request)
		return report(EXIT_FAILURE, command, "out of memory");
	ret = admin_call(command, request, answer ? answer : &ignored);
	json_decref(request);
	if (!ret && !answer)
		json_decref(ignored);
	return ret;
}

/* ---- kpm-add --------------------------------------------------------- */

enum { A_STORE, A_STORE_KEY, A_KPM_ID, A_KEYS, A_ENROLEE, A_MAF, A_B };

static int kpm_add_options(const char *command, struct opt *opts,
			   struct store_onem2m_kpm *kpm)
{
	static const char *const key_names[] = { "kpm", NULL };
	struct key_input keys = { 0 };
	int ret, i;

	for (i = A_KPM_ID; i <= A_B; i++)
		if (i != A_KEYS && (ret = check_id(command, &opts[i])))
			return ret;
	if (!opts[A_MAF].value == !opts[A_B].value)
		return report(EXIT_USAGE, command,
			      "one of --maf-id and --enrolee-b-id is needed");
	ret = key_input_read(command, opts[A_KEYS].value, key_names, &keys);
	if (!ret)
		ret = key_input_hex(command, &keys, "kpm", kpm->kpm,
				    sizeof(kpm->kpm));
	key_input_wipe(&keys);
	if (ret)
		return ret;
	snprintf(kpm->pub.kpm_id, sizeof(kpm->pub.kpm_id), "%s",
		 opts[A_KPM_ID].value);
	snprintf(kpm->pub.config.enrolee_id,
		 sizeof(kpm->pub.config.enrolee_id), "%s",
		 opts[A_ENROLEE].value);
	kpm->pub.config.target_kind = opts[A_MAF].value ?
				      STORE_ONEM2M_MAF : STORE_ONEM2M_ENROLEE_B;
	snprintf(kpm->pub.config.target_id,
		 sizeof(kpm->pub.config.target_id), "%s",
		 opts[A_MAF].value ? opts[A_MAF].value : opts[A_B].value);
	kpm->pub.created = (int64_t)time(NULL);
	return 0;
}

static int kpm_add_admin(const char *command,
			 const struct store_onem2m_kpm *kpm)
{
	char hex[2 * STORE_ONEM2M_KPM_LEN + 1];
	json_t *request;
	size_t i;
	int ret;

	for (i = 0; i < sizeof(kpm->kpm); i++)
		snprintf(hex + 2 * i, 3, "%02x", kpm->kpm[i]);
	request = json_pack("{s:s, s:s, s:s, s:s, s:s}",
			    "command", "kpm-add", "kpm-id", kpm->pub.kpm_id,
			    "kpm", hex, "enrolee-id",
			    kpm->pub.config.enrolee_id,
			    kpm->pub.config.target_kind == STORE_ONEM2M_MAF ?
			    "maf-id" : "enrolee-b-id",
			    kpm->pub.config.target_id);
	OPENSSL_cleanse(hex, sizeof(hex));
	ret = call(command, request, NULL);
	return ret;
}

static int kpm_add(int argc, char *argv[])
{
	static const char command[] = "onem2m kpm-add";
	static const char *const key_names[] = { "kpm", NULL };
	struct opt opts[] = {
		[A_STORE] = OPTION("store", 0),
		[A_STORE_KEY] = OPTION("store-key-file", 0),
		[A_KPM_ID] = OPTION("kpm-id", OPT_REQUIRED),
		[A_KEYS] = OPTION("keys", OPT_REQUIRED),
		[A_ENROLEE] = OPTION("enrolee-id", OPT_REQUIRED),
		[A_MAF] = OPTION("maf-id", 0),
		[A_B] = OPTION("enrolee-b-id", 0),
	};
	struct store_onem2m_kpm kpm;
	struct store *store = NULL;
	int ret = key_input_refuse_argv(command, key_names, argc, argv);

	memset(&kpm, 0, sizeof(kpm));
	if (!ret)
		ret = parse_options(command, opts, OPTS_COUNT(opts), argc,
				    argv);
	if (ret)
		return ret;
	ret = kpm_add_options(command, opts, &kpm);
	if (!ret)
		ret = open_store(command, opts, &store);
	if (!ret && !store) {
		ret = kpm_add_admin(command, &kpm);
	} else if (!ret) {
		ret = store_onem2m_kpm_add(store, &kpm);
		if (ret)
			ret = store_failed(command, store, ret,
					   "that KpmId has a Kpm already");
	}
	store_onem2m_kpm_wipe(&kpm);
	store_close(store);
	free_options(opts, OPTS_COUNT(opts));
	return ret;
}

/* ---- kpm-remove ------------------------------------------------------ */

static int kpm_remove(int argc, char *argv[])
{
	static const char command[] = "onem2m kpm-remove";
	struct opt opts[] = {
		[STORE] = OPTION("store", 0),
		[STORE_KEY] = OPTION("store-key-file", 0),
		OPTION("kpm-id", OPT_REQUIRED),
	};
	struct store *store = NULL;
	int ret = parse_options(command, opts, OPTS_COUNT(opts), argc, argv);

	if (!ret)
		ret = check_id(command, &opts[2]);
	if (!ret)
		ret = open_store(command, opts, &store);
	if (!ret && !store) {
		ret = call(command, json_pack("{s:s, s:s}", "command",
					      "kpm-remove", "kpm-id",
					      opts[2].value), NULL);
	} else if (!ret) {
		ret = store_onem2m_kpm_remove(store, opts[2].value);
		if (ret)
			ret = store_failed(command, store, ret,
					   "that KpmId has no Kpm");
	}
	store_close(store);
	free_options(opts, OPTS_COUNT(opts));
	return ret;
}

/* ---- the lists ------------------------------------------------------- */

/* The admin answer's rows and the store's print alike: from JSON. */
static void print_member(const char *sep, const char *name, const json_t *v)
{
	printf("%s%s=%s", sep, name, json_is_string(v) ?
	       json_string_value(v) : "-");
}

static void print_row(const json_t *row, const char *first_key,
		      const char *first_name)
{
	static const char *const rest[][2] = {
		{ "ke-id", "ke_id" },
		{ "kpm-id", "kpm_id" }, { "enrolee-id", "enrolee_id" },
		{ "maf-id", "maf_id" }, { "enrolee-b-id", "enrolee_b_id" },
		{ "added", "added" }, { "issued", "issued" },
		{ "expires", "expires" },
	};
	size_t i;

	print_member("", first_name, json_object_get(row, first_key));
	for (i = 0; i < sizeof(rest) / sizeof(rest[0]); i++)
		if (strcmp(rest[i][0], first_key) &&
		    json_object_get(row, rest[i][0]))
			print_member(" ", rest[i][1],
				     json_object_get(row, rest[i][0]));
	putchar('\n');
}

static json_t *time_json(int64_t t)
{
	char text[UTC_TEXT_LEN + 1];

	return utc_format(text, t) ? json_integer((json_int_t)t) :
				     json_string(text);
}

static json_t *config_row(json_t *row, const struct store_onem2m_config *c)
{
	if (row) {
		json_object_set_new(row, "enrolee-id",
				    json_string(c->enrolee_id));
		json_object_set_new(row, c->target_kind == STORE_ONEM2M_MAF ?
					 "maf-id" : "enrolee-b-id",
				    json_string(c->target_id));
	}
	return row;
}

static int store_kpm_row(const struct store_onem2m_kpm_info *info,
			 void *arg)
{
	json_t *row = json_pack("{s:s, s:o}", "kpm-id", info->kpm_id,
				"added", time_json(info->created));

	return json_array_append_new(arg, config_row(row, &info->config)) ?
	       -ENOMEM : 0;
}

static int store_ke_row(const struct store_onem2m_ke_info *info, void *arg)
{
	json_t *row = json_pack("{s:s, s:s, s:o, s:o}", "ke-id", info->ke_id,
				"kpm-id", info->kpm_id,
				"issued", time_json(info->created),
				"expires", time_json(info->expires));

	return json_array_append_new(arg, config_row(row, &info->config)) ?
	       -ENOMEM : 0;
}

struct list_kind {
	const char *command, *admin, *member, *first_key, *first_name;
	bool kes;
};

static int list(const struct list_kind *kind, int argc, char *argv[])
{
	struct opt opts[] = {
		[STORE] = OPTION("store", 0),
		[STORE_KEY] = OPTION("store-key-file", 0),
	};
	struct store *store = NULL;
	json_t *answer = NULL, *rows, *row;
	size_t i;
	int ret = parse_options(kind->command, opts, OPTS_COUNT(opts), argc,
				argv);

	if (!ret)
		ret = open_store(kind->command, opts, &store);
	if (!ret && !store) {
		ret = call(kind->command, json_pack("{s:s}", "command",
						    kind->admin), &answer);
	} else if (!ret) {
		answer = json_object();
		rows = json_array();
		if (!answer || !rows ||
		    json_object_set_new(answer, kind->member, rows))
			ret = report(EXIT_FAILURE, kind->command,
				     "out of memory");
		else if ((ret = kind->kes ?
			  store_onem2m_ke_list(store, store_ke_row, rows) :
			  store_onem2m_kpm_list(store, store_kpm_row, rows)) <
			 0)
			ret = store_failed(kind->command, store, ret, "");
		else
			ret = 0;
	}
	if (!ret) {
		json_array_foreach(json_object_get(answer, kind->member), i,
				   row)
			print_row(row, kind->first_key, kind->first_name);
		ret = finish_output(kind->command);
	}
	json_decref(answer);
	store_close(store);
	free_options(opts, OPTS_COUNT(opts));
	return ret;
}

static const struct list_kind kpm_list = {
	"onem2m kpm-list", "kpm-list", "kpms", "kpm-id", "kpm_id", false,
};
static const struct list_kind ke_list = {
	"onem2m ke-list", "ke-list", "kes", "ke-id", "ke_id", true,
};

/* ---- the MAF's Kms (daemon/maf/maf_fetch.h) --------------------------- */

/*
 * How long km-fetch waits for e2md's answer: the MAF's own call to the
 * MEF or the BSF ends within its client's timeout (10 s a phase).
 */
#define KM_FETCH_WAIT	45	/* seconds */

/* The fetched key's line: its id (km_id or kpsa_id), never the key. */
static int print_fetched(const char *command, json_t *answer)
{
	const char *id = json_object_get(answer, "kpsa-id") ? "kpsa-id" :
							      "km-id";

	print_row(answer, id, strcmp(id, "km-id") ? "kpsa_id" : "km_id");
	return finish_output(command);
}

static int km_fetch(int argc, char *argv[])
{
	static const char command[] = "onem2m km-fetch";
	enum { KE_ID, BTID, ENROLEE_ID, UICC, NO_WAIT };
	struct opt opts[] = {
		[KE_ID] = OPTION("ke-id", 0),
		[BTID] = OPTION("btid", 0),
		[ENROLEE_ID] = OPTION("enrolee-id", OPT_REQUIRED),
		[UICC] = OPTION("uicc", OPT_FLAG),
		[NO_WAIT] = OPTION("no-wait", OPT_FLAG),
	};
	json_t *request, *answer = NULL;
	bool gba, wait;
	int ret = parse_options(command, opts, OPTS_COUNT(opts), argc, argv);

	gba = opts[BTID].value != NULL;
	if (!ret && gba == (opts[KE_ID].value != NULL)) {
		ret = report(EXIT_USAGE, command,
			     "either --ke-id (from the MEF) or --btid (over Zn) is needed");
	}
	if (!ret && opts[UICC].count && !gba)
		ret = report(EXIT_USAGE, command,
			     "--uicc is for --btid (a GBA_U bootstrap)");
	if (!ret)
		ret = check_id(command, &opts[ENROLEE_ID]);
	wait = !opts[NO_WAIT].count;
	if (!ret) {
		request = json_pack("{s:s, s:s, s:s, s:b, s:b}", "command",
				    "km-fetch", gba ? "btid" : "ke-id",
				    opts[gba ? BTID : KE_ID].value,
				    "enrolee-id", opts[ENROLEE_ID].value,
				    "uicc", opts[UICC].count > 0, "wait", wait);
		ret = request ? admin_call_within(command, request, &answer,
						  wait ? KM_FETCH_WAIT :
							 ADMIN_REPLY_TIMEOUT) :
				report(EXIT_FAILURE, command, "out of memory");
		json_decref(request);
	}
	if (!ret && wait)
		ret = print_fetched(command, answer);
	json_decref(answer);
	free_options(opts, OPTS_COUNT(opts));
	return ret;
}

static int km_list(int argc, char *argv[])
{
	static const char command[] = "onem2m km-list";
	json_t *answer = NULL, *row;
	size_t i;
	int ret = parse_options(command, NULL, 0, argc, argv);

	if (!ret)
		ret = call(command, json_pack("{s:s}", "command", "km-list"),
			   &answer);
	if (!ret) {
		json_array_foreach(json_object_get(answer, "kms"), i, row)
			print_row(row, "km-id", "km_id");
		ret = finish_output(command);
	}
	json_decref(answer);
	return ret;
}

static int km_remove(int argc, char *argv[])
{
	static const char command[] = "onem2m km-remove";
	struct opt opts[] = { OPTION("km-id", OPT_REQUIRED) };
	int ret = parse_options(command, opts, OPTS_COUNT(opts), argc, argv);

	if (!ret)
		ret = call(command, json_pack("{s:s, s:s}", "command",
					      "km-remove", "km-id",
					      opts[0].value), NULL);
	free_options(opts, OPTS_COUNT(opts));
	return ret;
}

int cmd_onem2m(int argc, char *argv[])
{
	const char *sub = argc >= 1 ? argv[0] : "";

	if (!strcmp(sub, "kpm-add"))
		return kpm_add(argc - 1, argv + 1);
	if (!strcmp(sub, "kpm-remove"))
		return kpm_remove(argc - 1, argv + 1);
	if (!strcmp(sub, "kpm-list"))
		return list(&kpm_list, argc - 1, argv + 1);
	if (!strcmp(sub, "ke-list"))
		return list(&ke_list, argc - 1, argv + 1);
	if (!strcmp(sub, "enrol"))
		return cmd_onem2m_enrol(argc - 1, argv + 1);
	if (!strcmp(sub, "km-fetch"))
		return km_fetch(argc - 1, argv + 1);
	if (!strcmp(sub, "km-list"))
		return km_list(argc - 1, argv + 1);
	if (!strcmp(sub, "km-remove"))
		return km_remove(argc - 1, argv + 1);
	if (!strcmp(sub, "kpsa-fetch"))
		return cmd_onem2m_kpsa_fetch(argc - 1, argv + 1);
	if (!strcmp(sub, "associate"))
		return cmd_onem2m_associate(argc - 1, argv + 1);
	if (!strcmp(sub, "handoff"))
		return cmd_onem2m_handoff(argc - 1, argv + 1);
	return report(EXIT_USAGE, "onem2m",
		      "kpm-add, kpm-remove, kpm-list, ke-list, enrol, km-fetch, km-list, km-remove, kpsa-fetch, associate or handoff is needed");
}
