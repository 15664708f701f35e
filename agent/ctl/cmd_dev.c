// SPDX-License-Identifier: GPL-2.0
/*
 * The e2mctl commands for the e2m kernel module, see cmd_device.h:
 *
 *   show [DEV] [-j]                devices, their flows, slots and counters
 *   set DEV KEYWORD VALUE...       E2M_CMD_DEV_SET
 *   flow add|change|del|show ...   E2M_CMD_FLOW_NEW/SET/DEL/GET
 *   key bind|use|unbind ...        E2M_CMD_KEY_BIND/USE/UNBIND
 *   keyset add --option VALUE...   an "e2mkeyset" key, with add_key(2)
 *   monitor [--count N] [--timeout S]  the "events" multicast group
 *
 * The device and flow commands take "keyword value" pairs in the style of
 * ip(8) and wg(8); keyset and monitor take "--option value" like the
 * offline commands of e2mctl. Output is built completely before any of it
 * is written, so that a command that fails prints nothing on stdout; only
 * monitor streams, one flushed line per event.
 */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE		/* explicit_bzero() */
#endif

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <net/if.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <keyutils.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include <linux/e2m.h>

#include "cmd_dev.h"
#include "flow_ctl.h"
#include "kernel/genl.h"
#include "util/hex.h"
#include "options.h"


_Static_assert(FLOW_CTL_SLOTS_MAX == E2M_MAX_SLOTS, "flow_ctl.h's slots");
_Static_assert(FLOW_CTL_KEY_LEN == E2M_ALG_KEY_LEN, "flow_ctl.h's keys");

/* The most slots a flow reply is read for; the kernel sends E2M_MAX_SLOTS. */
#define MAX_SLOTS_SHOWN	(E2M_KEY_ID_MAX + 1)

void device_usage(FILE *out)
{
	fputs("Kernel commands (need the e2m module and CAP_NET_ADMIN):\n"
	      "  show [DEV] [-j|--json]\n"
	      "  set DEV [role hse|ue] [port N] [replay-window N] [count-notify N]\n"
	      "          [count-limit N]\n"
	      "  flow add DEV teid N remote-teid N peer ADDR [peer-port N] inner ADDR\n"
	      "           [inner ADDR]\n"
	      "  flow change DEV teid N [remote-teid N] [peer ADDR] [peer-port N]\n"
	      "              [inner ADDR]...\n"
	      "  flow del DEV teid N\n"
	      "  flow show DEV teid N [-j|--json]\n"
	      "  key bind DEV teid N serial SERIAL [tx-on-rx]\n"
	      "  key use DEV teid N key-id K\n"
	      "  key unbind DEV teid N key-id K\n"
	      "  keyset add --key-id K --k-enc HEX --k-int HEX --desc TEXT [--enc-alg N]\n"
	      "             [--int-alg N] [--lifetime SECONDS]\n"
	      "             [--keyring @u|@s|@p|@t|@us|SERIAL]\n"
	      "  monitor [--count N] [--timeout SECONDS]\n"
	      "Numbers are decimal or 0x-prefixed hex; ADDR is IPv4 or IPv6; inner is\n"
	      "given at most once per address family.\n", out);
}

/* ------------------------------------------------------------------ */
/* Errors and argument parsing                                         */
/* ------------------------------------------------------------------ */

#define usage_error(command, ...) report(EXIT_USAGE, command, __VA_ARGS__)
#define runtime_error(command, ...) report(EXIT_FAILURE, command, __VA_ARGS__)

/*
 * A number in @min..@max: decimal, or hex after "0x". No sign, no blanks,
 * nothing after it (strtoul alone would take " -1" as ULONG_MAX).
 */
static int parse_number(const char *command, const char *name, const char *text,
			unsigned long min, unsigned long max, unsigned long *out)
{
	const char *digits = text;
	unsigned long value;
	int base = 10;
	char *end;

	if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
		digits = text + 2;
		base = 16;
	}
	if (!(base == 16 ? isxdigit((unsigned char)digits[0]) :
			   isdigit((unsigned char)digits[0])))
		return usage_error(command, "%s: not a number: \"%s\"", name, text);
	errno = 0;
	value = strtoul(digits, &end, base);
	if (*end)
		return usage_error(command, "%s: not a number: \"%s\"", name, text);
	if (errno == ERANGE || value < min || value > max)
		return usage_error(command, "%s: %s is out of range %lu..%lu",
				   name, text, min, max);
	*out = value;
	return 0;
}

static int parse_u32(const char *command, const char *name, const char *text,
		     uint32_t min, uint32_t max, uint32_t *out)
{
	unsigned long value;
	int ret = parse_number(command, name, text, min, max, &value);

	if (!ret)
		*out = (uint32_t)value;
	return ret;
}

struct ip_addr {
	int family;		/* AF_INET or AF_INET6 */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	};
};

/* IPv4 or IPv6, as the text says. */
static int parse_ip(const char *command, const char *name, const char *text,
		    struct ip_addr *addr)
{
	memset(addr, 0, sizeof(*addr));
	if (inet_pton(AF_INET, text, &addr->v4) == 1)
		addr->family = AF_INET;
	else if (inet_pton(AF_INET6, text, &addr->v6) == 1)
		addr->family = AF_INET6;
	else
		return usage_error(command, "%s: not an IPv4 or IPv6 address: \"%s\"",
				   name, text);
	return 0;
}

static int check_device_name(const char *command, const char *name)
{
	if (!name || !name[0])
		return usage_error(command, "no device given");
	if (strlen(name) >= IFNAMSIZ)
		return usage_error(command, "device name too long: \"%s\"", name);
	return 0;
}

static bool is_json_flag(const char *arg)
{
	return !strcmp(arg, "-j") || !strcmp(arg, "--json");
}

/* The value after keyword argv[*i], advancing *i past it; NULL if none. */
static const char *keyword_value(const char *command, int argc, char *argv[],
				 int *i)
{
	if (*i + 1 >= argc) {
		usage_error(command, "%s: value missing", argv[*i]);
		return NULL;
	}
	return argv[++*i];
}

static int once(const char *command, const char *keyword, bool *seen)
{
	if (*seen)
		return usage_error(command, "%s given twice", keyword);
	*seen = true;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Talking to the kernel                                               */
/* ------------------------------------------------------------------ */

static int connect_kernel(const char *command, struct genl_conn *conn)
{
	if (genl_open(conn) < 0)
		return runtime_error(command, "%s", conn->error);
	return 0;
}

/* Sends @msg (consumed) and reports a failure; returns the exit status. */
static int transact(const char *command, struct genl_conn *conn,
		    struct nl_msg *msg, genl_reply_fn fn, void *arg)
{
	if (genl_transact(conn, msg, fn, arg) < 0)
		return runtime_error(command, "%s", conn->error);
	return 0;
}

static int put_ip(struct nl_msg *msg, int type4, int type6,
		  const struct ip_addr *addr)
{
	if (addr->family == AF_INET)
		return nla_put(msg, type4, sizeof(addr->v4), &addr->v4);
	return nla_put(msg, type6, sizeof(addr->v6), &addr->v6);
}

/* ------------------------------------------------------------------ */
/* Replies: devices, flows, slots, counters                            */
/* ------------------------------------------------------------------ */

static const struct {
	int attr;
	const char *name;
	bool drop;
} counters[] = {
	{ E2M_STATS_A_RX_PACKETS, "rx-packets", false },
	{ E2M_STATS_A_RX_BYTES, "rx-bytes", false },
	{ E2M_STATS_A_TX_PACKETS, "tx-packets", false },
	{ E2M_STATS_A_TX_BYTES, "tx-bytes", false },
	{ E2M_STATS_A_DROP_NO_FLOW, "no-flow", true },
	{ E2M_STATS_A_DROP_BAD_HEADER, "bad-header", true },
	{ E2M_STATS_A_DROP_TOO_SHORT, "too-short", true },
	{ E2M_STATS_A_DROP_AUTH, "auth", true },
	{ E2M_STATS_A_DROP_REPLAY, "replay", true },
	{ E2M_STATS_A_DROP_DEAD_KEY, "dead-key", true },
	{ E2M_STATS_A_DROP_NO_KEY, "no-key", true },
	{ E2M_STATS_A_DROP_COUNTER_EXHAUSTED, "counter-exhausted", true },
	{ E2M_STATS_A_DROP_INNER, "inner", true },
	{ E2M_STATS_A_DROP_NOT_GPDU, "not-gpdu", true },
	{ E2M_STATS_A_DROP_NO_ROUTE, "no-route", true },
	{ E2M_STATS_A_DROP_NOMEM, "nomem", true },
};

#define NCOUNTERS (sizeof(counters) / sizeof(counters[0]))

/* Counters in the order of counters[]; a missing one reads 0. */
struct stats {
	uint64_t value[NCOUNTERS];
};

struct slot_info {
	uint8_t key_id, enc_alg, int_alg, state;
	bool tx_pending;	/* bound tx-on-rx, the peer has not used it yet */
	int32_t serial;
	uint64_t tx_count, rx_count;
};

struct flow_info {
	uint32_t ifindex;
	uint32_t teid, remote_teid;
	struct ip_addr peer;
	uint16_t peer_port;
	bool has_inner4, has_inner6, has_tx_key_id;
	struct in_addr inner4;
	struct in6_addr inner6;
	uint8_t tx_key_id;
	unsigned int nslots;
	struct slot_info slots[MAX_SLOTS_SHOWN];
	struct stats stats;
};

struct device_info {
	char name[IFNAMSIZ];
	uint32_t ifindex;
	uint8_t role;
	uint16_t port;
	uint32_t replay_window, count_notify, count_limit, nflows;
	struct stats stats;
};

/* Every counter is a u64; filled in by stats_policy_init(). */
static struct nla_policy stats_policy[E2M_STATS_A_MAX + 1];

static void stats_policy_init(void)
{
	int i;

	for (i = E2M_STATS_A_RX_PACKETS; i <= E2M_STATS_A_MAX; i++)
		stats_policy[i].type = NLA_U64;
}

static struct nla_policy flow_policy[E2M_FLOW_A_MAX + 1] = {
	[E2M_FLOW_A_LOCAL_TEID] = { .type = NLA_U32 },
	[E2M_FLOW_A_REMOTE_TEID] = { .type = NLA_U32 },
	[E2M_FLOW_A_PEER_IPV4] = { .minlen = 4, .maxlen = 4 },
	[E2M_FLOW_A_PEER_IPV6] = { .minlen = 16, .maxlen = 16 },
	[E2M_FLOW_A_PEER_PORT] = { .type = NLA_U16 },
	[E2M_FLOW_A_INNER_IPV4] = { .minlen = 4, .maxlen = 4 },
	[E2M_FLOW_A_INNER_IPV6] = { .minlen = 16, .maxlen = 16 },
	[E2M_FLOW_A_KEY_SERIAL] = { .type = NLA_U32 },
	[E2M_FLOW_A_KEY_ID] = { .type = NLA_U8 },
	[E2M_FLOW_A_TX_KEY_ID] = { .type = NLA_U8 },
	[E2M_FLOW_A_SLOT] = { .type = NLA_NESTED },
	[E2M_FLOW_A_STATS] = { .type = NLA_NESTED },
};

static struct nla_policy slot_policy[E2M_SLOT_A_MAX + 1] = {
	[E2M_SLOT_A_KEY_ID] = { .type = NLA_U8 },
	[E2M_SLOT_A_KEY_SERIAL] = { .type = NLA_U32 },
	[E2M_SLOT_A_ENC_ALG] = { .type = NLA_U8 },
	[E2M_SLOT_A_INT_ALG] = { .type = NLA_U8 },
	[E2M_SLOT_A_TX_COUNT] = { .type = NLA_U64 },
	[E2M_SLOT_A_RX_COUNT] = { .type = NLA_U64 },
	[E2M_SLOT_A_STATE] = { .type = NLA_U8 },
	[E2M_SLOT_A_TX_PENDING] = { .type = NLA_U8 },
};

static int malformed(struct genl_conn *conn, const char *what)
{
	return genl_set_error(conn, -EBADMSG, "malformed %s from the kernel", what);
}

static int parse_stats(struct genl_conn *conn, struct nlattr *nest,
		       struct stats *stats)
{
	struct nlattr *tb[E2M_STATS_A_MAX + 1];
	size_t i;

	memset(stats, 0, sizeof(*stats));
	if (!nest)
		return 0;
	stats_policy_init();
	if (nla_parse_nested(tb, E2M_STATS_A_MAX, nest, stats_policy))
		return malformed(conn, "counters");
	for (i = 0; i < NCOUNTERS; i++)
		if (tb[counters[i].attr])
			stats->value[i] = nla_get_u64(tb[counters[i].attr]);
	return 0;
}

static int parse_slot(struct genl_conn *conn, struct nlattr *nest,
		      struct slot_info *slot)
{
	struct nlattr *tb[E2M_SLOT_A_MAX + 1];

	memset(slot, 0, sizeof(*slot));
	if (nla_parse_nested(tb, E2M_SLOT_A_MAX, nest, slot_policy) ||
	    !tb[E2M_SLOT_A_KEY_ID] || !tb[E2M_SLOT_A_KEY_SERIAL])
		return malformed(conn, "key slot");
	slot->key_id = nla_get_u8(tb[E2M_SLOT_A_KEY_ID]);
	slot->serial = (int32_t)nla_get_u32(tb[E2M_SLOT_A_KEY_SERIAL]);
	if (tb[E2M_SLOT_A_ENC_ALG])
		slot->enc_alg = nla_get_u8(tb[E2M_SLOT_A_ENC_ALG]);
	if (tb[E2M_SLOT_A_INT_ALG])
		slot->int_alg = nla_get_u8(tb[E2M_SLOT_A_INT_ALG]);
	if (tb[E2M_SLOT_A_TX_COUNT])
		slot->tx_count = nla_get_u64(tb[E2M_SLOT_A_TX_COUNT]);
	if (tb[E2M_SLOT_A_RX_COUNT])
		slot->rx_count = nla_get_u64(tb[E2M_SLOT_A_RX_COUNT]);
	if (tb[E2M_SLOT_A_STATE])
		slot->state = nla_get_u8(tb[E2M_SLOT_A_STATE]);
	if (tb[E2M_SLOT_A_TX_PENDING])
		slot->tx_pending = nla_get_u8(tb[E2M_SLOT_A_TX_PENDING]);
	return 0;
}

/* The slots are repeated E2M_FLOW_A_SLOT attributes, which nla_parse folds. */
static int parse_slots(struct genl_conn *conn, struct nlattr *flow,
		       struct flow_info *info)
{
	struct nlattr *nla;
	int rem, ret;

	nla_for_each_nested(nla, flow, rem) {
		if (nla_type(nla) != E2M_FLOW_A_SLOT || info->nslots == MAX_SLOTS_SHOWN)
			continue;
		ret = parse_slot(conn, nla, &info->slots[info->nslots]);
		if (ret)
			return ret;
		info->nslots++;
	}
	return 0;
}

static int parse_flow(struct genl_conn *conn, struct nlattr **top,
		      struct flow_info *info)
{
	struct nlattr *tb[E2M_FLOW_A_MAX + 1];

	memset(info, 0, sizeof(*info));
	if (!top[E2M_A_FLOW] ||
	    nla_parse_nested(tb, E2M_FLOW_A_MAX, top[E2M_A_FLOW], flow_policy) ||
	    !tb[E2M_FLOW_A_LOCAL_TEID])
		return malformed(conn, "flow");
	if (top[E2M_A_IFINDEX])
		info->ifindex = nla_get_u32(top[E2M_A_IFINDEX]);
	info->teid = nla_get_u32(tb[E2M_FLOW_A_LOCAL_TEID]);
	if (tb[E2M_FLOW_A_REMOTE_TEID])
		info->remote_teid = nla_get_u32(tb[E2M_FLOW_A_REMOTE_TEID]);
	if (tb[E2M_FLOW_A_PEER_IPV4]) {
		info->peer.family = AF_INET;
		memcpy(&info->peer.v4, nla_data(tb[E2M_FLOW_A_PEER_IPV4]), 4);
	} else if (tb[E2M_FLOW_A_PEER_IPV6]) {
		info->peer.family = AF_INET6;
		memcpy(&info->peer.v6, nla_data(tb[E2M_FLOW_A_PEER_IPV6]), 16);
	}
	if (tb[E2M_FLOW_A_PEER_PORT])
		info->peer_port = nla_get_u16(tb[E2M_FLOW_A_PEER_PORT]);
	if (tb[E2M_FLOW_A_INNER_IPV4]) {
		info->has_inner4 = true;
		memcpy(&info->inner4, nla_data(tb[E2M_FLOW_A_INNER_IPV4]), 4);
	}
	if (tb[E2M_FLOW_A_INNER_IPV6]) {
		info->has_inner6 = true;
		memcpy(&info->inner6, nla_data(tb[E2M_FLOW_A_INNER_IPV6]), 16);
	}
	if (tb[E2M_FLOW_A_TX_KEY_ID]) {
		info->has_tx_key_id = true;
		info->tx_key_id = nla_get_u8(tb[E2M_FLOW_A_TX_KEY_ID]);
	}
	if (parse_slots(conn, top[E2M_A_FLOW], info))
		return -EBADMSG;
	return parse_stats(conn, tb[E2M_FLOW_A_STATS], &info->stats);
}

static int parse_device(struct genl_conn *conn, struct nlattr **tb,
			struct device_info *dev)
{
	memset(dev, 0, sizeof(*dev));
	if (!tb[E2M_A_IFINDEX] || !tb[E2M_A_IFNAME])
		return malformed(conn, "device");
	dev->ifindex = nla_get_u32(tb[E2M_A_IFINDEX]);
	nla_strlcpy(dev->name, tb[E2M_A_IFNAME], sizeof(dev->name));
	if (tb[E2M_A_ROLE])
		dev->role = nla_get_u8(tb[E2M_A_ROLE]);
	if (tb[E2M_A_PORT])
		dev->port = nla_get_u16(tb[E2M_A_PORT]);
	if (tb[E2M_A_REPLAY_WINDOW])
		dev->replay_window = nla_get_u32(tb[E2M_A_REPLAY_WINDOW]);
	if (tb[E2M_A_COUNT_NOTIFY])
		dev->count_notify = nla_get_u32(tb[E2M_A_COUNT_NOTIFY]);
	if (tb[E2M_A_COUNT_LIMIT])
		dev->count_limit = nla_get_u32(tb[E2M_A_COUNT_LIMIT]);
	if (tb[E2M_A_FLOWS])
		dev->nflows = nla_get_u32(tb[E2M_A_FLOWS]);
	return parse_stats(conn, tb[E2M_A_STATS], &dev->stats);
}

/* ------------------------------------------------------------------ */
/* Names of values                                                     */
/* ------------------------------------------------------------------ */

static const char *role_name(uint8_t role)
{
	switch (role) {
	case E2M_ROLE_HSE:
		return "hse";
	case E2M_ROLE_UE:
		return "ue";
	}
	return "unknown";
}

/* 3GPP names: NEA0 has no key length, the others are 128-bit. */
static const char *alg_name(const char *kind, uint8_t alg, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s%u", alg == E2M_ALG_NULL ? "" : "128-", kind, alg);
	return buf;
}

static const char *slot_state_name(uint8_t state)
{
	switch (state) {
	case E2M_SLOT_LIVE:
		return "live";
	case E2M_SLOT_DEAD:
		return "dead";
	case E2M_SLOT_EXHAUSTED:
		return "exhausted";
	}
	return "unknown";
}

static const char *ip_text(int family, const void *addr, char *buf, size_t size)
{
	if (!inet_ntop(family, addr, buf, size))
		snprintf(buf, size, "?");
	return buf;
}

static const char *peer_text(const struct ip_addr *peer, char *buf, size_t size)
{
	if (peer->family == AF_INET)
		return ip_text(AF_INET, &peer->v4, buf, size);
	if (peer->family == AF_INET6)
		return ip_text(AF_INET6, &peer->v6, buf, size);
	snprintf(buf, size, "none");
	return buf;
}

/* ------------------------------------------------------------------ */
/* Human output                                                        */
/* ------------------------------------------------------------------ */

static void print_counters(FILE *out, const char *indent, const struct stats *s,
			   bool drops)
{
	size_t i;

	fprintf(out, "%s%s", indent, drops ? "drops:" : "traffic:");
	for (i = 0; i < NCOUNTERS; i++)
		if (counters[i].drop == drops)
			fprintf(out, " %s %llu", counters[i].name,
				(unsigned long long)s->value[i]);
	fputc('\n', out);
}

static void print_slot(FILE *out, const char *indent, const struct slot_info *slot)
{
	char enc[16], integ[16];

	fprintf(out, "%sslot key-id %u serial %d alg %s/%s tx-count %llu rx-count %llu state %s"
		" tx-pending %s\n",
		indent, slot->key_id, slot->serial,
		alg_name("NEA", slot->enc_alg, enc, sizeof(enc)),
		alg_name("NIA", slot->int_alg, integ, sizeof(integ)),
		(unsigned long long)slot->tx_count,
		(unsigned long long)slot->rx_count, slot_state_name(slot->state),
		slot->tx_pending ? "yes" : "no");
}

/* "flow teid ..." at @indent, its slots and counters two spaces deeper. */
static void print_flow(FILE *out, const char *indent, const struct flow_info *f)
{
	char addr[INET6_ADDRSTRLEN], deeper[16];
	unsigned int i;

	snprintf(deeper, sizeof(deeper), "%s  ", indent);
	peer_text(&f->peer, addr, sizeof(addr));
	fprintf(out, "%sflow teid %u remote-teid %u peer %s%s%s:%u", indent,
		f->teid, f->remote_teid, f->peer.family == AF_INET6 ? "[" : "",
		addr, f->peer.family == AF_INET6 ? "]" : "", f->peer_port);
	if (f->has_inner4)
		fprintf(out, " inner %s", ip_text(AF_INET, &f->inner4, addr, sizeof(addr)));
	if (f->has_inner6)
		fprintf(out, " inner %s", ip_text(AF_INET6, &f->inner6, addr, sizeof(addr)));
	if (f->has_tx_key_id)
		fprintf(out, " tx-key-id %u\n", f->tx_key_id);
	else
		fputs(" tx-key-id none\n", out);
	for (i = 0; i < f->nslots; i++)
		print_slot(out, deeper, &f->slots[i]);
	print_counters(out, deeper, &f->stats, false);
	print_counters(out, deeper, &f->stats, true);
}

static void print_device(FILE *out, const struct device_info *d)
{
	fprintf(out, "%s: ifindex %u role %s port %u replay-window %u count-notify %u count-limit %u flows %u\n",
		d->name, d->ifindex, role_name(d->role), d->port, d->replay_window,
		d->count_notify, d->count_limit, d->nflows);
	print_counters(out, "  ", &d->stats, true);
}

/* ------------------------------------------------------------------ */
/* JSON output                                                         */
/* ------------------------------------------------------------------ */

/*
 * jansson reports running out of memory by NULL values and failed sets;
 * json_object_set_new() drops the value when it fails. One flag for all.
 */
struct json_builder {
	bool failed;
};

static void jset(struct json_builder *b, json_t *obj, const char *key, json_t *value)
{
	if (!value || json_object_set_new(obj, key, value))
		b->failed = true;
}

static void jappend(struct json_builder *b, json_t *array, json_t *value)
{
	if (!value || json_array_append_new(array, value))
		b->failed = true;
}

/* json_int_t is signed 64-bit: larger counters would turn negative. */
static json_t *json_u64(uint64_t value)
{
	if (value > (uint64_t)INT64_MAX)
		return json_real((double)value);
	return json_integer((json_int_t)value);
}

static json_t *stats_json(struct json_builder *b, const struct stats *s)
{
	json_t *obj = json_object();
	size_t i;

	for (i = 0; i < NCOUNTERS; i++)
		jset(b, obj, counters[i].name, json_u64(s->value[i]));
	return obj;
}

static json_t *slot_json(struct json_builder *b, const struct slot_info *slot)
{
	json_t *obj = json_object();
	char alg[16];

	jset(b, obj, "key-id", json_integer(slot->key_id));
	jset(b, obj, "serial", json_integer(slot->serial));
	jset(b, obj, "enc-alg", json_string(alg_name("NEA", slot->enc_alg, alg, sizeof(alg))));
	jset(b, obj, "int-alg", json_string(alg_name("NIA", slot->int_alg, alg, sizeof(alg))));
	jset(b, obj, "tx-count", json_u64(slot->tx_count));
	jset(b, obj, "rx-count", json_u64(slot->rx_count));
	jset(b, obj, "state", json_string(slot_state_name(slot->state)));
	jset(b, obj, "tx-pending", json_boolean(slot->tx_pending));
	return obj;
}

static json_t *flow_json(struct json_builder *b, const struct flow_info *f)
{
	json_t *obj = json_object(), *slots = json_array();
	char addr[INET6_ADDRSTRLEN];
	unsigned int i;

	jset(b, obj, "teid", json_integer(f->teid));
	jset(b, obj, "remote-teid", json_integer(f->remote_teid));
	jset(b, obj, "peer", f->peer.family ?
	     json_string(peer_text(&f->peer, addr, sizeof(addr))) : json_null());
	jset(b, obj, "peer-port", json_integer(f->peer_port));
	jset(b, obj, "inner-ipv4", f->has_inner4 ?
	     json_string(ip_text(AF_INET, &f->inner4, addr, sizeof(addr))) : json_null());
	jset(b, obj, "inner-ipv6", f->has_inner6 ?
	     json_string(ip_text(AF_INET6, &f->inner6, addr, sizeof(addr))) : json_null());
	jset(b, obj, "tx-key-id", f->has_tx_key_id ?
	     json_integer(f->tx_key_id) : json_null());
	for (i = 0; i < f->nslots; i++)
		jappend(b, slots, slot_json(b, &f->slots[i]));
	jset(b, obj, "slots", slots);
	jset(b, obj, "stats", stats_json(b, &f->stats));
	return obj;
}

static json_t *device_json(struct json_builder *b, const struct device_info *d)
{
	json_t *obj = json_object();

	jset(b, obj, "ifname", json_string(d->name));
	jset(b, obj, "ifindex", json_integer(d->ifindex));
	jset(b, obj, "role", json_string(role_name(d->role)));
	jset(b, obj, "port", json_integer(d->port));
	jset(b, obj, "replay-window", json_integer(d->replay_window));
	jset(b, obj, "count-notify", json_integer(d->count_notify));
	jset(b, obj, "count-limit", json_integer(d->count_limit));
	jset(b, obj, "flow-count", json_integer(d->nflows));
	jset(b, obj, "stats", stats_json(b, &d->stats));
	return obj;
}

/* Writes @json and a newline on stdout; the exit status. */
static int write_json(const char *command, json_t *json)
{
	if (json_dumpf(json, stdout, JSON_INDENT(2)) || fputc('\n', stdout) == EOF ||
	    fflush(stdout))
		return runtime_error(command, "cannot write the output: %s", strerror(errno));
	return 0;
}

/* Writes the @size octets of @text on stdout; the exit status. */
static int write_text(const char *command, const char *text, size_t size)
{
	if (fwrite(text, 1, size, stdout) != size || fflush(stdout))
		return runtime_error(command, "cannot write the output: %s", strerror(errno));
	return 0;
}

/* ------------------------------------------------------------------ */
/* show                                                                */
/* ------------------------------------------------------------------ */

struct device_list {
	struct device_info *devices;
	size_t count, capacity;
};

static int collect_device(struct genl_conn *conn, uint8_t cmd, struct nlattr **tb,
			  void *arg)
{
	struct device_list *list = arg;

	if (cmd != E2M_CMD_DEV_GET)
		return 0;
	if (list->count == list->capacity) {
		size_t capacity = list->capacity ? 2 * list->capacity : 4;
		struct device_info *devices =
			realloc(list->devices, capacity * sizeof(*devices));

		if (!devices)
			return genl_set_error(conn, -ENOMEM, "out of memory");
		list->devices = devices;
		list->capacity = capacity;
	}
	if (parse_device(conn, tb, &list->devices[list->count]))
		return -EBADMSG;
	list->count++;
	return 0;
}

/* Every e2m device, or the one named @name. */
static int get_devices(const char *command, struct genl_conn *conn,
		       const char *name, struct device_list *list)
{
	struct nl_msg *msg;

	msg = genl_request_new(conn, E2M_CMD_DEV_GET, name ? 0 : NLM_F_DUMP);
	if (!msg)
		return runtime_error(command, "%s", conn->error);
	if (name && nla_put_string(msg, E2M_A_IFNAME, name) < 0) {
		nlmsg_free(msg);
		return runtime_error(command, "request too large");
	}
	return transact(command, conn, msg, collect_device, list);
}

/* Where the flows of one device go while its dump comes in. */
struct flow_sink {
	FILE *text;		/* human output, or */
	json_t *array;		/* JSON */
	struct json_builder *json;
};

static int emit_flow(struct genl_conn *conn, uint8_t cmd, struct nlattr **tb,
		     void *arg)
{
	struct flow_sink *sink = arg;
	struct flow_info flow;

	if (cmd != E2M_CMD_FLOW_GET)
		return 0;
	if (parse_flow(conn, tb, &flow))
		return -EBADMSG;
	if (sink->text) {
		print_flow(sink->text, "  ", &flow);
	} else {
		jappend(sink->json, sink->array, flow_json(sink->json, &flow));
		if (sink->json->failed)
			return genl_set_error(conn, -ENOMEM, "out of memory");
	}
	return 0;
}

/* Dumps the flows of @dev into @sink; 0 or a negative errno. */
static int dump_flows(struct genl_conn *conn, const struct device_info *dev,
		      struct flow_sink *sink)
{
	struct nl_msg *msg;

	msg = genl_request_new(conn, E2M_CMD_FLOW_GET, NLM_F_DUMP);
	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, E2M_A_IFINDEX, dev->ifindex) < 0) {
		nlmsg_free(msg);
		return genl_set_error(conn, -EMSGSIZE, "request too large");
	}
	return genl_transact(conn, msg, emit_flow, sink);
}

/*
 * One device block of human output, into @out. A device that went away
 * since the device dump (-ENODEV) is left out when listing all of them.
 */
static int show_device_text(const char *command, struct genl_conn *conn,
			    const struct device_info *dev, bool named, FILE *out)
{
	struct flow_sink sink = { 0 };
	char *block = NULL;
	size_t size = 0;
	int ret;

	sink.text = open_memstream(&block, &size);
	if (!sink.text)
		return runtime_error(command, "out of memory");
	print_device(sink.text, dev);
	ret = dump_flows(conn, dev, &sink);
	if (fclose(sink.text) && !ret)
		ret = genl_set_error(conn, -ENOMEM, "out of memory");
	if (!ret)
		fwrite(block, 1, size, out);
	free(block);
	if (ret == -ENODEV && !named)
		return 0;
	if (ret)
		return runtime_error(command, "%s", conn->error);
	return 0;
}

static int show_device_json(const char *command, struct genl_conn *conn,
			    const struct device_info *dev, bool named,
			    struct json_builder *b, json_t *devices)
{
	struct flow_sink sink = { .array = json_array(), .json = b };
	json_t *obj;
	int ret;

	if (!sink.array)
		return runtime_error(command, "out of memory");
	ret = dump_flows(conn, dev, &sink);
	if (ret) {
		json_decref(sink.array);
		if (ret == -ENODEV && !named)
			return 0;
		return runtime_error(command, "%s", conn->error);
	}
	obj = device_json(b, dev);
	jset(b, obj, "flows", sink.array);
	jappend(b, devices, obj);
	if (b->failed)
		return runtime_error(command, "out of memory");
	return 0;
}

static int show_text(const char *command, struct genl_conn *conn,
		     const struct device_list *list, bool named)
{
	char *text = NULL;
	size_t size = 0, i;
	FILE *out;
	int ret = 0;

	out = open_memstream(&text, &size);
	if (!out)
		return runtime_error(command, "out of memory");
	for (i = 0; i < list->count && !ret; i++) {
		if (i)
			fputc('\n', out);
		ret = show_device_text(command, conn, &list->devices[i], named, out);
	}
	if (fclose(out) && !ret)
		ret = runtime_error(command, "out of memory");
	if (!ret)
		ret = write_text(command, text, size);
	free(text);
	return ret;
}

static int show_json(const char *command, struct genl_conn *conn,
		     const struct device_list *list, bool named)
{
	struct json_builder b = { false };
	json_t *devices = json_array();
	size_t i;
	int ret = 0;

	if (!devices)
		return runtime_error(command, "out of memory");
	for (i = 0; i < list->count && !ret; i++)
		ret = show_device_json(command, conn, &list->devices[i], named, &b,
				       devices);
	if (!ret)
		ret = write_json(command, devices);
	json_decref(devices);
	return ret;
}

int cmd_show(int argc, char *argv[])
{
	const char *command = "show", *name = NULL;
	struct device_list list = { 0 };
	struct genl_conn conn;
	bool json = false;
	int i, ret;

	for (i = 0; i < argc; i++) {
		if (is_json_flag(argv[i]))
			json = true;
		else if (argv[i][0] == '-')
			return usage_error(command, "unknown option \"%s\"", argv[i]);
		else if (name)
			return usage_error(command, "unexpected argument \"%s\"", argv[i]);
		else
			name = argv[i];
	}
	if (name && (ret = check_device_name(command, name)))
		return ret;
	if ((ret = connect_kernel(command, &conn)))
		return ret;
	ret = get_devices(command, &conn, name, &list);
	if (!ret)
		ret = json ? show_json(command, &conn, &list, name != NULL) :
			     show_text(command, &conn, &list, name != NULL);
	free(list.devices);
	genl_close(&conn);
	return ret;
}

/* ------------------------------------------------------------------ */
/* set                                                                 */
/* ------------------------------------------------------------------ */

struct dev_settings {
	bool has_role, has_port, has_window, has_notify, has_limit;
	uint8_t role;
	uint16_t port;
	uint32_t window, notify, limit;
};

static int parse_role(const char *command, const char *text, uint8_t *role)
{
	if (!strcmp(text, "hse"))
		*role = E2M_ROLE_HSE;
	else if (!strcmp(text, "ue"))
		*role = E2M_ROLE_UE;
	else
		return usage_error(command, "role: expected hse or ue, not \"%s\"", text);
	return 0;
}

static int parse_dev_settings(const char *command, int argc, char *argv[],
			      struct dev_settings *s)
{
	uint32_t value = 0;
	int i, ret = 0;

	for (i = 0; i < argc && !ret; i++) {
		const char *key = argv[i], *val = keyword_value(command, argc, argv, &i);

		if (!val)
			return EXIT_USAGE;
		if (!strcmp(key, "role")) {
			ret = once(command, key, &s->has_role);
			if (!ret)
				ret = parse_role(command, val, &s->role);
		} else if (!strcmp(key, "port")) {
			ret = once(command, key, &s->has_port);
			if (!ret)
				ret = parse_u32(command, key, val, 1, UINT16_MAX, &value);
			s->port = (uint16_t)value;
		} else if (!strcmp(key, "replay-window")) {
			ret = once(command, key, &s->has_window);
			if (!ret)
				ret = parse_u32(command, key, val, 0, UINT32_MAX, &s->window);
		} else if (!strcmp(key, "count-notify")) {
			ret = once(command, key, &s->has_notify);
			if (!ret)
				ret = parse_u32(command, key, val, 0, UINT32_MAX, &s->notify);
		} else if (!strcmp(key, "count-limit")) {
			ret = once(command, key, &s->has_limit);
			if (!ret)
				ret = parse_u32(command, key, val, 0, UINT32_MAX, &s->limit);
		} else {
			ret = usage_error(command, "unknown keyword \"%s\"", key);
		}
	}
	if (!ret && !s->has_role && !s->has_port && !s->has_window &&
	    !s->has_notify && !s->has_limit)
		ret = usage_error(command, "nothing to set");
	return ret;
}

static int put_dev_settings(struct nl_msg *msg, const struct dev_settings *s)
{
	return (s->has_role && nla_put_u8(msg, E2M_A_ROLE, s->role) < 0) ||
	       (s->has_port && nla_put_u16(msg, E2M_A_PORT, s->port) < 0) ||
	       (s->has_window && nla_put_u32(msg, E2M_A_REPLAY_WINDOW, s->window) < 0) ||
	       (s->has_notify && nla_put_u32(msg, E2M_A_COUNT_NOTIFY, s->notify) < 0) ||
	       (s->has_limit && nla_put_u32(msg, E2M_A_COUNT_LIMIT, s->limit) < 0);
}

int cmd_set(int argc, char *argv[])
{
	const char *command = "set";
	struct dev_settings settings = { 0 };
	struct genl_conn conn;
	struct nl_msg *msg;
	int ret;

	if ((ret = check_device_name(command, argc ? argv[0] : NULL)) ||
	    (ret = parse_dev_settings(command, argc - 1, argv + 1, &settings)))
		return ret;
	if ((ret = connect_kernel(command, &conn)))
		return ret;
	msg = genl_request_new(&conn, E2M_CMD_DEV_SET, 0);
	if (!msg) {
		ret = runtime_error(command, "%s", conn.error);
	} else if (nla_put_string(msg, E2M_A_IFNAME, argv[0]) < 0 ||
		   put_dev_settings(msg, &settings)) {
		nlmsg_free(msg);
		ret = runtime_error(command, "request too large");
	} else {
		ret = transact(command, &conn, msg, NULL, NULL);
	}
	genl_close(&conn);
	return ret;
}

/* ------------------------------------------------------------------ */
/* flow and key                                                        */
/* ------------------------------------------------------------------ */

/* The keywords a flow or key command takes. */
enum {
	ARG_TEID = 1 << 0,
	ARG_REMOTE_TEID = 1 << 1,
	ARG_PEER = 1 << 2,
	ARG_PEER_PORT = 1 << 3,
	ARG_INNER = 1 << 4,
	ARG_SERIAL = 1 << 5,
	ARG_KEY_ID = 1 << 6,
	ARG_JSON = 1 << 7,
	ARG_TX_ON_RX = 1 << 8,	/* a bare keyword: E2M_KEY_F_TX_ON_RX */
};

struct flow_args {
	unsigned int given;	/* ARG_* */
	uint32_t teid, remote_teid;
	struct ip_addr peer;
	uint16_t peer_port;
	bool has_inner4, has_inner6;
	struct ip_addr inner4, inner6;
	int32_t serial;
	uint8_t key_id;
};

static const struct {
	const char *keyword;
	unsigned int arg;
} flow_keywords[] = {
	{ "teid", ARG_TEID },
	{ "remote-teid", ARG_REMOTE_TEID },
	{ "peer", ARG_PEER },
	{ "peer-port", ARG_PEER_PORT },
	{ "inner", ARG_INNER },
	{ "serial", ARG_SERIAL },
	{ "key-id", ARG_KEY_ID },
};

static unsigned int flow_keyword(const char *word)
{
	size_t i;

	for (i = 0; i < sizeof(flow_keywords) / sizeof(flow_keywords[0]); i++)
		if (!strcmp(word, flow_keywords[i].keyword))
			return flow_keywords[i].arg;
	return 0;
}

/* "inner ADDR": once per address family. */
static int parse_inner(const char *command, const char *text, struct flow_args *a)
{
	struct ip_addr addr;
	int ret = parse_ip(command, "inner", text, &addr);

	if (ret)
		return ret;
	if (addr.family == AF_INET) {
		if (a->has_inner4)
			return usage_error(command, "inner: one IPv4 address at most");
		a->has_inner4 = true;
		a->inner4 = addr;
	} else {
		if (a->has_inner6)
			return usage_error(command, "inner: one IPv6 address at most");
		a->has_inner6 = true;
		a->inner6 = addr;
	}
	return 0;
}

static int parse_flow_value(const char *command, unsigned int arg,
			    const char *key, const char *val, struct flow_args *a)
{
	uint32_t value = 0;
	int ret;

	switch (arg) {
	case ARG_TEID:
		/* The local TEID names the flow; 0 is never one (uapi). */
		return parse_u32(command, key, val, 1, UINT32_MAX, &a->teid);
	case ARG_REMOTE_TEID:
		return parse_u32(command, key, val, 0, UINT32_MAX, &a->remote_teid);
	case ARG_PEER:
		return parse_ip(command, key, val, &a->peer);
	case ARG_PEER_PORT:
		ret = parse_u32(command, key, val, 1, UINT16_MAX, &value);
		a->peer_port = (uint16_t)value;
		return ret;
	case ARG_INNER:
		return parse_inner(command, val, a);
	case ARG_SERIAL:
		ret = parse_u32(command, key, val, 1, INT32_MAX, &value);
		a->serial = (int32_t)value;
		return ret;
	case ARG_KEY_ID:
		ret = parse_u32(command, key, val, 0, E2M_KEY_ID_MAX, &value);
		a->key_id = (uint8_t)value;
		return ret;
	}
	return usage_error(command, "unknown keyword \"%s\"", key);
}

/*
 * "DEV keyword value..." where the keywords are those of @allowed, all of
 * @required among them. Each keyword once, except inner (once per family).
 */
static int parse_flow_args(const char *command, int argc, char *argv[],
			   unsigned int allowed, unsigned int required,
			   struct flow_args *a)
{
	size_t k;
	int i, ret;

	memset(a, 0, sizeof(*a));
	if ((ret = check_device_name(command, argc ? argv[0] : NULL)))
		return ret;
	for (i = 1; i < argc; i++) {
		unsigned int arg = flow_keyword(argv[i]);
		const char *key = argv[i], *val;

		if ((allowed & ARG_JSON) && is_json_flag(key)) {
			a->given |= ARG_JSON;
			continue;
		}
		if ((allowed & ARG_TX_ON_RX) && !strcmp(key, "tx-on-rx")) {
			if (a->given & ARG_TX_ON_RX)
				return usage_error(command, "%s given twice", key);
			a->given |= ARG_TX_ON_RX;
			continue;
		}
		if (!(arg & allowed))
			return usage_error(command, "unknown keyword \"%s\"", key);
		if ((a->given & arg) && arg != ARG_INNER)
			return usage_error(command, "%s given twice", key);
		if (!(val = keyword_value(command, argc, argv, &i)))
			return EXIT_USAGE;
		if ((ret = parse_flow_value(command, arg, key, val, a)))
			return ret;
		a->given |= arg;
	}
	for (k = 0; k < sizeof(flow_keywords) / sizeof(flow_keywords[0]); k++)
		if ((required & flow_keywords[k].arg) && !(a->given & flow_keywords[k].arg))
			return usage_error(command, "%s missing", flow_keywords[k].keyword);
	return 0;
}

/* DEV and the E2M_A_FLOW nest of @a into @msg; non-zero when it is full. */
static int put_flow_args(struct nl_msg *msg, const char *dev,
			 const struct flow_args *a)
{
	struct nlattr *nest;

	if (nla_put_string(msg, E2M_A_IFNAME, dev) < 0)
		return -1;
	/* Strict validation (new families) wants NLA_F_NESTED on the nest. */
	nest = nla_nest_start(msg, E2M_A_FLOW | NLA_F_NESTED);
	if (!nest ||
	    nla_put_u32(msg, E2M_FLOW_A_LOCAL_TEID, a->teid) < 0 ||
	    ((a->given & ARG_REMOTE_TEID) &&
	     nla_put_u32(msg, E2M_FLOW_A_REMOTE_TEID, a->remote_teid) < 0) ||
	    ((a->given & ARG_PEER) &&
	     put_ip(msg, E2M_FLOW_A_PEER_IPV4, E2M_FLOW_A_PEER_IPV6, &a->peer) < 0) ||
	    ((a->given & ARG_PEER_PORT) &&
	     nla_put_u16(msg, E2M_FLOW_A_PEER_PORT, a->peer_port) < 0) ||
	    (a->has_inner4 && put_ip(msg, E2M_FLOW_A_INNER_IPV4, 0, &a->inner4) < 0) ||
	    (a->has_inner6 && put_ip(msg, 0, E2M_FLOW_A_INNER_IPV6, &a->inner6) < 0) ||
	    ((a->given & ARG_SERIAL) &&
	     nla_put_u32(msg, E2M_FLOW_A_KEY_SERIAL, (uint32_t)a->serial) < 0) ||
	    ((a->given & ARG_KEY_ID) && nla_put_u8(msg, E2M_FLOW_A_KEY_ID, a->key_id) < 0) ||
	    ((a->given & ARG_TX_ON_RX) &&
	     nla_put_u32(msg, E2M_FLOW_A_KEY_FLAGS, E2M_KEY_F_TX_ON_RX) < 0))
		return -1;
	nla_nest_end(msg, nest);
	return 0;
}

/* Sends @cmd for the flow of @a on @dev; @fn gets the replies. */
static int flow_request(const char *command, uint8_t cmd, const char *dev,
			const struct flow_args *a, genl_reply_fn fn, void *arg)
{
	struct genl_conn conn;
	struct nl_msg *msg;
	int ret;

	if ((ret = connect_kernel(command, &conn)))
		return ret;
	msg = genl_request_new(&conn, cmd, 0);
	if (!msg) {
		ret = runtime_error(command, "%s", conn.error);
	} else if (put_flow_args(msg, dev, a)) {
		nlmsg_free(msg);
		ret = runtime_error(command, "request too large");
	} else {
		ret = transact(command, &conn, msg, fn, arg);
	}
	genl_close(&conn);
	return ret;
}

struct one_flow {
	bool found;
	struct flow_info flow;
};

static int keep_flow(struct genl_conn *conn, uint8_t cmd, struct nlattr **tb,
		     void *arg)
{
	struct one_flow *one = arg;

	if (cmd != E2M_CMD_FLOW_GET)
		return 0;
	if (parse_flow(conn, tb, &one->flow))
		return -EBADMSG;
	one->found = true;
	return 0;
}

static int flow_show(const char *command, const char *dev, const struct flow_args *a)
{
	struct json_builder b = { false };
	struct one_flow one = { 0 };
	char *text = NULL;
	size_t size = 0;
	json_t *json;
	FILE *out;
	int ret;

	ret = flow_request(command, E2M_CMD_FLOW_GET, dev, a, keep_flow, &one);
	if (ret)
		return ret;
	if (!one.found)
		return runtime_error(command, "the kernel sent no flow");
	if (a->given & ARG_JSON) {
		json = flow_json(&b, &one.flow);
		ret = b.failed ? runtime_error(command, "out of memory") :
				 write_json(command, json);
		json_decref(json);
		return ret;
	}
	out = open_memstream(&text, &size);
	if (!out)
		return runtime_error(command, "out of memory");
	print_flow(out, "", &one.flow);
	ret = fclose(out) ? runtime_error(command, "out of memory") :
			    write_text(command, text, size);
	free(text);
	return ret;
}

int cmd_flow(int argc, char *argv[])
{
	const unsigned int config = ARG_TEID | ARG_REMOTE_TEID | ARG_PEER |
				    ARG_PEER_PORT | ARG_INNER;
	const char *sub = argc ? argv[0] : "";
	struct flow_args a;
	char command[32];
	int ret;

	snprintf(command, sizeof(command), "flow %s", sub);
	if (!strcmp(sub, "add")) {
		ret = parse_flow_args(command, argc - 1, argv + 1, config,
				      ARG_TEID | ARG_REMOTE_TEID | ARG_PEER | ARG_INNER, &a);
		return ret ? ret : flow_request(command, E2M_CMD_FLOW_NEW, argv[1], &a, NULL, NULL);
	}
	if (!strcmp(sub, "change")) {
		ret = parse_flow_args(command, argc - 1, argv + 1, config, ARG_TEID, &a);
		if (!ret && !(a.given & ~ARG_TEID))
			ret = usage_error(command, "nothing to change");
		return ret ? ret : flow_request(command, E2M_CMD_FLOW_SET, argv[1], &a, NULL, NULL);
	}
	if (!strcmp(sub, "del")) {
		ret = parse_flow_args(command, argc - 1, argv + 1, ARG_TEID, ARG_TEID, &a);
		return ret ? ret : flow_request(command, E2M_CMD_FLOW_DEL, argv[1], &a, NULL, NULL);
	}
	if (!strcmp(sub, "show")) {
		ret = parse_flow_args(command, argc - 1, argv + 1, ARG_TEID | ARG_JSON,
				      ARG_TEID, &a);
		return ret ? ret : flow_show(command, argv[1], &a);
	}
	if (!argc)
		return usage_error("flow", "expected add, change, del or show");
	return usage_error("flow", "unknown sub-command \"%s\" (add, change, del, show)",
			   sub);
}

int cmd_key(int argc, char *argv[])
{
	const char *sub = argc ? argv[0] : "";
	unsigned int second, optional = 0;
	struct flow_args a;
	char command[32];
	uint8_t cmd;
	int ret;

	if (!strcmp(sub, "bind")) {
		cmd = E2M_CMD_KEY_BIND;
		second = ARG_SERIAL;
		optional = ARG_TX_ON_RX;
	} else if (!strcmp(sub, "use")) {
		cmd = E2M_CMD_KEY_USE;
		second = ARG_KEY_ID;
	} else if (!strcmp(sub, "unbind")) {
		cmd = E2M_CMD_KEY_UNBIND;
		second = ARG_KEY_ID;
	} else if (!argc) {
		return usage_error("key", "expected bind, use or unbind");
	} else {
		return usage_error("key", "unknown sub-command \"%s\" (bind, use, unbind)",
				   sub);
	}
	snprintf(command, sizeof(command), "key %s", sub);
	ret = parse_flow_args(command, argc - 1, argv + 1,
			      ARG_TEID | second | optional, ARG_TEID | second, &a);
	return ret ? ret : flow_request(command, cmd, argv[1], &a, NULL, NULL);
}

/* ------------------------------------------------------------------ */
/* keyset add                                                          */
/* ------------------------------------------------------------------ */

struct keyset_options {
	const char *key_id, *k_enc, *k_int, *enc_alg, *int_alg, *lifetime;
	const char *keyring, *desc;
	/* The argv strings of the keys, wiped once decoded. */
	char *k_enc_arg, *k_int_arg;
};

/*
 * "--name value" or "--name=value" into the matching field of @o; each
 * option once.
 */
static int parse_keyset_options(const char *command, int argc, char *argv[],
				struct keyset_options *o)
{
	static const struct {
		const char *name;
		size_t offset;
	} names[] = {
		{ "key-id", offsetof(struct keyset_options, key_id) },
		{ "k-enc", offsetof(struct keyset_options, k_enc) },
		{ "k-int", offsetof(struct keyset_options, k_int) },
		{ "enc-alg", offsetof(struct keyset_options, enc_alg) },
		{ "int-alg", offsetof(struct keyset_options, int_alg) },
		{ "lifetime", offsetof(struct keyset_options, lifetime) },
		{ "keyring", offsetof(struct keyset_options, keyring) },
		{ "desc", offsetof(struct keyset_options, desc) },
	};
	int i;

	for (i = 0; i < argc; i++) {
		char *arg = argv[i], *value, *eq;
		const char **field = NULL;
		size_t n, len;

		if (strncmp(arg, "--", 2))
			return usage_error(command, "unexpected argument \"%s\"", arg);
		eq = strchr(arg, '=');
		len = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);
		for (n = 0; n < sizeof(names) / sizeof(names[0]); n++)
			if (strlen(names[n].name) == len && !strncmp(arg + 2, names[n].name, len))
				field = (const char **)((char *)o + names[n].offset);
		if (!field)
			return usage_error(command, "unknown option \"%.*s\"", (int)len + 2, arg);
		if (*field)
			return usage_error(command, "--%.*s given twice", (int)len, arg + 2);
		if (eq) {
			value = eq + 1;
		} else if (i + 1 < argc) {
			value = argv[++i];
		} else {
			return usage_error(command, "%s: value missing", arg);
		}
		*field = value;
		if (field == &o->k_enc)
			o->k_enc_arg = value;
		else if (field == &o->k_int)
			o->k_int_arg = value;
	}
	if (!o->key_id)
		return usage_error(command, "--key-id missing");
	if (!o->k_enc)
		return usage_error(command, "--k-enc missing");
	if (!o->k_int)
		return usage_error(command, "--k-int missing");
	if (!o->desc)
		return usage_error(command, "--desc missing");
	if (!o->desc[0])
		return usage_error(command, "--desc: empty description");
	return 0;
}

/* Exactly 2 * @len hex digits. The error never shows the key. */
static int decode_key(const char *command, const char *name, const char *hex,
		      uint8_t *out, size_t len)
{
	if (strlen(hex) != 2 * len)
		return usage_error(command, "%s: expected %zu hex digits (%zu octets)",
				   name, 2 * len, len);
	if (hex_decode_exact(out, len, hex) != HEX_OK)
		return usage_error(command, "%s: not a hex string", name);
	return 0;
}

int flow_ctl_parse_keyring(const char *command, const char *text,
			   key_serial_t *ring)
{
	static const struct {
		const char *name;
		key_serial_t id;
	} specials[] = {
		{ "@t", KEY_SPEC_THREAD_KEYRING },
		{ "@p", KEY_SPEC_PROCESS_KEYRING },
		{ "@s", KEY_SPEC_SESSION_KEYRING },
		{ "@u", KEY_SPEC_USER_KEYRING },
		{ "@us", KEY_SPEC_USER_SESSION_KEYRING },
	};
	uint32_t serial = 0;
	size_t i;
	int ret;

	for (i = 0; i < sizeof(specials) / sizeof(specials[0]); i++)
		if (!strcmp(text, specials[i].name)) {
			*ring = specials[i].id;
			return 0;
		}
	if (text[0] == '@')
		return usage_error(command, "--keyring: unknown keyring \"%s\"", text);
	ret = parse_u32(command, "--keyring", text, 1, INT32_MAX, &serial);
	*ring = (key_serial_t)serial;
	return ret;
}

/* Everything but the keys, which decode_key() puts in place. */
static int fill_keyset_payload(const char *command, const struct keyset_options *o,
			       struct e2m_keyset_payload *p, key_serial_t *ring)
{
	uint32_t value = 0;
	int ret;

	p->version = E2M_KEYSET_PAYLOAD_V1;
	p->enc_alg = E2M_ALG_AES;
	p->int_alg = E2M_ALG_AES;
	if ((ret = parse_u32(command, "--key-id", o->key_id, 0, E2M_KEY_ID_MAX, &value)))
		return ret;
	p->key_id = (uint8_t)value;
	/* The 3GPP algorithm identifiers are 4 bits; the kernel says which it has. */
	if (o->enc_alg) {
		if ((ret = parse_u32(command, "--enc-alg", o->enc_alg, 0, 15, &value)))
			return ret;
		p->enc_alg = (uint8_t)value;
	}
	if (o->int_alg) {
		if ((ret = parse_u32(command, "--int-alg", o->int_alg, 0, 15, &value)))
			return ret;
		p->int_alg = (uint8_t)value;
	}
	if (o->lifetime &&
	    (ret = parse_u32(command, "--lifetime", o->lifetime, 0, UINT32_MAX,
			     &p->lifetime)))
		return ret;
	*ring = KEY_SPEC_USER_KEYRING;
	if (o->keyring && (ret = flow_ctl_parse_keyring(command, o->keyring, ring)))
		return ret;
	return 0;
}

static int add_key_error(const char *command, int err)
{
	switch (err) {
	case ENODEV:
		return runtime_error(command, "e2m kernel module not loaded (key type \"%s\" unknown)",
				     E2M_KEYSET_KEY_TYPE);
	case EINVAL:
		return runtime_error(command, "the kernel refused the keyset (Key ID, algorithm or description; see the kernel log)");
	case ENOPKG:
		return runtime_error(command, "algorithm not implemented by this e2m module");
	case EDQUOT:
		return runtime_error(command, "key quota exceeded");
	case ENOKEY:
		return runtime_error(command, "no such keyring");
	case EACCES:
		return runtime_error(command, "permission denied on the keyring");
	}
	return runtime_error(command, "add_key: %s", strerror(err));
}

int cmd_keyset(int argc, char *argv[])
{
	const char *command = "keyset add";
	struct keyset_options o = { 0 };
	struct e2m_keyset_payload payload;
	key_serial_t ring = KEY_SPEC_USER_KEYRING, serial = 0;
	int ret;

	if (!argc)
		return usage_error("keyset", "expected add");
	if (strcmp(argv[0], "add"))
		return usage_error("keyset", "unknown sub-command \"%s\" (add)", argv[0]);

	memset(&payload, 0, sizeof(payload));
	ret = parse_keyset_options(command, argc - 1, argv + 1, &o);
	if (!ret)
		ret = fill_keyset_payload(command, &o, &payload, &ring);
	if (!ret)
		ret = decode_key(command, "--k-enc", o.k_enc, payload.k_enc,
				 sizeof(payload.k_enc));
	if (!ret)
		ret = decode_key(command, "--k-int", o.k_int, payload.k_int,
				 sizeof(payload.k_int));
	/* Less time in our command line for the keys (/proc/PID/cmdline). */
	if (o.k_enc_arg)
		explicit_bzero(o.k_enc_arg, strlen(o.k_enc_arg));
	if (o.k_int_arg)
		explicit_bzero(o.k_int_arg, strlen(o.k_int_arg));
	if (!ret) {
		serial = add_key(E2M_KEYSET_KEY_TYPE, o.desc, &payload, sizeof(payload),
				 ring);
		ret = serial < 0 ? add_key_error(command, errno) : 0;
	}
	explicit_bzero(&payload, sizeof(payload));
	if (ret)
		return ret;
	if (printf("serial=%d\n", serial) < 0 || fflush(stdout))
		return runtime_error(command, "cannot write the output: %s", strerror(errno));
	return 0;
}

/* ------------------------------------------------------------------ */
/* monitor                                                             */
/* ------------------------------------------------------------------ */

static const char *event_reason_name(uint8_t reason, char *buf, size_t size)
{
	static const char *const names[] = {
		[E2M_EVENT_KEY_REVOKED] = "revoked",
		[E2M_EVENT_KEY_EXPIRED] = "expired",
		[E2M_EVENT_KEY_INVALID] = "invalid",
		[E2M_EVENT_COUNT_NOTIFY] = "count-notify",
		[E2M_EVENT_COUNT_EXHAUSTED] = "count-exhausted",
		[E2M_EVENT_UNKNOWN_TEID] = "unknown-teid",
		[E2M_EVENT_NO_LIVE_KEY] = "no-live-key",
	};

	if (reason < sizeof(names) / sizeof(names[0]) && names[reason])
		return names[reason];
	snprintf(buf, size, "%u", reason);
	return buf;
}

struct monitor {
	unsigned long limit;	/* 0: no limit */
	unsigned long printed;
	bool write_failed;
};

static int print_event(struct genl_conn *conn, uint8_t cmd, struct nlattr **tb,
		       void *arg)
{
	struct nlattr *flow[E2M_FLOW_A_MAX + 1] = { NULL };
	struct monitor *mon = arg;
	char name[IF_NAMESIZE], reason[8], kind[16];
	uint32_t ifindex = 0;

	(void)conn;
	if (mon->limit && mon->printed >= mon->limit)
		return 0;
	if (cmd == E2M_CMD_EVENT_KEY)
		snprintf(kind, sizeof(kind), "key");
	else if (cmd == E2M_CMD_EVENT_NO_KEY)
		snprintf(kind, sizeof(kind), "no-key");
	else
		snprintf(kind, sizeof(kind), "cmd-%u", cmd);
	if (tb[E2M_A_IFINDEX])
		ifindex = nla_get_u32(tb[E2M_A_IFINDEX]);
	if (!ifindex || !if_indextoname(ifindex, name))
		snprintf(name, sizeof(name), "-");
	if (tb[E2M_A_FLOW])
		nla_parse_nested(flow, E2M_FLOW_A_MAX, tb[E2M_A_FLOW], flow_policy);

	printf("event %s dev %s ifindex %u", kind, name, ifindex);
	if (flow[E2M_FLOW_A_LOCAL_TEID])
		printf(" teid %u", nla_get_u32(flow[E2M_FLOW_A_LOCAL_TEID]));
	if (flow[E2M_FLOW_A_KEY_ID])
		printf(" key-id %u", nla_get_u8(flow[E2M_FLOW_A_KEY_ID]));
	if (flow[E2M_FLOW_A_KEY_SERIAL])
		printf(" serial %d", (int32_t)nla_get_u32(flow[E2M_FLOW_A_KEY_SERIAL]));
	if (tb[E2M_A_EVENT_REASON])
		printf(" reason %s", event_reason_name(nla_get_u8(tb[E2M_A_EVENT_REASON]),
						       reason, sizeof(reason)));
	/* Whoever reads us through a pipe or a file sees each event at once. */
	if (putchar('\n') == EOF || fflush(stdout))
		mon->write_failed = true;
	mon->printed++;
	return 0;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int parse_monitor_options(const char *command, int argc, char *argv[],
				 struct monitor *mon, long *timeout_s)
{
	bool has_count = false, has_timeout = false;
	unsigned long value;
	int i, ret;

	*timeout_s = -1;
	for (i = 0; i < argc; i++) {
		const char *arg = argv[i], *val;
		bool count = !strcmp(arg, "--count") || !strncmp(arg, "--count=", 8);
		bool timeout = !strcmp(arg, "--timeout") || !strncmp(arg, "--timeout=", 10);

		if (!count && !timeout)
			return usage_error(command, "unknown argument \"%s\"", arg);
		if ((ret = once(command, count ? "--count" : "--timeout",
				count ? &has_count : &has_timeout)))
			return ret;
		if (strchr(arg, '='))
			val = strchr(arg, '=') + 1;
		else if (!(val = keyword_value(command, argc, argv, &i)))
			return EXIT_USAGE;
		if (count) {
			ret = parse_number(command, "--count", val, 1, ULONG_MAX, &value);
			mon->limit = value;
		} else {
			/* poll() counts milliseconds in an int. */
			ret = parse_number(command, "--timeout", val, 0, INT32_MAX / 1000,
					   &value);
			*timeout_s = (long)value;
		}
		if (ret)
			return ret;
	}
	return 0;
}

int cmd_monitor(int argc, char *argv[])
{
	const char *command = "monitor";
	struct monitor mon = { 0 };
	struct genl_conn conn;
	int64_t deadline = 0;
	long timeout_s;
	int ret;

	if ((ret = parse_monitor_options(command, argc, argv, &mon, &timeout_s)))
		return ret;
	if ((ret = connect_kernel(command, &conn)))
		return ret;
	if (genl_subscribe_events(&conn) < 0) {
		ret = runtime_error(command, "%s", conn.error);
		goto out;
	}
	if (timeout_s >= 0)
		deadline = now_ms() + (int64_t)timeout_s * 1000;
	while (!mon.limit || mon.printed < mon.limit) {
		int wait = -1;

		if (timeout_s >= 0) {
			int64_t left = deadline - now_ms();

			if (left <= 0)
				break;
			wait = (int)left;
		}
		ret = genl_wait_events(&conn, wait, print_event, &mon);
		if (mon.write_failed) {
			ret = runtime_error(command, "cannot write the output: %s",
					    strerror(errno));
			goto out;
		}
		/* Lost events are worth a word, not the end of the watch. */
		if (ret == -ENOBUFS) {
			report(0, command, "%s", conn.error);
			continue;
		}
		if (ret < 0) {
			ret = runtime_error(command, "%s", conn.error);
			goto out;
		}
	}
	ret = 0;
out:
	genl_close(&conn);
	return ret;
}

/* ------------------------------------------------------------------ */
/* flow_ctl.h: the same operations, as steps of other commands         */
/* ------------------------------------------------------------------ */

static int flow_ctl_simple(const char *command, uint8_t cmd, const char *dev,
			   struct flow_args *a)
{
	int ret = check_device_name(command, dev);

	return ret ? ret : flow_request(command, cmd, dev, a, NULL, NULL);
}

int flow_ctl_add(const char *command, const char *dev,
		 const struct flow_ctl_flow *flow)
{
	struct flow_args a;
	int ret;

	memset(&a, 0, sizeof(a));
	a.given = ARG_TEID | ARG_REMOTE_TEID | ARG_PEER | ARG_PEER_PORT;
	a.teid = flow->teid;
	a.remote_teid = flow->remote_teid;
	a.peer_port = flow->peer_port;
	ret = parse_ip(command, "peer", flow->peer, &a.peer);
	if (!ret)
		ret = parse_inner(command, flow->inner_ipv4, &a);
	if (ret)
		return EXIT_FAILURE;
	return flow_ctl_simple(command, E2M_CMD_FLOW_NEW, dev, &a);
}

int flow_ctl_del(const char *command, const char *dev, uint32_t teid)
{
	struct flow_args a = { .given = ARG_TEID, .teid = teid };

	return flow_ctl_simple(command, E2M_CMD_FLOW_DEL, dev, &a);
}

int flow_ctl_bind(const char *command, const char *dev, uint32_t teid,
		  int32_t serial)
{
	struct flow_args a = { .given = ARG_TEID | ARG_SERIAL, .teid = teid,
			       .serial = serial };

	return flow_ctl_simple(command, E2M_CMD_KEY_BIND, dev, &a);
}

int flow_ctl_use(const char *command, const char *dev, uint32_t teid,
		 uint8_t key_id)
{
	struct flow_args a = { .given = ARG_TEID | ARG_KEY_ID, .teid = teid,
			       .key_id = key_id };

	return flow_ctl_simple(command, E2M_CMD_KEY_USE, dev, &a);
}

int flow_ctl_unbind(const char *command, const char *dev, uint32_t teid,
		    uint8_t key_id)
{
	struct flow_args a = { .given = ARG_TEID | ARG_KEY_ID, .teid = teid,
			       .key_id = key_id };

	return flow_ctl_simple(command, E2M_CMD_KEY_UNBIND, dev, &a);
}

int flow_ctl_slots(const char *command, const char *dev, uint32_t teid,
		   struct flow_ctl_slots *out)
{
	struct flow_args a = { .given = ARG_TEID, .teid = teid };
	struct one_flow one = { 0 };
	struct genl_conn conn;
	struct nl_msg *msg;
	unsigned int i;
	int ret;

	memset(out, 0, sizeof(*out));
	if ((ret = check_device_name(command, dev)) ||
	    (ret = connect_kernel(command, &conn)))
		return ret;
	msg = genl_request_new(&conn, E2M_CMD_FLOW_GET, 0);
	if (!msg || put_flow_args(msg, dev, &a)) {
		nlmsg_free(msg);
		genl_close(&conn);
		return runtime_error(command, "out of memory");
	}
	ret = genl_transact(&conn, msg, keep_flow, &one);
	/* No such flow is an answer here, not a failure. */
	if (ret == -ENOENT) {
		genl_close(&conn);
		return 0;
	}
	if (ret < 0) {
		ret = runtime_error(command, "%s", conn.error);
		genl_close(&conn);
		return ret;
	}
	genl_close(&conn);
	out->found = one.found;
	out->has_tx_key_id = one.flow.has_tx_key_id;
	out->tx_key_id = one.flow.tx_key_id;
	for (i = 0; i < one.flow.nslots && i < FLOW_CTL_SLOTS_MAX; i++)
		out->key_id[out->nslots++] = one.flow.slots[i].key_id;
	return 0;
}

int flow_ctl_add_keyset(const char *command, uint8_t key_id,
			const uint8_t k_enc[FLOW_CTL_KEY_LEN],
			const uint8_t k_int[FLOW_CTL_KEY_LEN],
			const char *description, key_serial_t ring,
			key_serial_t *serial)
{
	struct e2m_keyset_payload p;

	memset(&p, 0, sizeof(p));
	p.version = E2M_KEYSET_PAYLOAD_V1;
	p.enc_alg = E2M_ALG_AES;
	p.int_alg = E2M_ALG_AES;
	p.key_id = key_id;
	memcpy(p.k_enc, k_enc, sizeof(p.k_enc));
	memcpy(p.k_int, k_int, sizeof(p.k_int));
	*serial = add_key(E2M_KEYSET_KEY_TYPE, description, &p, sizeof(p),
			  ring);
	explicit_bzero(&p, sizeof(p));
	return *serial < 0 ? add_key_error(command, errno) : 0;
}
