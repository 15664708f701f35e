// SPDX-License-Identifier: GPL-2.0
/*
 * One HTTP/1.1 request from a buffer, see http_request.h.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http_request.h"

/* The end of the head (after CRLF CRLF) within len, or 0. */
static size_t head_end(const char *buf, size_t len)
{
	size_t i;

	for (i = 3; i < len; i++)
		if (buf[i] == '\n' && buf[i - 1] == '\r' &&
		    buf[i - 2] == '\n' && buf[i - 3] == '\r')
			return i + 1;
	return 0;
}

/* Copies [start, end) to out (size octets with the NUL): 0 or -EINVAL. */
static int copy_field(const char *start, const char *end, char *out,
		      size_t size)
{
	size_t n = (size_t)(end - start);

	if (!n || n >= size || memchr(start, '\0', n))
		return -EINVAL;
	memcpy(out, start, n);
	out[n] = '\0';
	return 0;
}

/* "METHOD SP PATH SP HTTP/1.x" */
static int request_line(const char *line, const char *end,
			struct http_request *req)
{
	const char *sp1 = memchr(line, ' ', (size_t)(end - line));
	const char *sp2 = sp1 ? memchr(sp1 + 1, ' ',
				       (size_t)(end - sp1 - 1)) : NULL;

	if (!sp2 || copy_field(line, sp1, req->method, sizeof(req->method)) ||
	    copy_field(sp1 + 1, sp2, req->path, sizeof(req->path)))
		return -EINVAL;
	if (end - sp2 - 1 != 8 || (memcmp(sp2 + 1, "HTTP/1.1", 8) &&
				    memcmp(sp2 + 1, "HTTP/1.0", 8)))
		return -EINVAL;
	return 0;
}

static int content_length(const char *value, const char *end,
			  size_t max_body, struct http_request *req,
			  bool *seen)
{
	size_t n = 0;

	if (*seen || value == end)
		return -EINVAL;		/* twice, or empty */
	*seen = true;
	for (; value < end; value++) {
		size_t digit = (size_t)(*value - '0');

		if (*value < '0' || *value > '9')
			return -EINVAL;
		/* Past size_t it is over any limit, SIZE_MAX's too. */
		if (n > max_body || n > (SIZE_MAX - digit) / 10)
			return -E2BIG;
		n = n * 10 + digit;
	}
	if (n > max_body)
		return -E2BIG;
	req->body_len = n;
	return 0;
}

/* "Name: value" with optional spaces around the value. */
static int header(const char *line, const char *end, size_t max_body,
		  struct http_request *req, bool *seen_length)
{
	const char *colon = memchr(line, ':', (size_t)(end - line));
	const char *value;
	size_t name_len;

	if (!colon || colon == line || *line == ' ' || *line == '\t')
		return -EINVAL;		/* no name, or obs-fold */
	name_len = (size_t)(colon - line);
	value = colon + 1;
	while (value < end && (*value == ' ' || *value == '\t'))
		value++;
	while (end > value && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (name_len == 14 && !strncasecmp(line, "Content-Length", 14))
		return content_length(value, end, max_body, req, seen_length);
	if (name_len == 17 && !strncasecmp(line, "Transfer-Encoding", 17))
		return -ENOSYS;
	if (name_len == 12 && !strncasecmp(line, "Content-Type", 12)) {
		if (req->content_type[0] || value == end)
			return -EINVAL;
		return copy_field(value, end, req->content_type,
				  sizeof(req->content_type));
	}
	return 0;
}

int http_request_parse(const char *buf, size_t len, size_t max_body,
		       struct http_request *req)
{
	size_t end = head_end(buf, len < HTTP_REQUEST_HEAD_MAX ? len :
				   HTTP_REQUEST_HEAD_MAX);
	const char *line = buf, *eol;
	bool seen_length = false;
	int ret;

	memset(req, 0, sizeof(*req));
	if (!end)
		return len >= HTTP_REQUEST_HEAD_MAX ? -E2BIG : -EAGAIN;
	req->head_len = end;
	eol = memchr(line, '\r', end);
	if (!eol || eol[1] != '\n')
		return -EINVAL;
	ret = request_line(line, eol, req);
	line = eol + 2;
	while (!ret && line < buf + end - 2) {
		eol = memchr(line, '\r', (size_t)(buf + end - line));
		if (!eol || eol[1] != '\n')
			return -EINVAL;
		ret = header(line, eol, max_body, req, &seen_length);
		line = eol + 2;
	}
	if (ret)
		return ret;
	return len - end >= req->body_len ? 0 : -EAGAIN;
}

bool http_request_type_is(const struct http_request *req, const char *type)
{
	const char *value = req->content_type;
	size_t len = strlen(type);

	if (strncasecmp(value, type, len))
		return false;
	value += len;
	while (*value == ' ' || *value == '\t')
		value++;
	return *value == '\0' || *value == ';';
}
