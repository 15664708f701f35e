// SPDX-License-Identifier: GPL-2.0
/*
 * Authentication vectors per second in one process: auc_vector() in a
 * loop on a store of its own, as the HSS makes them, each SQN committed
 * durably (synchronous=FULL) before the vector is handed out. So the
 * rate is mostly that of fsync on the directory's file system, which is
 * printed with it.
 *
 *	auc_bench DIR [SECONDS]		(a scratch store in DIR, removed)
 *
 * One line: "auc: N vectors in S s: R vectors/s (DIR, FSTYPE)".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include "aka/auc.h"
#include "util/hex.h"

#define IMPI	"bench@home1.net"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The file system's name, for the output: fsync costs differ. */
static const char *fs_name(const char *dir)
{
	struct statfs fs;

	if (statfs(dir, &fs))
		return "?";
	switch ((unsigned long)fs.f_type) {
	case 0x01021994:
		return "tmpfs";
	case 0xef53:
		return "ext4";
	case 0x9123683e:
		return "btrfs";
	case 0x58465342:
		return "xfs";
	case 0x794c7630:
		return "overlayfs";
	default:
		return "other";
	}
}

static struct store *scratch_store(const char *path)
{
	struct store_subscriber sub;
	struct store_key key;
	struct store *store;
	char why[256];

	memset(key.bytes, 0x5a, sizeof(key.bytes));
	if (store_open(&store, path, &key, why, sizeof(why))) {
		fprintf(stderr, "auc_bench: %s\n", why);
		exit(1);
	}
	store_subscriber_init(&sub);
	strcpy(sub.pub.imsi, "001010000009999");
	strcpy(sub.pub.impi, IMPI);
	memset(sub.k, 0x46, sizeof(sub.k));
	memset(sub.opc, 0xcd, sizeof(sub.opc));
	if (store_subscriber_add(store, &sub)) {
		fprintf(stderr, "auc_bench: %s\n", store_errmsg(store));
		exit(1);
	}
	store_subscriber_wipe(&sub);
	return store;
}

int main(int argc, char *argv[])
{
	double seconds = argc > 2 ? atof(argv[2]) : 3.0, start, elapsed;
	char path[4096], sidecar[4200];
	struct auc_vector v;
	struct store *store;
	unsigned long n = 0;
	const char *suffix[] = { "", "-wal", "-shm" };
	size_t i;

	if (argc < 2 || seconds <= 0) {
		fprintf(stderr, "usage: auc_bench DIR [SECONDS]\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/auc_bench.%ld.db", argv[1],
		 (long)getpid());
	store = scratch_store(path);
	start = now();
	do {
		if (auc_vector(store, IMPI, 0, &v)) {
			fprintf(stderr, "auc_bench: auc_vector: %s\n",
				store_errmsg(store));
			return 1;
		}
		n++;
	} while ((elapsed = now() - start) < seconds);
	auc_vector_wipe(&v);
	store_close(store);
	for (i = 0; i < 3; i++) {
		snprintf(sidecar, sizeof(sidecar), "%s%s", path, suffix[i]);
		unlink(sidecar);
	}
	printf("auc: %lu vectors in %.2f s: %.0f vectors/s (%s, %s)\n", n,
	       elapsed, (double)n / elapsed, argv[1], fs_name(argv[1]));
	return 0;
}
