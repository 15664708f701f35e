// SPDX-License-Identifier: GPL-2.0
/* See secure_alloc.h. */
#define _DEFAULT_SOURCE		/* MAP_ANONYMOUS, madvise(), mlock() */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "secure_alloc.h"

#define MAGIC_CHUNK	0x65326d53u	/* "e2mS" */
#define MAGIC_LARGE	0x65326d4cu	/* "e2mL" */
#define N_CLASSES	7		/* 64, 128, ... 4096 */
#define SLOTS_MAX	(SECURE_CHUNK / SECURE_SLOT_MIN)

/*
 * The head of every mapping, at its start (SECURE_CHUNK-aligned, so that
 * a pointer finds it by masking). A chunk's slots follow its head's
 * first slot; a large allocation follows its head, at HEAD_SIZE.
 */
struct head {
	uint32_t magic;
	bool locked;
	size_t length;			/* of the mapping */
	/* A chunk's: */
	size_t slot;			/* its size class */
	size_t used;
	struct head *prev, *next;	/* the class's chunks */
	uint64_t busy[SLOTS_MAX / 64];
};

#define HEAD_SIZE	((sizeof(struct head) + 63) & ~(size_t)63)

static struct head *classes[N_CLASSES];

static size_t class_of(size_t size, size_t *slot)
{
	size_t c = 0;

	*slot = SECURE_SLOT_MIN;
	while (*slot < size) {
		*slot *= 2;
		c++;
	}
	return c;
}

/*
 * A mapping of length octets at a SECURE_CHUNK boundary, marked and
 * locked: more is mapped, and what lies outside the boundary unmapped.
 */
static struct head *map_aligned(size_t length)
{
	size_t extra = SECURE_CHUNK, lead;
	uint8_t *raw = mmap(NULL, length + extra, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct head *h;

	if (raw == MAP_FAILED)
		return NULL;
	lead = (SECURE_CHUNK - (uintptr_t)raw % SECURE_CHUNK) % SECURE_CHUNK;
	if (lead)
		munmap(raw, lead);
	if (extra - lead)
		munmap(raw + lead + length, extra - lead);
	h = (struct head *)(raw + lead);
	if (madvise(h, length, MADV_DONTDUMP)) {
		munmap(h, length);
		return NULL;
	}
	h->length = length;
	h->locked = mlock(h, length) == 0;
	return h;
}

static void unmap(struct head *h)
{
	size_t length = h->length;
	bool locked = h->locked;

	OPENSSL_cleanse(h, length);
	if (locked)
		munlock(h, length);
	munmap(h, length);
}

static size_t slots_of(const struct head *chunk)
{
	return (SECURE_CHUNK - HEAD_SIZE) / chunk->slot;
}

static uint8_t *slot_at(struct head *chunk, size_t i)
{
	return (uint8_t *)chunk + HEAD_SIZE + i * chunk->slot;
}

static void *take_slot(struct head *chunk)
{
	size_t i, n = slots_of(chunk);

	for (i = 0; i < n; i++) {
		if (!(chunk->busy[i / 64] & (UINT64_C(1) << (i % 64)))) {
			chunk->busy[i / 64] |= UINT64_C(1) << (i % 64);
			chunk->used++;
			return slot_at(chunk, i);
		}
	}
	return NULL;
}

static void *alloc_small(size_t size)
{
	size_t slot, c = class_of(size, &slot);
	struct head *chunk;

	for (chunk = classes[c]; chunk; chunk = chunk->next) {
		if (chunk->used < slots_of(chunk))
			return take_slot(chunk);
	}
	chunk = map_aligned(SECURE_CHUNK);
	if (!chunk)
		return NULL;
	chunk->magic = MAGIC_CHUNK;
	chunk->slot = slot;
	chunk->next = classes[c];
	if (classes[c])
		classes[c]->prev = chunk;
	classes[c] = chunk;
	return take_slot(chunk);
}

static void *alloc_large(size_t size)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t length = (HEAD_SIZE + size + page - 1) / page * page;
	struct head *h;

	if (size > SIZE_MAX - HEAD_SIZE - page) {
		errno = ENOMEM;
		return NULL;
	}
	h = map_aligned(length);
	if (!h)
		return NULL;
	h->magic = MAGIC_LARGE;
	return (uint8_t *)h + HEAD_SIZE;
}

void *secure_calloc(size_t size)
{
	if (!size) {
		errno = EINVAL;
		return NULL;
	}
	return size <= SECURE_SLOT_MAX ? alloc_small(size) : alloc_large(size);
}

static struct head *head_of(const void *p)
{
	return (struct head *)((uintptr_t)p & ~(uintptr_t)(SECURE_CHUNK - 1));
}

static void free_slot(struct head *chunk, uint8_t *p)
{
	size_t i = (size_t)(p - slot_at(chunk, 0)) / chunk->slot, c;

	OPENSSL_cleanse(p, chunk->slot);
	chunk->busy[i / 64] &= ~(UINT64_C(1) << (i % 64));
	if (--chunk->used)
		return;
	c = class_of(chunk->slot, &i);
	if (chunk->prev)
		chunk->prev->next = chunk->next;
	else
		classes[c] = chunk->next;
	if (chunk->next)
		chunk->next->prev = chunk->prev;
	unmap(chunk);
}

void secure_free(void *p)
{
	struct head *h;

	if (!p)
		return;
	h = head_of(p);
	if (h->magic == MAGIC_LARGE)
		unmap(h);
	else if (h->magic == MAGIC_CHUNK)
		free_slot(h, p);
}

bool secure_locked(const void *p)
{
	return p && head_of(p)->locked;
}

int secure_alloc_openssl(void)
{
	/* 1: locked; 2: not locked (RLIMIT_MEMLOCK), still not dumped. */
	if (CRYPTO_secure_malloc_initialized() ||
	    CRYPTO_secure_malloc_init(SECURE_OPENSSL_HEAP, 16))
		return 0;
	return -ENOMEM;
}
