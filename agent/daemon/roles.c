// SPDX-License-Identifier: GPL-2.0
/*
 * The table of the roles e2md runs, see roles.h.
 */
#include "daemon/bsf/role_bsf.h"
#include "daemon/hse/role_hse.h"
#include "daemon/hss/role_hss.h"
#include "daemon/sgw/role_sgw.h"
#include "roles.h"

static const struct role_ops *const table[] = {
	&role_hss,
	&role_bsf,
	&role_sgw,
	&role_hse,
};

const struct role_ops *const *roles_table(size_t *count)
{
	*count = sizeof(table) / sizeof(table[0]);
	return table;
}
