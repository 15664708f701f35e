// SPDX-License-Identifier: GPL-2.0
/*
 * The engine-independent half of the store: argument checks, expiry, the
 * checks on what SQN callbacks leave behind, and the dispatch to the
 * engine.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "store_engine.h"
#include "store_group.h"
#include "store_sqn_reserve.h"
#include "util/why.h"

/* Like a handle, not for threads: e2md's one loop is its only user. */
static uint64_t errors;

uint64_t store_error_count(void)
{
	return errors;
}

void store_count_error(void)
{
	errors++;
}

void store_set_errmsg(struct store *store, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(store->errmsg, sizeof(store->errmsg), fmt, ap);
	va_end(ap);
}

const char *store_errmsg(const struct store *store)
{
	return store->errmsg;
}

const char *store_strerror(int err)
{
	switch (err) {
	case 0:
		return "success";
	case -EINVAL:
		return "invalid argument";
	case -ENOENT:
		return "not found";
	case -EEXIST:
		return "already exists";
	case -EKEYEXPIRED:
		return "bootstrap session expired";
	case -EKEYREJECTED:
		return "wrong store key, or tampered data";
	case -EPROTONOSUPPORT:
		return "store schema newer than this program";
	case -EBUSY:
		return "store locked by another process";
	case -EUCLEAN:
		return "store file damaged or not an e2m store";
	case -EPERM:
		return "store key file not private (mode 0600 or 0400)";
	case -EOVERFLOW:
		return "sequence numbers exhausted";
	case -ENOMEM:
		return "out of memory";
	case -ENOSPC:
		return "no space left";
	case -EOPNOTSUPP:
		return "not implemented by this store engine";
	case -ENOTCONN:
		return "store server unreachable";
	default:
		return "input/output error";
	}
}

int store_open(struct store **store, const char *path,
	       const struct store_key *key, char *why, size_t why_size)
{
	*store = NULL;
	if (!path || !*path || !key) {
		ub_why(why, why_size, "no store path or key");
		return -EINVAL;
	}
	return store_sqlite_open(store, path, key, why, why_size);
}

unsigned int store_engine_families(const char *engine)
{
	if (!engine)
		return 0;
	if (!strcmp(engine, "sqlite"))
		return STORE_SQLITE_FAMILIES;
	if (!strcmp(engine, "postgresql"))
		return STORE_PG_FAMILIES;
	return 0;
}

void store_close(struct store *store)
{
	if (!store)
		return;
	store_group_detach(store);
	sqn_reserve_close(store);
	store->ops->close(store);
}

const char *store_engine(const struct store *store)
{
	return store->ops->name;
}

int store_schema_version(const struct store *store)
{
	return store->ops->schema_version(store);
}

void store_reads_begin(struct store *store)
{
	store->ops->reads_begin(store);
}

void store_reads_end(struct store *store)
{
	store->ops->reads_end(store);
}

/* Identities. */

static int all_digits(const char *s, size_t min, size_t max)
{
	size_t len = strnlen(s, max + 1), i;

	if (len < min || len > max)
		return 0;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
	}
	return 1;
}

/* Printable ASCII but space: what goes into a NAI or a B-TID. */
static int printable(const char *s, size_t max)
{
	size_t len = strnlen(s, max + 1), i;

	if (len == 0 || len > max)
		return 0;
	for (i = 0; i < len; i++) {
		if (s[i] <= ' ' || s[i] > '~')
			return 0;
	}
	return 1;
}

int store_imsi_valid(const char *imsi)
{
	return imsi && all_digits(imsi, STORE_IMSI_MIN, STORE_IMSI_MAX);
}

/* username@realm (TS 23.003 13.3): both parts non-empty. */
int store_impi_valid(const char *impi)
{
	const char *at;

	if (!impi || !printable(impi, STORE_IMPI_MAX))
		return 0;
	at = strchr(impi, '@');
	return at && at != impi && at[1] && !strchr(at + 1, '@');
}

/* ITU-T E.118: up to 19 digits and a check digit; 18 at least in use. */
int store_iccid_valid(const char *iccid)
{
	return iccid && all_digits(iccid, 18, STORE_ICCID_MAX);
}

/* base64(RAND)@BSF FQDN: printable, one '@' with text on both sides. */
int store_btid_valid(const char *btid)
{
	return store_impi_valid(btid);
}

/* IMSI (digits) or IMPI: the two never look alike. */
static int id_valid(const char *id)
{
	return store_imsi_valid(id) || store_impi_valid(id);
}

/* SQN state. */

static int ind_bits_valid(unsigned int ind_bits)
{
	return ind_bits <= STORE_IND_BITS_MAX;
}

/* SEQ has 48 - ind_bits bits. */
static uint64_t seq_max(unsigned int ind_bits)
{
	return (UINT64_C(1) << (48 - ind_bits)) - 1;
}

static int sqn_he_valid(const struct store_sqn_he *sqn)
{
	return ind_bits_valid(sqn->ind_bits) &&
	       sqn->ind < (1u << sqn->ind_bits) &&
	       sqn->seq <= seq_max(sqn->ind_bits);
}

static int sqn_ms_valid(const struct store_sqn_ms *sqn)
{
	unsigned int i;

	if (!ind_bits_valid(sqn->ind_bits))
		return 0;
	for (i = 0; i < STORE_IND_SLOTS_MAX; i++) {
		/* Slots past 2^ind_bits are unused and stay zero. */
		if (sqn->seq[i] > seq_max(sqn->ind_bits) ||
		    (i >= (1u << sqn->ind_bits) && sqn->seq[i]))
			return 0;
	}
	return 1;
}

/* Subscribers. */

void store_subscriber_init(struct store_subscriber *sub)
{
	memset(sub, 0, sizeof(*sub));
	sub->pub.sqn.ind_bits = STORE_IND_BITS_DEFAULT;
	strcpy(sub->pub.uss, "[]");
}

void store_subscriber_wipe(struct store_subscriber *sub)
{
	OPENSSL_cleanse(sub, sizeof(*sub));
}

static int subscriber_info_valid(const struct store_subscriber_info *info)
{
	return store_imsi_valid(info->imsi) && store_impi_valid(info->impi) &&
	       !(info->flags & ~STORE_SUB_FLAGS) &&
	       sqn_he_valid(&info->sqn) && store_uss_check(info->uss) == 0;
}

int store_subscriber_add(struct store *store,
			 const struct store_subscriber *sub)
{
	if (!subscriber_info_valid(&sub->pub)) {
		store_set_errmsg(store, "invalid subscriber");
		return -EINVAL;
	}
	sqn_reserve_forget(store, sub->pub.imsi);
	return store->ops->subscriber_add(store, sub);
}

int store_subscriber_get(struct store *store, const char *id,
			 struct store_subscriber *sub)
{
	int ret;

	memset(sub, 0, sizeof(*sub));
	if (!id_valid(id))
		return -EINVAL;
	ret = store->ops->subscriber_get(store, id, sub);
	if (!ret)
		sqn_reserve_overlay(store, &sub->pub);
	return ret;
}

int store_subscriber_remove(struct store *store, const char *id)
{
	if (!id_valid(id))
		return -EINVAL;
	sqn_reserve_forget(store, id);
	return store->ops->subscriber_remove(store, id);
}

/* A listed subscriber with its SEQ_HE in memory, if reserved. */
struct list_call {
	const struct store *store;
	store_subscriber_fn fn;
	void *arg;
};

static int list_overlaid(const struct store_subscriber_info *info, void *arg)
{
	const struct list_call *call = arg;
	struct store_subscriber_info copy = *info;

	sqn_reserve_overlay(call->store, &copy);
	return call->fn(&copy, call->arg);
}

int store_subscriber_list(struct store *store, store_subscriber_fn fn,
			  void *arg)
{
	struct list_call call = { store, fn, arg };

	if (!fn || !store->sqn_reserve)
		return store->ops->subscriber_list(store, fn, arg);
	return store->ops->subscriber_list(store, list_overlaid, &call);
}

/* Runs the caller's fn, then refuses a state it left out of range. */
struct sqn_he_call {
	store_sqn_he_fn fn;
	void *arg;
};

static int sqn_he_checked(struct store_subscriber *sub, void *arg)
{
	const struct sqn_he_call *call = arg;
	uint8_t ind_bits = sub->pub.sqn.ind_bits;
	int ret = call->fn(sub, call->arg);

	if (ret == 0 && (!sqn_he_valid(&sub->pub.sqn) ||
			 sub->pub.sqn.ind_bits != ind_bits))
		return -EINVAL;
	return ret;
}

int store_subscriber_sqn_update(struct store *store, const char *id,
				store_sqn_he_fn fn, void *arg,
				struct store_subscriber *sub)
{
	struct sqn_he_call call = { fn, arg };

	memset(sub, 0, sizeof(*sub));
	if (!id_valid(id) || !fn)
		return -EINVAL;
	return sqn_reserve_update(store, id, sqn_he_checked, &call, sub);
}

/* Sessions. */

void store_session_wipe(struct store_session *session)
{
	OPENSSL_cleanse(session, sizeof(*session));
}

int store_session_add(struct store *store, const struct store_session *session)
{
	const struct store_session_info *info = &session->pub;

	if (!store_btid_valid(info->btid) || !store_impi_valid(info->impi) ||
	    info->expires <= info->created ||
	    (info->flags & ~STORE_SESSION_FLAGS) ||
	    (info->uss[0] && store_uss_check(info->uss))) {
		store_set_errmsg(store, "invalid bootstrap session");
		return -EINVAL;
	}
	return store->ops->session_add(store, session);
}

int store_session_get(struct store *store, const char *btid, int64_t now,
		      struct store_session *session)
{
	int ret;

	memset(session, 0, sizeof(*session));
	if (!store_btid_valid(btid))
		return -EINVAL;
	ret = store->ops->session_get(store, btid, session);
	if (ret == 0 && session->pub.expires <= now) {
		store_session_wipe(session);
		return -EKEYEXPIRED;
	}
	return ret;
}

int store_session_latest(struct store *store, const char *impi, int64_t now,
			 struct store_session *session)
{
	memset(session, 0, sizeof(*session));
	if (!store_impi_valid(impi))
		return -EINVAL;
	return store->ops->session_latest(store, impi, now, session);
}

int store_session_purge(struct store *store, int64_t now)
{
	return store->ops->session_purge(store, now);
}

int store_session_list(struct store *store, store_session_fn fn, void *arg)
{
	return store->ops->session_list(store, fn, arg);
}

/* USIMs. */

void store_usim_init(struct store_usim *usim)
{
	memset(usim, 0, sizeof(*usim));
	usim->pub.sqn.ind_bits = STORE_IND_BITS_DEFAULT;
}

void store_usim_wipe(struct store_usim *usim)
{
	OPENSSL_cleanse(usim, sizeof(*usim));
}

void store_usim_gba_wipe(struct store_usim_gba *gba)
{
	OPENSSL_cleanse(gba, sizeof(*gba));
}

int store_usim_add(struct store *store, const struct store_usim *usim)
{
	const struct store_usim_info *info = &usim->pub;

	if (!store_iccid_valid(info->iccid) || !store_imsi_valid(info->imsi) ||
	    !store_impi_valid(info->impi) ||
	    (info->flags & ~STORE_USIM_FLAGS) || !sqn_ms_valid(&info->sqn)) {
		store_set_errmsg(store, "invalid USIM");
		return -EINVAL;
	}
	return store->ops->usim_add(store, usim);
}

int store_usim_get(struct store *store, const char *iccid,
		   struct store_usim *usim)
{
	memset(usim, 0, sizeof(*usim));
	if (!store_iccid_valid(iccid))
		return -EINVAL;
	return store->ops->usim_get(store, iccid, usim);
}

int store_usim_remove(struct store *store, const char *iccid)
{
	if (!store_iccid_valid(iccid))
		return -EINVAL;
	return store->ops->usim_remove(store, iccid);
}

struct sqn_ms_call {
	store_sqn_ms_fn fn;
	void *arg;
};

static int sqn_ms_checked(struct store_usim *usim, void *arg)
{
	const struct sqn_ms_call *call = arg;
	uint8_t ind_bits = usim->pub.sqn.ind_bits;
	int ret = call->fn(usim, call->arg);

	if (ret == 0 && (!sqn_ms_valid(&usim->pub.sqn) ||
			 usim->pub.sqn.ind_bits != ind_bits))
		return -EINVAL;
	return ret;
}

int store_usim_sqn_update(struct store *store, const char *iccid,
			  store_sqn_ms_fn fn, void *arg,
			  struct store_usim *usim)
{
	struct sqn_ms_call call = { fn, arg };

	memset(usim, 0, sizeof(*usim));
	if (!store_iccid_valid(iccid) || !fn)
		return -EINVAL;
	return store->ops->usim_sqn_update(store, iccid, sqn_ms_checked,
					   &call, usim);
}

int store_usim_gba_set(struct store *store, const char *iccid,
		       const struct store_usim_gba *gba)
{
	if (!store_iccid_valid(iccid) ||
	    (gba->btid[0] && !store_btid_valid(gba->btid)) ||
	    strnlen(gba->btid, sizeof(gba->btid)) >= sizeof(gba->btid))
		return -EINVAL;
	return store->ops->usim_gba_set(store, iccid, gba);
}

int store_usim_gba_get(struct store *store, const char *iccid,
		       struct store_usim_gba *gba)
{
	memset(gba, 0, sizeof(*gba));
	if (!store_iccid_valid(iccid))
		return -EINVAL;
	return store->ops->usim_gba_get(store, iccid, gba);
}

/*
 * Step 6 of a key update, decided alike by every engine inside the
 * transaction that holds the subscriber's row (store_engine.h).
 */
int store_key_update_decide(struct store *store,
			    const struct store_subscriber *sub, uint32_t last,
			    uint32_t counter, const uint8_t *k,
			    const uint8_t *opc)
{
	if (last == counter &&
	    !CRYPTO_memcmp(sub->k, k, sizeof(sub->k)) &&
	    !CRYPTO_memcmp(sub->opc, opc, sizeof(sub->opc)))
		return 1;
	if (counter <= last) {
		store_set_errmsg(store, "key update counter not above the"
				 " last one accepted");
		return -ESTALE;
	}
	return 0;
}

/* ---- the USIM's SD credentials (schema 15) ------------------------------ */

static bool sd_cert_len_valid(size_t len)
{
	return len >= 1 && len <= STORE_SD_CERT_MAX;
}

int store_usim_sd_set(struct store *store, const char *iccid,
		      const struct store_usim_sd *sd)
{
	if (!store_iccid_valid(iccid) || !sd_cert_len_valid(sd->cert_len) ||
	    !sd_cert_len_valid(sd->ca_kloc_len)) {
		store_set_errmsg(store, "invalid USIM SD credentials");
		return -EINVAL;
	}
	return store->ops->usim_sd_set(store, iccid, sd);
}

int store_usim_sd_get(struct store *store, const char *iccid,
		      struct store_usim_sd *sd)
{
	int ret;

	memset(sd, 0, sizeof(*sd));
	if (!store_iccid_valid(iccid))
		return -EINVAL;
	ret = store->ops->usim_sd_get(store, iccid, sd);
	if (ret)
		store_usim_sd_wipe(sd);
	return ret;
}

void store_usim_sd_wipe(struct store_usim_sd *sd)
{
	OPENSSL_cleanse(sd, sizeof(*sd));
}
