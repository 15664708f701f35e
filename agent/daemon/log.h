/* SPDX-License-Identifier: GPL-2.0 */
/*
 * e2md's log: one line per event on stderr, as key=value pairs that both a
 * person and a script can read (journald adds the time):
 *
 *	e2md[1234]: level=info role=ROLE event=EVENT impi=... sqn=33
 *
 * level and event are always there, role when the event belongs to one;
 * the fields that follow depend on the event. A value with anything but
 * letters, digits and ._:/@+-, is quoted, with \" \\ and \xNN escapes, so
 * text a peer sent cannot forge a field or break the line.
 *
 * Never log key material: no K, OPc, CK, IK, RES, XRES, Ks or store key.
 * Nothing here can tell a key from other octets, so that rule is the
 * callers': they pass identities, counters and reasons, never secrets.
 *
 *	struct log_line line;
 *
 *	if (log_begin(&line, LOG_LEVEL_INFO, ROLE, "av-issued")) {
 *		log_str(&line, "impi", impi);
 *		log_u64(&line, "sqn", sqn);
 *		log_end(&line);
 *	}
 *
 * log_begin() returns false when the level is filtered out, and the other
 * calls are then no-ops, so the guard only saves work.
 */
#ifndef E2MD_LOG_H
#define E2MD_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum log_level {
	LOG_LEVEL_DEBUG,
	LOG_LEVEL_INFO,
	LOG_LEVEL_WARNING,
	LOG_LEVEL_ERROR,
};

/* A line longer than this is cut and ends with "truncated=1". */
#define LOG_LINE_MAX	1024

struct log_line {
	char text[LOG_LINE_MAX];
	size_t len;
	bool active;		/* the level passed the filter */
	bool truncated;
};

/* Lines below level are dropped; the default is LOG_LEVEL_INFO. */
void log_set_level(enum log_level level);
enum log_level log_get_level(void);

/* "debug", "info", "warning", "error". */
const char *log_level_name(enum log_level level);
/* The level of a name above: 0, or -EINVAL. */
int log_level_parse(const char *name, enum log_level *level);

/*
 * Told of every event begun, whether or not its level passes the filter
 * (the metrics count warnings and errors by event). NULL for none.
 */
typedef void (*log_observer_fn)(enum log_level level, const char *role,
				const char *event);
void log_set_observer(log_observer_fn observer);

/* role may be NULL for an event of the daemon as a whole. */
bool log_begin(struct log_line *line, enum log_level level, const char *role,
	       const char *event);
void log_str(struct log_line *line, const char *key, const char *value);
void log_int(struct log_line *line, const char *key, long long value);
void log_u64(struct log_line *line, const char *key, uint64_t value);
/* Writes the line with one write(2), so lines never interleave. */
void log_end(struct log_line *line);

/* A line with one free-text field msg="...", for events with no data. */
void __attribute__((format(printf, 4, 5)))
log_msg(enum log_level level, const char *role, const char *event,
	const char *fmt, ...);

#endif /* E2MD_LOG_H */
