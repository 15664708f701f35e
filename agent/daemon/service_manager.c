// SPDX-License-Identifier: GPL-2.0
/*
 * sd_notify(3) for e2md, see service_manager.h. libsystemd's sd_notify
 * speaks the protocol (a datagram to $NOTIFY_SOCKET, abstract or path,
 * with the credentials systemd checks against NotifyAccess=main).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <systemd/sd-daemon.h>

#include "log.h"
#include "service_manager.h"

/*
 * A failed notification is logged, never fatal: the daemon serves either
 * way, and systemd's start timeout says the rest.
 */
static void notify(const char *state)
{
	int ret = sd_notify(0, state);

	if (ret < 0)
		log_msg(LOG_LEVEL_WARNING, NULL, "notify-failed", "%s",
			strerror(-ret));
}

static void notify_status(const char *state, const char *status)
{
	char message[512];

	snprintf(message, sizeof(message), "%s\nSTATUS=%s", state, status);
	notify(message);
}

void service_manager_ready(const char *status)
{
	notify_status("READY=1", status);
}

void service_manager_reloading(void)
{
	notify_status("RELOADING=1", "reloading the configuration");
}

void service_manager_stopping(const char *status)
{
	notify_status("STOPPING=1", status);
}
