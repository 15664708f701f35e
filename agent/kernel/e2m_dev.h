/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The device commands of the e2m family (uapi/linux/e2m.h), over a struct
 * genl_conn (genl.h): read one or every e2m device with its options and
 * counters, and change its options (E2M_CMD_DEV_GET, E2M_CMD_DEV_SET).
 *
 * Every function returns 0 or a negative errno with conn->error set.
 */
#ifndef E2M_KERNEL_E2M_DEV_H
#define E2M_KERNEL_E2M_DEV_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include <linux/e2m.h>
#include "e2m_stats.h"
#include "genl.h"

/* What DEV_GET says of a device. */
struct e2m_dev {
	char name[IF_NAMESIZE];
	uint32_t ifindex;
	uint8_t role;			/* enum e2m_role, 0: none yet */
	uint16_t port;
	uint32_t replay_window, count_notify, count_limit;
	uint32_t nflows;
	uint32_t staged_bytes;		/* truesize waiting for keys, all flows */
	/* E2M_A_RX_CPUS: the CPUs receive is steered to; 0 words: off. */
	uint32_t rx_cpus[E2M_RX_CPUS_MAX_LEN / 4];
	size_t rx_cpus_words;
	struct e2m_stats stats;		/* drops that belong to no flow */
	struct e2m_stats totals;	/* the device's and all its flows' */
};

/* What DEV_SET changes: only the options marked has_*. */
struct e2m_dev_settings {
	bool has_role, has_port, has_window, has_notify, has_limit;
	bool has_rx_cpus;
	uint8_t role;
	uint16_t port;
	uint32_t window, notify, limit;
	uint32_t rx_cpus[E2M_RX_CPUS_MAX_LEN / 4];	/* 0 words: off */
	size_t rx_cpus_words;
};

/* The device ifname: its ifindex and role (enum e2m_role, 0: none yet). */
int e2m_dev_get(struct genl_conn *conn, const char *ifname,
		uint32_t *ifindex, uint8_t *role);

/*
 * The device ifname, or every e2m device when ifname is NULL (in the
 * kernel's order): fn gets each and returns 0 or stops.
 */
typedef int (*e2m_dev_fn)(const struct e2m_dev *dev, void *arg);
int e2m_dev_dump(struct genl_conn *conn, const char *ifname, e2m_dev_fn fn,
		 void *arg);

int e2m_dev_set(struct genl_conn *conn, const char *ifname,
		const struct e2m_dev_settings *settings);

#endif /* E2M_KERNEL_E2M_DEV_H */
