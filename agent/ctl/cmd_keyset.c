// SPDX-License-Identifier: GPL-2.0
/*
 * e2mctl keyset, see cmd_keyset.h.
 */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE		/* explicit_bzero() */
#endif

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cmd_keyset.h"
#include "kernel/e2m_keyset.h"
#include "kernel_args.h"
#include "key_input.h"

enum {
	K_KEY_ID, K_KEYS, K_DESC, K_ENC_ALG, K_INT_ALG, K_LIFETIME, K_KEYRING,
	K_COUNT
};

/* K_enc and K_int come in the file keys names (key_input.h), never argv. */
static const char *const keyset_key_names[] = { "k-enc", "k-int", NULL };

/* What the user calls keyword k: "--name" in the old spelling. */
struct names {
	bool dashed;
	char buf[32];
};

static const char *name_of(struct names *n, const struct keyword *k)
{
	snprintf(n->buf, sizeof(n->buf), "%s%s", n->dashed ? "--" : "",
		 k->name);
	return n->buf;
}

int keyring_arg(const char *command, const char *name, const char *text,
		key_serial_t *ring)
{
	uint32_t serial = 0;
	int ret;

	if (!e2m_keyring_special(text, ring))
		return 0;
	if (text[0] == '@')
		return usage_error(command, "%s: unknown keyring \"%s\"", name,
				   text);
	ret = arg_u32(command, name, text, 1, INT32_MAX, &serial);
	*ring = (key_serial_t)serial;
	return ret;
}

/*
 * The keys given as keywords (k-enc HEX) are refused as the --k-enc
 * spelling is (key_input_refuse_argv): argv shows in /proc/PID/cmdline.
 */
static int refuse_key_words(const char *command, int argc, char *argv[])
{
	int i, j;

	for (i = 0; i < argc; i++) {
		for (j = 0; keyset_key_names[j]; j++) {
			if (strcmp(argv[i], keyset_key_names[j]))
				continue;
			return usage_error(command, "%s on the command line is refused (argv shows in /proc and shell history): put %s=HEX in a file given as keys FILE (mode 0600), or - for standard input",
					   argv[i], argv[i]);
		}
	}
	return key_input_refuse_argv(command, keyset_key_names, argc, argv);
}

/* An optional number keyword into *out (left as it is when not given). */
static int number(const char *command, struct names *n,
		  const struct keyword *k, uint32_t max, uint32_t *out)
{
	if (!k->value)
		return 0;
	return arg_u32(command, name_of(n, k), k->value, 0, max, out);
}

/* Everything but the keys, which come from the keys file. */
static int fill_payload(const char *command, struct names *n,
			const struct keyword *k, struct e2m_keyset_payload *p,
			key_serial_t *ring)
{
	uint32_t key_id = 0, enc_alg = E2M_ALG_AES, int_alg = E2M_ALG_AES;
	uint32_t lifetime = 0;
	int ret;

	if (!k[K_DESC].value[0])
		return usage_error(command, "%s: empty description",
				   name_of(n, &k[K_DESC]));
	/* The 3GPP algorithm identifiers are 4 bits; the kernel says which it has. */
	if ((ret = number(command, n, &k[K_KEY_ID], E2M_KEY_ID_MAX,
			  &key_id)) ||
	    (ret = number(command, n, &k[K_ENC_ALG], 15, &enc_alg)) ||
	    (ret = number(command, n, &k[K_INT_ALG], 15, &int_alg)) ||
	    (ret = number(command, n, &k[K_LIFETIME], UINT32_MAX, &lifetime)))
		return ret;
	*ring = KEY_SPEC_USER_KEYRING;
	if (k[K_KEYRING].value &&
	    (ret = keyring_arg(command, name_of(n, &k[K_KEYRING]),
			       k[K_KEYRING].value, ring)))
		return ret;
	memset(p, 0, sizeof(*p));
	p->version = E2M_KEYSET_PAYLOAD_V1;
	p->key_id = (uint8_t)key_id;
	p->enc_alg = (uint8_t)enc_alg;
	p->int_alg = (uint8_t)int_alg;
	p->lifetime = lifetime;
	return 0;
}

static int keyset_add(const char *command, int argc, char *argv[])
{
	struct keyword k[K_COUNT] = {
		[K_KEY_ID] = { .name = "key-id", .required = true },
		[K_KEYS] = { .name = "keys", .required = true },
		[K_DESC] = { .name = "desc", .required = true },
		[K_ENC_ALG] = { .name = "enc-alg" },
		[K_INT_ALG] = { .name = "int-alg" },
		[K_LIFETIME] = { .name = "lifetime" },
		[K_KEYRING] = { .name = "keyring" },
	};
	struct e2m_keyset_payload payload;
	key_serial_t ring = KEY_SPEC_USER_KEYRING, serial = 0;
	struct key_input keys = { 0 };
	struct names n = { false, "" };
	const char *why;
	int ret;

	memset(&payload, 0, sizeof(payload));
	ret = refuse_key_words(command, argc, argv);
	if (!ret)
		ret = arg_keywords(command, k, K_COUNT, argc, argv, true,
				   &n.dashed);
	if (!ret)
		ret = fill_payload(command, &n, k, &payload, &ring);
	if (!ret)
		ret = key_input_read(command, k[K_KEYS].value,
				     keyset_key_names, &keys);
	if (!ret)
		ret = key_input_hex(command, &keys, "k-enc", payload.k_enc,
				    sizeof(payload.k_enc));
	if (!ret)
		ret = key_input_hex(command, &keys, "k-int", payload.k_int,
				    sizeof(payload.k_int));
	key_input_wipe(&keys);
	if (!ret) {
		ret = e2m_keyset_add(ring, k[K_DESC].value, &payload, &serial);
		why = e2m_keyset_strerror(ret);
		if (ret && why)
			ret = runtime_error(command, "%s", why);
		else if (ret)
			ret = runtime_error(command, "add_key: %s",
					    strerror(-ret));
	}
	explicit_bzero(&payload, sizeof(payload));
	if (ret)
		return ret;
	if (printf("serial=%d\n", serial) < 0 || fflush(stdout))
		return runtime_error(command, "cannot write the output: %s",
				     strerror(errno));
	return 0;
}

int cmd_keyset(int argc, char *argv[])
{
	if (!argc)
		return usage_error("keyset", "expected add");
	if (strcmp(argv[0], "add"))
		return usage_error("keyset", "unknown sub-command \"%s\" (add)",
				   argv[0]);
	return keyset_add("keyset add", argc - 1, argv + 1);
}
