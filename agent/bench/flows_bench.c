// SPDX-License-Identifier: GPL-2.0
/*
 * Many flows on one e2m device (selftests/bench/flows.sh, issue 18): makes,
 * binds, dumps and deletes the bench's flows through the agent's own
 * kernel client (kernel/e2m_flow.h), one request after another on one
 * generic netlink socket, as e2mctl and the HSE send them.
 *
 *	flows_bench add  DEVICE FROM COUNT	FLOW_NEW
 *	flows_bench bind DEVICE FROM COUNT	add_key, KEY_BIND
 *	flows_bench dump DEVICE FROM COUNT TOTAL
 *	flows_bench del  DEVICE FROM COUNT	FLOW_DEL
 *
 * The bench's flow number i (FROM <= i < FROM + COUNT) has local and
 * remote TEID FLOWS_TEID + i and inner IPv4 address FLOWS_INNER + i; its
 * peer is an address nobody answers on (its packets are never sent). add,
 * bind and del print flows_PHASE.per_s, .count, .wall_s and the
 * per-request latency's p50/p99/max, one name=value a line.
 *
 * dump reads every flow of the device in one FLOW_GET dump, which the
 * kernel spreads over many datagrams and resumes at a TEID each time, and
 * checks that it is whole: exactly TOTAL flows, each TEID once and in
 * ascending order, and exactly the bench's flows FROM .. FROM + COUNT - 1
 * among them (those of other TEIDs are counted in TOTAL only). Prints
 * flows_dump.flows, .bench_flows, .per_s, .wall_s; exits 1 if any check
 * fails.
 *
 * The keys bind makes are made up from the TEID (benchmark keys, never
 * anyone's secret), in a keyring of their own linked to the user keyring;
 * revoking them is left to the VM's end.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <keyutils.h>

#include "kernel/e2m_flow.h"
#include "kernel/e2m_keyset.h"
#include "kernel/genl.h"
#include "util/latency.h"

#define FLOWS_TEID	0x10000000u
#define FLOWS_MAX	0x00800000u	/* TEIDs and inner addresses stay apart */
#define FLOWS_INNER	0x0a800001u	/* 10.128.0.1 on: no test uses these */
#define FLOWS_PEER	"10.0.0.9"
#define FLOWS_KEYRING	"e2m-flows-bench"
#define FLOWS_KEY_ID	1

struct bench {
	struct genl_conn nl;
	const char *dev;
	uint32_t from, count;
	key_serial_t ring;
};

typedef int (*step_fn)(struct bench *b, uint32_t i);

static int add_one(struct bench *b, uint32_t i)
{
	struct e2m_flow flow;

	memset(&flow, 0, sizeof(flow));
	flow.local_teid = FLOWS_TEID + i;
	flow.remote_teid = FLOWS_TEID + i;
	e2m_ip_parse(FLOWS_PEER, &flow.peer);
	flow.has_inner4 = true;
	flow.inner4.s_addr = htonl(FLOWS_INNER + i);
	return e2m_flow_new(&b->nl, b->dev, &flow);
}

static int bind_one(struct bench *b, uint32_t i)
{
	struct e2m_keyset_payload payload;
	uint8_t k_enc[E2M_ALG_KEY_LEN], k_int[E2M_ALG_KEY_LEN];
	uint32_t teid = FLOWS_TEID + i;
	char description[64];
	key_serial_t serial;
	int ret;

	memset(k_enc, 0x50, sizeof(k_enc));
	memset(k_int, 0x70, sizeof(k_int));
	memcpy(k_enc, &teid, sizeof(teid));
	memcpy(k_int, &teid, sizeof(teid));
	e2m_keyset_payload_init(&payload, FLOWS_KEY_ID, E2M_ALG_AES,
				E2M_ALG_AES, k_enc, k_int, 0);
	snprintf(description, sizeof(description), "flows teid:%08x", teid);
	ret = e2m_keyset_add(b->ring, description, &payload, &serial);
	if (ret)
		return genl_set_error(&b->nl, ret, "add_key: %s", strerror(-ret));
	return e2m_key_bind(&b->nl, b->dev, teid, serial, 0);
}

static int del_one(struct bench *b, uint32_t i)
{
	return e2m_flow_del(&b->nl, b->dev, FLOWS_TEID + i);
}

/* Every flow of the bench's range, timed one by one. */
static int timed(struct bench *b, const char *name, step_fn step)
{
	double start, wall, *latency = calloc(b->count, sizeof(*latency));
	uint32_t i;
	int ret = 0;

	if (!latency)
		return -ENOMEM;
	start = latency_now();
	for (i = 0; i < b->count && !ret; i++) {
		double t = latency_now();

		ret = step(b, b->from + i);
		latency[i] = (latency_now() - t) * 1e3;
	}
	wall = latency_now() - start;
	if (ret)
		fprintf(stderr, "flows_bench: %s: TEID %08x: %s\n", name,
			FLOWS_TEID + b->from + i - 1, b->nl.error);
	else
		latency_report(name, "per_s", latency, b->count, wall);
	free(latency);
	return ret;
}

struct census {
	uint32_t from, count;
	uint64_t flows, bench_flows;
	int64_t last;			/* the last TEID seen; -1: none yet */
	bool ordered;
};

static int count_one(const struct e2m_flow *flow, void *arg)
{
	struct census *c = arg;
	uint32_t teid = flow->local_teid;

	if ((int64_t)teid <= c->last)
		c->ordered = false;
	c->last = teid;
	c->flows++;
	if (teid - FLOWS_TEID - c->from < c->count)
		c->bench_flows++;
	return 0;
}

static int dump(struct bench *b, uint64_t total)
{
	struct census c = { b->from, b->count, 0, 0, -1, true };
	double start = latency_now(), wall;
	int ret;

	ret = e2m_flow_dump(&b->nl, b->dev, count_one, &c);
	wall = latency_now() - start;
	if (ret) {
		fprintf(stderr, "flows_bench: dump: %s\n", b->nl.error);
		return ret;
	}
	printf("flows_dump.flows=%llu\n", (unsigned long long)c.flows);
	printf("flows_dump.bench_flows=%llu\n",
	       (unsigned long long)c.bench_flows);
	printf("flows_dump.wall_s=%.3f\n", wall);
	printf("flows_dump.per_s=%.0f\n", wall > 0 ? c.flows / wall : 0);
	if (!c.ordered)
		fprintf(stderr, "flows_bench: dump: a TEID twice or out of order\n");
	if (c.flows != total)
		fprintf(stderr, "flows_bench: dump: %llu flows, not %llu\n",
			(unsigned long long)c.flows,
			(unsigned long long)total);
	if (c.bench_flows != b->count)
		fprintf(stderr, "flows_bench: dump: %llu of the bench's flows, not %u\n",
			(unsigned long long)c.bench_flows, b->count);
	return c.ordered && c.flows == total && c.bench_flows == b->count ?
	       0 : -EPROTO;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: flows_bench add|bind|del DEVICE FROM COUNT\n"
		"       flows_bench dump DEVICE FROM COUNT TOTAL\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct bench b = { .ring = -1 };
	unsigned long long from, count, total = 0;
	const char *cmd;
	int ret;

	if (argc < 5)
		return usage();
	cmd = argv[1];
	b.dev = argv[2];
	from = strtoull(argv[3], NULL, 0);
	count = strtoull(argv[4], NULL, 0);
	if (from >= FLOWS_MAX || count > FLOWS_MAX - from ||
	    (strcmp(cmd, "dump") ? argc != 5 : argc != 6))
		return usage();
	if (argc == 6)
		total = strtoull(argv[5], NULL, 0);
	b.from = (uint32_t)from;
	b.count = (uint32_t)count;
	if (genl_open(&b.nl)) {
		fprintf(stderr, "flows_bench: %s\n", b.nl.error);
		return 1;
	}
	if (!strcmp(cmd, "add")) {
		ret = timed(&b, "flows_add", add_one);
	} else if (!strcmp(cmd, "del")) {
		ret = timed(&b, "flows_del", del_one);
	} else if (!strcmp(cmd, "dump")) {
		ret = dump(&b, total);
	} else if (!strcmp(cmd, "bind")) {
		b.ring = add_key("keyring", FLOWS_KEYRING, NULL, 0,
				 KEY_SPEC_USER_KEYRING);
		ret = b.ring < 0 ? -errno : timed(&b, "flows_bind", bind_one);
		if (b.ring < 0)
			perror("flows_bench: keyring");
	} else {
		ret = usage();
	}
	genl_close(&b.nl);
	return ret ? 1 : 0;
}
