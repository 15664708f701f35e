// SPDX-License-Identifier: GPL-2.0
/*
 * The NAF Key Centre's GBA listener and Zn cache in e2md's configuration
 * (roles.nafkc.gba-listen and zn-cache, daemon/nafkc/nafkc_config.c): a
 * good one parses to its address or size, none leaves the listener off
 * and the cache at its default, and each bad value is refused with
 * exactly the "FILE:LINE: message" expected.
 */
#include <arpa/inet.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "daemon/config.h"
#include "daemon/nafkc/nafkc_config.h"
#include "daemon/nafkc/nafkc_zn_cache.h"
#include "store_fixture.h"

#define FILE_NAME "e2md.yaml"

/* store, tls and a valid roles.nafkc: lines 1-12; gba-listen is line 13. */
#define NAFKC \
	"store:\n" \
	"  path: /var/lib/e2m/store.db\n" \
	"  key-file: /etc/e2m/store.key\n" \
	"tls:\n" \
	"  certificate: /etc/e2m/c.pem\n" \
	"  private-key: /etc/e2m/k.pem\n" \
	"  ca: /etc/e2m/ca.pem\n" \
	"roles:\n" \
	"  nafkc:\n" \
	"    name: nafkc.test\n" \
	"    listen: \"0.0.0.0:8446\"\n" \
	"    bsf-url: https://bsf.test:8444\n"

/* The form of every listener's address error. */
#define NOT_AN_ADDRESS(v) \
	FILE_NAME ":13: roles.nafkc.gba-listen: must be IPv4:PORT or [IPv6]:PORT, e.g. 127.0.0.1:8443 or [::1]:8443, not '" v "'"

static struct config *load_text(const char *text, char *errors_out,
				size_t errors_size)
{
	struct config_errors errors;
	struct config *config;
	size_t i, len = 0;

	write_file(FILE_NAME, text, strlen(text), 0600);
	config_load(FILE_NAME, &config, &errors);
	errors_out[0] = '\0';
	for (i = 0; i < errors.count && len < errors_size; i++)
		len += (size_t)snprintf(errors_out + len, errors_size - len,
					"%s%s", i ? "\n" : "",
					errors.text[i]);
	return config;
}

static uint16_t port_of(const struct config_listen *listen)
{
	const struct sockaddr_in *in4 =
		(const struct sockaddr_in *)&listen->addr;
	const struct sockaddr_in6 *in6 =
		(const struct sockaddr_in6 *)&listen->addr;

	return ntohs(listen->addr.ss_family == AF_INET6 ? in6->sin6_port :
							  in4->sin_port);
}

static void test_good(void)
{
	const struct config_nafkc *n;
	struct in6_addr loopback6 = IN6ADDR_LOOPBACK_INIT;
	struct config *c;
	char errors[4096];

	c = load_text(NAFKC "    gba-listen: \"127.0.0.1:8447\"\n", errors,
		      sizeof(errors));
	n = c ? config_nafkc(c) : NULL;
	ok(n && !errors[0] && n->gba_listen.line == 13 &&
	   !strcmp(n->gba_listen.text, "127.0.0.1:8447") &&
	   n->gba_listen.addr.ss_family == AF_INET &&
	   port_of(&n->gba_listen) == 8447 &&
	   ((const struct sockaddr_in *)&n->gba_listen.addr)->sin_addr.s_addr ==
	   htonl(INADDR_LOOPBACK),
	   "gba-listen 127.0.0.1:8447: line 13, IPv4 loopback, port 8447");
	config_free(c);

	c = load_text(NAFKC "    gba-listen: \"[::1]:8447\"\n", errors,
		      sizeof(errors));
	n = c ? config_nafkc(c) : NULL;
	ok(n && !errors[0] && n->gba_listen.addr.ss_family == AF_INET6 &&
	   port_of(&n->gba_listen) == 8447 &&
	   !memcmp(&((const struct sockaddr_in6 *)&n->gba_listen.addr)->sin6_addr,
		   &loopback6, sizeof(loopback6)),
	   "gba-listen [::1]:8447: IPv6 loopback, port 8447");
	config_free(c);

	c = load_text(NAFKC "    gba-listen: \"[::]:8446\"\n", errors,
		      sizeof(errors));
	ok(c && !errors[0] && config_nafkc(c) &&
	   port_of(&config_nafkc(c)->gba_listen) == 8446,
	   "gba-listen [::]:8446 beside listen 0.0.0.0:8446: another family, no clash");
	config_free(c);

	c = load_text(NAFKC "    gba-listen: 127.0.0.1:0\n", errors,
		      sizeof(errors));
	ok(c && !errors[0] && config_nafkc(c) &&
	   port_of(&config_nafkc(c)->gba_listen) == 0,
	   "gba-listen on port 0 (the kernel picks; the tests and bench do)");
	config_free(c);

	c = load_text(NAFKC, errors, sizeof(errors));
	n = c ? config_nafkc(c) : NULL;
	ok(n && !errors[0] && n->gba_listen.line == 0 &&
	   !n->gba_listen.addr_len,
	   "no gba-listen: no GBA listener (line 0, no address)");
	config_free(c);
}

static void test_zn_cache(void)
{
	static const struct {
		const char *name, *line;
		size_t entries;
	} good[] = {
		{ "absent", "", NAFKC_ZN_CACHE_DEFAULT },
		{ "0 (off)", "    zn-cache: 0\n", 0 },
		{ "1", "    zn-cache: 1\n", 1 },
		{ "1048576", "    zn-cache: 1048576\n", 1048576 },
	};
	char text[1024], errors[4096];
	struct config *c;
	size_t i;

	ok(NAFKC_ZN_CACHE_DEFAULT == 1024 && NAFKC_ZN_CACHE_MAX == 1048576,
	   "zn-cache: 1024 entries unless set, at most 1048576");
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(text, sizeof(text), "%s%s", NAFKC, good[i].line);
		c = load_text(text, errors, sizeof(errors));
		ok(c && !errors[0] && config_nafkc(c) &&
		   config_nafkc(c)->zn_cache == good[i].entries,
		   "zn-cache %s: %zu entries", good[i].name, good[i].entries);
		config_free(c);
	}
}

/* The form of zn-cache's range error. */
#define ZN_CACHE_RANGE(v) \
	FILE_NAME ":13: roles.nafkc.zn-cache: must be an integer from 0 to 1048576, not '" v "'"

struct broken {
	const char *name;
	const char *text;
	const char *errors;
};

static const struct broken broken[] = {
	{ "gba-listen by name", NAFKC "    gba-listen: localhost:8447\n",
	  NOT_AN_ADDRESS("localhost:8447") },
	{ "gba-listen without a port", NAFKC "    gba-listen: 127.0.0.1\n",
	  NOT_AN_ADDRESS("127.0.0.1") },
	{ "gba-listen bare IPv6", NAFKC "    gba-listen: \"::1:8447\"\n",
	  NOT_AN_ADDRESS("::1:8447") },
	{ "gba-listen port 65536", NAFKC "    gba-listen: 127.0.0.1:65536\n",
	  NOT_AN_ADDRESS("127.0.0.1:65536") },
	{ "gba-listen empty", NAFKC "    gba-listen: \"\"\n",
	  NOT_AN_ADDRESS("") },
	{ "gba-listen as a list", NAFKC "    gba-listen: [127.0.0.1:8447]\n",
	  FILE_NAME ":13: roles.nafkc.gba-listen: must be a single value, not a list" },
	{ "gba-listen as a mapping", NAFKC "    gba-listen: {port: 8447}\n",
	  FILE_NAME ":13: roles.nafkc.gba-listen: must be a single value, not a mapping" },
	{ "gba-listen twice", NAFKC "    gba-listen: 127.0.0.1:8447\n"
	  "    gba-listen: 127.0.0.1:8448\n",
	  FILE_NAME ":14: roles.nafkc: duplicate key 'gba-listen'" },
	{ "gba-listen on the devices' port",
	  NAFKC "    gba-listen: \"127.0.0.1:8446\"\n",
	  FILE_NAME ":13: roles.nafkc.gba-listen: 127.0.0.1:8446 takes the port of roles.nafkc.listen (0.0.0.0:8446)" },
	{ "gba-listen on another role's port",
	  NAFKC "    gba-listen: \"127.0.0.1:8444\"\n"
	  "  bsf:\n    name: bsf.test\n    ub-listen: 127.0.0.1:8080\n"
	  "    zn-listen: 0.0.0.0:8444\n    hss-url: https://hss.test\n",
	  FILE_NAME ":13: roles.nafkc.gba-listen: 127.0.0.1:8444 takes the port of roles.bsf.zn-listen (0.0.0.0:8444)" },
	{ "zn-cache negative", NAFKC "    zn-cache: -1\n", ZN_CACHE_RANGE("-1") },
	{ "zn-cache past its maximum", NAFKC "    zn-cache: 1048577\n",
	  ZN_CACHE_RANGE("1048577") },
	{ "zn-cache not a number", NAFKC "    zn-cache: many\n",
	  ZN_CACHE_RANGE("many") },
	{ "zn-cache quoted", NAFKC "    zn-cache: \"16\"\n",
	  ZN_CACHE_RANGE("16") },
	{ "zn-cache with a unit", NAFKC "    zn-cache: 16k\n",
	  ZN_CACHE_RANGE("16k") },
	{ "zn-cache as a list", NAFKC "    zn-cache: [16]\n",
	  FILE_NAME ":13: roles.nafkc.zn-cache: must be a single value, not a list" },
	{ "zn-cache empty", NAFKC "    zn-cache:\n", ZN_CACHE_RANGE("") },
};

static void test_broken(void)
{
	char errors[8192];
	size_t i;

	for (i = 0; i < sizeof(broken) / sizeof(broken[0]); i++) {
		struct config *c = load_text(broken[i].text, errors,
					     sizeof(errors));

		if (!ok(!c && !strcmp(errors, broken[i].errors), "refused: %s",
			broken[i].name))
			printf("#   got:      %s\n#   expected: %s\n", errors,
			       broken[i].errors);
		config_free(c);
	}
}

int main(void)
{
	char cwd[PATH_MAX];

	if (!getcwd(cwd, sizeof(cwd)))
		bail("getcwd");
	scratch_make("nafkc-config");
	if (chdir(scratch_dir))
		bail("chdir");
	test_good();
	test_zn_cache();
	test_broken();
	unlink(FILE_NAME);
	if (chdir(cwd))
		bail("chdir back");
	scratch_remove();
	return done_testing();
}
