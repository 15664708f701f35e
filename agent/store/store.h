/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The key agent's persistent state: HSS subscribers with their SQN state,
 * GBA bootstrap sessions, software USIMs, the flows of a HSE, the UEs
 * of an SGW, a NAF Key Centre's device PSKs, blocked devices and
 * issued Ks_local keys, and an MT's Ks_local keys per device.
 *
 * A struct store is a handle on one engine (SQLite, store_open(), or
 * PostgreSQL for the roles it serves so far, store_open_postgresql());
 * every operation goes through the engine's table of functions
 * (store_engine.h), so another engine can follow without touching callers.
 *
 * Secrets (K, OPc, Ks) are kept encrypted with AES-256-GCM under a 32-octet
 * store key, bound to the row they belong to. They come out only decrypted
 * into the caller's struct: whoever gets a struct store_subscriber,
 * store_session, store_usim or store_usim_gba back wipes it with the
 * matching *_wipe() function, on error paths too. The *_info halves carry
 * no secret and are what the list functions return.
 *
 * Every function returns 0 (or a count, where said) or a negative errno and,
 * when it fails, leaves the store as it was:
 *
 *	-EINVAL		an argument out of range (bad IMSI, IMPI, USS, ...)
 *	-ENOENT		no such subscriber, session or USIM
 *	-EEXIST		one exists already with that IMSI, IMPI, B-TID or ICCID
 *	-EKEYEXPIRED	the bootstrap session has expired
 *	-EKEYREJECTED	the store key does not open this store, or a secret in
 *			it was tampered with, moved, or a column its seal
 *			binds (its row's IMPI, expiry, USS, ...: see
 *			sqlite_seal.c) was changed behind the store's back
 *	-EPROTONOSUPPORT the store's schema is newer than this program
 *	-EBUSY		another process kept the store locked too long
 *	-EUCLEAN	the database file is damaged or not a store
 *	-ENOTCONN	the store's server (PostgreSQL) is away: unreachable,
 *			restarting, or it went while the call ran; nothing
 *			of the call was done, unless the answer to its
 *			commit was what got lost. Worth trying again later.
 *	-ENOMEM, -EIO, -ENOSPC
 *
 * A handle is not safe to share between threads; several processes may use
 * one store file at a time (each write is one transaction).
 */
#ifndef E2M_STORE_H
#define E2M_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aka/aka.h"

#define STORE_KEY_LEN		32	/* AES-256-GCM */
#define STORE_IMSI_MAX		15	/* digits, TS 23.003 2.2 */
#define STORE_IMSI_MIN		6	/* MCC, MNC and at least one digit */
#define STORE_IMPI_MAX		255	/* NAI, TS 23.003 13.3 */
#define STORE_ICCID_MAX		20	/* digits, ITU-T E.118 */
#define STORE_BTID_MAX		255
#define STORE_USS_MAX		4096	/* the USS JSON text with its NUL */
#define STORE_KS_LEN		(AKA_CK_LEN + AKA_IK_LEN)	/* CK || IK */
#define STORE_ERRMSG_MAX	256

/*
 * SQN = SEQ || IND (TS 33.102 Annex C.1.1): IND is the low ind_bits bits,
 * 5 by default; SEQ the high 48 - ind_bits bits.
 */
#define STORE_IND_BITS_DEFAULT	5
#define STORE_IND_BITS_MAX	5
#define STORE_IND_SLOTS_MAX	(1u << STORE_IND_BITS_MAX)

/* The store key, 32 octets. Wipe with store_key_wipe(). */
struct store_key {
	uint8_t bytes[STORE_KEY_LEN];
};

/*
 * Reads the store key from a file of 32 raw octets or 64 hex digits (and
 * an optional newline). The file must be a regular file of mode 0600 or
 * 0400 owned by the caller or root, else -EPERM. why (may be NULL) gets a
 * one-line reason on failure, without key material.
 */
int store_key_from_file(struct store_key *key, const char *path, char *why,
			size_t why_size);

/*
 * Reads it from a kernel key of type "user" by serial (keyctl_read); the
 * payload is 32 octets. A "logon" key cannot be read from userspace, so
 * it cannot hold the store key.
 */
int store_key_from_keyring(struct store_key *key, int32_t serial, char *why,
			   size_t why_size);

void store_key_wipe(struct store_key *key);

/* Subscriber flags. */
#define STORE_SUB_E2M		0x1u	/* the HSS derives an e2mKEYSET for it */
#define STORE_SUB_GBA_U		0x2u	/* its UICC is GBA_U aware */
#define STORE_SUB_FLAGS		(STORE_SUB_E2M | STORE_SUB_GBA_U)

/*
 * The HE/AuC side of TS 33.102 Annex C: the SEQ of the last vector handed
 * out and the IND the next one gets. See aka/sqn.h for the arithmetic.
 */
struct store_sqn_he {
	uint64_t seq;		/* SEQ_HE, 0 before the first vector */
	uint32_t ind;		/* IND of the next vector, < 2^ind_bits */
	uint8_t ind_bits;	/* 0..STORE_IND_BITS_MAX */
};

struct store_subscriber_info {
	char imsi[STORE_IMSI_MAX + 1];
	char impi[STORE_IMPI_MAX + 1];
	uint8_t amf[AKA_AMF_LEN];	/* the subscriber's AMF */
	uint32_t flags;			/* STORE_SUB_* */
	struct store_sqn_he sqn;
	/* User Security Settings per NAF, JSON, see store_uss_find(). */
	char uss[STORE_USS_MAX];
};

struct store_subscriber {
	struct store_subscriber_info pub;
	uint8_t k[AKA_K_LEN];		/* secret */
	uint8_t opc[AKA_OP_LEN];	/* secret */
};

/* Session flags. */
#define STORE_SESSION_GBA_U	0x1u	/* run with a GBA_U aware UICC */
#define STORE_SESSION_FLAGS	STORE_SESSION_GBA_U

/* A GBA bootstrap session (BSF side, or the ME's in GBA_ME). */
struct store_session_info {
	char btid[STORE_BTID_MAX + 1];
	char impi[STORE_IMPI_MAX + 1];
	uint8_t rand[AKA_RAND_LEN];
	int64_t created;		/* seconds since the epoch, UTC */
	int64_t expires;		/* the key lifetime ends here */
	uint32_t flags;			/* STORE_SESSION_* */
	/*
	 * The subscriber's USS as the BSF got it with the vector (a USS as
	 * store_uss_find() reads it), for the NAFs' Zn requests; "" when
	 * none came (and always on the ME's side).
	 */
	char uss[STORE_USS_MAX];
};

struct store_session {
	struct store_session_info pub;
	uint8_t ks[STORE_KS_LEN];	/* secret: CK || IK */
};

/* USIM flags. */
#define STORE_USIM_GBA_U	0x1u	/* GBA_U aware: keeps Ks to itself */
#define STORE_USIM_FLAGS	STORE_USIM_GBA_U

/*
 * The USIM side of TS 33.102 Annex C: SEQ_MS(i), the highest SEQ accepted
 * with IND i, for the 2^ind_bits values of IND.
 */
struct store_sqn_ms {
	uint8_t ind_bits;
	uint64_t seq[STORE_IND_SLOTS_MAX];
};

struct store_usim_info {
	char iccid[STORE_ICCID_MAX + 1];
	char imsi[STORE_IMSI_MAX + 1];
	char impi[STORE_IMPI_MAX + 1];
	uint32_t flags;			/* STORE_USIM_* */
	struct store_sqn_ms sqn;
	uint32_t update_counter;	/* of the last key update accepted */
	bool has_pending;		/* new K, OPc wait for their first AKA */
};

struct store_usim {
	struct store_usim_info pub;
	uint8_t k[AKA_K_LEN];		/* secret */
	uint8_t opc[AKA_OP_LEN];	/* secret */
	/* The keys of a key update (Documentation/key-update.md), secret,
	 * set only while pub.has_pending. */
	uint8_t pending_k[AKA_K_LEN];
	uint8_t pending_opc[AKA_OP_LEN];
};

/*
 * What a GBA_U UICC keeps of its last bootstrap (TS 33.220 G.1): RAND and
 * Ks from the AKA run, then the B-TID and key lifetime the ME hands it.
 */
struct store_usim_gba {
	uint8_t rand[AKA_RAND_LEN];
	uint8_t ks[STORE_KS_LEN];	/* secret */
	char btid[STORE_BTID_MAX + 1];	/* "" until the ME sets it */
	int64_t expires;		/* 0 until the ME sets it */
};

struct store;

/*
 * Opens (creating it with mode 0600 if need be) the SQLite store at path:
 * WAL journal, synchronous=FULL, schema migrated up to the current version.
 * A store made with another key is refused with -EKEYREJECTED, one with a
 * newer schema with -EPROTONOSUPPORT. why (may be NULL) gets a one-line
 * reason on failure. The key is copied; the caller wipes its own.
 */
int store_open(struct store **store, const char *path,
	       const struct store_key *key, char *why, size_t why_size);

/*
 * Opens the PostgreSQL store that conninfo (a libpq connection string or
 * URI, without a password) names, with the password read from
 * password_file (a private file, as the store key's; NULL: none), and
 * migrates its schema (the SQLite store's, version for version). The
 * password is never logged nor kept after the connection. Only the ops
 * of store_engine_families("postgresql") are there; the others return
 * -EOPNOTSUPP (store_pg.c). why as for store_open().
 */
int store_open_postgresql(struct store **store, const char *conninfo,
			  const char *password_file,
			  const struct store_key *key, char *why,
			  size_t why_size);

/*
 * Refuses (-EINVAL, why says why) a connection string libpq cannot
 * parse, or one with a password in it: that goes in password_file.
 */
int store_postgresql_conninfo_check(const char *conninfo, char *why,
				    size_t why_size);

/* Whether password_file is private and holds one password line. */
int store_postgresql_password_check(const char *password_file, char *why,
				    size_t why_size);

/*
 * The families of operations of this header, for telling which roles an
 * engine serves: a role names the families it uses, an engine the ones
 * it implements.
 */
#define STORE_FAMILY_SUBSCRIBERS	0x001u	/* store_subscriber_* */
#define STORE_FAMILY_SESSIONS		0x002u	/* store_session_* */
#define STORE_FAMILY_USIMS		0x004u	/* store_usim_* */
#define STORE_FAMILY_HSE_FLOWS		0x008u	/* store_hse_flow_* */
#define STORE_FAMILY_SGW_UES		0x010u	/* store_sgw_ue_* */
#define STORE_FAMILY_NAFKC		0x020u	/* device PSKs, blocks, Ks_local */
#define STORE_FAMILY_MT_KEYS		0x040u	/* store_mt_key_* */
#define STORE_FAMILY_REMOTE_KEYS	0x080u	/* store_remote_key_* */
#define STORE_FAMILY_ONEM2M		0x100u	/* store_onem2m_* */
#define STORE_FAMILY_CHALLENGES		0x200u	/* store_challenge_* */
#define STORE_FAMILIES_ALL		0x3ffu

/*
 * The families an engine by name ("sqlite", "postgresql") implements; 0
 * for a name that is no engine.
 */
unsigned int store_engine_families(const char *engine);

/* Closes the store and wipes the key it held. NULL is fine. */
void store_close(struct store *store);

/* The engine's name ("sqlite", "postgresql") and schema version. */
const char *store_engine(const struct store *store);
int store_schema_version(const struct store *store);

/*
 * A burst of reads that writes nothing (the HSE's TEID checks of a
 * batch): between store_reads_begin() and store_reads_end() the reads
 * share one read transaction where the engine has them (SQLite: one lock
 * taken and released, not one each, about three system calls a read),
 * and see the store as it was at the first of them. A write in between
 * is refused (SQLite's query_only), never kept uncommitted. Inside a
 * transaction already open (a group's, whose reads share its lock), and
 * on an engine without the hold, each read is as without it.
 */
void store_reads_begin(struct store *store);
void store_reads_end(struct store *store);

/* Detail of the last failure, for logs; never contains key material. */
const char *store_errmsg(const struct store *store);
/*
 * Failures of the engine itself (I/O, locked, damaged; not "not found"
 * nor a refused argument) in this process, of every store, for the
 * metrics.
 */
uint64_t store_error_count(void);

/* A phrase for one of the errors above, e.g. "wrong store key". */
const char *store_strerror(int err);

/*
 * Subscribers. id is an IMSI (digits) or an IMPI (a NAI, with '@'). A new
 * subscriber's pub.sqn is taken as given: all zero but ind_bits is a fresh
 * one (store_subscriber_init() sets that).
 */
void store_subscriber_init(struct store_subscriber *sub);
int store_subscriber_add(struct store *store,
			 const struct store_subscriber *sub);
int store_subscriber_get(struct store *store, const char *id,
			 struct store_subscriber *sub);
int store_subscriber_remove(struct store *store, const char *id);
void store_subscriber_wipe(struct store_subscriber *sub);

/*
 * Calls fn for every subscriber, by IMSI, until fn returns non-zero, which
 * is then returned. fn must not call the store. Returns 0 or the count
 * of subscribers when fn is NULL.
 */
typedef int (*store_subscriber_fn)(const struct store_subscriber_info *info,
				   void *arg);
int store_subscriber_list(struct store *store, store_subscriber_fn fn,
			  void *arg);

/*
 * Read-modify-write of a subscriber's SQN state in one transaction: sub
 * gets the subscriber as read (secrets included), then fn changes
 * sub->pub.sqn. fn returns 0 to have the new state written and committed
 * (durably: the return of this function means it is on disk), a positive
 * value to change nothing (returned as is), or a negative errno to abort
 * (returned). sub stays filled in every case; wipe it.
 */
typedef int (*store_sqn_he_fn)(struct store_subscriber *sub, void *arg);
int store_subscriber_sqn_update(struct store *store, const char *id,
				store_sqn_he_fn fn, void *arg,
				struct store_subscriber *sub);

/*
 * Bootstrap sessions. store_session_add() refuses flags it does not know
 * and a uss that is neither "" nor a USS (store_uss_check()).
 * store_session_get() refuses a session whose expiry
 * is at or before now with -EKEYEXPIRED (the session stays until purged);
 * store_session_latest() finds the newest unexpired one of an IMPI.
 * store_session_purge() removes the expired ones and returns how many.
 */
int store_session_add(struct store *store, const struct store_session *session);
int store_session_get(struct store *store, const char *btid, int64_t now,
		      struct store_session *session);
int store_session_latest(struct store *store, const char *impi, int64_t now,
			 struct store_session *session);
int store_session_purge(struct store *store, int64_t now);
void store_session_wipe(struct store_session *session);

typedef int (*store_session_fn)(const struct store_session_info *info,
				void *arg);
int store_session_list(struct store *store, store_session_fn fn, void *arg);

/*
 * The Digest AKA challenges a BSF issued on Ub (schema 16), kept in the
 * store where several BSF processes use it: instances on one PostgreSQL
 * database (store_shared()), or the workers of one e2md on its SQLite
 * file (daemon/workers.h); so that a challenge made at one is answered
 * at another, and answered once only, whichever process the answer
 * reaches. Both engines implement them with the same semantics. Times
 * are milliseconds of the wall clock (CLOCK_REALTIME): every process
 * reads them.
 *
 * store_challenge_add() refuses a nonce there already (-EEXIST: a RAND
 * twice). store_challenge_take() is the single use: in one transaction
 * that excludes every other taker, a pending challenge of that nonce
 * becomes spent, its secrets wiped in the row, and comes back with them
 * (0); a spent one is -EALREADY; none, or one expired at now_ms,
 * -ENOENT. store_challenge_pending() finds the newest pending challenge
 * of an IMPI expiring at or after min_expires_ms (no secrets);
 * store_challenge_purge() removes the expired ones and returns how many.
 */
#define STORE_NONCE_MAX		64	/* base64(RAND || AUTN): 44 */
#define STORE_OPAQUE_MAX	64
#define STORE_CHALLENGE_GBA_U	0x1u	/* the vector was GBA_U's */
#define STORE_CHALLENGE_DECOY	0x2u	/* for an IMPI the HSS does not know */
#define STORE_CHALLENGE_FLAGS	(STORE_CHALLENGE_GBA_U | STORE_CHALLENGE_DECOY)
#define STORE_CHALLENGE_SECRET_LEN (AKA_RES_LEN + AKA_CK_LEN + AKA_IK_LEN)

struct store_challenge_info {
	char nonce[STORE_NONCE_MAX + 1];
	char opaque[STORE_OPAQUE_MAX + 1];
	char impi[STORE_IMPI_MAX + 1];
	uint8_t rand[AKA_RAND_LEN];
	uint32_t flags;			/* STORE_CHALLENGE_* */
	int64_t expires_ms;
	char uss[STORE_USS_MAX];	/* as a session's; "" for none */
};

struct store_challenge {
	struct store_challenge_info pub;
	uint8_t secret[STORE_CHALLENGE_SECRET_LEN];	/* XRES || CK || IK */
};

/*
 * Whether other e2md instances may use this store at once (PostgreSQL),
 * not only the workers of this one.
 */
bool store_shared(const struct store *store);
int store_challenge_add(struct store *store,
			const struct store_challenge *challenge);
int store_challenge_take(struct store *store, const char *nonce,
			 int64_t now_ms, struct store_challenge *challenge);
int store_challenge_pending(struct store *store, const char *impi,
			    int64_t min_expires_ms,
			    struct store_challenge_info *info);
int store_challenge_purge(struct store *store, int64_t now_ms);
void store_challenge_wipe(struct store_challenge *challenge);

/* Software USIMs, by ICCID. */
void store_usim_init(struct store_usim *usim);
int store_usim_add(struct store *store, const struct store_usim *usim);
int store_usim_get(struct store *store, const char *iccid,
		   struct store_usim *usim);
int store_usim_remove(struct store *store, const char *iccid);
void store_usim_wipe(struct store_usim *usim);

/*
 * As store_subscriber_sqn_update(), for usim->pub.sqn; fn may also end a
 * key update there: move pending_k, pending_opc into k, opc and clear
 * pub.has_pending (it cannot set it).
 */
typedef int (*store_sqn_ms_fn)(struct store_usim *usim, void *arg);
int store_usim_sqn_update(struct store *store, const char *iccid,
			  store_sqn_ms_fn fn, void *arg,
			  struct store_usim *usim);

/*
 * The GBA_U bootstrap a UICC keeps: set replaces it whole, get returns
 * -ENOENT when there is none.
 */
int store_usim_gba_set(struct store *store, const char *iccid,
		       const struct store_usim_gba *gba);
int store_usim_gba_get(struct store *store, const char *iccid,
		       struct store_usim_gba *gba);
void store_usim_gba_wipe(struct store_usim_gba *gba);

/*
 * The USIM's security domain's credentials for a key update
 * (Documentation/key-update.md, schema 15): its static private key SK.SD
 * (the P-256 scalar, sealed at the ICCID and bound to the two
 * certificates), its certificate and CA-KLOC, the CA the OCE's chain
 * must reach (DER each). Whether the three belong together is the
 * caller's to check (ue/usim_sd.h); the store keeps them.
 */
#define STORE_SD_KEY_LEN	32
#define STORE_SD_CERT_MAX	2048	/* DER octets, each certificate */

struct store_usim_sd {
	uint8_t key[STORE_SD_KEY_LEN];		/* secret */
	uint8_t cert[STORE_SD_CERT_MAX];
	size_t cert_len;			/* 1 .. STORE_SD_CERT_MAX */
	uint8_t ca_kloc[STORE_SD_CERT_MAX];
	size_t ca_kloc_len;			/* 1 .. STORE_SD_CERT_MAX */
};

/*
 * set replaces the three of the USIM whole: 0, -EINVAL (a bad ICCID or
 * length), -ENOENT (no such USIM). get: 0, -ENOENT (no such USIM),
 * -ENODATA (none set), -EKEYREJECTED (the key does not open: a changed
 * certificate in the file), -EUCLEAN (a damaged row); sd is wiped on
 * failure.
 */
int store_usim_sd_set(struct store *store, const char *iccid,
		      const struct store_usim_sd *sd);
int store_usim_sd_get(struct store *store, const char *iccid,
		      struct store_usim_sd *sd);
void store_usim_sd_wipe(struct store_usim_sd *sd);

/*
 * A long-term key update reaches the USIM (seed 004 step 4): new K and
 * OPc are kept pending beside the current ones, and counter becomes the
 * last update accepted. counter must exceed the last one (else -ESTALE:
 * a replayed or old update, nothing changed), unless it is that same
 * update sent again with the same keys (0, nothing changed: the answer to
 * it was lost). While keys are pending a newer update is refused with
 * -EBUSY: replacing keys the HSS may already hold could lock the
 * subscriber out. The pending keys become current, and the old ones are
 * wiped, in the transaction of the first AKA whose AUTN verifies under
 * them (the sqn_update callback sets pub.has_pending to false after
 * moving them into k and opc). Durable on return, as every write.
 */
int store_usim_stage_keys(struct store *store, const char *iccid,
			  uint32_t counter, const uint8_t k[AKA_K_LEN],
			  const uint8_t opc[AKA_OP_LEN]);

/*
 * The HSS's half of a long-term key update (seed 004 step 6): the
 * subscriber imsi gets K and OPc k and opc in one write transaction, its
 * SQN state as it was (the USIM keeps its SEQ_MS across its switch too),
 * and counter becomes the last update accepted. counter must exceed the
 * last one (else -ESTALE, nothing changed), unless it is that same update
 * sent again with the same keys: 1, nothing changed (the answer to it
 * was lost). 0 when switched; -ENOENT for no such subscriber; -EINVAL for
 * an IMSI that is not one or a counter of 0. Durable on return.
 */
int store_subscriber_update_keys(struct store *store, const char *imsi,
				 uint32_t counter,
				 const uint8_t k[AKA_K_LEN],
				 const uint8_t opc[AKA_OP_LEN]);

/*
 * Role prov's record of the long-term key updates it runs (seed 004,
 * Documentation/key-update.md), one a USIM, by ICCID: the IMSI, the new
 * K and OPc (sealed), the update counter, and how far it got:
 *
 *	queued		the operator asked for it; the USIM has not
 *			answered the update yet
 *	usim-done	the USIM's result verified: its keys are pending;
 *			the HSS must be switched (step 6) next
 *	hss-done	the HSS switched too: the update is over
 *
 * store_prov_update_add() refuses -EBUSY while the USIM's last update is
 * not hss-done (a newer one must not replace keys the USIM may hold
 * pending), and -ESTALE for a counter not above the last one's; it
 * replaces a finished record. store_prov_update_advance() moves the
 * record of that ICCID and counter forward only: -ESTALE for another
 * counter, -EINVAL for a state not after the current one.
 */
enum store_prov_state {
	STORE_PROV_QUEUED,
	STORE_PROV_USIM_DONE,
	STORE_PROV_HSS_DONE,
};

struct store_prov_update_info {
	char iccid[STORE_ICCID_MAX + 1];
	char imsi[STORE_IMSI_MAX + 1];
	uint32_t counter;		/* 1 .. 2^32 - 1 */
	enum store_prov_state state;
	int64_t created;		/* seconds since the epoch */
	int64_t updated;
};

struct store_prov_update {
	struct store_prov_update_info pub;
	uint8_t k[AKA_K_LEN];		/* secret */
	uint8_t opc[AKA_OP_LEN];	/* secret */
};

typedef int (*store_prov_update_fn)(const struct store_prov_update_info *info,
				    void *arg);

int store_prov_update_add(struct store *store,
			  const struct store_prov_update *update);
int store_prov_update_get(struct store *store, const char *iccid,
			  struct store_prov_update *update);
int store_prov_update_advance(struct store *store, const char *iccid,
			      uint32_t counter, enum store_prov_state state);
/* By ICCID; the count when fn is NULL. */
int store_prov_update_list(struct store *store, store_prov_update_fn fn,
			   void *arg);
void store_prov_update_wipe(struct store_prov_update *update);
/* "queued", "usim-done", "hss-done"; parse: 0 or -EINVAL. */
const char *store_prov_state_name(enum store_prov_state state);
int store_prov_state_parse(const char *name, enum store_prov_state *state);

/*
 * Role prov's key update sessions (schema 14), one a USIM, the newest
 * replacing the last: where the server's side of the session stands
 * (proto/keyupdate/oce_session.h), written before each command goes out,
 * so that a server started again goes on from there. Found by the
 * session's id (what the UE names it by); the state's secrets (eSK.OCE
 * at the authenticate step, S-ENC, S-MAC, S-RMAC and S-DEK at the update
 * step) sealed at the ICCID, bound to every other column but the times.
 *
 *	certificates	certs_sent of the OCE's certificates sent
 *	authenticate	MUTUAL AUTHENTICATE sent: secret holds eSK.OCE
 *	update		the profile update sent: secret holds the four
 *			session keys, chain and sm_counter the secure
 *			messaging's MAC chaining value and counter
 */
enum store_prov_step {
	STORE_PROV_STEP_CERTIFICATES,
	STORE_PROV_STEP_AUTHENTICATE,
	STORE_PROV_STEP_UPDATE,
};

#define STORE_PROV_SESSION_ID_LEN	16
#define STORE_PROV_POINT_LEN		65	/* PK.SD, uncompressed */
#define STORE_PROV_SECRET_LEN		64
#define STORE_PROV_CHAIN_LEN		16

struct store_prov_session {
	uint8_t id[STORE_PROV_SESSION_ID_LEN];
	char iccid[STORE_ICCID_MAX + 1];
	uint32_t counter;		/* the update's, 1 .. 2^32 - 1 */
	enum store_prov_step step;
	uint32_t certs_sent;		/* 1 .. 4 */
	uint8_t sd_point[STORE_PROV_POINT_LEN];	/* from its certificate */
	uint8_t secret[STORE_PROV_SECRET_LEN];	/* secret, zeros unused */
	uint8_t chain[STORE_PROV_CHAIN_LEN];	/* zeros before update */
	uint32_t sm_counter;		/* 0 before update */
	int64_t created;		/* seconds since the epoch */
	int64_t updated;
};

/*
 * Writes session over the ICCID's last one (another id included). 0,
 * -EINVAL (a bad ICCID, counter or step). Durable on return.
 */
int store_prov_session_put(struct store *store,
			   const struct store_prov_session *session);
/* The session of id: 0, -ENOENT, -EUCLEAN (a damaged row). */
int store_prov_session_get(struct store *store,
			   const uint8_t id[STORE_PROV_SESSION_ID_LEN],
			   struct store_prov_session *session);
/* The session of id gone: 0, or -ENOENT if there was none. */
int store_prov_session_remove(struct store *store,
			      const uint8_t id[STORE_PROV_SESSION_ID_LEN]);
/* The sessions kept (a count). */
int store_prov_session_count(struct store *store);
/*
 * The sessions last written before `before` (seconds since the epoch)
 * gone: abandoned by their UE (a session row lives until its update ends
 * or another start of the same USIM replaces it). How many, or -errno.
 */
int store_prov_session_purge(struct store *store, int64_t before);
void store_prov_session_wipe(struct store_prov_session *session);
const char *store_prov_step_name(enum store_prov_step step);

/*
 * User Security Settings. A subscriber's USS is a JSON array with one
 * object per NAF it may use:
 *
 *	[{"naf": "naf1.home1.net", "flags": [1, 2]}, ...]
 *
 * "naf" is the NAF's FQDN, "flags" the authorisation flags that NAF gets
 * (non-negative integers, optional); other members are kept as they are.
 * store_uss_check() says whether a text is such a USS (0 or -EINVAL).
 * store_uss_find() writes the entry of the NAF naf_fqdn as compact JSON
 * into out: 0, -ENOENT (the NAF is not authorised), -EINVAL or -ENOSPC.
 */
int store_uss_check(const char *uss);
int store_uss_find(const char *uss, const char *naf_fqdn, char *out,
		   size_t out_size);
/*
 * Whether a NAF's entry (as store_uss_find() writes it, or the "uss" of
 * a Zn answer) carries flag; false for a text that is not an entry.
 */
bool store_uss_entry_has_flag(const char *entry, int flag);

/*
 * The flows a HSE made (Documentation/best.md, "The HSE"), by the HSE
 * instance that made them (its owner, roles.hse.instance) and the TEID it
 * receives on: which AKA run's key set protects each, and the UE's
 * addresses, so that a restarted HSE can pull the key set again. No key.
 *
 * A row's key is (owner, teid): a TEID is a kernel's, unique on one
 * device of one host, so two HSE instances sharing a store (two gateways
 * on one PostgreSQL) may each hold the same TEID on their own devices,
 * even under the same device name. Every call names its owner and no
 * call reads, replaces or removes another owner's row: a put of a TEID
 * another owner holds writes a row of its own beside it. The owner is
 * one of the row's values its MAC covers, so a row moved to another
 * owner is refused on read (-EKEYREJECTED).
 *
 * put inserts or replaces the row of (owner, TEID); get and remove return
 * -ENOENT when there is none; list gives owner's rows by TEID (every
 * owner's, owner first, when owner is NULL: for tools and tests, never
 * the HSE). put_many puts n rows in one transaction, all or none (one
 * commit, so one disk flush, for a batch: the HSE's group commit); a TEID
 * may come more than once, the last row wins.
 *
 * Rows from before schema 18 had no owner: the migration gives them the
 * host name of the host that runs it (store_hse_owner_default()), which
 * is the default instance name there, so a single HSE that keeps the
 * default goes on with its rows (Documentation/deploy.md).
 */
#define STORE_ADDRESS_MAX	45	/* an IPv6 address in text */
#define STORE_IFNAME_MAX	15	/* IFNAMSIZ - 1 */
#define STORE_KSI_MAX		6	/* 7 is "no key" */
#define STORE_HSE_OWNER_MAX	64	/* a host name's (HOST_NAME_MAX) */

struct store_hse_flow {
	uint32_t teid;				/* the HSE's, uplink */
	uint32_t ue_teid;			/* the UE's, downlink */
	char imsi[STORE_IMSI_MAX + 1];
	uint8_t rand[AKA_RAND_LEN];
	uint8_t sqn[AKA_SQN_LEN];
	uint8_t ksi;				/* the Key ID */
	char ue_address[STORE_ADDRESS_MAX + 1];	/* inet_ntop() form */
	uint16_t ue_port;
	char inner_ipv4[STORE_ADDRESS_MAX + 1];
	char inner_ipv6[STORE_ADDRESS_MAX + 1];	/* "" when none */
	char device[STORE_IFNAME_MAX + 1];
	int64_t created;			/* seconds since the epoch */
	/* The HSE instance that installed it (roles.hse.instance). */
	char owner[STORE_HSE_OWNER_MAX + 1];
};

/*
 * An owner (a HSE instance's name): 1 to STORE_HSE_OWNER_MAX octets of
 * letters, digits, '.', '-' and '_', as a host name is.
 */
bool store_hse_owner_valid(const char *owner);
/*
 * The default owner: this host's name (gethostname()). 0, or -EINVAL
 * when the host name is not a valid owner (then one must be set).
 */
int store_hse_owner_default(char *owner, size_t size);

int store_hse_flow_put(struct store *store,
		       const struct store_hse_flow *flow);
int store_hse_flow_put_many(struct store *store,
			    const struct store_hse_flow *flows, size_t n);
int store_hse_flow_get(struct store *store, const char *owner,
		       uint32_t teid, struct store_hse_flow *flow);
int store_hse_flow_remove(struct store *store, const char *owner,
			  uint32_t teid);
typedef int (*store_hse_flow_fn)(const struct store_hse_flow *flow,
				 void *arg);
int store_hse_flow_list(struct store *store, const char *owner,
			store_hse_flow_fn fn, void *arg);

/*
 * What an SGW keeps per IMSI (Documentation/best.md, "The SGW"), so that a
 * restarted SGW goes on where it was: the KSI of the IMSI's last AKA run,
 * its inner IPv4 address, the HSE TEID it holds and, when attached, the
 * UE's GTP-U endpoint of the live context. No key, nothing secret. put
 * inserts or replaces the row of that IMSI; get returns -ENOENT
 * when there is none; list goes by IMSI.
 *
 * An inner address and a HSE TEID are one IMSI's at most: put and
 * replace refuse a row naming one another IMSI's row holds (-EEXIST,
 * nothing written). replace writes the row only if the IMSI's row is
 * still exactly *expected (NULL: only if it has none), in one statement:
 * -ESTALE when it is not (another instance sharing the store changed or
 * made it since this one read it: the caller reads it again), nothing
 * written. With both, SGW instances on one store never hand out one KSI
 * twice in a row for an IMSI nor one address to two IMSIs.
 *
 * A row is refused (-EINVAL) unless: the IMSI is valid; last_ksi is a
 * Key ID (0 to STORE_KSI_MAX: a row is written once a KSI is taken);
 * inner_ipv4 is "" or an IPv4 address; and it is attached with a HSE
 * TEID, an inner address and the whole UE endpoint, or not attached with
 * no UE endpoint at all (a HSE TEID may be held before it is attached).
 */
struct store_sgw_ue {
	char imsi[STORE_IMSI_MAX + 1];
	uint8_t last_ksi;
	char inner_ipv4[STORE_ADDRESS_MAX + 1];	/* "" before one is given */
	uint32_t hse_teid;			/* 0: none held */
	uint8_t attached;			/* 0 or 1 */
	char ue_address[STORE_ADDRESS_MAX + 1];	/* "" when not attached */
	uint16_t ue_port;
	uint32_t ue_teid;
};

int store_sgw_ue_put(struct store *store, const struct store_sgw_ue *ue);
int store_sgw_ue_replace(struct store *store, const struct store_sgw_ue *ue,
			 const struct store_sgw_ue *expected);
int store_sgw_ue_get(struct store *store, const char *imsi,
		     struct store_sgw_ue *ue);
typedef int (*store_sgw_ue_fn)(const struct store_sgw_ue *ue, void *arg);
int store_sgw_ue_list(struct store *store, store_sgw_ue_fn fn, void *arg);

/*
 * The inner address pool the SGW instances of a store hand out
 * (roles.sgw.inner-ipv4-pool, daemon/sgw/sgw_pool.h): one row of meta,
 * 'sgw_pool' (no schema of its own: one value, and a store without it
 * reads as none recorded), its value the pool's text (IPV4/PREFIX)
 * sealed at that name. get: 0, -ENOENT (none), -EKEYREJECTED (written by
 * another than e2m), store errors; add records pool where none is, and
 * is -EEXIST, nothing written, where one is (of two instances adding at
 * once, one writes and the other reads the winner's); set replaces it.
 * A pool that is not IPV4/PREFIX text: -EINVAL.
 */
#define STORE_SGW_POOL_SIZE	20	/* "255.255.255.255/32" and NUL */

int store_sgw_pool_get(struct store *store, char pool[STORE_SGW_POOL_SIZE]);
int store_sgw_pool_add(struct store *store, const char *pool);
int store_sgw_pool_set(struct store *store, const char *pool);

/*
 * What a NAF Key Centre keeps (daemon/nafkc, Documentation/nafkc.md):
 *
 * - device PSKs: the pre-provisioned key of each remote device that
 *   authenticates with PSK-TLS (PROFILE.md 5: identity = Device_ID), 32
 *   octets, sealed; add refuses a Device_ID that has one (-EEXIST),
 *   get and remove say -ENOENT when there is none;
 * - blocked devices (TS 33.259 4.5.2 step 12): block refuses one blocked
 *   already (-EEXIST), unblock one that is not (-ENOENT);
 *   store_device_blocked() returns 1 or 0;
 * - the Ks_local keys it issued, by (B-TID, Device_ID, label), sealed,
 *   with the NAF_Id they were derived for, when and until when. put
 *   inserts the row or renews an unrevoked one (issued, expires, key),
 *   and refuses to bring a revoked one back (-EKEYREVOKED); revoke marks
 *   every label of a (B-TID, Device_ID) and returns how many rows it
 *   marked (-ENOENT for none); purge removes the rows expired at now
 *   and returns how many. Lists carry no key.
 *
 * A Device_ID is 1..STORE_DEVICE_ID_MAX printable ASCII octets without
 * space (e2m profile), store_device_id_valid().
 */
#define STORE_DEVICE_ID_MAX	128
#define STORE_DEVICE_PSK_LEN	32
#define STORE_KS_LOCAL_LEN	32
#define STORE_KS_LABEL_MAX	15	/* "ks_local_device" */
#define STORE_NAF_ID_MAX	(255 + 5)	/* FQDN || Ua id */

struct store_device_info {
	char device_id[STORE_DEVICE_ID_MAX + 1];
	int64_t created;		/* seconds since the epoch */
};

typedef int (*store_device_fn)(const struct store_device_info *info,
			       void *arg);

int store_device_psk_add(struct store *store, const char *device_id,
			 const uint8_t psk[STORE_DEVICE_PSK_LEN], int64_t now);
int store_device_psk_get(struct store *store, const char *device_id,
			 uint8_t psk[STORE_DEVICE_PSK_LEN]);
int store_device_psk_remove(struct store *store, const char *device_id);
int store_device_psk_list(struct store *store, store_device_fn fn,
			  void *arg);

int store_device_block(struct store *store, const char *device_id,
		       int64_t now);
int store_device_unblock(struct store *store, const char *device_id);
int store_device_blocked(struct store *store, const char *device_id);
int store_device_block_list(struct store *store, store_device_fn fn,
			    void *arg);

struct store_ks_local_info {
	char btid[STORE_BTID_MAX + 1];
	char device_id[STORE_DEVICE_ID_MAX + 1];
	char label[STORE_KS_LABEL_MAX + 1];	/* ks_local_device, _mt */
	uint8_t naf_id[STORE_NAF_ID_MAX];
	size_t naf_id_len;			/* 6..STORE_NAF_ID_MAX */
	int64_t issued;
	int64_t expires;			/* > issued */
	uint8_t revoked;			/* 0 or 1 */
};

struct store_ks_local {
	struct store_ks_local_info pub;
	uint8_t key[STORE_KS_LOCAL_LEN];	/* secret */
};

typedef int (*store_ks_local_fn)(const struct store_ks_local_info *info,
				 void *arg);

int store_ks_local_put(struct store *store, const struct store_ks_local *k);
int store_ks_local_get(struct store *store, const char *btid,
		       const char *device_id, const char *label,
		       struct store_ks_local *k);
int store_ks_local_revoke(struct store *store, const char *btid,
			  const char *device_id);
int store_ks_local_purge(struct store *store, int64_t now);
int store_ks_local_list(struct store *store, store_ks_local_fn fn,
			void *arg);
void store_ks_local_wipe(struct store_ks_local *k);

/*
 * An MT / UICC hosting device's Ks_local, one per (B-TID, NAF_Id,
 * Device_ID) (seed 001 7.4, 7.5): the ICC_ID of the UICC whose bootstrap
 * it comes from, the key (sealed), when it was made and when it ends
 * (the Ks lifetime, seed 001 7.2), the serial of the ks_local key the MT
 * put in the keyring (0: none), and whether the device sent its
 * completion notice (TS 33.259 4.5.2 step 18).
 *
 * put inserts or replaces the row of that identity; complete marks it
 * (-ENOENT for none); remove_other_iccids removes every row of any other
 * ICC_ID (a new UICC) and purge every row expired at now, each calling fn
 * (may be NULL) with every row that reads well before it goes (its answer
 * stops nothing: a damaged row goes too), and returns how many went;
 * list returns rows without the key, ordered by creation.
 */
struct store_mt_key_info {
	char btid[STORE_BTID_MAX + 1];
	uint8_t naf_id[STORE_NAF_ID_MAX];
	size_t naf_id_len;			/* 6..STORE_NAF_ID_MAX */
	char device_id[STORE_DEVICE_ID_MAX + 1];
	char iccid[STORE_ICCID_MAX + 1];
	int64_t created;
	int64_t expires;			/* > created */
	int32_t key_serial;			/* >= 0 */
	uint8_t completed;			/* 0 or 1 */
};

struct store_mt_key {
	struct store_mt_key_info pub;
	uint8_t key[STORE_KS_LOCAL_LEN];	/* secret */
};

typedef int (*store_mt_key_fn)(const struct store_mt_key_info *info,
			       void *arg);

int store_mt_key_put(struct store *store, const struct store_mt_key *k);
int store_mt_key_get(struct store *store, const char *btid,
		     const uint8_t *naf_id, size_t naf_id_len,
		     const char *device_id, struct store_mt_key *k);
int store_mt_key_complete(struct store *store, const char *btid,
			  const uint8_t *naf_id, size_t naf_id_len,
			  const char *device_id);
int store_mt_key_remove_other_iccids(struct store *store, const char *iccid,
				     store_mt_key_fn fn, void *arg);
int store_mt_key_purge(struct store *store, int64_t now, store_mt_key_fn fn,
		       void *arg);
int store_mt_key_list(struct store *store, store_mt_key_fn fn, void *arg);
void store_mt_key_wipe(struct store_mt_key *k);

/*
 * A remote / external device's own Ks_local (TS 33.259 4.5.2 step 17,
 * seed 001 8.1), one per (Device_ID, NAF_Id): the B-TID and label it was
 * issued for, the key (sealed), when it was stored and when it ends (the
 * Key Centre's lifetime), the serial of the ks_local key the device put
 * in its keyring (0: none) and whether the MT acknowledged its
 * completion notice (step 18).
 *
 * put inserts or replaces the row of that (Device_ID, NAF_Id); complete
 * marks it (-ENOENT for none); remove removes it (-ENOENT for none); list
 * returns rows without the key, newest first, or their count when fn is
 * NULL.
 */
struct store_remote_key_info {
	char device_id[STORE_DEVICE_ID_MAX + 1];
	uint8_t naf_id[STORE_NAF_ID_MAX];
	size_t naf_id_len;			/* 6..STORE_NAF_ID_MAX */
	char btid[STORE_BTID_MAX + 1];
	char label[STORE_KS_LABEL_MAX + 1];	/* ks_local_device, _mt */
	int64_t created;
	int64_t expires;			/* > created */
	int32_t key_serial;			/* >= 0 */
	uint8_t completed;			/* 0 or 1 */
};

struct store_remote_key {
	struct store_remote_key_info pub;
	uint8_t key[STORE_KS_LOCAL_LEN];	/* secret */
};

typedef int (*store_remote_key_fn)(const struct store_remote_key_info *info,
				   void *arg);

int store_remote_key_put(struct store *store, const struct store_remote_key *k);
int store_remote_key_get(struct store *store, const char *device_id,
			 const uint8_t *naf_id, size_t naf_id_len,
			 struct store_remote_key *k);
int store_remote_key_complete(struct store *store, const char *device_id,
			      const uint8_t *naf_id, size_t naf_id_len);
int store_remote_key_remove(struct store *store, const char *device_id,
			    const uint8_t *naf_id, size_t naf_id_len);
int store_remote_key_list(struct store *store, store_remote_key_fn fn,
			  void *arg);
void store_remote_key_wipe(struct store_remote_key *k);

/*
 * The oneM2M security bootstrap (seed 002, Documentation/onem2m.md), in
 * an MEF's store and in an Enrolee's alike:
 *
 * - Kpm, the Pre-Provisioned Symmetric Enrolee Key, by its KpmId,
 *   STORE_ONEM2M_KPM_LEN octets (e2m profile), sealed, with the
 *   Bootstrap Instruction Configuration that goes with it: the
 *   Enrolee-ID and either a MAF-ID or an Enrolee-B-ID. add refuses a
 *   KpmId that has one (-EEXIST); get and remove say -ENOENT.
 * - Ke, the Enrolment Key, by its KeId, sealed, with the KpmId of the
 *   handshake it came from, that configuration, the MEF's FQDN and its
 *   lifetime. add refuses a KeId there already (-EEXIST); purge removes
 *   the rows expired at now and returns how many. Lists carry no key.
 *
 * KpmId, Enrolee-ID, MAF-ID and Enrolee-B-ID are 1..STORE_ONEM2M_ID_MAX
 * printable ASCII octets without space (e2m profile),
 * store_onem2m_id_valid(); a KeId is onem2m_key_id_valid()'s.
 */
#define STORE_ONEM2M_ID_MAX	255
#define STORE_ONEM2M_KPM_LEN	32
#define STORE_ONEM2M_KE_LEN	32
#define STORE_ONEM2M_KE_ID_MAX	(24 + 1 + 253)	/* base64 "@" FQDN */
#define STORE_ONEM2M_FQDN_MAX	253

enum store_onem2m_target {
	STORE_ONEM2M_MAF,		/* "maf": a MAF-ID */
	STORE_ONEM2M_ENROLEE_B,		/* "enrolee-b": an Enrolee-B-ID */
};

/* The Bootstrap Instruction Configuration of one Kpm. */
struct store_onem2m_config {
	char enrolee_id[STORE_ONEM2M_ID_MAX + 1];
	enum store_onem2m_target target_kind;
	char target_id[STORE_ONEM2M_ID_MAX + 1];
};

struct store_onem2m_kpm_info {
	char kpm_id[STORE_ONEM2M_ID_MAX + 1];
	struct store_onem2m_config config;
	int64_t created;
};

struct store_onem2m_kpm {
	struct store_onem2m_kpm_info pub;
	uint8_t kpm[STORE_ONEM2M_KPM_LEN];	/* secret */
};

struct store_onem2m_ke_info {
	char ke_id[STORE_ONEM2M_KE_ID_MAX + 1];
	char kpm_id[STORE_ONEM2M_ID_MAX + 1];
	struct store_onem2m_config config;
	char mef[STORE_ONEM2M_FQDN_MAX + 1];
	int64_t created;
	int64_t expires;			/* > created */
};

struct store_onem2m_ke {
	struct store_onem2m_ke_info pub;
	uint8_t ke[STORE_ONEM2M_KE_LEN];	/* secret */
};

typedef int (*store_onem2m_kpm_fn)(const struct store_onem2m_kpm_info *info,
				   void *arg);
typedef int (*store_onem2m_ke_fn)(const struct store_onem2m_ke_info *info,
				  void *arg);

int store_onem2m_kpm_add(struct store *store,
			 const struct store_onem2m_kpm *kpm);
int store_onem2m_kpm_get(struct store *store, const char *kpm_id,
			 struct store_onem2m_kpm *kpm);
int store_onem2m_kpm_remove(struct store *store, const char *kpm_id);
int store_onem2m_kpm_list(struct store *store, store_onem2m_kpm_fn fn,
			  void *arg);
int store_onem2m_ke_add(struct store *store,
			const struct store_onem2m_ke *ke);
int store_onem2m_ke_get(struct store *store, const char *ke_id,
			struct store_onem2m_ke *ke);
int store_onem2m_ke_purge(struct store *store, int64_t now);
int store_onem2m_ke_list(struct store *store, store_onem2m_ke_fn fn,
			 void *arg);
void store_onem2m_kpm_wipe(struct store_onem2m_kpm *kpm);
void store_onem2m_ke_wipe(struct store_onem2m_ke *ke);

/*
 * A MAF's Kms (Centralized Key Distribution, Documentation/onem2m.md),
 * schema 12: each by its Km-Id (onem2m_key_id_valid()), sealed, with the
 * KeId and Enrolee-ID it was fetched for and its lifetime (its Ke's).
 * put replaces the row of the same Km-Id or of the same (KeId,
 * Enrolee-ID): a fetch again gives the same pair its newest Km. get
 * finds only a Km live at now (-ENOENT otherwise, as for none); remove
 * deletes the row of a Km-Id, live or not (-ENOENT when none); purge
 * removes the rows expired at now and returns how many; count says how
 * many are live at now; lists carry no key.
 */
struct store_onem2m_km_info {
	char km_id[STORE_ONEM2M_KE_ID_MAX + 1];
	char ke_id[STORE_ONEM2M_KE_ID_MAX + 1];
	char enrolee_id[STORE_ONEM2M_ID_MAX + 1];
	int64_t created;
	int64_t expires;			/* > created */
};

struct store_onem2m_km {
	struct store_onem2m_km_info pub;
	uint8_t km[STORE_ONEM2M_KE_LEN];	/* secret */
};

typedef int (*store_onem2m_km_fn)(const struct store_onem2m_km_info *info,
				  void *arg);

int store_onem2m_km_put(struct store *store, const struct store_onem2m_km *km);
int store_onem2m_km_get(struct store *store, const char *km_id, int64_t now,
			struct store_onem2m_km *km);
int store_onem2m_km_remove(struct store *store, const char *km_id);
int store_onem2m_km_purge(struct store *store, int64_t now);
int store_onem2m_km_count(struct store *store, int64_t now);
int store_onem2m_km_list(struct store *store, store_onem2m_km_fn fn,
			 void *arg);
void store_onem2m_km_wipe(struct store_onem2m_km *km);

/*
 * The uid (and gid) a MAF's role last handed its Kms to
 * (roles.maf.handoff, daemon/maf/maf_handoff.h), so that a start under
 * another uid, or without handoff, takes the keys back from the old one.
 * One row of meta, 'onem2m_maf_handoff' (no schema of its own: nothing
 * but this one value, and a store without it reads as none recorded),
 * its value uid || gid sealed at that name. get: 0, -ENOENT (none),
 * -EKEYREJECTED (written by another than e2m), store errors; set
 * replaces it; clear deletes it (0 also when there was none).
 */
struct store_onem2m_handoff {
	uint32_t uid;
	uint32_t gid;
};

int store_onem2m_handoff_get(struct store *store,
			     struct store_onem2m_handoff *h);
int store_onem2m_handoff_set(struct store *store,
			     const struct store_onem2m_handoff *h);
int store_onem2m_handoff_clear(struct store *store);

bool store_onem2m_id_valid(const char *id);
/* "maf" or "enrolee-b"; and back: 0 or -EINVAL. */
const char *store_onem2m_target_name(enum store_onem2m_target kind);
int store_onem2m_target_parse(const char *name,
			      enum store_onem2m_target *kind);

/* Whether a string is a valid IMSI, IMPI, ICCID, B-TID (1) or not (0). */
int store_imsi_valid(const char *imsi);
int store_impi_valid(const char *impi);
int store_iccid_valid(const char *iccid);
int store_btid_valid(const char *btid);
int store_device_id_valid(const char *device_id);

#endif /* E2M_STORE_H */
