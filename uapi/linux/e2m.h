/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * e2m: end-to-middle protection of the user traffic of 3GPP (MTC/IoT) devices.
 *
 * This header is the whole user/kernel ABI of the e2m module.
 *
 * Key types
 * =========
 *
 * e2m keeps its keys in the kernel keyrings, in two key types of its own. Keys
 * are created with add_key(2) (or `keyctl padd TYPE DESC KEYRING < payload`),
 * listed by `keyctl show` and /proc/keys, and can be revoked and given a
 * timeout like any other key. They can never be read back: KEYCTL_READ fails
 * with EOPNOTSUPP. The kernel wipes the key bytes when a key is revoked or
 * destroyed. Updating a key in place is not supported: a rekey is a new key
 * (under a new Key ID), so that a flow never sees its keys change under it.
 *
 * All multi-octet integers in the payloads are in host byte order. Every
 * reserved field must be zero; a payload with an unknown version, a wrong
 * size, an unknown algorithm or a non-zero reserved field is refused with
 * EINVAL and no key is created. An algorithm that e2m knows but this kernel
 * module does not implement yet is refused with ENOPKG.
 *
 * "e2mkeyset" (E2M_KEYSET_KEY_TYPE): one e2mKEYSET, the per-flow pair of
 *	confidentiality and integrity keys (K_enc, K_int) for the protection of
 *	N-PDUs, with the 3-bit Key ID under which they are used. Payload: struct
 *	e2m_keyset_payload, exactly sizeof(struct e2m_keyset_payload) octets.
 *	The description is free text chosen by the agent (it should name the
 *	subscriber and the Key ID, e.g. "imsi:001010000000001 kid:1"); /proc/keys
 *	appends the Key ID and the algorithms, never the key bytes.
 *
 * "ks_local" (E2M_KS_LOCAL_KEY_TYPE): one 256-bit local key,
 *	Ks_local_device (TS 33.259, remote device and NAF Key Centre) or
 *	Ks_local_MT (MT and external device), with the identifiers it was
 *	derived for. Payload: struct e2m_ks_local_payload followed by the
 *	identifiers B-TID, NAF_Id and Device_ID back to back, without
 *	terminators; the payload is exactly the header plus the three lengths.
 *
 * A non-zero lifetime (seconds) in a payload sets the key's expiry at the
 * moment it is created, so that no window exists in which the key lives
 * without one; `keyctl timeout` can change it later.
 *
 * Generic netlink family "e2m" (E2M_GENL_NAME)
 * ============================================
 *
 * An e2m device (`ip link add e2m0 type e2m`) is a layer-3 device whose
 * traffic is carried in GTP-U (v1) over UDP, every N-PDU protected with
 * the e2mKEYSET of its flow (see Documentation/packet-format.md). Every
 * command needs CAP_NET_ADMIN in the user namespace that owns the device's
 * network namespace (EPERM otherwise, before anything else), names the
 * device by E2M_A_IFINDEX or E2M_A_IFNAME, and is refused with an extack
 * message when an attribute is missing, out of range, or has bits set that
 * this version does not know. Nothing changes when a command fails.
 *
 * E2M_CMD_DEV_GET (doit or dumpit): the device(s): E2M_A_IFINDEX,
 *	E2M_A_IFNAME, E2M_A_ROLE, E2M_A_PORT, E2M_A_REPLAY_WINDOW,
 *	E2M_A_COUNT_NOTIFY, E2M_A_COUNT_LIMIT, E2M_A_RX_CPUS (only while
 *	receive steering is on), E2M_A_FLOWS (number of flows)
 *	E2M_A_STATS (nested e2m_stats_attr: the drops that belong to no
 *	flow) and E2M_A_STATS_TOTAL (the same counters summed over the
 *	device and every flow it has had, deleted ones included: they only
 *	ever grow while the device lives, whatever flows come and go).
 * E2M_CMD_DEV_SET: changes E2M_A_ROLE (only while the device has no flow),
 *	E2M_A_PORT (the UDP port it listens on and sends from; default 2152),
 *	E2M_A_REPLAY_WINDOW (64..8192, a multiple of 64; default 2048; applies
 *	to keys bound afterwards), E2M_A_COUNT_NOTIFY and E2M_A_COUNT_LIMIT
 *	(see Key life below), E2M_A_RX_CPUS (see Receive steering below).
 * E2M_CMD_FLOW_NEW: a flow, one per PDP context / PDU session, in E2M_A_FLOW
 *	(nested e2m_flow_attr): LOCAL_TEID (the TEID the peer sends to, unique
 *	on the device, not 0), REMOTE_TEID, PEER_IPV4 or PEER_IPV6, PEER_PORT
 *	(default 2152), and INNER_IPV4 and/or INNER_IPV6: the device's
 *	addresses inside the tunnel, unique on the device. A HSE device sends a
 *	packet on the flow whose inner address is the packet's destination, a
 *	UE device on the flow whose inner address is the packet's source; a
 *	received packet must come from (HSE) or go to (UE) that address.
 * E2M_CMD_FLOW_SET: changes REMOTE_TEID, the peer (either family), its port
 *	or the inner addresses of the flow named by LOCAL_TEID, all or
 *	nothing: refused or failed, it leaves the flow as it was. An
 *	IPv4-mapped INNER_IPV6 is refused (here and in FLOW_NEW).
 * E2M_CMD_FLOW_DEL: removes the flow named by LOCAL_TEID, with its keys.
 * E2M_CMD_FLOW_GET (doit, or dumpit of all flows of one device in TEID
 *	order, continued across messages): the flow, its E2M_FLOW_A_STATS and
 *	one E2M_FLOW_A_SLOT (nested e2m_slot_attr) per bound key: Key ID, key
 *	serial, algorithms, next transmit COUNT, highest COUNT received,
 *	MACs that failed to verify (E2M_SLOT_A_MAC_FAILURES), state, the
 *	key's type (E2M_SLOT_A_KEY_TYPE, enum e2m_key_kind) and expiry
 *	(E2M_SLOT_A_EXPIRY: seconds since the epoch, 0 for none; for a
 *	revoked key, when it was revoked). Never a key byte.
 * E2M_CMD_KEY_BIND: binds the "e2mkeyset" or "ks_local" key
 *	E2M_FLOW_A_KEY_SERIAL to the flow. The key must be searchable by the
 *	caller, of one of those types, alive, with algorithms this module
 *	implements; a user, logon or dead key is refused. An e2mkeyset goes in
 *	the slot of its own Key ID, with its own algorithms: E2M_FLOW_A_KEY_ID
 *	and E2M_FLOW_A_KEY_ALG are refused with it (EINVAL). A ks_local key
 *	(a local link: the MT's device has the role hse, the remote or
 *	external device ue, so DIRECTION 0 is device to MT) needs both: it
 *	goes in the slot of E2M_FLOW_A_KEY_ID, and the module derives the
 *	link's K_enc and K_int for algorithm E2M_FLOW_A_KEY_ALG from its
 *	Ks_local (E2M_KS_LINK_FC below), so that they never exist in
 *	userspace; algorithm 0 (NIA0) is refused with EINVAL, 1 and 3 with
 *	ENOPKG, an unknown one with EINVAL. Everything below about key sets
 *	holds for a ks_local key: its COUNT state is its Ks_local's. A flow has at
 *	most two slots. The first key bound is the one used to transmit.
 *	E2M_FLOW_A_KEY_FLAGS (u32, enum e2m_key_flags; unknown bits refused):
 *	E2M_KEY_F_TX_ON_RX binds the key without transmitting with it yet
 *	(unless the flow has no key to transmit with): the first packet from
 *	the peer under it that passes the MAC and replay checks makes it the
 *	key used to transmit, once. Until then the slot's E2M_SLOT_A_TX_PENDING
 *	is 1.
 *	The transmit COUNT belongs to the key's bytes, per DIRECTION: the
 *	kernel keeps the last COUNT sent under the K_enc of an e2mkeyset key
 *	(the Ks_local of a ks_local key) for DIRECTION 0 (ue devices) and 1
 *	(hse devices), and every bind of a key with those bytes, on any flow
 *	of any device, carries on above it (the first starts at 1): an
 *	unbind and bind, a flow deleted and created again, or the same bytes
 *	added again as a new key (the same Ks_local handed out again under
 *	one bootstrap) never start COUNT again. The bytes are remembered
 *	after their last key is gone, until more than the module parameter
 *	material_retain_max retired after them. At most one slot transmits
 *	with a key in a direction: binding it while it is bound elsewhere in
 *	that direction is refused with EBUSY. Bytes that went past a COUNT
 *	limit are spent in that direction for good, and bytes whose slot hit
 *	the MAC-failure limit in both: binding a key of them again is refused
 *	with EKEYREJECTED.
 *	A Key ID can be bound once (EEXIST), except in place of a dead slot
 *	(state E2M_SLOT_DEAD, not E2M_SLOT_EXHAUSTED): the new key takes over
 *	that slot and carries on from it: its next transmit COUNT, its replay
 *	window (see below) and, if the dead slot was the one used to transmit,
 *	transmission. This is for binding the same key set again after its
 *	key died (an agent that flushed its keys pulls them again): starting
 *	COUNT at 1 again would reuse keystream. If the device's replay window
 *	changed since the dead slot was bound, the new slot has the new size;
 *	a COUNT the dead slot's window had already passed stays refused.
 * E2M_CMD_KEY_USE: transmits from now on with the slot E2M_FLOW_A_KEY_ID.
 *	An explicit choice: it clears the pending E2M_KEY_F_TX_ON_RX switch of
 *	every slot of the flow.
 * E2M_CMD_KEY_UNBIND: drops the slot E2M_FLOW_A_KEY_ID (not the one in use
 *	for transmission while another slot is bound).
 *
 * Receive accepts every bound Key ID, so a rekey is make-before-break:
 * bind the new key on both ends, switch transmission with KEY_USE on both
 * ends, then unbind the old one. With E2M_KEY_F_TX_ON_RX one end (the
 * gateway) binds the new key first and switches by itself when the other
 * end, having bound it and switched with KEY_USE, sends under it: no
 * packet goes out under a key the peer does not have yet.
 *
 * Key life and notifications (multicast group E2M_MCGRP_EVENTS)
 * --------------------------------------------------------------
 *
 * A bound key that is revoked, invalidated or expires stops its slot at the
 * next packet (drop reason DEAD_KEY), and the kernel sends E2M_CMD_EVENT_KEY
 * with E2M_A_EVENT_REASON once per slot. A revoked key's slots drop their
 * transforms and derived subkeys at the revoke itself (after an RCU grace
 * period); an expired or invalidated key's, when the slot next sees it
 * dead. The slot stays, state E2M_SLOT_DEAD, until unbound.
 *
 * Failed MACs are limited: each is a guess at the 32-bit MAC-I. Every slot
 * counts the MACs received under it that did not verify
 * (E2M_SLOT_A_MAC_FAILURES, also in the flow's DROP_AUTH); at the module
 * parameter mac_fail_limit (default 1024, 1..2^20, read when the key is
 * bound), the slot is killed: state E2M_SLOT_MAC_LIMIT, nothing sent or
 * accepted with it any more (DEAD_KEY), its transforms dropped, and
 * E2M_CMD_EVENT_KEY with reason E2M_EVENT_MAC_FAILURES is sent once. Its
 * key set is spent for good: binding it, or a new key of the same bytes,
 * again, on any flow and in either direction, is refused with
 * EKEYREJECTED, and a new key does not take
 * over the killed slot (EEXIST: unbind it first).
 *
 * Key mismatch, on a slot bound to a ks_local key only: the module
 * parameter key_mismatch_failures (default 8, 1..2^20, read at bind)
 * failed MACs in a row, with no packet accepted (MAC and replay checks
 * passed) in between, mean that the peer holds another Ks_local. The
 * kernel sends E2M_CMD_EVENT_KEY with reason E2M_EVENT_KEY_MISMATCH once,
 * and again only after a packet was accepted under the slot and a new run
 * reached the limit. The slot stays live; mac_fail_limit applies as
 * before, independently. The agent re-establishes the key and binds it
 * make-before-break.
 *
 * A ks_local key's lifetime is its expiry: the first packet after it is
 * dropped (DEAD_KEY) with reason E2M_EVENT_KEY_EXPIRED, as for any key.
 *
 * A sender never wraps COUNT: when the next COUNT reaches
 * E2M_A_COUNT_NOTIFY it sends E2M_CMD_EVENT_KEY (reason COUNT_NOTIFY)
 * once, beyond E2M_A_COUNT_LIMIT it drops (COUNTER_EXHAUSTED) and
 * notifies once (reason COUNT_EXHAUSTED). A G-PDU for
 * a TEID without a flow, or for a flow without a live key for its Key ID,
 * sends E2M_CMD_EVENT_NO_KEY, rate-limited per device, so that the agent can
 * fetch the key on demand. Events carry E2M_A_IFINDEX and E2M_A_FLOW with
 * LOCAL_TEID, and KEY_ID / KEY_SERIAL where there is a key. Joining the
 * group needs CAP_NET_ADMIN as the commands do (EPERM otherwise): events
 * name TEIDs and key serials.
 *
 * Staged packets
 * --------------
 *
 * A packet a flow cannot protect or verify for want of a key (no slot, or
 * a dead one: revoked, expired or invalidated, not one killed for failed
 * MACs, not COUNT exhausted) is not dropped at once: it waits in the
 * flow's stage, one queue per direction, while the agent pulls the key
 * after the event above, and leaves in order through the normal path
 * once a KEY_BIND gave the flow a usable key: COUNT is taken at that
 * moment, and a received packet is checked (MAC, replay) under the key
 * bound, as any other. A packet that arrives while packets of its
 * direction wait goes behind them. Bounds: E2M_STAGE_FLOW_PACKETS and
 * E2M_STAGE_FLOW_BYTES (skb truesize) per flow and direction, beyond
 * which a packet is dropped (DROP_STAGE_FULL), and E2M_STAGE_DEVICE_BYTES
 * for all the flows of a device (DROP_STAGE_DEVICE_FULL). The wait: the
 * module parameter stage_ms (milliseconds, default 3000, at most
 * E2M_STAGE_MS_MAX, 0 turns staging off: such packets are dropped as
 * NO_KEY or DEAD_KEY at once) after the first packet staged in an empty
 * stage, everything still staged is dropped (DROP_STAGE_EXPIRED). A flow
 * deleted, or its device, drops its staged packets as DROP_STAGE_FLUSHED,
 * counted on the device (the flow's counters go with it). Every staged
 * packet is counted once in TX_STAGED or RX_STAGED and then once more,
 * as sent, received or under one drop reason. FLOW_GET's E2M_FLOW_A_STAGED
 * is the number of packets waiting now, DEV_GET's E2M_A_STAGED_BYTES
 * their truesize on the device.
 *
 * Receive steering
 * ----------------
 *
 * Off in a new device: a G-PDU is verified and decrypted on the CPU that
 * received it, in that CPU's softirq. A NIC hashes GTP-U by the outer
 * addresses and ports, the same for every flow of one peer, so one CPU
 * would decrypt all of them. E2M_A_RX_CPUS (DEV_SET) names the CPUs that
 * decrypt instead: a bitmap of __u32 words in host order, CPU n being bit
 * n % 32 of word n / 32, 4 to E2M_RX_CPUS_MAX_LEN octets, a multiple
 * of 4; a CPU the kernel cannot have (n >= nr_cpu_ids) is refused with
 * EINVAL, every bit clear turns steering off. Each flow's G-PDUs then go,
 * once their GTP-U header is parsed, to one CPU of the set chosen by its
 * local TEID (a hash), so a flow's packets keep their order; there, in a
 * NAPI context of the device, the rest of receive runs as it would have.
 * A CPU of the set that is offline when a packet comes leaves the packet
 * to the CPU that received it. A change of the set reorders at most the
 * packets waiting at that moment. Each CPU's queue for the device holds
 * at most the module parameter rx_queue_len packets (default
 * E2M_RX_QUEUE_LEN_DEFAULT, 1..E2M_RX_QUEUE_LEN_MAX), beyond which a
 * packet is dropped (DROP_STEER_FULL, on the device); RX_STEERED counts
 * the packets queued, the receiving CPU's own included. Packets still
 * queued when the device goes are freed with it. Keep the CPUs that
 * take the NIC's interrupts out of the set, so that the decryption runs
 * beside, not on top of, the receive.
 */
#ifndef _UAPI_LINUX_E2M_H
#define _UAPI_LINUX_E2M_H

#include <linux/types.h>

#define E2M_KEYSET_KEY_TYPE	"e2mkeyset"
#define E2M_KS_LOCAL_KEY_TYPE	"ks_local"

/*
 * Algorithm identifiers, as the 3GPP 4-bit NEA/NIA identifiers: the same
 * number names the ciphering (NEAx) and the integrity (NIAx) algorithm.
 */
enum e2m_alg {
	E2M_ALG_NULL	= 0,	/* NEA0 / NIA0; NIA0 is never accepted */
	E2M_ALG_SNOW3G	= 1,	/* 128-NEA1 / 128-NIA1 */
	E2M_ALG_AES	= 2,	/* 128-NEA2 / 128-NIA2 */
	E2M_ALG_ZUC	= 3,	/* 128-NEA3 / 128-NIA3 */
};

#define E2M_KEY_ID_MAX		7	/* the Key ID is 3 bits */
#define E2M_ALG_KEY_LEN		16	/* 128-bit NEA/NIA keys */

#define E2M_KEYSET_PAYLOAD_V1	1

/**
 * struct e2m_keyset_payload - payload of an "e2mkeyset" key
 * @version:	E2M_KEYSET_PAYLOAD_V1
 * @enc_alg:	ciphering algorithm, enum e2m_alg
 * @int_alg:	integrity algorithm, enum e2m_alg; never E2M_ALG_NULL
 * @key_id:	Key ID, 0..E2M_KEY_ID_MAX; carried in every protected N-PDU
 * @lifetime:	seconds until the key expires, 0 for no expiry
 * @reserved:	must be zero
 * @k_enc:	K_enc
 * @k_int:	K_int
 */
struct e2m_keyset_payload {
	__u8	version;
	__u8	enc_alg;
	__u8	int_alg;
	__u8	key_id;
	__u32	lifetime;
	__u32	reserved;
	__u8	k_enc[E2M_ALG_KEY_LEN];
	__u8	k_int[E2M_ALG_KEY_LEN];
};

#define E2M_KS_LOCAL_PAYLOAD_V1	1
#define E2M_KS_LOCAL_KEY_LEN	32	/* 256 bits */
#define E2M_UA_PROTO_ID_LEN	5	/* TS 33.220 Annex H */
#define E2M_NAF_ID_MAX		(253 + E2M_UA_PROTO_ID_LEN) /* FQDN || Ua id */

/*
 * The link keys of a ks_local key bound to a flow (e2m profile): K_enc and
 * K_int = low128(HMAC-SHA-256(Ks_local, FC || P0 || 00 01 || P1 || 00 01)),
 * FC the two octets 0xFF 0xE5, P0 the distinguisher (0x01 K_enc, 0x02
 * K_int), P1 the algorithm (enum e2m_alg). One place for the agent's KAT
 * and the module.
 */
#define E2M_KS_LINK_FC		0xffe5
#define E2M_KS_LINK_DIST_ENC	0x01
#define E2M_KS_LINK_DIST_INT	0x02

enum e2m_ks_local_kind {
	E2M_KS_LOCAL_DEVICE	= 1,	/* Ks_local_device, TS 33.259 */
	E2M_KS_LOCAL_MT		= 2,	/* Ks_local_MT */
};

/**
 * struct e2m_ks_local_payload - payload of a "ks_local" key
 * @version:	E2M_KS_LOCAL_PAYLOAD_V1
 * @kind:	enum e2m_ks_local_kind
 * @btid_len:	length of the B-TID, 1..255 printable ASCII octets
 * @device_id_len: length of the Device_ID, 1..255 printable ASCII octets
 * @naf_id_len:	length of the NAF_Id: a printable FQDN of 1..253 octets
 *		followed by the 5-octet Ua security protocol identifier
 * @reserved:	must be zero
 * @lifetime:	seconds until the key expires, 0 for no expiry
 * @key:	Ks_local_device or Ks_local_MT
 * @ids:	B-TID || NAF_Id || Device_ID
 */
struct e2m_ks_local_payload {
	__u8	version;
	__u8	kind;
	__u8	btid_len;
	__u8	device_id_len;
	__u16	naf_id_len;
	__u16	reserved;
	__u32	lifetime;
	__u8	key[E2M_KS_LOCAL_KEY_LEN];
	__u8	ids[];
};

#define E2M_GENL_NAME		"e2m"
#define E2M_GENL_VERSION	1
#define E2M_MCGRP_EVENTS	"events"

#define E2M_GTPU_PORT		2152
#define E2M_REPLAY_WINDOW_MIN	64
#define E2M_REPLAY_WINDOW_MAX	8192
#define E2M_REPLAY_WINDOW_DEFAULT 2048
#define E2M_MAX_SLOTS		2

/* The bounds of the packets waiting for a key (Staged packets above). */
#define E2M_STAGE_FLOW_PACKETS	16		/* per flow and direction */
#define E2M_STAGE_FLOW_BYTES	65536		/* truesize, same */
#define E2M_STAGE_DEVICE_BYTES	(4 << 20)	/* truesize, all flows */
#define E2M_STAGE_MS_MAX	60000		/* module parameter stage_ms */

/* Receive steering (above): E2M_A_RX_CPUS and each CPU's queue. */
#define E2M_RX_CPUS_MAX_LEN	1024		/* octets: 8192 CPUs */
#define E2M_RX_QUEUE_LEN_DEFAULT 1000		/* packets, as netdev_max_backlog */
#define E2M_RX_QUEUE_LEN_MAX	65536

enum e2m_role {
	E2M_ROLE_HSE	= 1,	/* network side: sends DIRECTION 1, accepts 0 */
	E2M_ROLE_UE	= 2,	/* device side: sends DIRECTION 0, accepts 1 */
};

enum e2m_cmd {
	E2M_CMD_UNSPEC,
	E2M_CMD_DEV_GET,
	E2M_CMD_DEV_SET,
	E2M_CMD_FLOW_NEW,
	E2M_CMD_FLOW_SET,
	E2M_CMD_FLOW_DEL,
	E2M_CMD_FLOW_GET,
	E2M_CMD_KEY_BIND,
	E2M_CMD_KEY_USE,
	E2M_CMD_KEY_UNBIND,
	E2M_CMD_EVENT_KEY,
	E2M_CMD_EVENT_NO_KEY,
	__E2M_CMD_MAX
};

#define E2M_CMD_MAX (__E2M_CMD_MAX - 1)

enum e2m_attr {
	E2M_A_UNSPEC,
	E2M_A_PAD,
	E2M_A_IFINDEX,		/* u32 */
	E2M_A_IFNAME,		/* string */
	E2M_A_ROLE,		/* u8, enum e2m_role */
	E2M_A_PORT,		/* u16, host order */
	E2M_A_REPLAY_WINDOW,	/* u32, packets */
	E2M_A_COUNT_NOTIFY,	/* u32 */
	E2M_A_COUNT_LIMIT,	/* u32 */
	E2M_A_FLOWS,		/* u32, number of flows (output) */
	E2M_A_STATS,		/* nested, enum e2m_stats_attr */
	E2M_A_FLOW,		/* nested, enum e2m_flow_attr */
	E2M_A_EVENT_REASON,	/* u8, enum e2m_event_reason */
	E2M_A_STAGED_BYTES,	/* u32, truesize of the packets staged (output) */
	E2M_A_STATS_TOTAL,	/* nested, enum e2m_stats_attr (output) */
	E2M_A_RX_CPUS,		/* binary, CPU bitmap, see Receive steering */
	__E2M_A_MAX
};

#define E2M_A_MAX (__E2M_A_MAX - 1)

enum e2m_flow_attr {
	E2M_FLOW_A_UNSPEC,
	E2M_FLOW_A_PAD,
	E2M_FLOW_A_LOCAL_TEID,	/* u32 */
	E2M_FLOW_A_REMOTE_TEID,	/* u32 */
	E2M_FLOW_A_PEER_IPV4,	/* be32 */
	E2M_FLOW_A_PEER_IPV6,	/* struct in6_addr */
	E2M_FLOW_A_PEER_PORT,	/* u16, host order */
	E2M_FLOW_A_INNER_IPV4,	/* be32 */
	E2M_FLOW_A_INNER_IPV6,	/* struct in6_addr */
	E2M_FLOW_A_FLAGS,	/* u32, none defined yet: must be 0 */
	E2M_FLOW_A_KEY_SERIAL,	/* s32, KEY_BIND */
	E2M_FLOW_A_KEY_ID,	/* u8, KEY_USE, KEY_UNBIND */
	E2M_FLOW_A_TX_KEY_ID,	/* u8, output */
	E2M_FLOW_A_SLOT,	/* nested, enum e2m_slot_attr (output, repeated) */
	E2M_FLOW_A_STATS,	/* nested, enum e2m_stats_attr (output) */
	E2M_FLOW_A_KEY_FLAGS,	/* u32, enum e2m_key_flags, KEY_BIND */
	E2M_FLOW_A_KEY_ALG,	/* u8, enum e2m_alg, KEY_BIND of a ks_local */
	E2M_FLOW_A_STAGED,	/* u32, packets waiting for a key (output) */
	__E2M_FLOW_A_MAX
};

#define E2M_FLOW_A_MAX (__E2M_FLOW_A_MAX - 1)

/* Flags of a KEY_BIND (E2M_FLOW_A_KEY_FLAGS). */
enum e2m_key_flags {
	E2M_KEY_F_TX_ON_RX	= 1 << 0, /* transmit once the peer used it */
};

/* The type of the key bound in a slot (E2M_SLOT_A_KEY_TYPE). */
enum e2m_key_kind {
	E2M_KEY_KIND_KEYSET	= 1,	/* "e2mkeyset": K_enc, K_int as given */
	E2M_KEY_KIND_KS_LOCAL	= 2,	/* "ks_local": K_enc, K_int derived */
};

enum e2m_slot_state {
	E2M_SLOT_LIVE		= 1,
	E2M_SLOT_DEAD		= 2,	/* key revoked, invalidated or expired */
	E2M_SLOT_EXHAUSTED	= 3,	/* COUNT_LIMIT reached */
	E2M_SLOT_MAC_LIMIT	= 4,	/* killed: mac_fail_limit failed MACs */
};

enum e2m_slot_attr {
	E2M_SLOT_A_UNSPEC,
	E2M_SLOT_A_PAD,
	E2M_SLOT_A_KEY_ID,	/* u8 */
	E2M_SLOT_A_KEY_SERIAL,	/* s32 */
	E2M_SLOT_A_ENC_ALG,	/* u8, enum e2m_alg */
	E2M_SLOT_A_INT_ALG,	/* u8, enum e2m_alg */
	E2M_SLOT_A_TX_COUNT,	/* u64, the next COUNT to send */
	E2M_SLOT_A_RX_COUNT,	/* u64, the highest COUNT accepted */
	E2M_SLOT_A_STATE,	/* u8, enum e2m_slot_state */
	E2M_SLOT_A_TX_PENDING,	/* u8, 1: E2M_KEY_F_TX_ON_RX not yet done */
	E2M_SLOT_A_MAC_FAILURES, /* u64, MACs received that did not verify */
	E2M_SLOT_A_KEY_TYPE,	/* u8, enum e2m_key_kind */
	E2M_SLOT_A_EXPIRY,	/* u64, the key's expiry (s since the epoch), 0: none */
	__E2M_SLOT_A_MAX
};

#define E2M_SLOT_A_MAX (__E2M_SLOT_A_MAX - 1)

/*
 * Counters, all u64. Every packet e2m drops is counted under exactly one
 * reason; per flow where the flow is known, per device otherwise.
 */
enum e2m_stats_attr {
	E2M_STATS_A_UNSPEC,
	E2M_STATS_A_PAD,
	E2M_STATS_A_RX_PACKETS,		/* N-PDUs delivered */
	E2M_STATS_A_RX_BYTES,		/* their inner length */
	E2M_STATS_A_TX_PACKETS,		/* N-PDUs protected and sent */
	E2M_STATS_A_TX_BYTES,		/* their inner length */
	E2M_STATS_A_DROP_NO_FLOW,	/* no flow for TEID / inner address */
	E2M_STATS_A_DROP_BAD_HEADER,	/* malformed GTP-U or e2m header */
	E2M_STATS_A_DROP_TOO_SHORT,	/* shorter than header + MAC */
	E2M_STATS_A_DROP_AUTH,		/* MAC-I did not verify */
	E2M_STATS_A_DROP_REPLAY,	/* COUNT seen or left of the window */
	E2M_STATS_A_DROP_DEAD_KEY,	/* key revoked, invalidated, expired */
	E2M_STATS_A_DROP_NO_KEY,	/* no key bound for the Key ID */
	E2M_STATS_A_DROP_COUNTER_EXHAUSTED, /* COUNT_LIMIT reached */
	E2M_STATS_A_DROP_INNER,		/* inner packet not IP, or address */
	E2M_STATS_A_DROP_NOT_GPDU,	/* GTP-U message other than G-PDU */
	E2M_STATS_A_DROP_NO_ROUTE,	/* no route to the peer */
	E2M_STATS_A_DROP_NOMEM,		/* could not make the packet writable */
	E2M_STATS_A_DROP_CRYPTO,	/* the crypto API kept the work, or failed */
	E2M_STATS_A_DROP_STAGE_FULL,	/* no key, and the flow's stage full */
	E2M_STATS_A_DROP_STAGE_DEVICE_FULL, /* no key, the device's stages full */
	E2M_STATS_A_DROP_STAGE_EXPIRED,	/* staged, no key within stage_ms */
	E2M_STATS_A_DROP_STAGE_FLUSHED,	/* staged, the flow deleted (device's) */
	E2M_STATS_A_TX_STAGED,		/* sent packets that waited for a key */
	E2M_STATS_A_RX_STAGED,		/* received ones that waited for a key */
	E2M_STATS_A_DROP_STEER_FULL,	/* its CPU's queue full (device's) */
	E2M_STATS_A_RX_STEERED,		/* queued for their CPU (device's) */
	__E2M_STATS_A_MAX
};

#define E2M_STATS_A_MAX (__E2M_STATS_A_MAX - 1)

enum e2m_event_reason {
	E2M_EVENT_KEY_REVOKED		= 1,
	E2M_EVENT_KEY_EXPIRED		= 2,
	E2M_EVENT_KEY_INVALID		= 3,	/* invalidated or gone */
	E2M_EVENT_COUNT_NOTIFY		= 4,
	E2M_EVENT_COUNT_EXHAUSTED	= 5,
	E2M_EVENT_UNKNOWN_TEID		= 6,
	E2M_EVENT_NO_LIVE_KEY		= 7,
	E2M_EVENT_MAC_FAILURES		= 8,	/* slot killed, see above */
	E2M_EVENT_KEY_MISMATCH		= 9,	/* ks_local: the peer's key differs */
};

#endif /* _UAPI_LINUX_E2M_H */
