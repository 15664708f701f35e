// SPDX-License-Identifier: GPL-2.0
/* See no_dump.h. */
#include <errno.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include "no_dump.h"

int process_forbid_dumps(void)
{
	const struct rlimit none = { 0, 0 };
	struct rlimit now;

	/*
	 * Already none (systemd's LimitCORE=0) needs no call: a seccomp
	 * filter without @resources would refuse it.
	 */
	if (getrlimit(RLIMIT_CORE, &now) || now.rlim_max != 0) {
		if (setrlimit(RLIMIT_CORE, &none))
			return -errno;
	}
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0))
		return -errno;
	return 0;
}
