// SPDX-License-Identifier: GPL-2.0
/*
 * The challenge table, see challenge_table.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "challenge_table.h"

#define BUCKETS		4096		/* a power of two */

struct challenge_table {
	size_t max;
	uint64_t lifetime_ms;
	const struct challenge_table_ops *ops;
	size_t count;
	size_t pending;
	struct challenge_entry *oldest, *newest;
	struct challenge_entry *buckets[BUCKETS];
};

/* FNV-1a: the keys are random, an even spread needs nothing stronger. */
static size_t bucket_of(const char *key)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (; *key; key++) {
		h ^= (uint8_t)*key;
		h *= 0x100000001b3ull;
	}
	return (size_t)(h & (BUCKETS - 1));
}

int challenge_table_new(struct challenge_table **out, size_t max,
			uint64_t lifetime_ms,
			const struct challenge_table_ops *ops)
{
	struct challenge_table *table = calloc(1, sizeof(*table));

	*out = table;
	if (!table)
		return -ENOMEM;
	table->max = max;
	table->lifetime_ms = lifetime_ms;
	table->ops = ops;
	return 0;
}

static void unchain(struct challenge_table *table, struct challenge_entry *e)
{
	struct challenge_entry **link = &table->buckets[bucket_of(e->key)];

	while (*link && *link != e)
		link = &(*link)->chain;
	if (*link)
		*link = e->chain;
}

static void drop(struct challenge_table *table, struct challenge_entry *e)
{
	unchain(table, e);
	if (e->older)
		e->older->newer = e->newer;
	else
		table->oldest = e->newer;
	if (e->newer)
		e->newer->older = e->older;
	else
		table->newest = e->older;
	table->count--;
	if (!e->spent)
		table->pending--;
	table->ops->wipe(e);
	table->ops->release(e);
}

void challenge_table_free(struct challenge_table *table)
{
	if (!table)
		return;
	while (table->oldest)
		drop(table, table->oldest);
	free(table);
}

size_t challenge_table_expire(struct challenge_table *table, uint64_t now_ms)
{
	size_t n = 0;

	while (table->oldest && table->oldest->expires_ms <= now_ms) {
		drop(table, table->oldest);
		n++;
	}
	return n;
}

bool challenge_table_drop_oldest(struct challenge_table *table)
{
	if (!table->oldest)
		return false;
	drop(table, table->oldest);
	return true;
}

int challenge_table_add_forgetting(struct challenge_table *table,
				   struct challenge_entry *entry,
				   uint64_t now_ms)
{
	int ret = challenge_table_add(table, entry, now_ms);

	if (ret == -ENOSPC && challenge_table_drop_oldest(table))
		ret = challenge_table_add(table, entry, now_ms);
	return ret;
}

/* Room for one more: expired ones out, then the oldest spent one. */
static int make_room(struct challenge_table *table, uint64_t now_ms)
{
	struct challenge_entry *e;

	challenge_table_expire(table, now_ms);
	if (table->count < table->max)
		return 0;
	for (e = table->oldest; e && !e->spent; e = e->newer)
		;
	if (!e)
		return -ENOSPC;
	drop(table, e);
	return 0;
}

static struct challenge_entry *lookup(const struct challenge_table *table,
				      const char *key)
{
	struct challenge_entry *e = table->buckets[bucket_of(key)];

	while (e && strcmp(e->key, key))
		e = e->chain;
	return e;
}

int challenge_table_add(struct challenge_table *table,
			struct challenge_entry *e, uint64_t now_ms)
{
	size_t b;
	int ret = make_room(table, now_ms);

	if (ret)
		return ret;
	if (lookup(table, e->key))
		return -EEXIST;
	e->spent = false;
	e->expires_ms = now_ms + table->lifetime_ms;
	b = bucket_of(e->key);
	e->chain = table->buckets[b];
	table->buckets[b] = e;
	e->newer = NULL;
	e->older = table->newest;
	if (table->newest)
		table->newest->newer = e;
	else
		table->oldest = e;
	table->newest = e;
	table->count++;
	table->pending++;
	return 0;
}

struct challenge_entry *challenge_table_find(struct challenge_table *table,
					     const char *key,
					     uint64_t now_ms)
{
	struct challenge_entry *e = lookup(table, key);

	if (e && e->expires_ms <= now_ms) {
		drop(table, e);
		return NULL;
	}
	return e;
}

void challenge_table_spend(struct challenge_table *table,
			   struct challenge_entry *e)
{
	if (e->spent)
		return;
	table->ops->wipe(e);
	e->spent = true;
	table->pending--;
}

size_t challenge_table_count(const struct challenge_table *table)
{
	return table->count;
}

size_t challenge_table_pending(const struct challenge_table *table)
{
	return table->pending;
}
