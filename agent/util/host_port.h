/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where a peer is reached, written HOST:PORT or [IPv6]:PORT: the local
 * interface's MT and a Key Centre, for e2mctl local-key establish and the
 * e2md role device alike.
 */
#ifndef E2M_HOST_PORT_H
#define E2M_HOST_PORT_H

#include <stdint.h>

#include "dns_name.h"

/*
 * text into host and port: 0 or -EINVAL. The port is 1..65535; the host
 * a DNS name or an address, not checked further.
 */
int host_port_parse(const char *text, char host[DNS_NAME_MAX + 1],
		    uint16_t *port);

#endif /* E2M_HOST_PORT_H */
