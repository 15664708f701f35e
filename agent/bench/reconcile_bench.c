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

#include "daemon/hse/hse_keyring.h"
#include "daemon/hse/hse_reconcile_plan.h"

#define RECONCILE_TEID		0x10000000u
#define RECONCILE_KEYRING	"e2m-reconcile-bench"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

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
		for (i = 0; i < plan.n; i++)
			for (k = 0; k < plan.steps[i].nkeys; k++)
				hse_key_drop(ring,
					     keys[plan.steps[i].key + k].serial);
		free(keys);
	}
	hse_reconcile_plan_free(&plan);
	return ret ? -1 : 0;
}

int main(int argc, char **argv)
{
	unsigned long keys, drops;
	key_serial_t ring;
	double t0, wall;
	int ret;

	if (argc != 4 || strcmp(argv[1], "keys")) {
		fprintf(stderr, "usage: reconcile_bench keys KEYS DROPS\n");
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
	t0 = now();
	if (!ret)
		ret = drop(ring, drops);
	wall = now() - t0;
	keyctl_clear(ring);
	keyctl_unlink(ring, KEY_SPEC_SESSION_KEYRING);
	if (ret)
		return 1;
	printf("reconcile_keys.keys=%lu\nreconcile_keys.drops=%lu\n"
	       "reconcile_keys.wall_s=%.3f\nreconcile_keys.per_s=%.0f\n",
	       keys, drops, wall, wall > 0 ? (double)drops / wall : 0.0);
	return 0;
}
