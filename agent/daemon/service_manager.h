/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What e2md tells its service manager (systemd's Type=notify protocol,
 * sd_notify(3)): READY=1 once every listener and the admin socket are
 * open, RELOADING=1 ... READY=1 around a SIGHUP reload, STOPPING=1 when
 * a stop begins, with a STATUS= line a person reads in `systemctl status`.
 * Without $NOTIFY_SOCKET (not started by systemd) each call does nothing.
 * The messages carry no key material: they go to another process.
 */
#ifndef E2M_DAEMON_SERVICE_MANAGER_H
#define E2M_DAEMON_SERVICE_MANAGER_H

void service_manager_ready(const char *status);
void service_manager_reloading(void);
void service_manager_stopping(const char *status);

#endif
