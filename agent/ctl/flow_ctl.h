/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The flow and key operations of cmd_device.c (generic netlink, family
 * "e2m") for the commands that run them as steps of their own: e2mctl
 * attach creates the UE's flow and binds its key. Each reports a failure
 * as the device commands do, "e2mctl: <command>: <why>", and returns the
 * exit status (0, EXIT_FAILURE).
 */
#ifndef E2MCTL_FLOW_CTL_H
#define E2MCTL_FLOW_CTL_H

#include <stdbool.h>
#include <stdint.h>

#include <keyutils.h>
#include <linux/e2m.h>

#define FLOW_CTL_SLOTS_MAX	E2M_MAX_SLOTS
#define FLOW_CTL_KEY_LEN	E2M_ALG_KEY_LEN

struct flow_ctl_flow {
	uint32_t teid, remote_teid;
	const char *peer;		/* IPv4 or IPv6 text */
	uint16_t peer_port;
	const char *inner_ipv4;
};

/* What a flow has bound. */
struct flow_ctl_slots {
	bool found;			/* the flow exists */
	bool has_tx_key_id;
	uint8_t tx_key_id;		/* the slot transmitting */
	unsigned int nslots;
	uint8_t key_id[FLOW_CTL_SLOTS_MAX];
};

/* The slots of the flow teid on dev; found false when it has none. */
int flow_ctl_slots(const char *command, const char *dev, uint32_t teid,
		   struct flow_ctl_slots *out);
int flow_ctl_add(const char *command, const char *dev,
		 const struct flow_ctl_flow *flow);
int flow_ctl_del(const char *command, const char *dev, uint32_t teid);
int flow_ctl_bind(const char *command, const char *dev, uint32_t teid,
		  int32_t serial);
int flow_ctl_use(const char *command, const char *dev, uint32_t teid,
		 uint8_t key_id);
int flow_ctl_unbind(const char *command, const char *dev, uint32_t teid,
		    uint8_t key_id);

/*
 * A --keyring value: @t, @p, @s, @u, @us or a keyring's serial; a usage
 * error (EXIT_USAGE) otherwise.
 */
int flow_ctl_parse_keyring(const char *command, const char *text,
			   key_serial_t *ring);

/*
 * Adds an "e2mkeyset" key (128-NEA2/128-NIA2, no expiry) with that Key ID
 * and description to ring; its serial in *serial. The payload is wiped.
 */
int flow_ctl_add_keyset(const char *command, uint8_t key_id,
			const uint8_t k_enc[FLOW_CTL_KEY_LEN],
			const uint8_t k_int[FLOW_CTL_KEY_LEN],
			const char *description, key_serial_t ring,
			key_serial_t *serial);

#endif /* E2MCTL_FLOW_CTL_H */
