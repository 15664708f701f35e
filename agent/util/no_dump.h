/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A process that holds keys must not leave them in a core file, nor let
 * another process of the same user read its memory: no core dumps and
 * not dumpable (which also makes /proc/PID/mem and ptrace root-only).
 */
#ifndef E2M_UTIL_NO_DUMP_H
#define E2M_UTIL_NO_DUMP_H

/* 0, or -errno of the first call that failed (errno-style, nothing set). */
int process_forbid_dumps(void);

#endif
