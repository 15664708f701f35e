// SPDX-License-Identifier: GPL-2.0
/*
 * The SGW's per-IMSI table in a real store (daemon/sgw/sgw_persist.c): read
 * back at start (KSI, address, TEID, context as they were; an address
 * outside a changed pool dropped and written back; a row clashing with
 * another fails the restore), written through, and set back when the
 * store fails (a fresh entry forgotten); in the store's group commit, the
 * caller told only after the loop turn's commit, and a write that fails
 * in the group set back to what the store has; two instances' tables on
 * one store, the second refused the first's address and given the one
 * sgw_ues_address_elsewhere() moves it to.
 */
#include <arpa/inet.h>
#include <errno.h>

#include <event2/event.h>

#include "daemon/sgw/sgw_persist.h"
#include "loop_until.h"
#include "store/store_group.h"
#include "store_fixture.h"

static struct store_key key;

/* What the done callbacks were told, in order. */
static int told[8];
static int n_told;

static void tell(int ret, void *arg)
{
	(void)arg;
	if (n_told < 8)
		told[n_told] = ret;
	n_told++;
}

/* sgw_persist_write() without a group: done runs within it. */
static int commit(struct store *store, struct sgw_ues *ues, struct sgw_ue *ue,
		  const struct sgw_ue_record *before)
{
	n_told = 0;
	sgw_persist_write(store, ues, ue, before, tell, NULL);
	return n_told == 1 ? told[0] : -EPROTO;
}

static struct config_ipv4_pool pool_29(void)
{
	struct config_ipv4_pool pool;

	memset(&pool, 0, sizeof(pool));
	snprintf(pool.text, sizeof(pool.text), "10.45.0.0/29");
	pool.network = 0x0a2d0000u;
	pool.prefix = 29;
	return pool;
}

static struct store_sgw_ue row(const char *imsi, uint8_t ksi,
			       const char *inner, uint32_t teid,
			       uint32_t ue_teid)
{
	struct store_sgw_ue u;

	memset(&u, 0, sizeof(u));
	snprintf(u.imsi, sizeof(u.imsi), "%s", imsi);
	u.last_ksi = ksi;
	snprintf(u.inner_ipv4, sizeof(u.inner_ipv4), "%s", inner);
	u.hse_teid = teid;
	if (ue_teid) {
		u.attached = 1;
		strcpy(u.ue_address, "192.0.2.1");
		u.ue_port = 2152;
		u.ue_teid = ue_teid;
	}
	return u;
}

static struct sgw_ues *new_ues(void)
{
	struct config_ipv4_pool pool = pool_29();
	struct sgw_ues *ues = NULL;

	if (sgw_ues_new(&ues, &pool))
		bail("sgw_ues_new");
	return ues;
}

static void test_restore(struct store *store)
{
	struct store_sgw_ue a = row("001010000000001", 6, "10.45.0.2",
				    0x1111, 4097);
	struct store_sgw_ue b = row("001010000000002", 3, "10.99.0.5",
				    0x2222, 8193);
	struct store_sgw_ue got;
	struct sgw_ues *ues = new_ues();
	struct sgw_ue *ue;
	uint32_t addr = 0;

	ok(store_sgw_ue_put(store, &a) == 0 && store_sgw_ue_put(store, &b) == 0,
	   "restore: two rows, one with an address of another pool");
	ok(sgw_persist_restore(store, ues) == 0 && sgw_ues_count(ues) == 2 &&
	   sgw_ues_attached(ues) == 1, "restore: both read back, one attached");
	ue = sgw_ue_find(ues, a.imsi);
	ok(ue && ue->last_ksi == 6 && ue->inner_ipv4 == 0x0a2d0002u &&
	   ue->hse_teid == 0x1111 && ue->attached && ue->ue.teid == 4097 &&
	   !strcmp(ue->ue.address, "192.0.2.1") && ue->ue.port == 2152,
	   "restore: KSI, address, TEID and context as stored");
	ue = sgw_ue_find(ues, b.imsi);
	ok(ue && ue->last_ksi == 3 && !ue->inner_ipv4 && !ue->hse_teid &&
	   !ue->attached, "restore: the other pool's address dropped, context too");
	ok(store_sgw_ue_get(store, b.imsi, &got) == 0 && got.last_ksi == 3 &&
	   !got.inner_ipv4[0] && !got.attached && !got.hse_teid,
	   "restore: and written back so");
	ok(!sgw_ue_inner_ipv4(ues, ue, &addr) && addr == 0x0a2d0003u,
	   "restore: a new address skips the restored one");
	sgw_ues_free(ues);
}

static void test_clash(const char *path)
{
	struct store *store = open_store(path, &key);
	struct store_sgw_ue a = row("001010000000011", 0, "10.45.0.4", 0, 0);
	struct store_sgw_ue b = row("001010000000012", 0, "10.45.0.4", 0, 0);
	struct sgw_ues *ues = new_ues();
	struct store_sgw_ue got;

	ok(store_sgw_ue_put(store, &a) == 0 &&
	   store_sgw_ue_put(store, &b) == -EEXIST &&
	   store_sgw_ue_get(store, b.imsi, &got) == -ENOENT,
	   "clash: the store refuses a second row with one address");
	/* As a store made before schema 17 could hold them. */
	ok(raw_sql(path, "DROP INDEX sgw_ues_by_inner_ipv4") == SQLITE_OK &&
	   store_sgw_ue_put(store, &b) == 0,
	   "clash: two rows with one address, the index dropped");
	ok(sgw_persist_restore(store, ues) == -EEXIST,
	   "clash: the restore fails (-EEXIST)");
	sgw_ues_free(ues);
	store_close(store);
}

static void test_grouped(const char *path)
{
	struct store *store = open_store(path, &key);
	struct store *r = open_store(path, &key);	/* another reader */
	struct event_base *base = event_base_new();
	struct sgw_ues *ues = new_ues();
	struct store_sgw_ue a = row("001010000000001", 0, "10.45.0.2", 0, 0);
	struct sgw_ue_record before;
	struct store_sgw_ue got;
	struct sgw_ue *ue;

	if (!base || store_sgw_ue_put(store, &a) ||
	    store_group_attach(store, base) || sgw_persist_restore(store, ues))
		bail("setup");
	n_told = 0;
	ue = sgw_ue_find(ues, "001010000000001");
	sgw_ue_record(ue, &before);
	sgw_ue_next_ksi(ue);			/* 0 -> 1 */
	sgw_persist_write(store, ues, ue, &before, tell, NULL);
	ok(n_told == 0 && store_sgw_ue_get(r, ue->imsi, &got) == 0 &&
	   got.last_ksi == 0,
	   "group: nobody told, the store as it was for another reader");

	sgw_ue_record(ue, &before);
	ue->last_ksi = 9;			/* no Key ID: the store refuses */
	sgw_persist_write(store, ues, ue, &before, tell, NULL);
	ok(n_told == 1 && told[0] == -EINVAL && ue->last_ksi == 1,
	   "group: a write refused is told at once, the entry as the group has it");

	loop_until_count(base, &n_told, 2);
	ok(n_told == 2 && told[1] == 0 &&
	   store_sgw_ue_get(r, ue->imsi, &got) == 0 && got.last_ksi == 1,
	   "group: the commit, once flushed, tells the first with 0");

	ue = sgw_ue_get(ues, "001010000000005");
	sgw_ue_next_ksi(ue);
	ue->last_ksi = 9;
	sgw_persist_write(store, ues, ue, NULL, tell, NULL);
	ok(n_told == 3 && told[2] == -EINVAL &&
	   !sgw_ue_find(ues, "001010000000005"),
	   "group: a new IMSI's write refused: the entry forgotten");
	store_group_detach(store);
	sgw_ues_free(ues);
	event_base_free(base);
	store_close(r);
	store_close(store);
}

static void test_write_through(struct store *store, const char *path)
{
	struct sgw_ues *ues = new_ues();
	struct store_sgw_ue got;
	struct sgw_ue_record before;
	struct sgw_ue *ue;
	uint32_t addr;

	if (sgw_persist_restore(store, ues))
		bail("restore");
	ue = sgw_ue_find(ues, "001010000000001");
	sgw_ue_record(ue, &before);
	sgw_ue_next_ksi(ue);
	ok(commit(store, ues, ue, &before) == 0 &&
	   store_sgw_ue_get(store, ue->imsi, &got) == 0 && got.last_ksi == 0 &&
	   got.attached, "commit: the next KSI (6 -> 0) on disk");
	ue = sgw_ue_get(ues, "001010000000003");
	sgw_ue_next_ksi(ue);
	sgw_ue_inner_ipv4(ues, ue, &addr);
	ok(commit(store, ues, ue, NULL) == 0 &&
	   store_sgw_ue_get(store, "001010000000003", &got) == 0 &&
	   got.last_ksi == 0 && !strcmp(got.inner_ipv4, "10.45.0.3"),
	   "commit: a new IMSI's KSI and address on disk");

	ok(raw_sql(path, "DROP TABLE sgw_ues") == SQLITE_OK,
	   "the store made to fail");
	ue = sgw_ue_find(ues, "001010000000001");
	sgw_ue_record(ue, &before);
	sgw_ue_next_ksi(ue);
	sgw_ue_new_teid(ues, ue);
	ok(commit(store, ues, ue, &before) < 0 &&
	   ue->last_ksi == 0 && ue->hse_teid == 0x1111 && ue->attached &&
	   sgw_ues_attached(ues) == 1,
	   "commit fails: KSI, TEID and context set back");
	ue = sgw_ue_get(ues, "001010000000004");
	sgw_ue_next_ksi(ue);
	ok(commit(store, ues, ue, NULL) < 0 &&
	   !sgw_ue_find(ues, "001010000000004") && sgw_ues_count(ues) == 3,
	   "commit fails for a new IMSI: the entry forgotten");
	sgw_ues_free(ues);
}

/*
 * Two instances' tables on one store (SQLite here; PostgreSQL in
 * pg_sgw.sh): B read the store before A gave .2, so B's cursor offers
 * .2 too. The store refuses it (-EEXIST), the undo sets B's entry back
 * to its row (KSI 0, no address), and once .2 is named another's the
 * next is .5: the middle of .3 .. .6, what B knows free. Written.
 */
static void test_elsewhere(const char *path)
{
	struct store *sa = open_store(path, &key), *sb = open_store(path, &key);
	struct store_sgw_ue b_row = row("001010000000022", 0, "", 0, 0);
	struct sgw_ues *ues_a = new_ues(), *ues_b = new_ues();
	struct sgw_ue_record before;
	struct store_sgw_ue got;
	struct sgw_ue *a, *b;
	uint32_t addr = 0;
	int ret;

	ok(store_sgw_ue_put(sb, &b_row) == 0 &&
	   sgw_persist_restore(sb, ues_b) == 0 &&
	   sgw_persist_restore(sa, ues_a) == 0,
	   "elsewhere: B's UE with KSI 0, both tables read");
	a = sgw_ue_get(ues_a, "001010000000021");
	sgw_ue_next_ksi(a);
	ok(!sgw_ue_inner_ipv4(ues_a, a, &addr) &&
	   commit(sa, ues_a, a, NULL) == 0 && addr == 0x0a2d0002u,
	   "elsewhere: A gives its UE .2, written");
	b = sgw_ue_find(ues_b, b_row.imsi);
	sgw_ue_record(b, &before);
	ret = !sgw_ue_inner_ipv4(ues_b, b, &addr) && addr == 0x0a2d0002u ?
	      commit(sb, ues_b, b, &before) : -EPROTO;
	ok(ret == -EEXIST && b->inner_ipv4 == 0 && b->last_ksi == 0 &&
	   store_sgw_ue_get(sb, b_row.imsi, &got) == 0 && !got.inner_ipv4[0],
	   "elsewhere: B offers .2 too: -EEXIST, B's entry and row without"
	   " an address");
	sgw_ues_address_elsewhere(ues_b, 0x0a2d0002u);
	sgw_ue_record(b, &before);
	ok(!sgw_ue_inner_ipv4(ues_b, b, &addr) && addr == 0x0a2d0005u &&
	   commit(sb, ues_b, b, &before) == 0 &&
	   store_sgw_ue_get(sb, b_row.imsi, &got) == 0 &&
	   !strcmp(got.inner_ipv4, "10.45.0.5"),
	   "elsewhere: .2 another's: B's next is .5 (mid .3 .. .6), written");
	sgw_ues_free(ues_a);
	sgw_ues_free(ues_b);
	store_close(sa);
	store_close(sb);
}

int main(void)
{
	char path[SCRATCH_PATH_MAX];
	struct store *store;

	scratch_make("sgw_persist_test");
	snprintf(path, sizeof(path), "%s", scratch_path("sgw.db"));
	test_key(&key, 0x51);
	store = open_store(path, &key);
	test_restore(store);
	test_write_through(store, path);
	test_grouped(scratch_path("grouped.db"));
	store_close(store);
	test_clash(scratch_path("clash.db"));
	test_elsewhere(scratch_path("elsewhere.db"));
	store_key_wipe(&key);
	scratch_remove();
	return done_testing();
}
