// SPDX-License-Identifier: GPL-2.0
/*
 * The GBA listener's HTTP/1.1 request reader (net/http_request.c) on
 * arbitrary octets, under the body limits its caller uses (UB_JSON_MAX),
 * a small one and none (SIZE_MAX). What it accepts must hold together:
 * the head ends in CRLF CRLF within the input, the body is there whole
 * and within the limit, the fields are short NUL-free strings, and
 * body_len is the Content-Length the head says. The connection reads a
 * request piece by piece, so a shorter read must never decide otherwise
 * than the whole one: it needs more, or ends with the same refusal.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <strings.h>

#include "fuzz.h"
#include "net/http_request.h"
#include "proto/gba/ub_json.h"

/* A NUL-terminated field of at most size - 1 octets, not empty. */
static bool field_ok(const char *field, size_t size)
{
	size_t n = strnlen(field, size);

	return n > 0 && n < size;
}

/*
 * The Content-Length the head names, read apart from the parser: the
 * value of its one "Content-Length:" header line (the request line is
 * none, whatever its method), 0 without one.
 */
static size_t head_content_length(const char *buf, size_t head_len)
{
	static const char name[] = "Content-Length:";
	const char *end = buf + head_len, *line, *eol, *v;
	size_t n = 0;

	line = memchr(buf, '\r', head_len);
	FUZZ_ASSERT(line && line + 1 < end && line[1] == '\n');
	for (line += 2; line < end; line = eol + 2) {
		eol = memchr(line, '\r', (size_t)(end - line));
		FUZZ_ASSERT(eol && eol + 1 < end && eol[1] == '\n');
		if ((size_t)(eol - line) < sizeof(name) - 1 ||
		    strncasecmp(line, name, sizeof(name) - 1))
			continue;
		for (v = line + sizeof(name) - 1; *v == ' ' || *v == '\t'; v++)
			;
		for (; v < eol && *v >= '0' && *v <= '9'; v++) {
			FUZZ_ASSERT(n <= (SIZE_MAX - 9) / 10);
			n = n * 10 + (size_t)(*v - '0');
		}
	}
	return n;
}

static void accepted(const char *buf, size_t len, size_t max_body,
		     const struct http_request *req)
{
	FUZZ_ASSERT(req->head_len >= 4 && req->head_len <= len &&
		    req->head_len <= HTTP_REQUEST_HEAD_MAX &&
		    !memcmp(buf + req->head_len - 4, "\r\n\r\n", 4));
	FUZZ_ASSERT(req->body_len <= max_body &&
		    req->body_len <= len - req->head_len);
	FUZZ_ASSERT(field_ok(req->method, sizeof(req->method)) &&
		    field_ok(req->path, sizeof(req->path)) &&
		    strnlen(req->content_type, sizeof(req->content_type)) <
		    sizeof(req->content_type));
	FUZZ_ASSERT(req->body_len == head_content_length(buf,
							  req->head_len));
}

/* A read of the first len octets against the whole's answer. */
static void prefix(const char *buf, size_t len, size_t max_body, int whole)
{
	struct http_request req;
	int ret = http_request_parse(buf, len, max_body, &req);

	FUZZ_ASSERT(ret == -EAGAIN || (whole && ret == whole));
}

static void one_limit(const char *buf, size_t len, size_t max_body)
{
	struct http_request req, again;
	int ret = http_request_parse(buf, len, max_body, &req);

	FUZZ_ASSERT(ret == 0 || ret == -EAGAIN || ret == -EINVAL ||
		    ret == -E2BIG || ret == -ENOSYS);
	if (!ret) {
		accepted(buf, len, max_body, &req);
		/* What follows the body is the next request's. */
		FUZZ_ASSERT(!http_request_parse(buf, req.head_len +
						req.body_len, max_body,
						&again) &&
			    !memcmp(&req, &again, sizeof(req)));
		if (req.body_len)
			prefix(buf, req.head_len + req.body_len - 1,
			       max_body, 0);
		prefix(buf, req.head_len - 1, max_body, 0);
		return;
	}
	if (ret != -EAGAIN && len > 0 && len < HTTP_REQUEST_HEAD_MAX)
		prefix(buf, len - 1, max_body, ret);
	(void)http_request_type_is(&req, UB_JSON_CONTENT_TYPE);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Exactly the input: the parser must not read past len. */
	char *buf = malloc(size ? size : 1);

	if (!buf)
		abort();
	memcpy(buf, data, size);
	one_limit(buf, size, UB_JSON_MAX);
	one_limit(buf, size, 16);
	one_limit(buf, size, SIZE_MAX);
	free(buf);
	return 0;
}
