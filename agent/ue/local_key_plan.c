// SPDX-License-Identifier: GPL-2.0
/*
 * A remote device's decisions in local key establishment, see
 * local_key_plan.h.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <linux/e2m.h>
#include <openssl/crypto.h>

#include "crypto/gba.h"
#include "local_key_plan.h"

int local_key_naf_fqdn(const uint8_t *naf_id, size_t naf_id_len,
		       char fqdn[DNS_NAME_MAX + 1])
{
	size_t len;

	fqdn[0] = '\0';
	if (naf_id_len <= GBA_UA_ID_LEN ||
	    naf_id_len - GBA_UA_ID_LEN > DNS_NAME_MAX)
		return -EINVAL;
	len = naf_id_len - GBA_UA_ID_LEN;
	memcpy(fqdn, naf_id, len);
	fqdn[len] = '\0';
	if (strlen(fqdn) != len || !dns_name_valid(fqdn)) {
		fqdn[0] = '\0';
		return -EINVAL;
	}
	return 0;
}

/* Whether fqdn is one of the device's own NAF-IDs (any case). */
static bool own_naf_id(const struct local_key_plan_conf *conf,
		       const char *fqdn)
{
	size_t i;

	for (i = 0; i < conf->n_naf_ids; i++)
		if (!strcasecmp(conf->naf_ids[i], fqdn))
			return true;
	return false;
}

/* Whether row holds a key of this device worth using for naf (NULL: any). */
static bool usable(const struct local_key_plan_conf *conf,
		   const struct store_remote_key_info *row, const char *naf,
		   int64_t now)
{
	char fqdn[DNS_NAME_MAX + 1];

	if (strcmp(row->device_id, conf->device_id) ||
	    strcmp(row->label, conf->label) ||
	    row->expires - now < LOCAL_KEY_LIFETIME_MIN ||
	    local_key_naf_fqdn(row->naf_id, row->naf_id_len, fqdn))
		return false;
	return !naf || !strcasecmp(fqdn, naf);
}

/* The row to use: its index, or -ENOENT. */
static int stored_row(const struct local_key_plan_conf *conf,
		      const struct store_remote_key_info *rows, size_t n_rows,
		      int64_t now)
{
	size_t i, j;

	if (!conf->n_naf_ids) {
		for (j = 0; j < n_rows; j++)
			if (usable(conf, &rows[j], NULL, now))
				return (int)j;
		return -ENOENT;
	}
	for (i = 0; i < conf->n_naf_ids; i++)
		for (j = 0; j < n_rows; j++)
			if (usable(conf, &rows[j], conf->naf_ids[i], now))
				return (int)j;
	return -ENOENT;
}

void local_key_plan_start(const struct local_key_plan_conf *conf,
			  const struct store_remote_key_info *rows,
			  const bool *in_keyring, size_t n_rows, int64_t now,
			  struct local_key_start *start)
{
	int row = conf->renew ? -ENOENT :
				stored_row(conf, rows, n_rows, now);

	memset(start, 0, sizeof(*start));
	if (row >= 0) {
		start->first = LOCAL_KEY_USE_STORED;
		start->row = (size_t)row;
		start->install = conf->kernel &&
				 (!in_keyring || !in_keyring[row]);
		start->notify = !rows[row].completed;
	} else if (conf->n_naf_ids && !conf->ask_mt) {
		start->first = LOCAL_KEY_REQUEST_BTID;
		start->naf_id = conf->naf_ids[0];
	} else {
		start->first = LOCAL_KEY_ASK_NAF_IDS;
	}
}

int local_key_plan_pick(const struct local_key_plan_conf *conf,
			const struct local_msg *naf_id_list)
{
	size_t i;

	if (naf_id_list->type != LOCAL_NAF_ID_LIST || !naf_id_list->n_naf_ids)
		return -ENOENT;
	if (!conf->n_naf_ids)
		return 0;
	for (i = 0; i < naf_id_list->n_naf_ids; i++)
		if (own_naf_id(conf, naf_id_list->naf_ids[i]))
			return (int)i;
	return -ENOENT;
}

static enum local_type answer_of(enum local_type request)
{
	switch (request) {
	case LOCAL_NAF_ID_LIST_REQUEST:
		return LOCAL_NAF_ID_LIST;
	case LOCAL_BTID_REQUEST:
		return LOCAL_BTID;
	case LOCAL_COMPLETE:
		return LOCAL_COMPLETE_ACK;
	case LOCAL_REKEY_WATCH:
		return LOCAL_REKEY_REQUEST;
	default:
		return LOCAL_NONE;
	}
}

int local_key_plan_mt_answer(const struct local_msg *sent,
			     const struct local_msg *got, char *why,
			     size_t why_size)
{
	const char *name = local_type_name(sent->type);
	enum local_type want = answer_of(sent->type);

	if (want == LOCAL_NONE) {
		snprintf(why, why_size, "not a request of the device");
		return -EPROTO;
	}
	if (!got->has_id || got->id != sent->id) {
		snprintf(why, why_size,
			 "the MT answered the %s with another message id",
			 name);
		return -EPROTO;
	}
	if (got->type == LOCAL_ERROR) {
		snprintf(why, why_size, "the MT refused the %s: %s%s%s%s",
			 name, got->error, got->detail[0] ? " (" : "",
			 got->detail, got->detail[0] ? ")" : "");
		return -EPERM;
	}
	if (got->type != want) {
		snprintf(why, why_size,
			 "the MT answered the %s with a %s message", name,
			 local_type_name(got->type));
		return -EPROTO;
	}
	if (want == LOCAL_BTID && strcasecmp(got->naf_id, sent->naf_id)) {
		snprintf(why, why_size,
			 "the MT answered the btid-request for another NAF-ID");
		return -EPROTO;
	}
	if (want == LOCAL_REKEY_REQUEST &&
	    (strcasecmp(got->naf_id, sent->naf_id) ||
	     strcmp(got->device_id, sent->device_id))) {
		snprintf(why, why_size,
			 "the MT answered the rekey-watch for another key");
		return -EPROTO;
	}
	return 0;
}

int local_key_plan_kc_answer(const struct ks_local_request *req,
			     const uint8_t *naf_id, size_t naf_id_len,
			     const struct ks_local_response *resp, int64_t now,
			     int64_t *expires, char *why, size_t why_size)
{
	const char *wrong = NULL;
	int64_t end;

	if (strcmp(resp->btid, req->btid))
		wrong = "B-TID";
	else if (strcmp(resp->device_id, req->device_id))
		wrong = "Device_ID";
	else if (strcmp(resp->label, req->label))
		wrong = "label";
	else if (resp->naf_id_len != naf_id_len ||
		 CRYPTO_memcmp(resp->naf_id, naf_id, naf_id_len))
		wrong = "NAF_Id (not the NAF-ID the MT derived with)";
	if (wrong) {
		snprintf(why, why_size,
			 "the Key Centre answered for another %s", wrong);
		return -EPROTO;
	}
	end = now + (int64_t)resp->lifetime;
	if (resp->expires < end)
		end = resp->expires;
	if (!resp->lifetime || end <= now) {
		snprintf(why, why_size,
			 "the Key Centre answered a key already expired");
		return -EPROTO;
	}
	*expires = end;
	return 0;
}

uint32_t local_key_plan_lifetime(int64_t expires, int64_t now)
{
	if (expires - now < 1)
		return 1;
	if (expires - now > (int64_t)UINT32_MAX)
		return UINT32_MAX;
	return (uint32_t)(expires - now);
}

int64_t local_key_plan_renew_at(int64_t created, int64_t expires)
{
	int64_t ahead = (expires - created) / 10;

	if (ahead < LOCAL_KEY_RENEW_AHEAD)
		ahead = LOCAL_KEY_RENEW_AHEAD;
	return expires - ahead > created ? expires - ahead : created;
}

static uint8_t other_key_id(uint8_t base, uint8_t now)
{
	return now == base ? (uint8_t)((base + 1) & E2M_KEY_ID_MAX) : base;
}

/* The slot of the flow that is not transmitting, NULL for none. */
static const struct e2m_slot *idle_slot(const struct e2m_flow *flow,
					const struct e2m_slot *tx)
{
	unsigned int i;

	for (i = 0; i < flow->nslots; i++)
		if (&flow->slots[i] != tx)
			return &flow->slots[i];
	return NULL;
}

/*
 * Dead for the kernel, or its key's end reached (the kernel's key_validate()
 * rule: expired from the second of its expiry on).
 */
static bool slot_dead(const struct e2m_slot *slot, int64_t now)
{
	return slot->state == E2M_SLOT_DEAD ||
	       (slot->expiry && (int64_t)slot->expiry <= now);
}

int local_key_plan_bind(const struct e2m_flow *flow, int32_t serial,
			uint8_t base, int64_t now,
			struct local_key_bind *plan)
{
	const struct e2m_slot *tx = NULL, *idle;
	unsigned int i;

	memset(plan, 0, sizeof(*plan));
	for (i = 0; i < flow->nslots; i++)
		if (flow->slots[i].serial == serial &&
		    flow->slots[i].state == E2M_SLOT_LIVE) {
			plan->key_id = flow->slots[i].key_id;
			return -EALREADY;
		}
	if (flow->has_tx_key_id)
		tx = e2m_flow_slot(flow, flow->tx_key_id);
	if (tx && slot_dead(tx, now)) {
		plan->key_id = tx->key_id;
		return 0;
	}
	idle = idle_slot(flow, tx);
	if (idle) {
		plan->unbind_first = true;
		plan->unbind_first_id = idle->key_id;
	}
	if (!tx) {
		plan->key_id = base;
		return 0;
	}
	plan->key_id = other_key_id(base, tx->key_id);
	plan->use = true;
	plan->unbind_old = true;
	plan->old_id = tx->key_id;
	return 0;
}

enum local_key_keep local_key_plan_keep(const struct local_key_keep_in *in)
{
	if (!in->kernel || !in->old_btid || strcmp(in->old_btid, in->new_btid))
		return LOCAL_KEY_ADD;
	if (!in->same_bytes || in->old_serial <= 0 || !in->old_alive)
		return LOCAL_KEY_ADD;
	return LOCAL_KEY_EXTEND;
}

int local_key_plan_rebind(const struct e2m_flow *flow, int32_t serial,
			  uint8_t base, int64_t now,
			  struct local_key_bind *plan)
{
	unsigned int i;
	int ret;

	/* Spent in the kernel for good (EKEYREJECTED if bound again). */
	for (i = 0; i < flow->nslots; i++)
		if (flow->slots[i].serial == serial &&
		    (flow->slots[i].state == E2M_SLOT_EXHAUSTED ||
		     flow->slots[i].state == E2M_SLOT_MAC_LIMIT)) {
			memset(plan, 0, sizeof(*plan));
			plan->key_id = flow->slots[i].key_id;
			return -EKEYREJECTED;
		}
	ret = local_key_plan_bind(flow, serial, base, now, plan);
	if (ret || !plan->use)
		return ret;
	/* A live key of other bytes transmits: ours takes its Key ID. */
	plan->key_id = plan->old_id;
	plan->unbind_tx = true;
	plan->unbind_tx_id = plan->key_id;
	plan->use = false;
	plan->unbind_old = false;
	plan->old_id = 0;
	return 0;
}

/* The slot of serial on the flow, NULL for none. */
static const struct e2m_slot *slot_of(const struct e2m_flow *flow,
				      int32_t serial)
{
	unsigned int i;

	for (i = 0; i < flow->nslots; i++)
		if (flow->slots[i].serial == serial)
			return &flow->slots[i];
	return NULL;
}

int local_key_plan_at(const struct e2m_flow *flow, int32_t serial,
		      uint8_t key_id, int64_t now,
		      struct local_key_bind *plan)
{
	const struct e2m_slot *own = slot_of(flow, serial), *tx = NULL;
	const struct e2m_slot *idle;

	memset(plan, 0, sizeof(*plan));
	plan->key_id = key_id;
	if (own && own->state == E2M_SLOT_LIVE && own->key_id == key_id)
		return -EALREADY;
	if (own && (own->state == E2M_SLOT_EXHAUSTED ||
		    own->state == E2M_SLOT_MAC_LIMIT)) {
		plan->key_id = own->key_id;
		return -EKEYREJECTED;
	}
	if (flow->has_tx_key_id)
		tx = e2m_flow_slot(flow, flow->tx_key_id);
	idle = idle_slot(flow, tx);
	if (idle) {
		plan->unbind_first = true;
		plan->unbind_first_id = idle->key_id;
	}
	/*
	 * A dead slot at the MT's Key ID: taken over in place (COUNT carried
	 * over), the other slot left, unless it holds the key itself.
	 */
	if (tx && tx->key_id == key_id && slot_dead(tx, now)) {
		plan->unbind_first = idle && idle == own;
		return 0;
	}
	if (!tx)
		return 0;
	if (tx->key_id == key_id || tx == own) {
		/* The only slot left: the kernel lets it go; ours transmits. */
		plan->unbind_tx = true;
		plan->unbind_tx_id = tx->key_id;
		return 0;
	}
	plan->use = true;
	plan->unbind_old = true;
	plan->old_id = tx->key_id;
	return 0;
}

void local_key_plan_tx_on_rx(struct local_key_bind *plan)
{
	if (!plan->use)
		return;
	plan->bind_flags = E2M_KEY_F_TX_ON_RX;
	plan->use = false;
	plan->unbind_old = false;
	plan->keep_old = true;
}

enum local_key_event local_key_event_action(uint8_t cmd, uint8_t reason)
{
	if (cmd != E2M_CMD_EVENT_KEY)
		return LOCAL_KEY_EVENT_NONE;
	switch (reason) {
	case E2M_EVENT_KEY_EXPIRED:
	case E2M_EVENT_KEY_REVOKED:
	case E2M_EVENT_KEY_INVALID:
		return LOCAL_KEY_EVENT_ESTABLISH;
	case E2M_EVENT_KEY_MISMATCH:
	case E2M_EVENT_MAC_FAILURES:
		return LOCAL_KEY_EVENT_RENEW;
	default:
		return LOCAL_KEY_EVENT_NONE;
	}
}
