// SPDX-License-Identifier: GPL-2.0
/*
 * Role prov's sessions in memory, see prov_sessions.h.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "prov_sessions.h"

static void unlink_session(struct prov_sessions *s, struct prov_session *p)
{
	if (p->prev)
		p->prev->next = p->next;
	else
		s->head = p->next;
	if (p->next)
		p->next->prev = p->prev;
	else
		s->tail = p->prev;
	p->prev = p->next = NULL;
	s->count--;
}

static void push_front(struct prov_sessions *s, struct prov_session *p)
{
	p->prev = NULL;
	p->next = s->head;
	if (s->head)
		s->head->prev = p;
	else
		s->tail = p;
	s->head = p;
	s->count++;
}

void prov_sessions_remove(struct prov_sessions *s, struct prov_session *p)
{
	unlink_session(s, p);
	oce_session_free(p->oce);
	OPENSSL_cleanse(p, sizeof(*p));
	free(p);
}

struct prov_session *prov_sessions_add(struct prov_sessions *s,
				       const char *iccid, const char *imsi,
				       uint32_t counter,
				       struct oce_session *oce)
{
	struct prov_session *p = calloc(1, sizeof(*p)), *q, *next;

	if (!p || RAND_bytes(p->id, sizeof(p->id)) != 1) {
		free(p);
		oce_session_free(oce);
		return NULL;
	}
	for (q = s->head; q; q = next) {
		next = q->next;
		if (!strcmp(q->iccid, iccid))
			prov_sessions_remove(s, q);
	}
	while (s->count >= s->max && s->tail)
		prov_sessions_remove(s, s->tail);
	strcpy(p->iccid, iccid);
	strcpy(p->imsi, imsi);
	p->counter = counter;
	p->oce = oce;
	push_front(s, p);
	return p;
}

struct prov_session *prov_sessions_find(struct prov_sessions *s,
					const uint8_t id[KU_SESSION_ID_LEN])
{
	struct prov_session *p;

	for (p = s->head; p; p = p->next) {
		if (!CRYPTO_memcmp(p->id, id, KU_SESSION_ID_LEN)) {
			unlink_session(s, p);
			push_front(s, p);
			return p;
		}
	}
	return NULL;
}

void prov_sessions_clear(struct prov_sessions *s)
{
	while (s->head)
		prov_sessions_remove(s, s->head);
}
