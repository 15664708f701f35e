/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The flow and key commands of the e2m family (uapi/linux/e2m.h), over a
 * struct genl_conn (genl.h): create, change and remove a flow, read one or
 * every flow of a device with its slots and counters, bind, use and unbind
 * keys, and read the key events. The device commands are e2m_dev.h's
 * (included here for the callers that read a device's role), the keys
 * themselves e2m_keyset.h's.
 *
 * The device is named by ifname. Every function returns 0 or a negative
 * errno with conn->error set (the kernel's extack message when it gave
 * one). Nothing here touches key bytes: keys are bound by serial.
 */
#ifndef E2M_KERNEL_E2M_FLOW_H
#define E2M_KERNEL_E2M_FLOW_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include <linux/e2m.h>
#include "e2m_dev.h"
#include "e2m_stats.h"
#include "genl.h"

/* The most slots read from a flow; the kernel has E2M_MAX_SLOTS. */
#define E2M_FLOW_SLOTS_READ	(E2M_KEY_ID_MAX + 1)

struct e2m_ip {
	int family;			/* AF_INET, AF_INET6; 0: none */
	struct in_addr v4;
	struct in6_addr v6;
};

/* IPv4 or IPv6 text, as it reads, into *ip: 0 or -EINVAL. */
int e2m_ip_parse(const char *text, struct e2m_ip *ip);

struct e2m_slot {
	uint8_t key_id, enc_alg, int_alg;
	uint8_t state;			/* enum e2m_slot_state */
	bool tx_pending;		/* E2M_KEY_F_TX_ON_RX not yet done */
	int32_t serial;
	uint64_t tx_count, rx_count;
	uint64_t mac_failures;		/* MACs that did not verify */
	uint8_t kind;			/* enum e2m_key_kind */
	uint64_t expiry;		/* the key's, s since the epoch; 0: none */
};

/* "live", "dead", "exhausted", "mac-limit"; "unknown" for any other. */
const char *e2m_slot_state_name(uint8_t state);
/* The key type of enum e2m_key_kind ("e2mkeyset", "ks_local"), or "unknown". */
const char *e2m_key_kind_name(uint8_t kind);

struct e2m_flow {
	uint32_t local_teid, remote_teid;
	struct e2m_ip peer;
	uint16_t peer_port;		/* 0: the kernel's default */
	/* e2m_flow_set() only: leave the remote TEID as it is. */
	bool keep_remote_teid;
	bool has_inner4, has_inner6;
	struct in_addr inner4;
	struct in6_addr inner6;
	/* Output only: what FLOW_GET says. */
	bool has_tx_key_id;
	uint8_t tx_key_id;
	uint32_t staged;		/* packets waiting for a key now */
	unsigned int nslots;
	struct e2m_slot slots[E2M_FLOW_SLOTS_READ];
	struct e2m_stats stats;
};

/* The slot of key_id in flow, or NULL. */
const struct e2m_slot *e2m_flow_slot(const struct e2m_flow *flow,
				     uint8_t key_id);

/* E2M_CMD_FLOW_NEW with the addresses of flow. */
int e2m_flow_new(struct genl_conn *conn, const char *ifname,
		 const struct e2m_flow *flow);
/*
 * E2M_CMD_FLOW_SET: the flow of flow->local_teid gets flow's remote TEID
 * (unless keep_remote_teid), and the peer, peer port and inner addresses
 * flow has (its keys and COUNTs stay).
 */
int e2m_flow_set(struct genl_conn *conn, const char *ifname,
		 const struct e2m_flow *flow);
int e2m_flow_del(struct genl_conn *conn, const char *ifname, uint32_t teid);
/* The flow of teid into *flow: -ENOENT (from the kernel) when none. */
int e2m_flow_get(struct genl_conn *conn, const char *ifname, uint32_t teid,
		 struct e2m_flow *flow);

/* Every flow of the device, in TEID order; fn returns 0 or stops. */
typedef int (*e2m_flow_fn)(const struct e2m_flow *flow, void *arg);
int e2m_flow_dump(struct genl_conn *conn, const char *ifname,
		  e2m_flow_fn fn, void *arg);

/*
 * Binds the e2mkeyset key serial to the flow of teid; flags are
 * E2M_KEY_F_*, sent only when not 0 (a kernel without key flags then
 * still takes the bind).
 */
int e2m_key_bind(struct genl_conn *conn, const char *ifname, uint32_t teid,
		 int32_t serial, uint32_t flags);

/* What a ks_local key is bound with: it carries neither. */
struct e2m_link {
	uint8_t key_id;			/* 0..E2M_KEY_ID_MAX: BEARER */
	uint8_t alg;			/* enum e2m_alg: the link's NEA/NIA */
};

/*
 * Binds the ks_local key serial to the flow of teid under link's Key ID;
 * the module derives the link's K_enc and K_int for link's algorithm.
 */
int e2m_key_bind_link(struct genl_conn *conn, const char *ifname,
		      uint32_t teid, int32_t serial,
		      const struct e2m_link *link, uint32_t flags);
/* The flow of teid transmits with the key of key_id (E2M_CMD_KEY_USE). */
int e2m_key_use(struct genl_conn *conn, const char *ifname, uint32_t teid,
		uint8_t key_id);
int e2m_key_unbind(struct genl_conn *conn, const char *ifname,
		   uint32_t teid, uint8_t key_id);

/* What a key event (E2M_CMD_EVENT_KEY, E2M_CMD_EVENT_NO_KEY) says. */
struct e2m_key_event {
	uint8_t cmd;
	uint8_t reason;			/* enum e2m_event_reason, 0: none */
	uint32_t ifindex;
	uint32_t teid;			/* the flow's LOCAL_TEID */
	bool has_key_id;
	uint8_t key_id;
	bool has_serial;
	int32_t serial;			/* the key's, when the event names it */
};

/*
 * The name of an enum e2m_event_reason as e2mctl monitor prints it
 * ("revoked", ..., "mac-failures"), or NULL for one this agent does not know.
 */
const char *e2m_event_reason_name(uint8_t reason);

/*
 * The event of cmd with attributes tb (as genl_reply_fn has them). 0, or
 * -EBADMSG with conn->error set when it names no device or TEID.
 */
int e2m_key_event_parse(struct genl_conn *conn, uint8_t cmd,
			struct nlattr **tb, struct e2m_key_event *event);

/*
 * The flow of a reply or an event (tb: the top-level attributes, as
 * genl_reply_fn has them). 0 or -EBADMSG with conn->error set.
 */
int e2m_flow_parse(struct genl_conn *conn, struct nlattr **tb,
		   struct e2m_flow *flow);

#endif /* E2M_KERNEL_E2M_FLOW_H */
