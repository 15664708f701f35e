// SPDX-License-Identifier: GPL-2.0
/*
 * The NAF Key Centre's rate over PSK-TLS, one device after another, each
 * on a new TLS session (ue/nafkc_client.h): the whole request (handshake,
 * POST, the Zn pull, the key derived and stored, the answer, the
 * close_notify), or the handshake alone against any PSK server, e.g.
 * openssl s_server -psk, for OpenSSL's own rate in the same run.
 *
 *	nafkc_bench request|handshake HOST PORT DEVICE-ID PSK-FILE
 *		    1.2|1.3 SECONDS [B-TID]
 *
 * One line: "nafkc: MODE TLSvX: N in S s: R/s".
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "crypto/fc.h"
#include "ue/nafkc_client.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int usage(void)
{
	fprintf(stderr, "usage: nafkc_bench request|handshake HOST PORT DEVICE-ID PSK-FILE 1.2|1.3 SECONDS [B-TID]\n");
	return 2;
}

int main(int argc, char *argv[])
{
	struct nafkc_client_conf conf = { 0 };
	struct nafkc_client_result result;
	struct ks_local_request req = { 0 };
	struct ks_local_response resp;
	struct store_key psk;
	bool request = argc > 1 && !strcmp(argv[1], "request");
	double start, end, elapsed;
	unsigned long n = 0;
	char why[256];

	if (argc < 8 || (request && argc != 9) ||
	    (!request && strcmp(argv[1], "handshake")) ||
	    strlen(argv[4]) > STORE_DEVICE_ID_MAX ||
	    (request && strlen(argv[8]) > STORE_BTID_MAX))
		return usage();
	if (store_key_from_file(&psk, argv[5], why, sizeof(why))) {
		fprintf(stderr, "nafkc_bench: %s\n", why);
		return 1;
	}
	conf.host = argv[2];
	conf.port = (uint16_t)atoi(argv[3]);
	conf.identity = argv[4];
	conf.psk = psk.bytes;
	conf.tls_version = strcmp(argv[6], "1.2") ? TLS1_3_VERSION :
						  TLS1_2_VERSION;
	if (request) {
		strcpy(req.device_id, argv[4]);
		strcpy(req.btid, argv[8]);
		strcpy(req.label, LABEL_KS_LOCAL_DEVICE);
	}
	start = now();
	end = start + atof(argv[7]);
	do {
		int ret = request ?
			  nafkc_client_request(&conf, &req, &resp, &result) :
			  nafkc_client_handshake(&conf, &result);

		if (request)
			ks_local_response_wipe(&resp);
		if (ret) {
			fprintf(stderr, "nafkc_bench: %s\n", result.why);
			store_key_wipe(&psk);
			return 1;
		}
		n++;
	} while (now() < end);
	elapsed = now() - start;
	store_key_wipe(&psk);
	printf("nafkc: %-9s %s %s: %lu in %.2f s: %.0f/s\n",
	       request ? "requests" : "handshakes", result.protocol,
	       result.cipher, n, elapsed, (double)n / elapsed);
	return 0;
}
