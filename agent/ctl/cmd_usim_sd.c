// SPDX-License-Identifier: GPL-2.0
/*
 * e2mctl usim sd-set, see cmd_usim_sd.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/pem.h>

#include "cmd_usim_sd.h"
#include "options.h"
#include "store/private_file.h"
#include "ue/usim_sd.h"
#include "ue_store.h"

#define OPTION(n, f) { .name = (n), .flags = (f) }
#define KEY_FILE_MAX	8192	/* octets of a PEM private key */

enum { STORE, STORE_KEY, ICCID, KEY, CERT, CA };

struct sd_files {
	EVP_PKEY *key;
	X509 *cert;
	X509 *ca;
};

static void files_free(struct sd_files *f)
{
	EVP_PKEY_free(f->key);
	X509_free(f->cert);
	X509_free(f->ca);
}

/* SK.SD from a private file, its text wiped after: 0 or EXIT_USAGE. */
static int read_key(const char *command, const char *path, EVP_PKEY **key)
{
	uint8_t *buf = OPENSSL_malloc(KEY_FILE_MAX);
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	char why[256] = "";
	ssize_t len = -EIO;
	BIO *bio = NULL;

	if (fd < 0)
		snprintf(why, sizeof(why), "%s: %s", path, strerror(errno));
	else if (!store_private_file_check(fd, path, "SD key", why,
					   sizeof(why)) && buf)
		len = store_private_file_read(fd, buf, KEY_FILE_MAX);
	if (fd >= 0)
		close(fd);
	if (len > 0 && len < KEY_FILE_MAX)
		bio = BIO_new_mem_buf(buf, (int)len);
	*key = bio ? PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL) : NULL;
	BIO_free(bio);
	if (buf)
		OPENSSL_clear_free(buf, KEY_FILE_MAX);
	if (*key)
		return 0;
	return report(EXIT_USAGE, command, "--key: %s", why[0] ? why :
		      "no PEM private key (or over 8 KiB)");
}

static X509 *read_cert(const char *command, const char *option,
		       const char *path)
{
	FILE *f = fopen(path, "r");
	X509 *cert = f ? PEM_read_X509(f, NULL, NULL, NULL) : NULL;

	if (f)
		fclose(f);
	if (!cert)
		fail(command, "--%s: %s: no PEM certificate", option, path);
	return cert;
}

static void print_name(const char *label, X509 *x)
{
	char text[256];

	X509_NAME_oneline(X509_get_subject_name(x), text, sizeof(text));
	printf(" %s=%s", label, text);
}

/* The three checked together into sd: 0 or EXIT_USAGE. */
static int check_files(const char *command, struct opt *opts,
		       struct sd_files *f, struct store_usim_sd *sd)
{
	char why[256] = "";
	int ret;

	if (!store_iccid_valid(opts[ICCID].value))
		return report(EXIT_USAGE, command, "--iccid: not an ICCID");
	ret = read_key(command, opts[KEY].value, &f->key);
	if (ret)
		return ret;
	f->cert = read_cert(command, "cert", opts[CERT].value);
	f->ca = read_cert(command, "ca", opts[CA].value);
	if (!f->cert || !f->ca)
		return EXIT_USAGE;
	ret = usim_sd_check(f->key, f->cert, f->ca, sd, why, sizeof(why));
	if (ret == -ENOMEM)
		return report(EXIT_FAILURE, command, "out of memory");
	if (ret)
		return report(EXIT_USAGE, command, "%s", why);
	return 0;
}

static int store_sd(const char *command, struct opt *opts,
		    const struct sd_files *f, const struct store_usim_sd *sd)
{
	const char *iccid = opts[ICCID].value;
	struct store *store;
	int ret = ue_store_open(command, &opts[STORE], &opts[STORE_KEY],
				&store);

	if (ret)
		return ret;
	ret = store_usim_sd_set(store, iccid, sd);
	if (ret) {
		fail(command, ret == -ENOENT ? "no USIM with ICCID %s" : "%s",
		     ret == -ENOENT ? iccid : store_errmsg(store));
		ret = EXIT_FAILURE;
	} else {
		printf("iccid=%s", iccid);
		print_name("sd-cert", f->cert);
		print_name("ca-kloc", f->ca);
		printf("\n");
		ret = finish_output(command);
	}
	store_close(store);
	return ret;
}

int cmd_usim_sd_set(int argc, char *argv[])
{
	static const char command[] = "usim sd-set";
	struct opt opts[] = {
		[STORE] = OPTION("store", OPT_REQUIRED),
		[STORE_KEY] = OPTION("store-key-file", OPT_REQUIRED),
		[ICCID] = OPTION("iccid", OPT_REQUIRED),
		[KEY] = OPTION("key", OPT_REQUIRED),
		[CERT] = OPTION("cert", OPT_REQUIRED),
		[CA] = OPTION("ca", OPT_REQUIRED),
	};
	struct store_usim_sd *sd = OPENSSL_zalloc(sizeof(*sd));
	struct sd_files f = { 0 };
	int ret = sd ? parse_options(command, opts, OPTS_COUNT(opts), argc,
				     argv) :
		       report(EXIT_FAILURE, command, "out of memory");

	if (!ret)
		ret = check_files(command, opts, &f, sd);
	if (!ret)
		ret = store_sd(command, opts, &f, sd);
	files_free(&f);
	if (sd)
		OPENSSL_clear_free(sd, sizeof(*sd));
	free_options(opts, OPTS_COUNT(opts));
	return ret;
}
