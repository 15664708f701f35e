// SPDX-License-Identifier: GPL-2.0
/*
 * A GBA handshake's NAF key pulled over Zn, see gba_zn_key.h.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "daemon/gba_zn_key.h"
#include "net/tls_gba.h"
#include "proto/gba/ub_json.h"

#define BSF_UNAVAILABLE	"BSF unavailable"

struct gba_zn_key {
	struct gba_zn_key_conf conf;
	size_t n_pulls;			/* Zn calls out */
};

/*
 * One handshake's, *psk_await_owner(): from its fetch until its
 * connection ends (cancelled or released), or until a refusal.
 */
struct zn_fetch {
	struct gba_zn_key *keys;
	struct psk_await *await;
	struct https_call *call;	/* the pull out, else NULL */
	char btid[STORE_BTID_MAX + 1];
	bool uicc;
	uint8_t naf_id[ZN_NAF_ID_MAX];	/* FQDN || the Ua id */
	size_t naf_id_len;
	struct zn_key_response *answer;	/* the given key's (heap) */
};

static void count(unsigned long long *counter)
{
	if (counter)
		(*counter)++;
}

static void answer_free(struct zn_key_response *zn)
{
	if (!zn)
		return;
	zn_key_response_wipe(zn);
	free(zn);
}

static void fetch_free(struct zn_fetch *f)
{
	answer_free(f->answer);
	OPENSSL_cleanse(f, sizeof(*f));
	free(f);
}

/*
 * The fetch ends without a key: forgotten first (the answer may free
 * the connection, await with it), then the refusal.
 */
static void refuse(struct zn_fetch *f, const char *reason)
{
	struct psk_await *await = f->await;

	*psk_await_owner(await) = NULL;
	fetch_free(f);
	psk_await_key(await, NULL, 0, reason);
}

/* Why a Zn answer, pulled or kept, gives this handshake no key. */
static const char *judged(const struct zn_fetch *f,
			  const struct zn_key_response *zn,
			  const uint8_t **key)
{
	const struct gba_zn_key_conf *conf = &f->keys->conf;

	if (f->uicc && !zn->gba_u)
		return "a -uicc identity on a GBA_ME bootstrap";
	if (zn->expires <= (int64_t)time(NULL))
		return "expired B-TID";
	return conf->judge(conf->arg, f->uicc, zn, key);
}

/*
 * Gives the key zn holds, or refuses; zn (heap) becomes the fetch's
 * when its key is given, else it is freed.
 */
static void give_key(struct zn_fetch *f, struct zn_key_response *zn)
{
	const uint8_t *key = NULL;
	const char *reason = judged(f, zn, &key);

	if (reason || !key) {
		answer_free(zn);
		refuse(f, reason ? reason : "no key");
		return;
	}
	f->answer = zn;
	/* May free the connection and f with it: nothing touched after. */
	psk_await_key(f->await, key, GBA_KEY_LEN, NULL);
}

/* Why the BSF gave no key, for the tls-refused line. */
static const char *zn_refusal(const struct https_response *r)
{
	struct ub_error err = { "", "" };

	ub_error_parse(r->body, r->body_len, &err, NULL, 0);
	if (r->status == 404 && !strcmp(err.error, UB_ERR_UNKNOWN_BTID))
		return "unknown B-TID";
	if (r->status == 404 && !strcmp(err.error, UB_ERR_EXPIRED_BTID))
		return "expired B-TID";
	if (r->status == 403 && !strcmp(err.error, UB_ERR_NAF_NOT_AUTHORISED))
		return "the BSF refused the NAF (naf-not-authorised)";
	return NULL;
}

/* Why the answer gives no key for this fetch, NULL when it does. */
static const char *zn_key(struct zn_fetch *f, const struct https_response *r,
			  struct zn_key_response *zn)
{
	const struct gba_zn_key_conf *conf = &f->keys->conf;
	char why[UB_ERROR_DETAIL_MAX + 1];
	const char *refused;

	if (r->error)
		return BSF_UNAVAILABLE;
	if (r->status != 200) {
		refused = zn_refusal(r);
		return refused ? refused : BSF_UNAVAILABLE;
	}
	if (zn_key_response_parse(r->body, r->body_len, zn, why, sizeof(why)) ||
	    strcmp(zn->btid, f->btid))
		return BSF_UNAVAILABLE " (not a Zn answer for the B-TID)";
	/* Kept before it is judged: the next handshake judges anew. */
	if (conf->pulled)
		conf->pulled(conf->arg, f->naf_id, f->naf_id_len, zn);
	return NULL;
}

/* The BSF answered: the paused handshake resumes with its key, or fails. */
static void pulled(const struct https_response *r, void *arg)
{
	struct zn_fetch *f = arg;
	struct zn_key_response *zn = calloc(1, sizeof(*zn));
	const char *reason = zn ? zn_key(f, r, zn) : "out of memory";

	f->call = NULL;
	f->keys->n_pulls--;
	if (reason && !strncmp(reason, BSF_UNAVAILABLE,
			       sizeof(BSF_UNAVAILABLE) - 1))
		count(f->keys->conf.zn_failures);
	if (reason) {
		answer_free(zn);
		refuse(f, reason);
		return;
	}
	give_key(f, zn);
}

/* The key from the owner's cache, given at once: 0, or -ENOENT. */
static int kept_key(struct zn_fetch *f)
{
	const struct gba_zn_key_conf *conf = &f->keys->conf;
	struct zn_key_response *zn;
	int ret;

	if (!conf->kept)
		return -ENOENT;
	zn = calloc(1, sizeof(*zn));
	if (!zn)
		return -ENOENT;
	ret = conf->kept(conf->arg, f->btid, f->naf_id, f->naf_id_len,
			 f->uicc, zn);
	if (ret) {
		answer_free(zn);
		return ret;
	}
	give_key(f, zn);
	return 0;
}

/* The Zn call: 0, or a negative errno with the handshake refused. */
static int pull(struct zn_fetch *f)
{
	struct gba_zn_key *keys = f->keys;
	const struct gba_zn_key_conf *conf = &keys->conf;
	struct zn_key_request req = { 0 };
	char why[UB_ERROR_DETAIL_MAX + 1], *text = NULL;

	if (keys->n_pulls >= conf->max_pulls) {
		count(conf->zn_failures);
		refuse(f, BSF_UNAVAILABLE " (too many Zn calls)");
		return -EBUSY;
	}
	memcpy(req.naf_id, f->naf_id, f->naf_id_len);
	req.naf_id_len = f->naf_id_len;
	strcpy(req.btid, f->btid);
	req.gba_u = f->uicc;
	if (zn_key_request_build(&req, &text, why, sizeof(why))) {
		refuse(f, "out of memory");
		return -ENOMEM;
	}
	count(conf->pulls);
	f->call = https_post(conf->zn, ZN_PATH_NAF_KEY, UB_JSON_CONTENT_TYPE,
			     text, strlen(text), pulled, f);
	ub_json_text_free(text);
	if (!f->call) {
		count(conf->zn_failures);
		refuse(f, BSF_UNAVAILABLE);
		return -EIO;
	}
	keys->n_pulls++;
	return 0;
}

/* The PSK callback's key (psk_source get_key): the whole identity. */
static int get_key(void *arg, struct psk_await *await, const char *identity)
{
	struct gba_zn_key *keys = arg;
	const struct gba_zn_key_conf *conf = &keys->conf;
	uint8_t suite_ua_id[GBA_UA_ID_LEN];
	struct zn_fetch *f;
	int len;

	f = calloc(1, sizeof(*f));
	if (!f) {
		psk_await_key(await, NULL, 0, "out of memory");
		return -ENOMEM;
	}
	f->keys = keys;
	f->await = await;
	*psk_await_owner(await) = f;
	if (tls_gba_identity_parse(identity, f->btid, &f->uicc)) {
		refuse(f, "not a GBA identity");
		return -EINVAL;
	}
	if (!conf->ua_id && tls_gba_fetch_ua_id(await->ssl, suite_ua_id)) {
		refuse(f, "no suite");
		return -EINVAL;
	}
	len = gba_naf_id(f->naf_id, sizeof(f->naf_id), conf->name(conf->arg),
			 conf->ua_id ? conf->ua_id : suite_ua_id);
	if (len < 0) {
		refuse(f, "no NAF_Id");
		return len;
	}
	f->naf_id_len = (size_t)len;
	if (!kept_key(f))
		return 0;	/* answered: the handshake goes on unpaused */
	return pull(f);
}

static void cancel(void *arg, struct psk_await *await)
{
	struct zn_fetch *f = *psk_await_owner(await);

	(void)arg;
	if (!f)
		return;
	if (f->call) {
		https_call_cancel(f->call);
		f->keys->n_pulls--;
	}
	*psk_await_owner(await) = NULL;
	fetch_free(f);
}

/* The connection of a given key ends: its answer goes, wiped. */
static void release(struct psk_await *await)
{
	struct zn_fetch *f = *psk_await_owner(await);

	*psk_await_owner(await) = NULL;
	if (f)
		fetch_free(f);
}

int gba_zn_key_new(struct gba_zn_key **out,
		   const struct gba_zn_key_conf *conf)
{
	struct gba_zn_key *keys = calloc(1, sizeof(*keys));

	*out = keys;
	if (!keys)
		return -ENOMEM;
	keys->conf = *conf;
	return 0;
}

void gba_zn_key_free(struct gba_zn_key *keys)
{
	free(keys);
}

struct psk_source gba_zn_key_source(struct gba_zn_key *keys)
{
	return (struct psk_source){
		.get_key = get_key,
		.cancel = cancel,
		.release = release,
		.arg = keys,
		.max_awaited = SIZE_MAX,
	};
}

const struct zn_key_response *gba_zn_key_answer(struct psk_await *await)
{
	const struct zn_fetch *f = *psk_await_owner(await);

	return await->keyed && f ? f->answer : NULL;
}
