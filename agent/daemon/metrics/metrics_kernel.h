/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The e2m module's counters of the devices this e2md's roles hold
 * (role_ops.kernel_devices: the HSE's "device"), read at scrape time: per
 * device, never per flow.
 *
 *	e2m_kernel_module_loaded		1, or 0 when the e2m generic
 *						netlink family is not there
 *						(then no series below)
 *	e2m_device_present{device}		0 when the module has no such
 *						device (then none of its own)
 *	e2m_device_flows{device}
 *	e2m_device_drops_total{device,reason}	every E2M_STATS_A_DROP_*,
 *						by its e2mctl name
 *
 * The device's own counters are the packets no flow took: a flow's
 * traffic and drops are counted on the flow (Documentation/datapath.md,
 * "Counters"), so its rx and tx stay 0 and are not shown; the device's
 * traffic is in its netdev counters (ip -s link, node_exporter).
 *
 * The cost is bounded: one netlink socket and one DEV_GET per device per
 * scrape, METRICS_KERNEL_DEVICES_MAX devices at most. The reads go
 * through a struct metrics_kernel_source, the module's through
 * kernel/e2m_dev.h (metrics_kernel_netlink) or a test's fake.
 */
#ifndef E2MD_METRICS_KERNEL_H
#define E2MD_METRICS_KERNEL_H

#include <stddef.h>

#include "kernel/e2m_dev.h"
#include "prom_text.h"

#define METRICS_KERNEL_DEVICES_MAX	8

struct metrics_kernel_source {
	/* 0; -ENOENT when the module is not loaded; else a failure. */
	int (*open)(void *arg);
	/* 0 with *dev; -ENODEV (or -ENOENT) when there is no such device. */
	int (*read)(void *arg, const char *device, struct e2m_dev *dev);
	void (*close)(void *arg);
	void *arg;
};

/* The module through a generic netlink socket; arg a struct genl_conn. */
extern const struct metrics_kernel_source metrics_kernel_netlink;

/*
 * The series of devices (n of them, at most METRICS_KERNEL_DEVICES_MAX
 * read), nothing when n is 0.
 */
void metrics_kernel_write(struct prom_text *text,
			  const struct metrics_kernel_source *source,
			  const char *const *devices, size_t n);

#endif /* E2MD_METRICS_KERNEL_H */
