// SPDX-License-Identifier: GPL-2.0
/*
 * net/psk_await.c: the owner's key source of a pausing handshake, with a
 * fake owner: one get_key per connection, the answer now (no resume) or
 * later (one resume), the bound on keys awaited, a cancel that leaves
 * no answer to come, the release of what the owner kept with a key
 * given, and the count each listener keeps.
 */
#include <errno.h>

#include "net/psk_await.h"
#include "net/tls_gba.h"
#include "tap.h"

enum answer { AT_ONCE, LATER, FAIL };

struct owner {
	enum answer answer;
	int asked, cancelled, resumed;
	char identity[64];
	struct psk_await *cancelled_await;
	int released;
};

static const uint8_t key[32] = { 1, 2, 3 };

static int get_key(void *arg, struct psk_await *await, const char *identity)
{
	struct owner *o = arg;

	o->asked++;
	snprintf(o->identity, sizeof(o->identity), "%s", identity);
	if (o->answer == AT_ONCE)
		psk_await_key(await, key, sizeof(key), NULL);
	else if (o->answer == LATER)
		*psk_await_owner(await) = o;
	return o->answer == FAIL ? -EIO : 0;
}

static void cancel(void *arg, struct psk_await *await)
{
	struct owner *o = arg;

	o->cancelled++;
	o->cancelled_await = await;
	*psk_await_owner(await) = NULL;
}

static struct owner *resumed_owner;

/* The owner's keep of an answered await (psk_source release). */
static void release(struct psk_await *await)
{
	resumed_owner->released++;
	*psk_await_owner(await) = NULL;
}

static void resume(struct psk_await *await)
{
	(void)await;
	resumed_owner->resumed++;
}

static void setup(struct psk_await *a, const struct psk_source *source,
		  size_t *n, SSL *ssl)
{
	*a = (struct psk_await){
		.source = source, .n_awaited = n, .ssl = ssl, .resume = resume,
	};
}

int main(void)
{
	struct owner o = { 0 };
	const struct psk_source source = {
		.get_key = get_key, .cancel = cancel, .arg = &o,
		.max_awaited = 1,
	};
	const struct tls_gba_conf conf = { .any_identity = true };
	struct psk_await a, b;
	struct tls_gba *gba = NULL;
	char why[128];
	size_t n = 0;
	SSL *ssl;

	plan(21);
	resumed_owner = &o;
	if (tls_gba_new(&gba, &conf, why, sizeof(why)) ||
	    !(ssl = tls_gba_ssl(gba))) {
		printf("Bail out! tls_gba: %s\n", why);
		return 1;
	}

	/* Answered inside get_key: keyed, nothing awaited, no resume. */
	setup(&a, &source, &n, ssl);
	o.answer = AT_ONCE;
	ok(psk_await_fetch(&a, "km@maf.test") == 0 && o.asked == 1 &&
	   !strcmp(o.identity, "km@maf.test"),
	   "at once: get_key asked once, with the identity");
	ok(a.keyed && !a.awaited && n == 0 && o.resumed == 0,
	   "at once: keyed, nothing awaited (n 0), no resume");
	ok(psk_await_fetch(&a, "km@maf.test") == -EALREADY && o.asked == 1,
	   "a second fetch on the connection: -EALREADY, the owner not asked");

	/* Answered later: awaited and counted, one resume. */
	setup(&a, &source, &n, ssl);
	o = (struct owner){ .answer = LATER };
	ok(psk_await_fetch(&a, "km2@maf.test") == 0 && a.awaited && n == 1 &&
	   *psk_await_owner(&a) == &o && o.resumed == 0,
	   "later: awaited, counted (n 1), the owner's pointer kept, "
	   "no resume yet");
	ok(psk_await_fetch(&a, "km2@maf.test") == -EALREADY && o.asked == 1,
	   "later: a second fetch while awaited: -EALREADY, no second ask");
	setup(&b, &source, &n, ssl);
	ok(psk_await_fetch(&b, "km3@maf.test") == -EBUSY && o.asked == 1 &&
	   !b.awaited && n == 1,
	   "max_awaited 1: another connection's fetch -EBUSY, "
	   "the owner not asked");
	psk_await_key(&a, key, sizeof(key), NULL);
	ok(o.resumed == 1 && a.keyed && !a.awaited && n == 0,
	   "the answer: one resume, keyed, n 0");
	psk_await_key(&a, NULL, 0, "late");
	ok(o.resumed == 1 && a.keyed, "a second answer: ignored");
	psk_await_cancel(&a);
	ok(o.cancelled == 0, "cancel after the answer: the owner not told");

	/* A refusal later: resumed, not keyed. */
	setup(&a, &source, &n, ssl);
	o = (struct owner){ .answer = LATER };
	ok(psk_await_fetch(&a, "km4@maf.test") == 0 && n == 1,
	   "refusal: awaited");
	psk_await_key(&a, NULL, 0, "the MEF refused the Km");
	ok(o.resumed == 1 && !a.keyed && !a.awaited && n == 0,
	   "refusal: one resume, not keyed, n 0");

	/* The connection ends while awaited: cancelled, no answer after. */
	setup(&a, &source, &n, ssl);
	o = (struct owner){ .answer = LATER };
	ok(psk_await_fetch(&a, "km5@maf.test") == 0 && n == 1,
	   "cancel: awaited");
	psk_await_cancel(&a);
	ok(o.cancelled == 1 && o.cancelled_await == &a && !a.awaited &&
	   n == 0 && *psk_await_owner(&a) == NULL,
	   "cancel: the owner told once, with the connection's await; n 0");
	psk_await_key(&a, key, sizeof(key), NULL);
	ok(o.resumed == 0 && !a.keyed, "cancel: a late answer resumes nothing");
	psk_await_cancel(&a);
	ok(o.cancelled == 1, "cancel twice: the owner told once");

	/* get_key fails without answering: nothing awaited, its error. */
	setup(&a, &source, &n, ssl);
	o = (struct owner){ .answer = FAIL };
	ok(psk_await_fetch(&a, "km6@maf.test") == -EIO && !a.awaited &&
	   !a.keyed && n == 0,
	   "get_key fails: its error, nothing awaited, n 0");
	ok(o.resumed == 0 && o.cancelled == 0,
	   "get_key fails: no resume, no cancel");

	/* The owner keeps something with a given key: released once. */
	{
		const struct psk_source keeping = {
			.get_key = get_key, .cancel = cancel,
			.release = release, .arg = &o, .max_awaited = 1,
		};

		setup(&a, &keeping, &n, ssl);
		o = (struct owner){ .answer = LATER };
		ok(psk_await_fetch(&a, "km7@maf.test") == 0 && n == 1,
		   "release: awaited");
		psk_await_key(&a, key, sizeof(key), NULL);
		ok(a.keyed && *psk_await_owner(&a) == &o && o.released == 0,
		   "release: the key given, the owner's keep stays");
		psk_await_cancel(&a);
		psk_await_cancel(&a);
		ok(o.released == 1 && o.cancelled == 0 &&
		   *psk_await_owner(&a) == NULL && n == 0,
		   "release: the connection ends, the keep released once, "
		   "no cancel");
		setup(&a, &keeping, &n, ssl);
		o = (struct owner){ .answer = LATER };
		psk_await_fetch(&a, "km8@maf.test");
		psk_await_cancel(&a);
		ok(o.cancelled == 1 && o.released == 0 && n == 0,
		   "release: an awaited key is cancelled, not released");
	}

	SSL_free(ssl);
	tls_gba_free(gba);
	return done_testing();
}
