// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's per-device counters as metrics, see metrics_kernel.h.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "metrics_kernel.h"

static const struct {
	int attr;
	const char *reason;	/* as e2mctl dev show names it */
} drops[] = {
	{ E2M_STATS_A_DROP_NO_FLOW, "no-flow" },
	{ E2M_STATS_A_DROP_BAD_HEADER, "bad-header" },
	{ E2M_STATS_A_DROP_TOO_SHORT, "too-short" },
	{ E2M_STATS_A_DROP_AUTH, "auth" },
	{ E2M_STATS_A_DROP_REPLAY, "replay" },
	{ E2M_STATS_A_DROP_DEAD_KEY, "dead-key" },
	{ E2M_STATS_A_DROP_NO_KEY, "no-key" },
	{ E2M_STATS_A_DROP_COUNTER_EXHAUSTED, "counter-exhausted" },
	{ E2M_STATS_A_DROP_INNER, "inner" },
	{ E2M_STATS_A_DROP_NOT_GPDU, "not-gpdu" },
	{ E2M_STATS_A_DROP_NO_ROUTE, "no-route" },
	{ E2M_STATS_A_DROP_NOMEM, "nomem" },
	{ E2M_STATS_A_DROP_CRYPTO, "crypto" },
	{ E2M_STATS_A_DROP_STAGE_FULL, "stage-full" },
	{ E2M_STATS_A_DROP_STAGE_DEVICE_FULL, "stage-device-full" },
	{ E2M_STATS_A_DROP_STAGE_EXPIRED, "stage-expired" },
	{ E2M_STATS_A_DROP_STAGE_FLUSHED, "stage-flushed" },
	{ E2M_STATS_A_DROP_STEER_FULL, "steer-full" },
};

#define N_DROPS (sizeof(drops) / sizeof(drops[0]))

/* ---- the module, over generic netlink --------------------------------- */

static int netlink_open(void *arg)
{
	return genl_open(arg);
}

struct one_dev {
	struct e2m_dev *dev;
	bool found;
};

static int copy_dev(const struct e2m_dev *dev, void *arg)
{
	struct one_dev *one = arg;

	*one->dev = *dev;
	one->found = true;
	return 0;
}

static int netlink_read(void *arg, const char *device, struct e2m_dev *dev)
{
	struct one_dev one = { dev, false };
	int ret = e2m_dev_dump(arg, device, copy_dev, &one);

	if (!ret && !one.found)
		ret = -ENODEV;
	return ret;
}

static void netlink_close(void *arg)
{
	genl_close(arg);
}

/* One scrape at a time on the one loop: one connection's worth of state. */
static struct genl_conn netlink_conn;

const struct metrics_kernel_source metrics_kernel_netlink = {
	.open = netlink_open,
	.read = netlink_read,
	.close = netlink_close,
	.arg = &netlink_conn,
};

/* ---- writing ----------------------------------------------------------- */

/* The device's totals: its own counts and every flow's, deleted ones too. */
static void write_drops(struct prom_text *text, const char *device,
			const struct e2m_dev *dev)
{
	struct prom_label labels[2] = { { "device", device } };
	size_t i;

	for (i = 0; i < N_DROPS; i++) {
		labels[1] = (struct prom_label){ "reason", drops[i].reason };
		prom_sample_u64(text, "e2m_device_drops_total", labels, 2,
				dev->totals.value[drops[i].attr]);
	}
}

/* name{device, direction="rx"} and {direction="tx"} from the totals. */
static void write_rx_tx(struct prom_text *text, const char *name,
			const char *device, const struct e2m_dev *dev,
			int rx_attr, int tx_attr)
{
	struct prom_label labels[2] = { { "device", device } };

	labels[1] = (struct prom_label){ "direction", "rx" };
	prom_sample_u64(text, name, labels, 2, dev->totals.value[rx_attr]);
	labels[1] = (struct prom_label){ "direction", "tx" };
	prom_sample_u64(text, name, labels, 2, dev->totals.value[tx_attr]);
}

void metrics_kernel_write(struct prom_text *text,
			  const struct metrics_kernel_source *source,
			  const char *const *devices, size_t n)
{
	struct e2m_dev dev[METRICS_KERNEL_DEVICES_MAX];
	bool present[METRICS_KERNEL_DEVICES_MAX];
	struct prom_label label = { "device", NULL };
	size_t i;
	int ret;

	if (!n)
		return;
	if (n > METRICS_KERNEL_DEVICES_MAX)
		n = METRICS_KERNEL_DEVICES_MAX;
	ret = source->open(source->arg);
	prom_family(text, "e2m_kernel_module_loaded", "gauge",
		    "1 when the e2m module answers on generic netlink, 0 when it is not loaded (and no device series follow).");
	prom_sample_u64(text, "e2m_kernel_module_loaded", NULL, 0, ret == 0);
	if (ret)
		return;
	for (i = 0; i < n; i++) {
		memset(&dev[i], 0, sizeof(dev[i]));
		present[i] = source->read(source->arg, devices[i],
					  &dev[i]) == 0;
	}
	source->close(source->arg);

	prom_family(text, "e2m_device_present", "gauge",
		    "1 when the module has the device a role names, else 0 (and none of its series follow).");
	for (i = 0; i < n; i++) {
		label.value = devices[i];
		prom_sample_u64(text, "e2m_device_present", &label, 1,
				present[i]);
	}
	prom_family(text, "e2m_device_flows", "gauge",
		    "Flows the device holds.");
	for (i = 0; i < n; i++) {
		label.value = devices[i];
		if (present[i])
			prom_sample_u64(text, "e2m_device_flows", &label, 1,
					dev[i].nflows);
	}
	prom_family(text, "e2m_device_packets_total", "counter",
		    "N-PDUs the device delivered (rx) and protected and sent (tx), all its flows, deleted ones included.");
	for (i = 0; i < n; i++)
		if (present[i])
			write_rx_tx(text, "e2m_device_packets_total",
				    devices[i], &dev[i],
				    E2M_STATS_A_RX_PACKETS,
				    E2M_STATS_A_TX_PACKETS);
	prom_family(text, "e2m_device_bytes_total", "counter",
		    "The inner length of those N-PDUs, octets.");
	for (i = 0; i < n; i++)
		if (present[i])
			write_rx_tx(text, "e2m_device_bytes_total",
				    devices[i], &dev[i],
				    E2M_STATS_A_RX_BYTES,
				    E2M_STATS_A_TX_BYTES);
	prom_family(text, "e2m_device_staged_total", "counter",
		    "Packets that waited for a key before they went on or were dropped (not drops themselves).");
	for (i = 0; i < n; i++)
		if (present[i])
			write_rx_tx(text, "e2m_device_staged_total",
				    devices[i], &dev[i],
				    E2M_STATS_A_RX_STAGED,
				    E2M_STATS_A_TX_STAGED);
	prom_family(text, "e2m_device_rx_steered_total", "counter",
		    "G-PDUs receive steering queued for the CPU of their flow (e2mctl set DEV rx-cpus).");
	for (i = 0; i < n; i++) {
		label.value = devices[i];
		if (present[i])
			prom_sample_u64(text, "e2m_device_rx_steered_total",
					&label, 1,
					dev[i].totals.value[E2M_STATS_A_RX_STEERED]);
	}
	prom_family(text, "e2m_device_drops_total", "counter",
		    "Packets the device dropped, per reason: its own (no flow, a bad header, ...) and every flow's, deleted flows included; per flow: e2mctl flow show.");
	for (i = 0; i < n; i++) {
		if (present[i])
			write_drops(text, devices[i], &dev[i]);
	}
}
