// SPDX-License-Identifier: GPL-2.0
/*
 * The HSS's window of e2m key sets: see hss_window.h.
 */
#include <errno.h>
#include <search.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "hss_window.h"

struct window_entry {
	struct keyset_response ks;	/* secret: K_enc, K_int */
	int64_t expires;
	struct window_entry *prev, *next;	/* in order of expiry */
};

struct hss_window {
	void *by_rand;			/* tsearch trees of struct window_entry */
	void *by_sqn;
	struct window_entry *head, *tail;	/* head expires first */
	size_t count;
	size_t capacity;
};

static int compare_rand(const void *a, const void *b)
{
	const struct window_entry *x = a, *y = b;
	int c = strcmp(x->ks.imsi, y->ks.imsi);

	return c ? c : memcmp(x->ks.rand, y->ks.rand, sizeof(x->ks.rand));
}

static int compare_sqn(const void *a, const void *b)
{
	const struct window_entry *x = a, *y = b;
	int c = strcmp(x->ks.imsi, y->ks.imsi);

	return c ? c : memcmp(x->ks.sqn, y->ks.sqn, sizeof(x->ks.sqn));
}

struct hss_window *hss_window_new(size_t capacity)
{
	struct hss_window *window;

	if (!capacity)
		return NULL;
	window = calloc(1, sizeof(*window));
	if (window)
		window->capacity = capacity;
	return window;
}

/* ---- the list in order of expiry ----------------------------------------- */

static void list_unlink(struct hss_window *w, struct window_entry *e)
{
	if (e->prev)
		e->prev->next = e->next;
	else
		w->head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		w->tail = e->prev;
	e->prev = e->next = NULL;
}

/*
 * From the tail: with one window length for all, a new entry goes last,
 * so this is O(1) but after a reload that shortened the window.
 */
static void list_insert(struct hss_window *w, struct window_entry *e)
{
	struct window_entry *after = w->tail;

	while (after && after->expires > e->expires)
		after = after->prev;
	e->prev = after;
	e->next = after ? after->next : w->head;
	if (e->next)
		e->next->prev = e;
	else
		w->tail = e;
	if (after)
		after->next = e;
	else
		w->head = e;
}

/* ---- entries ------------------------------------------------------------- */

static void drop(struct hss_window *w, struct window_entry *e)
{
	tdelete(e, &w->by_rand, compare_rand);
	tdelete(e, &w->by_sqn, compare_sqn);
	list_unlink(w, e);
	w->count--;
	OPENSSL_cleanse(e, sizeof(*e));
	free(e);
}

/* The entry a tree holds for key, or NULL. */
static struct window_entry *lookup(void *const *root, const struct window_entry *key,
			    int (*compare)(const void *, const void *))
{
	struct window_entry *const *found = tfind(key, root, compare);

	return found ? *found : NULL;
}

static void drop_same_run(struct hss_window *w, const struct window_entry *key)
{
	struct window_entry *old = lookup(&w->by_rand, key, compare_rand);

	if (old)
		drop(w, old);
	old = lookup(&w->by_sqn, key, compare_sqn);
	if (old)
		drop(w, old);
}

static int insert(struct hss_window *w, struct window_entry *e)
{
	if (!tsearch(e, &w->by_rand, compare_rand))
		return -ENOMEM;
	if (!tsearch(e, &w->by_sqn, compare_sqn)) {
		tdelete(e, &w->by_rand, compare_rand);
		return -ENOMEM;
	}
	list_insert(w, e);
	w->count++;
	return 0;
}

int hss_window_add(struct hss_window *window,
		   const struct keyset_response *ks, int64_t expires,
		   int64_t now, bool *evicted)
{
	struct window_entry *e;

	if (evicted)
		*evicted = false;
	hss_window_purge(window, now);
	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->ks = *ks;
	e->expires = expires;
	drop_same_run(window, e);
	if (window->count == window->capacity) {
		drop(window, window->head);
		if (evicted)
			*evicted = true;
	}
	if (insert(window, e)) {
		OPENSSL_cleanse(e, sizeof(*e));
		free(e);
		return -ENOMEM;
	}
	return 0;
}

int hss_window_find(struct hss_window *window,
		    const struct keyset_request *req, int64_t now,
		    struct keyset_response *out)
{
	struct window_entry key, *e;

	memset(&key, 0, sizeof(key));
	memcpy(key.ks.imsi, req->imsi, sizeof(key.ks.imsi));
	if (req->by == KEYSET_BY_RAND) {
		memcpy(key.ks.rand, req->rand, sizeof(key.ks.rand));
		e = lookup(&window->by_rand, &key, compare_rand);
	} else {
		memcpy(key.ks.sqn, req->sqn, sizeof(key.ks.sqn));
		e = lookup(&window->by_sqn, &key, compare_sqn);
	}
	if (!e)
		return -ENOENT;
	if (now >= e->expires) {
		drop(window, e);
		return -ENOENT;
	}
	*out = e->ks;
	return 0;
}

size_t hss_window_purge(struct hss_window *window, int64_t now)
{
	size_t dropped = 0;

	while (window->head && now >= window->head->expires) {
		drop(window, window->head);
		dropped++;
	}
	return dropped;
}

size_t hss_window_count(const struct hss_window *window)
{
	return window->count;
}

void hss_window_free(struct hss_window *window)
{
	if (!window)
		return;
	while (window->head)
		drop(window, window->head);
	free(window);
}
