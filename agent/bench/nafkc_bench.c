// SPDX-License-Identifier: GPL-2.0
/*
 * The NAF Key Centre's rate over PSK-TLS from CLIENTS clients at once
 * (default 1), each a thread running one session after another, each a
 * new TLS session (ue/nafkc_client.h): the whole request (handshake,
 * POST, the B-TID's key from the Zn cache or a Zn pull, the key derived
 * and stored, the answer, the close_notify), or the handshake alone against any PSK server, e.g.
 * openssl s_server -psk, for OpenSSL's own rate in the same run, or the
 * handshake and one HTTP exchange (GET /, any status) against such a
 * server, e.g. openssl s_server -psk -www, or the Key Centre (a 404): a
 * request's shape without the Key Centre's work.
 *
 *	nafkc_bench [-c CLIENTS] request|handshake|get HOST PORT DEVICE-ID
 *		    PSK-FILE 1.2|1.3 SECONDS [B-TID]
 *
 * With GBA PSK-TLS (the Key Centre's gba-listen), a UE's bootstrap is the
 * credential: the key for NAF || the suite's Ua id from the UE store,
 * as e2mctl nafkc-request --gba takes it; a request asks for DEVICE-ID
 * under the bootstrap's B-TID.
 *
 *	nafkc_bench [-c CLIENTS] gba-request|gba-handshake HOST PORT
 *		    DEVICE-ID UE-STORE UE-KEY-FILE ICCID NAF 1.2|1.3 SECONDS
 *
 * Each client thread has its own handle on the UE's store (a store is
 * one thread's). A server's capacity shows only with requests in flight:
 * the Key Centre answers after the issued key's row is on disk, and its
 * group commit (store/store_group.h) shares one fsync among the requests
 * that came in the same loop turn, which one client never gives it.
 *
 * One line: "nafkc: MODE TLSvX CIPHER: N in S s: R/s (C clients, client
 * CPU U s = P % of one core)" (get: "CIPHER, HTTP STATUS" of the last
 * answer): the client's own CPU time, all threads, so that a reader sees
 * whether the client or the server was the limit.
 */
#include <errno.h>
#include <pthread.h>
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

#define CLIENTS_MAX	64

/* A UE's bootstrap: its store and USIM, the NAF's FQDN. */
struct gba_ue {
	struct store *store;
	struct usim *usim;
	const char *naf;
	char identity[sizeof(TLS_GBA_HINT_UICC) + STORE_BTID_MAX];
	char btid[STORE_BTID_MAX + 1];
};

/* One client thread: its own conf (the GBA key's UE handle), its count. */
struct client {
	pthread_t thread;
	const struct bench *b;
	struct nafkc_client_conf conf;
	struct gba_ue ue;
	unsigned long n;
	int status;		/* HTTP status of the last GET */
	char protocol[16], cipher[64];
	int failed;
};

struct bench {
	const char *mode;
	bool request, gba;
	struct nafkc_client_conf conf;
	struct ks_local_request req;
	struct store_key psk;		/* secret */
	const char *ue_store, *ue_key_file, *iccid, *naf;
	double end;
};

static int usage(void)
{
	fprintf(stderr, "usage: nafkc_bench [-c CLIENTS] request|handshake|get HOST PORT DEVICE-ID PSK-FILE 1.2|1.3 SECONDS [B-TID]\n"
		"       nafkc_bench [-c CLIENTS] gba-request|gba-handshake HOST PORT DEVICE-ID UE-STORE UE-KEY-FILE ICCID NAF 1.2|1.3 SECONDS\n");
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
	char why[256];

	if (argc < 5 || strlen(argv[4]) > STORE_DEVICE_ID_MAX)
		return 2;
	b->conf.host = argv[2];
	b->conf.port = (uint16_t)atoi(argv[3]);
	strcpy(b->req.device_id, argv[4]);
	strcpy(b->req.label, LABEL_KS_LOCAL_DEVICE);
	if (b->gba) {
		if (argc != 11)
			return 2;
		b->ue_store = argv[5];
		b->ue_key_file = argv[6];
		b->iccid = argv[7];
		b->naf = argv[8];
		*tls = argv[9];
		*seconds = argv[10];
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

/* A client's conf; with GBA its own handle on the UE's store: 0 or 1. */
static int client_open(struct client *c, struct bench *b)
{
	c->b = b;
	c->conf = b->conf;
	if (!b->gba)
		return 0;
	if (gba_open(&c->ue, b->ue_store, b->ue_key_file, b->iccid, b->naf))
		return 1;
	c->conf.identity = c->ue.identity;
	c->conf.gba_key = gba_key;
	c->conf.gba_arg = &c->ue;
	/* Every client's bootstrap is the UE's current one: the same. */
	strcpy(b->req.btid, c->ue.btid);
	return 0;
}

/* One client: sessions one after another until the end. */
static void *client_run(void *arg)
{
	struct client *c = arg;
	const struct bench *b = c->b;
	struct nafkc_client_result result;
	struct ks_local_response resp;

	do {
		int ret = b->request ?
			  nafkc_client_request(&c->conf, &b->req, &resp,
					       &result) :
			  !strcmp(b->mode, "get") ?
			  nafkc_client_get(&c->conf, "/", &result) :
			  nafkc_client_handshake(&c->conf, &result);

		if (b->request)
			ks_local_response_wipe(&resp);
		if (ret) {
			fprintf(stderr, "nafkc_bench: %s\n", result.why);
			c->failed = 1;
			return NULL;
		}
		c->n++;
	} while (latency_now() < b->end);
	c->status = result.status;
	snprintf(c->protocol, sizeof(c->protocol), "%s", result.protocol);
	snprintf(c->cipher, sizeof(c->cipher), "%s", result.cipher);
	return NULL;
}

/* n clients at once for seconds: 0 or 1. */
static int run(struct bench *b, struct client *clients, int n,
	       double seconds)
{
	double start, elapsed, cpu;
	unsigned long total = 0;
	char status[16];
	int i, started, failed = 0;

	cpu = latency_cpu_seconds();
	start = latency_now();
	b->end = start + seconds;
	for (started = 0; started < n; started++)
		if (pthread_create(&clients[started].thread, NULL, client_run,
				   &clients[started])) {
			fprintf(stderr, "nafkc_bench: cannot start a thread\n");
			failed = 1;
			break;
		}
	for (i = 0; i < started; i++) {
		pthread_join(clients[i].thread, NULL);
		total += clients[i].n;
		failed |= clients[i].failed;
	}
	elapsed = latency_now() - start;
	cpu = latency_cpu_seconds() - cpu;
	if (failed)
		return 1;
	if (strcmp(b->mode, "get"))
		snprintf(status, sizeof(status), "%s", "");
	else
		snprintf(status, sizeof(status), ", HTTP %d", clients[0].status);
	printf("nafkc: %-13s %s %s%s: %lu in %.2f s: %.0f/s (%d clients, client CPU %.2f s = %.0f %% of one core)\n",
	       b->mode, clients[0].protocol, clients[0].cipher, status, total,
	       elapsed, (double)total / elapsed, n, cpu, 100 * cpu / elapsed);
	return 0;
}

int main(int argc, char *argv[])
{
	static const char *const modes[] = { "request", "handshake", "get",
					     "gba-request", "gba-handshake" };
	static struct client clients[CLIENTS_MAX];
	struct bench b = { 0 };
	const char *tls = NULL, *seconds = NULL;
	int n = 1, opened = 0, ret;
	size_t i;

	if (argc > 2 && !strcmp(argv[1], "-c")) {
		n = atoi(argv[2]);
		argc -= 2;
		argv += 2;
	}
	for (i = 0; argc > 1 && i < sizeof(modes) / sizeof(modes[0]); i++)
		if (!strcmp(argv[1], modes[i]))
			b.mode = modes[i];
	if (!b.mode || n < 1 || n > CLIENTS_MAX)
		return usage();
	b.request = strstr(b.mode, "request") != NULL;
	b.gba = !strncmp(b.mode, "gba-", 4);
	ret = setup(&b, argc, argv, &tls, &seconds);
	if (!ret && strcmp(tls, "1.2") && strcmp(tls, "1.3"))
		ret = 2;
	if (!ret)
		b.conf.tls_version = strcmp(tls, "1.2") ? TLS1_3_VERSION :
							  TLS1_2_VERSION;
	for (; !ret && opened < n; opened++)
		ret = client_open(&clients[opened], &b);
	if (!ret)
		ret = run(&b, clients, n, atof(seconds));
	while (opened-- > 0)
		gba_close(&clients[opened].ue);
	store_key_wipe(&b.psk);
	return ret == 2 ? usage() : ret;
}
