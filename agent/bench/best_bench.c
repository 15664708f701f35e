// SPDX-License-Identifier: GPL-2.0
/*
 * BEST's HSE pull at scale (Documentation/best.md): key sets pulled and
 * installed in the kernel per second, and the time from a triplet to the
 * first protected packet through e2m.ko. The program stands in for the
 * SGW (P-GW) with the daemon's own TLS and HTTPS client code, and for the
 * UE when it sends the first packet.
 *
 *	best_bench provision STORE KEY-FILE COUNT [PASSWORD-FILE]
 *		COUNT e2m subscribers, IMSIs 001010000000001 on, into the
 *		HSS's store before the HSS starts (no admin socket round
 *		trips: 10,000 take seconds, not minutes); with
 *		PASSWORD-FILE, STORE is a PostgreSQL connection string
 *
 *	best_bench run [OPTIONS]
 *	  --hss URL --hse URL		the HSS's and the HSE's https:// URLs
 *	  --cert F --key F --ca F	our TLS identity (a name in the HSS's
 *					sn-clients and the HSE's clients)
 *	  --devices N			phases A and B (10000)
 *	  --sample S			phase C, devices after the N (200)
 *	  --inflight C			requests in flight in A and B (16),
 *					all threads together
 *	  --batch M			triplets per request in B (1): 1 is
 *					POST /e2m/v1/triplet, more are
 *					POST /e2m/v1/triplets batches
 *	  --hse-pid PID			the HSE's process: its CPU time over
 *					phase B as install.hse_cpu_s and
 *					install.hse_cpu_ms_per_triplet
 *	  --hss-pid PID			the HSS's, as install.hss_cpu_s and
 *					install.hss_cpu_ms_per_triplet: what
 *					serving B's pulls costs the HSS
 *	  --threads T			worker threads for A and B (1), each
 *					with its own loop, TLS and connections
 *					and a share of the devices
 *	  --gtpu ADDR:PORT		the HSE's GTP-U socket (127.0.0.1:2152)
 *	  --sink ADDR:PORT		an address of the gateway the inner
 *					datagrams go to (10.99.0.1:9999)
 *	  --ue-port P			the UE's GTP-U port in the triplets (2153)
 *	  --av-only			phase A alone (no HSE, no kernel, no
 *					--hse): the HSS's AVs/s, as bench.sh's
 *					workers part measures it
 *
 *	  A  N + S AV requests to the HSS (POST /e2m/v1/av, UMTS):  AV/s
 *	  B  N triplets to the HSE, C at once, each a distinct IMSI and HSE
 *	     TEID, KSI 1: every 200 is a pull from the HSS, a key in the
 *	     keyring and a flow in the kernel. installs/s = N / wall time,
 *	     and each triplet's latency (sent -> 200) under that load;
 *	     with --batch M, M triplets a request (C requests at once)
 *	  C  S triplets one at a time; on each 200, one G-PDU as the UE
 *	     would send it (COUNT 1, uplink, Key ID = KSI) carrying a UDP
 *	     datagram to the sink; latency = triplet sent -> datagram read
 *	     from the sink socket, i.e. what a device waits for its first
 *	     packet to reach the network after the P-GW asked for its key
 *
 *	best_bench craft TEID KEY-ID COUNT K-ENC K-INT INNER-HEX
 *		one uplink G-PDU in hex (to check the builder against
 *		selftests/e2m/pdu.py craft with test keys)
 *
 * Results one per line, name=value; each phase also reports the bench's
 * own CPU time (all threads, user and system) as PHASE.bench_cpu_s and
 * PHASE.bench_cpu_pct (of one core over the phase's wall time), so that
 * a reader sees whether the bench or the daemons were the limit. Every
 * subscriber has the K and OPc of
 * TS 35.208 test set 1: public test data, never a secret of anyone's; no
 * key of a run is printed. A failed request ends the run with its status
 * and error token (an error body carries no key): a figure is printed
 * only when every request of its phase succeeded.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "proto/best/av_msg.h"
#include "proto/best/batch_msg.h"
#include "aka/e2m_aka.h"
#include "proto/best/triplet_msg.h"
#include "net/https_client.h"
#include "net/tls.h"
#include "util/hex.h"
#include "util/latency.h"
#include "crypto/milenage.h"
#include "crypto/nea2.h"
#include "crypto/nia2.h"
#include "store/store.h"

#define IMSI_BASE	1010000000001ull	/* 001010000000001, zero-padded */
#define TEST_K		"465b5ce8b199b49faa5f0a2ee238a6bc"
#define TEST_OPC	"cd63cb71954a9f4e48a5994e37a02baf"
#define BENCH_KSI	1
#define TEID_BASE	0x10000000u	/* the HSE's; the UE's are + 0x10000000 */
#define INNER_BASE	0x0a400002u	/* 10.64.0.2 on: one inner address each */
#define GPDU_MAX	256
#define SINK_WAIT_MS	5000		/* a lost first packet: give up */
#define THREADS_MAX	64

/* What a device needs across the phases. */
struct device {
	char imsi[BEST_IMSI_SIZE];
	uint8_t rand[AKA_RAND_LEN];
	uint8_t autn[AKA_AUTN_LEN];
	uint32_t teid;			/* the HSE's */
};

struct bench;
struct worker;

/*
 * One phase, or a worker's share of it: a request per device of [first,
 * end), at most inflight at once.
 */
struct phase {
	const char *name;
	size_t first, end, next, done, running;
	unsigned int inflight;		/* requests */
	unsigned int batch;		/* devices a request, 0 or 1: one */
	struct https_call *(*start)(struct worker *w, size_t i, size_t n);
	double *latency;		/* ms, per device of the phase */
	double t0, wall;		/* s */
	double cpu;			/* s, the bench's, all threads */
};

/* A request in flight, for devices [index, index + count). */
struct call {
	struct worker *worker;
	size_t index;
	size_t count;
	double sent;
};

/* A thread: its own loop, TLS and connections, its share of a phase. */
struct worker {
	struct bench *bench;
	pthread_t thread;
	struct event_base *base;
	struct tls *tls;
	struct https_client *hss, *hse;
	struct phase phase;
	int failed;
};

/* A daemon's CPU time over phase B (pid 0: not measured). */
struct daemon_cpu {
	const char *name;
	long pid;
	double s;			/* < 0: unknown */
};

struct bench {
	struct config_url hss_url, hse_url;
	struct worker *workers;
	unsigned int threads;
	struct device *dev;
	struct call *calls;
	size_t n, sample;
	unsigned int inflight;
	unsigned int batch;		/* triplets a request in B */
	struct daemon_cpu hse_cpu, hss_cpu;
	uint16_t ue_port;
	struct sockaddr_in gtpu, sink;
	int tx_fd, rx_fd;
	bool av_only;
	pthread_mutex_t lock;		/* the first failure's message */
	int failed;			/* under lock */
	uint8_t k[AKA_K_LEN], opc[AKA_OP_LEN];
};

static void imsi_of(size_t i, char out[BEST_IMSI_SIZE])
{
	snprintf(out, BEST_IMSI_SIZE, "%015llu",
		 IMSI_BASE + (unsigned long long)i);
}

/* --- provision ----------------------------------------------------------- */

/*
 * Straight into the store: the admin socket would cost a round trip and a
 * process per subscriber. Each add is a transaction of its own (the
 * store's only way); on tmpfs that is cheap.
 */
static int provision(const char *path, const char *key_file,
		     unsigned long count, const char *password_file)
{
	struct store_subscriber sub;
	struct store_key key;
	struct store *store;
	char why[256];
	double t0 = latency_now();
	unsigned long i;
	int ret;

	if (store_key_from_file(&key, key_file, why, sizeof(why)) ||
	    (password_file ?
	     store_open_postgresql(&store, path, password_file, &key, why,
				   sizeof(why)) :
	     store_open(&store, path, &key, why, sizeof(why)))) {
		store_key_wipe(&key);
		fprintf(stderr, "best_bench: %s\n", why);
		return 1;
	}
	store_key_wipe(&key);
	for (i = 0, ret = 0; i < count && !ret; i++) {
		store_subscriber_init(&sub);
		imsi_of(i, sub.pub.imsi);
		snprintf(sub.pub.impi, sizeof(sub.pub.impi),
			 "%s@ims.mnc001.mcc001.3gppnetwork.org", sub.pub.imsi);
		sub.pub.flags = STORE_SUB_E2M;
		hex_decode_exact(sub.k, sizeof(sub.k), TEST_K);
		hex_decode_exact(sub.opc, sizeof(sub.opc), TEST_OPC);
		ret = store_subscriber_add(store, &sub);
		store_subscriber_wipe(&sub);
	}
	if (ret)
		fprintf(stderr, "best_bench: subscriber %lu: %s\n", i,
			store_errmsg(store));
	store_close(store);
	if (!ret)
		printf("provision.subscribers=%lu\nprovision.per_s=%.0f\n",
		       count, (double)count / (latency_now() - t0));
	return ret ? 1 : 0;
}

/* --- the protected G-PDU, as the UE builds it ------------------------------ */

/* The RFC 1071 checksum of an IPv4 header. */
static uint16_t ip_checksum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/*
 * An IPv4 UDP datagram from src to dst carrying tag, into out (28 + 8
 * octets). UDP checksum 0, "none", which IPv4 allows: the inner packet
 * is authenticated by NIA2 anyway.
 */
static size_t inner_datagram(uint8_t *out, uint32_t src,
			     const struct sockaddr_in *dst, uint64_t tag)
{
	const size_t len = 20 + 8 + 8;
	uint16_t csum;
	int i;

	memset(out, 0, len);
	out[0] = 0x45;
	out[2] = (uint8_t)(len >> 8);
	out[3] = (uint8_t)len;
	out[8] = 64;			/* TTL */
	out[9] = IPPROTO_UDP;
	for (i = 0; i < 4; i++)
		out[12 + i] = (uint8_t)(src >> (24 - 8 * i));
	memcpy(out + 16, &dst->sin_addr, 4);
	csum = ip_checksum(out, 20);
	out[10] = (uint8_t)(csum >> 8);
	out[11] = (uint8_t)csum;
	memcpy(out + 20, &dst->sin_port, 2);	/* source port: the same */
	memcpy(out + 22, &dst->sin_port, 2);
	out[24] = 0;
	out[25] = 16;
	for (i = 0; i < 8; i++)
		out[28 + i] = (uint8_t)(tag >> (56 - 8 * i));
	return len;
}

/*
 * The G-PDU of packet-format.md: GTP-U header (no options), then Ver 1,
 * U 1, Key ID; COUNT; the inner packet under NEA2; NIA2 over all that.
 * Uplink (DIRECTION 0), BEARER = Key ID. Returns its length, 0 on error.
 */
static size_t build_gpdu(uint8_t *out, size_t size, uint32_t teid,
			 uint8_t key_id, uint32_t count,
			 const uint8_t k_enc[NEA2_KEY_LEN],
			 const uint8_t k_int[NIA2_KEY_LEN],
			 const uint8_t *inner, size_t inner_len)
{
	size_t pdu_len = 5 + inner_len + NIA2_MAC_LEN;
	uint8_t *pdu = out + 8;
	struct nea2 enc;
	struct nia2 mac;
	int err;

	if (8 + pdu_len > size || pdu_len > 0xffff)
		return 0;
	out[0] = 0x30;			/* version 1, PT 1 */
	out[1] = 0xff;			/* G-PDU */
	out[2] = (uint8_t)(pdu_len >> 8);
	out[3] = (uint8_t)pdu_len;
	out[4] = (uint8_t)(teid >> 24);
	out[5] = (uint8_t)(teid >> 16);
	out[6] = (uint8_t)(teid >> 8);
	out[7] = (uint8_t)teid;
	pdu[0] = (uint8_t)(0x40 | 0x20 | key_id);
	pdu[1] = (uint8_t)(count >> 24);
	pdu[2] = (uint8_t)(count >> 16);
	pdu[3] = (uint8_t)(count >> 8);
	pdu[4] = (uint8_t)count;
	if (nea2_init(&enc, k_enc))
		return 0;
	err = nea2_crypt(&enc, count, key_id, 0, inner, inner_len * 8,
			 pdu + 5);
	nea2_free(&enc);
	if (err || nia2_init(&mac, k_int))
		return 0;
	err = nia2_mac(&mac, count, key_id, 0, pdu, (5 + inner_len) * 8,
		       pdu + 5 + inner_len);
	nia2_free(&mac);
	return err ? 0 : 8 + pdu_len;
}

/* The UE's key set for a device's run: Milenage, then e2m_aka.h. */
static int ue_keyset(const struct bench *b, const struct device *d,
		     struct e2m_aka_keys *keys)
{
	uint8_t ck[AKA_CK_LEN], ik[AKA_IK_LEN];
	struct e2m_aka_input in = {
		.kind = E2M_AKA_UMTS, .ck = ck, .ik = ik, .rand = d->rand,
		.sqn_xor_ak = d->autn, .alg = E2M_ALG_AES,
	};
	struct milenage m;
	int ret;

	ret = milenage_init(&m, b->k, b->opc);
	if (!ret)
		ret = milenage_f2345(&m, d->rand, NULL, ck, ik, NULL, NULL);
	milenage_free(&m);
	if (!ret)
		ret = e2m_aka_derive(&in, keys);
	OPENSSL_cleanse(ck, sizeof(ck));
	OPENSSL_cleanse(ik, sizeof(ik));
	return ret;
}

/* --- running a phase ----------------------------------------------------------- */

/* The worker stops its share; the first failure of all is told. */
static void fail(struct worker *w, size_t i, const char *what,
		 const struct https_response *r)
{
	struct bench *b = w->bench;
	const char *name = w->phase.name;

	if (w->failed++)
		return;
	pthread_mutex_lock(&b->lock);
	if (b->failed++) {
		pthread_mutex_unlock(&b->lock);
		return;
	}
	fflush(stdout);		/* the figures so far, before the reason */
	if (!r)
		fprintf(stderr, "best_bench: %s, device %zu: %s\n", name, i,
			what);
	else if (r->error)
		fprintf(stderr, "best_bench: %s, device %zu: %s\n", name, i,
			r->why);
	else	/* an error body: a token and a detail, never a key */
		fprintf(stderr, "best_bench: %s, device %zu: HTTP %d %.300s\n",
			name, i, r->status, r->status == 200 ? what : r->body);
	pthread_mutex_unlock(&b->lock);
}

static void pump(struct worker *w)
{
	struct phase *p = &w->phase;
	struct https_call *call;

	while (!w->failed && p->next < p->end && p->running < p->inflight) {
		size_t i = p->next;
		size_t n = p->batch > 1 ? p->batch : 1;

		if (n > p->end - i)
			n = p->end - i;
		p->next += n;
		w->bench->calls[i] = (struct call){ w, i, n, latency_now() };
		call = p->start(w, i, n);
		if (!call) {
			fail(w, i, "cannot start the request", NULL);
			break;
		}
		p->running++;
	}
	if (!p->running)
		event_base_loopbreak(w->base);
}

/* Every answer comes here first: latency, then the phase's own check. */
static struct worker *finished(struct call *c)
{
	struct worker *w = c->worker;
	struct phase *p = &w->phase;
	double ms = (latency_now() - c->sent) * 1e3;
	size_t j;

	for (j = 0; j < c->count; j++)
		p->latency[c->index + j - p->first] = ms;
	p->running--;
	p->done += c->count;
	return w;
}

/* A worker's share of the phase, to its end (or its first failure). */
static void *worker_run(void *arg)
{
	struct worker *w = arg;

	w->phase.next = w->phase.first;
	pump(w);
	if (w->phase.running)
		event_base_dispatch(w->base);
	return NULL;
}

/* Devices [first, end) of p to w, with inflight of them at once. */
static void share(struct worker *w, const struct phase *p, size_t first,
		  size_t end, unsigned int inflight)
{
	w->phase = *p;
	w->phase.first = first;
	w->phase.end = end;
	w->phase.inflight = inflight ? inflight : 1;
	w->phase.latency = p->latency + (first - p->first);
	w->phase.done = w->phase.running = 0;
}

/*
 * The phase over the workers (threads of them; 1: in this thread), each
 * a share of the devices and of inflight. With several, the first device
 * goes alone first, in this thread: the TLS code sets up its per-process
 * state on a first connection, before any thread runs.
 */
static int run_phase(struct bench *b, struct phase *p, unsigned int threads)
{
	size_t n = p->end - p->first, first = p->first;
	unsigned int t, started = 0;
	double cpu0 = latency_cpu_seconds();
	int failed = 0;

	p->latency = calloc(n, sizeof(*p->latency));
	if (!p->latency)
		return -ENOMEM;
	p->t0 = latency_now();
	if (threads > 1 && n > 1) {
		share(&b->workers[0], p, first, first + 1, 1);
		worker_run(&b->workers[0]);
		failed |= b->workers[0].failed;
		first++;
		n--;
	}
	if (threads > n)
		threads = n ? (unsigned int)n : 1;
	for (t = 0; t < threads && !failed; t++) {
		struct worker *w = &b->workers[t];
		size_t from = first + n * t / threads;
		size_t to = first + n * (t + 1) / threads;

		share(w, p, from, to, (p->inflight + t) / threads);
		if (threads == 1) {
			worker_run(w);
		} else if (pthread_create(&w->thread, NULL, worker_run, w)) {
			fail(w, from, "cannot start a thread", NULL);
			break;
		}
		started++;
	}
	for (t = 0; t < started; t++) {
		if (threads > 1)
			pthread_join(b->workers[t].thread, NULL);
		failed |= b->workers[t].failed;
	}
	p->wall = latency_now() - p->t0;
	p->cpu = latency_cpu_seconds() - cpu0;
	return failed || b->failed ? -EIO : 0;
}

/* --- phase A: vectors ------------------------------------------------------------ */

static void got_av(const struct https_response *r, void *arg)
{
	struct call *c = arg;
	struct worker *w = finished(c);
	struct device *d = &w->bench->dev[c->index];
	struct av_response av;
	char why[256];

	if (r->error || r->status != 200) {
		fail(w, c->index, "", r);
	} else if (av_response_parse(r->body, r->body_len, &av, why,
				     sizeof(why))) {
		fail(w, c->index, why, NULL);
	} else {
		if (!av.e2m)
			fail(w, c->index, "the vector is not marked for e2m",
			     NULL);
		memcpy(d->rand, av.rand, sizeof(d->rand));
		memcpy(d->autn, av.autn, sizeof(d->autn));
		av_response_wipe(&av);
	}
	pump(w);
}

static struct https_call *start_av(struct worker *w, size_t i, size_t n)
{
	struct av_request req = { .aka = E2M_AKA_UMTS };
	struct https_call *call = NULL;
	struct bench *b = w->bench;
	char *text, why[256];

	(void)n;	/* one a request */
	strcpy(req.imsi, b->dev[i].imsi);
	if (av_request_build(&req, &text, why, sizeof(why)))
		return NULL;
	call = https_post(w->hss, BEST_PATH_AV, "application/json", text,
			  strlen(text), got_av, &b->calls[i]);
	ub_json_text_free(text);
	return call;
}

/* --- phase B: triplets ------------------------------------------------------------ */

/* The 200 of device i's triplet: body, len. */
static int check_answer(struct worker *w, size_t i, const char *body,
			size_t len)
{
	struct triplet_response resp;
	char why[256];

	if (triplet_response_parse(body, len, &resp, why, sizeof(why))) {
		fail(w, i, why, NULL);
		return -EBADMSG;
	}
	if (resp.teid != w->bench->dev[i].teid || resp.key_id != BENCH_KSI) {
		fail(w, i, "the 200 names another TEID or Key ID", NULL);
		return -EBADMSG;
	}
	return 0;
}

static int check_triplet(struct worker *w, size_t i,
			 const struct https_response *r)
{
	if (r->error || r->status != 200) {
		fail(w, i, "", r);
		return -EIO;
	}
	return check_answer(w, i, r->body, r->body_len);
}

/* A batch's answer: each of its results a 200 for its own device. */
static void check_batch(struct worker *w, const struct call *c,
			const struct https_response *r)
{
	struct best_result res[BEST_BATCH_MAX];
	char why[256];
	size_t j;

	if (r->error || r->status != 200) {
		fail(w, c->index, "", r);
		return;
	}
	if (best_results_parse(r->body, r->body_len, c->count, res, why,
			       sizeof(why))) {
		fail(w, c->index, why, NULL);
		return;
	}
	for (j = 0; j < c->count && !w->failed; j++) {
		if (res[j].status != 200) {
			struct https_response one = {
				.status = res[j].status, .body = res[j].body,
				.body_len = strlen(res[j].body),
			};

			fail(w, c->index + j, "", &one);
		} else {
			check_answer(w, c->index + j, res[j].body,
				     strlen(res[j].body));
		}
	}
	best_results_free(res, c->count);
}

static void got_triplet(const struct https_response *r, void *arg)
{
	struct call *c = arg;
	struct worker *w = finished(c);

	check_triplet(w, c->index, r);
	pump(w);
}

/* Device i's triplet as text; 0 or -EINVAL. */
static int triplet_text(struct worker *w, size_t i, char **text)
{
	struct bench *b = w->bench;
	const struct device *d = &b->dev[i];
	struct triplet_request req = {
		.ksi = BENCH_KSI,
		.teid_hse = d->teid,
		.teid_ue = d->teid + TEID_BASE,
		.ue = { .address = "127.0.0.1", .port = b->ue_port },
	};
	struct in_addr inner = { htonl(INNER_BASE + (uint32_t)i) };
	char why[256];

	strcpy(req.imsi, d->imsi);
	memcpy(req.rand, d->rand, sizeof(req.rand));
	inet_ntop(AF_INET, &inner, req.ue.inner_ipv4,
		  sizeof(req.ue.inner_ipv4));
	return triplet_request_build(&req, text, why, sizeof(why));
}

static struct https_call *post_triplet(struct worker *w, size_t i,
				       https_done done)
{
	struct https_call *call;
	char *text;

	if (triplet_text(w, i, &text))
		return NULL;
	call = https_post(w->hse, TRIPLET_PATH, "application/json", text,
			  strlen(text), done, &w->bench->calls[i]);
	ub_json_text_free(text);
	return call;
}

static void got_triplets(const struct https_response *r, void *arg)
{
	struct call *c = arg;
	struct worker *w = finished(c);

	check_batch(w, c, r);
	pump(w);
}

/* Devices [i, i + n) in one POST /e2m/v1/triplets. */
static struct https_call *post_triplets(struct worker *w, size_t i, size_t n)
{
	char *items[BEST_BATCH_MAX] = { NULL }, *text = NULL, why[256];
	struct https_call *call = NULL;
	size_t j;
	int ret = 0;

	for (j = 0; j < n && !ret; j++)
		ret = triplet_text(w, i + j, &items[j]);
	if (!ret)
		ret = best_batch_build(TRIPLETS_MEMBER, items, n, &text, why,
				       sizeof(why));
	if (!ret)
		call = https_post(w->hse, TRIPLETS_PATH, "application/json",
				  text, strlen(text), got_triplets,
				  &w->bench->calls[i]);
	for (j = 0; j < n; j++)
		ub_json_text_free(items[j]);
	ub_json_text_free(text);
	return call;
}

static struct https_call *start_triplet(struct worker *w, size_t i, size_t n)
{
	if (w->phase.batch > 1)
		return post_triplets(w, i, n);
	return post_triplet(w, i, got_triplet);
}

/* --- phase C: the first packet ------------------------------------------------------ */

/* The G-PDU the device sends first once its attach completed. */
static int send_first_packet(struct bench *b, size_t i)
{
	struct e2m_aka_keys keys;
	uint8_t inner[64], gpdu[GPDU_MAX];
	size_t inner_len, len;

	if (ue_keyset(b, &b->dev[i], &keys))
		return -EIO;
	inner_len = inner_datagram(inner, INNER_BASE + (uint32_t)i, &b->sink,
				   i);
	len = build_gpdu(gpdu, sizeof(gpdu), b->dev[i].teid, BENCH_KSI, 1,
			 keys.k_enc, keys.k_int, inner, inner_len);
	e2m_aka_keys_wipe(&keys);
	if (!len || sendto(b->tx_fd, gpdu, len, 0,
			   (const struct sockaddr *)&b->gtpu,
			   sizeof(b->gtpu)) != (ssize_t)len)
		return -EIO;
	return 0;
}

/* Until the sink has the datagram tagged i; stale ones are skipped. */
static int wait_sink(struct bench *b, size_t i)
{
	struct pollfd pfd = { .fd = b->rx_fd, .events = POLLIN };
	uint8_t buf[64];
	uint64_t tag;
	ssize_t n;
	int k;

	while (poll(&pfd, 1, SINK_WAIT_MS) == 1) {
		n = recv(b->rx_fd, buf, sizeof(buf), 0);
		if (n != 8)
			continue;
		for (tag = 0, k = 0; k < 8; k++)
			tag = tag << 8 | buf[k];
		if (tag == i)
			return 0;
	}
	return -ETIMEDOUT;
}

/*
 * One device at a time, so nothing else is in flight: waiting for the
 * sink right here, in the callback, delays nobody, and the 200 is acted
 * on the moment it is read, as a UE told by its SGW would.
 */
static void got_triplet_send(const struct https_response *r, void *arg)
{
	struct call *c = arg;
	struct worker *w = c->worker;
	struct bench *b = w->bench;

	if (!check_triplet(w, c->index, r)) {
		if (send_first_packet(b, c->index))
			fail(w, c->index, "cannot send the G-PDU", NULL);
		else if (wait_sink(b, c->index))
			fail(w, c->index,
			     "no inner datagram at the sink (e2mctl flow show: auth-failed? inner?)",
			     NULL);
	}
	finished(c);
	pump(w);
}

static struct https_call *start_first_packet(struct worker *w, size_t i,
					     size_t n)
{
	(void)n;	/* one a request */
	return post_triplet(w, i, got_triplet_send);
}

/* --- results ----------------------------------------------------------------------- */

/* The CPU time of process pid so far, user and system, s; < 0 if unknown. */
static double process_cpu(long pid)
{
	char path[64], text[1024], *p;
	unsigned long long utime, stime;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	/* After the command's ")": state is field 3, utime 14, stime 15. */
	p = strrchr(text, ')');
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
			 &utime, &stime) != 2)
		return -1;
	return (double)(utime + stime) / (double)sysconf(_SC_CLK_TCK);
}

static void daemon_cpu_start(struct daemon_cpu *d)
{
	d->s = d->pid ? process_cpu(d->pid) : -1;
}

static void daemon_cpu_stop(struct daemon_cpu *d)
{
	double now = d->s >= 0 ? process_cpu(d->pid) : -1;

	d->s = now >= 0 ? now - d->s : -1;
}

static void daemon_cpu_report(const struct daemon_cpu *d, size_t triplets)
{
	if (d->s >= 0)
		printf("install.%s_cpu_s=%.2f\n"
		       "install.%s_cpu_ms_per_triplet=%.2f\n",
		       d->name, d->s, d->name, 1e3 * d->s / (double)triplets);
}

static void report(const char *name, const char *rate_name,
		   const struct phase *p)
{
	latency_report(name, rate_name, p->latency, p->end - p->first, p->wall);
	printf("%s.bench_cpu_s=%.2f\n%s.bench_cpu_pct=%.0f\n", name, p->cpu,
	       name, p->wall > 0 ? 100 * p->cpu / p->wall : 0.0);
}

/* --- setup ------------------------------------------------------------------------- */

static int parse_addr(const char *text, struct sockaddr_in *out)
{
	char host[64];
	const char *colon = strrchr(text, ':');
	unsigned long port;

	if (!colon || (size_t)(colon - text) >= sizeof(host))
		return -EINVAL;
	memcpy(host, text, (size_t)(colon - text));
	host[colon - text] = '\0';
	port = strtoul(colon + 1, NULL, 10);
	memset(out, 0, sizeof(*out));
	out->sin_family = AF_INET;
	out->sin_port = htons((uint16_t)port);
	if (!port || port > 65535 || inet_pton(AF_INET, host, &out->sin_addr) != 1)
		return -EINVAL;
	return 0;
}

static int open_sockets(struct bench *b)
{
	b->tx_fd = socket(AF_INET, SOCK_DGRAM, 0);
	b->rx_fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (b->tx_fd < 0 || b->rx_fd < 0 ||
	    bind(b->rx_fd, (const struct sockaddr *)&b->sink,
		 sizeof(b->sink))) {
		perror("best_bench: the sink socket (is its address on the gateway?)");
		return -errno;
	}
	return 0;
}

/* Each worker's loop, TLS context and clients: nothing shared. */
static int setup_clients(struct bench *b, const char *cert, const char *key,
			 const char *ca)
{
	struct config_tls conf = {
		.present = true,
		.certificate = { (char *)cert, 0 },
		.private_key = { (char *)key, 0 },
		.ca = { (char *)ca, 0 },
	};
	char why[256];
	unsigned int t;

	b->workers = calloc(b->threads, sizeof(*b->workers));
	if (!b->workers)
		return -ENOMEM;
	for (t = 0; t < b->threads; t++) {
		struct worker *w = &b->workers[t];

		w->bench = b;
		w->base = event_base_new();
		if (!w->base)
			return -ENOMEM;
		if (tls_new(&w->tls, &conf, NULL, why, sizeof(why))) {
			fprintf(stderr, "best_bench: TLS: %s\n", why);
			return -EINVAL;
		}
		if (https_client_new(&w->hss, w->base, w->tls, &b->hss_url,
				     30) ||
		    (!b->av_only &&
		     https_client_new(&w->hse, w->base, w->tls, &b->hse_url,
				      30)))
			return -ENOMEM;
		/* As the SGW does: a connection per request would measure
		 * TLS. */
		https_client_keep_alive(w->hss);
		if (w->hse)
			https_client_keep_alive(w->hse);
	}
	return 0;
}

/* The connections every worker made to the HSS (hse false) or HSE. */
static unsigned long long connections(const struct bench *b, bool hse)
{
	unsigned long long sum = 0;
	unsigned int t;

	for (t = 0; t < b->threads; t++)
		sum += https_client_connections(hse ? b->workers[t].hse :
						      b->workers[t].hss);
	return sum;
}

static int setup_devices(struct bench *b)
{
	size_t i, total = b->n + b->sample;

	b->dev = calloc(total, sizeof(*b->dev));
	b->calls = calloc(total, sizeof(*b->calls));
	if (!b->dev || !b->calls)
		return -ENOMEM;
	for (i = 0; i < total; i++) {
		imsi_of(i, b->dev[i].imsi);
		b->dev[i].teid = TEID_BASE + (uint32_t)i;
	}
	hex_decode_exact(b->k, sizeof(b->k), TEST_K);
	hex_decode_exact(b->opc, sizeof(b->opc), TEST_OPC);
	return 0;
}

static void teardown(struct bench *b)
{
	unsigned int t;

	for (t = 0; b->workers && t < b->threads; t++) {
		struct worker *w = &b->workers[t];

		https_client_free(w->hss);
		https_client_free(w->hse);
		/* Lets the connections' TLS shutdowns go out before the
		 * exit. */
		if (w->base) {
			event_base_loop(w->base, EVLOOP_NONBLOCK);
			event_base_free(w->base);
		}
		tls_free(w->tls);
	}
	free(b->workers);
	if (b->tx_fd >= 0)
		close(b->tx_fd);
	if (b->rx_fd >= 0)
		close(b->rx_fd);
	free(b->dev);
	free(b->calls);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: best_bench provision STORE KEY-FILE COUNT [PASSWORD-FILE]\n"
		"       best_bench run --hss URL --hse URL --cert F --key F --ca F\n"
		"                  [--devices N] [--sample S] [--inflight C] [--threads T]\n"
		"                  [--batch M] [--hse-pid PID] [--hss-pid PID]\n"
		"                  [--gtpu ADDR:PORT] [--sink ADDR:PORT] [--ue-port P]\n"
		"       best_bench run --av-only --hss URL --cert F --key F --ca F\n"
		"                  [--devices N] [--inflight C] [--threads T]\n"
		"       best_bench craft TEID KEY-ID COUNT K-ENC K-INT INNER-HEX\n");
	exit(2);
}

struct run_args {
	const char *hss, *hse, *cert, *key, *ca, *gtpu, *sink;
};

static void parse_run(int argc, char **argv, struct bench *b,
		      struct run_args *a)
{
	static const struct option options[] = {
		{ "hss", required_argument, NULL, 'h' },
		{ "hse", required_argument, NULL, 'e' },
		{ "cert", required_argument, NULL, 'c' },
		{ "key", required_argument, NULL, 'k' },
		{ "ca", required_argument, NULL, 'a' },
		{ "devices", required_argument, NULL, 'n' },
		{ "sample", required_argument, NULL, 's' },
		{ "inflight", required_argument, NULL, 'i' },
		{ "threads", required_argument, NULL, 't' },
		{ "batch", required_argument, NULL, 'b' },
		{ "hse-pid", required_argument, NULL, 'P' },
		{ "hss-pid", required_argument, NULL, 'H' },
		{ "gtpu", required_argument, NULL, 'g' },
		{ "sink", required_argument, NULL, 'S' },
		{ "ue-port", required_argument, NULL, 'p' },
		{ "av-only", no_argument, NULL, 'A' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'h': a->hss = optarg; break;
		case 'e': a->hse = optarg; break;
		case 'c': a->cert = optarg; break;
		case 'k': a->key = optarg; break;
		case 'a': a->ca = optarg; break;
		case 'n': b->n = strtoul(optarg, NULL, 10); break;
		case 's': b->sample = strtoul(optarg, NULL, 10); break;
		case 'i': b->inflight = (unsigned int)strtoul(optarg, NULL, 10); break;
		case 't': b->threads = (unsigned int)strtoul(optarg, NULL, 10); break;
		case 'b': b->batch = (unsigned int)strtoul(optarg, NULL, 10); break;
		case 'P': b->hse_cpu.pid = strtol(optarg, NULL, 10); break;
		case 'H': b->hss_cpu.pid = strtol(optarg, NULL, 10); break;
		case 'g': a->gtpu = optarg; break;
		case 'S': a->sink = optarg; break;
		case 'p': b->ue_port = (uint16_t)strtoul(optarg, NULL, 10); break;
		case 'A': b->av_only = true; break;
		default: usage();
		}
	}
	if (b->av_only)
		b->sample = 0;
	if (!a->hss || (!a->hse && !b->av_only) || !a->cert || !a->key ||
	    !a->ca || !b->n ||
	    !b->inflight || !b->threads || b->threads > THREADS_MAX ||
	    !b->batch || b->batch > BEST_BATCH_MAX ||
	    b->n + b->sample > 0x0fffffff ||
	    config_parse_url(a->hss, &b->hss_url) ||
	    (!b->av_only && (config_parse_url(a->hse, &b->hse_url) ||
			     parse_addr(a->gtpu, &b->gtpu) ||
			     parse_addr(a->sink, &b->sink))))
		usage();
}

static int run(int argc, char **argv)
{
	struct bench b = { .n = 10000, .sample = 200, .inflight = 16,
			   .threads = 1, .batch = 1, .ue_port = 2153, .tx_fd = -1,
			   .rx_fd = -1, .lock = PTHREAD_MUTEX_INITIALIZER,
			   .hse_cpu = { .name = "hse", .s = -1 },
			   .hss_cpu = { .name = "hss", .s = -1 } };
	struct run_args a = { .gtpu = "127.0.0.1:2152",
			      .sink = "10.99.0.1:9999" };
	struct phase av = { .name = "av", .start = start_av };
	struct phase install = { .name = "install", .start = start_triplet };
	/* One at a time: the latency of a device, not of a queue. */
	struct phase first = { .name = "first_packet", .inflight = 1,
			       .start = start_first_packet };
	int ret;

	parse_run(argc, argv, &b, &a);
	if (setup_devices(&b) || (!b.av_only && open_sockets(&b)) ||
	    setup_clients(&b, a.cert, a.key, a.ca))
		return 1;
	printf("devices=%zu\nsample=%zu\ninflight=%u\nthreads=%u\n"
	       "install.batch=%u\n", b.n, b.sample, b.inflight, b.threads,
	       b.batch);
	av.end = b.n + b.sample;
	av.inflight = install.inflight = b.inflight;
	install.end = b.n;
	install.batch = b.batch;
	first.first = b.n;
	first.end = b.n + b.sample;

	ret = run_phase(&b, &av, b.threads);
	if (!ret) {
		report("av", "per_s", &av);
		printf("av.hss_connections=%llu\n", connections(&b, false));
		if (!b.av_only) {
			daemon_cpu_start(&b.hse_cpu);
			daemon_cpu_start(&b.hss_cpu);
			ret = run_phase(&b, &install, b.threads);
			daemon_cpu_stop(&b.hse_cpu);
			daemon_cpu_stop(&b.hss_cpu);
		}
	}
	if (!ret && !b.av_only) {
		report("install", "per_s", &install);
		daemon_cpu_report(&b.hse_cpu, b.n);
		daemon_cpu_report(&b.hss_cpu, b.n);
		printf("install.hse_connections=%llu\n", connections(&b, true));
		if (b.sample)
			ret = run_phase(&b, &first, 1);
	}
	if (!ret && b.sample)
		report("first_packet", NULL, &first);
	teardown(&b);
	free(av.latency);
	free(install.latency);
	free(first.latency);
	return ret ? 1 : 0;
}

/* --- craft ------------------------------------------------------------------------- */

static int craft(int argc, char **argv)
{
	uint8_t k_enc[NEA2_KEY_LEN], k_int[NIA2_KEY_LEN];
	uint8_t inner[GPDU_MAX], gpdu[GPDU_MAX];
	char hex[2 * GPDU_MAX + 1];
	size_t inner_len, len;

	if (argc != 8 || hex_decode_exact(k_enc, sizeof(k_enc), argv[5]) ||
	    hex_decode_exact(k_int, sizeof(k_int), argv[6]) ||
	    hex_decode(inner, sizeof(inner) - 16, &inner_len, argv[7]))
		usage();
	len = build_gpdu(gpdu, sizeof(gpdu),
			 (uint32_t)strtoul(argv[2], NULL, 0),
			 (uint8_t)(strtoul(argv[3], NULL, 0) & 7),
			 (uint32_t)strtoul(argv[4], NULL, 0), k_enc, k_int,
			 inner, inner_len);
	OPENSSL_cleanse(k_enc, sizeof(k_enc));
	OPENSSL_cleanse(k_int, sizeof(k_int));
	if (!len)
		return 1;
	hex_encode(hex, gpdu, len);
	printf("%s\n", hex);
	return 0;
}

int main(int argc, char *argv[])
{
	if (argc >= 5 && !strcmp(argv[1], "provision"))
		return provision(argv[2], argv[3], strtoul(argv[4], NULL, 10),
				 argc >= 6 ? argv[5] : NULL);
	if (argc >= 2 && !strcmp(argv[1], "run"))
		return run(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "craft"))
		return craft(argc, argv);
	usage();
	return 2;
}
