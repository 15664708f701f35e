// SPDX-License-Identifier: GPL-2.0
/*
 * The SGW's state, which is pure logic: the generic challenge table
 * (daemon/challenge_table.c: the callbacks, -EEXIST, the bound, spending,
 * expiry), the attach sessions on top of it (daemon/sgw/sgw_sessions.c), and
 * the decoy sessions of unknown IMSIs in a table of their own, the decoys'
 * KSIs and vectors (daemon/sgw/sgw_decoys.c), the per-IMSI entries
 * (daemon/sgw/sgw_ues.c: the KSI sequence, the inner
 * addresses of the pool, the HSE TEIDs; records set and set back, and
 * restored at start: the KSI goes on, addresses and TEIDs are held, bad
 * records are refused). Time is driven by the test.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>

#include "aka/challenge_table.h"
#include "daemon/sgw/sgw_decoys.h"
#include "daemon/sgw/sgw_sessions.h"
#include "daemon/sgw/sgw_ues.h"
#include "tap.h"

/* ---- challenge_table ------------------------------------------------------ */

struct item {
	struct challenge_entry entry;	/* first: the container is the entry */
	int secret;
};

static int wiped, released;

static void item_wipe(struct challenge_entry *e)
{
	((struct item *)e)->secret = 0;
	wiped++;
}

static void item_release(struct challenge_entry *e)
{
	released++;
	free(e);
}

static const struct challenge_table_ops item_ops = {
	.wipe = item_wipe,
	.release = item_release,
};

static struct item *item(const char *key, int secret)
{
	struct item *it = calloc(1, sizeof(*it));

	if (!it)
		exit(2);
	snprintf(it->entry.key, sizeof(it->entry.key), "%s", key);
	it->secret = secret;
	return it;
}

static void test_challenge_table(void)
{
	struct challenge_table *t = NULL;
	struct item *a = item("a", 1), *b = item("b", 2), *dup = item("a", 9);
	struct item *c = item("c", 3), *d = item("d", 4);
	struct challenge_entry *e;

	ok(challenge_table_new(&t, 3, 1000, &item_ops) == 0, "table: made");
	ok(challenge_table_add(t, &a->entry, 0) == 0 &&
	   challenge_table_add(t, &b->entry, 100) == 0,
	   "table: two entries added");
	ok(challenge_table_add(t, &dup->entry, 200) == -EEXIST,
	   "table: a key twice is -EEXIST, the entry stays the caller's");
	free(dup);
	e = challenge_table_find(t, "a", 999);
	ok(e == &a->entry && !e->spent && e->expires_ms == 1000,
	   "table: found in its lifetime, pending, expires at 1000");
	challenge_table_spend(t, e);
	ok(a->secret == 0 && wiped == 1 && released == 0 && e->spent &&
	   challenge_table_find(t, "a", 999) == e,
	   "table: spent: wiped at once, the key still found");
	ok(challenge_table_count(t) == 2 && challenge_table_pending(t) == 1,
	   "table: 2 entries, 1 pending");
	ok(challenge_table_add(t, &c->entry, 300) == 0 &&
	   challenge_table_add(t, &d->entry, 400) == 0 &&
	   challenge_table_find(t, "a", 400) == NULL && released == 1 &&
	   wiped == 2,
	   "table: full, the oldest spent entry makes room (wiped again, released)");
	e = challenge_table_find(t, "b", 400);
	ok(e == &b->entry, "table: the pending one stayed");
	d = item("e", 5);
	ok(challenge_table_add(t, &d->entry, 500) == -ENOSPC,
	   "table: full of pending entries: -ENOSPC");
	ok(challenge_table_find(t, "b", 1099) == &b->entry &&
	   challenge_table_find(t, "b", 1100) == NULL && released == 2 &&
	   wiped == 3,
	   "table: at the end of its lifetime an entry is not found, and dropped");
	ok(challenge_table_add(t, &d->entry, 1100) == 0,
	   "table: then there is room");
	ok(challenge_table_expire(t, 1300) == 1 &&
	   challenge_table_count(t) == 2,
	   "table: expire drops c (added at 300), keeps d and e");
	challenge_table_free(t);
	ok(released == 5 && wiped == 6,
	   "table: free wipes and releases what is left");
}

/* The table of decoys: full, its oldest goes, pending or not. */
static void test_drop_oldest(void)
{
	struct challenge_table *t = NULL;
	struct item *a = item("a", 1), *b = item("b", 2), *c = item("c", 3);
	int wiped_before = wiped, released_before = released;

	ok(challenge_table_new(&t, 2, 1000, &item_ops) == 0 &&
	   !challenge_table_drop_oldest(t),
	   "drop oldest: an empty table has none");
	ok(challenge_table_add(t, &a->entry, 0) == 0 &&
	   challenge_table_add(t, &b->entry, 100) == 0 &&
	   challenge_table_add(t, &c->entry, 200) == -ENOSPC,
	   "drop oldest: two pending entries fill a table of 2");
	ok(challenge_table_drop_oldest(t) &&
	   wiped == wiped_before + 1 && released == released_before + 1 &&
	   challenge_table_find(t, "a", 200) == NULL &&
	   challenge_table_find(t, "b", 200) == &b->entry &&
	   challenge_table_count(t) == 1 && challenge_table_pending(t) == 1,
	   "drop oldest: the pending a goes (wiped, released), b stays");
	ok(challenge_table_add(t, &c->entry, 200) == 0 &&
	   challenge_table_count(t) == 2,
	   "drop oldest: then c has the room");
	challenge_table_free(t);
	ok(released == released_before + 3,
	   "drop oldest: free releases b and c");
}

/* The decoys' add: full of pending ones, the oldest goes, the new one in. */
static void test_add_forgetting(void)
{
	struct challenge_table *t = NULL;
	struct item *a = item("a", 1), *b = item("b", 2), *c = item("c", 3);
	int wiped_before = wiped, released_before = released;

	ok(challenge_table_new(&t, 2, 1000, &item_ops) == 0 &&
	   challenge_table_add_forgetting(t, &a->entry, 0) == 0 &&
	   challenge_table_add_forgetting(t, &b->entry, 100) == 0 &&
	   wiped == wiped_before && released == released_before,
	   "add forgetting: with room, as add: nothing dropped");
	ok(challenge_table_add_forgetting(t, &c->entry, 200) == 0 &&
	   wiped == wiped_before + 1 && released == released_before + 1 &&
	   challenge_table_find(t, "a", 200) == NULL &&
	   challenge_table_find(t, "b", 200) == &b->entry &&
	   challenge_table_find(t, "c", 200) == &c->entry &&
	   challenge_table_count(t) == 2 && challenge_table_pending(t) == 2,
	   "add forgetting: full of pending entries, a (the oldest) goes, c is in");
	challenge_table_free(t);
	ok(released == released_before + 3,
	   "add forgetting: free releases b and c");
}

/* ---- sgw_sessions ----------------------------------------------------------- */

static void session_from(struct sgw_session *s, uint8_t fill)
{
	memset(s, 0, sizeof(*s));
	strcpy(s->imsi, "001010000000001");
	memset(s->rand, fill, sizeof(s->rand));
	memset(s->autn, fill ^ 1, sizeof(s->autn));
	memset(s->xres, fill ^ 2, sizeof(s->xres));
	s->e2m = true;
	s->ksi = 5;
	strcpy(s->ue.address, "192.0.2.1");
	s->ue.port = 2152;
	s->ue.teid = 4097;
}

static void test_sessions(void)
{
	struct sgw_sessions *ss = NULL;
	struct sgw_session from, *s, *s2;
	uint8_t id[ATTACH_SESSION_LEN], xres[AKA_RES_STAR_LEN];
	char hex[2 * ATTACH_SESSION_LEN + 1];

	ok(sgw_sessions_new(&ss, 2, 2, SGW_SESSION_LIFETIME_MS) == 0,
	   "sessions: made (2 at most)");
	session_from(&from, 0x10);
	memcpy(xres, from.xres, sizeof(xres));
	ok(sgw_session_add(ss, &from, 0, &s) == 0, "sessions: added");
	hex_encode(hex, s->id, sizeof(s->id));
	ok(!strcmp(s->entry.key, hex) && !all_zero(s->id, sizeof(s->id)),
	   "sessions: the key is the random id in lower-case hex");
	ok(!strcmp(s->imsi, from.imsi) && !memcmp(s->rand, from.rand, 16) &&
	   !memcmp(s->autn, from.autn, 16) && !memcmp(s->xres, xres, 8) &&
	   s->e2m && s->ksi == 5 && s->ue.teid == 4097 &&
	   s->entry.expires_ms == 30000,
	   "sessions: IMSI, RAND, AUTN, XRES, e2m, KSI, endpoint kept; 30 s");
	memcpy(id, s->id, sizeof(id));
	ok(sgw_session_find(ss, id, 29999) == s, "sessions: found at 29.999 s");
	ok(sgw_session_add(ss, &from, 1, &s2) == 0 &&
	   memcmp(s2->id, id, sizeof(id)),
	   "sessions: a second one from the same vector has another id");
	ok(sgw_sessions_pending(ss) == 2 &&
	   sgw_session_add(ss, &from, 2, &s2) == -ENOSPC,
	   "sessions: 2 pending, a third is -ENOSPC");
	sgw_session_spend(ss, s);
	ok(s->entry.spent && all_zero(s->xres, sizeof(s->xres)) &&
	   sgw_session_find(ss, id, 3) == s && sgw_sessions_pending(ss) == 1,
	   "sessions: spent: XRES wiped, the id still found, 1 pending");
	ok(sgw_session_add(ss, &from, 4, &s2) == 0 &&
	   sgw_session_find(ss, id, 5) == NULL,
	   "sessions: a new one takes the spent one's room");
	ok(sgw_sessions_expire(ss, 30001) == 1 && sgw_sessions_pending(ss) == 1,
	   "sessions: at 30.001 s the one of 1 ms has expired, not the one of 4");
	sgw_sessions_free(ss);
}

/* Decoys: a table of their own, found alike, the oldest forgotten. */
static void test_decoy_sessions(void)
{
	struct sgw_sessions *ss = NULL;
	struct sgw_session from, *real, *real2, *a, *b, *c, *d;
	uint8_t id_a[ATTACH_SESSION_LEN], id_b[ATTACH_SESSION_LEN];

	ok(sgw_sessions_new(&ss, 2, 2, SGW_SESSION_LIFETIME_MS) == 0,
	   "decoy sessions: made (2 real, 2 decoys at most)");
	session_from(&from, 0x20);
	ok(sgw_session_add(ss, &from, 0, &real) == 0 && !real->decoy &&
	   sgw_session_add_decoy(ss, &from, 0, &a) == 0 && a->decoy &&
	   sgw_session_add_decoy(ss, &from, 1, &b) == 0 && b->decoy,
	   "decoy sessions: one real, two decoys added");
	memcpy(id_a, a->id, sizeof(id_a));
	memcpy(id_b, b->id, sizeof(id_b));
	ok(sgw_session_find(ss, id_a, 2) == a &&
	   sgw_session_find(ss, real->id, 2) == real &&
	   sgw_sessions_pending(ss) == 1 && sgw_sessions_decoys(ss) == 2,
	   "decoy sessions: found by id as a real one; counted apart (1 pending, 2 decoys)");
	ok(sgw_session_add_decoy(ss, &from, 3, &c) == 0 &&
	   sgw_session_find(ss, id_a, 3) == NULL &&
	   sgw_session_find(ss, id_b, 3) == b &&
	   sgw_sessions_decoys(ss) == 2,
	   "decoy sessions: full of pending decoys, the oldest is forgotten, never -ENOSPC");
	sgw_session_spend(ss, b);
	ok(b->entry.spent && sgw_session_find(ss, id_b, 4) == b,
	   "decoy sessions: spent, the id still found (a replay is told)");
	ok(sgw_session_add_decoy(ss, &from, 5, &d) == 0 &&
	   sgw_session_find(ss, id_b, 5) == NULL &&
	   sgw_session_find(ss, c->id, 5) == c,
	   "decoy sessions: the spent one makes room first");
	ok(sgw_session_add(ss, &from, 6, &real2) == 0 &&
	   sgw_sessions_pending(ss) == 2 &&
	   sgw_session_add(ss, &from, 7, &real2) == -ENOSPC,
	   "decoy sessions: the decoys took no real room: 2 real pending, a third -ENOSPC");
	ok(sgw_sessions_expire(ss, 30004) == 2 &&
	   sgw_sessions_decoys(ss) == 1 && sgw_sessions_pending(ss) == 1,
	   "decoy sessions: at 30.004 s the real one of 0 ms and the decoy of 3 ms have expired, not those of 5 and 6");
	sgw_sessions_free(ss);
}

/* ---- sgw_decoys ----------------------------------------------------------- */

static void test_decoy_ksi(void)
{
	struct sgw_decoys *d = NULL, *one = NULL;
	uint8_t k[20], first;
	size_t i;
	bool moves = true;

	ok(sgw_decoys_new(&d, 3) == -EINVAL && !d,
	   "decoys: slots must be a power of two");
	ok(sgw_decoys_new(&d, 64) == 0 && sgw_decoys_held(d) == 0,
	   "decoys: made, 64 slots, none held");
	for (i = 0; i < 20; i++)
		k[i] = sgw_decoy_next_ksi(d, "001010000000099");
	first = k[0];
	for (i = 1; i < 20; i++)
		moves = moves && k[i] == (k[i - 1] + 1) % 7;
	ok(first <= 6 && moves && sgw_decoys_held(d) == 1,
	   "decoys: an IMSI's KSI moves by 1 mod 7 on each attach, as a real one's");
	if (sgw_decoys_new(&one, 1))
		exit(2);
	first = sgw_decoy_next_ksi(one, "001010000000099");
	ok(sgw_decoy_next_ksi(one, "001010000000099") == (first + 1) % 7,
	   "decoys: a table of one slot holds one IMSI");
	first = sgw_decoy_next_ksi(one, "001010000000098");
	for (i = 0; i < 3; i++)
		sgw_decoy_next_ksi(one, "001010000000098");
	ok(sgw_decoy_next_ksi(one, "001010000000098") == (first + 4) % 7 &&
	   sgw_decoys_held(one) == 1,
	   "decoys: another IMSI takes the slot over at its own first KSI, and moves on");
	sgw_decoys_free(one);
	sgw_decoys_free(d);
	sgw_decoys_free(NULL);
}

static void test_decoy_vector(void)
{
	static const uint8_t amf[AKA_AMF_LEN] = { 0xc0, 0x00 };
	uint8_t r1[AKA_RAND_LEN], a1[AKA_AUTN_LEN], r2[AKA_RAND_LEN],
		a2[AKA_AUTN_LEN], r3[AKA_RAND_LEN], a3[AKA_AUTN_LEN];
	char long_imsi[BEST_IMSI_SIZE + 1];
	struct sgw_decoys *d = NULL, *d2 = NULL;

	if (sgw_decoys_new(&d, 8) || sgw_decoys_new(&d2, 8))
		exit(2);
	ok(sgw_decoy_vector(d, "001010000000099", amf, 0, r1, a1) == 0 &&
	   a1[6] == 0xc0 && a1[7] == 0x00 && !all_zero(r1, sizeof(r1)),
	   "decoys: RAND and AUTN, the AUTN with the AMF given");
	ok(sgw_decoy_vector(d, "001010000000099", amf, 0, r2, a2) == 0 &&
	   memcmp(r1, r2, sizeof(r1)) && memcmp(a1, a2, sizeof(a1)),
	   "decoys: the same IMSI at the same time again: another (its number)");
	ok(sgw_decoy_vector(d2, "001010000000099", amf, 0, r3, a3) == 0 &&
	   memcmp(r1, r3, sizeof(r1)),
	   "decoys: another secret: another RAND for the same IMSI, time, number");
	memset(long_imsi, '1', sizeof(long_imsi) - 1);
	long_imsi[sizeof(long_imsi) - 1] = '\0';
	ok(sgw_decoy_vector(d, long_imsi, amf, 0, r3, a3) == -EINVAL,
	   "decoys: an IMSI over the bound: -EINVAL");
	sgw_decoys_free(d2);
	sgw_decoys_free(d);
}

/* ---- sgw_ues ------------------------------------------------------------------ */

static struct config_ipv4_pool pool_of(const char *net, unsigned int prefix)
{
	struct config_ipv4_pool pool;
	struct in_addr addr;

	memset(&pool, 0, sizeof(pool));
	snprintf(pool.text, sizeof(pool.text), "%s/%u", net, prefix);
	inet_pton(AF_INET, net, &addr);
	pool.network = ntohl(addr.s_addr);
	pool.prefix = prefix;
	return pool;
}

static uint32_t ipv4(const char *text)
{
	struct in_addr addr;

	inet_pton(AF_INET, text, &addr);
	return ntohl(addr.s_addr);
}

static void test_ksi(struct sgw_ues *ues)
{
	static const uint8_t want[] = { 0, 1, 2, 3, 4, 5, 6, 0, 1 };
	struct sgw_ue *ue = sgw_ue_get(ues, "001010000000001");
	size_t i;
	bool good = ue && ue->last_ksi == SGW_KSI_NONE;

	for (i = 0; good && i < sizeof(want); i++)
		good = sgw_ue_next_ksi(ue) == want[i];
	ok(good, "ues: KSI 0, 1, .., 6, then 0 again (7 is no key)");
	ok(sgw_ue_get(ues, "001010000000001") == ue &&
	   sgw_ue_find(ues, "001010000000001") == ue &&
	   sgw_ue_find(ues, "001010000000002") == NULL &&
	   sgw_ues_count(ues) == 1,
	   "ues: get makes the entry once, find never makes one");
}

static void test_addresses(struct sgw_ues *ues)
{
	char imsi[BEST_IMSI_SIZE];
	struct sgw_ue *ue[6];
	uint32_t addr[6];
	int ret[6];
	size_t i;

	for (i = 0; i < 6; i++) {
		snprintf(imsi, sizeof(imsi), "00101000000010%zu", i);
		ue[i] = sgw_ue_get(ues, imsi);
		ret[i] = sgw_ue_inner_ipv4(ues, ue[i], &addr[i]);
	}
	ok(!ret[0] && addr[0] == ipv4("10.45.0.2") &&
	   !ret[4] && addr[4] == ipv4("10.45.0.6"),
	   "ues: a /29 gives .2 to .6 (not the network, gateway, broadcast)");
	ok(ret[5] == -ENOSPC && addr[5] == 0, "ues: the sixth: -ENOSPC");
	ok(!sgw_ue_inner_ipv4(ues, ue[2], &addr[5]) &&
	   addr[5] == ipv4("10.45.0.4"),
	   "ues: an IMSI keeps its address");
}

static void test_teids(struct sgw_ues *ues)
{
	struct sgw_ue *a = sgw_ue_get(ues, "001010000000201");
	struct sgw_ue *b = sgw_ue_get(ues, "001010000000202");
	struct attach_gtpu gtpu = { "192.0.2.1", 2152, 4097 };
	uint32_t first;

	ok(a && b && !a->hse_teid && !sgw_ue_new_teid(ues, a) &&
	   !sgw_ue_new_teid(ues, b) && a->hse_teid && b->hse_teid &&
	   a->hse_teid != b->hse_teid,
	   "ues: HSE TEIDs random, non-zero, distinct");
	sgw_ue_set_attached(ues, a, &gtpu);
	sgw_ue_set_attached(ues, a, &gtpu);
	ok(sgw_ues_attached(ues) == 1 && a->attached && a->ue.teid == 4097,
	   "ues: attached once, with the UE's endpoint");
	first = a->hse_teid;
	ok(!sgw_ue_new_teid(ues, a) && a->hse_teid != first && !a->attached &&
	   sgw_ues_attached(ues) == 0,
	   "ues: a new TEID releases the old context");
	sgw_ue_detach(ues, a);
	ok(!a->hse_teid && !a->attached && b->hse_teid,
	   "ues: detach releases the TEID, the other entry keeps its own");
}

/* ---- records and restore ------------------------------------------------- */

static struct sgw_ue_record record_of(const char *imsi, uint8_t ksi,
				      const char *inner, uint32_t teid,
				      uint32_t ue_teid)
{
	struct sgw_ue_record rec;

	memset(&rec, 0, sizeof(rec));
	snprintf(rec.imsi, sizeof(rec.imsi), "%s", imsi);
	rec.last_ksi = ksi;
	rec.inner_ipv4 = inner ? ipv4(inner) : 0;
	rec.hse_teid = teid;
	rec.attached = ue_teid != 0;
	if (ue_teid) {
		strcpy(rec.ue.address, "192.0.2.1");
		rec.ue.port = 2152;
		rec.ue.teid = ue_teid;
	}
	return rec;
}

/*
 * Another instance's addresses (sgw_ues_address_elsewhere()): a /24,
 * this instance's .2; the store refuses .3 (another's): never offered
 * again, and the cursor goes to the middle of the widest free run,
 * .4 .. .254 (251 hosts): .129. Then .128 (another's too) leaves runs
 * .4 .. .127 (124) and .129 .. .254 (126, .129 an entry's here now):
 * the widest, .130 .. .254 (125), its middle .192.
 */
static void test_elsewhere(void)
{
	struct config_ipv4_pool pool = pool_of("10.45.1.0", 24);
	struct sgw_ue_record rec;
	struct sgw_ues *ues = NULL;
	struct sgw_ue *a, *b, *c, *d;
	uint32_t addr[4] = { 0 };
	int ret;

	if (sgw_ues_new(&ues, &pool)) {
		ok(0, "elsewhere: made");
		return;
	}
	a = sgw_ue_get(ues, "001010000000301");
	b = sgw_ue_get(ues, "001010000000302");
	c = sgw_ue_get(ues, "001010000000303");
	d = sgw_ue_get(ues, "001010000000304");
	sgw_ue_inner_ipv4(ues, a, &addr[0]);
	sgw_ue_inner_ipv4(ues, b, &addr[1]);
	/* The store refused .3: the undo gives it back, as the store has
	 * B (no address). */
	rec = record_of(b->imsi, 0, NULL, 0, 0);
	ret = sgw_ue_set(ues, b, &rec);
	sgw_ues_address_elsewhere(ues, ipv4("10.45.1.3"));
	sgw_ue_inner_ipv4(ues, b, &addr[1]);
	ok(!ret && addr[0] == ipv4("10.45.1.2") &&
	   addr[1] == ipv4("10.45.1.129"),
	   "elsewhere: .3 another's: the next is .129, mid .4 .. .254");
	sgw_ues_address_elsewhere(ues, ipv4("10.45.1.128"));
	sgw_ue_inner_ipv4(ues, c, &addr[2]);
	ok(addr[2] == ipv4("10.45.1.192"),
	   "elsewhere: then .128 another's: .192, mid .130 .. .254");
	sgw_ues_address_elsewhere(ues, ipv4("10.46.0.3"));
	sgw_ue_inner_ipv4(ues, d, &addr[3]);
	ok(addr[3] == ipv4("10.45.1.193"),
	   "elsewhere: an address outside the pool changes nothing: .193");
	rec = record_of("001010000000305", 0, "10.45.1.3", 0, 0);
	ok(!sgw_ues_restore(ues, &rec, &(bool){ false }),
	   "elsewhere: the UE holding .3 moved here: its entry takes it");
	sgw_ues_free(ues);

	pool = pool_of("10.45.2.0", 30);	/* one host: .2 */
	if (sgw_ues_new(&ues, &pool)) {
		ok(0, "elsewhere: made");
		return;
	}
	a = sgw_ue_get(ues, "001010000000301");
	sgw_ues_address_elsewhere(ues, ipv4("10.45.2.2"));
	ok(sgw_ue_inner_ipv4(ues, a, &addr[0]) == -ENOSPC && !addr[0],
	   "elsewhere: a /30's one host another's: the pool is full, -ENOSPC");
	sgw_ues_free(ues);
}

/*
 * The cursor's move against a plain model of the pool (one bool a host):
 * a /22, 300 addresses named another's in a fixed pseudo-random order
 * (clustered and spread, whole bytes of the bitmaps free and taken),
 * each followed by a new entry's address, which must be the middle of
 * the model's first longest free run, until the pool is full.
 */
static void test_elsewhere_model(void)
{
	struct config_ipv4_pool pool = pool_of("10.45.4.0", 22);
	enum { HOSTS = 1024 };
	bool taken[HOSTS] = { false };
	uint32_t x = 12345, host, h, run, start, best, len, addr;
	char imsi[BEST_IMSI_SIZE];
	struct sgw_ues *ues = NULL;
	int i, bad = 0, full = -1;

	if (sgw_ues_new(&ues, &pool)) {
		ok(0, "elsewhere model: made");
		return;
	}
	for (i = 0; i < 300 && full < 0; i++) {
		x = x * 1103515245u + 12345u;
		host = 2 + (x >> 8) % (HOSTS - 3);
		if (i % 3)	/* a cluster: next to the last one named */
			host = 2 + (host % 64) + 512;
		taken[host] = true;
		sgw_ues_address_elsewhere(ues, pool.network + host);
		for (h = 2, run = 0, len = 0, best = 0, start = 0;
		     h + 1 < HOSTS; h++) {
			if (taken[h]) {
				run = 0;
				continue;
			}
			if (!run++)
				start = h;
			if (run > len) {
				len = run;
				best = start;
			}
		}
		snprintf(imsi, sizeof(imsi), "0010100000%05d", i);
		if (!len) {
			full = i;
			bad += sgw_ue_inner_ipv4(ues, sgw_ue_get(ues, imsi),
						 &addr) != -ENOSPC;
			break;
		}
		if (sgw_ue_inner_ipv4(ues, sgw_ue_get(ues, imsi), &addr) ||
		    addr != pool.network + best + len / 2)
			bad++;
		taken[addr - pool.network] = true;
	}
	ok(!bad && full < 0,
	   "elsewhere model: 300 addresses named another's, each next one"
	   " the middle of the longest free run (%d off)", bad);
	sgw_ues_free(ues);
}

/* A restarted SGW: the table made again from records, as the store had. */
static void test_restore(void)
{
	struct config_ipv4_pool pool = pool_of("10.45.0.0", 29);
	struct sgw_ue_record a = record_of("001010000000301", 6, "10.45.0.2",
					   0x1111, 4097);
	struct sgw_ue_record b = record_of("001010000000302", 2, "10.45.0.4",
					   0x2222, 0);
	struct sgw_ue_record rec;
	struct sgw_ues *ues = NULL;
	struct sgw_ue *ue;
	bool dropped = true;
	uint32_t addr[3];
	size_t i;

	if (sgw_ues_new(&ues, &pool)) {
		ok(0, "restore: made");
		return;
	}
	ok(sgw_ues_restore(ues, &a, &dropped) == 0 && !dropped &&
	   sgw_ues_restore(ues, &b, &dropped) == 0 && !dropped &&
	   sgw_ues_count(ues) == 2 && sgw_ues_attached(ues) == 1,
	   "restore: two entries, one attached");
	ue = sgw_ue_find(ues, a.imsi);
	ok(ue && ue->attached && ue->hse_teid == 0x1111 &&
	   ue->ue.teid == 4097 && ue->inner_ipv4 == ipv4("10.45.0.2") &&
	   sgw_ue_next_ksi(ue) == 0,
	   "restore: context kept; the KSI goes on from 6 to 0");
	ue = sgw_ue_find(ues, b.imsi);
	ok(ue && !ue->attached && ue->hse_teid == 0x2222 &&
	   sgw_ue_next_ksi(ue) == 3,
	   "restore: a TEID held without a context stays held; KSI 2 then 3");
	for (i = 0; i < 3; i++) {
		snprintf(rec.imsi, sizeof(rec.imsi), "00101000000031%zu", i);
		sgw_ue_inner_ipv4(ues, sgw_ue_get(ues, rec.imsi), &addr[i]);
	}
	ok(addr[0] == ipv4("10.45.0.3") && addr[1] == ipv4("10.45.0.5") &&
	   addr[2] == ipv4("10.45.0.6"),
	   "restore: new IMSIs get the addresses left (.3, .5, .6), not .2 or .4");

	rec = record_of(a.imsi, 1, NULL, 0, 0);
	ok(sgw_ues_restore(ues, &rec, &dropped) == -EEXIST,
	   "restore: an IMSI twice refused");
	rec = record_of("001010000000320", 1, "10.45.0.2", 0x3333, 0);
	ok(sgw_ues_restore(ues, &rec, &dropped) == -EEXIST,
	   "restore: an address another IMSI holds refused");
	rec = record_of("001010000000320", 1, NULL, 0x1111, 0);
	ok(sgw_ues_restore(ues, &rec, &dropped) == -EEXIST,
	   "restore: a TEID another IMSI holds refused");
	rec = record_of("001010000000320", 7, NULL, 0, 0);
	ok(sgw_ues_restore(ues, &rec, &dropped) == -EINVAL,
	   "restore: KSI 7 refused");
	rec = record_of("001010000000320", 1, NULL, 0x3333, 4097);
	ok(sgw_ues_restore(ues, &rec, &dropped) == -EINVAL,
	   "restore: a context without an address refused");
	rec = record_of("001010000000320", 1, "10.45.0.7", 0, 0);
	ok(sgw_ues_restore(ues, &rec, &dropped) == 0 && dropped,
	   "restore: the broadcast address is not the pool's: dropped");
	ok(sgw_ues_count(ues) == 6 && sgw_ues_attached(ues) == 1,
	   "restore: the refused records left nothing behind");
	sgw_ues_free(ues);
}

/* A pool changed between two runs: the KSI stays, the context goes. */
static void test_restore_other_pool(void)
{
	struct config_ipv4_pool pool = pool_of("10.46.0.0", 29);
	struct sgw_ue_record a = record_of("001010000000401", 4, "10.45.0.2",
					   0x1111, 4097);
	struct sgw_ues *ues = NULL;
	struct sgw_ue *ue;
	bool dropped = false;
	uint32_t addr = 0;

	if (sgw_ues_new(&ues, &pool)) {
		ok(0, "other pool: made");
		return;
	}
	ue = NULL;
	if (sgw_ues_restore(ues, &a, &dropped) == 0)
		ue = sgw_ue_find(ues, a.imsi);
	ok(ue && dropped && !ue->inner_ipv4 && !ue->hse_teid &&
	   !ue->attached && sgw_ues_attached(ues) == 0 && ue->last_ksi == 4,
	   "other pool: the address and its context dropped, KSI 4 kept");
	ok(!sgw_ue_inner_ipv4(ues, ue, &addr) && addr == ipv4("10.46.0.2") &&
	   !sgw_ue_new_teid(ues, ue) && ue->hse_teid != 0x1111,
	   "other pool: a new address of the new pool, a new TEID");
	sgw_ues_free(ues);
}

/* Setting an entry back after a change the store did not take. */
static void test_set_back(void)
{
	struct config_ipv4_pool pool = pool_of("10.45.0.0", 29);
	struct attach_gtpu gtpu = { "192.0.2.1", 2152, 4097 };
	struct sgw_ue_record before, rec;
	struct sgw_ues *ues = NULL;
	struct sgw_ue *ue, *fresh;
	uint32_t addr, old_teid;

	if (sgw_ues_new(&ues, &pool)) {
		ok(0, "set back: made");
		return;
	}
	ue = sgw_ue_get(ues, "001010000000501");
	sgw_ue_next_ksi(ue);
	sgw_ue_inner_ipv4(ues, ue, &addr);
	sgw_ue_new_teid(ues, ue);
	sgw_ue_set_attached(ues, ue, &gtpu);
	old_teid = ue->hse_teid;
	sgw_ue_record(ue, &before);
	sgw_ue_next_ksi(ue);
	sgw_ue_new_teid(ues, ue);
	ok(sgw_ue_set(ues, ue, &before) == 0 && ue->last_ksi == 0 &&
	   ue->hse_teid == old_teid && ue->attached && ue->ue.teid == 4097 &&
	   sgw_ues_attached(ues) == 1,
	   "set back: KSI, TEID and context as they were");
	fresh = sgw_ue_get(ues, "001010000000502");
	sgw_ue_record(fresh, &rec);
	rec.hse_teid = old_teid;
	ok(sgw_ue_set(ues, fresh, &rec) == -EEXIST && !fresh->hse_teid,
	   "set: another entry's TEID refused, nothing changed");
	sgw_ue_inner_ipv4(ues, fresh, &addr);
	ok(addr == ipv4("10.45.0.3"), "set: the fresh entry gets .3");
	sgw_ue_forget(ues, fresh);
	fresh = sgw_ue_get(ues, "001010000000503");
	sgw_ue_inner_ipv4(ues, fresh, &addr);
	ok(sgw_ues_count(ues) == 2 && addr == ipv4("10.45.0.4"),
	   "forget: the entry gone (the search goes on from .4)");
	sgw_ue_forget(ues, ue);
	ok(sgw_ues_count(ues) == 1 && sgw_ues_attached(ues) == 0 &&
	   !sgw_ue_find(ues, "001010000000501"),
	   "forget: an attached entry gone, its context with it");
	sgw_ues_free(ues);
}

int main(void)
{
	struct config_ipv4_pool pool = pool_of("10.45.0.0", 29);
	struct sgw_ues *ues = NULL;

	test_challenge_table();
	test_drop_oldest();
	test_add_forgetting();
	test_sessions();
	test_decoy_sessions();
	test_decoy_ksi();
	test_decoy_vector();
	if (sgw_ues_new(&ues, &pool)) {
		ok(0, "ues: made");
		return done_testing();
	}
	test_ksi(ues);
	test_addresses(ues);
	test_teids(ues);
	sgw_ues_free(ues);
	test_elsewhere();
	test_elsewhere_model();
	test_restore();
	test_restore_other_pool();
	test_set_back();
	return done_testing();
}
