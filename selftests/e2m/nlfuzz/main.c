// SPDX-License-Identifier: GPL-2.0
/*
 * A fuzzer of the "e2m" generic netlink family, run in the test VM against
 * one e2m device while traffic flows through it (selftests/e2m/nlfuzz.sh).
 *
 * It knows every command's attributes (type, length, range, nesting) from a
 * table that mirrors the per-op policies of kernel/netlink.c, and sends, from
 * a seeded PRNG: valid messages (boundary values included), and messages
 * mutated to carry a wrong length, an out-of-range value, an attribute the
 * op does not take, a wrong NLA_F_NESTED flag, garbage or a truncated
 * attribute inside the flow nest, a duplicated attribute, a missing device,
 * flow or TEID, an unknown command, a short or odd header. Dumps are started
 * and abandoned: the socket closed after a few messages, or left unread for
 * a while and read (or closed) later. A thread revokes, invalidates, expires
 * and unlinks the keys the fuzzer binds, and now and then any key of the
 * user keyring (the traffic's), while the fuzzer binds and unbinds them.
 *
 * Each answer is checked: every request that asks for an ACK gets one within
 * the receive timeout, errors are negative errnos in range, replies and dump
 * parts are well-formed netlink naming what was asked, a flow dump comes in
 * TEID order, and a message the policy must refuse is refused. Prints TAP:
 * the outcomes per command, the dumps, the key revoker's work.
 *
 * usage: nlfuzz [--seed N] [--seconds N | --iterations N] [--dev NAME]
 *               [--peer4 A] [--inner4 A] [--teid N]...
 * The seed is printed; the same seed and iterations send the same messages
 * (the kernel's answers depend on the traffic and the revoker's timing).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <net/if.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/e2m.h>

#include "check.h"
#include "dumps.h"
#include "events.h"
#include "generate.h"
#include "keys.h"
#include "rng.h"
#include "socket.h"
#include "spec.h"
#include "target.h"
#include "values.h"

struct target target = { .dev = "e2m0" };

/* --- bulk flows, so that dumps span several messages -------------------------- */

static void bulk(int fd, uint32_t *seq, bool create)
{
	int i, n = 20 + below(BULK_MAX - 20);
	struct answer ans;
	struct shape s;
	struct msg m;

	for (i = 0; i < n; i++) {
		uint32_t teid = BULK_TEID + i, peer = target.peer4 ? target.peer4 : htonl(0x0a000063);
		uint32_t inner = htonl(0x0a640000 + i);	/* 10.100.0.0/16 */
		uint32_t ifindex = target.ifindex;
		long nest;

		memset(&s, 0, sizeof(s));
		s.row = create ? ROW_FLOW_NEW : ROW_FLOW_DEL;
		s.what = create ? "bulk create" : "bulk delete";
		msg_init(&m, target.family, NLM_F_REQUEST | NLM_F_ACK,
			 create ? E2M_CMD_FLOW_NEW : E2M_CMD_FLOW_DEL);
		attr_put(&m, E2M_A_IFINDEX, &ifindex, 4);
		nest = attr_put(&m, E2M_A_FLOW | NLA_F_NESTED, NULL, 0);
		attr_put(&m, E2M_FLOW_A_LOCAL_TEID, &teid, 4);
		if (create) {
			attr_put(&m, E2M_FLOW_A_REMOTE_TEID, &teid, 4);
			attr_put(&m, E2M_FLOW_A_PEER_IPV4, &peer, 4);
			attr_put(&m, E2M_FLOW_A_INNER_IPV4, &inner, 4);
		}
		nest_end(&m, nest);
		msg_finish(&m, ++*seq);
		memset(&ans, 0, sizeof(ans));
		count[s.row].sent++;
		count[s.row].valid++;
		if (nl_send(fd, &m)) {
			insane(&s, &m, "send failed: %s", strerror(errno));
			continue;
		}
		count_answer(&s, &m, &ans, !read_answer(fd, *seq, &s, &m, &ans, 0, true));
		if (create && !ans.error && chance(5))
			teid_created(teid);
	}
}

/* --- the run ------------------------------------------------------------------- */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void one_message(int fd, uint32_t seq)
{
	struct answer ans = { 0 };
	struct shape s;
	struct msg m;
	int rc;

	generate(&m, &s, seq);
	count[s.row].sent++;
	if (s.mutated)
		count[s.row].mutated++;
	else
		count[s.row].valid++;
	if (s.must_refuse)
		count[s.row].must_refuse++;
	if (s.dump) {
		count[s.row].dumps++;
		if (!s.must_refuse && chance(40)) {
			dump_abandon(&m, &s);
			return;
		}
		dumps.started++;
	}
	if (nl_send(fd, &m)) {
		insane(&s, &m, "send failed: %s", strerror(errno));
		return;
	}
	rc = read_answer(fd, seq, &s, &m, &ans, 0, s.want_ack);
	count_answer(&s, &m, &ans, s.want_ack ? rc == 0 && ans.acked : true);
	if (s.row != CMD_UNKNOWN && cmds[s.row].cmd == E2M_CMD_FLOW_NEW &&
	    ans.acked && !ans.error && s.teid)
		teid_created(s.teid);
	if (s.dump && ans.acked && !ans.error)
		dumps.completed++;
	if (s.no_request && ans.acked && ans.error)
		insane(&s, &m, "a message without NLM_F_REQUEST was acted on: error %d",
		       ans.error);
}

static void report(double elapsed, unsigned long msgs)
{
	int tap = 0, i, e;

	printf("# nlfuzz: seed %llu, %lu iterations, %lu messages in %.0f s\n",
	       (unsigned long long)seed, iteration, msgs, elapsed);
	for (i = 0; i <= NCMDS; i++) {
		struct counters *c = &count[i];
		char errs[512] = "";
		size_t off = 0;

		for (e = 0; e < NERRNO; e++)
			if (c->err[e] && off < sizeof(errs) - 40)
				off += snprintf(errs + off, sizeof(errs) - off, " %s:%lu",
						e ? strerrorname_np(e) ? strerrorname_np(e) : "?" :
						"other", c->err[e]);
		printf("%s %d %s: %lu messages (%lu valid, %lu mutated, %lu dumps), "
		       "%lu accepted, %lu refused, %lu unanswered, %lu wrongly accepted\n",
		       c->unanswered || c->insane ? "not ok" : "ok", ++tap, row_name(i),
		       c->sent, c->valid, c->mutated, c->dumps, c->accepted, c->refused,
		       c->unanswered, c->insane);
		printf("#   must refuse %lu; without ACK %lu; errors:%s\n",
		       c->must_refuse, c->silent, errs);
	}
	printf("%s %d dumps: %lu started, %lu completed, %lu closed mid-way, "
	       "%lu left unread (%lu read later), %lu parts, %lu flows, %lu out of order\n",
	       dumps.insane ? "not ok" : "ok", ++tap, dumps.started, dumps.completed,
	       dumps.closed, dumps.stalled, dumps.resumed, dumps.parts, dumps.flows,
	       dumps.insane);
	printf("ok %d keys: %lu added; revoked %lu, invalidated %lu, expiring %lu, "
	       "unlinked %lu, of the user keyring revoked %lu\n", ++tap,
	       atomic_load(&keys.added), atomic_load(&keys.revoked),
	       atomic_load(&keys.invalidated), atomic_load(&keys.expiring),
	       atomic_load(&keys.unlinked), atomic_load(&keys.foreign));
	printf("%s %d events: %lu key events, %lu no-key events, %lu lost to a full socket, "
	       "%lu malformed\n", events.insane ? "not ok" : "ok", ++tap, events.key,
	       events.no_key, events.lost, events.insane);
	printf("%s %d every answer sane, no request unanswered (seed %llu)\n",
	       failures ? "not ok" : "ok", ++tap, (unsigned long long)seed);
	printf("1..%d\n", tap);
}

static void usage(void)
{
	fprintf(stderr, "usage: nlfuzz [--seed N] [--seconds N | --iterations N] "
		"[--dev NAME] [--peer4 A] [--inner4 A] [--teid N]...\n"
		"       nlfuzz --dry-run --seed N --iterations N\n");
	exit(2);
}

static bool dry;

static void parse_args(int argc, char **argv, double *seconds, unsigned long *iterations)
{
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "seconds", required_argument, NULL, 't' },
		{ "iterations", required_argument, NULL, 'n' },
		{ "dev", required_argument, NULL, 'd' },
		{ "peer4", required_argument, NULL, 'p' },
		{ "inner4", required_argument, NULL, 'i' },
		{ "teid", required_argument, NULL, 'T' },
		{ "dry-run", no_argument, NULL, 'D' },
		{ NULL, 0, NULL, 0 },
	};
	struct in_addr a;
	int o;

	seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 't': *seconds = atof(optarg); break;
		case 'n': *iterations = strtoul(optarg, NULL, 0); break;
		case 'd': target.dev = optarg; break;
		case 'p':
			if (inet_pton(AF_INET, optarg, &a) != 1)
				usage();
			target.peer4 = a.s_addr;
			break;
		case 'i':
			if (inet_pton(AF_INET, optarg, &a) != 1)
				usage();
			target.inner4 = a.s_addr;
			break;
		case 'D':
			dry = true;
			break;
		case 'T':
			if (target.nteids < MAX_TEIDS)
				target.teids[target.nteids++] = strtoul(optarg, NULL, 0);
			break;
		default:
			usage();
		}
	}
	if (optind != argc || (dry && (*seconds || !*iterations)))
		usage();
	if (!*seconds && !*iterations)
		*seconds = 10;
}

/*
 * --dry-run: the messages of --seed and --iterations made and not sent, on
 * any host, no module needed. Their digest (FNV-1a over every octet) tells
 * whether two builds send the same messages for a seed; built with ASan
 * and UBSan, the run checks the generator's own memory (make check's stage
 * nlfuzz-generator). The generator's draws only: a real run's key
 * refreshes, bulk flows and stalled dumps draw from the same PRNG between
 * messages, so its messages for a seed are not these.
 */
static int dry_run(unsigned long iterations)
{
	unsigned long must_refuse = 0, mutated = 0;
	uint64_t digest = 0xcbf29ce484222325ULL;
	struct shape s;
	struct msg m;
	size_t i;

	target.family = 0x20;
	target.ifindex = 2;
	target.user_key = 0x2000;
	target.user_keyring = 0x3000;
	for (iteration = 0; iteration < iterations; iteration++) {
		generate(&m, &s, iteration + 1);
		for (i = 0; i < m.len; i++)
			digest = (digest ^ m.buf[i]) * 0x100000001b3ULL;
		must_refuse += s.must_refuse;
		mutated += s.mutated;
	}
	printf("# dry run: seed %llu, %lu messages, %lu mutated, %lu the policy must refuse\n",
	       (unsigned long long)seed, iterations, mutated, must_refuse);
	printf("digest %016llx\n", (unsigned long long)digest);
	return 0;
}

int main(int argc, char **argv)
{
	double seconds = 0, start, next_progress;
	unsigned long iterations = 0, msgs = 0;
	uint64_t revoker_seed;
	pthread_t thread;
	uint32_t seq = 1;
	int fd, i, group;

	parse_args(argc, argv, &seconds, &iterations);
	setvbuf(stdout, NULL, _IOLBF, 0);
	rng = seed ? seed : 1;
	printf("# nlfuzz: seed %llu (reproduce: nlfuzz --seed %llu ...)\n",
	       (unsigned long long)seed, (unsigned long long)seed);
	if (dry)
		return dry_run(iterations);
	target.ifindex = if_nametoindex(target.dev);
	fd = nl_socket(0);
	target.family = fd < 0 ? -1 : resolve_family(fd, &group);
	if (!target.ifindex || target.family < 0 || !group) {
		printf("Bail out! no device %s, no e2m family or no events group\n", target.dev);
		return 1;
	}
	events_open(group);
	target.user_key = add_key("user", "nlfuzz-not-e2m", "x", 1, KEY_SPEC_USER_KEYRING);
	target.user_keyring = keyctl_get_keyring_ID(KEY_SPEC_USER_KEYRING, 0);
	for (i = 0; i < KEY_POOL; i++)
		atomic_store(&keys.serial[i], add_keyset());
	revoker_seed = rnd() | 1;
	if (pthread_create(&thread, NULL, revoker, &revoker_seed)) {
		printf("Bail out! no revoker thread\n");
		return 1;
	}

	start = now();
	next_progress = start + 10;
	for (iteration = 0; iterations ? iteration < iterations :
	     now() - start < seconds; iteration++) {
		if (chance(5))
			keys_refresh();
		if (!(iteration % 64) && if_nametoindex(target.dev))
			target.ifindex = if_nametoindex(target.dev);	/* recreated */
		if (chance(1)) {
			bulk(fd, &seq, chance(60));
			continue;
		}
		if (nstalled && chance(10))
			stalled_finish(below(nstalled));
		one_message(fd, ++seq);
		msgs++;
		events_drain();
		if (now() > next_progress) {
			printf("# progress: iteration %lu, %lu messages\n", iteration, msgs);
			next_progress += 10;
		}
	}
	while (nstalled)
		stalled_finish(0);
	atomic_store(&keys.stop, true);
	pthread_join(thread, NULL);
	report(now() - start, msgs);
	close(fd);
	return failures ? 1 : 0;
}
