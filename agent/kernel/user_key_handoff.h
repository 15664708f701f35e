/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A key handed to an application that runs as another uid: a "user" key
 * in that uid's persistent keyring (keyctl_get_persistent(3)), made by a
 * short child that has taken the uid (and a gid), so that the key is the
 * uid's own and counted in its quota, and the caller needs CAP_SETUID and
 * CAP_SETGID, not CAP_SYS_ADMIN. The one way e2mctl (the Enrolee's
 * `onem2m handoff`) and e2md (roles.maf.handoff) hand keys over.
 *
 * Permissions 0x0b0b0000: possessor and owner view, read, search; no
 * write, setattr or link, group and others nothing. So another uid's read
 * is refused (EACCES), and the application, though it possesses the key
 * once it links its persistent keyring, cannot widen them or move the
 * timeout. Its timeout is the key's expiry: the kernel makes it
 * unreadable (EKEYEXPIRED) at that second and collects it.
 *
 * A second key of the same description replaces the first in one step
 * (the keyring is never without one): the new key is made in the child's
 * own process keyring, where nobody else sees it, given its timeout,
 * linked into the persistent keyring (which displaces the old one), then
 * narrowed; the old key is invalidated, since the application may have
 * linked it elsewhere. Key bytes are wiped in the parent (the child's
 * copy goes with its address space).
 */
#ifndef E2M_USER_KEY_HANDOFF_H
#define E2M_USER_KEY_HANDOFF_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <keyutils.h>

#define USER_KEY_HANDOFF_PERM	(KEY_POS_VIEW | KEY_POS_READ | \
				 KEY_POS_SEARCH | KEY_USR_VIEW | \
				 KEY_USR_READ | KEY_USR_SEARCH)
#define USER_KEY_HANDOFF_DESC_MAX	1024	/* with its NUL */
#define USER_KEY_HANDOFF_KEY_MAX	64

/* What the child did: the key's serial, or the step that failed. */
struct user_key_handoff {
	key_serial_t serial;	/* given: the new key; taken: the old, or 0;
				 * renewed: the keyring */
	int err;		/* errno of the step that failed, 0 if none */
	char step[32];		/* "add_key", "setresuid", ...; "" if none */
};

/*
 * Gives uid (as uid:gid) the key (len octets) described desc, expiring
 * in timeout seconds (at least 1). 0, or a negative errno with r->step
 * and r->err set.
 */
int user_key_handoff_give(uid_t uid, gid_t gid, const char *desc,
			  const uint8_t *key, size_t len,
			  unsigned int timeout, struct user_key_handoff *r);

/*
 * Invalidates uid's key described desc, if there: 0 (r->serial the key
 * taken, or 0 when there was none), or a negative errno as above.
 */
int user_key_handoff_take(uid_t uid, gid_t gid, const char *desc,
			  struct user_key_handoff *r);

/*
 * Renews uid's persistent keyring, which the kernel takes away with
 * every key in it once /proc/sys/kernel/keys/persistent_keyring_expiry
 * seconds pass without a keyctl_get_persistent() of it (each give and
 * take is one): 0 (r->serial the keyring), or a negative errno as above.
 */
int user_key_handoff_renew(uid_t uid, gid_t gid, struct user_key_handoff *r);

/* uid's primary group from passwd, or uid itself when it has no entry. */
gid_t user_key_handoff_gid(uid_t uid);

#endif /* E2M_USER_KEY_HANDOFF_H */
