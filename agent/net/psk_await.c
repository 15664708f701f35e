// SPDX-License-Identifier: GPL-2.0
/*
 * A handshake's PSK awaited from its owner, see psk_await.h.
 */
#include <errno.h>

#include "net/psk_await.h"
#include "net/tls_gba.h"

int psk_await_fetch(struct psk_await *await, const char *identity)
{
	const struct psk_source *source = await->source;
	int ret;

	if (await->keyed || await->awaited)
		return -EALREADY;
	if (*await->n_awaited >= source->max_awaited) {
		tls_gba_key_done(await->ssl, NULL, 0, "too many keys awaited");
		return -EBUSY;
	}
	await->awaited = true;
	(*await->n_awaited)++;
	await->in_get_key = true;
	ret = source->get_key(source->arg, await, identity);
	await->in_get_key = false;
	if (ret && await->awaited) {
		await->awaited = false;
		(*await->n_awaited)--;
		tls_gba_key_done(await->ssl, NULL, 0, "no key");
	}
	return ret;
}

void psk_await_key(struct psk_await *await, const uint8_t *key, size_t len,
		   const char *reason)
{
	if (!await->awaited)
		return;
	await->awaited = false;
	(*await->n_awaited)--;
	tls_gba_key_done(await->ssl, key, len, reason);
	await->keyed = key != NULL;
	if (!await->in_get_key)
		await->resume(await);	/* may free await's connection */
}

void **psk_await_owner(struct psk_await *await)
{
	return &await->owner;
}

void psk_await_cancel(struct psk_await *await)
{
	if (await->awaited) {
		await->source->cancel(await->source->arg, await);
		await->awaited = false;
		(*await->n_awaited)--;
	}
	if (await->owner && await->source && await->source->release)
		await->source->release(await);
}
