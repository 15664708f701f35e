// SPDX-License-Identifier: GPL-2.0
/*
 * The e2md role device without a network or a kernel: its decisions
 * (how the flow moves to a new key, make before break:
 * ue/local_key_plan.h's local_key_plan_bind(), and local_key_plan_rebind()
 * for a key kept; daemon/device/device_plan.h:
 * the wait after failures, which kernel events are a link's), its configuration (roles.device in the shipped example, and
 * each key wrong) and its PSK file.
 */
#include <errno.h>
#include <limits.h>
#include <linux/e2m.h>
#include <unistd.h>

#include "tap.h"
#include "store_fixture.h"
#include "daemon/config.h"
#include "daemon/device/device_config.h"
#include "daemon/device/device_plan.h"
#include "daemon/device/device_psk.h"

#define FILE_NAME	"e2md.yaml"
#define PSK_HEX		"000102030405060708090a0b0c0d0e0f" \
			"101112131415161718191a1b1c1d1e1f"

/* store, admin and the first lines of roles.device: lines 1-6. */
#define HEAD \
	"store: { path: /var/lib/e2m/d.db, key-file: /etc/e2m/d.key }\n" \
	"roles:\n" \
	"  device:\n" \
	"    device-id: \"imei:490154203237518\"\n" \
	"    psk-file: /etc/e2m/device.psk\n"
/* The same with a certificate instead of the PSK: lines 1-8. */
#define CERT_HEAD \
	"store: { path: /var/lib/e2m/d.db, key-file: /etc/e2m/d.key }\n" \
	"roles:\n" \
	"  device:\n" \
	"    device-id: \"imei:490154203237518\"\n" \
	"    certificate: /etc/e2m/device.crt\n" \
	"    private-key: /etc/e2m/device.key\n" \
	"    ca: /etc/e2m/ca.crt\n"
#define LINK	"    links: [{ mt: \"127.0.0.1:8447\", naf-id: kc.test }]\n"

static void add_slot(struct e2m_flow *flow, uint8_t key_id, int32_t serial,
		     uint8_t state)
{
	struct e2m_slot *s = &flow->slots[flow->nslots++];

	memset(s, 0, sizeof(*s));
	s->key_id = key_id;
	s->serial = serial;
	s->state = state;
}

static void transmitting(struct e2m_flow *flow, uint8_t key_id)
{
	flow->has_tx_key_id = true;
	flow->tx_key_id = key_id;
}

static bool plan_is(const struct local_key_bind *p, bool unbind_first,
		    uint8_t first_id, uint8_t key_id, bool use,
		    bool unbind_old, uint8_t old_id)
{
	return p->unbind_first == unbind_first &&
	       (!unbind_first || p->unbind_first_id == first_id) &&
	       p->key_id == key_id && p->use == use &&
	       p->unbind_old == unbind_old &&
	       (!unbind_old || p->old_id == old_id);
}

/* The plan's clock, s since the epoch: 2026-12-05T11:00:00Z. */
#define NOW	1796468400

static void test_bind(void)
{
	struct e2m_flow flow;
	struct local_key_bind p;

	memset(&flow, 0, sizeof(flow));
	ok(!local_key_plan_bind(&flow, 10, 1, NOW, &p) &&
	   plan_is(&p, false, 0, 1, false, false, 0),
	   "bind: no key yet: at the link's Key ID, nothing else");

	add_slot(&flow, 1, 10, E2M_SLOT_LIVE);
	transmitting(&flow, 1);
	ok(local_key_plan_bind(&flow, 10, 1, NOW, &p) == -EALREADY && p.key_id == 1,
	   "bind: the key bound and live already: nothing (-EALREADY), its Key ID");
	ok(!local_key_plan_bind(&flow, 11, 1, NOW, &p) &&
	   plan_is(&p, false, 0, 2, true, true, 1),
	   "bind: a live key at 1: the new at 2, used, then 1 unbound");

	memset(&flow, 0, sizeof(flow));
	add_slot(&flow, 2, 11, E2M_SLOT_LIVE);
	transmitting(&flow, 2);
	ok(!local_key_plan_bind(&flow, 12, 1, NOW, &p) &&
	   plan_is(&p, false, 0, 1, true, true, 2),
	   "bind: a live key at 2: the new back at 1, used, then 2 unbound");

	memset(&flow, 0, sizeof(flow));
	add_slot(&flow, 7, 11, E2M_SLOT_LIVE);
	transmitting(&flow, 7);
	ok(!local_key_plan_bind(&flow, 12, 7, NOW, &p) &&
	   plan_is(&p, false, 0, 0, true, true, 7),
	   "bind: Key IDs 7 and 0 (mod 8)");

	memset(&flow, 0, sizeof(flow));
	add_slot(&flow, 4, 11, E2M_SLOT_LIVE);
	transmitting(&flow, 4);
	ok(!local_key_plan_bind(&flow, 12, 1, NOW, &p) &&
	   plan_is(&p, false, 0, 1, true, true, 4),
	   "bind: a key at another Key ID than the link's two: the new at the first");

	memset(&flow, 0, sizeof(flow));
	add_slot(&flow, 2, 10, E2M_SLOT_DEAD);
	transmitting(&flow, 2);
	ok(!local_key_plan_bind(&flow, 10, 1, NOW, &p) &&
	   plan_is(&p, false, 0, 2, false, false, 0),
	   "bind: a dead slot with this serial is no key bound: in place of it");
	ok(!local_key_plan_bind(&flow, 11, 1, NOW, &p) &&
	   plan_is(&p, false, 0, 2, false, false, 0),
	   "bind: the transmitting slot dead: in place of it (COUNT carried over)");

	/* The kernel says dead at the slot's next packet only. */
	memset(&flow, 0, sizeof(flow));
	add_slot(&flow, 1, 10, E2M_SLOT_LIVE);
	flow.slots[0].expiry = NOW;
	transmitting(&flow, 1);
	ok(!local_key_plan_bind(&flow, 11, 1, NOW, &p) &&
	   plan_is(&p, false, 0, 1, false, false, 0),
	   "bind: the transmitting key's expiry reached (no packet since): in place of it");
	ok(!local_key_plan_bind(&flow, 11, 1, NOW - 1, &p) &&
	   plan_is(&p, false, 0, 2, true, true, 1),
	   "bind: its expiry one second ahead: the other Key ID, make before break");
	flow.slots[0].expiry = 0;
	ok(!local_key_plan_bind(&flow, 11, 1, NOW, &p) &&
	   plan_is(&p, false, 0, 2, true, true, 1),
	   "bind: a key with no expiry (0) is live: the other Key ID");
	add_slot(&flow, 2, 9, E2M_SLOT_LIVE);
	flow.slots[1].expiry = NOW - 60;
	ok(!local_key_plan_bind(&flow, 11, 1, NOW, &p) &&
	   plan_is(&p, true, 2, 2, true, true, 1),
	   "bind: an expired slot that does not transmit: unbound first, as before");

	memset(&flow, 0, sizeof(flow));
	add_slot(&flow, 1, 10, E2M_SLOT_EXHAUSTED);
	transmitting(&flow, 1);
	ok(!local_key_plan_bind(&flow, 11, 1, NOW, &p) &&
	   plan_is(&p, false, 0, 2, true, true, 1),
	   "bind: the slot exhausted: the other Key ID, make before break");

	memset(&flow, 0, sizeof(flow));
	add_slot(&flow, 1, 10, E2M_SLOT_MAC_LIMIT);
	transmitting(&flow, 1);
	ok(!local_key_plan_bind(&flow, 11, 1, NOW, &p) &&
	   plan_is(&p, false, 0, 2, true, true, 1),
	   "bind: the slot killed for MACs: the other Key ID");

	memset(&flow, 0, sizeof(flow));
	add_slot(&flow, 1, 10, E2M_SLOT_LIVE);
	add_slot(&flow, 2, 9, E2M_SLOT_LIVE);
	transmitting(&flow, 1);
	ok(!local_key_plan_bind(&flow, 11, 1, NOW, &p) &&
	   plan_is(&p, true, 2, 2, true, true, 1),
	   "bind: two slots: the one not transmitting unbound first");

	memset(&flow, 0, sizeof(flow));
	add_slot(&flow, 3, 9, E2M_SLOT_LIVE);
	ok(!local_key_plan_bind(&flow, 11, 1, NOW, &p) &&
	   plan_is(&p, true, 3, 1, false, false, 0),
	   "bind: a slot that does not transmit alone: unbound, the new at 1");
}

/* local_key_plan_rebind(): the link's key kept stays at its Key ID. */
static void test_rebind(void)
{
	struct e2m_flow flow;
	struct local_key_bind p;

	memset(&flow, 0, sizeof(flow));
	add_slot(&flow, 1, 10, E2M_SLOT_LIVE);
	transmitting(&flow, 1);
	ok(local_key_plan_rebind(&flow, 10, 1, NOW, &p) == -EALREADY &&
	   p.key_id == 1 && !p.unbind_tx,
	   "rebind: the kept key bound and live: nothing, no move (Key ID 1)");
	add_slot(&flow, 2, 10, E2M_SLOT_LIVE);
	flow.slots[0].serial = 11;
	ok(local_key_plan_rebind(&flow, 10, 1, NOW, &p) == -EALREADY &&
	   p.key_id == 2,
	   "rebind: bound and live at 2 while 1 transmits: nothing either");

	memset(&flow, 0, sizeof(flow));
	ok(!local_key_plan_rebind(&flow, 10, 1, NOW, &p) &&
	   plan_is(&p, false, 0, 1, false, false, 0) && !p.unbind_tx,
	   "rebind: no key bound: at the link's Key ID");

	add_slot(&flow, 2, 9, E2M_SLOT_DEAD);
	transmitting(&flow, 2);
	ok(!local_key_plan_rebind(&flow, 10, 1, NOW, &p) &&
	   plan_is(&p, false, 0, 2, false, false, 0) && !p.unbind_tx,
	   "rebind: the transmitting slot dead: in place of it, as bind");

	memset(&flow, 0, sizeof(flow));
	add_slot(&flow, 2, 12, E2M_SLOT_LIVE);
	transmitting(&flow, 2);
	ok(!local_key_plan_rebind(&flow, 10, 1, NOW, &p) &&
	   plan_is(&p, false, 0, 2, false, false, 0) && p.unbind_tx,
	   "rebind: another live key transmits at 2: it unbound, the kept key at 2, no KEY_USE");

	add_slot(&flow, 1, 13, E2M_SLOT_LIVE);
	ok(!local_key_plan_rebind(&flow, 10, 1, NOW, &p) &&
	   plan_is(&p, true, 1, 2, false, false, 0) && p.unbind_tx,
	   "rebind: and a second slot: that one unbound first, then 2, the kept key at 2");

	memset(&flow, 0, sizeof(flow));
	add_slot(&flow, 1, 10, E2M_SLOT_MAC_LIMIT);
	transmitting(&flow, 1);
	ok(local_key_plan_rebind(&flow, 10, 1, NOW, &p) == -EKEYREJECTED &&
	   plan_is(&p, false, 0, 1, false, false, 0) && !p.unbind_tx,
	   "rebind: the kept key's own slot killed for MACs: -EKEYREJECTED, nothing");
	flow.slots[0].state = E2M_SLOT_EXHAUSTED;
	ok(local_key_plan_rebind(&flow, 10, 1, NOW, &p) == -EKEYREJECTED &&
	   !p.unbind_first && !p.unbind_tx,
	   "rebind: its slot exhausted: -EKEYREJECTED, nothing");
	ok(!local_key_plan_rebind(&flow, 11, 1, NOW, &p) &&
	   plan_is(&p, false, 0, 1, false, false, 0) && p.unbind_tx,
	   "rebind: another key's slot exhausted: it unbound, the kept key at its Key ID");
}

/* local_key_plan_tx_on_rx(): the MT's move waits for the device. */
static void test_tx_on_rx(void)
{
	struct e2m_flow flow;
	struct local_key_bind p;

	memset(&flow, 0, sizeof(flow));
	add_slot(&flow, 1, 10, E2M_SLOT_LIVE);
	transmitting(&flow, 1);
	ok(!local_key_plan_bind(&flow, 11, 1, NOW, &p), "tx-on-rx: a move");
	local_key_plan_tx_on_rx(&p);
	ok(plan_is(&p, false, 0, 2, false, false, 0) &&
	   p.bind_flags == E2M_KEY_F_TX_ON_RX && p.keep_old && p.old_id == 1,
	   "tx-on-rx: the new key at 2 with TX_ON_RX, no KEY_USE, 1 left bound");

	memset(&flow, 0, sizeof(flow));
	ok(!local_key_plan_bind(&flow, 11, 1, NOW, &p), "tx-on-rx: a first key");
	local_key_plan_tx_on_rx(&p);
	ok(plan_is(&p, false, 0, 1, false, false, 0) && !p.bind_flags &&
	   !p.keep_old, "tx-on-rx: a first key bound as it is (it transmits)");

	add_slot(&flow, 1, 10, E2M_SLOT_DEAD);
	transmitting(&flow, 1);
	ok(!local_key_plan_bind(&flow, 11, 1, NOW, &p), "tx-on-rx: a dead slot");
	local_key_plan_tx_on_rx(&p);
	ok(plan_is(&p, false, 0, 1, false, false, 0) && !p.bind_flags &&
	   !p.keep_old,
	   "tx-on-rx: in place of a dead slot as it is (COUNT carried over)");

	memset(&flow, 0, sizeof(flow));
	add_slot(&flow, 1, 10, E2M_SLOT_LIVE);
	add_slot(&flow, 2, 11, E2M_SLOT_LIVE);
	flow.slots[1].tx_pending = true;
	transmitting(&flow, 1);
	ok(!local_key_plan_bind(&flow, 12, 1, NOW, &p), "tx-on-rx: a newer key");
	local_key_plan_tx_on_rx(&p);
	ok(plan_is(&p, true, 2, 2, false, false, 0) &&
	   p.bind_flags == E2M_KEY_F_TX_ON_RX && p.keep_old && p.old_id == 1,
	   "tx-on-rx: a key still waiting at 2 unbound, the newer at 2, 1 kept");
}

/* Every field of a plan (the ids only where their step is taken). */
static bool plan_eq(const struct local_key_bind *p,
		    struct local_key_bind want)
{
	return p->unbind_first == want.unbind_first &&
	       (!want.unbind_first ||
		p->unbind_first_id == want.unbind_first_id) &&
	       p->unbind_tx == want.unbind_tx &&
	       (!want.unbind_tx || p->unbind_tx_id == want.unbind_tx_id) &&
	       p->bind_flags == want.bind_flags &&
	       p->keep_old == want.keep_old && p->key_id == want.key_id &&
	       p->use == want.use && p->unbind_old == want.unbind_old &&
	       (!want.unbind_old || p->old_id == want.old_id);
}

/*
 * local_key_plan_at(): the MT said where it bound its copy, the device
 * binds there whatever its flow holds.
 */
static void test_at(void)
{
	struct e2m_flow flow;
	struct local_key_bind p, b;

	/* The UICC change: the MT's flow emptied, its new key at 1. */
	memset(&flow, 0, sizeof(flow));
	add_slot(&flow, 1, 10, E2M_SLOT_LIVE);
	transmitting(&flow, 1);
	ok(!local_key_plan_bind(&flow, 11, 1, NOW, &b) && b.key_id == 2,
	   "at: (the device's own plan would move to 2: the ends part)");
	ok(!local_key_plan_at(&flow, 11, 1, NOW, &p) &&
	   plan_eq(&p, (struct local_key_bind){ .unbind_tx = true,
						.unbind_tx_id = 1,
						.key_id = 1 }),
	   "at: the MT's key at 1 where the device's old key transmits: 1 unbound, the new at 1");

	ok(!local_key_plan_at(&flow, 11, 2, NOW, &p) &&
	   plan_eq(&p, (struct local_key_bind){ .key_id = 2, .use = true,
						.unbind_old = true,
						.old_id = 1 }) &&
	   plan_eq(&b, p),
	   "at: the MT at 2 (a move): the device's own plan, make before break");

	ok(local_key_plan_at(&flow, 10, 1, NOW, &p) == -EALREADY &&
	   p.key_id == 1, "at: the key live at the MT's Key ID: nothing");

	ok(!local_key_plan_at(&flow, 10, 2, NOW, &p) &&
	   plan_eq(&p, (struct local_key_bind){ .unbind_tx = true,
						.unbind_tx_id = 1,
						.key_id = 2 }),
	   "at: the key itself at 1, the MT's at 2: unbound from 1, bound at 2 (once per flow)");

	add_slot(&flow, 2, 9, E2M_SLOT_LIVE);
	ok(!local_key_plan_at(&flow, 11, 1, NOW, &p) &&
	   plan_eq(&p, (struct local_key_bind){ .unbind_first = true,
						.unbind_first_id = 2,
						.unbind_tx = true,
						.unbind_tx_id = 1,
						.key_id = 1 }),
	   "at: and a second slot at 2: unbound first, then 1, the new at 1");
	ok(!local_key_plan_at(&flow, 11, 2, NOW, &p) &&
	   plan_eq(&p, (struct local_key_bind){ .unbind_first = true,
						.unbind_first_id = 2,
						.key_id = 2, .use = true,
						.unbind_old = true,
						.old_id = 1 }),
	   "at: the MT at 2, a stale slot there: it unbound, the new at 2, used, 1 unbound");
	flow.slots[1].serial = 11;
	ok(!local_key_plan_at(&flow, 11, 1, NOW, &p) &&
	   plan_eq(&p, (struct local_key_bind){ .unbind_first = true,
						.unbind_first_id = 2,
						.unbind_tx = true,
						.unbind_tx_id = 1,
						.key_id = 1 }),
	   "at: the key itself idle at 2, the MT's at 1: both unbound, the key at 1");
	ok(local_key_plan_at(&flow, 11, 2, NOW, &p) == -EALREADY &&
	   p.key_id == 2,
	   "at: the key live at 2 (not transmitting yet), the MT's at 2: nothing");

	/* Dead: taken over in place when at the MT's Key ID. */
	memset(&flow, 0, sizeof(flow));
	add_slot(&flow, 1, 10, E2M_SLOT_DEAD);
	transmitting(&flow, 1);
	ok(!local_key_plan_at(&flow, 11, 1, NOW, &p) &&
	   plan_eq(&p, (struct local_key_bind){ .key_id = 1 }),
	   "at: a dead slot at the MT's Key ID: in place of it (COUNT carried)");
	flow.slots[0].state = E2M_SLOT_LIVE;
	flow.slots[0].expiry = NOW;
	ok(!local_key_plan_at(&flow, 11, 1, NOW, &p) &&
	   plan_eq(&p, (struct local_key_bind){ .key_id = 1 }),
	   "at: its expiry reached (no packet since): in place of it");
	ok(!local_key_plan_at(&flow, 11, 2, NOW, &p) &&
	   plan_eq(&p, (struct local_key_bind){ .key_id = 2, .use = true,
						.unbind_old = true,
						.old_id = 1 }),
	   "at: a dead slot at 1, the MT's at 2: the new at 2, used, 1 unbound");
	add_slot(&flow, 2, 11, E2M_SLOT_LIVE);
	ok(!local_key_plan_at(&flow, 11, 1, NOW, &p) &&
	   plan_eq(&p, (struct local_key_bind){ .unbind_first = true,
						.unbind_first_id = 2,
						.key_id = 1 }),
	   "at: dead at 1, the key itself idle at 2: unbound from 2, in place at 1");
	flow.slots[1].serial = 9;
	ok(!local_key_plan_at(&flow, 11, 1, NOW, &p) &&
	   plan_eq(&p, (struct local_key_bind){ .key_id = 1 }),
	   "at: dead at 1, another key idle at 2: left, in place at 1");

	/* Nothing transmitting. */
	memset(&flow, 0, sizeof(flow));
	ok(!local_key_plan_at(&flow, 11, 5, NOW, &p) &&
	   plan_eq(&p, (struct local_key_bind){ .key_id = 5 }),
	   "at: an empty flow: at the MT's Key ID, whatever the link's own (5)");
	add_slot(&flow, 5, 9, E2M_SLOT_LIVE);
	ok(!local_key_plan_at(&flow, 11, 5, NOW, &p) &&
	   plan_eq(&p, (struct local_key_bind){ .unbind_first = true,
						.unbind_first_id = 5,
						.key_id = 5 }),
	   "at: a slot not transmitting at the MT's Key ID: unbound, the new there");

	/* Spent: as rebind. */
	memset(&flow, 0, sizeof(flow));
	add_slot(&flow, 1, 10, E2M_SLOT_EXHAUSTED);
	transmitting(&flow, 1);
	ok(local_key_plan_at(&flow, 10, 1, NOW, &p) == -EKEYREJECTED &&
	   p.key_id == 1 && !p.unbind_first && !p.unbind_tx,
	   "at: the key's own slot exhausted: -EKEYREJECTED, nothing");
	flow.slots[0].state = E2M_SLOT_MAC_LIMIT;
	ok(local_key_plan_at(&flow, 10, 2, NOW, &p) == -EKEYREJECTED &&
	   p.key_id == 1,
	   "at: killed for MACs: -EKEYREJECTED, its Key ID");
	ok(!local_key_plan_at(&flow, 11, 1, NOW, &p) &&
	   plan_eq(&p, (struct local_key_bind){ .unbind_tx = true,
						.unbind_tx_id = 1,
						.key_id = 1 }),
	   "at: another key's slot killed for MACs at 1: unbound, the new at 1");

	/* A kept key at the link's Key ID: the same plan as rebind's. */
	memset(&flow, 0, sizeof(flow));
	add_slot(&flow, 2, 12, E2M_SLOT_LIVE);
	transmitting(&flow, 2);
	ok(!local_key_plan_rebind(&flow, 10, 1, NOW, &b) &&
	   !local_key_plan_at(&flow, 10, 2, NOW, &p) &&
	   plan_eq(&p, (struct local_key_bind){ .unbind_tx = true,
						.unbind_tx_id = 2,
						.key_id = 2 }) &&
	   plan_eq(&b, p),
	   "at: a kept key where another live key transmits at 2: rebind's plan");
}

static void test_retry(void)
{
	ok(device_plan_retry(0) == 5 && device_plan_retry(1) == 5 &&
	   device_plan_retry(2) == 10 && device_plan_retry(3) == 20 &&
	   device_plan_retry(6) == 160,
	   "retry: 5 s, doubled after each failure");
	ok(device_plan_retry(7) == 300 && device_plan_retry(1000) == 300 &&
	   device_plan_retry(UINT_MAX) == 300, "retry: at most 300 s");
}

static void test_renew_wait(void)
{
	ok(device_plan_renew_wait(1000, 4600, 1000) == 3240,
	   "renew: an hour's key, a tenth of its life before its end");
	ok(device_plan_renew_wait(1000, 1600, 1100) == 380,
	   "renew: a 600 s key, 120 s before its end, counted from now");
	ok(device_plan_renew_wait(1000, 1125, 1000) == 12,
	   "renew: a 125 s key: not before a tenth of its life");
	ok(device_plan_renew_wait(1000, 1030, 1000) == 5 &&
	   device_plan_renew_wait(1000, 1600, 1590) == 60,
	   "renew: at least 5 s and a tenth of the life, never at once");
}

static struct e2m_key_event event(uint8_t reason)
{
	return (struct e2m_key_event){
		.cmd = E2M_CMD_EVENT_KEY, .reason = reason, .ifindex = 7,
		.teid = 100, .has_key_id = true, .key_id = 2,
		.has_serial = true, .serial = 55,
	};
}

static enum local_key_event action(const struct device_bound *link,
				   uint8_t reason)
{
	struct e2m_key_event ev = event(reason);

	return device_plan_event(link, &ev);
}

static void test_event(void)
{
	struct device_bound link = {
		.ifindex = 7, .teid = 100, .bound = true, .key_id = 2,
		.serial = 55,
	};
	struct device_bound unbound = link;
	struct e2m_key_event ev;

	unbound.bound = false;
	ok(action(&link, E2M_EVENT_KEY_EXPIRED) == LOCAL_KEY_EVENT_ESTABLISH &&
	   action(&link, E2M_EVENT_KEY_REVOKED) == LOCAL_KEY_EVENT_ESTABLISH,
	   "event: the link's key expired or revoked: establish");
	ok(action(&link, E2M_EVENT_KEY_MISMATCH) == LOCAL_KEY_EVENT_RENEW &&
	   action(&link, E2M_EVENT_MAC_FAILURES) == LOCAL_KEY_EVENT_RENEW,
	   "event: the link's key mismatched: renew");
	ev = event(E2M_EVENT_KEY_EXPIRED);
	ev.has_serial = false;
	ok(device_plan_event(&link, &ev) == LOCAL_KEY_EVENT_ESTABLISH,
	   "event: one that names no serial, of the link's Key ID: counts");
	ok(action(&unbound, E2M_EVENT_KEY_EXPIRED) == LOCAL_KEY_EVENT_NONE,
	   "event: a link with no key bound: nothing");
	ev = event(E2M_EVENT_KEY_EXPIRED);
	ev.ifindex = 8;
	ok(device_plan_event(&link, &ev) == LOCAL_KEY_EVENT_NONE,
	   "event: another device: nothing");
	ev = event(E2M_EVENT_KEY_EXPIRED);
	ev.teid = 101;
	ok(device_plan_event(&link, &ev) == LOCAL_KEY_EVENT_NONE,
	   "event: another flow: nothing");
	ev = event(E2M_EVENT_KEY_REVOKED);
	ev.key_id = 1;
	ok(device_plan_event(&link, &ev) == LOCAL_KEY_EVENT_NONE,
	   "event: the Key ID the link moved away from: nothing");
	ev = event(E2M_EVENT_KEY_REVOKED);
	ev.serial = 54;
	ok(device_plan_event(&link, &ev) == LOCAL_KEY_EVENT_NONE,
	   "event: an old key's serial: nothing");
	ok(action(&link, E2M_EVENT_COUNT_NOTIFY) == LOCAL_KEY_EVENT_NONE,
	   "event: COUNT near its end: nothing (the next renewal comes first)");
}

/* The example, found from this file's own path. */
static void example_path(char *out, size_t size)
{
	const char *slash = strrchr(__FILE__, '/');
	int dir_len = slash ? (int)(slash - __FILE__) : 1;

	snprintf(out, size, "%.*s/../daemon/e2md.yaml.example", dir_len,
		 slash ? __FILE__ : ".");
}

static void test_example(void)
{
	struct config_errors errors;
	struct config *c = NULL;
	const struct config_device *d;
	const struct config_device_link *l;
	char path[PATH_MAX];

	example_path(path, sizeof(path));
	if (!ok(config_load(path, &c, &errors) == 0 && c &&
		(d = config_device(c)), "example: roles.device loads")) {
		for (size_t i = 0; i < errors.count; i++)
			printf("#   %s\n", errors.text[i]);
		config_free(c);
		return;
	}
	ok(!strcmp(d->device_id, "imei:490154203237518") &&
	   !strcmp(d->psk_file.path, "/etc/e2m/device.psk") &&
	   d->label == DEVICE_LABEL_DEVICE && !strcmp(d->keyring, "@u") &&
	   d->timeout == 10 && d->n_links == 1,
	   "example: device-id, psk-file, label, keyring, timeout, one link");
	l = &d->links[0];
	ok(!strcmp(l->mt, "127.0.0.1:8447") &&
	   !strcmp(l->mt_host, "127.0.0.1") && l->mt_port == 8447 &&
	   !strcmp(l->naf_id, "nafkc.home1.net") && l->has_key_centre &&
	   !strcmp(l->kc_host, "127.0.0.1") && l->kc_port == 8446 &&
	   !strcmp(l->name, "nafkc.home1.net via 127.0.0.1:8447"),
	   "example: the link's MT and Key Centre");
	ok(l->flow.present && !strcmp(l->flow.device, "e2m1") &&
	   l->flow.teid == 100 && l->flow.key_id == 1 && l->flow.alg == 2,
	   "example: the link's flow");
	config_free(c);
}

static struct config *load_text(const char *text, char *out, size_t size)
{
	struct config_errors errors;
	struct config *config = NULL;
	size_t i, len = 0;

	write_file(FILE_NAME, text, strlen(text), 0600);
	config_load(FILE_NAME, &config, &errors);
	out[0] = '\0';
	for (i = 0; i < errors.count && len < size; i++)
		len += (size_t)snprintf(out + len, size - len, "%s%s",
					i ? "\n" : "", errors.text[i]);
	return config;
}

static void test_defaults(void)
{
	char errors[4096];
	struct config *c = load_text(HEAD LINK, errors, sizeof(errors));
	const struct config_device *d = c ? config_device(c) : NULL;

	ok(d && d->label == DEVICE_LABEL_DEVICE &&
	   !strcmp(d->keyring, DEVICE_KEYRING_DEFAULT) &&
	   d->timeout == DEVICE_TIMEOUT_DEFAULT && d->n_links == 1 &&
	   !d->links[0].has_key_centre && !d->links[0].flow.present,
	   "defaults: ks_local_device, @u, 10 s, no Key Centre address, no flow");
	if (!d)
		printf("#   %s\n", errors);
	config_free(c);
	c = load_text(HEAD "    links: [{ mt: \"[::1]:8447\", naf-id: kc.test,"
		      " flow: { device: e2m1, teid: 7 } }]\n",
		      errors, sizeof(errors));
	d = c ? config_device(c) : NULL;
	ok(d && !strcmp(d->links[0].mt_host, "::1") &&
	   d->links[0].flow.key_id == DEVICE_KEY_ID_DEFAULT &&
	   d->links[0].flow.alg == DEVICE_ALG_DEFAULT,
	   "defaults: [IPv6]:PORT; the flow's Key ID 1, algorithm 2");
	config_free(c);
}

/* The certificate instead of the PSK file. */
static void test_certificate(void)
{
	char errors[4096];
	struct config *c = load_text(CERT_HEAD LINK, errors, sizeof(errors));
	const struct config_device *d = c ? config_device(c) : NULL;

	ok(d && !d->psk_file.path &&
	   !strcmp(d->certificate.path, "/etc/e2m/device.crt") &&
	   !strcmp(d->private_key.path, "/etc/e2m/device.key") &&
	   !strcmp(d->ca.path, "/etc/e2m/ca.crt"),
	   "certificate: certificate, private-key and ca instead of psk-file");
	if (!d)
		printf("#   %s\n", errors);
	config_free(c);
}

/* The devices the metrics read: each flow's, once; a link without none. */
static void test_kernel_devices(void)
{
	const char *out[4] = { NULL };
	char errors[4096];
	struct config *c;
	const struct config_device *d;
	size_t n;

	c = load_text(HEAD "    links:\n"
		      "      - { mt: \"127.0.0.1:8447\", naf-id: a.test,"
		      " flow: { device: e2m1, teid: 7 } }\n"
		      "      - { mt: \"127.0.0.1:8447\", naf-id: b.test }\n"
		      "      - { mt: \"127.0.0.1:8447\", naf-id: c.test,"
		      " flow: { device: e2m2, teid: 8 } }\n"
		      "      - { mt: \"127.0.0.1:8448\", naf-id: a.test,"
		      " flow: { device: e2m1, teid: 9 } }\n",
		      errors, sizeof(errors));
	d = c ? config_device(c) : NULL;
	n = d ? device_config_devices(d, out, 4) : 0;
	ok(n == 2 && !strcmp(out[0], "e2m1") && !strcmp(out[1], "e2m2"),
	   "kernel devices: e2m1 and e2m2, each once; the link without a flow none");
	if (!d)
		printf("#   %s\n", errors);
	ok(d && device_config_devices(d, out, 1) == 1 && !strcmp(out[0], "e2m1"),
	   "kernel devices: no more than asked for");
	config_free(c);
	c = load_text(HEAD LINK, errors, sizeof(errors));
	d = c ? config_device(c) : NULL;
	ok(d && device_config_devices(d, out, 4) == 0,
	   "kernel devices: none without a flow");
	config_free(c);
}

struct broken {
	const char *name, *text, *errors;
};

static const struct broken broken[] = {
	{ "no links", HEAD,
	  FILE_NAME ":3: roles.device: missing key 'links'" },
	{ "no link", HEAD "    links: []\n",
	  FILE_NAME ":6: roles.device.links: must list 1 to 8 links" },
	{ "bad Device_ID and PSK file",
	  "store: { path: /d.db, key-file: /d.key }\nroles:\n  device:\n"
	  "    device-id: \"imei 1\"\n    psk-file: device.psk\n" LINK,
	  FILE_NAME ":4: roles.device.device-id: must be a Device_ID: 1 to 128 printable ASCII characters without space\n"
	  FILE_NAME ":5: roles.device.psk-file: must be an absolute path, not 'device.psk'" },
	{ "label, keyring, timeout",
	  HEAD "    label: ks_local\n    keyring: \"@x\"\n    timeout: 0\n" LINK,
	  FILE_NAME ":6: roles.device.label: must be one of ks_local_device, ks_local_mt, not 'ks_local'\n"
	  FILE_NAME ":7: roles.device.keyring: must be @u, @s, @p, @t, @us or none\n"
	  FILE_NAME ":8: roles.device.timeout: must be an integer from 1 to 600, not '0'" },
	{ "the MT not HOST:PORT",
	  HEAD "    links: [{ mt: kc.test, naf-id: kc.test }]\n",
	  FILE_NAME ":6: roles.device.links[0].mt: must be HOST:PORT, not 'kc.test'" },
	{ "a link without naf-id",
	  HEAD "    links: [{ mt: \"127.0.0.1:1\" }]\n",
	  FILE_NAME ":6: roles.device.links[0]: missing key 'naf-id'" },
	{ "a pair twice",
	  HEAD "    links: [{ mt: \"127.0.0.1:1\", naf-id: kc.test },"
	  " { mt: \"127.0.0.1:1\", naf-id: KC.test }]\n",
	  FILE_NAME ":6: roles.device.links[1]: the link 'KC.test via 127.0.0.1:1' is listed twice" },
	{ "flow values",
	  HEAD "    links: [{ mt: \"127.0.0.1:1\", naf-id: kc.test,"
	  " flow: { device: e2m1, teid: 0, key-id: 8, alg: 0 } }]\n",
	  FILE_NAME ":6: roles.device.links[0].flow.teid: must be an integer from 1 to 4294967295, not '0'\n"
	  FILE_NAME ":6: roles.device.links[0].flow.key-id: must be an integer from 0 to 7, not '8'\n"
	  FILE_NAME ":6: roles.device.links[0].flow.alg: must be an integer from 1 to 3, not '0'" },
	{ "a flow without a keyring",
	  HEAD "    keyring: none\n    links: [{ mt: \"127.0.0.1:1\","
	  " naf-id: kc.test, flow: { device: e2m1, teid: 5 } }]\n",
	  FILE_NAME ":3: roles.device: links[0].flow needs a keyring, not none" },
	{ "no credential",
	  "store: { path: /d.db, key-file: /d.key }\nroles:\n  device:\n"
	  "    device-id: d1\n" LINK,
	  FILE_NAME ":3: roles.device: needs psk-file, or certificate, private-key and ca" },
	{ "a certificate without its ca",
	  "store: { path: /d.db, key-file: /d.key }\nroles:\n  device:\n"
	  "    device-id: d1\n    certificate: /c.crt\n"
	  "    private-key: /c.key\n" LINK,
	  FILE_NAME ":3: roles.device: needs psk-file, or certificate, private-key and ca" },
	{ "a PSK file and a certificate",
	  CERT_HEAD "    psk-file: /etc/e2m/device.psk\n" LINK,
	  FILE_NAME ":3: roles.device: psk-file, or certificate, private-key and ca: not both" },
	{ "a relative private-key",
	  "store: { path: /d.db, key-file: /d.key }\nroles:\n  device:\n"
	  "    device-id: d1\n    certificate: /c.crt\n"
	  "    private-key: c.key\n    ca: /ca.crt\n" LINK,
	  FILE_NAME ":6: roles.device.private-key: must be an absolute path, not 'c.key'" },
	{ "a device without a store",
	  "roles:\n  device:\n    device-id: d1\n    psk-file: /p\n" LINK,
	  FILE_NAME ":2: roles.device: needs a store section (the device's Ks_local keys)" },
};

static void test_broken(void)
{
	char errors[8192];
	size_t i;

	for (i = 0; i < sizeof(broken) / sizeof(broken[0]); i++) {
		struct config *c = load_text(broken[i].text, errors,
					     sizeof(errors));

		if (!ok(!c && !strcmp(errors, broken[i].errors),
			"broken: %s", broken[i].name))
			printf("#   got:\n#   %s\n#   wanted:\n#   %s\n", errors,
			       broken[i].errors);
		config_free(c);
	}
}

static void test_psk(void)
{
	uint8_t psk[STORE_DEVICE_PSK_LEN];
	char why[256];

	write_file("good.psk", "psk=" PSK_HEX "\n", 69, 0600);
	ok(!device_psk_read("good.psk", psk, why, sizeof(why)) &&
	   psk[0] == 0x00 && psk[31] == 0x1f,
	   "psk: psk=HEX read");
	write_file("open.psk", "psk=" PSK_HEX "\n", 69, 0640);
	ok(device_psk_read("open.psk", psk, why, sizeof(why)) == -EACCES &&
	   !strcmp(why, "open.psk: group or other may use it (chmod 600)"),
	   "psk: a file the group may read: refused");
	write_file("short.psk", "psk=0001\n", 9, 0600);
	ok(device_psk_read("short.psk", psk, why, sizeof(why)) == -EINVAL &&
	   !strcmp(why, "short.psk: must be one line psk=HEX (64 hex digits)"),
	   "psk: too short: refused, the key never in why");
	write_file("name.psk", "key=" PSK_HEX "\n", 69, 0600);
	ok(device_psk_read("name.psk", psk, why, sizeof(why)) == -EINVAL,
	   "psk: another name: refused");
	ok(device_psk_read("none.psk", psk, why, sizeof(why)) == -ENOENT &&
	   !strcmp(why, "none.psk: No such file or directory"),
	   "psk: no file: said");
	if (symlink("good.psk", "link.psk") == 0)
		ok(device_psk_read("link.psk", psk, why, sizeof(why)) == -ELOOP,
		   "psk: a symbolic link is not followed");
	write_file("good.key", "-", 1, 0600);
	write_file("open.key", "-", 1, 0604);
	ok(!device_key_file_check("good.key", why, sizeof(why)),
	   "private key: mode 0600 taken");
	ok(device_key_file_check("open.key", why, sizeof(why)) == -EACCES &&
	   !strcmp(why, "open.key: group or other may use it (chmod 600)"),
	   "private key: a file others may read: refused, said");
	ok(device_key_file_check("none.key", why, sizeof(why)) == -ENOENT &&
	   !strcmp(why, "none.key: No such file or directory"),
	   "private key: no file: said");
	if (symlink("good.key", "link.key") == 0)
		ok(device_key_file_check("link.key", why, sizeof(why)) ==
		   -ELOOP, "private key: a symbolic link is not followed");
	unlink("good.key");
	unlink("open.key");
	unlink("link.key");
	unlink("good.psk");
	unlink("open.psk");
	unlink("short.psk");
	unlink("name.psk");
	unlink("link.psk");
}

int main(void)
{
	char cwd[PATH_MAX];

	if (!getcwd(cwd, sizeof(cwd)))
		bail("getcwd");
	test_bind();
	test_rebind();
	test_tx_on_rx();
	test_at();
	test_retry();
	test_renew_wait();
	test_event();
	test_example();
	scratch_make("device");
	if (chdir(scratch_dir))
		bail("chdir");
	test_defaults();
	test_certificate();
	test_kernel_devices();
	test_broken();
	test_psk();
	unlink(FILE_NAME);
	if (chdir(cwd))
		bail("chdir back");
	scratch_remove();
	return done_testing();
}
