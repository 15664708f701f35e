/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The process's own series:
 *
 *	e2m_build_info{version}			1
 *	e2m_process_start_time_seconds		since the Unix epoch
 *	e2m_process_open_fds			descriptors open now
 *	e2m_process_open_sockets		of them sockets: the listeners,
 *						connections in and out, the
 *						admin socket, netlink
 *
 * The two counts read /proc/self/fd, whose length the descriptor limit
 * bounds.
 */
#ifndef E2MD_METRICS_PROCESS_H
#define E2MD_METRICS_PROCESS_H

#include <time.h>

#include "prom_text.h"

/* started: CLOCK_REALTIME of the daemon's start. */
void metrics_process_write(struct prom_text *text,
			   const struct timespec *started);

#endif /* E2MD_METRICS_PROCESS_H */
