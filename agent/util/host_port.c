// SPDX-License-Identifier: GPL-2.0
/*
 * HOST:PORT, see host_port.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "host_port.h"

int host_port_parse(const char *text, char host[DNS_NAME_MAX + 1],
		    uint16_t *port)
{
	const char *colon = strrchr(text, ':');
	const char *start = text, *end = colon;
	unsigned long n;
	char *tail;

	if (!colon || !colon[1])
		return -EINVAL;
	if (text[0] == '[') {
		if (colon == text || colon[-1] != ']')
			return -EINVAL;
		start = text + 1;
		end = colon - 1;
	}
	if (end <= start || (size_t)(end - start) > DNS_NAME_MAX)
		return -EINVAL;
	errno = 0;
	n = strtoul(colon + 1, &tail, 10);
	if (errno || *tail || n < 1 || n > 65535 || colon[1] == '+' ||
	    colon[1] == '-')
		return -EINVAL;
	memcpy(host, start, (size_t)(end - start));
	host[end - start] = '\0';
	*port = (uint16_t)n;
	return 0;
}
