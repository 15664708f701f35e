/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One HTTP/1.1 request read from a buffer, for a server that runs its
 * own connection (the NAF Key Centre's GBA listener) rather than evhttp:
 * the request line, the headers it needs, and a body of Content-Length
 * octets. Strict and bounded: CRLF line ends, no chunked bodies (400),
 * no obs-fold, the head at most HTTP_REQUEST_HEAD_MAX octets, the body at
 * most the caller's limit (413).
 */
#ifndef E2MD_HTTP_REQUEST_H
#define E2MD_HTTP_REQUEST_H

#include <stdbool.h>
#include <stddef.h>

#define HTTP_REQUEST_HEAD_MAX	8192	/* octets, to the empty line */
#define HTTP_REQUEST_METHOD_MAX	15
#define HTTP_REQUEST_PATH_MAX	255
#define HTTP_REQUEST_TYPE_MAX	127

struct http_request {
	char method[HTTP_REQUEST_METHOD_MAX + 1];
	char path[HTTP_REQUEST_PATH_MAX + 1];
	char content_type[HTTP_REQUEST_TYPE_MAX + 1];	/* "" when none */
	size_t head_len;	/* octets of the head, the empty line too */
	size_t body_len;	/* Content-Length, 0 when none */
};

/*
 * Parses buf[0..len): 0 when a whole request is there (its body at
 * buf + head_len), -EAGAIN when more is needed, -EINVAL for a request
 * that is not one (400), -E2BIG for a head or body over the limits
 * (413), -ENOSYS for a Transfer-Encoding (400).
 */
int http_request_parse(const char *buf, size_t len, size_t max_body,
		       struct http_request *req);

/* Whether Content-Type names type (any case), parameters allowed. */
bool http_request_type_is(const struct http_request *req, const char *type);

#endif /* E2MD_HTTP_REQUEST_H */
