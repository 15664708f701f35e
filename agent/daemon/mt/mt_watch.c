// SPDX-License-Identifier: GPL-2.0
/*
 * The rekey-watches the MT holds, see mt_watch.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <event2/bufferevent.h>

#include "daemon/log.h"
#include "mt_link.h"
#include "mt_plan.h"
#include "mt_watch.h"

#define ROLE	"mt"

int mt_watch_add(struct mt *mt, struct mt_link *link,
		 const struct local_msg *msg, const char *fqdn)
{
	struct mt_watch *w = calloc(1, sizeof(*w));

	if (!w)
		return -ENOMEM;
	w->link = link;
	w->id = msg->id;
	snprintf(w->naf_id, sizeof(w->naf_id), "%s", fqdn);
	snprintf(w->device_id, sizeof(w->device_id), "%s", msg->device_id);
	w->next = mt->watches;
	mt->watches = w;
	mt->n_watches++;
	mt->counters.watches++;
	/* A watch is meant to wait: its link is not idle. */
	bufferevent_set_timeouts(link->bev, NULL, NULL);
	log_msg(LOG_LEVEL_INFO, ROLE, "rekey-watch",
		"peer=%s naf=%s device=%s id=%u", link->peer, w->naf_id,
		w->device_id, w->id);
	return 0;
}

size_t mt_watch_count(const struct mt *mt, const struct mt_link *link)
{
	const struct mt_watch *w;
	size_t n = 0;

	for (w = mt->watches; w; w = w->next)
		n += w->link == link;
	return n;
}

static void drop_if(struct mt *mt, bool (*match)(const struct mt_watch *,
						 const void *),
		    const void *arg)
{
	struct mt_watch **p = &mt->watches, *w;

	while ((w = *p)) {
		if (!match(w, arg)) {
			p = &w->next;
			continue;
		}
		*p = w->next;
		mt->n_watches--;
		free(w);
	}
}

static bool of_link(const struct mt_watch *w, const void *link)
{
	return !link || w->link == link;
}

void mt_watch_drop(struct mt *mt, const struct mt_link *link)
{
	drop_if(mt, of_link, link);
}

static bool same_key(const char *naf_a, const char *device_a,
		     const char *naf_b, const char *device_b)
{
	return !strcasecmp(naf_a, naf_b) && !strcmp(device_a, device_b);
}

/* The rate limit's entry of the key, NULL: none. */
static struct mt_rekey_sent *sent_find(struct mt *mt, const char *naf,
				       const char *device_id)
{
	size_t i;

	for (i = 0; i < MT_WATCHES_MAX; i++) {
		struct mt_rekey_sent *e = &mt->rekeys_sent[i];

		if (e->at && same_key(e->naf_id, e->device_id, naf, device_id))
			return e;
	}
	return NULL;
}

/* The entry to remember a new key's in: a free one, or the oldest. */
static struct mt_rekey_sent *sent_new(struct mt *mt)
{
	struct mt_rekey_sent *oldest = &mt->rekeys_sent[0];
	size_t i;

	for (i = 1; i < MT_WATCHES_MAX; i++)
		if (mt->rekeys_sent[i].at < oldest->at)
			oldest = &mt->rekeys_sent[i];
	return oldest;
}

/* A link whose watches were all answered may be closed for silence. */
static void idle_again(struct mt *mt)
{
	struct timeval idle = { MT_IDLE_SECONDS, 0 };
	struct mt_link *link;

	for (link = mt->links; link; link = link->next) {
		if (!link->answered_watch)
			continue;
		link->answered_watch = false;
		if (!mt_watch_count(mt, link))
			bufferevent_set_timeouts(link->bev, &idle, NULL);
	}
}

struct answered {
	const char *naf;
	const char *device_id;
};

static bool is_answered(const struct mt_watch *w, const void *arg)
{
	const struct answered *a = arg;

	return same_key(w->naf_id, w->device_id, a->naf, a->device_id);
}

int mt_watch_rekey(struct mt *mt, const char *btid, const char *naf_fqdn,
		   const char *device_id, const char *reason, int64_t now)
{
	struct mt_rekey_sent *sent = sent_find(mt, naf_fqdn, device_id);
	struct answered key = { naf_fqdn, device_id };
	struct mt_watch *w;
	bool watched = false;
	int n = 0;

	for (w = mt->watches; w && !watched; w = w->next)
		watched = is_answered(w, &key);
	switch (mt_plan_rekey(watched, sent ? sent->at : 0, now)) {
	case MT_REKEY_TOO_SOON:
		mt->counters.rekeys_limited++;
		return -EAGAIN;
	case MT_REKEY_NO_WATCH:
		mt->counters.rekeys_unwatched++;
		log_msg(LOG_LEVEL_WARNING, ROLE, "rekey-unwatched",
			"naf=%s device=%s reason=%s: no rekey-watch of that device",
			naf_fqdn, device_id, reason);
		return -ENOENT;
	case MT_REKEY_SEND:
		break;
	}
	for (w = mt->watches; w; w = w->next) {
		struct local_msg msg = {
			.type = LOCAL_REKEY_REQUEST, .has_id = true, .id = w->id,
		};

		if (!is_answered(w, &key))
			continue;
		snprintf(msg.btid, sizeof(msg.btid), "%s", btid);
		snprintf(msg.naf_id, sizeof(msg.naf_id), "%s", w->naf_id);
		snprintf(msg.device_id, sizeof(msg.device_id), "%s",
			 w->device_id);
		snprintf(msg.reason, sizeof(msg.reason), "%s", reason);
		mt_link_send(w->link, &msg);
		w->link->answered_watch = true;
		mt->counters.rekeys++;
		n++;
		log_msg(LOG_LEVEL_INFO, ROLE, "rekey-requested",
			"peer=%s btid=%s naf=%s device=%s reason=%s id=%u",
			w->link->peer, btid, w->naf_id, w->device_id, reason,
			w->id);
	}
	drop_if(mt, is_answered, &key);
	idle_again(mt);
	if (!sent)
		sent = sent_new(mt);
	snprintf(sent->naf_id, sizeof(sent->naf_id), "%s", naf_fqdn);
	snprintf(sent->device_id, sizeof(sent->device_id), "%s", device_id);
	sent->at = now;
	return n;
}
