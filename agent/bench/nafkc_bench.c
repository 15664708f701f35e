// SPDX-License-Identifier: GPL-2.0
/*
 * The NAF Key Centre's rate over PSK-TLS, one session after another, each
 * a new TLS session (ue/nafkc_client.h): the whole request (handshake,
 * POST, the B-TID's key from the Zn cache or a Zn pull, the key derived
 * and stored, the answer, the close_notify), or the handshake alone against any PSK server, e.g.
 * openssl s_server -psk, for OpenSSL's own rate in the same run, or the
 * handshake and one HTTP exchange (GET /, any status) against such a
 * server, e.g. openssl s_server -psk -www, or the Key Centre (a 404): a
 * request's shape without the Key Centre's work.
 *
 *	nafkc_bench request|handshake|get HOST PORT DEVICE-ID PSK-FILE
 *		    1.2|1.3 SECONDS [B-TID]
 *
 * With GBA PSK-TLS (the Key Centre's gba-listen), a UE's bootstrap is the
 * credential: the key for NAF || the suite's Ua id from the UE store,
 * as e2mctl nafkc-request --gba takes it; a request asks for DEVICE-ID
 * under the bootstrap's B-TID.
 *
 *	nafkc_bench gba-request|gba-handshake HOST PORT DEVICE-ID UE-STORE
 *		    UE-KEY-FILE ICCID NAF 1.2|1.3 SECONDS
 *
 * One line: "nafkc: MODE TLSvX CIPHER: N in S s: R/s" (get: "CIPHER, HTTP
 * STATUS" of the last answer).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "crypto/fc.h"
#include "net/tls_gba.h"
#include "ue/naf_key.h"
#include "ue/nafkc_client.h"
#include "util/latency.h"

/* A UE's bootstrap: its store and USIM, the NAF's FQDN. */
struct gba_ue {
	struct store *store;
	struct usim *usim;
	const char *naf;
	char identity[sizeof(TLS_GBA_HINT_UICC) + STORE_BTID_MAX];
	char btid[STORE_BTID_MAX + 1];
};

struct bench {
	const char *mode;
	bool request;
	struct nafkc_client_conf conf;
	struct ks_local_request req;
	struct store_key psk;		/* secret */
	struct gba_ue ue;
};

static int usage(void)
{
	fprintf(stderr, "usage: nafkc_bench request|handshake|get HOST PORT DEVICE-ID PSK-FILE 1.2|1.3 SECONDS [B-TID]\n"
		"       nafkc_bench gba-request|gba-handshake HOST PORT DEVICE-ID UE-STORE UE-KEY-FILE ICCID NAF 1.2|1.3 SECONDS\n");
	return 2;
}

/* The bootstrap's key for naf || ua_id (nafkc_client.h's gba_key). */
static int gba_key(void *arg, const uint8_t ua_id[GBA_UA_ID_LEN],
		   uint8_t key[GBA_KEY_LEN])
{
	struct gba_ue *ue = arg;

	return ue_naf_key_for(ue->store, ue->usim, ue->naf, ua_id, key);
}

/* The UE's store, its USIM and its current bootstrap: 0 or 1. */
static int gba_open(struct gba_ue *ue, const char *path, const char *key_file,
		    const char *iccid, const char *naf)
{
	static const uint8_t ua13[GBA_UA_ID_LEN] = TLS_GBA_UA_TLS13;
	uint8_t naf_id[KS_LOCAL_NAF_ID_MAX];
	struct store_key key;
	struct ue_naf_key k;
	char why[256];
	int len, ret;

	ue->naf = naf;
	if (store_key_from_file(&key, key_file, why, sizeof(why)) ||
	    store_open(&ue->store, path, &key, why, sizeof(why))) {
		store_key_wipe(&key);
		fprintf(stderr, "nafkc_bench: %s\n", why);
		return 1;
	}
	store_key_wipe(&key);
	if (usim_open(&ue->usim, ue->store, iccid)) {
		fprintf(stderr, "nafkc_bench: no USIM %s in %s\n", iccid, path);
		return 1;
	}
	len = gba_naf_id(naf_id, sizeof(naf_id), naf, ua13);
	ret = len < 0 ? len : ue_naf_key(ue->store, ue->usim, naf_id,
					 (size_t)len, time(NULL), &k);
	if (!ret) {
		snprintf(ue->identity, sizeof(ue->identity), "%s%s",
			 k.gba_u ? TLS_GBA_HINT_UICC : TLS_GBA_HINT, k.btid);
		strcpy(ue->btid, k.btid);
	}
	ue_naf_key_wipe(&k);
	if (ret) {
		fprintf(stderr, "nafkc_bench: no bootstrap for %s: %s\n", naf,
			strerror(-ret));
		return 1;
	}
	return 0;
}

static void gba_close(struct gba_ue *ue)
{
	if (ue->usim)
		usim_close(ue->usim);
	if (ue->store)
		store_close(ue->store);
}

/* The arguments after HOST PORT DEVICE-ID: 0, 1 or 2 (usage). */
static int setup(struct bench *b, int argc, char *argv[], const char **tls,
		 const char **seconds)
{
	bool gba = !strncmp(b->mode, "gba-", 4);
	char why[256];

	if (argc < 5 || strlen(argv[4]) > STORE_DEVICE_ID_MAX)
		return 2;
	b->conf.host = argv[2];
	b->conf.port = (uint16_t)atoi(argv[3]);
	strcpy(b->req.device_id, argv[4]);
	strcpy(b->req.label, LABEL_KS_LOCAL_DEVICE);
	if (gba) {
		if (argc != 11)
			return 2;
		*tls = argv[9];
		*seconds = argv[10];
		if (gba_open(&b->ue, argv[5], argv[6], argv[7], argv[8]))
			return 1;
		b->conf.identity = b->ue.identity;
		b->conf.gba_key = gba_key;
		b->conf.gba_arg = &b->ue;
		strcpy(b->req.btid, b->ue.btid);
		return 0;
	}
	if (argc != (b->request ? 9 : 8) ||
	    (b->request && strlen(argv[8]) > STORE_BTID_MAX))
		return 2;
	*tls = argv[6];
	*seconds = argv[7];
	if (store_key_from_file(&b->psk, argv[5], why, sizeof(why))) {
		fprintf(stderr, "nafkc_bench: %s\n", why);
		return 1;
	}
	b->conf.identity = argv[4];
	b->conf.psk = b->psk.bytes;
	if (b->request)
		strcpy(b->req.btid, argv[8]);
	return 0;
}

/* Sessions one after another for seconds: 0 or 1. */
static int run(struct bench *b, double seconds)
{
	struct nafkc_client_result result;
	struct ks_local_response resp;
	double start = latency_now(), end = start + seconds, elapsed;
	unsigned long n = 0;
	char status[16];

	do {
		int ret = b->request ?
			  nafkc_client_request(&b->conf, &b->req, &resp,
					       &result) :
			  !strcmp(b->mode, "get") ?
			  nafkc_client_get(&b->conf, "/", &result) :
			  nafkc_client_handshake(&b->conf, &result);

		if (b->request)
			ks_local_response_wipe(&resp);
		if (ret) {
			fprintf(stderr, "nafkc_bench: %s\n", result.why);
			return 1;
		}
		n++;
	} while (latency_now() < end);
	elapsed = latency_now() - start;
	if (strcmp(b->mode, "get"))
		snprintf(status, sizeof(status), "%s", "");
	else
		snprintf(status, sizeof(status), ", HTTP %d", result.status);
	printf("nafkc: %-13s %s %s%s: %lu in %.2f s: %.0f/s\n", b->mode,
	       result.protocol, result.cipher, status, n, elapsed,
	       (double)n / elapsed);
	return 0;
}

int main(int argc, char *argv[])
{
	static const char *const modes[] = { "request", "handshake", "get",
					     "gba-request", "gba-handshake" };
	struct bench b = { 0 };
	const char *tls = NULL, *seconds = NULL;
	size_t i;
	int ret;

	for (i = 0; argc > 1 && i < sizeof(modes) / sizeof(modes[0]); i++)
		if (!strcmp(argv[1], modes[i]))
			b.mode = modes[i];
	if (!b.mode)
		return usage();
	b.request = strstr(b.mode, "request") != NULL;
	ret = setup(&b, argc, argv, &tls, &seconds);
	if (!ret && strcmp(tls, "1.2") && strcmp(tls, "1.3"))
		ret = 2;
	if (!ret) {
		b.conf.tls_version = strcmp(tls, "1.2") ? TLS1_3_VERSION :
							  TLS1_2_VERSION;
		ret = run(&b, atof(seconds));
	}
	store_key_wipe(&b.psk);
	gba_close(&b.ue);
	return ret == 2 ? usage() : ret;
}
