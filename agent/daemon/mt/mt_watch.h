/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The rekey-watches the MT holds (seed 001 7.3, Documentation/
 * local-interface.md): a device's rekey-watch (NAF-ID, Device_ID) stays
 * unanswered on its link until the MT wants that key established again;
 * the MT then answers rekey-request with the watch's id, the B-TID of
 * the key it holds and why, and the watch is done (the device sends a
 * new one). At most MT_WATCHES_PER_LINK on a link and MT_WATCHES_MAX in
 * all (mt_plan_message() refuses beyond); a link's watches go when the
 * link closes, and a link holding one is not closed for being silent
 * (MT_IDLE_SECONDS applies again once none is left on it).
 *
 * mt_watch_rekey() asks for a key again: every watch for it is answered,
 * but not within MT_REKEY_GAP seconds of the last time (mt_plan_rekey());
 * with no watch the want is logged and counted, nothing else.
 */
#ifndef E2MD_MT_WATCH_H
#define E2MD_MT_WATCH_H

#include <stdint.h>

#include "proto/local/local_msg.h"
#include "role_mt.h"

struct mt_watch {
	struct mt_watch *next;
	struct mt_link *link;
	uint32_t id;
	char naf_id[DNS_NAME_MAX + 1];		/* as configured */
	char device_id[STORE_DEVICE_ID_MAX + 1];
};

/* Holds msg's watch on link, fqdn the configured NAF-ID: 0 or -ENOMEM. */
int mt_watch_add(struct mt *mt, struct mt_link *link,
		 const struct local_msg *msg, const char *fqdn);

/* How many watches link holds. */
size_t mt_watch_count(const struct mt *mt, const struct mt_link *link);

/* Drops link's watches (it closes); NULL: every watch. */
void mt_watch_drop(struct mt *mt, const struct mt_link *link);

/*
 * The key of (naf_fqdn, device_id), B-TID btid, wanted again for reason
 * (a LOCAL_REKEY_* token): the number of watches answered (> 0),
 * -ENOENT (no watch), or -EAGAIN (within MT_REKEY_GAP of the last).
 */
int mt_watch_rekey(struct mt *mt, const char *btid, const char *naf_fqdn,
		   const char *device_id, const char *reason, int64_t now);

#endif /* E2MD_MT_WATCH_H */
