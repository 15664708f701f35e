// SPDX-License-Identifier: GPL-2.0
/*
 * Devices and flows as text and JSON, see kernel_show.h.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel_args.h"
#include "kernel_show.h"
#include "util/cpu_list.h"
#include "util/utc.h"

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
	{ E2M_STATS_A_DROP_CRYPTO, "crypto", true },
	{ E2M_STATS_A_TX_STAGED, "tx-staged", false },
	{ E2M_STATS_A_RX_STAGED, "rx-staged", false },
	{ E2M_STATS_A_DROP_STAGE_FULL, "stage-full", true },
	{ E2M_STATS_A_DROP_STAGE_DEVICE_FULL, "stage-device-full", true },
	{ E2M_STATS_A_DROP_STAGE_EXPIRED, "stage-expired", true },
	{ E2M_STATS_A_DROP_STAGE_FLUSHED, "stage-flushed", true },
	{ E2M_STATS_A_RX_STEERED, "rx-steered", false },
	{ E2M_STATS_A_DROP_STEER_FULL, "steer-full", true },
};

#define NCOUNTERS (sizeof(counters) / sizeof(counters[0]))

/* ---- names of values ------------------------------------------------------ */

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
static const char *alg_name(const char *kind, uint8_t alg, char *buf,
			    size_t size)
{
	snprintf(buf, size, "%s%s%u", alg == E2M_ALG_NULL ? "" : "128-", kind,
		 alg);
	return buf;
}

static const char *ip_text(int family, const void *addr, char *buf,
			   size_t size)
{
	if (!inet_ntop(family, addr, buf, size))
		snprintf(buf, size, "?");
	return buf;
}

static const char *peer_text(const struct e2m_ip *peer, char *buf,
			     size_t size)
{
	if (peer->family == AF_INET)
		return ip_text(AF_INET, &peer->v4, buf, size);
	if (peer->family == AF_INET6)
		return ip_text(AF_INET6, &peer->v6, buf, size);
	snprintf(buf, size, "none");
	return buf;
}

/* ---- text ----------------------------------------------------------------- */

/* prefix: "" for a device's or flow's own, "total " for the totals. */
static void print_counters(FILE *out, const char *indent, const char *prefix,
			   const struct e2m_stats *s, bool drops)
{
	size_t i;

	fprintf(out, "%s%s%s", indent, prefix, drops ? "drops:" : "traffic:");
	for (i = 0; i < NCOUNTERS; i++)
		if (counters[i].drop == drops)
			fprintf(out, " %s %llu", counters[i].name,
				(unsigned long long)s->value[counters[i].attr]);
	fputc('\n', out);
}

/* The key's expiry as UTC text, "never" without one. */
static const char *expiry_text(uint64_t expiry, char out[UTC_TEXT_LEN + 1])
{
	if (!expiry || expiry > INT64_MAX || utc_format(out, (int64_t)expiry))
		snprintf(out, UTC_TEXT_LEN + 1, "never");
	return out;
}

static void print_slot(FILE *out, const char *indent,
		       const struct e2m_slot *slot)
{
	char enc[16], integ[16], expiry[UTC_TEXT_LEN + 1];

	fprintf(out, "%sslot key-id %u serial %d alg %s/%s tx-count %llu rx-count %llu state %s"
		" tx-pending %s mac-failures %llu type %s expires %s\n",
		indent, slot->key_id, slot->serial,
		alg_name("NEA", slot->enc_alg, enc, sizeof(enc)),
		alg_name("NIA", slot->int_alg, integ, sizeof(integ)),
		(unsigned long long)slot->tx_count,
		(unsigned long long)slot->rx_count,
		e2m_slot_state_name(slot->state), slot->tx_pending ? "yes" : "no",
		(unsigned long long)slot->mac_failures,
		e2m_key_kind_name(slot->kind),
		expiry_text(slot->expiry, expiry));
}

void print_flow(FILE *out, const char *indent, const struct e2m_flow *f)
{
	char addr[INET6_ADDRSTRLEN], deeper[16];
	unsigned int i;

	snprintf(deeper, sizeof(deeper), "%s  ", indent);
	peer_text(&f->peer, addr, sizeof(addr));
	fprintf(out, "%sflow teid %u remote-teid %u peer %s%s%s:%u", indent,
		f->local_teid, f->remote_teid,
		f->peer.family == AF_INET6 ? "[" : "", addr,
		f->peer.family == AF_INET6 ? "]" : "", f->peer_port);
	if (f->has_inner4)
		fprintf(out, " inner %s",
			ip_text(AF_INET, &f->inner4, addr, sizeof(addr)));
	if (f->has_inner6)
		fprintf(out, " inner %s",
			ip_text(AF_INET6, &f->inner6, addr, sizeof(addr)));
	if (f->has_tx_key_id)
		fprintf(out, " tx-key-id %u", f->tx_key_id);
	else
		fputs(" tx-key-id none", out);
	fprintf(out, " staged %u\n", f->staged);
	for (i = 0; i < f->nslots; i++)
		print_slot(out, deeper, &f->slots[i]);
	print_counters(out, deeper, "", &f->stats, false);
	print_counters(out, deeper, "", &f->stats, true);
}

void print_device(FILE *out, const struct e2m_dev *d)
{
	/* At most 6 characters a CPU: its number, up to 4 digits, and a comma. */
	size_t size = 32 * 6 * d->rx_cpus_words + 1;
	char *cpus = malloc(size);

	fprintf(out, "%s: ifindex %u role %s port %u replay-window %u count-notify %u count-limit %u flows %u staged-bytes %u",
		d->name, d->ifindex, role_name(d->role), d->port,
		d->replay_window, d->count_notify, d->count_limit, d->nflows,
		d->staged_bytes);
	/* Only while steering is on: the line as before otherwise. */
	if (cpus && cpu_list_format(d->rx_cpus, d->rx_cpus_words, cpus,
				    size) > 0)
		fprintf(out, " rx-cpus %s", cpus);
	free(cpus);
	fputc('\n', out);
	print_counters(out, "  ", "", &d->stats, true);
	/* Its own counts and every flow's, deleted ones too. */
	print_counters(out, "  ", "total ", &d->totals, false);
	print_counters(out, "  ", "total ", &d->totals, true);
}

/* ---- JSON ----------------------------------------------------------------- */

void jset(struct json_builder *b, json_t *obj, const char *key, json_t *value)
{
	/* json_object_set_new() drops the value when it fails. */
	if (!value || json_object_set_new(obj, key, value))
		b->failed = true;
}

void jappend(struct json_builder *b, json_t *array, json_t *value)
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

static json_t *stats_json(struct json_builder *b, const struct e2m_stats *s)
{
	json_t *obj = json_object();
	size_t i;

	for (i = 0; i < NCOUNTERS; i++)
		jset(b, obj, counters[i].name,
		     json_u64(s->value[counters[i].attr]));
	return obj;
}

static json_t *slot_json(struct json_builder *b, const struct e2m_slot *slot)
{
	json_t *obj = json_object();
	char alg[16];

	jset(b, obj, "key-id", json_integer(slot->key_id));
	jset(b, obj, "serial", json_integer(slot->serial));
	jset(b, obj, "enc-alg",
	     json_string(alg_name("NEA", slot->enc_alg, alg, sizeof(alg))));
	jset(b, obj, "int-alg",
	     json_string(alg_name("NIA", slot->int_alg, alg, sizeof(alg))));
	jset(b, obj, "tx-count", json_u64(slot->tx_count));
	jset(b, obj, "rx-count", json_u64(slot->rx_count));
	jset(b, obj, "state", json_string(e2m_slot_state_name(slot->state)));
	jset(b, obj, "tx-pending", json_boolean(slot->tx_pending));
	jset(b, obj, "mac-failures", json_u64(slot->mac_failures));
	jset(b, obj, "type", json_string(e2m_key_kind_name(slot->kind)));
	/* Seconds since the epoch, as the kernel gives them; null: none. */
	jset(b, obj, "expires", slot->expiry ? json_u64(slot->expiry) :
					      json_null());
	return obj;
}

json_t *flow_json(struct json_builder *b, const struct e2m_flow *f)
{
	json_t *obj = json_object(), *slots = json_array();
	char addr[INET6_ADDRSTRLEN];
	unsigned int i;

	jset(b, obj, "teid", json_integer(f->local_teid));
	jset(b, obj, "remote-teid", json_integer(f->remote_teid));
	jset(b, obj, "peer", f->peer.family ?
	     json_string(peer_text(&f->peer, addr, sizeof(addr))) :
	     json_null());
	jset(b, obj, "peer-port", json_integer(f->peer_port));
	jset(b, obj, "inner-ipv4", f->has_inner4 ?
	     json_string(ip_text(AF_INET, &f->inner4, addr, sizeof(addr))) :
	     json_null());
	jset(b, obj, "inner-ipv6", f->has_inner6 ?
	     json_string(ip_text(AF_INET6, &f->inner6, addr, sizeof(addr))) :
	     json_null());
	jset(b, obj, "tx-key-id", f->has_tx_key_id ?
	     json_integer(f->tx_key_id) : json_null());
	jset(b, obj, "staged", json_integer(f->staged));
	for (i = 0; i < f->nslots; i++)
		jappend(b, slots, slot_json(b, &f->slots[i]));
	jset(b, obj, "slots", slots);
	jset(b, obj, "stats", stats_json(b, &f->stats));
	return obj;
}

/* The CPUs receive is steered to, in order; [] while steering is off. */
static json_t *rx_cpus_json(const struct e2m_dev *d)
{
	json_t *list = json_array();
	size_t cpu;

	for (cpu = 0; list && cpu < 32 * d->rx_cpus_words; cpu++)
		if (cpu_list_has(d->rx_cpus, d->rx_cpus_words, cpu) &&
		    json_array_append_new(list, json_integer((json_int_t)cpu))) {
			json_decref(list);
			return NULL;
		}
	return list;
}

json_t *device_json(struct json_builder *b, const struct e2m_dev *d)
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
	jset(b, obj, "staged-bytes", json_integer(d->staged_bytes));
	jset(b, obj, "rx-cpus", rx_cpus_json(d));
	jset(b, obj, "stats", stats_json(b, &d->stats));
	jset(b, obj, "totals", stats_json(b, &d->totals));
	return obj;
}

int write_json(const char *command, json_t *json)
{
	if (json_dumpf(json, stdout, JSON_INDENT(2)) ||
	    fputc('\n', stdout) == EOF || fflush(stdout))
		return runtime_error(command, "cannot write the output: %s",
				     strerror(errno));
	return 0;
}

int write_text(const char *command, const char *text, size_t size)
{
	if (fwrite(text, 1, size, stdout) != size || fflush(stdout))
		return runtime_error(command, "cannot write the output: %s",
				     strerror(errno));
	return 0;
}
