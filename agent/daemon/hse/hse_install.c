// SPDX-License-Identifier: GPL-2.0
/*
 * A pulled key set into the HSE's kernel, see hse_install.h.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "proto/best/triplet_msg.h"
#include "hse_install.h"
#include "hse_keyring.h"
#include "hse_plan.h"

/* The kernel flow a row describes. */
static int flow_of_row(const struct store_hse_flow *row,
		       struct e2m_flow *flow)
{
	memset(flow, 0, sizeof(*flow));
	flow->local_teid = row->teid;
	flow->remote_teid = row->ue_teid;
	flow->peer_port = row->ue_port;
	if (inet_pton(AF_INET, row->ue_address, &flow->peer.v4) == 1)
		flow->peer.family = AF_INET;
	else if (inet_pton(AF_INET6, row->ue_address, &flow->peer.v6) == 1)
		flow->peer.family = AF_INET6;
	else
		return -EINVAL;
	flow->has_inner4 = inet_pton(AF_INET, row->inner_ipv4,
				     &flow->inner4) == 1;
	flow->has_inner6 = row->inner_ipv6[0] &&
			   inet_pton(AF_INET6, row->inner_ipv6,
				     &flow->inner6) == 1;
	return 0;
}

/* The key of the pulled key set, named as best.md says, into the ring. */
static int add_key_of(struct hse *hse, const struct store_hse_flow *row,
		      const struct keyset_response *ks, key_serial_t *serial,
		      char *why, size_t why_size)
{
	struct e2m_keyset_payload payload;
	char description[TRIPLET_KEY_DESC_SIZE];
	int ret;

	ret = triplet_key_description(description, row->imsi, row->ksi,
				      row->teid);
	if (!ret)
		ret = hse_keyset_payload(&payload, row->ksi, ks->enc_alg,
					 ks->int_alg, ks->k_enc, ks->k_int,
					 hse->conf->key_lifetime);
	if (ret) {
		snprintf(why, why_size, "key set not usable by e2m");
	} else {
		ret = hse_key_add(hse->ring, description, &payload, serial);
		if (ret)
			snprintf(why, why_size, "add_key: %s", strerror(-ret));
	}
	OPENSSL_cleanse(&payload, sizeof(payload));
	return ret;
}

/* The kernel's flow of teid into *flow; 1 when there is none. */
static int read_flow(struct hse *hse, uint32_t teid, struct e2m_flow *flow,
		     char *why, size_t why_size)
{
	int ret = e2m_flow_get(&hse->nl, hse->conf->device, teid, flow);

	if (ret == -ENOENT)
		return 1;
	if (ret)
		snprintf(why, why_size, "%s", hse->nl.error);
	return ret;
}

/* The key of the slot key_id is no longer bound: out of our ring too. */
static void forget_slot_key(struct hse *hse, const struct e2m_flow *flow,
			    uint8_t key_id)
{
	const struct e2m_slot *slot = e2m_flow_slot(flow, key_id);

	if (slot && slot->serial > 0)
		hse_key_drop(hse->ring, slot->serial);
}

/* The flow's new endpoint (FLOW_SET), else the unbind the plan asks. */
static int prepare_flow(struct hse *hse, const struct hse_plan *plan,
			const struct e2m_flow *want, uint8_t unbind_key_id)
{
	const char *dev = hse->conf->device;
	int ret = 0;

	if (plan->update_flow)
		ret = e2m_flow_set(&hse->nl, dev, want);
	if (!ret && plan->unbind)
		ret = e2m_key_unbind(&hse->nl, dev, want->local_teid,
				     unbind_key_id);
	return ret;
}

/*
 * The netlink half of the plan, with the key added already: want is the
 * flow the row describes, have the flow as it was (unless
 * plan->create_flow): on a failure its endpoint is set back.
 */
static int apply_plan(struct hse *hse, const struct hse_plan *plan,
		      const struct e2m_flow *want,
		      const struct e2m_flow *have, key_serial_t serial,
		      char *why, size_t why_size)
{
	const char *dev = hse->conf->device;
	int ret;

	if (plan->create_flow)
		ret = e2m_flow_new(&hse->nl, dev, want);
	else
		ret = prepare_flow(hse, plan, want, plan->unbind_key_id);
	if (!ret)
		ret = e2m_key_bind(&hse->nl, dev, want->local_teid, serial,
				   plan->bind_flags);
	if (ret) {
		snprintf(why, why_size, "%s", hse->nl.error);
		if (plan->create_flow)
			e2m_flow_del(&hse->nl, dev, want->local_teid);
		else if (plan->update_flow)
			e2m_flow_set(&hse->nl, dev, have);
	}
	return ret;
}

static enum hse_install_kind kind_of(const struct hse_plan *plan,
				     const struct e2m_flow *flow, uint8_t ksi)
{
	if (plan->create_flow)
		return HSE_INSTALL_CREATED;
	if (plan->unbind && plan->unbind_key_id == ksi)
		return HSE_INSTALL_REKEYED;	/* a new run under that KSI */
	return e2m_flow_slot(flow, ksi) ? HSE_INSTALL_REBOUND :
					  HSE_INSTALL_REKEYED;
}

/* Why hse_plan_install() said no. */
static void plan_refusal(int err, uint8_t ksi, char *why, size_t why_size)
{
	if (err == -EKEYEXPIRED)
		snprintf(why, why_size, "Key ID %u has used its COUNT up", ksi);
	else if (err == -EBUSY)
		snprintf(why, why_size, "Key ID %u transmits the flow's "
			 "current run: a new run cannot take it", ksi);
	else
		snprintf(why, why_size, "the run's slot of Key ID %u is gone: "
			 "binding it again would repeat COUNTs", ksi);
}

/*
 * A flow for a TEID without a row (HSE_INSTALL_NO_ROW): FLOW_NEW, the key,
 * KEY_BIND, what hse_plan_install() plans without a flow, with the flow
 * made before the key so that a TEID that has a flow after all leaves the
 * keyring untouched: 1 when FLOW_NEW said -EEXIST, for the caller to read
 * the flow and plan. Any other failure deletes the flow made and drops
 * the key added, as apply_plan() does.
 */
static int install_new_flow(struct hse *hse, const struct store_hse_flow *row,
			    const struct keyset_response *ks,
			    const struct e2m_flow *want,
			    struct hse_installed *done, char *why,
			    size_t why_size)
{
	const char *dev = hse->conf->device;
	int ret = e2m_flow_new(&hse->nl, dev, want);

	if (ret) {
		snprintf(why, why_size, "%s", hse->nl.error);
		return ret == -EEXIST ? 1 : ret;
	}
	ret = add_key_of(hse, row, ks, &done->serial, why, why_size);
	if (!ret) {
		ret = e2m_key_bind(&hse->nl, dev, row->teid, done->serial, 0);
		if (ret) {
			snprintf(why, why_size, "%s", hse->nl.error);
			hse_key_drop(hse->ring, done->serial);
			done->serial = 0;
		}
	}
	if (ret) {
		e2m_flow_del(&hse->nl, dev, row->teid);
		return ret;
	}
	done->kind = HSE_INSTALL_CREATED;
	return 0;
}

int hse_install(struct hse *hse, const struct store_hse_flow *row,
		const struct keyset_response *ks, enum hse_install_mode mode,
		struct hse_installed *done, char *why, size_t why_size)
{
	struct e2m_flow flow, want;
	struct hse_plan plan;
	bool same_ksi;
	int ret, missing;

	memset(done, 0, sizeof(*done));
	done->key_id = row->ksi;
	if (flow_of_row(row, &want)) {
		snprintf(why, why_size, "bad UE address");
		return -EINVAL;
	}
	if (mode == HSE_INSTALL_NO_ROW) {
		ret = install_new_flow(hse, row, ks, &want, done, why,
				       why_size);
		if (ret <= 0)
			return ret;
		/* The TEID's flow, or an inner address of another's. */
		mode = HSE_INSTALL_NEW_RUN;
	}
	missing = read_flow(hse, row->teid, &flow, why, why_size);
	if (missing < 0)
		return missing;
	ret = hse_plan_install(missing ? NULL : &flow, row->ksi,
			       mode != HSE_INSTALL_SAME_RUN, &plan);
	if (ret == -EALREADY) {
		done->kind = HSE_INSTALL_ALREADY;
		return 0;
	}
	if (ret) {
		plan_refusal(ret, row->ksi, why, why_size);
		return ret;
	}
	if (!missing)
		plan.update_flow = hse_plan_endpoint_changed(&flow, &want);
	done->kind = kind_of(&plan, &flow, row->ksi);
	/*
	 * The key of the KSI's slot goes first (dead, or of an older run):
	 * the new one has its description, and the keyring names its links
	 * by description, so unlinking the old key afterwards would unlink
	 * the new one.
	 */
	same_ksi = done->kind == HSE_INSTALL_REBOUND ||
		   (plan.unbind && plan.unbind_key_id == row->ksi);
	if (same_ksi)
		forget_slot_key(hse, &flow, row->ksi);
	ret = add_key_of(hse, row, ks, &done->serial, why, why_size);
	if (!ret)
		ret = apply_plan(hse, &plan, &want, &flow, done->serial, why,
				 why_size);
	if (ret) {
		if (done->serial)
			hse_key_drop(hse->ring, done->serial);
		return ret;
	}
	if (plan.unbind && !same_ksi)
		forget_slot_key(hse, &flow, plan.unbind_key_id);
	if (plan.update_flow) {
		done->endpoint_set = true;
		done->endpoint_was = flow;
	}
	return 0;
}

void hse_install_undo(struct hse *hse, const struct store_hse_flow *row,
		      const struct hse_installed *done)
{
	if (done->kind == HSE_INSTALL_ALREADY)
		return;
	if (done->kind == HSE_INSTALL_CREATED) {
		e2m_flow_del(&hse->nl, hse->conf->device, row->teid);
	} else {
		e2m_key_unbind(&hse->nl, hse->conf->device, row->teid,
			       done->key_id);
		if (done->endpoint_set)
			e2m_flow_set(&hse->nl, hse->conf->device,
				     &done->endpoint_was);
	}
	hse_key_drop(hse->ring, done->serial);
}
