// SPDX-License-Identifier: GPL-2.0
/*
 * The "ks_local" key type: a 256-bit Ks_local_device (TS 33.259) or
 * Ks_local_MT, with the B-TID, NAF_Id and Device_ID it was derived for.
 * See uapi/linux/e2m.h for the payload. There is no ->read.
 *
 * The payload lives exactly like an e2mkeyset payload (see keyset.c):
 * freed after a grace period on revoke, or on destroy; wiped either way.
 * Like it, it holds the key's COUNT state (fresh.h), and a revoke kills
 * the key slots bound to it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/key.h>
#include <linux/overflow.h>
#include <linux/printk.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>

#include "fresh.h"
#include "keyslot.h"
#include "ks_local.h"
#include "objcount.h"

static bool e2m_is_graphic(const u8 *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] <= 0x20 || s[i] >= 0x7f)
			return false;
	return true;
}

static bool e2m_is_fqdn(const u8 *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!isalnum(s[i]) && s[i] != '-' && s[i] != '.')
			return false;
	return true;
}

/*
 * Pure validation of a user-supplied payload, shared with the self-tests.
 * Returns 0 or a negative errno, and on error points *why at the reason.
 */
int e2m_ks_local_payload_check(const void *data, size_t len, const char **why)
{
	const struct e2m_ks_local_payload *p = data;
	size_t fqdn_len;
	const u8 *ids;

	if (len < sizeof(*p)) {
		*why = "payload shorter than struct e2m_ks_local_payload";
		return -EINVAL;
	}
	if (p->version != E2M_KS_LOCAL_PAYLOAD_V1) {
		*why = "unknown payload version";
		return -EINVAL;
	}
	if (p->kind != E2M_KS_LOCAL_DEVICE && p->kind != E2M_KS_LOCAL_MT) {
		*why = "unknown kind";
		return -EINVAL;
	}
	if (p->reserved) {
		*why = "reserved field is not zero";
		return -EINVAL;
	}
	if (!p->btid_len || !p->device_id_len) {
		*why = "empty B-TID or Device_ID";
		return -EINVAL;
	}
	if (p->naf_id_len <= E2M_UA_PROTO_ID_LEN ||
	    p->naf_id_len > E2M_NAF_ID_MAX) {
		*why = "NAF_Id is not an FQDN followed by a 5-octet Ua id";
		return -EINVAL;
	}
	if (len != sizeof(*p) + p->btid_len + p->naf_id_len + p->device_id_len) {
		*why = "payload size does not match the identifier lengths";
		return -EINVAL;
	}

	ids = p->ids;
	fqdn_len = p->naf_id_len - E2M_UA_PROTO_ID_LEN;
	if (!e2m_is_graphic(ids, p->btid_len)) {
		*why = "B-TID is not printable ASCII";
		return -EINVAL;
	}
	ids += p->btid_len;
	if (!e2m_is_fqdn(ids, fqdn_len)) {
		*why = "NAF_Id FQDN has a character outside [A-Za-z0-9.-]";
		return -EINVAL;
	}
	ids += p->naf_id_len;
	if (!e2m_is_graphic(ids, p->device_id_len)) {
		*why = "Device_ID is not printable ASCII";
		return -EINVAL;
	}
	return 0;
}

/* Copies @len octets of @src into @dst as a C string; returns the string. */
static const char *e2m_put_string(char **dst, const u8 *src, size_t len)
{
	char *s = *dst;

	memcpy(s, src, len);
	s[len] = '\0';
	*dst += len + 1;
	return s;
}

static int e2m_ks_local_preparse(struct key_preparsed_payload *prep)
{
	const struct e2m_ks_local_payload *p = prep->data;
	size_t fqdn_len, strings;
	struct e2m_ks_local *kl;
	const u8 *ids;
	const char *why;
	char *out;
	int ret;

	ret = e2m_ks_local_payload_check(prep->data, prep->datalen, &why);
	if (ret) {
		pr_info_ratelimited("ks_local payload refused: %s\n", why);
		return ret;
	}

	fqdn_len = p->naf_id_len - E2M_UA_PROTO_ID_LEN;
	strings = p->btid_len + 1 + fqdn_len + 1 + p->device_id_len + 1;
	kl = kzalloc(struct_size(kl, ids, strings), GFP_KERNEL);
	if (!kl)
		return -ENOMEM;
	kl->fresh = e2m_fresh_alloc(E2M_MATERIAL_KS_LOCAL, p->key,
				    sizeof(p->key));
	if (!kl->fresh) {
		kfree(kl);
		return -ENOMEM;
	}
	kl->kind = p->kind;
	memcpy(kl->key, p->key, sizeof(kl->key));

	ids = p->ids;
	out = kl->ids;
	kl->btid = e2m_put_string(&out, ids, p->btid_len);
	ids += p->btid_len;
	kl->naf_fqdn = e2m_put_string(&out, ids, fqdn_len);
	memcpy(kl->naf_ua_id, ids + fqdn_len, E2M_UA_PROTO_ID_LEN);
	ids += p->naf_id_len;
	kl->device_id = e2m_put_string(&out, ids, p->device_id_len);
	e2m_obj_created(E2M_OBJ_KS_LOCAL);

	prep->payload.data[0] = kl;
	prep->quotalen = struct_size(kl, ids, strings);
	if (p->lifetime)
		prep->expiry = ktime_get_real_seconds() + p->lifetime;
	return 0;
}

static void e2m_ks_local_free(struct e2m_ks_local *kl)
{
	if (!kl)
		return;
	e2m_fresh_put(kl->fresh);
	kfree_sensitive(kl);
	e2m_obj_destroyed(E2M_OBJ_KS_LOCAL);
}

static void e2m_ks_local_free_rcu(struct rcu_head *head)
{
	e2m_ks_local_free(container_of(head, struct e2m_ks_local, rcu));
}

static void e2m_ks_local_free_preparse(struct key_preparsed_payload *prep)
{
	e2m_ks_local_free(prep->payload.data[0]);
}

/*
 * Called with key->sem write-locked, KEY_FLAG_REVOKED already set: the
 * slots bound to the key die now and drop the link keys derived from it,
 * as an e2mkeyset's do (keyset.c).
 */
static void e2m_ks_local_revoke(struct key *key)
{
	struct e2m_ks_local *kl = dereference_key_locked(key);

	rcu_assign_keypointer(key, NULL);
	if (kl) {
		e2m_keyslots_kill_bound(kl->fresh, -EKEYREVOKED);
		call_rcu(&kl->rcu, e2m_ks_local_free_rcu);
	}
}

static void e2m_ks_local_destroy(struct key *key)
{
	e2m_ks_local_free(key->payload.data[0]);
	key->payload.data[0] = NULL;
}

/* Called under rcu_read_lock(): identifiers only, never the key. */
static void e2m_ks_local_describe(const struct key *key, struct seq_file *m)
{
	const struct e2m_ks_local *kl;

	seq_puts(m, key->description);
	if (!key_is_positive(key))
		return;
	kl = dereference_key_rcu(key);
	if (!kl) {
		seq_puts(m, ": wiped");
		return;
	}
	seq_printf(m, ": %s, 256-bit, btid %s, naf %s/%*phN, device %s",
		   kl->kind == E2M_KS_LOCAL_DEVICE ? "Ks_local_device" :
						     "Ks_local_MT",
		   kl->btid, kl->naf_fqdn, E2M_UA_PROTO_ID_LEN, kl->naf_ua_id,
		   kl->device_id);
}

struct key_type e2m_ks_local_key_type = {
	.name		= E2M_KS_LOCAL_KEY_TYPE,
	.preparse	= e2m_ks_local_preparse,
	.free_preparse	= e2m_ks_local_free_preparse,
	.instantiate	= generic_key_instantiate,
	.revoke		= e2m_ks_local_revoke,
	.destroy	= e2m_ks_local_destroy,
	.describe	= e2m_ks_local_describe,
};

int e2m_ks_local_init(void)
{
	return register_key_type(&e2m_ks_local_key_type);
}

void e2m_ks_local_exit(void)
{
	unregister_key_type(&e2m_ks_local_key_type);
}
