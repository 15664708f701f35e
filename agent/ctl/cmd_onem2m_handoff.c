// SPDX-License-Identifier: GPL-2.0
/* e2mctl onem2m handoff, see cmd_onem2m_handoff.h. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "cmd_onem2m_handoff.h"
#include "kernel/user_key_handoff.h"
#include "onem2m_assoc_key.h"
#include "options.h"
#include "ue_store.h"
#include "util/dns_name.h"
#include "util/utc.h"

#define COMMAND		"onem2m handoff"
#define DESC_PREFIX	"onem2m:"
#define OPTION(n, f) { .name = (n), .flags = (f) }

enum { KE_ID, ICCID, ENROLEE_B, TARGET, UID, STORE, STORE_KEY };

/*
 * The key given to @uid, as kernel/user_key_handoff.h makes it (what
 * e2md's roles.maf.handoff gives an application too): 0 or the exit
 * status after an error line.
 */
static int handoff(uid_t uid, const struct onem2m_assoc_key *k,
		   key_serial_t *serial)
{
	int64_t left = k->ke.pub.expires - (int64_t)time(NULL);
	char desc[sizeof(DESC_PREFIX) + ONEM2M_KEY_ID_MAX];
	struct user_key_handoff r;

	if (left <= 0)
		return report(EXIT_FAILURE, COMMAND, "the key has expired");
	snprintf(desc, sizeof(desc), DESC_PREFIX "%s", k->key_id);
	if (user_key_handoff_give(uid, user_key_handoff_gid(uid), desc, k->key,
				  sizeof(k->key), left > UINT32_MAX ?
				  UINT32_MAX : (unsigned int)left, &r))
		return report(EXIT_FAILURE, COMMAND, "uid %u: %s: %s",
			      (unsigned int)uid, r.step, strerror(r.err));
	*serial = r.serial;
	return 0;
}

static void print_result(const struct onem2m_assoc_key *k, uid_t uid,
			 key_serial_t serial)
{
	char text[24], expires[UTC_TEXT_LEN + 1];

	print_string("key_id", k->key_id);
	snprintf(text, sizeof(text), "%d", serial);
	print_string("serial", text);
	snprintf(text, sizeof(text), "%u", (unsigned int)uid);
	print_string("uid", text);
	print_string("ke_id", k->ke.pub.ke_id);
	if (utc_format(expires, k->ke.pub.expires))
		snprintf(expires, sizeof(expires), "%lld",
			 (long long)k->ke.pub.expires);
	print_string("expires", expires);
}

int cmd_onem2m_handoff(int argc, char *argv[])
{
	struct opt opts[] = {
		[KE_ID] = OPTION("ke-id", 0),
		[ICCID] = OPTION("iccid", 0),
		[ENROLEE_B] = OPTION("enrolee-b", OPT_FLAG),
		[TARGET] = OPTION("target", OPT_REQUIRED),
		[UID] = OPTION("uid", OPT_REQUIRED),
		[STORE] = OPTION("store", OPT_REQUIRED),
		[STORE_KEY] = OPTION("store-key-file", OPT_REQUIRED),
	};
	struct onem2m_assoc_key *k = OPENSSL_zalloc(sizeof(*k));
	unsigned long long uid = 0;
	struct store *store = NULL;
	key_serial_t serial = 0;
	int ret;

	if (!k)
		return report(EXIT_FAILURE, COMMAND, "out of memory");
	ret = parse_options(COMMAND, opts, OPTS_COUNT(opts), argc, argv);
	if (ret) {
		OPENSSL_free(k);
		return ret;
	}
	k->target = opts[TARGET].value;
	k->enrolee_b = opts[ENROLEE_B].count > 0;
	if (!opts[ICCID].value == !opts[KE_ID].value)
		ret = report(EXIT_USAGE, COMMAND,
			     "either --ke-id (a Ke) or --iccid (a bootstrap) is needed");
	else if (k->enrolee_b && !opts[ICCID].value)
		ret = report(EXIT_USAGE, COMMAND,
			     "--enrolee-b is for --iccid (a Ke's configuration names its target)");
	else if (!dns_name_valid(k->target))
		ret = report(EXIT_USAGE, COMMAND,
			     "--target: the target's FQDN is needed");
	else
		ret = number_option(COMMAND, &opts[UID], 0, UINT32_MAX - 1, &uid);
	if (!ret)
		ret = ue_store_open(COMMAND, &opts[STORE], &opts[STORE_KEY],
				    &store);
	if (!ret)
		ret = onem2m_assoc_key_load(COMMAND, store, opts[KE_ID].value,
					    opts[ICCID].value, k);
	if (!ret)
		ret = handoff((uid_t)uid, k, &serial);
	if (!ret) {
		print_result(k, (uid_t)uid, serial);
		ret = finish_output(COMMAND);
	}
	store_close(store);
	onem2m_assoc_key_wipe(k);
	OPENSSL_clear_free(k, sizeof(*k));
	free_options(opts, OPTS_COUNT(opts));
	return ret;
}
