// SPDX-License-Identifier: GPL-2.0
/*
 * The table of the roles e2md runs, see roles.h.
 */
#include "daemon/bsf/role_bsf.h"
#include "daemon/device/role_device.h"
#include "daemon/hse/role_hse.h"
#include "daemon/hss/role_hss.h"
#include "daemon/maf/role_maf.h"
#include "daemon/mef/role_mef.h"
#include "daemon/prov/role_prov.h"
#include "daemon/mt/role_mt.h"
#include "daemon/nafkc/role_nafkc.h"
#include "daemon/sgw/role_sgw.h"
#include "roles.h"
#include "store/store.h"

/*
 * A role this e2md knows of but cannot run yet: a row with its name and
 * a schema that refuses it, so that its key says so rather than
 * "unknown key", and takes its place in the list of the roles' keys. Its
 * settings never load (the refusal is an error), so the daemon never
 * sees it configured and calls nothing else of it.
 */
static void parse_not_yet(struct yaml_walk *walk, const char *path,
			  yaml_node_t *value, unsigned int key_line,
			  void *dest)
{
	(void)value;
	(void)dest;
	yaml_error(walk, key_line, path,
		   "this role is not available in this e2md yet");
}

static const struct role_ops role_ue_not_yet = {
	.name = "ue",
	.parse_config = parse_not_yet,
};

static const struct role_ops *const table[] = {
	&role_hss,
	&role_bsf,
	&role_sgw,
	&role_ue_not_yet,
	&role_hse,
	&role_nafkc,
	&role_mt,
	&role_device,
	&role_mef,	/* oneM2M (issue 14) */
	&role_maf,
	&role_prov,	/* long-term key update (issue 15) */
};

_Static_assert(sizeof(table) / sizeof(table[0]) <= CONFIG_ROLES_MAX,
	       "struct config_roles has a slot per role");

const struct role_ops *const *roles_table(size_t *count)
{
	*count = sizeof(table) / sizeof(table[0]);
	return table;
}

bool role_store_served(const struct role_ops *role, const char *engine)
{
	unsigned int needs = role->store_families;

	if (!role->store_keeps && !needs)
		return true;
	/* None named: all of them, but the BSF's challenges (its own). */
	if (!needs)
		needs = STORE_FAMILIES_ALL & ~STORE_FAMILY_CHALLENGES;
	return (store_engine_families(engine) & needs) == needs;
}
