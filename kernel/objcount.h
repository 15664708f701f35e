/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Live object counts. Every object that holds key material or a reference
 * to a kernel resource counts its creation and destruction here, and the
 * module checks at unload that every count is back to zero: the Debian
 * kernel has no kmemleak, so this is how the tests see a leak.
 */
#ifndef _E2M_OBJCOUNT_H
#define _E2M_OBJCOUNT_H

enum e2m_obj {
	E2M_OBJ_KEYSET,		/* struct e2m_keyset, the payload of a key */
	E2M_OBJ_KS_LOCAL,	/* struct e2m_ks_local, the payload of a key */
	E2M_OBJ_KEYSLOT,	/* struct e2m_keyslot, a key bound to a flow */
	E2M_OBJ_FLOW,		/* struct e2m_flow */
	E2M_OBJ_PEER,		/* struct e2m_peer: routes to a flow's peer */
	E2M_OBJ_SLOT_CRYPTO,	/* struct e2m_keyslot_crypto, a slot's transforms */
	E2M_OBJ_MATERIAL,	/* struct e2m_material, live or retired */
	E2M_OBJ__COUNT
};

void e2m_obj_created(enum e2m_obj obj);
void e2m_obj_destroyed(enum e2m_obj obj);
long e2m_obj_live(enum e2m_obj obj);
bool e2m_obj_check_leaks(void);

#endif /* _E2M_OBJCOUNT_H */
