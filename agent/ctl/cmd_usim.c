// SPDX-License-Identifier: GPL-2.0
/*
 * e2mctl usim, see cmd_usim.h. Input is checked whole before the store is
 * opened, so bad usage changes nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "aka/sqn.h"
#include "cmd_usim.h"
#include "cmd_usim_sd.h"
#include "cmd_usim_update.h"
#include "crypto/milenage.h"
#include "key_input.h"
#include "options.h"
#include "util/utc.h"
#include "ue_store.h"

#define OPTION(n, f) { .name = (n), .flags = (f) }

enum { STORE, KEY_FILE, ICCID, IMSI, IMPI, KEYS, GBA_U, IND_BITS };

static const char *const usim_key_names[] = { "k", "opc", "op", NULL };

/* K and OPc (from OP if need be) into usim; 0 or an exit status. */
static int usim_keys(const char *command, const struct key_input *keys,
		     struct store_usim *usim)
{
	uint8_t op[AKA_OP_LEN];
	struct milenage m;
	int ret = 0;

	if (!key_input_get(keys, "opc") == !key_input_get(keys, "op")) {
		fail(command, "--keys: exactly one of opc= and op= is needed");
		return EXIT_USAGE;
	}
	ret = key_input_hex(command, keys, "k", usim->k, sizeof(usim->k));
	if (!ret && key_input_get(keys, "opc"))
		return key_input_hex(command, keys, "opc", usim->opc,
				     sizeof(usim->opc));
	if (!ret)
		ret = key_input_hex(command, keys, "op", op, sizeof(op));
	if (!ret) {
		if (milenage_init_op(&m, usim->k, op)) {
			fail(command, "computing OPc failed");
			ret = EXIT_FAILURE;
		} else {
			memcpy(usim->opc, m.opc, sizeof(usim->opc));
		}
		milenage_free(&m);
	}
	OPENSSL_cleanse(op, sizeof(op));
	return ret;
}

static int usim_fields(const char *command, struct opt *opts,
		       const struct key_input *keys, struct store_usim *usim)
{
	unsigned long long ind_bits = STORE_IND_BITS_DEFAULT;
	int ret = 0;

	store_usim_init(usim);
	if (!store_iccid_valid(opts[ICCID].value)) {
		fail(command, "--iccid: must be 18 to %d digits",
		     STORE_ICCID_MAX);
		return EXIT_USAGE;
	}
	if (!store_imsi_valid(opts[IMSI].value)) {
		fail(command, "--imsi: must be %d to %d digits", STORE_IMSI_MIN,
		     STORE_IMSI_MAX);
		return EXIT_USAGE;
	}
	if (!store_impi_valid(opts[IMPI].value)) {
		fail(command, "--impi: not an IMPI (user@realm)");
		return EXIT_USAGE;
	}
	if (opts[IND_BITS].value)
		ret = number_option(command, &opts[IND_BITS], 0,
				    STORE_IND_BITS_MAX, &ind_bits);
	if (!ret)
		ret = usim_keys(command, keys, usim);
	strcpy(usim->pub.iccid, opts[ICCID].value);
	strcpy(usim->pub.imsi, opts[IMSI].value);
	strcpy(usim->pub.impi, opts[IMPI].value);
	usim->pub.flags = opts[GBA_U].count ? STORE_USIM_GBA_U : 0;
	usim->pub.sqn.ind_bits = (uint8_t)ind_bits;
	return ret;
}

static int usim_add(int argc, char *argv[])
{
	static const char command[] = "usim add";
	struct opt opts[] = {
		[STORE] = OPTION("store", OPT_REQUIRED),
		[KEY_FILE] = OPTION("store-key-file", OPT_REQUIRED),
		[ICCID] = OPTION("iccid", OPT_REQUIRED),
		[IMSI] = OPTION("imsi", OPT_REQUIRED),
		[IMPI] = OPTION("impi", OPT_REQUIRED),
		[KEYS] = OPTION("keys", OPT_REQUIRED),
		[GBA_U] = OPTION("gba-u", OPT_FLAG),
		[IND_BITS] = OPTION("ind-bits", 0),
	};
	struct key_input keys = { 0 };
	struct store_usim usim;
	struct store *store = NULL;
	int ret;

	ret = key_input_refuse_argv(command, usim_key_names, argc, argv);
	if (!ret)
		ret = parse_options(command, opts, OPTS_COUNT(opts), argc,
				    argv);
	if (ret)
		return ret;
	store_usim_init(&usim);
	ret = key_input_read(command, opts[KEYS].value, usim_key_names, &keys);
	if (!ret)
		ret = usim_fields(command, opts, &keys, &usim);
	key_input_wipe(&keys);
	if (!ret)
		ret = ue_store_open(command, &opts[STORE], &opts[KEY_FILE],
				    &store);
	if (!ret) {
		ret = store_usim_add(store, &usim);
		if (ret == -EEXIST)
			fail(command, "a USIM with ICCID %s exists already",
			     usim.pub.iccid);
		else if (ret)
			fail(command, "%s", store_strerror(ret));
		ret = ret ? EXIT_FAILURE : 0;
	}
	store_usim_wipe(&usim);
	store_close(store);
	free_options(opts, OPTS_COUNT(opts));
	return ret;
}

/* The store and the ICCID of show and remove. */
static int store_and_iccid(const char *command, int argc, char *argv[],
			   struct store **store, char *iccid)
{
	struct opt opts[] = {
		OPTION("store", OPT_REQUIRED),
		OPTION("store-key-file", OPT_REQUIRED),
		OPTION("iccid", OPT_REQUIRED),
	};
	int ret = parse_options(command, opts, OPTS_COUNT(opts), argc, argv);

	*store = NULL;
	if (ret)
		return ret;
	if (!store_iccid_valid(opts[2].value)) {
		fail(command, "--iccid: must be 18 to %d digits",
		     STORE_ICCID_MAX);
		ret = EXIT_USAGE;
	} else {
		strcpy(iccid, opts[2].value);
		ret = ue_store_open(command, &opts[0], &opts[1], store);
	}
	free_options(opts, OPTS_COUNT(opts));
	return ret;
}

static void print_usim(const struct store_usim_info *info,
		       const struct store_usim_gba *gba)
{
	uint8_t sqn[AKA_SQN_LEN];
	uint64_t seq;
	uint32_t ind;
	char expires[UTC_TEXT_LEN + 1] = "-";

	sqn_ms_highest(&info->sqn, sqn);
	sqn_decode(sqn, info->sqn.ind_bits, &seq, &ind);
	printf("iccid=%s imsi=%s impi=%s flags=%s ind-bits=%u seq-ms=%llu",
	       info->iccid, info->imsi, info->impi,
	       info->flags & STORE_USIM_GBA_U ? "gba-u" : "-",
	       info->sqn.ind_bits, (unsigned long long)seq);
	if (info->flags & STORE_USIM_GBA_U) {
		if (gba && gba->expires)
			utc_format(expires, gba->expires);
		printf(" btid=%s expires=%s", gba && gba->btid[0] ?
		       gba->btid : "-", expires);
	}
	putchar('\n');
}

static int usim_show(int argc, char *argv[])
{
	static const char command[] = "usim show";
	struct store_usim usim;
	struct store_usim_gba gba;
	char iccid[STORE_ICCID_MAX + 1];
	struct store *store;
	int ret = store_and_iccid(command, argc, argv, &store, iccid), got;

	if (ret)
		return ret;
	ret = store_usim_get(store, iccid, &usim);
	if (ret) {
		fail(command, ret == -ENOENT ? "no USIM with ICCID %s" : "%s",
		     ret == -ENOENT ? iccid : store_strerror(ret));
		ret = EXIT_FAILURE;
	} else {
		got = store_usim_gba_get(store, iccid, &gba);
		print_usim(&usim.pub, got ? NULL : &gba);
		store_usim_gba_wipe(&gba);
		ret = finish_output(command);
	}
	store_usim_wipe(&usim);
	store_close(store);
	return ret;
}

static int usim_remove(int argc, char *argv[])
{
	static const char command[] = "usim remove";
	char iccid[STORE_ICCID_MAX + 1];
	struct store *store;
	int ret = store_and_iccid(command, argc, argv, &store, iccid);

	if (ret)
		return ret;
	ret = store_usim_remove(store, iccid);
	if (ret)
		fail(command, ret == -ENOENT ? "no USIM with ICCID %s" : "%s",
		     ret == -ENOENT ? iccid : store_strerror(ret));
	store_close(store);
	return ret ? EXIT_FAILURE : 0;
}

int cmd_usim(int argc, char *argv[])
{
	if (argc >= 1 && !strcmp(argv[0], "add"))
		return usim_add(argc - 1, argv + 1);
	if (argc >= 1 && !strcmp(argv[0], "show"))
		return usim_show(argc - 1, argv + 1);
	if (argc >= 1 && !strcmp(argv[0], "remove"))
		return usim_remove(argc - 1, argv + 1);
	if (argc >= 1 && !strcmp(argv[0], "sd-set"))
		return cmd_usim_sd_set(argc - 1, argv + 1);
	if (argc >= 1 && !strcmp(argv[0], "update"))
		return cmd_usim_update(argc - 1, argv + 1);
	fail("usim", "add, show, remove, sd-set or update is needed");
	return EXIT_USAGE;
}
