// SPDX-License-Identifier: GPL-2.0
/*
 * scp11a_sm.c: SCP03 secure messaging of an SCP11a session, byte for byte
 * on a session transcript made with Yubico's yubikit (its SCP11a
 * implementation, fixed private keys): its session keys and receipt, three
 * protected commands (GET DATA, a PUT KEY carrying K and OPc wrapped under
 * S-DEK, a one-octet command) and their responses, both ways: the OCE's
 * wrapping and the SD's unwrapping of each command, the SD's wrapping and
 * the OCE's unwrapping of each response. Then the refusals: a changed
 * C-MAC or R-MAC, a replayed command or response, commands out of turn,
 * and a closed session staying closed.
 */
#include <errno.h>
#include <string.h>

#include "crypto/scp11a_sm.h"
#include "tap.h"

static const struct {
	uint8_t cla, ins, p1, p2;
	const char *data, *apdu, *resp_plain, *resp;
} transcript[] = {
	{ 0x80, 0xca, 0x00, 0x5a, "",
	  "84ca005a1838658b7780a57f20883c4c09980291987d3820f5b6e6cfb9",
	  "c00a98001032547698103214c10f303031303130303030303030303031",
	  "4536ecdf87431ee31d0a703b3c80c4bb0abbb97cad03f14e46cb631305f57370"
	  "8b52a7ee73b845259000" },
	{ 0x80, 0xd8, 0x00, 0x01,
	  "c00a98001032547698103214c10f303031303130303030303030303031"
	  "c210fc8ae3451b5471bee31300f5f25b277c"
	  "c310902cf5a44b8a6771fe47916eaeb322a2c40400000001",
	  "84d8000158102c04eddc524c5514eadbd9b735a9b49373fdc92c71b820ec5275"
	  "56d918b2bc33123360ca732268380f5e4fdfb01b56155780f4b876ac6d813b05"
	  "3f9aba0af07dc2d7bc6639d888a0b1b51f7b580803fe86ec8d5073a62c",
	  "c35280fcb06c",
	  "03b7c9207bfbfad68e6254054845c07d91acd31a3ec3b3679000" },
	{ 0x80, 0xe8, 0x00, 0x00, "01",
	  "84e80000184e3a4a502f18469a25da756f7055be1ba375499e9e06a69d",
	  "", "abf70653907ba9d09000" },
};

#define N_STEPS (sizeof(transcript) / sizeof(transcript[0]))

static void session(struct scp_sm *sm)
{
	struct scp11a_keys keys = { 0 };
	uint8_t receipt[SCP11A_RECEIPT_LEN];

	unhex(keys.s_enc, 16, "da63e4c77dea6c185758e57e503eb70f");
	unhex(keys.s_mac, 16, "382c7871a5ebc3916fe2cd3a9e990449");
	unhex(keys.s_rmac, 16, "8d86431f533506060025da6617b910dd");
	unhex(receipt, 16, "5ee75a1f952637c92500e5592ec97c86");
	scp_sm_init(sm, &keys, receipt);
	scp11a_keys_wipe(&keys);
}

static size_t from_hex(uint8_t *out, const char *hex)
{
	return strlen(hex) ? unhex(out, strlen(hex) / 2, hex) : 0;
}

static void test_transcript(void)
{
	uint8_t plain[SCP_SM_PADDED_MAX], wire[SCP_SM_APDU_MAX];
	uint8_t buf[SCP_SM_PADDED_MAX], expected[SCP_SM_APDU_MAX];
	struct scp_sm oce, sd;
	struct scp_apdu cmd, got;
	size_t i, len, elen;
	uint16_t sw;

	session(&oce);
	session(&sd);
	for (i = 0; i < N_STEPS; i++) {
		cmd = (struct scp_apdu){
			.cla = transcript[i].cla, .ins = transcript[i].ins,
			.p1 = transcript[i].p1, .p2 = transcript[i].p2,
			.data = plain,
			.len = from_hex(plain, transcript[i].data),
		};
		ok(scp_sm_wrap_command(&oce, &cmd, wire, sizeof(wire),
				       &len) == 0,
		   "command %zu: the OCE wraps it", i + 1);
		is_hex(wire, len, transcript[i].apdu,
		       "command %zu: C-DEC and C-MAC as yubikit's", i + 1);

		elen = from_hex(expected, transcript[i].apdu);
		ok(scp_sm_unwrap_command(&sd, expected, elen, &got, buf) == 0,
		   "command %zu: the SD verifies and decrypts it", i + 1);
		ok(got.cla == cmd.cla && got.ins == cmd.ins &&
		   got.p1 == cmd.p1 && got.p2 == cmd.p2,
		   "command %zu: header as sent, CLA without the SM bit",
		   i + 1);
		is_hex(got.data, got.len, transcript[i].data,
		       "command %zu: data as sent", i + 1);

		len = from_hex(plain, transcript[i].resp_plain);
		ok(scp_sm_wrap_response(&sd, plain, len, 0x9000, wire,
					sizeof(wire), &len) == 0,
		   "response %zu: the SD wraps it", i + 1);
		is_hex(wire, len, transcript[i].resp,
		       "response %zu: R-ENC and R-MAC as yubikit's", i + 1);
		ok(scp_sm_unwrap_response(&oce, wire, len, buf, &len,
					  &sw) == 0 && sw == 0x9000,
		   "response %zu: the OCE verifies it, SW 9000", i + 1);
		is_hex(buf, len, transcript[i].resp_plain,
		       "response %zu: data as sent", i + 1);
	}
	scp_sm_wipe(&oce);
	scp_sm_wipe(&sd);
}

static void test_dek(void)
{
	uint8_t s_dek[16], key[32], wrapped[32], back[32];

	unhex(s_dek, 16, "feab78d831fac04fee91d897e886e6c2");
	unhex(key, 32, "000102030405060708090a0b0c0d0e0f"
		       "f0e0d0c0b0a090807060504030201000");
	ok(scp_dek_wrap(s_dek, key, 16, wrapped) == 0 &&
	   scp_dek_wrap(s_dek, key + 16, 16, wrapped + 16) == 0,
	   "S-DEK: K and OPc wrapped one by one");
	is_hex(wrapped, 32, "fc8ae3451b5471bee31300f5f25b277c"
			    "902cf5a44b8a6771fe47916eaeb322a2",
	       "S-DEK: AES-CBC, zero IV, as in yubikit's PUT KEY");
	ok(scp_dek_unwrap(s_dek, wrapped, 16, back) == 0 &&
	   scp_dek_unwrap(s_dek, wrapped + 16, 16, back + 16) == 0 &&
	   !memcmp(back, key, 32), "S-DEK: unwrapped back");
	ok(scp_dek_wrap(s_dek, key, 15, wrapped) == -EINVAL &&
	   scp_dek_unwrap(s_dek, key, 0, wrapped) == -EINVAL,
	   "S-DEK: not whole blocks refused");
}

/* The SD after the first command of the transcript went through. */
static void first_command(struct scp_sm *sd, uint8_t *apdu, size_t *len)
{
	struct scp_apdu got;
	uint8_t buf[SCP_SM_PADDED_MAX];

	session(sd);
	*len = from_hex(apdu, transcript[0].apdu);
	scp_sm_unwrap_command(sd, apdu, *len, &got, buf);
}

static void test_refusals(void)
{
	uint8_t apdu[SCP_SM_APDU_MAX], resp[SCP_SM_RESP_MAX];
	uint8_t buf[SCP_SM_PADDED_MAX];
	struct scp_sm oce, sd;
	struct scp_apdu cmd = { .cla = 0x80, .ins = 0xca, .p2 = 0x5a };
	struct scp_apdu got;
	size_t len, rlen;
	uint16_t sw;

	session(&sd);
	len = from_hex(apdu, transcript[0].apdu);
	apdu[len - 1] ^= 0x01;
	ok(scp_sm_unwrap_command(&sd, apdu, len, &got, buf) == -EBADMSG,
	   "refused: a C-MAC with one bit changed");
	apdu[len - 1] ^= 0x01;
	ok(scp_sm_unwrap_command(&sd, apdu, len, &got, buf) == -EPIPE,
	   "refused: the right command after that, the session is closed");

	session(&sd);
	apdu[6] ^= 0x01;
	ok(scp_sm_unwrap_command(&sd, apdu, len, &got, buf) == -EBADMSG,
	   "refused: ciphertext changed under the C-MAC");
	apdu[6] ^= 0x01;

	session(&sd);
	apdu[0] = 0x80;
	ok(scp_sm_unwrap_command(&sd, apdu, len, &got, buf) == -EPROTO,
	   "refused: CLA without the secure messaging bit");
	apdu[0] = 0x84;
	session(&sd);
	ok(scp_sm_unwrap_command(&sd, apdu, len - 1, &got, buf) == -EPROTO,
	   "refused: Lc not the length");

	first_command(&sd, apdu, &len);
	ok(scp_sm_unwrap_command(&sd, apdu, len, &got, buf) == -EPIPE,
	   "refused: a second command before the response");
	first_command(&sd, apdu, &len);
	scp_sm_wrap_response(&sd, NULL, 0, 0x9000, resp, sizeof(resp), &rlen);
	ok(scp_sm_unwrap_command(&sd, apdu, len, &got, buf) == -EBADMSG,
	   "refused: the first command replayed (the chain moved on)");

	session(&oce);
	ok(scp_sm_unwrap_response(&oce, resp, rlen, buf, &len, &sw) == -EPIPE,
	   "refused: a response before any command");
	scp_sm_wrap_command(&oce, &cmd, apdu, sizeof(apdu), &len);
	ok(scp_sm_wrap_command(&oce, &cmd, apdu, sizeof(apdu), &len) == -EPIPE,
	   "refused: a second command before the response");
	rlen = from_hex(resp, transcript[0].resp);
	resp[rlen - 3] ^= 0x80;
	ok(scp_sm_unwrap_response(&oce, resp, rlen, buf, &len, &sw) == -EBADMSG
	   && len == 0 && sw == 0,
	   "refused: an R-MAC with one bit changed, nothing given out");
	resp[rlen - 3] ^= 0x80;
	ok(scp_sm_unwrap_response(&oce, resp, rlen, buf, &len, &sw) == -EPIPE,
	   "refused: anything after that");

	session(&oce);
	scp_sm_wrap_command(&oce, &cmd, apdu, sizeof(apdu), &len);
	rlen = from_hex(resp, transcript[0].resp);
	resp[rlen - 1] = 0x01;
	ok(scp_sm_unwrap_response(&oce, resp, rlen, buf, &len, &sw) == -EBADMSG,
	   "refused: SW changed under the R-MAC");

	session(&oce);
	cmd.data = buf;
	cmd.len = SCP_SM_DATA_MAX + 1;
	ok(scp_sm_wrap_command(&oce, &cmd, apdu, sizeof(apdu), &len) ==
	   -EMSGSIZE, "refused: data over %d octets", SCP_SM_DATA_MAX);
	cmd.len = SCP_SM_DATA_MAX;
	memset(buf, 0xa5, SCP_SM_DATA_MAX);
	ok(scp_sm_wrap_command(&oce, &cmd, apdu, sizeof(apdu), &len) == 0 &&
	   len == SCP_SM_APDU_MAX, "%d octets of data fill a short APDU",
	   SCP_SM_DATA_MAX);
	session(&sd);
	ok(scp_sm_unwrap_command(&sd, apdu, len, &got, resp) == 0 &&
	   got.len == SCP_SM_DATA_MAX && !memcmp(got.data, buf, got.len),
	   "and come through");
	scp_sm_wipe(&oce);
	scp_sm_wipe(&sd);
}

int main(void)
{
	test_transcript();
	test_dek();
	test_refusals();
	return done_testing();
}
