// SPDX-License-Identifier: GPL-2.0
/*
 * The keyring side of the HSE's reconcile at start (issue 18,
 * daemon/hse/hse_reconcile.c): a keyring of KEYS keys described as the
 * HSE describes its own ("imsi:<IMSI> ksi:1 teid:<hex>", TEID
 * RECONCILE_TEID + i), then the keys of DROPS of those TEIDs dropped as
 * the reconcile drops those of the rows and flows it removes.
 *
 *	reconcile_bench keys KEYS DROPS
 *
 * Prints reconcile_keys.keys, .drops, .wall_s and .per_s (TEIDs a
 * second), one name=value a line; run it under strace -c to count the
 * system calls.
 *
 * And what selftests/bench/reconcile.sh starts an HSE over, in the test VM:
 *
 *	reconcile_bench rows STORE KEY-FILE DEVICE FROM COUNT [OWNER
 *		[PASSWORD-FILE]]
 *	reconcile_bench hse-keys FROM COUNT
 *
 * rows puts the rows of TEIDs RECONCILE_TEID + i (FROM <= i < FROM +
 * COUNT; flows_bench's TEIDs) for DEVICE into the HSE's store, 10,000 a
 * transaction, owned by OWNER (the HSE's roles.hse.instance; "bench"
 * when not given); with PASSWORD-FILE, STORE is a PostgreSQL connection
 * string (selftests/e2m/hse_pg.sh: two HSE instances on one database,
 * each with its rows). hse-keys adds an e2mkeyset key for each of those TEIDs to
 * "e2m-hse", described as the HSE describes its own, not bound (a bound
 * key costs the kernel about 5.8 KB: flows.sh measures it). Their key
 * bytes are made up from the TEID: benchmark keys, nobody's secret.
 *
 * The keys are of type "user" (no e2m module needed), so the HSE's
 * search, which looks for e2mkeyset keys, finds none of them: what is
 * measured is the search (reading the keyring, describing its keys), not
 * the revocations. They live in a keyring of their own, linked to the
 * session keyring and cleared at the end; their payload is a made-up
 * byte, no secret.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <keyutils.h>
#include <openssl/crypto.h>

#include "daemon/hse/hse_keyring.h"
#include "daemon/hse/hse_reconcile_plan.h"
#include "proto/best/triplet_msg.h"
#include "store/store.h"
#include "util/latency.h"

#define RECONCILE_TEID		0x10000000u
#define RECONCILE_KEYRING	"e2m-reconcile-bench"
#define RECONCILE_BATCH		10000

static int make_keys(key_serial_t ring, unsigned long n)
{
	char desc[64];
	unsigned long i;
	uint8_t byte = 0;

	for (i = 0; i < n; i++) {
		snprintf(desc, sizeof(desc),
			 "imsi:00101%010lu ksi:1 teid:%08" PRIx32, i,
			 (uint32_t)(RECONCILE_TEID + i));
		if (add_key("user", desc, &byte, 1, ring) < 0) {
			fprintf(stderr, "reconcile_bench: add_key %lu: %s\n",
				i, strerror(errno));
			return -1;
		}
	}
	return 0;
}

/*
 * As hse_reconcile.c does it: DROPS rows without a flow planned, the
 * keyring read once, each step's keys dropped.
 */
static int drop(key_serial_t ring, unsigned long drops)
{
	const struct hse_reconcile_step *step;
	struct hse_reconcile_plan plan;
	struct hse_key_ref *keys;
	uint32_t *rows;
	size_t i, k, nkeys;
	int ret;

	rows = calloc(drops ? drops : 1, sizeof(*rows));
	if (!rows)
		return -1;
	for (i = 0; i < drops; i++)
		rows[i] = RECONCILE_TEID + (uint32_t)i;
	ret = hse_reconcile_plan(rows, drops, NULL, 0, &plan);
	free(rows);
	if (ret)
		return -1;
	ret = hse_keys_list(ring, &keys, &nkeys);
	if (!ret) {
		hse_reconcile_plan_keys(&plan, keys, nkeys);
		for (i = 0; i < plan.n; i++) {
			step = &plan.steps[i];
			for (k = step->key; k < step->key + step->nkeys; k++)
				hse_key_drop(ring, keys[k].serial);
		}
		free(keys);
	}
	hse_reconcile_plan_free(&plan);
	return ret ? -1 : 0;
}

static void fill_row(struct store_hse_flow *f, const char *device,
		     const char *owner, unsigned long i)
{
	uint32_t teid = RECONCILE_TEID + (uint32_t)i;

	memset(f, 0, sizeof(*f));
	f->teid = teid;
	f->ue_teid = teid;
	snprintf(f->imsi, sizeof(f->imsi), "00101%010lu", i);
	memset(f->rand, (int)(i & 0xff), sizeof(f->rand));
	f->sqn[AKA_SQN_LEN - 1] = 0x20;
	f->ksi = 1;
	strcpy(f->ue_address, "10.0.0.9");
	f->ue_port = 2152;
	snprintf(f->inner_ipv4, sizeof(f->inner_ipv4), "10.%lu.%lu.%lu",
		 128 + (i >> 16 & 0x7f), i >> 8 & 0xff, i & 0xff);
	snprintf(f->device, sizeof(f->device), "%s", device);
	f->created = 1700000000;
	snprintf(f->owner, sizeof(f->owner), "%s", owner);
}

static int put_rows(int argc, char **argv)
{
	/* reconcile.sh's roles.hse.instance when not given */
	const char *owner = argc > 7 ? argv[7] : "bench";
	unsigned long from = strtoul(argv[5], NULL, 10);
	unsigned long count = strtoul(argv[6], NULL, 10), i, n;
	struct store_hse_flow *batch;
	struct store_key key;
	struct store *store;
	char why[256];
	int ret;

	if (store_key_from_file(&key, argv[3], why, sizeof(why))) {
		fprintf(stderr, "reconcile_bench: %s\n", why);
		return 1;
	}
	ret = argc > 8 ?
	      store_open_postgresql(&store, argv[2], argv[8], &key, why,
				    sizeof(why)) :
	      store_open(&store, argv[2], &key, why, sizeof(why));
	store_key_wipe(&key);
	if (ret) {
		fprintf(stderr, "reconcile_bench: %s\n", why);
		return 1;
	}
	batch = calloc(RECONCILE_BATCH, sizeof(*batch));
	for (i = 0; batch && !ret && i < count; i += n) {
		n = count - i < RECONCILE_BATCH ? count - i : RECONCILE_BATCH;
		for (size_t j = 0; j < n; j++)
			fill_row(&batch[j], argv[4], owner, from + i + j);
		ret = store_hse_flow_put_many(store, batch, n);
	}
	if (!batch || ret)
		fprintf(stderr, "reconcile_bench: putting rows: %s\n",
			batch ? store_strerror(ret) : "out of memory");
	free(batch);
	store_close(store);
	return !batch || ret;
}

static int add_hse_keys(char **argv)
{
	unsigned long from = strtoul(argv[2], NULL, 10);
	unsigned long count = strtoul(argv[3], NULL, 10), i;
	char imsi[16], desc[TRIPLET_KEY_DESC_SIZE];
	struct e2m_keyset_payload p;
	uint8_t k[E2M_ALG_KEY_LEN];
	key_serial_t ring, serial;
	uint32_t teid;
	int ret;

	ret = hse_keyring(&ring);
	for (i = from; !ret && i < from + count; i++) {
		teid = RECONCILE_TEID + (uint32_t)i;
		snprintf(imsi, sizeof(imsi), "00101%010lu", i);
		memset(k, 0, sizeof(k));
		memcpy(k, &teid, sizeof(teid));
		ret = triplet_key_description(desc, imsi, 1, teid);
		if (!ret)
			ret = hse_keyset_payload(&p, 1, E2M_ALG_AES,
						 E2M_ALG_AES, k, k, 3600);
		if (!ret)
			ret = hse_key_add(ring, desc, &p, &serial);
		OPENSSL_cleanse(&p, sizeof(p));
		OPENSSL_cleanse(k, sizeof(k));
	}
	if (ret)
		fprintf(stderr, "reconcile_bench: key %lu: %s\n", i,
			strerror(-ret));
	return ret ? 1 : 0;
}

int main(int argc, char **argv)
{
	unsigned long keys, drops;
	key_serial_t ring;
	double t0, wall;
	int ret;

	if (argc >= 7 && argc <= 9 && !strcmp(argv[1], "rows"))
		return put_rows(argc, argv);
	if (argc == 4 && !strcmp(argv[1], "hse-keys"))
		return add_hse_keys(argv);
	if (argc != 4 || strcmp(argv[1], "keys")) {
		fprintf(stderr, "usage: reconcile_bench keys KEYS DROPS\n"
			"       reconcile_bench rows STORE KEY-FILE DEVICE "
			"FROM COUNT [OWNER [PASSWORD-FILE]]\n"
			"       reconcile_bench hse-keys FROM COUNT\n");
		return 2;
	}
	keys = strtoul(argv[2], NULL, 10);
	drops = strtoul(argv[3], NULL, 10);
	ring = add_key("keyring", RECONCILE_KEYRING, NULL, 0,
		       KEY_SPEC_SESSION_KEYRING);
	if (ring < 0) {
		fprintf(stderr, "reconcile_bench: keyring: %s\n",
			strerror(errno));
		return 1;
	}
	ret = make_keys(ring, keys);
	t0 = latency_now();
	if (!ret)
		ret = drop(ring, drops);
	wall = latency_now() - t0;
	keyctl_clear(ring);
	keyctl_unlink(ring, KEY_SPEC_SESSION_KEYRING);
	if (ret)
		return 1;
	printf("reconcile_keys.keys=%lu\nreconcile_keys.drops=%lu\n"
	       "reconcile_keys.wall_s=%.3f\nreconcile_keys.per_s=%.0f\n",
	       keys, drops, wall, wall > 0 ? (double)drops / wall : 0.0);
	return 0;
}
