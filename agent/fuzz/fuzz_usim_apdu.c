// SPDX-License-Identifier: GPL-2.0
/*
 * The USIM's side of a key update (ue/usim_update.h) on arbitrary APDUs,
 * as it gets them from the OCE. The first octet picks where the session
 * stands before them: bits 0-1 (mod 3) none (fresh), the OCE's
 * certificate accepted, or MUTUAL AUTHENTICATE done too; bit 2 the USIM,
 * a fresh one (counter 0, nothing pending) or one with keys
 * pending (counter 7). The rest is APDUs, each a 2-octet length (big endian, cut
 * to what is left) and that many octets: a flag octet, then the APDU.
 * With flag bit 0 set, and secure messaging open with the OCE's keys, the
 * APDU is CLA INS P1 P2 data, wrapped here under C-MAC as the OCE would
 * (so what the profile update parses is the fuzzer's); else it goes as
 * it is. A MUTUAL AUTHENTICATE with this OCE's fixed ephemeral key
 * (scalar 44..44) opens the OCE's side as well.
 *
 * Must hold: every answer is 0 or -EPIPE, fits its buffer, and after
 * -EPIPE nothing more is answered; the store's USIM (K, OPc, pending
 * keys, counter) changes only on a profile update answered 9000 under
 * R-MAC, and then to exactly the keys sent under S-DEK and the request's
 * counter, with the KCVs of them in the result. The store is a scratch
 * SQLite file, put back after an input that changed it.
 */
#include <dirent.h>
#include <errno.h>
#include <unistd.h>

#include <sanitizer/asan_interface.h>
#include <sanitizer/lsan_interface.h>

#include "crypto/scp11a_sm.h"
#include "fuzz.h"
#include "proto/keyupdate/profile_update.h"
#include "tests/keyupdate_fixture.h"
#include "ue/usim_update.h"

#define ICCID_FREE	"8988211000000000001"	/* nothing pending */
#define ICCID_PENDING	"8988211000000000002"	/* keys pending */
#define IMSI		"001010000000001"

struct fixed {
	struct keyupdate_pki pki;
	EVP_PKEY *e_oce;			/* the OCE's ephemeral key */
	uint8_t *cert;				/* the OCE's, DER */
	int cert_len;
	uint8_t auth[5 + SCP11A_AUTH_DATA_LEN];	/* MUTUAL AUTHENTICATE */
	struct store *store;
	struct store_usim usims[2];		/* as the store holds them */
	char dir[256];
};

/* One input's session, both ends. */
struct run {
	struct fixed *f;
	struct usim_update *usim;
	struct store_usim *usim_row;	/* what the store holds now */
	bool over;			/* -EPIPE seen */
	bool oce_open;			/* keys, sm: the OCE's side */
	bool changed;			/* the store to put back */
	struct scp11a_keys keys;
	struct scp_sm sm;
};

static struct fixed fx;

/*
 * An input here is a whole session: OpenSSL's certificate decoding and
 * key agreement allocate thousands of times, and with ASan's default
 * quarantine (256 MiB) nearly every allocation lands on a page not yet
 * touched. 32 MiB still holds many sessions' frees, and makes the target
 * twice as fast.
 */
const char *__asan_default_options(void)
{
	return "quarantine_size_mb=32";
}

static void remove_dir(void)
{
	char path[512];
	struct dirent *entry;
	DIR *dir;

	store_close(fx.store);
	dir = opendir(fx.dir);
	if (!dir)
		return;
	while ((entry = readdir(dir))) {
		if (strcmp(entry->d_name, ".") && strcmp(entry->d_name, "..")) {
			snprintf(path, sizeof(path), "%s/%s", fx.dir,
				 entry->d_name);
			unlink(path);
		}
	}
	closedir(dir);
	rmdir(fx.dir);
}

static void usim_row(struct store_usim *u, const char *iccid)
{
	store_usim_init(u);
	strcpy(u->pub.iccid, iccid);
	strcpy(u->pub.imsi, IMSI);
	strcpy(u->pub.impi, IMSI "@ims.mnc001.mcc001.3gppnetwork.org");
	memset(u->k, 0x46, sizeof(u->k));
	memset(u->opc, 0xcd, sizeof(u->opc));
}

/*
 * usim into the store: added (counter 0, nothing pending), then its
 * pending keys staged under its counter if it has some.
 */
static void add_usim(const struct store_usim *usim)
{
	FUZZ_ASSERT(!store_usim_add(fx.store, usim));
	if (usim->pub.has_pending)
		FUZZ_ASSERT(!store_usim_stage_keys(fx.store, usim->pub.iccid,
						   usim->pub.update_counter,
						   usim->pending_k,
						   usim->pending_opc));
}

static void store_make(void)
{
	const char *tmp = getenv("TMPDIR");
	struct store_key key;
	char path[300];

	snprintf(fx.dir, sizeof(fx.dir), "%s/e2m-fuzz-usim.XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	FUZZ_ASSERT(mkdtemp(fx.dir));
	atexit(remove_dir);
	snprintf(path, sizeof(path), "%s/ue.db", fx.dir);
	memset(key.bytes, 0x5a, sizeof(key.bytes));
	FUZZ_ASSERT(!store_open(&fx.store, path, &key, NULL, 0));
	usim_row(&fx.usims[0], ICCID_FREE);
	usim_row(&fx.usims[1], ICCID_PENDING);
	memset(fx.usims[1].pending_k, 0x77, AKA_K_LEN);
	memset(fx.usims[1].pending_opc, 0x88, AKA_OP_LEN);
	fx.usims[1].pub.update_counter = 7;
	fx.usims[1].pub.has_pending = true;
	add_usim(&fx.usims[0]);
	add_usim(&fx.usims[1]);
	FUZZ_ASSERT(!store_usim_get(fx.store, ICCID_FREE, &fx.usims[0]));
	FUZZ_ASSERT(!store_usim_get(fx.store, ICCID_PENDING, &fx.usims[1]));
	FUZZ_ASSERT(!fx.usims[0].pub.has_pending &&
		    fx.usims[1].pub.has_pending &&
		    fx.usims[1].pub.update_counter == 7);
}

static struct fixed *fixed(void)
{
	X509 *cert;
	uint8_t *p;

	if (fx.store)
		return &fx;
	/*
	 * Kept for the whole run. The store's handle lives in memory kept
	 * out of core dumps (util/secure_alloc.h), which LeakSanitizer does
	 * not scan: what is allocated now is a root of its own instead.
	 */
	__lsan_disable();
	keyupdate_pki_make(&fx.pki);
	cert = make_cert(fx.pki.pk_oce, "prov.example", fx.pki.ca_kloc,
			 fx.pki.ca_key, EVP_sha256(), 30, 0);
	fx.cert_len = i2d_X509(cert, NULL);
	FUZZ_ASSERT(fx.cert_len > 0 && fx.cert_len <= 2048);
	fx.cert = malloc((size_t)fx.cert_len);
	p = fx.cert;
	FUZZ_ASSERT(fx.cert && i2d_X509(cert, &p) == fx.cert_len);
	X509_free(cert);
	fx.e_oce = keyupdate_fixed_key(0x44);
	memcpy(fx.auth, "\x80\x82\x01\x11", 4);
	fx.auth[4] = SCP11A_AUTH_DATA_LEN;
	FUZZ_ASSERT(!scp11a_oce_auth_data(fx.auth + 5, fx.e_oce));
	store_make();
	__lsan_enable();
	return &fx;
}

static bool same_usim(const struct store_usim *a, const struct store_usim *b)
{
	return !strcmp(a->pub.imsi, b->pub.imsi) &&
	       a->pub.update_counter == b->pub.update_counter &&
	       a->pub.has_pending == b->pub.has_pending &&
	       !memcmp(a->k, b->k, sizeof(a->k)) &&
	       !memcmp(a->opc, b->opc, sizeof(a->opc)) &&
	       (!a->pub.has_pending ||
		(!memcmp(a->pending_k, b->pending_k, sizeof(a->pending_k)) &&
		 !memcmp(a->pending_opc, b->pending_opc,
			 sizeof(a->pending_opc))));
}

static void check_unchanged(struct run *r)
{
	struct store_usim now;

	FUZZ_ASSERT(!store_usim_get(r->f->store, r->usim_row->pub.iccid,
				    &now));
	FUZZ_ASSERT(same_usim(&now, r->usim_row));
	store_usim_wipe(&now);
}

/*
 * A profile update answered 9000: the store holds what the request sent,
 * the result says so. cmd is the command before wrapping, plain the
 * result unwrapped.
 */
static void check_update(struct run *r, const struct scp_apdu *cmd,
			 const uint8_t *plain, size_t plain_len)
{
	struct ku_update_request req;
	struct ku_update_result res;
	struct store_usim now;
	uint8_t k[16], opc[16], kcv[KU_KCV_LEN];

	FUZZ_ASSERT(cmd->cla == KU_CLA && cmd->ins == KU_INS_PROFILE_UPDATE &&
		    !ku_update_request_parse(&req, cmd->data, cmd->len));
	FUZZ_ASSERT(!ku_update_result_parse(&res, plain, plain_len));
	FUZZ_ASSERT(!strcmp(req.iccid, r->usim_row->pub.iccid) &&
		    !strcmp(req.imsi, IMSI) && !strcmp(res.iccid, req.iccid) &&
		    res.counter == req.counter);
	FUZZ_ASSERT(!scp_dek_unwrap(r->keys.s_dek, req.wrapped_k, 16, k) &&
		    !scp_dek_unwrap(r->keys.s_dek, req.wrapped_opc, 16, opc));
	FUZZ_ASSERT(!store_usim_get(r->f->store, req.iccid, &now));
	FUZZ_ASSERT(now.pub.has_pending &&
		    now.pub.update_counter == req.counter &&
		    !memcmp(now.pending_k, k, 16) &&
		    !memcmp(now.pending_opc, opc, 16) &&
		    !memcmp(now.k, r->usim_row->k, 16) &&
		    !memcmp(now.opc, r->usim_row->opc, 16));
	FUZZ_ASSERT(!ku_kcv(k, kcv) && !memcmp(kcv, res.kcv_k, KU_KCV_LEN));
	FUZZ_ASSERT(!ku_kcv(opc, kcv) &&
		    !memcmp(kcv, res.kcv_opc, KU_KCV_LEN));
	if (!same_usim(&now, r->usim_row)) {
		/* Only a fresh update may change it, from nothing pending. */
		FUZZ_ASSERT(!r->usim_row->pub.has_pending &&
			    req.counter > r->usim_row->pub.update_counter);
		r->changed = true;
	}
	*r->usim_row = now;
}

/* One APDU to the USIM, as it is: its return, checked. */
static int send_raw(struct run *r, const uint8_t *apdu, size_t len,
		    uint8_t *resp, size_t *resp_len)
{
	bool was_over = r->over;
	int ret;

	ret = usim_update_handle(r->usim, apdu, len, resp,
				 USIM_UPDATE_RESP_MAX, resp_len);
	FUZZ_ASSERT(ret == 0 || ret == -EPIPE);
	FUZZ_ASSERT(*resp_len <= USIM_UPDATE_RESP_MAX);
	if (was_over)
		FUZZ_ASSERT(ret == -EPIPE && *resp_len == 0);
	if (ret == -EPIPE) {
		FUZZ_ASSERT(*resp_len == 0 || *resp_len == 2);
		r->over = true;
		r->oce_open = false;
	}
	return ret;
}

/* A MUTUAL AUTHENTICATE answered: with this OCE's key, its side opens. */
static void oce_complete(struct run *r, const uint8_t *apdu, size_t len,
			 const uint8_t *resp, size_t resp_len)
{
	if (r->over || r->oce_open || len != sizeof(r->f->auth) ||
	    memcmp(apdu, r->f->auth, len) ||
	    resp_len != SCP11A_AUTH_RESP_LEN + 2)
		return;
	FUZZ_ASSERT(resp[resp_len - 2] == 0x90 && resp[resp_len - 1] == 0);
	FUZZ_ASSERT(!scp11a_oce_complete(&r->keys, r->f->auth + 5, resp,
					 SCP11A_AUTH_RESP_LEN, r->f->e_oce,
					 r->f->pki.sk_oce, r->f->pki.pk_sd));
	scp_sm_init(&r->sm, &r->keys, scp11a_resp_receipt(resp));
	r->oce_open = true;
}

static void send_plain(struct run *r, const uint8_t *apdu, size_t len)
{
	uint8_t resp[USIM_UPDATE_RESP_MAX];
	size_t resp_len;
	bool was_over = r->over;

	send_raw(r, apdu, len, resp, &resp_len);
	oce_complete(r, apdu, len, resp, resp_len);
	if (!was_over)
		check_unchanged(r);
}

/* in: CLA INS P1 P2 data, wrapped under the OCE's C-MAC. */
static void send_wrapped(struct run *r, const uint8_t *in, size_t len)
{
	uint8_t apdu[SCP_SM_APDU_MAX], resp[USIM_UPDATE_RESP_MAX];
	uint8_t plain[SCP_SM_PADDED_MAX];
	struct scp_apdu cmd;
	size_t apdu_len, resp_len, plain_len;
	uint16_t sw;
	int ret;

	if (len < 4 || len - 4 > SCP_SM_DATA_MAX)
		return send_plain(r, in, len);
	cmd = (struct scp_apdu){ .cla = in[0], .ins = in[1], .p1 = in[2],
				 .p2 = in[3], .data = in + 4, .len = len - 4 };
	if (scp_sm_wrap_command(&r->sm, &cmd, apdu, sizeof(apdu), &apdu_len))
		return send_plain(r, in, len);
	/* A command under secure messaging is always answered under R-MAC. */
	FUZZ_ASSERT(!send_raw(r, apdu, apdu_len, resp, &resp_len));
	ret = scp_sm_unwrap_response(&r->sm, resp, resp_len, plain,
				     &plain_len, &sw);
	FUZZ_ASSERT(!ret);
	if (sw == KU_SW_OK)
		check_update(r, &cmd, plain, plain_len);
	else
		check_unchanged(r);
}

/* PERFORM SECURITY OPERATION with the OCE's certificate, extended Lc. */
static void open_cert(struct run *r)
{
	uint8_t apdu[7 + 2048], resp[USIM_UPDATE_RESP_MAX];
	size_t resp_len;

	memcpy(apdu, "\x80\x2a\x01\x10\x00", 5);
	apdu[5] = (uint8_t)(r->f->cert_len >> 8);
	apdu[6] = (uint8_t)r->f->cert_len;
	memcpy(apdu + 7, r->f->cert, (size_t)r->f->cert_len);
	FUZZ_ASSERT(!send_raw(r, apdu, 7 + (size_t)r->f->cert_len, resp,
			      &resp_len));
	FUZZ_ASSERT(resp_len == 2 && resp[0] == 0x90 && resp[1] == 0);
}

static void open_auth(struct run *r)
{
	send_plain(r, r->f->auth, sizeof(r->f->auth));
	FUZZ_ASSERT(r->oce_open);
}

/* Puts back the USIM an update changed. */
static void restore(struct run *r, int which)
{
	FUZZ_ASSERT(!store_usim_remove(r->f->store,
				       r->f->usims[which].pub.iccid));
	add_usim(&r->f->usims[which]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct store_usim row;
	struct run r = { .f = fixed(), .usim_row = &row };
	int which, stage;
	size_t n;

	if (!size)
		return 0;
	stage = (data[0] & 3) % 3;
	which = !!(data[0] & 4);
	row = r.f->usims[which];
	FUZZ_ASSERT(!usim_update_new(&r.usim, r.f->store, row.pub.iccid,
				     r.f->pki.sk_sd, r.f->pki.ca_kloc));
	if (stage >= 1)
		open_cert(&r);
	if (stage >= 2)
		open_auth(&r);
	for (data++, size--; size >= 3; data += n, size -= n) {
		n = (size_t)data[0] << 8 | data[1];
		data += 2;
		size -= 2;
		if (!n || n > size)
			n = size;
		if ((data[0] & 1) && r.oce_open)
			send_wrapped(&r, data + 1, n - 1);
		else
			send_plain(&r, data + 1, n - 1);
	}
	usim_update_free(r.usim);
	scp11a_keys_wipe(&r.keys);
	scp_sm_wipe(&r.sm);
	if (r.changed)
		restore(&r, which);
	return 0;
}
