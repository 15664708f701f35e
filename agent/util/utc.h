/* SPDX-License-Identifier: GPL-2.0 */
/*
 * UTC times as text, "YYYY-MM-DDThh:mm:ssZ": the xs:dateTime of the
 * BootstrappingInfo lifetime (TS 24.109 C.1: UTC with the designator "Z")
 * and the "expires" of e2m's Zn profile. Times are int64_t seconds since
 * the epoch, as in the store. The calendar arithmetic is done here, not
 * by timegm() (not POSIX) or mktime() (local time zone).
 */
#ifndef E2M_UB_UTC_H
#define E2M_UB_UTC_H

#include <stdint.h>

#define UTC_TEXT_LEN	20	/* "YYYY-MM-DDThh:mm:ssZ" */

/* Years 1970..9999: the range a four-digit year holds and time_t agrees on. */
#define UTC_MIN		INT64_C(0)
#define UTC_MAX		INT64_C(253402300799)	/* 9999-12-31T23:59:59Z */

/* Writes the text and a NUL. 0, or -ERANGE for t outside UTC_MIN..MAX. */
int utc_format(char out[UTC_TEXT_LEN + 1], int64_t t);

/*
 * Reads exactly "YYYY-MM-DDThh:mm:ssZ": digits where shown, a real date,
 * hh 00..23, mm and ss 00..59 (no leap second), nothing before or after.
 * 0 or -EINVAL; *t untouched on error.
 */
int utc_parse(const char *text, int64_t *t);

/*
 * The same, also allowing the fractional seconds of xs:dateTime
 * ("...:ss.fffZ"), which are dropped: a lifetime cut to the second ends
 * earlier, never later. Any offset other than "Z" is still refused.
 */
int utc_parse_xs(const char *text, int64_t *t);

#endif /* E2M_UB_UTC_H */
