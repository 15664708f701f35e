// SPDX-License-Identifier: GPL-2.0
/*
 * daemon/bsf/bsf_challenges.c: what a challenge keeps, the nonce and opaque
 * it gets, spending (secrets wiped, the nonce kept), expiry, and the
 * bound (expired ones, then the oldest spent one, make room; pending ones
 * never do), the IMPI's newest pending challenge handed out again while
 * enough of its lifetime is left; the decoys of unknown IMPIs, kept as
 * real ones but in a bounded table of their own that forgets its oldest
 * rather than refusing, and never takes a real one's room. Time is driven
 * by the test.
 */
#include <ctype.h>
#include <errno.h>

#include "daemon/bsf/bsf_challenges.h"
#include "tap.h"

#define LIFETIME	1000	/* ms */
#define MAX		4
#define DECOYS		3

static void vector(struct zh_av_response *av, uint8_t fill)
{
	memset(av, 0, sizeof(*av));
	strcpy(av->impi, "user1@home1.net");
	memset(av->rand, fill, sizeof(av->rand));
	memset(av->autn, fill ^ 0x01, sizeof(av->autn));
	memset(av->xres, fill ^ 0x02, sizeof(av->xres));
	memset(av->ck, fill ^ 0x03, sizeof(av->ck));
	memset(av->ik, fill ^ 0x04, sizeof(av->ik));
	av->gba_u = fill & 1;
}

static void test_add_find_spend(struct bsf_challenges *t)
{
	struct zh_av_response av;
	struct bsf_challenge *c, *again;
	char nonce[DIGEST_AKA_NONCE_LEN + 1], opaque[BSF_OPAQUE_LEN + 1];
	size_t i;

	vector(&av, 0x11);
	ok(bsf_challenge_add(t, &av, "[{\"naf\":\"naf1.test\"}]", 0, &c) == 0,
	   "add: a challenge");
	digest_aka_nonce_encode(nonce, av.rand, av.autn);
	for (i = 0; i < BSF_OPAQUE_LEN && isxdigit((unsigned char)c->opaque[i]);
	     i++)
		;
	ok(!strcmp(c->nonce, nonce) && i == BSF_OPAQUE_LEN &&
	   !c->opaque[BSF_OPAQUE_LEN],
	   "add: nonce base64(RAND || AUTN), opaque 32 hex digits");
	ok(!strcmp(c->impi, av.impi) && !memcmp(c->rand, av.rand, 16) &&
	   !memcmp(c->xres, av.xres, 8) && !memcmp(c->ck, av.ck, 16) &&
	   !memcmp(c->ik, av.ik, 16) && c->gba_u &&
	   !strcmp(c->uss, "[{\"naf\":\"naf1.test\"}]") && !c->entry.spent &&
	   c->entry.expires_ms == LIFETIME,
	   "add: IMPI, RAND, XRES, CK, IK, GBA_U, USS kept; expires in its lifetime");
	strcpy(opaque, c->opaque);
	ok(bsf_challenge_add(t, &av, "", 10, &again) == -EEXIST && !again &&
	   bsf_challenges_count(t) == 1,
	   "add: the same RAND and AUTN again: -EEXIST, nothing added");
	vector(&av, 0x22);
	ok(bsf_challenge_add(t, &av, "", 10, &again) == 0 &&
	   strcmp(again->opaque, opaque) && !strcmp(again->uss, ""),
	   "add: another, with its own opaque");
	ok(bsf_challenge_find(t, nonce, 999) == c &&
	   !bsf_challenge_find(t, "QUFB", 999) &&
	   bsf_challenges_pending(t) == 2,
	   "find: by nonce; an unknown nonce is NULL");
	bsf_challenge_spend(t, c);
	ok(c->entry.spent && all_zero(c->xres, 8) && all_zero(c->ck, 16) &&
	   all_zero(c->ik, 16) && !c->uss && !strcmp(c->nonce, nonce),
	   "spend: XRES, CK, IK and USS wiped, the nonce kept");
	bsf_challenge_spend(t, c);
	ok(bsf_challenge_find(t, nonce, 999) == c &&
	   bsf_challenges_pending(t) == 1 && bsf_challenges_count(t) == 2,
	   "spend: still found (a replay is told apart), no longer pending");
	ok(!bsf_challenge_find(t, nonce, LIFETIME) &&
	   bsf_challenges_count(t) == 1,
	   "find: at its expiry a challenge is gone");
	ok(bsf_challenges_expire(t, LIFETIME + 10) == 1 &&
	   bsf_challenges_count(t) == 0 && bsf_challenges_pending(t) == 0,
	   "expire: the rest goes at its time");
}

static void test_bound(struct bsf_challenges *t)
{
	struct bsf_challenge *c[MAX + 1];
	struct zh_av_response av;
	uint8_t i;
	int ret = 0;

	for (i = 0; i < MAX && !ret; i++) {
		vector(&av, (uint8_t)(0x40 + i));
		ret = bsf_challenge_add(t, &av, "", 5000 + i, &c[i]);
	}
	ok(!ret && bsf_challenges_count(t) == MAX, "bound: %d added", MAX);
	vector(&av, 0x50);
	ok(bsf_challenge_add(t, &av, "", 5100, &c[MAX]) == -ENOSPC &&
	   bsf_challenges_count(t) == MAX,
	   "bound: full of pending ones, the next is -ENOSPC");
	bsf_challenge_spend(t, c[2]);
	bsf_challenge_spend(t, c[1]);
	ok(bsf_challenge_add(t, &av, "", 5100, &c[MAX]) == 0 &&
	   bsf_challenges_count(t) == MAX &&
	   bsf_challenge_find(t, c[MAX]->nonce, 5100) == c[MAX],
	   "bound: the oldest spent one makes room");
	vector(&av, 0x41);
	{
		char nonce[DIGEST_AKA_NONCE_LEN + 1];

		digest_aka_nonce_encode(nonce, av.rand, av.autn);
		ok(!bsf_challenge_find(t, nonce, 5100) &&
		   bsf_challenge_find(t, c[2]->nonce, 5100) == c[2] &&
		   bsf_challenge_find(t, c[0]->nonce, 5100) == c[0],
		   "bound: it was the oldest spent, the older pending one stays");
	}
	{
		char first[DIGEST_AKA_NONCE_LEN + 1];
		struct bsf_challenge *added;

		strcpy(first, c[0]->nonce);
		vector(&av, 0x60);
		ok(bsf_challenge_add(t, &av, "", 5000 + LIFETIME,
				     &added) == 0 &&
		   bsf_challenges_count(t) == MAX &&
		   !bsf_challenge_find(t, first, 5000 + LIFETIME),
		   "bound: once the first expired, adding drops it: room again");
	}
}

static void vector_for(struct zh_av_response *av, uint8_t fill,
		       const char *impi)
{
	vector(av, fill);
	strcpy(av->impi, impi);
}

static void test_pending_for(void)
{
	struct bsf_challenge *a, *b, *c, *other;
	struct bsf_challenges *t;
	struct zh_av_response av;

	if (bsf_challenges_new(&t, MAX, DECOYS, LIFETIME))
		exit(2);
	ok(!bsf_challenge_pending_for(t, "user1@home1.net", 0, 0),
	   "pending for: none before any challenge");
	vector_for(&av, 0x21, "user1@home1.net");
	bsf_challenge_add(t, &av, "", 0, &a);
	vector_for(&av, 0x22, "user2@home1.net");
	bsf_challenge_add(t, &av, "", 0, &other);
	ok(bsf_challenge_pending_for(t, "user1@home1.net", 100, 500) == a &&
	   bsf_challenge_pending_for(t, "user2@home1.net", 100, 500) == other &&
	   !bsf_challenge_pending_for(t, "user3@home1.net", 100, 500),
	   "pending for: each IMPI its own, none for a third");
	ok(bsf_challenge_pending_for(t, "user1@home1.net", 500, 500) == a &&
	   !bsf_challenge_pending_for(t, "user1@home1.net", 501, 500),
	   "pending for: only while min_left of its lifetime is left");
	vector_for(&av, 0x23, "user1@home1.net");
	bsf_challenge_add(t, &av, "", 200, &b);
	ok(bsf_challenge_pending_for(t, "user1@home1.net", 300, 500) == b &&
	   bsf_challenge_find(t, a->nonce, 300) == a,
	   "pending for: the newest of an IMPI; the older one still answerable");
	bsf_challenge_spend(t, b);
	ok(!bsf_challenge_pending_for(t, "user1@home1.net", 300, 0) &&
	   bsf_challenge_pending_for(t, "user2@home1.net", 300, 0) == other,
	   "pending for: none once spent (the older one is not handed out)");
	vector_for(&av, 0x24, "user1@home1.net");
	bsf_challenge_add(t, &av, "", 400, &c);
	ok(bsf_challenge_pending_for(t, "user1@home1.net", 400, 0) == c &&
	   !bsf_challenge_pending_for(t, "user2@home1.net", LIFETIME + 1, 0),
	   "pending for: a new one after the spent; an expired one is gone");
	bsf_challenges_free(t);
}

static bool nonce_octets(const char *nonce, uint8_t rand[AKA_RAND_LEN],
			 uint8_t autn[AKA_AUTN_LEN])
{
	return strlen(nonce) == DIGEST_AKA_NONCE_LEN &&
	       digest_aka_nonce_decode(nonce, rand, autn) == 0;
}

static void test_decoy(void)
{
	static const uint8_t amf[AKA_AMF_LEN] = { 0x80, 0x01 };
	uint8_t rand[AKA_RAND_LEN], autn[AKA_AUTN_LEN], rand2[AKA_RAND_LEN];
	char long_impi[STORE_IMPI_MAX + 2], nonce[DIGEST_AKA_NONCE_LEN + 1];
	struct bsf_challenge *d, *d2, *other, *real;
	struct bsf_challenges *t, *t2;
	struct zh_av_response av;
	size_t i;

	if (bsf_challenges_new(&t, MAX, DECOYS, LIFETIME) ||
	    bsf_challenges_new(&t2, MAX, DECOYS, LIFETIME))
		exit(2);
	ok(bsf_challenge_add_decoy(t, "nobody@home1.net", amf, 0, &d) == 0 &&
	   d->decoy && !strcmp(d->impi, "nobody@home1.net") &&
	   d->entry.expires_ms == LIFETIME && !d->entry.spent &&
	   !strcmp(d->uss, ""),
	   "decoy: added for the IMPI, a challenge's lifetime, no USS");
	for (i = 0; i < BSF_OPAQUE_LEN && isxdigit((unsigned char)d->opaque[i]);
	     i++)
		;
	ok(nonce_octets(d->nonce, rand, autn) && i == BSF_OPAQUE_LEN &&
	   !memcmp(d->rand, rand, sizeof(rand)) &&
	   autn[BSF_AUTN_AMF_AT] == 0x80 && autn[BSF_AUTN_AMF_AT + 1] == 0x01,
	   "decoy: nonce base64(RAND || AUTN) of 32 octets, AUTN with the AMF given, opaque 32 hex digits");
	ok(all_zero(d->xres, 8) && all_zero(d->ck, 16) && all_zero(d->ik, 16) &&
	   !d->gba_u,
	   "decoy: no XRES, CK, IK (nothing it holds is a key)");
	ok(bsf_challenge_pending_for(t, "nobody@home1.net", 100, 500) == d &&
	   bsf_challenge_find(t, d->nonce, 100) == d,
	   "decoy: handed out again in its window, found by its nonce, as a real one");
	ok(bsf_challenge_add_decoy(t, "nobody@home1.net", amf, 0, &d2) == 0 &&
	   strcmp(d2->nonce, d->nonce) && strcmp(d2->opaque, d->opaque) &&
	   bsf_challenge_pending_for(t, "nobody@home1.net", 100, 500) == d2,
	   "decoy: a new one for the same IMPI at the same time is another (its number)");
	ok(bsf_challenge_add_decoy(t2, "nobody@home1.net", amf, 0, &other) == 0 &&
	   nonce_octets(other->nonce, rand2, autn) && memcmp(rand, rand2, 16),
	   "decoy: another table (another secret): another RAND for the same IMPI, time, number");
	vector_for(&av, 0x31, "user1@home1.net");
	ok(bsf_challenge_add(t, &av, "", 0, &real) == 0 && !real->decoy,
	   "decoy: a real challenge is none");
	memset(long_impi, 'a', sizeof(long_impi) - 1);
	long_impi[sizeof(long_impi) - 1] = '\0';
	ok(bsf_challenge_add_decoy(t, long_impi, amf, 0, &other) == -EINVAL &&
	   !other,
	   "decoy: an IMPI over the bound: -EINVAL, none");
	bsf_challenge_spend(t, d);
	ok(d->entry.spent && bsf_challenge_find(t, d->nonce, 100) == d &&
	   !strcmp(bsf_challenge_pending_for(t, "nobody@home1.net", 100, 0)->nonce,
		   d2->nonce),
	   "decoy: spent, its nonce kept (a replay is told), as a real one");
	ok(bsf_challenges_count(t) == 1 && bsf_challenges_pending(t) == 1 &&
	   bsf_challenges_decoys(t) == 2,
	   "decoy: counted apart: 1 real challenge (pending), 2 decoys");
	ok(bsf_challenge_add_decoy(t, "more@home1.net", amf, 0, &other) == 0 &&
	   bsf_challenges_decoys(t) == DECOYS,
	   "decoy: a third fills the decoys' table (3)");
	strcpy(nonce, d->nonce);
	ok(bsf_challenge_add_decoy(t, "full@home1.net", amf, 0, &other) == 0 &&
	   other && bsf_challenges_decoys(t) == DECOYS &&
	   !bsf_challenge_find(t, nonce, 100) &&
	   bsf_challenge_find(t, d2->nonce, 100) == d2 &&
	   bsf_challenge_pending_for(t, "full@home1.net", 100, 500) == other,
	   "decoy: full, the spent d makes room first, as in the real table");
	strcpy(nonce, d2->nonce);
	for (i = 0; i < 10; i++) {
		snprintf(long_impi, sizeof(long_impi), "flood%zu@home1.net", i);
		if (bsf_challenge_add_decoy(t, long_impi, amf, 200, &other))
			break;
	}
	ok(i == 10 && bsf_challenges_decoys(t) == DECOYS &&
	   !bsf_challenge_find(t, nonce, 200) &&
	   !bsf_challenge_pending_for(t, "nobody@home1.net", 200, 0),
	   "decoy: full of pending ones, a flood of 10 more: all made (the oldest forgotten), still 3, nobody's d2 gone");
	vector_for(&av, 0x32, "user2@home1.net");
	ok(bsf_challenge_add(t, &av, "", 200, &real) == 0,
	   "decoy: the flood took no real challenge's room: a second real one fits");
	vector_for(&av, 0x33, "user3@home1.net");
	bsf_challenge_add(t, &av, "", 200, &real);
	vector_for(&av, 0x34, "user4@home1.net");
	ok(bsf_challenge_add(t, &av, "", 200, &real) == 0 &&
	   bsf_challenges_pending(t) == MAX,
	   "decoy: the real table fills to its own 4");
	vector_for(&av, 0x35, "user5@home1.net");
	ok(bsf_challenge_add(t, &av, "", 200, &real) == -ENOSPC && !real &&
	   bsf_challenge_add_decoy(t, "after@home1.net", amf, 200, &other) == 0,
	   "decoy: real ones full: -ENOSPC for a real one, a decoy still made");
	bsf_challenges_free(t2);
	bsf_challenges_free(t);
}

int main(void)
{
	struct bsf_challenges *t;

	if (bsf_challenges_new(&t, MAX, DECOYS, LIFETIME))
		return 2;
	test_add_find_spend(t);
	test_bound(t);
	test_pending_for();
	test_decoy();
	bsf_challenges_free(t);	/* with challenges in it: ASan sees leaks */
	bsf_challenges_free(NULL);
	ok(1, "free: a full table and NULL");
	return done_testing();
}
