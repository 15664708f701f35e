// SPDX-License-Identifier: GPL-2.0
/*
 * net/http_request.c, the GBA listener's request reader, and the GBA
 * PSK-TLS identity and Ua id rules of net/tls_gba.c.
 */
#include <errno.h>
#include <stdint.h>

#include <openssl/ssl.h>

#include "net/http_request.h"
#include "net/tls_gba.h"
#include "tap.h"

static int parse(const char *text, size_t max_body, struct http_request *req)
{
	return http_request_parse(text, strlen(text), max_body, req);
}

static void test_whole(void)
{
	static const char text[] =
		"POST /nafkc/v1/ks-local HTTP/1.1\r\nHost: nafkc.test\r\n"
		"content-type:  application/json; charset=utf-8 \r\n"
		"Content-Length: 2\r\nConnection: close\r\n\r\n{}";
	struct http_request req;

	ok(parse(text, 100, &req) == 0 && !strcmp(req.method, "POST") &&
	   !strcmp(req.path, "/nafkc/v1/ks-local") &&
	   req.body_len == 2 && req.head_len == strlen(text) - 2 &&
	   !strcmp(text + req.head_len, "{}"),
	   "a whole request: method, path, body after the head");
	ok(http_request_type_is(&req, "application/json") &&
	   !http_request_type_is(&req, "application/js"),
	   "Content-Type with a parameter, any case of the name");
	ok(http_request_parse(text, strlen(text) - 1, 100, &req) == -EAGAIN,
	   "a body one octet short: more is needed");
	ok(http_request_parse(text, 20, 100, &req) == -EAGAIN,
	   "half a head: more is needed");
	ok(parse("GET / HTTP/1.0\r\n\r\n", 0, &req) == 0 &&
	   req.body_len == 0 && !req.content_type[0],
	   "no body, no Content-Type: HTTP/1.0 too");
}

static void test_refused(void)
{
	struct http_request req;
	char big[HTTP_REQUEST_HEAD_MAX + 16];

	ok(parse("POST / HTTP/1.1\r\nContent-Length: 101\r\n\r\n", 100,
		 &req) == -E2BIG, "a body over the limit: -E2BIG (413)");
	ok(parse("POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n",
		 100, &req) == -E2BIG, "a huge Content-Length: -E2BIG");
	ok(parse("POST / HTTP/1.1\r\nContent-Length: 18446744073709551617\r\n\r\nx",
		 SIZE_MAX, &req) == -E2BIG,
	   "a Content-Length past size_t, no limit: -E2BIG, not 2^64 + 1 wrapped to 1");
	ok(parse("POST / HTTP/1.1\r\nContent-Length: 18446744073709551615\r\n\r\nx",
		 SIZE_MAX, &req) == -EAGAIN && req.body_len == SIZE_MAX,
	   "a Content-Length of SIZE_MAX, no limit: more is needed");
	ok(parse("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n",
		 100, &req) == -EINVAL, "Content-Length twice: -EINVAL");
	ok(parse("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 100,
		 &req) == -EINVAL, "a negative Content-Length: -EINVAL");
	ok(parse("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n",
		 100, &req) == -ENOSYS, "chunked: -ENOSYS (400)");
	ok(parse("POST / HTTP/2\r\n\r\n", 100, &req) == -EINVAL,
	   "another version: -EINVAL");
	ok(parse("POST /\r\n\r\n", 100, &req) == -EINVAL,
	   "no version: -EINVAL");
	ok(parse("POST / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n", 100,
		 &req) == -EINVAL, "obs-fold: -EINVAL");
	ok(parse("POST / HTTP/1.1\nHost: a\n\n", 100, &req) == -EAGAIN,
	   "bare LF is no line end (more needed, then the head cap)");
	memset(big, 'a', sizeof(big));
	ok(http_request_parse(big, sizeof(big), 100, &req) == -E2BIG,
	   "a head over %d octets: -E2BIG", HTTP_REQUEST_HEAD_MAX);
}

static void test_gba(void)
{
	static const uint8_t ua13[GBA_UA_ID_LEN] = TLS_GBA_UA_TLS13;
	static const unsigned char ccac[] = { 0xcc, 0xac };
	char btid[STORE_BTID_MAX + 1];
	uint8_t ua[GBA_UA_ID_LEN];
	SSL_CTX *ctx = SSL_CTX_new(TLS_method());
	SSL *ssl = ctx ? SSL_new(ctx) : NULL;
	bool uicc = true;

	ok(tls_gba_identity_parse("3GPP-bootstrappingI1U8vpY3qJ0hiuZNrke/NQ==@bsf.home1.net",
				  btid, &uicc) == 0 && !uicc &&
	   !strcmp(btid, "I1U8vpY3qJ0hiuZNrke/NQ==@bsf.home1.net"),
	   "3GPP-bootstrapping || B-TID: GBA_ME");
	ok(tls_gba_identity_parse("3GPP-bootstrapping-uiccI1U8vpY3qJ0hiuZNrke/NQ==@bsf.home1.net",
				  btid, &uicc) == 0 && uicc &&
	   !strcmp(btid, "I1U8vpY3qJ0hiuZNrke/NQ==@bsf.home1.net"),
	   "3GPP-bootstrapping-uicc || B-TID: GBA_U");
	ok(tls_gba_identity_parse("imei:490154203237518", btid, &uicc) ==
	   -EINVAL, "a Device_ID is no GBA identity");
	ok(tls_gba_identity_parse("3GPP-bootstrapping", btid, &uicc) ==
	   -EINVAL, "the hint without a B-TID is refused");
	tls_gba_ua_id(NULL, true, ua);
	ok(!memcmp(ua, ua13, sizeof(ua)), "TLS 1.3: Ua id 01 00 00 00 07");
	tls_gba_ua_id(ssl ? SSL_CIPHER_find(ssl, ccac) : NULL, false, ua);
	is_hex(ua, sizeof(ua), "010001ccac",
	       "TLS 1.2 ECDHE-PSK-CHACHA20-POLY1305: Ua id 01 00 01 cc ac");
	SSL_free(ssl);
	SSL_CTX_free(ctx);
}

int main(void)
{
	plan(23);
	test_whole();
	test_refused();
	test_gba();
	return done_testing();
}
