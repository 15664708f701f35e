// SPDX-License-Identifier: GPL-2.0
/*
 * UTC time text, with the proleptic Gregorian calendar done by hand.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "utc.h"

#define SECONDS_PER_DAY	86400

static bool leap_year(int64_t year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

/* Leap years in 1..year-1 (year >= 1). */
static int64_t leaps_before(int64_t year)
{
	return (year - 1) / 4 - (year - 1) / 100 + (year - 1) / 400;
}

/* Days from 1970-01-01 to January 1st of year (year >= 1970). */
static int64_t days_before_year(int64_t year)
{
	return 365 * (year - 1970) + leaps_before(year) - leaps_before(1970);
}

static int days_in_month(int64_t year, int month)
{
	static const int days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	return days[month - 1] + (month == 2 && leap_year(year));
}

/* value (0 <= value < 10^n) as n decimal digits, no NUL. */
static void put_digits(char *out, int value, int n)
{
	while (n--) {
		out[n] = (char)('0' + value % 10);
		value /= 10;
	}
}

int utc_format(char out[UTC_TEXT_LEN + 1], int64_t t)
{
	int64_t days, seconds, year;
	int month = 1;

	if (t < UTC_MIN || t > UTC_MAX)
		return -ERANGE;
	days = t / SECONDS_PER_DAY;
	seconds = t % SECONDS_PER_DAY;
	/* 365 days a year at least: start above, step down to the year. */
	year = 1970 + days / 365;
	while (days_before_year(year) > days)
		year--;
	days -= days_before_year(year);
	while (days >= days_in_month(year, month)) {
		days -= days_in_month(year, month);
		month++;
	}
	memcpy(out, "0000-00-00T00:00:00Z", UTC_TEXT_LEN + 1);
	put_digits(out, (int)year, 4);
	put_digits(out + 5, month, 2);
	put_digits(out + 8, (int)days + 1, 2);
	put_digits(out + 11, (int)(seconds / 3600), 2);
	put_digits(out + 14, (int)(seconds / 60 % 60), 2);
	put_digits(out + 17, (int)(seconds % 60), 2);
	return 0;
}

/* n digits at text as a number, or -1 if one is not a digit. */
static int digits(const char *text, int n)
{
	int value = 0, i;

	for (i = 0; i < n; i++) {
		if (text[i] < '0' || text[i] > '9')
			return -1;
		value = value * 10 + (text[i] - '0');
	}
	return value;
}

/*
 * The "YYYY-MM-DDThh:mm:ss" at the start of text; *end is what follows.
 * The separators are checked before the digits they follow are read, so
 * nothing is read past a NUL.
 */
static int parse_fields(const char *text, int64_t *t, const char **end)
{
	static const char layout[] = "dddd-dd-ddTdd:dd:dd";
	int year, month, day, hour, minute, second;
	size_t i;

	for (i = 0; i < sizeof(layout) - 1; i++) {
		if (layout[i] == 'd' ? text[i] < '0' || text[i] > '9'
				     : text[i] != layout[i])
			return -EINVAL;
	}
	year = digits(text, 4);
	month = digits(text + 5, 2);
	day = digits(text + 8, 2);
	hour = digits(text + 11, 2);
	minute = digits(text + 14, 2);
	second = digits(text + 17, 2);
	if (year < 1970 || month < 1 || month > 12 || day < 1 ||
	    day > days_in_month(year, month) || hour > 23 || minute > 59 ||
	    second > 59)
		return -EINVAL;
	*t = (days_before_year(year) + day - 1) * SECONDS_PER_DAY +
	     hour * 3600 + minute * 60 + second;
	for (month--; month >= 1; month--)
		*t += (int64_t)days_in_month(year, month) * SECONDS_PER_DAY;
	*end = text + sizeof(layout) - 1;
	return 0;
}

int utc_parse(const char *text, int64_t *t)
{
	const char *end;
	int64_t value;

	if (parse_fields(text, &value, &end) || strcmp(end, "Z"))
		return -EINVAL;
	*t = value;
	return 0;
}

int utc_parse_xs(const char *text, int64_t *t)
{
	const char *end;
	int64_t value;

	if (parse_fields(text, &value, &end))
		return -EINVAL;
	if (*end == '.') {
		/* xs:dateTime: at least one digit after the point. */
		if (end[1] < '0' || end[1] > '9')
			return -EINVAL;
		for (end++; *end >= '0' && *end <= '9'; end++)
			;
	}
	if (strcmp(end, "Z"))
		return -EINVAL;
	*t = value;
	return 0;
}
