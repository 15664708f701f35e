// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection for the tests of debug builds, see fault.h.
 */
#include <linux/compiler.h>
#include <linux/moduleparam.h>
#include <linux/rtnetlink.h>

#include "fault.h"

static unsigned int fail_config_step;
module_param(fail_config_step, uint, 0644);
MODULE_PARM_DESC(fail_config_step,
		 "debug builds: fail the N-th fallible step of the next flow configurations, once");

/* Under the RTNL, as every flow configuration runs. */
bool e2m_fault(void)
{
	unsigned int n = READ_ONCE(fail_config_step);

	ASSERT_RTNL();
	if (!n)
		return false;
	WRITE_ONCE(fail_config_step, n - 1);
	return n == 1;
}
