// SPDX-License-Identifier: GPL-2.0
/*
 * 128-NEA2 and 128-NIA2 (TS 33.401 Annex B) over a linear buffer, with the
 * kernel crypto API, synchronously; requests live on the stack.
 *
 * Every scatterlist points at memory with a struct page behind it: the
 * packet (a linear skb head) or a kmalloc'd buffer, never the stack (a
 * virtually mapped one, CONFIG_VMAP_STACK) nor per-CPU or module memory.
 * The CMAC subkeys, one block at bind time, come from the AES library.
 *
 * NIA2 is AES-CMAC. Rather than the kernel's cmac(aes), which on some
 * kernels enters and leaves the FPU once per 16-octet block, the CMAC is
 * computed as a CBC-MAC with cbc(aes) over a per-CPU copy of the message,
 * its last block already combined with the subkey (RFC 4493): one cbc(aes)
 * request per packet for all but very large packets. The copy is needed
 * anyway, since NIA2 prefixes the message with COUNT, BEARER and DIRECTION.
 * The self-tests check the result against cmac(aes).
 *
 * Where the fast AES modes are SIMD code that may not run in every context
 * (AES-NI on x86), the kernel registers them only as "internal" algorithms
 * behind an asynchronous wrapper, which a synchronous user never gets: a
 * sync ctr(aes) is then the ctr template over the one-block cipher, which
 * saves and restores the FPU for every 16 octets. So each key also gets
 * the internal bulk implementation when there is one, and a packet uses it
 * whenever SIMD is usable on this CPU at this moment (crypto_simd_usable(),
 * the test the wrapper itself makes), the generic one otherwise.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <asm/simd.h>
#include <crypto/internal/simd.h>
#include <crypto/aes.h>
#include <crypto/skcipher.h>
#include <linux/err.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "compat.h"
#include "crypto.h"

/* Large enough for a whole protected N-PDU at the usual MTUs. */
#define E2M_SCRATCH_LEN 2048

/*
 * One kmalloc'd buffer per possible CPU, from load to unload. Used with
 * bottom halves off: transmit and receive never nest on a CPU.
 */
static DEFINE_PER_CPU(u8 *, e2m_scratch);

/*
 * Whether internal bulk modes exist, found once at load: looking for a
 * missing algorithm would ask for a module at every key bind.
 */
static bool e2m_have_simd;

static struct crypto_sync_skcipher *e2m_alloc_simd(const char *name)
{
	struct crypto_sync_skcipher *tfm;

	tfm = crypto_alloc_sync_skcipher(name, CRYPTO_ALG_INTERNAL,
					 CRYPTO_ALG_INTERNAL);
	return IS_ERR(tfm) ? NULL : tfm;
}

int e2m_crypto_global_init(void)
{
	struct crypto_sync_skcipher *ctr, *cbc;
	int cpu;

	for_each_possible_cpu(cpu) {
		u8 *buf = kmalloc_node(E2M_SCRATCH_LEN, GFP_KERNEL,
				       cpu_to_node(cpu));

		if (!buf) {
			e2m_crypto_global_exit();
			return -ENOMEM;
		}
		per_cpu(e2m_scratch, cpu) = buf;
	}
	ctr = e2m_alloc_simd("__ctr(aes)");
	cbc = e2m_alloc_simd("__cbc(aes)");
	e2m_have_simd = ctr && cbc;
	crypto_free_sync_skcipher(ctr);
	crypto_free_sync_skcipher(cbc);
	if (e2m_have_simd)
		pr_info("using %s and %s when SIMD is usable\n",
			"__ctr(aes)", "__cbc(aes)");
	return 0;
}

/* The transform to use for this packet, on this CPU, now. */
static struct crypto_sync_skcipher *
e2m_pick(struct crypto_sync_skcipher *generic, struct crypto_sync_skcipher *simd)
{
	return simd && crypto_simd_usable() ? simd : generic;
}

void e2m_crypto_global_exit(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		kfree_sensitive(per_cpu(e2m_scratch, cpu));
		per_cpu(e2m_scratch, cpu) = NULL;
	}
}

/* Debug builds check what sg_init_one() is given: the CONFIG_DEBUG_SG test. */
static bool e2m_sg_ok(const void *buf)
{
#ifdef E2M_DEBUG
	return !WARN_ON_ONCE(!virt_addr_valid(buf));
#else
	return true;
#endif
}

/*
 * In-place encryption of @len octets with @tfm (ctr or cbc, for cbc a
 * multiple of 16); @iv chains from one call to the next. @buf must be in
 * the kernel's linear map (sg_init_one() takes its page): debug builds
 * refuse anything else loudly.
 */
static int e2m_encrypt(struct crypto_sync_skcipher *tfm, u8 *buf,
		       unsigned int len, u8 *iv)
{
	SYNC_SKCIPHER_REQUEST_ON_STACK(req, tfm);
	struct scatterlist sg;
	int ret;

	if (!e2m_sg_ok(buf))
		return -EFAULT;
	sg_init_one(&sg, buf, len);
	skcipher_request_set_sync_tfm(req, tfm);
	skcipher_request_set_callback(req, 0, NULL, NULL);
	skcipher_request_set_crypt(req, &sg, &sg, len, iv);
	ret = crypto_skcipher_encrypt(req);
	skcipher_request_zero(req);
	return ret;
}

/* Doubling in GF(2^128), as RFC 4493 derives the subkeys. */
static void e2m_gf128_double(u8 *out, const u8 *in)
{
	u8 carry = in[0] >> 7;
	int i;

	for (i = 0; i < AES_BLOCK_SIZE - 1; i++)
		out[i] = (in[i] << 1) | (in[i + 1] >> 7);
	out[AES_BLOCK_SIZE - 1] = (in[AES_BLOCK_SIZE - 1] << 1) ^ (carry * 0x87);
}

/* K1 and K2 from L = AES(K_int, 0), with the AES library: no scatterlist. */
static int e2m_cmac_subkeys(struct e2m_crypto *c, const u8 *k_int)
{
	u8 l[AES_BLOCK_SIZE] = { 0 };
	struct crypto_aes_ctx *aes;
	int ret;

	aes = kmalloc(sizeof(*aes), GFP_KERNEL);
	if (!aes)
		return -ENOMEM;
	ret = aes_expandkey(aes, k_int, AES_KEYSIZE_128);
	if (!ret) {
		aes_encrypt(aes, l, l);
		e2m_gf128_double(c->k1, l);
		e2m_gf128_double(c->k2, c->k1);
	}
	memzero_explicit(l, sizeof(l));
	kfree_sensitive(aes);
	return ret;
}

int e2m_crypto_init(struct e2m_crypto *c, const u8 *k_enc, const u8 *k_int)
{
	int ret;

	memset(c, 0, sizeof(*c));
	c->nea2 = crypto_alloc_sync_skcipher("ctr(aes)", 0, 0);
	if (IS_ERR(c->nea2)) {
		ret = PTR_ERR(c->nea2);
		c->nea2 = NULL;
		return ret;
	}
	c->cbc = crypto_alloc_sync_skcipher("cbc(aes)", 0, 0);
	if (IS_ERR(c->cbc)) {
		ret = PTR_ERR(c->cbc);
		c->cbc = NULL;
		goto err;
	}
	if (e2m_have_simd) {
		/* Best effort: without them the generic ones do the work. */
		c->nea2_simd = e2m_alloc_simd("__ctr(aes)");
		c->cbc_simd = e2m_alloc_simd("__cbc(aes)");
	}
	ret = crypto_sync_skcipher_setkey(c->nea2, k_enc, AES_KEYSIZE_128);
	if (!ret)
		ret = crypto_sync_skcipher_setkey(c->cbc, k_int, AES_KEYSIZE_128);
	if (!ret && c->nea2_simd)
		ret = crypto_sync_skcipher_setkey(c->nea2_simd, k_enc,
						  AES_KEYSIZE_128);
	if (!ret && c->cbc_simd)
		ret = crypto_sync_skcipher_setkey(c->cbc_simd, k_int,
						  AES_KEYSIZE_128);
	if (!ret)
		ret = e2m_cmac_subkeys(c, k_int);
	if (ret)
		goto err;
	return 0;
err:
	e2m_crypto_free(c);
	return ret;
}

/* Freeing a transform wipes its key schedule (kfree_sensitive). */
void e2m_crypto_free(struct e2m_crypto *c)
{
	crypto_free_sync_skcipher(c->cbc_simd);
	crypto_free_sync_skcipher(c->nea2_simd);
	crypto_free_sync_skcipher(c->cbc);
	crypto_free_sync_skcipher(c->nea2);
	c->cbc_simd = NULL;
	c->nea2_simd = NULL;
	c->cbc = NULL;
	c->nea2 = NULL;
	memzero_explicit(c->k1, sizeof(c->k1));
	memzero_explicit(c->k2, sizeof(c->k2));
}

/* COUNT || BEARER (5 bits) || DIRECTION || 0^26, as both algorithms use. */
static void e2m_fresh(u8 *out8, u32 count, u8 bearer, u8 direction)
{
	put_unaligned_be32(count, out8);
	out8[4] = (bearer << 3) | (direction << 2);
	out8[5] = 0;
	out8[6] = 0;
	out8[7] = 0;
}

/* Encrypts or decrypts @len octets at @data in place. */
int e2m_nea2(struct e2m_crypto *c, u32 count, u8 bearer, u8 direction,
	     u8 *data, unsigned int len)
{
	u8 iv[AES_BLOCK_SIZE] = { 0 };

	e2m_fresh(iv, count, bearer, direction);
	return e2m_encrypt(e2m_pick(c->nea2, c->nea2_simd), data, len, iv);
}

/* The message NIA2 MACs: the 8-octet FRESH block, then @data. */
struct e2m_nia2_msg {
	u8 fresh[8];
	const u8 *data;
	unsigned int len;	/* 8 + data length */
};

/* Copies octets [@off, @off + @n) of the message to @dst. */
static void e2m_nia2_copy(u8 *dst, const struct e2m_nia2_msg *m,
			  unsigned int off, unsigned int n)
{
	while (n && off < sizeof(m->fresh)) {
		*dst++ = m->fresh[off++];
		n--;
	}
	memcpy(dst, m->data + off - sizeof(m->fresh), n);
}

/* MAC-I (4 octets at @mac) over @len octets at @data: AES-CMAC(K_int). */
int e2m_nia2(struct e2m_crypto *c, u32 count, u8 bearer, u8 direction,
	     const u8 *data, unsigned int len, u8 *mac)
{
	struct e2m_nia2_msg m = { .data = data, .len = sizeof(m.fresh) + len };
	unsigned int nblocks = DIV_ROUND_UP(m.len, AES_BLOCK_SIZE);
	unsigned int last = m.len - (nblocks - 1) * AES_BLOCK_SIZE;
	u8 iv[AES_BLOCK_SIZE] = { 0 };
	unsigned int body, off = 0, chunk, i;
	struct crypto_sync_skcipher *cbc;
	const u8 *subkey;
	u8 *buf;
	int ret;

	e2m_fresh(m.fresh, count, bearer, direction);
	buf = this_cpu_read(e2m_scratch);
	cbc = e2m_pick(c->cbc, c->cbc_simd);

	/*
	 * Blocks before the last, a scratch buffer at a time, until the rest
	 * and the last block fit in one: one request for usual packets.
	 */
	body = (nblocks - 1) * AES_BLOCK_SIZE;
	while (body - off > E2M_SCRATCH_LEN - AES_BLOCK_SIZE) {
		chunk = E2M_SCRATCH_LEN - AES_BLOCK_SIZE;
		e2m_nia2_copy(buf, &m, off, chunk);
		ret = e2m_encrypt(cbc, buf, chunk, iv);
		if (ret)
			goto out;
		off += chunk;
	}
	chunk = m.len - off;
	e2m_nia2_copy(buf, &m, off, chunk);
	/* The last block: whole, xor K1; else padded 10*, xor K2. */
	if (last == AES_BLOCK_SIZE) {
		subkey = c->k1;
	} else {
		subkey = c->k2;
		buf[chunk] = 0x80;
		memset(buf + chunk + 1, 0, AES_BLOCK_SIZE - last - 1);
		chunk += AES_BLOCK_SIZE - last;
	}
	for (i = 0; i < AES_BLOCK_SIZE; i++)
		buf[chunk - AES_BLOCK_SIZE + i] ^= subkey[i];
	ret = e2m_encrypt(cbc, buf, chunk, iv);
	if (!ret)
		memcpy(mac, buf + chunk - AES_BLOCK_SIZE, 4);
out:
	memzero_explicit(iv, sizeof(iv));
	return ret;
}
