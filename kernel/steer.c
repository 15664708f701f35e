// SPDX-License-Identifier: GPL-2.0
/*
 * Receive steering: each flow's G-PDUs to one CPU of the device's set,
 * see steer.h.
 */
#include <linux/cpumask.h>
#include <linux/hash.h>
#include <linux/moduleparam.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/dst.h>
#include <net/genetlink.h>
#include <linux/e2m.h>

#include "device.h"
#include "receive.h"
#include "steer.h"

/*
 * Packets one CPU's queue of a device holds. A NIC's burst fills it while
 * the CPU it goes to decrypts; what a CPU cannot keep up with is dropped
 * here, counted, not held without bound.
 */
static unsigned int e2m_rx_queue_len = E2M_RX_QUEUE_LEN_DEFAULT;

static int e2m_rx_queue_len_set(const char *val, const struct kernel_param *kp)
{
	unsigned int len;
	int ret = kstrtouint(val, 0, &len);

	if (ret)
		return ret;
	if (!len || len > E2M_RX_QUEUE_LEN_MAX)
		return -ERANGE;
	WRITE_ONCE(e2m_rx_queue_len, len);
	return 0;
}

static const struct kernel_param_ops e2m_rx_queue_len_ops = {
	.set = e2m_rx_queue_len_set,
	.get = param_get_uint,
};

module_param_cb(rx_queue_len, &e2m_rx_queue_len_ops, &e2m_rx_queue_len, 0644);
MODULE_PARM_DESC(rx_queue_len,
		 "packets each CPU's steering queue of a device holds (1..65536)");

#ifdef E2M_DEBUG
/* For the tests: packets stay queued, no poll scheduled, while set. */
static bool e2m_test_steer_hold;
module_param_named(test_steer_hold, e2m_test_steer_hold, bool, 0644);
MODULE_PARM_DESC(test_steer_hold,
		 "debug builds: steered packets wait in their queue (tests)");

static bool e2m_steer_held(void)
{
	return READ_ONCE(e2m_test_steer_hold);
}
#else
static bool e2m_steer_held(void)
{
	return false;
}
#endif

static int e2m_steer_poll(struct napi_struct *napi, int budget)
{
	struct e2m_steer_cell *cell = container_of(napi, struct e2m_steer_cell,
						   napi);
	struct e2m_device *e2m = netdev_priv(napi->dev);
	struct sk_buff *skb;
	int done = 0;

	while (done < budget && !e2m_steer_held()) {
		skb = __skb_dequeue(&cell->process);
		if (!skb) {
			spin_lock(&cell->queue.lock);
			skb_queue_splice_tail_init(&cell->queue, &cell->process);
			spin_unlock(&cell->queue.lock);
			if (skb_queue_empty(&cell->process))
				break;
			continue;
		}
		rcu_read_lock();
		e2m_receive_steered(e2m, skb, napi);
		rcu_read_unlock();
		done++;
	}
	/* A packet queued since the last look set NAPI's MISSED: polled again. */
	if (done < budget)
		napi_complete_done(napi, done);
	return done;
}

/* In hard IRQ context on the cell's CPU: the enqueuer owns the schedule. */
static void e2m_steer_ipi(void *info)
{
	struct e2m_steer_cell *cell = info;

	__napi_schedule_irqoff(&cell->napi);
}

bool e2m_steer(struct e2m_device *e2m, struct sk_buff *skb,
	       const struct e2m_gtpu_info *gtpu, bool xnet)
{
	const struct e2m_steer_map *map = rcu_dereference(e2m->steer.map);
	struct e2m_steer_cell *cell;
	struct e2m_steer_cb *cb;
	unsigned int cpu;

	if (!map)
		return false;
	cpu = map->cpu[reciprocal_scale(hash_32(gtpu->teid, 32), map->ncpus)];
	if (unlikely(!cpu_online(cpu)))
		return false;
	cell = per_cpu_ptr(e2m->steer.cells, cpu);
	cb = e2m_steer_cb(skb);
	cb->gtpu = *gtpu;
	cb->xnet = xnet;
	/*
	 * The packet outlives this softirq: its outer route may be held
	 * without a reference (valid under this RCU section only), and the
	 * device it came in on may go before the poll runs. Receive needs
	 * neither: it delivers on the e2m device, which drains this queue
	 * before it goes (as the stage does, stage.c).
	 */
	skb_dst_drop(skb);
	skb->dev = e2m->dev;

	spin_lock(&cell->queue.lock);
	if (unlikely(skb_queue_len(&cell->queue) >= READ_ONCE(e2m_rx_queue_len))) {
		spin_unlock(&cell->queue.lock);
		e2m_device_count_drop(e2m, E2M_DROP_STEER_FULL);
		DEV_STATS_INC(e2m->dev, rx_dropped);
		kfree_skb(skb);
	} else {
		__skb_queue_tail(&cell->queue, skb);
		spin_unlock(&cell->queue.lock);
		e2m_stats_steered(e2m->stats);
		e2m_stats_steered(e2m->totals);
	}

	/*
	 * Whoever sets NAPI's SCHED bit gets the poll onto the CPU's list: by
	 * IPI, or here if that CPU is this one or went offline since (its
	 * queue is then emptied here, this once). A full queue has its poll
	 * scheduled already, but for a test's hold: asking again costs an
	 * atomic and keeps no packet waiting for the next one.
	 */
	if (!e2m_steer_held() && napi_schedule_prep(&cell->napi)) {
		if (cpu == smp_processor_id() ||
		    smp_call_function_single_async(cpu, &cell->csd))
			__napi_schedule(&cell->napi);
	}
	return true;
}

/* Under the RTNL: the cells and their NAPIs, once a device. */
static int e2m_steer_cells_init(struct e2m_device *e2m)
{
	struct e2m_steer_cell __percpu *cells;
	int cpu;

	if (e2m->steer.cells)
		return 0;
	cells = alloc_percpu(struct e2m_steer_cell);
	if (!cells)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		struct e2m_steer_cell *cell = per_cpu_ptr(cells, cpu);

		skb_queue_head_init(&cell->queue);
		__skb_queue_head_init(&cell->process);
		INIT_CSD(&cell->csd, e2m_steer_ipi, cell);
		netif_napi_add(e2m->dev, &cell->napi, e2m_steer_poll);
		napi_enable(&cell->napi);
	}
	e2m->steer.cells = cells;
	return 0;
}

/* The bitmap @attr into @mask; -EINVAL (extack) for a CPU there cannot be. */
static int e2m_steer_parse(const struct nlattr *attr, struct cpumask *mask,
			   struct netlink_ext_ack *extack)
{
	unsigned int words = nla_len(attr) / sizeof(u32), w, bit;
	const u32 *bits = nla_data(attr);

	if (nla_len(attr) % sizeof(u32)) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "CPU bitmap is not a whole number of 32-bit words");
		return -EINVAL;
	}
	cpumask_clear(mask);
	for (w = 0; w < words; w++) {
		for (bit = 0; bit < 32; bit++) {
			unsigned int cpu = w * 32 + bit;

			if (!(bits[w] & BIT(bit)))
				continue;
			if (cpu >= nr_cpu_ids) {
				NL_SET_ERR_MSG_ATTR(extack, attr,
						    "a CPU in the bitmap cannot exist on this host");
				return -EINVAL;
			}
			cpumask_set_cpu(cpu, mask);
		}
	}
	return 0;
}

int e2m_steer_prepare(struct e2m_device *e2m, const struct nlattr *attr,
		      struct e2m_steer_map **map,
		      struct netlink_ext_ack *extack)
{
	struct e2m_steer_map *m;
	cpumask_var_t mask;
	unsigned int i = 0;
	int cpu, ret;

	ASSERT_RTNL();
	*map = NULL;
	if (!zalloc_cpumask_var(&mask, GFP_KERNEL))
		return -ENOMEM;
	ret = e2m_steer_parse(attr, mask, extack);
	if (ret || cpumask_empty(mask))
		goto out;
	ret = -ENOMEM;
	m = kzalloc(struct_size(m, cpu, cpumask_weight(mask)), GFP_KERNEL);
	if (!m)
		goto out;
	for_each_cpu(cpu, mask)
		m->cpu[i++] = cpu;
	m->ncpus = i;
	ret = e2m_steer_cells_init(e2m);
	if (ret) {
		kfree(m);
		goto out;
	}
	*map = m;
out:
	free_cpumask_var(mask);
	return ret;
}

void e2m_steer_commit(struct e2m_device *e2m, struct e2m_steer_map *map)
{
	struct e2m_steer_map *old = rtnl_dereference(e2m->steer.map);

	rcu_assign_pointer(e2m->steer.map, map);
	if (old)
		kfree_rcu(old, rcu);
}

void e2m_steer_abort(struct e2m_steer_map *map)
{
	kfree(map);
}

int e2m_steer_put(struct sk_buff *msg, struct e2m_device *e2m)
{
	const struct e2m_steer_map *map = rcu_dereference_rtnl(e2m->steer.map);
	struct nlattr *attr;
	unsigned int i;
	u32 *bits;

	if (!map)
		return 0;
	/* The CPUs are in order: the last is the highest. */
	attr = nla_reserve(msg, E2M_A_RX_CPUS,
			   DIV_ROUND_UP(map->cpu[map->ncpus - 1] + 1, 32) *
			   sizeof(u32));
	if (!attr)
		return -EMSGSIZE;
	bits = nla_data(attr);
	memset(bits, 0, nla_len(attr));
	for (i = 0; i < map->ncpus; i++)
		bits[map->cpu[i] / 32] |= BIT(map->cpu[i] % 32);
	return 0;
}

void e2m_steer_destroy(struct e2m_device *e2m)
{
	struct e2m_steer_cell __percpu *cells = e2m->steer.cells;
	int cpu;

	e2m_steer_commit(e2m, NULL);
	if (!cells)
		return;
	/*
	 * A receive that still sees the map may queue a packet, but cannot
	 * schedule a disabled NAPI: napi_disable() waits for the poll that is
	 * scheduled (or for the IPI on its way, which schedules it), then
	 * holds it off. __netif_napi_del(), not netif_napi_del(): one grace
	 * period for every CPU's NAPI, not one each under the RTNL.
	 */
	for_each_possible_cpu(cpu) {
		struct e2m_steer_cell *cell = per_cpu_ptr(cells, cpu);

		napi_disable(&cell->napi);
		__netif_napi_del(&cell->napi);
	}
	/* No receive sees the map, nor netpoll or busy poll a NAPI... */
	synchronize_net();
	/* ...so what is queued now is the last. */
	for_each_possible_cpu(cpu) {
		struct e2m_steer_cell *cell = per_cpu_ptr(cells, cpu);

		__skb_queue_purge(&cell->process);
		skb_queue_purge(&cell->queue);
	}
	free_percpu(cells);
	e2m->steer.cells = NULL;
}
