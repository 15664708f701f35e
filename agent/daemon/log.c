// SPDX-License-Identifier: GPL-2.0
/*
 * The daemon's log lines, see log.h.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

/* Room kept at the end of a line for " truncated=1\n". */
#define TRUNCATED_MARK	" truncated=1"
#define LINE_RESERVE	(sizeof(TRUNCATED_MARK) + 1)

static enum log_level threshold = LOG_LEVEL_INFO;
static log_observer_fn observer;

static const char *const level_names[] = {
	[LOG_LEVEL_DEBUG] = "debug",
	[LOG_LEVEL_INFO] = "info",
	[LOG_LEVEL_WARNING] = "warning",
	[LOG_LEVEL_ERROR] = "error",
};

void log_set_level(enum log_level level)
{
	threshold = level;
}

enum log_level log_get_level(void)
{
	return threshold;
}

const char *log_level_name(enum log_level level)
{
	if ((unsigned int)level >= sizeof(level_names) / sizeof(level_names[0]))
		return "unknown";
	return level_names[level];
}

int log_level_parse(const char *name, enum log_level *level)
{
	size_t i;

	for (i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++) {
		if (!strcmp(name, level_names[i])) {
			*level = (enum log_level)i;
			return 0;
		}
	}
	return -EINVAL;
}

/* Appends len octets, or marks the line truncated if they do not fit. */
static void put(struct log_line *line, const char *text, size_t len)
{
	if (!line->active || line->truncated)
		return;
	if (line->len + len > sizeof(line->text) - LINE_RESERVE) {
		line->truncated = true;
		return;
	}
	memcpy(line->text + line->len, text, len);
	line->len += len;
}

static void put_str(struct log_line *line, const char *text)
{
	put(line, text, strlen(text));
}

static bool plain_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || strchr("._:/@+-,", c);
}

static bool needs_quotes(const char *value)
{
	const unsigned char *p = (const unsigned char *)value;

	if (!*p)
		return true;
	for (; *p; p++) {
		if (!plain_char(*p))
			return true;
	}
	return false;
}

/* The value quoted and escaped, as a whole or not at all. */
static void put_quoted(struct log_line *line, const char *value)
{
	char buf[LOG_LINE_MAX];
	size_t len = 0;
	const unsigned char *p;

	buf[len++] = '"';
	for (p = (const unsigned char *)value; *p; p++) {
		if (len + 5 >= sizeof(buf)) {
			line->truncated = true;
			return;
		}
		if (*p == '"' || *p == '\\') {
			buf[len++] = '\\';
			buf[len++] = (char)*p;
		} else if (*p < 0x20 || *p >= 0x7f) {
			len += (size_t)snprintf(buf + len, sizeof(buf) - len,
						"\\x%02x", *p);
		} else {
			buf[len++] = (char)*p;
		}
	}
	buf[len++] = '"';
	put(line, buf, len);
}

static void put_field(struct log_line *line, const char *key,
		      const char *value)
{
	put(line, " ", 1);
	put_str(line, key);
	put(line, "=", 1);
	if (needs_quotes(value))
		put_quoted(line, value);
	else
		put_str(line, value);
}

void log_set_observer(log_observer_fn fn)
{
	observer = fn;
}

bool log_begin(struct log_line *line, enum log_level level, const char *role,
	       const char *event)
{
	char prefix[64];

	if (observer)
		observer(level, role, event);
	line->len = 0;
	line->truncated = false;
	line->active = level >= threshold;
	if (!line->active)
		return false;
	snprintf(prefix, sizeof(prefix), "e2md[%ld]: level=%s", (long)getpid(),
		 log_level_name(level));
	put_str(line, prefix);
	if (role)
		put_field(line, "role", role);
	put_field(line, "event", event);
	return true;
}

void log_str(struct log_line *line, const char *key, const char *value)
{
	put_field(line, key, value ? value : "");
}

void log_int(struct log_line *line, const char *key, long long value)
{
	char text[24];

	snprintf(text, sizeof(text), "%lld", value);
	put_field(line, key, text);
}

void log_u64(struct log_line *line, const char *key, uint64_t value)
{
	char text[24];

	snprintf(text, sizeof(text), "%" PRIu64, value);
	put_field(line, key, text);
}

void log_end(struct log_line *line)
{
	size_t done = 0;

	if (!line->active)
		return;
	/* put() kept LINE_RESERVE free for these. */
	if (line->truncated) {
		memcpy(line->text + line->len, TRUNCATED_MARK,
		       sizeof(TRUNCATED_MARK) - 1);
		line->len += sizeof(TRUNCATED_MARK) - 1;
	}
	line->text[line->len++] = '\n';
	while (done < line->len) {
		ssize_t n = write(STDERR_FILENO, line->text + done,
				  line->len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;	/* nowhere else to report it */
		done += (size_t)n;
	}
	line->active = false;
}

void log_msg(enum log_level level, const char *role, const char *event,
	     const char *fmt, ...)
{
	struct log_line line;
	char msg[LOG_LINE_MAX / 2];
	va_list ap;

	if (!log_begin(&line, level, role, event))
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_str(&line, "msg", msg);
	log_end(&line);
}
