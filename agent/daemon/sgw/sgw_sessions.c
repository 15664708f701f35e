// SPDX-License-Identifier: GPL-2.0
/*
 * The SGW's attach sessions, see sgw_sessions.h.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "util/hex.h"
#include "util/secure_alloc.h"
#include "sgw_sessions.h"

struct sgw_sessions {
	struct challenge_table *table;
	struct challenge_table *decoys;
};

static struct sgw_session *of(struct challenge_entry *e)
{
	return (struct sgw_session *)((char *)e -
				      offsetof(struct sgw_session, entry));
}

static void entry_wipe(struct challenge_entry *e)
{
	struct sgw_session *s = of(e);

	OPENSSL_cleanse(s->xres, sizeof(s->xres));
}

static void entry_release(struct challenge_entry *e)
{
	struct sgw_session *s = of(e);

	secure_free(s);		/* wiped */
}

static const struct challenge_table_ops ops = {
	.wipe = entry_wipe,
	.release = entry_release,
};

int sgw_sessions_new(struct sgw_sessions **out, size_t max,
		     size_t decoys_max, uint64_t lifetime_ms)
{
	struct sgw_sessions *t = calloc(1, sizeof(*t));

	*out = NULL;
	if (!t)
		return -ENOMEM;
	if (challenge_table_new(&t->table, max, lifetime_ms, &ops) ||
	    challenge_table_new(&t->decoys, decoys_max, lifetime_ms, &ops)) {
		challenge_table_free(t->table);
		free(t);
		return -ENOMEM;
	}
	*out = t;
	return 0;
}

void sgw_sessions_free(struct sgw_sessions *t)
{
	if (!t)
		return;
	challenge_table_free(t->table);
	challenge_table_free(t->decoys);
	free(t);
}

/* A decoy forgets the oldest one of its table rather than be refused. */
static int table_add(struct sgw_sessions *t, struct sgw_session *s,
		     uint64_t now_ms)
{
	if (s->decoy)
		return challenge_table_add_forgetting(t->decoys, &s->entry,
						      now_ms);
	return challenge_table_add(t->table, &s->entry, now_ms);
}

static int add(struct sgw_sessions *t, const struct sgw_session *from,
	       bool decoy, uint64_t now_ms, struct sgw_session **out)
{
	/* XRES waits here: in memory no core dump shows. */
	struct sgw_session *s = secure_calloc(sizeof(*s));
	int ret;

	*out = NULL;
	if (!s)
		return -ENOMEM;
	*s = *from;
	memset(&s->entry, 0, sizeof(s->entry));
	s->decoy = decoy;
	if (RAND_bytes(s->id, sizeof(s->id)) != 1) {
		entry_release(&s->entry);
		return -EIO;
	}
	hex_encode(s->entry.key, s->id, sizeof(s->id));
	ret = table_add(t, s, now_ms);
	if (ret) {
		entry_release(&s->entry);
		return ret;
	}
	*out = s;
	return 0;
}

int sgw_session_add(struct sgw_sessions *t, const struct sgw_session *from,
		    uint64_t now_ms, struct sgw_session **out)
{
	return add(t, from, false, now_ms, out);
}

int sgw_session_add_decoy(struct sgw_sessions *t,
			  const struct sgw_session *from, uint64_t now_ms,
			  struct sgw_session **out)
{
	return add(t, from, true, now_ms, out);
}

struct sgw_session *sgw_session_find(struct sgw_sessions *t,
				     const uint8_t id[ATTACH_SESSION_LEN],
				     uint64_t now_ms)
{
	char key[2 * ATTACH_SESSION_LEN + 1];
	struct challenge_entry *e, *d;

	hex_encode(key, id, ATTACH_SESSION_LEN);
	/* Both looked in, whichever holds it: the same work for each. */
	e = challenge_table_find(t->table, key, now_ms);
	d = challenge_table_find(t->decoys, key, now_ms);
	return e ? of(e) : d ? of(d) : NULL;
}

void sgw_session_spend(struct sgw_sessions *t, struct sgw_session *s)
{
	challenge_table_spend(s->decoy ? t->decoys : t->table, &s->entry);
}

size_t sgw_sessions_expire(struct sgw_sessions *t, uint64_t now_ms)
{
	return challenge_table_expire(t->table, now_ms) +
	       challenge_table_expire(t->decoys, now_ms);
}

size_t sgw_sessions_pending(const struct sgw_sessions *t)
{
	return challenge_table_pending(t->table);
}

size_t sgw_sessions_decoys(const struct sgw_sessions *t)
{
	return challenge_table_count(t->decoys);
}
