// SPDX-License-Identifier: GPL-2.0
/*
 * The USIM's half of a key update survives a power cut at any write
 * (issue 15 item 4: an update interrupted at any point never locks the
 * subscriber out). The store runs over powerloss_vfs.h, which loses every
 * write not yet synced. A child stages new keys (step 4), attaches with
 * the old keys (the HSS has not switched), then with the new ones (it
 * has: step 7), saying after each step that returned; the power is cut at
 * a random write or sync, or after the last step. Then, on what is left:
 *
 * - the USIM is in one of three states: old keys only, old keys with the
 *   new ones pending, new keys only;
 * - a step that returned is never undone: staged means not "old only",
 *   the AKA under the new keys means "new only";
 * - a re-attach works with the keys the state holds: the old ones unless
 *   the new are current, the new ones unless none are pending, and once
 *   the new keys are current the old ones fail.
 *
 * E2M_CRASH_SEED=N repeats a run.
 */
#include <errno.h>
#include <time.h>

#include "aka/usim.h"
#include "powerloss_vfs.h"
#include "store_fixture.h"
#include "usim_challenge.h"
#include "crash_child.h"

#define NEW_K		"000102030405060708090a0b0c0d0e0f"
#define NEW_OPC		"f0e0d0c0b0a090807060504030201000"
#define RUNS		40
#define CUT_AT_MAX	30	/* the three steps make about that many */

enum state { OLD_ONLY, PENDING, NEW_ONLY, DAMAGED };

static struct store_key key;
static char path[SCRATCH_PATH_MAX];

/* One AKA of the network under k/opc for SEQ seq, against TEST_ICCID. */
static int aka(struct store *store, const char *k_hex, const char *opc_hex,
	       uint64_t seq)
{
	return usim_aka_once(store, TEST_ICCID, k_hex, opc_hex, seq);
}

/* The child: the steps until the power goes, a letter after each. */
static void __attribute__((noreturn)) steps(int fd, long cut_at)
{
	uint8_t k[16], opc[16];
	struct store *store;

	unhex(k, 16, NEW_K);
	unhex(opc, 16, NEW_OPC);
	pl_arm(cut_at);
	if (store_open(&store, path, &key, NULL, 0))
		_exit(3);
	if (store_usim_stage_keys(store, TEST_ICCID, 1, k, opc) ||
	    write(fd, "S", 1) != 1)
		_exit(4);
	if (aka(store, SET1_K, SET1_OPC, 1) != USIM_OK ||
	    write(fd, "O", 1) != 1)
		_exit(5);
	if (aka(store, NEW_K, NEW_OPC, 2) != USIM_OK ||
	    write(fd, "N", 1) != 1)
		_exit(6);
	pl_cut();
}

static void child_steps(int fd, const void *arg)
{
	steps(fd, *(const long *)arg);
}

static enum state state_of(struct store *store)
{
	struct store_usim u;
	uint8_t set1_k[16], new_k[16];
	enum state state = DAMAGED;

	unhex(set1_k, 16, SET1_K);
	unhex(new_k, 16, NEW_K);
	if (store_usim_get(store, TEST_ICCID, &u))
		return DAMAGED;
	if (!u.pub.has_pending && !memcmp(u.k, set1_k, 16))
		state = OLD_ONLY;
	else if (u.pub.has_pending && !memcmp(u.k, set1_k, 16) &&
		 !memcmp(u.pending_k, new_k, 16) && u.pub.update_counter == 1)
		state = PENDING;
	else if (!u.pub.has_pending && !memcmp(u.k, new_k, 16) &&
		 u.pub.update_counter == 1)
		state = NEW_ONLY;
	store_usim_wipe(&u);
	return state;
}

/* The re-attach the state promises; 1 if it went as it must. */
static int reattach(struct store *store, enum state state)
{
	int old = aka(store, SET1_K, SET1_OPC, 10);

	if (state == NEW_ONLY)
		return old == USIM_MAC_FAILURE &&
		       aka(store, NEW_K, NEW_OPC, 11) == USIM_OK;
	if (old != USIM_OK)
		return 0;
	if (state == PENDING)
		return aka(store, NEW_K, NEW_OPC, 11) == USIM_OK &&
		       state_of(store) == NEW_ONLY;
	return aka(store, NEW_K, NEW_OPC, 11) == USIM_MAC_FAILURE;
}

int main(void)
{
	const char *seed_env = getenv("E2M_CRASH_SEED");
	unsigned int seed = seed_env ? (unsigned int)strtoul(seed_env, NULL, 0) :
			    (unsigned int)time(NULL) ^ (unsigned int)getpid();
	int all_cut = 1, known = 1, kept = 1, reattached = 1;
	int seen[3] = { 0 }, r;

	printf("# seed %u (E2M_CRASH_SEED=%u repeats this run)\n", seed, seed);
	srand(seed);
	if (pl_register())
		bail("cannot register the power-loss VFS");
	scratch_make("keyupdate_powerloss_test");
	test_key(&key, 0x42);

	for (r = 0; r < RUNS; r++) {
		/* The last run's cut comes after its last step. */
		long cut_at = r == RUNS - 1 ? 0 : 1 + rand() % CUT_AT_MAX;
		struct store *store;
		enum state state;
		char said[8], name[32];

		/* A store of its own: no WAL of another run beside it. */
		snprintf(name, sizeof(name), "ue-%d.db", r);
		snprintf(path, sizeof(path), "%s", scratch_path(name));
		store = open_store(path, &key);
		add_set1_usim(store, TEST_ICCID, SET1_K, 0);
		store_close(store);

		all_cut &= crash_run_said(child_steps, &cut_at, said,
					  sizeof(said));
		store = open_store(path, &key);
		state = state_of(store);
		if (state == DAMAGED) {
			printf("# run %d (cut at %ld): a state that is none of the three\n",
			       r, cut_at);
			known = 0;
		} else {
			seen[state]++;
		}
		if ((strchr(said, 'S') && state == OLD_ONLY) ||
		    (strchr(said, 'N') && state != NEW_ONLY)) {
			printf("# run %d (cut at %ld): said %s, state %d\n", r,
			       cut_at, said, state);
			kept = 0;
		}
		if (state != DAMAGED && !reattach(store, state)) {
			printf("# run %d (cut at %ld): re-attach in state %d failed\n",
			       r, cut_at, state);
			reattached = 0;
		}
		store_close(store);
	}

	ok(all_cut, "%d children ended by the power cut", RUNS);
	ok(known, "after every cut: old keys, old with new pending, or new");
	ok(kept, "a step that returned was never undone by a cut");
	ok(reattached, "a re-attach worked after every cut, the old keys "
	   "failing once the new were current");
	ok(seen[NEW_ONLY] >= 1,
	   "the uncut run ends with the new keys current (after the cuts:"
	   " old %d, pending %d, new %d)",
	   seen[OLD_ONLY], seen[PENDING], seen[NEW_ONLY]);

	store_key_wipe(&key);
	scratch_remove();
	return done_testing();
}
