// SPDX-License-Identifier: GPL-2.0
/*
 * secure_alloc.c: memory for secrets is in mappings the kernel leaves out
 * of core dumps (VmFlags "dd" in /proc/self/smaps), zeroed when handed
 * out, wiped when freed, and given back when a chunk empties.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "util/secure_alloc.h"
#include "tap.h"

/* ASan intercepts mlock() as a no-op that reports success. */
#if defined(__SANITIZE_ADDRESS__)
#define MLOCK_IS_REAL	0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MLOCK_IS_REAL	0
#endif
#endif
#ifndef MLOCK_IS_REAL
#define MLOCK_IS_REAL	1
#endif

/*
 * The VmFlags line of the mapping that holds p, in flags ("" when p is
 * in no mapping); whether it was found.
 */
static bool vm_flags(const void *p, char *flags, size_t size)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	uintptr_t at = (uintptr_t)p;
	unsigned long lo, hi;
	bool inside = false, found = false;
	char line[512];

	flags[0] = '\0';
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 &&
		    strchr(line, '-') < strchr(line, ' ')) {
			inside = at >= lo && at < hi;
			continue;
		}
		if (inside && !strncmp(line, "VmFlags:", 8)) {
			snprintf(flags, size, "%s", line + 8 + strspn(line + 8, " "));
			flags[strcspn(flags, "\n")] = '\0';
			found = true;
			break;
		}
	}
	fclose(f);
	return found;
}

/* Whether VmFlags has the two-letter flag (" dd "). */
static bool has_flag(const char *flags, const char *flag)
{
	char padded[600], want[8];

	snprintf(padded, sizeof(padded), " %s ", flags);
	snprintf(want, sizeof(want), " %s ", flag);
	return strstr(padded, want) != NULL;
}

static void test_not_dumped(void)
{
	uint8_t *small = secure_calloc(32), *large = secure_calloc(10000);
	char flags[512];

	ok(small && all_zero(small, 32), "a small allocation, zeroed");
	ok(vm_flags(small, flags, sizeof(flags)) && has_flag(flags, "dd"),
	   "its mapping is not dumped (VmFlags dd): %s", flags);
	ok(large && all_zero(large, 10000), "a large one (10000), zeroed");
	ok(vm_flags(large, flags, sizeof(flags)) && has_flag(flags, "dd"),
	   "its mapping is not dumped either: %s", flags);
	if (MLOCK_IS_REAL)
		ok(!secure_locked(large) || has_flag(flags, "lo"),
		   "locked when it says so (VmFlags lo): %s", flags);
	else
		ok(1, "locked when it says so # SKIP ASan's mlock() does nothing");
	memset(large, 0x5a, 10000);
	secure_free(large);
	ok(!vm_flags(large, flags, sizeof(flags)),
	   "a large one freed: its mapping is gone");
	secure_free(small);
}

static void test_wiped(void)
{
	uint8_t *a = secure_calloc(48), *b = secure_calloc(48), *c;

	ok(a && b && a != b, "two in one size class");
	memset(a, 0xa5, 48);
	memset(b, 0x3c, 48);
	secure_free(a);
	/* b keeps the chunk mapped: what a held can be read back. */
	ok(all_zero(a, 64), "freed: its whole slot is wiped");
	ok(b[0] == 0x3c && b[47] == 0x3c, "the other one is untouched");
	c = secure_calloc(40);
	ok(c == a && all_zero(c, 40), "the slot is handed out again, zeroed");
	secure_free(b);
	secure_free(c);
	ok(!vm_flags(a, (char[512]){ 0 }, 512),
	   "the chunk's last slot freed: the chunk is given back");
}

static void test_many(void)
{
	enum { N = 3000 };
	static uint8_t *p[N];
	bool good = true;
	size_t i;

	for (i = 0; i < N; i++) {
		p[i] = secure_calloc(64 + i % 200);
		if (!p[i] || !all_zero(p[i], 64 + i % 200))
			good = false;
		else
			memset(p[i], (int)(i & 0xff) | 1, 64 + i % 200);
	}
	ok(good, "%d allocations of 64..263 octets, over several chunks", N);
	for (i = 0; i < N; i++) {
		if (p[i][0] != ((i & 0xff) | 1) ||
		    p[i][63 + i % 200] != ((i & 0xff) | 1))
			good = false;
	}
	ok(good, "none overlaps another");
	for (i = 0; i < N; i += 2)
		secure_free(p[i]);
	for (i = 1; i < N; i += 2)
		secure_free(p[i]);
	ok(!vm_flags(p[0], (char[512]){ 0 }, 512) &&
	   !vm_flags(p[N - 1], (char[512]){ 0 }, 512),
	   "all freed: every chunk given back");
}

static void test_openssl_heap(void)
{
	char flags[512];
	void *p;

	ok(secure_alloc_openssl() == 0 && CRYPTO_secure_malloc_initialized(),
	   "OpenSSL's secure heap set up");
	ok(secure_alloc_openssl() == 0, "a second call is harmless");
	p = OPENSSL_secure_zalloc(32);
	ok(p && CRYPTO_secure_allocated(p) &&
	   vm_flags(p, flags, sizeof(flags)) && has_flag(flags, "dd"),
	   "what OpenSSL keeps there is not dumped: %s", flags);
	OPENSSL_secure_clear_free(p, 32);
}

static void test_edges(void)
{
	errno = 0;
	ok(!secure_calloc(0) && errno == EINVAL, "0 octets: NULL, EINVAL");
	secure_free(NULL);
	ok(1, "freeing NULL does nothing");
}

int main(void)
{
	plan(19);
	test_not_dumped();
	test_wiped();
	test_many();
	test_openssl_heap();
	test_edges();
	return done_testing();
}
