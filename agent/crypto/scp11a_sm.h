/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The secure messaging of an SCP11a session: SCP03's (GlobalPlatform
 * Amendment D), with the first MAC chaining value the receipt (PROFILE.md
 * section 7, DIGEST.md section 7). Security level C-MAC, C-DECRYPTION,
 * R-MAC, R-ENCRYPTION: everything, always.
 *
 * Command (OCE to SD), from CLA INS P1 P2 and data:
 *
 *	data' = AES-128-CBC(S-ENC, ICV, data || 80 00..)  ICV = AES(S-ENC,
 *		the encryption counter as 16 octets, big-endian)
 *	CLA'  = CLA | 04, Lc' = |data'| + 8
 *	chain = AES-CMAC(S-MAC, chain || CLA' INS P1 P2 Lc' || data')
 *	APDU  = CLA' INS P1 P2 Lc' || data' || first 8 octets of chain
 *
 * Response (SD to OCE), from data and SW1 SW2:
 *
 *	data' = AES-128-CBC(S-ENC, ICV', data || 80 00..) if data is not
 *		empty, ICV' = AES(S-ENC, 80 || the command's counter as 15
 *		octets)
 *	R-MAC = first 8 octets of AES-CMAC(S-RMAC, chain || data' || SW)
 *	R-APDU = data' || R-MAC || SW
 *
 * The encryption counter starts at 1 and counts every command; the chain
 * is the last full C-MAC, which the R-MAC of its response uses but does
 * not replace. A command without data is still sent with one encrypted
 * padding block, as Yubico's yubikit does; an unwrapped command may also
 * carry no data' at all (Lc' = 8), as GP allows. Every response is
 * R-MACed, an error status too. Commands and responses alternate. The
 * first MAC, padding or order failure closes the session on that side:
 * every later call returns -EPIPE, as the SD ends a secure channel at the
 * first bad C-MAC.
 */
#ifndef E2M_SCP11A_SM_H
#define E2M_SCP11A_SM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scp11a.h"

#define SCP_SM_MAC_LEN		8
#define SCP_SM_CLA_SECURE	0x04	/* the CLA bit of secure messaging */
/* Plain data, either way, that still fits a short APDU once padded and
 * MACed. */
#define SCP_SM_DATA_MAX		239
#define SCP_SM_PADDED_MAX	240
#define SCP_SM_APDU_MAX		(5 + SCP_SM_PADDED_MAX + SCP_SM_MAC_LEN)
#define SCP_SM_RESP_MAX		(SCP_SM_PADDED_MAX + SCP_SM_MAC_LEN + 2)

struct scp_sm {
	uint8_t s_enc[SCP11A_KEY_LEN];
	uint8_t s_mac[SCP11A_KEY_LEN];
	uint8_t s_rmac[SCP11A_KEY_LEN];
	uint8_t chain[SCP11A_RECEIPT_LEN];	/* MAC chaining value */
	uint32_t counter;	/* of the next command */
	bool awaiting_response;
	bool closed;
};

/* An APDU as the application sees it, before wrapping or after unwrapping. */
struct scp_apdu {
	uint8_t cla, ins, p1, p2;
	const uint8_t *data;
	size_t len;
};

/* A session from the agreed keys and the receipt. */
void scp_sm_init(struct scp_sm *sm, const struct scp11a_keys *keys,
		 const uint8_t receipt[SCP11A_RECEIPT_LEN]);
void scp_sm_wipe(struct scp_sm *sm);

/*
 * OCE: the protected APDU of cmd into out (SCP_SM_APDU_MAX octets will
 * do). 0, -EMSGSIZE (data over SCP_SM_DATA_MAX or out too small), -EPIPE
 * (closed, or a response is awaited) or -EIO.
 */
int scp_sm_wrap_command(struct scp_sm *sm, const struct scp_apdu *cmd,
			uint8_t *out, size_t out_size, size_t *out_len);

/*
 * SD: checks the C-MAC (constant time) and decrypts. cmd->data points into
 * buf (SCP_SM_PADDED_MAX octets). 0, -EPROTO (malformed), -EBADMSG (C-MAC
 * or padding wrong), -EPIPE or -EIO; every error but -EIO closes the
 * session, and buf is wiped on error.
 */
int scp_sm_unwrap_command(struct scp_sm *sm, const uint8_t *apdu,
			  size_t len, struct scp_apdu *cmd, uint8_t *buf);

/* SD: the response to the command just unwrapped, into out
 * (SCP_SM_RESP_MAX octets will do). As wrap_command. */
int scp_sm_wrap_response(struct scp_sm *sm, const uint8_t *data, size_t len,
			 uint16_t sw, uint8_t *out, size_t out_size,
			 size_t *out_len);

/*
 * OCE: checks the R-MAC and decrypts the response into data
 * (SCP_SM_PADDED_MAX octets). As unwrap_command.
 */
int scp_sm_unwrap_response(struct scp_sm *sm, const uint8_t *resp,
			   size_t len, uint8_t *data, size_t *data_len,
			   uint16_t *sw);

/*
 * Keys under S-DEK: AES-128-CBC, zero IV, no padding (len a non-zero
 * multiple of 16). 0, -EINVAL or -EIO.
 */
int scp_dek_wrap(const uint8_t s_dek[SCP11A_KEY_LEN], const uint8_t *in,
		 size_t len, uint8_t *out);
int scp_dek_unwrap(const uint8_t s_dek[SCP11A_KEY_LEN], const uint8_t *in,
		   size_t len, uint8_t *out);

#endif /* E2M_SCP11A_SM_H */
