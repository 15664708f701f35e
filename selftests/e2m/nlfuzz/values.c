// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <limits.h>
#include <stdatomic.h>
#include <string.h>

#include <linux/e2m.h>

#include "keys.h"
#include "rng.h"
#include "target.h"
#include "values.h"

static const uint32_t teid_pool_fixed[] = { 1, 2, 3, 7, 100, 200, 0x7fffffff, 0xffffffff };

/* TEIDs of flows the fuzzer created, so that deeper commands find them. */
static uint32_t known_teids[64];

void teid_created(uint32_t teid)
{
	known_teids[below(64)] = teid;
}

uint32_t pick_teid(void)
{
	uint32_t known = known_teids[below(64)];

	if (target.nteids && chance(30))
		return target.teids[below(target.nteids)];
	if (known && chance(50))
		return known;
	if (chance(20))
		return BULK_TEID + below(BULK_MAX);
	return teid_pool_fixed[below(sizeof(teid_pool_fixed) / sizeof(teid_pool_fixed[0]))];
}

static uint32_t pick_v4(uint32_t given, const char *const *pool, int n)
{
	struct in_addr a;

	if (given && chance(60))
		return given;
	inet_pton(AF_INET, pool[below(n)], &a);
	return a.s_addr;
}

static const char *const peer4_pool[] = {
	"10.0.0.1", "10.0.0.2", "127.0.0.1", "0.0.0.0", "255.255.255.255",
	"224.0.0.1", "10.0.0.99",
};
static const char *const inner4_pool[] = {
	"192.168.100.1", "192.168.100.2", "192.168.100.3", "192.168.100.4",
	"0.0.0.0", "224.0.0.5",
};
static const char *const v6_pool[] = {
	"::1", "::", "fd00::1", "fd00::2", "::ffff:10.0.0.2", "ff02::1",
	"fd00:100::2", "fd00:100::3", "fe80::1",
};

static key_serial_t pick_serial(void)
{
	key_serial_t s;

	switch (below(10)) {
	case 0:
		return target.user_key;
	case 1:
		return (key_serial_t)(1 + below(INT_MAX));
	case 2:
		return target.user_keyring;
	default:
		s = atomic_load(&keys.serial[below(KEY_POOL)]);
		return s > 0 ? s : 1;
	}
}

/* A value the policy accepts (the command may still refuse it). */
long long valid_value(const struct attr_spec *a)
{
	switch (a->pool) {
	case P_IFINDEX:
		return target.ifindex;
	case P_TEID:
		return pick_teid();
	case P_PEER4:
		return pick_v4(target.peer4, peer4_pool, 7);
	case P_INNER4:
		return pick_v4(target.inner4, inner4_pool, 6);
	case P_SERIAL:
		return pick_serial();
	case P_MASK:
		return a->max ? (long long)(rnd() & a->max) : 0;
	case P_PORT:
		if (chance(80))
			return E2M_GTPU_PORT;
		break;
	default:
		break;
	}
	switch (below(4)) {
	case 0: return a->min;
	case 1: return a->max;
	case 2: return a->min + below(8) <= a->max ? a->min + below(8) : a->min;
	default:
		return a->min + (long long)(rnd() % (uint64_t)(a->max - a->min + 1));
	}
}

void put_value(struct msg *m, int type, enum kind kind, long long v)
{
	uint8_t u8 = v;
	uint16_t u16 = v;
	uint32_t u32 = v;

	switch (kind) {
	case K_U8: attr_put(m, type, &u8, 1); break;
	case K_U16: attr_put(m, type, &u16, 2); break;
	default: attr_put(m, type, &u32, 4); break;
	}
}

void put_valid(struct msg *m, const struct attr_spec *a)
{
	struct in6_addr a6;

	if (a->kind == K_IFNAME) {
		const char *name = chance(80) ? target.dev : chance(50) ? "lo" : "nosuch0";

		attr_put(m, a->type, name, strlen(name) + 1);
	} else if (a->kind == K_IN6) {
		inet_pton(AF_INET6, v6_pool[below(9)], &a6);
		attr_put(m, a->type, &a6, sizeof(a6));
	} else {
		put_value(m, a->type, a->kind, valid_value(a));
	}
}
