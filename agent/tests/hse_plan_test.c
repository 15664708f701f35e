// SPDX-License-Identifier: GPL-2.0
/*
 * daemon/hse/hse_plan.c and the payload of hse_keyring.c: what the HSE does
 * to a flow for a triplet, and for each kernel event; the exact payload
 * of a key set.
 */
#include <arpa/inet.h>
#include <errno.h>

#include "daemon/hse/hse_keyring.h"
#include "daemon/hse/hse_plan.h"
#include "tap.h"

static struct e2m_flow flow_with(unsigned int nslots, int tx_key_id)
{
	struct e2m_flow f;
	unsigned int i;

	memset(&f, 0, sizeof(f));
	f.local_teid = 0x12345678;
	f.nslots = nslots;
	for (i = 0; i < nslots; i++) {
		f.slots[i].key_id = (uint8_t)(i + 1);
		f.slots[i].state = E2M_SLOT_LIVE;
	}
	if (tx_key_id >= 0) {
		f.has_tx_key_id = true;
		f.tx_key_id = (uint8_t)tx_key_id;
	}
	return f;
}

static void install_new_run(void)
{
	struct hse_plan p;
	struct e2m_flow f;

	ok(hse_plan_install(NULL, 3, true, &p) == 0 && p.create_flow &&
	   !p.unbind && p.bind_flags == 0,
	   "no flow: create it, bind without flags");
	f = flow_with(0, -1);
	ok(hse_plan_install(&f, 3, true, &p) == 0 && !p.create_flow &&
	   !p.unbind && p.bind_flags == 0,
	   "a flow without keys: bind, it transmits");
	f = flow_with(1, 1);
	ok(hse_plan_install(&f, 2, true, &p) == 0 && !p.create_flow &&
	   !p.unbind && p.bind_flags == E2M_KEY_F_TX_ON_RX,
	   "rekey with one slot: bind with TX_ON_RX");
	f = flow_with(2, 1);
	ok(hse_plan_install(&f, 3, true, &p) == 0 && p.unbind &&
	   p.unbind_key_id == 2 && p.bind_flags == E2M_KEY_F_TX_ON_RX,
	   "rekey with two slots, TX on 1: drop 2, bind with TX_ON_RX");
	f = flow_with(2, 2);
	ok(hse_plan_install(&f, 3, true, &p) == 0 && p.unbind &&
	   p.unbind_key_id == 1, "rekey with two slots, TX on 2: drop 1");
	f = flow_with(2, 1);
	ok(hse_plan_install(&f, 2, true, &p) == 0 && p.unbind &&
	   p.unbind_key_id == 2 && p.bind_flags == E2M_KEY_F_TX_ON_RX,
	   "a new run under the KSI of the slot not transmitting: drop it, "
	   "bind with TX_ON_RX");
	f.slots[1].state = E2M_SLOT_EXHAUSTED;
	ok(hse_plan_install(&f, 2, true, &p) == 0 && p.unbind &&
	   p.unbind_key_id == 2, "the same when that slot is exhausted");
	f = flow_with(2, 1);
	ok(hse_plan_install(&f, 1, true, &p) == -EBUSY,
	   "a new run under the KSI that transmits beside another: -EBUSY");
	f = flow_with(1, 1);
	ok(hse_plan_install(&f, 1, true, &p) == 0 && p.unbind &&
	   p.unbind_key_id == 1 && p.bind_flags == 0,
	   "a new run under the KSI of the only slot: drop it, bind, it "
	   "transmits");
}

static void install_same_run(void)
{
	struct hse_plan p;
	struct e2m_flow f;

	f = flow_with(2, 1);
	f.slots[1].state = E2M_SLOT_DEAD;
	ok(hse_plan_install(&f, 2, false, &p) == 0 && !p.unbind &&
	   !p.create_flow && p.bind_flags == 0,
	   "a dead slot of the KSI: bind in its place");
	f = flow_with(1, 1);
	ok(hse_plan_install(&f, 1, false, &p) == -EALREADY,
	   "a live slot of the KSI: -EALREADY");
	f.slots[0].state = E2M_SLOT_EXHAUSTED;
	ok(hse_plan_install(&f, 1, false, &p) == -EKEYEXPIRED,
	   "an exhausted slot of the KSI: -EKEYEXPIRED");
	f.slots[0].state = E2M_SLOT_MAC_LIMIT;
	ok(hse_plan_install(&f, 1, false, &p) == -EKEYEXPIRED,
	   "a slot of the KSI killed for failed MACs: -EKEYEXPIRED");
	f = flow_with(1, 1);
	ok(hse_plan_install(&f, 2, false, &p) == -ESTALE && !p.unbind,
	   "no slot of the KSI: -ESTALE (its COUNTs would repeat)");
	ok(hse_plan_install(NULL, 2, false, &p) == -ESTALE && !p.create_flow,
	   "no flow: -ESTALE");
}

static void endpoint(void)
{
	struct e2m_flow have = flow_with(1, 1), want;

	have.remote_teid = 0x1001;
	have.peer.family = AF_INET;
	have.peer.v4.s_addr = htonl(0xc0000201);
	have.peer_port = 2152;
	have.has_inner4 = true;
	have.inner4.s_addr = htonl(0x0a2d0002);
	have.has_inner6 = true;
	have.inner6.s6_addr[15] = 2;
	want = have;
	want.nslots = 0;
	ok(!hse_plan_endpoint_changed(&have, &want),
	   "endpoint: the same TEID, peer, port and inner addresses");
	want.has_inner6 = false;
	ok(!hse_plan_endpoint_changed(&have, &want),
	   "endpoint: an inner IPv6 address not named is not a change");
	want.peer_port = 0;
	ok(!hse_plan_endpoint_changed(&have, &want),
	   "endpoint: nor is a port not named");
	want.remote_teid = 0x2002;
	ok(hse_plan_endpoint_changed(&have, &want),
	   "endpoint: another remote TEID");
	want = have;
	want.peer.v4.s_addr = htonl(0xc0000202);
	ok(hse_plan_endpoint_changed(&have, &want), "endpoint: another peer");
	want = have;
	want.peer_port = 2153;
	ok(hse_plan_endpoint_changed(&have, &want), "endpoint: another port");
	want = have;
	want.inner4.s_addr = htonl(0x0a2d0003);
	ok(hse_plan_endpoint_changed(&have, &want),
	   "endpoint: another inner IPv4 address");
	want = have;
	want.peer.family = AF_INET6;
	ok(hse_plan_endpoint_changed(&have, &want),
	   "endpoint: an IPv6 peer for an IPv4 one");
}

static void events(void)
{
	static const struct {
		uint8_t cmd, reason;
		enum hse_action action;
	} cases[] = {
		{ E2M_CMD_EVENT_NO_KEY, E2M_EVENT_UNKNOWN_TEID, HSE_ACTION_PULL },
		{ E2M_CMD_EVENT_NO_KEY, E2M_EVENT_NO_LIVE_KEY, HSE_ACTION_PULL },
		{ E2M_CMD_EVENT_KEY, E2M_EVENT_KEY_REVOKED, HSE_ACTION_PULL },
		{ E2M_CMD_EVENT_KEY, E2M_EVENT_KEY_EXPIRED, HSE_ACTION_PULL },
		{ E2M_CMD_EVENT_KEY, E2M_EVENT_KEY_INVALID, HSE_ACTION_PULL },
		{ E2M_CMD_EVENT_KEY, E2M_EVENT_COUNT_NOTIFY,
		  HSE_ACTION_AKA_NEEDED },
		{ E2M_CMD_EVENT_KEY, E2M_EVENT_COUNT_EXHAUSTED,
		  HSE_ACTION_AKA_NEEDED },
		{ E2M_CMD_EVENT_KEY, E2M_EVENT_MAC_FAILURES,
		  HSE_ACTION_AKA_NEEDED },
		{ E2M_CMD_EVENT_KEY, 0, HSE_ACTION_NONE },
		{ E2M_CMD_EVENT_KEY, 99, HSE_ACTION_NONE },
		{ E2M_CMD_FLOW_GET, E2M_EVENT_KEY_REVOKED, HSE_ACTION_NONE },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ok(hse_event_action(cases[i].cmd, cases[i].reason) ==
		   cases[i].action, "event %u reason %u: action %d",
		   cases[i].cmd, cases[i].reason, cases[i].action);
}

static void payload(void)
{
	struct e2m_keyset_payload p;
	uint8_t k_enc[16], k_int[16];

	unhex(k_enc, sizeof(k_enc), "000102030405060708090a0b0c0d0e0f");
	unhex(k_int, sizeof(k_int), "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
	ok(hse_keyset_payload(&p, 3, E2M_ALG_AES, E2M_ALG_AES, k_enc, k_int,
			      3600) == 0, "payload made");
	is_hex((const uint8_t *)&p, sizeof(p),
	       "01020203" "100e0000" "00000000"
	       "000102030405060708090a0b0c0d0e0f"
	       "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
	       "payload bytes: v1, NEA2, NIA2, Key ID 3, 3600 s (host order)");
	ok(hse_keyset_payload(&p, 7, 2, 2, k_enc, k_int, 1) == -EINVAL &&
	   p.version == 0, "Key ID 7 refused, nothing left");
	ok(hse_keyset_payload(&p, 0, 2, 0, k_enc, k_int, 1) == -EINVAL,
	   "NIA0 refused");
	ok(hse_keyset_payload(&p, 0, 4, 2, k_enc, k_int, 1) == -EINVAL,
	   "an unknown algorithm refused");
}

int main(void)
{
	install_new_run();
	install_same_run();
	endpoint();
	events();
	payload();
	return done_testing();
}
