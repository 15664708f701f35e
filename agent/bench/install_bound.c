// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel-only bound of the HSE's installs (Documentation/best.md,
 * "benchmark"): what the HSE's kernel work for a new device costs with
 * nothing around it. Per device, through the agent's own kernel client on
 * one generic netlink socket, one device after another as the HSE's one
 * event loop does them:
 *
 *	add_key		an e2mkeyset key into a keyring of its own
 *	FLOW_NEW	the device's flow (TEID, peer, inner IPv4 address)
 *	KEY_BIND	the key to the flow
 *
 * No network, no TLS, no HTTP, no store: best.sh runs it in the same boot
 * as best_bench and prints the HSE's installs/s as a ratio of this.
 *
 *	install_bound DEVICE COUNT FIRST-TEID
 *
 * COUNT devices are timed, TEIDs FIRST-TEID + 1 on, after one at FIRST-TEID
 * that is not (it pays the first bind's loading of crypto modules).
 * Prints kernel_install.per_s, .count, .wall_s and the per-device
 * latency's p50/p99/max, one name=value a line; then deletes its flows
 * and revokes its keys (not timed), so that the device is as it was. The
 * keys are made up from the TEID (benchmark keys, never anyone's secret).
 */
#include <arpa/inet.h>
#include <errno.h>
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

#define BOUND_KEYRING	"e2m-install-bound"
#define BOUND_KEY_ID	1
#define BOUND_PEER	"127.0.0.1"
#define BOUND_INNER	0x0a800002u	/* 10.128.0.2 on: outside best_bench's */

static void flow_of(struct e2m_flow *flow, uint32_t teid, size_t i)
{
	memset(flow, 0, sizeof(*flow));
	flow->local_teid = teid;
	flow->remote_teid = teid;
	e2m_ip_parse(BOUND_PEER, &flow->peer);
	flow->has_inner4 = true;
	flow->inner4.s_addr = htonl(BOUND_INNER + (uint32_t)i);
}

/* One device's kernel work, as the HSE does it for a new flow. */
static int install_one(struct genl_conn *nl, const char *dev,
		       key_serial_t ring, uint32_t teid, size_t i)
{
	struct e2m_keyset_payload payload;
	uint8_t k_enc[E2M_ALG_KEY_LEN], k_int[E2M_ALG_KEY_LEN];
	char description[64];
	struct e2m_flow flow;
	key_serial_t serial;
	int ret;

	memset(k_enc, 0x40, sizeof(k_enc));
	memset(k_int, 0x60, sizeof(k_int));
	memcpy(k_enc, &teid, sizeof(teid));
	memcpy(k_int, &teid, sizeof(teid));
	e2m_keyset_payload_init(&payload, BOUND_KEY_ID, E2M_ALG_AES,
				E2M_ALG_AES, k_enc, k_int, 0);
	snprintf(description, sizeof(description), "bound teid:%08x", teid);
	ret = e2m_keyset_add(ring, description, &payload, &serial);
	if (ret) {
		fprintf(stderr, "install_bound: add_key: %s\n", strerror(-ret));
		return ret;
	}
	flow_of(&flow, teid, i);
	ret = e2m_flow_new(nl, dev, &flow);
	if (!ret)
		ret = e2m_key_bind(nl, dev, teid, serial, 0);
	if (ret)
		fprintf(stderr, "install_bound: TEID %08x: %s\n", teid, nl->error);
	return ret;
}

static void clean_up(struct genl_conn *nl, const char *dev, key_serial_t ring,
		     uint32_t first, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		e2m_flow_del(nl, dev, first + (uint32_t)i);
	keyctl_clear(ring);
	keyctl_unlink(ring, KEY_SPEC_USER_KEYRING);
}

int main(int argc, char **argv)
{
	double start, wall, *latency;
	struct genl_conn nl;
	key_serial_t ring;
	uint32_t first;
	size_t n, i;
	int ret = 0;

	if (argc != 4 || !(n = strtoul(argv[2], NULL, 10)) || n > 0x0fffffff ||
	    !(first = strtoul(argv[3], NULL, 0)) ||
	    (uint64_t)first + n > UINT32_MAX) {
		fprintf(stderr, "usage: install_bound DEVICE COUNT FIRST-TEID\n");
		return 2;
	}
	latency = calloc(n, sizeof(*latency));
	if (!latency || genl_open(&nl)) {
		fprintf(stderr, "install_bound: no e2m family (module loaded?)\n");
		return 1;
	}
	ring = add_key("keyring", BOUND_KEYRING, NULL, 0, KEY_SPEC_USER_KEYRING);
	if (ring < 0) {
		perror("install_bound: keyring");
		return 1;
	}
	/*
	 * One device first, not timed: the first bind loads the crypto
	 * templates' modules (seconds in the VM), which the HSE pays once
	 * per boot, not per device.
	 */
	ret = install_one(&nl, argv[1], ring, first, 0);
	start = latency_now();
	for (i = 0; i < n && !ret; i++) {
		double t = latency_now();

		ret = install_one(&nl, argv[1], ring, first + 1 + (uint32_t)i,
				  i + 1);
		latency[i] = (latency_now() - t) * 1e3;
	}
	wall = latency_now() - start;
	clean_up(&nl, argv[1], ring, first, i + 1);
	if (!ret)
		latency_report("kernel_install", "per_s", latency, n, wall);
	genl_close(&nl);
	free(latency);
	return ret ? 1 : 0;
}
