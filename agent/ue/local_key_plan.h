/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A remote / external device's decisions in local key establishment (TS
 * 33.259 4.5.2 steps 1-18, seed 001 8.1 and 8.3), apart from their
 * execution (ue/local_key.h) so that they can be tested without an MT, a
 * Key Centre or a kernel (Documentation/local-key-establishment.md):
 *
 * local_key_plan_start() - what the device does first, given its stored
 *	Ks_local rows (newest first) and the clock:
 *
 *	a stored key of this Device_ID and	use it (seed 001 8.1, step 1:
 *	  label with at least			no procedure); first of the
 *	  LOCAL_KEY_LIFETIME_MIN left, for	device's own NAF-IDs that has
 *	  one of the device's own NAF-IDs	one, in its order; without own
 *	  (any NAF-ID when it has none)		NAF-IDs the newest such row;
 *	  and renew not asked			then also
 *	    not in the keyring (serial 0 or	  install it (what is left of
 *	      the key gone), kernel wanted	  its lifetime)
 *	    the MT never acknowledged step 18	  send the completion notice
 *	none, own NAF-IDs, not ask_mt		the B-TID request for the first
 *						own NAF-ID (step 2 skipped)
 *	none, else				ask the MT for its NAF-ID list
 *						(step 2)
 *
 * local_key_plan_pick() - the NAF-ID to take from the MT's list (step 4):
 *	the first of the list the device can use, in the MT's order (EF_NAFKCA
 *	priority): one of its own NAF-IDs (any case), or without own
 *	NAF-IDs the MT's first. -ENOENT when none is one of its own.
 *
 * local_key_plan_mt_answer() - whether what the MT answered a message is
 *	its answer: naf-id-list to naf-id-list-request, btid with the
 *	requested NAF-ID (any case) to btid-request, complete-ack to
 *	complete, rekey-request for the watched NAF-ID (any case) and
 *	Device_ID to rekey-watch (the MT asks the device to establish
 *	again: renew), each with the request's id: 0. An error with the id:
 *	-EPERM, why "the MT refused the <type>: <token> (<detail>)". Any other
 *	answer: -EPROTO, why naming what is wrong.
 *
 * local_key_plan_kc_answer() - whether the Key Centre's answer (step 16)
 *	is for this request: the B-TID, Device_ID and label asked for and the
 *	NAF_Id of the NAF-ID the MT derived with; then the key's end, the
 *	earlier of the answer's expires and now + lifetime, into *expires:
 *	0, or -EPROTO with why.
 *
 * local_key_plan_lifetime() - the ks_local key's expiry in the keyring:
 *	what is left at now of a key that ends at expires, at least 1, at
 *	most UINT32_MAX seconds.
 *
 * local_key_plan_bind() - how the local link's flow moves to the
 *	ks_local key of serial, given the flow as the kernel has it (the
 *	device's e2m device in role ue: DIRECTION 0 is device to MT); base
 *	is the link's first Key ID, its Key IDs alternate between base and base + 1
 *	(mod 8) so that the old and the new key are both bound while the
 *	flow moves (make before break):
 *
 *	a live slot with serial		nothing (-EALREADY, key_id its
 *					Key ID)
 *	no slot transmitting		bind at base (the first key bound
 *					transmits); a slot there is
 *					unbound first
 *	the transmitting slot dead	bind in place of it (the kernel
 *	  (its key expired, revoked)	carries COUNT and the replay window
 *					over, so a Ks_local installed again
 *					never sends a COUNT twice under one
 *					BEARER), no other step
 *	  or its key's expiry reached	the same: the kernel marks a slot
 *	  by now			dead at its next packet only, and
 *					the two ends of a link whose keys
 *					ended at the same second must not
 *					part (one in place, one moving on)
 *	the transmitting slot alive,	bind at the other Key ID of the two
 *	  exhausted or killed for MACs	(base when it is neither), transmit
 *					with it (KEY_USE), then unbind the
 *					old slot
 *	and in the last two cases, the slot that is not transmitting (two
 *	slots: one left by a run cut short) is unbound first.
 *
 * local_key_plan_keep() - what becomes of a Ks_local a run just got (the
 *	device's from the Key Centre, the MT's derived) beside the row of the
 *	same Device_ID and NAF_Id it replaces. Ks_local depends only on
 *	Ks_(ext)_NAF, the label, B-TID, NAF_Id and Device_ID (PROFILE.md
 *	2), so every run under one bootstrap gives the same bytes again; as
 *	a new ks_local key (a new serial) they would start COUNT again and
 *	send a keystream twice:
 *
 *	no kernel key wanted		add (the store only, as ever)
 *	no row before			add
 *	a row of another B-TID		add (a new bootstrap, new bytes; the
 *					flow moves make before break)
 *	the same B-TID, other bytes	add (another label: another key)
 *	  (compared in constant time)
 *	the same B-TID and bytes, the	add (installed again; the kernel
 *	  row's kernel key gone		carries COUNT over in place of the
 *	  (serial 0, revoked, expired)	dead slot)
 *	the same B-TID and bytes, the	extend: that serial kept, its expiry
 *	  row's kernel key alive	moved to the new end
 *					(KEYCTL_SET_TIMEOUT) and the row's
 *					too; no new key, no new Key ID, no
 *					bind
 *
 * local_key_plan_rebind() - local_key_plan_bind() for a kept key (extend
 *	above): the key is the one the link had, so the flow does not move
 *	to the other Key ID (the other end keeps it under the Key ID it has).
 *	As local_key_plan_bind(), except where that moves a live
 *	transmitting slot of another key: that slot (the other slot first,
 *	if any) is unbound and the kept key bound at its Key ID, where it
 *	transmits (the only slot); its COUNT carries on, the kernel's state
 *	being the key's. The kept key's own slot exhausted or killed for
 *	MACs: -EKEYREJECTED, nothing (the kernel refuses that key for good;
 *	only a new bootstrap gives other bytes).
 *
 * local_key_plan_at() - how the device's flow moves to the ks_local key
 *	of serial when the MT said where it bound its copy (key_id: the
 *	btid answer's key-id, local_msg.h): the device binds there, whatever
 *	its own flow holds, so that the two ends never part (a flow emptied
 *	on one side only, another UICC in the MT, used to leave them one
 *	Key ID apart):
 *
 *	serial live at key_id		nothing (-EALREADY)
 *	serial's slot spent (COUNT	-EKEYREJECTED, nothing (as rebind)
 *	  or MAC limit)
 *	the slot not transmitting	unbound first (frees the flow's second
 *					slot), unless the transmitting slot
 *					is taken over in place (below)
 *	transmitting at key_id, dead	bind in place of it (COUNT carried)
 *	transmitting at key_id, live	that slot unbound (the only one
 *	  (another key: not the MT's)	left), then bind at key_id
 *	transmitting elsewhere,		that slot unbound (a key is bound
 *	  with serial itself		once per flow), then bind at key_id
 *	transmitting elsewhere, another	bind at key_id, KEY_USE it, then
 *	  key				unbind the old slot (make before
 *					break, as local_key_plan_bind())
 *	nothing transmitting		bind at key_id
 *
 *	Where the device's own plan (local_key_plan_bind() for a new key,
 *	local_key_plan_rebind() for a kept one) lands at key_id, this is
 *	the same plan.
 *
 * local_key_plan_tx_on_rx() - a plan of local_key_plan_bind() for the end
 *	that must not transmit under a key its peer may not have yet (the
 *	MT: it binds at step 9, the device only at step 17, and may never
 *	get the key when the Key Centre refuses): a move (KEY_USE and the
 *	old slot unbound) becomes a bind with E2M_KEY_F_TX_ON_RX that leaves
 *	the old slot bound (keep_old, old_id): the kernel goes on
 *	transmitting with the old key and switches to the new one at the
 *	first packet under it that passes its checks; the caller unbinds
 *	the old slot once the flow transmits with the new key. Any other
 *	plan (a first key, in place of a dead slot) is left as it is.
 *
 * For a device that keeps its key up by itself (the e2md role device,
 * daemon/device/, Documentation/local-key-establishment.md):
 *
 * local_key_plan_renew_at() - when to establish again, ahead of the end
 *	of a key made at created that ends at expires: a tenth of its life
 *	before the end, at least LOCAL_KEY_RENEW_AHEAD seconds (so that the
 *	stored key is never too short to use when the procedure runs), never
 *	before created.
 *
 * local_key_event_action() - what a kernel event (E2M_CMD_EVENT_KEY and
 *	its reason) for a flow bound to the device's ks_local key asks:
 *
 *	key expired, revoked, invalid	establish: the stored key if still
 *					good (installed again), else the
 *					procedure
 *	key mismatch, MAC failures	renew: the MT holds another key (seed
 *					001 7.3); the stored one is not used
 *	anything else			nothing
 */
#ifndef E2M_UE_LOCAL_KEY_PLAN_H
#define E2M_UE_LOCAL_KEY_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/e2m_flow.h"
#include "proto/local/local_msg.h"
#include "proto/nafkc/ks_local_msg.h"
#include "store/store.h"

/*
 * A stored key with less left is not used: the link would lose it while
 * in use. The MT's own floor for a new key (MT_LIFETIME_MIN) is the same.
 */
#define LOCAL_KEY_LIFETIME_MIN	60	/* seconds */
#define LOCAL_KEY_RENEW_AHEAD	(2 * LOCAL_KEY_LIFETIME_MIN)

struct local_key_plan_conf {
	const char *device_id;
	const char *label;		/* ks_local_device or ks_local_mt */
	/* The Key Centres the device holds its credential for, its order
	 * of preference; none: any the MT lists. */
	const char *const *naf_ids;
	size_t n_naf_ids;
	bool ask_mt;		/* ask for the MT's list even so */
	bool kernel;		/* the key goes into a keyring */
	bool renew;		/* never the stored key */
};

enum local_key_first {
	LOCAL_KEY_USE_STORED,
	LOCAL_KEY_REQUEST_BTID,		/* naf_id: the device's own first */
	LOCAL_KEY_ASK_NAF_IDS,
};

struct local_key_start {
	enum local_key_first first;
	size_t row;		/* USE_STORED: the index into rows */
	bool install;		/* USE_STORED: into the keyring again */
	bool notify;		/* USE_STORED: the completion notice again */
	const char *naf_id;	/* REQUEST_BTID */
};

/*
 * rows: the store's rows, newest first; in_keyring[i]: whether row i's
 * ks_local key is still in the keyring (its serial not 0, the key not
 * gone); NULL when none is.
 */
void local_key_plan_start(const struct local_key_plan_conf *conf,
			  const struct store_remote_key_info *rows,
			  const bool *in_keyring, size_t n_rows, int64_t now,
			  struct local_key_start *start);

/* The index into the MT's list, or -ENOENT. */
int local_key_plan_pick(const struct local_key_plan_conf *conf,
			const struct local_msg *naf_id_list);

int local_key_plan_mt_answer(const struct local_msg *sent,
			     const struct local_msg *got, char *why,
			     size_t why_size);

int local_key_plan_kc_answer(const struct ks_local_request *req,
			     const uint8_t *naf_id, size_t naf_id_len,
			     const struct ks_local_response *resp, int64_t now,
			     int64_t *expires, char *why, size_t why_size);

uint32_t local_key_plan_lifetime(int64_t expires, int64_t now);

int64_t local_key_plan_renew_at(int64_t created, int64_t expires);

enum local_key_keep {
	LOCAL_KEY_ADD,			/* a new ks_local key */
	LOCAL_KEY_EXTEND,		/* the row's key kept, expiry moved */
};

struct local_key_keep_in {
	bool kernel;			/* the key goes into a keyring */
	const char *old_btid;		/* the row's; NULL: no row */
	const char *new_btid;
	int32_t old_serial;		/* the row's ks_local key, 0: none */
	bool old_alive;			/* that key still in the keyring */
	bool same_bytes;		/* old and new Ks_local equal */
};

enum local_key_keep local_key_plan_keep(const struct local_key_keep_in *in);

struct local_key_bind {
	bool unbind_first;		/* unbind_first_id before binding */
	uint8_t unbind_first_id;
	bool unbind_tx;			/* then unbind unbind_tx_id */
	uint8_t unbind_tx_id;		/* the transmitting slot's */
	uint32_t bind_flags;		/* enum e2m_key_flags */
	bool keep_old;			/* old_id left bound: TX_ON_RX */
	uint8_t key_id;			/* the new key's */
	bool use;			/* KEY_USE key_id after binding */
	bool unbind_old;		/* then unbind old_id */
	uint8_t old_id;
};

/* 0 with *plan set, or -EALREADY; now: s since the epoch. */
int local_key_plan_bind(const struct e2m_flow *flow, int32_t serial,
			uint8_t base, int64_t now,
			struct local_key_bind *plan);

/* The same for a kept key: 0 with *plan set, -EALREADY or -EKEYREJECTED. */
int local_key_plan_rebind(const struct e2m_flow *flow, int32_t serial,
			  uint8_t base, int64_t now,
			  struct local_key_bind *plan);

/* At the MT's key_id: 0 with *plan set, -EALREADY or -EKEYREJECTED. */
int local_key_plan_at(const struct e2m_flow *flow, int32_t serial,
		      uint8_t key_id, int64_t now,
		      struct local_key_bind *plan);

void local_key_plan_tx_on_rx(struct local_key_bind *plan);

enum local_key_event {
	LOCAL_KEY_EVENT_NONE,
	LOCAL_KEY_EVENT_ESTABLISH,
	LOCAL_KEY_EVENT_RENEW,
};

enum local_key_event local_key_event_action(uint8_t cmd, uint8_t reason);

/* The FQDN of a NAF_Id (FQDN || Ua id) into fqdn: 0 or -EINVAL. */
int local_key_naf_fqdn(const uint8_t *naf_id, size_t naf_id_len,
		       char fqdn[DNS_NAME_MAX + 1]);

#endif /* E2M_UE_LOCAL_KEY_PLAN_H */
