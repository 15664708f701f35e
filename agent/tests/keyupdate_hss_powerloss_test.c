// SPDX-License-Identifier: GPL-2.0
/*
 * The HSS's half of a key update survives a power cut at any write (issue
 * 15, the kill -9 matrix's row "the HSS killed before its switch
 * commits"; a cut loses more than kill -9, which keeps what was written).
 * The store runs over powerloss_vfs.h. A child switches the subscriber to
 * new keys, counter 1 (step 6, store_subscriber_update_keys()), then makes
 * a vector under them, saying after each step that returned; the power is
 * cut at its first change to the files, then in the next run at its
 * second, and so on until a run gets to the end of both steps: every
 * point of the two steps is cut once (the SQLite engine makes about 8
 * changes). Then, on what is left:
 *
 * - the subscriber has the old K and OPc, or the new K and OPc: never one
 *   of each, never neither;
 * - a switch that returned is never undone, and SEQ_HE never went back;
 * - a vector verifies under exactly one key pair, the state's (the
 *   subscriber is not lost: a USIM with that pair attaches);
 * - the provisioning server's retry (the same update again) switches an
 *   HSS left with the old keys (0) and changes nothing on one with the
 *   new (1, the answer lost), after which only the new keys verify.
 */
#include <errno.h>

#include "aka/auc.h"
#include "crypto/milenage.h"
#include "powerloss_vfs.h"
#include "store_fixture.h"
#include "crash_child.h"

#define NEW_K		"000102030405060708090a0b0c0d0e0f"
#define NEW_OPC		"f0e0d0c0b0a090807060504030201000"
#define CUTS_MAX	64	/* a bound: the steps make about 8 changes */

enum state { OLD, NEW, DAMAGED };

static struct store_key key;
static char path[SCRATCH_PATH_MAX];

/* The child: the steps until the power goes, a letter after each. */
static void __attribute__((noreturn)) steps(int fd, long cut_at)
{
	struct auc_vector v;
	uint8_t k[16], opc[16];
	struct store *store;

	unhex(k, 16, NEW_K);
	unhex(opc, 16, NEW_OPC);
	pl_arm(cut_at);
	if (store_open(&store, path, &key, NULL, 0))
		_exit(3);
	if (store_subscriber_update_keys(store, TEST_IMSI, 1, k, opc) ||
	    write(fd, "W", 1) != 1)
		_exit(4);
	if (auc_vector(store, TEST_IMSI, 0, &v) || write(fd, "V", 1) != 1)
		_exit(5);
	pl_cut();
}

static void child_steps(int fd, const void *arg)
{
	steps(fd, *(const long *)arg);
}

/* The subscriber's keys as a state; its SEQ_HE in *seq. */
static enum state state_of(struct store *store, uint64_t *seq)
{
	uint8_t k[2][16], opc[2][16];
	struct store_subscriber sub;
	enum state state = DAMAGED;
	int i;

	unhex(k[OLD], 16, SET1_K);
	unhex(opc[OLD], 16, SET1_OPC);
	unhex(k[NEW], 16, NEW_K);
	unhex(opc[NEW], 16, NEW_OPC);
	if (store_subscriber_get(store, TEST_IMSI, &sub))
		return DAMAGED;
	for (i = OLD; i <= NEW; i++) {
		if (!memcmp(sub.k, k[i], 16) && !memcmp(sub.opc, opc[i], 16))
			state = (enum state)i;
	}
	*seq = sub.pub.sqn.seq;
	store_subscriber_wipe(&sub);
	return state;
}

/* Whether a vector's AUTN verifies under k/opc. */
static int verifies(const struct auc_vector *v, const char *k_hex,
		    const char *opc_hex)
{
	uint8_t k[16], opc[16], sqn[AKA_SQN_LEN];
	struct milenage m;
	int ret;

	unhex(k, 16, k_hex);
	unhex(opc, 16, opc_hex);
	ret = milenage_init(&m, k, opc);
	if (!ret)
		ret = milenage_check_autn(&m, v->rand, v->autn, sqn);
	milenage_free(&m);
	return !ret;
}

/* A fresh vector verifies under the state's pair only. */
static int one_pair(struct store *store, enum state state)
{
	struct auc_vector v;
	int old, new_keys;

	if (auc_vector(store, TEST_IMSI, 0, &v))
		return 0;
	old = verifies(&v, SET1_K, SET1_OPC);
	new_keys = verifies(&v, NEW_K, NEW_OPC);
	auc_vector_wipe(&v);
	return state == NEW ? new_keys && !old : old && !new_keys;
}

/* The server's retry: switched from old, already on new; then new only. */
static int retried(struct store *store, enum state state)
{
	uint8_t k[16], opc[16];
	uint64_t seq;
	int ret;

	unhex(k, 16, NEW_K);
	unhex(opc, 16, NEW_OPC);
	ret = store_subscriber_update_keys(store, TEST_IMSI, 1, k, opc);
	return ret == (state == NEW ? 1 : 0) &&
	       state_of(store, &seq) == NEW && one_pair(store, NEW);
}

/* A store with the set 1 subscriber and two vectors made: SEQ_HE > 0. */
static uint64_t prepare(void)
{
	struct store *store = open_store(path, &key);
	struct auc_vector v;
	uint64_t seq;
	int i;

	add_set1_subscriber(store, TEST_IMSI, TEST_IMPI);
	for (i = 0; i < 2; i++) {
		if (auc_vector(store, TEST_IMSI, 0, &v))
			bail("a vector before the run");
		auc_vector_wipe(&v);
	}
	store_close(store);
	store = open_store(path, &key);
	if (state_of(store, &seq) != OLD)
		bail("the subscriber before the run");
	store_close(store);
	return seq;
}

int main(void)
{
	int all_cut = 1, known = 1, kept = 1, attached = 1, retry = 1;
	int seen[2] = { 0 }, done = 0;
	long cut_at;

	if (pl_register())
		bail("cannot register the power-loss VFS");
	scratch_make("keyupdate_hss_powerloss_test");
	test_key(&key, 0x43);

	for (cut_at = 1; cut_at <= CUTS_MAX && !done; cut_at++) {
		uint64_t seq_before, seq;
		struct store *store;
		enum state state;
		char said[8], name[32];

		/* A store of its own: no WAL of another run beside it. */
		snprintf(name, sizeof(name), "hss-%ld.db", cut_at);
		snprintf(path, sizeof(path), "%s", scratch_path(name));
		seq_before = prepare();

		all_cut &= crash_run_said(child_steps, &cut_at, said,
					  sizeof(said));
		/* Both steps returned: the cut came after them, the last run. */
		done = strchr(said, 'V') != NULL;
		store = open_store(path, &key);
		state = state_of(store, &seq);
		if (state == DAMAGED) {
			printf("# cut at %ld: neither the old keys nor the new\n",
			       cut_at);
			known = 0;
		} else {
			seen[state]++;
		}
		if ((strchr(said, 'W') && state != NEW) || seq < seq_before) {
			printf("# cut at %ld: said %s, state %d, SEQ_HE %llu after %llu\n",
			       cut_at, said, state, (unsigned long long)seq,
			       (unsigned long long)seq_before);
			kept = 0;
		}
		if (state != DAMAGED && !one_pair(store, state)) {
			printf("# cut at %ld: a vector in state %d does not verify under its keys only\n",
			       cut_at, state);
			attached = 0;
		}
		if (state != DAMAGED && !retried(store, state)) {
			printf("# cut at %ld: the retry in state %d\n", cut_at,
			       state);
			retry = 0;
		}
		store_close(store);
	}

	ok(all_cut && done, "every change of the two steps cut once, then a "
	   "run to their end: %ld runs", cut_at - 1);
	ok(known, "after every cut: the old K and OPc, or the new ones");
	ok(kept, "a switch that returned was never undone, SEQ_HE never "
	   "went back");
	ok(attached, "after every cut a vector verifies under exactly the "
	   "state's keys");
	ok(retry, "the server's retry switches the old state, finds the new "
	   "one switched; then only the new keys verify");
	ok(seen[OLD] >= 1 && seen[NEW] >= 1,
	   "both states were left by some cut (old %d, new %d)",
	   seen[OLD], seen[NEW]);

	store_key_wipe(&key);
	scratch_remove();
	return done_testing();
}
