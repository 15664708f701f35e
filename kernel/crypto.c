// SPDX-License-Identifier: GPL-2.0
/*
 * 128-NEA2 and 128-NIA2 (TS 33.401 Annex B) over a linear buffer, with the
 * kernel crypto API through the algorithms' public names only.
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
 * Which transforms. Where the fast AES modes are SIMD code that may not
 * run in every context (AES-NI on x86 in 6.1 and 6.12), the best "ctr(aes)"
 * and "cbc(aes)" are asynchronous: a wrapper that runs the bulk code at
 * once when SIMD is usable and nothing of that transform is queued, and
 * otherwise queues the request to cryptd and answers -EINPROGRESS. The
 * synchronous "ctr(aes)" is the ctr template over a one-block cipher
 * (generic C, or AES-NI saving and restoring the FPU every 16 octets).
 * Measured in one boot of the TCG test VM (Documentation/testing.md,
 * "Crypto transforms"), the wrapper through a per-CPU buffer keeps the raw
 * rate of the internal bulk code e2m used to take directly (median ratio
 * 0.99 at 64 octets of payload, 1.43 at 1400); the synchronous transforms
 * and the AES library (aes_encrypt() per block) are slower than the
 * wrapper in every round, 1.2 to 3 times at 64 octets and 2.3 to 4 times
 * at 1400. So each key gets the best
 * transform, and when that one may complete later, also the synchronous
 * one: a packet uses the best one when SIMD is usable on this CPU now
 * (crypto_simd_usable()), the synchronous one otherwise, so that the
 * wrapper is asked only when it can do the work at once.
 *
 * A request the API keeps (-EINPROGRESS or -EBUSY) must not point at the
 * packet, nor at anything that may be gone when it completes: so the best
 * transform works on a per-CPU kmalloc'd context (request, scatterlist, IV
 * and scratch buffer; NEA2 copies the packet in and out, in chunks of the
 * buffer). When a request is kept, its context belongs to the completion,
 * which frees it, and the CPU takes a new one (GFP_ATOMIC, the one
 * allocation, in a case that asking the wrapper only with SIMD usable
 * makes as good as unreachable). The caller drops the packet (counted as
 * "crypto"): its COUNT was taken already and is never used again, and
 * continuing a packet from the completion would be a second data path for
 * a case that does not happen. A key slot is freed only once the requests
 * it lent are done (in_flight).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <asm/simd.h>
#include <crypto/internal/simd.h>
#include <crypto/aes.h>
#include <crypto/skcipher.h>
#include <linux/err.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/percpu.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/wait_bit.h>

#include "compat.h"
#include "crypto.h"

/* Large enough for a whole protected N-PDU at the usual MTUs. */
#define E2M_SCRATCH_LEN 2048

/*
 * What a request of the best transform needs, all kmalloc'd: the API may
 * keep the request and finish it after the caller returned.
 */
struct e2m_crypto_cpu {
	struct e2m_crypto *owner;	/* whose request it is, while kept */
	struct skcipher_request *req;	/* with e2m_reqsize octets of context */
	struct scatterlist sg;
	u8 iv[AES_BLOCK_SIZE];
	u8 scratch[E2M_SCRATCH_LEN];
};

/*
 * One context per possible CPU, from load to unload or until a request
 * keeps it. Used with bottom halves off: transmit and receive never nest on
 * a CPU.
 */
static DEFINE_PER_CPU(struct e2m_crypto_cpu *, e2m_crypto_cpu);

/* The largest request context of the transforms e2m uses, found at load. */
static unsigned int e2m_reqsize = MAX_SYNC_SKCIPHER_REQSIZE;

#ifdef E2M_DEBUG
bool e2m_crypto_test_no_simd;
atomic_t e2m_crypto_test_completions = ATOMIC_INIT(0);
#endif

static bool e2m_simd_usable(void)
{
#ifdef E2M_DEBUG
	if (READ_ONCE(e2m_crypto_test_no_simd))
		return false;
#endif
	return crypto_simd_usable();
}

static struct e2m_crypto_cpu *e2m_crypto_cpu_alloc(gfp_t gfp, int node)
{
	struct e2m_crypto_cpu *ctx = kmalloc_node(sizeof(*ctx), gfp, node);

	if (!ctx)
		return NULL;
	ctx->req = kmalloc_node(sizeof(*ctx->req) + e2m_reqsize, gfp, node);
	if (!ctx->req) {
		kfree(ctx);
		return NULL;
	}
	return ctx;
}

static void e2m_crypto_cpu_free(struct e2m_crypto_cpu *ctx)
{
	if (!ctx)
		return;
	kfree_sensitive(ctx->req);
	kfree_sensitive(ctx);
}

/* This CPU's context, bottom halves off; a new one if a request kept it. */
static struct e2m_crypto_cpu *e2m_crypto_cpu_get(void)
{
	struct e2m_crypto_cpu *ctx = this_cpu_read(e2m_crypto_cpu);

	if (unlikely(!ctx)) {
		ctx = e2m_crypto_cpu_alloc(GFP_ATOMIC, NUMA_NO_NODE);
		this_cpu_write(e2m_crypto_cpu, ctx);
	}
	return ctx;
}

static void e2m_reqsize_probe(const char *name)
{
	struct crypto_skcipher *tfm = crypto_alloc_skcipher(name, 0, 0);

	if (IS_ERR(tfm))
		return;
	e2m_reqsize = max(e2m_reqsize, crypto_skcipher_reqsize(tfm));
	crypto_free_skcipher(tfm);
}

int e2m_crypto_global_init(void)
{
	int cpu;

	e2m_reqsize_probe("ctr(aes)");
	e2m_reqsize_probe("cbc(aes)");
#ifdef E2M_DEBUG
	e2m_reqsize_probe("cryptd(ctr(aes-generic))");	/* the self-tests' */
	e2m_reqsize_probe("cryptd(cbc(aes-generic))");
#endif
	for_each_possible_cpu(cpu) {
		struct e2m_crypto_cpu *ctx;

		ctx = e2m_crypto_cpu_alloc(GFP_KERNEL, cpu_to_node(cpu));
		if (!ctx) {
			e2m_crypto_global_exit();
			return -ENOMEM;
		}
		per_cpu(e2m_crypto_cpu, cpu) = ctx;
	}
	return 0;
}

/* After every key slot is freed: no request is kept any more. */
void e2m_crypto_global_exit(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		e2m_crypto_cpu_free(per_cpu(e2m_crypto_cpu, cpu));
		per_cpu(e2m_crypto_cpu, cpu) = NULL;
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
 * In-place encryption of @len octets with a synchronous @tfm (ctr or cbc,
 * for cbc a multiple of 16); @iv chains from one call to the next. @buf
 * must be in the kernel's linear map (sg_init_one() takes its page): debug
 * builds refuse anything else loudly. The request never outlives the call,
 * so it and @iv may live on the stack.
 */
static int e2m_encrypt_sync(struct crypto_sync_skcipher *tfm, u8 *buf,
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

/*
 * A kept request is done: its context goes, and the slot's transforms may
 * go once nothing else of theirs is kept. The result is not wanted: the
 * packet it was for is dropped already.
 */
static void e2m_crypto_done(void *data, int err)
{
	struct e2m_crypto_cpu *ctx = data;
	struct e2m_crypto *c;

	if (err == -EINPROGRESS)	/* out of a backlog, not done yet */
		return;
	c = ctx->owner;
	e2m_crypto_cpu_free(ctx);
#ifdef E2M_DEBUG
	atomic_inc(&e2m_crypto_test_completions);
#endif
	/*
	 * The submitter counts the request in after the API kept it, so this
	 * may run first and take the count below zero for a moment: harmless,
	 * as nobody waits on a slot that a packet may still reach.
	 */
	if (atomic_dec_and_test(&c->in_flight))
		wake_up_var(&c->in_flight);
}

E2M_COMPAT_CRYPTO_DONE(e2m_crypto_done)

/*
 * In-place encryption of @len octets of @ctx's scratch buffer with @tfm,
 * which may keep the request (-EINPROGRESS): @ctx is then the completion's
 * and this CPU gets another. @ctx->iv chains from one call to the next.
 */
static int e2m_encrypt_kept(struct e2m_crypto *c, struct crypto_skcipher *tfm,
			    struct e2m_crypto_cpu *ctx, unsigned int len)
{
	struct skcipher_request *req = ctx->req;
	int ret;

	if (!e2m_sg_ok(ctx->scratch))
		return -EFAULT;
	sg_init_one(&ctx->sg, ctx->scratch, len);
	skcipher_request_set_tfm(req, tfm);
	skcipher_request_set_callback(req, 0, e2m_crypto_done_compat, ctx);
	skcipher_request_set_crypt(req, &ctx->sg, &ctx->sg, len, ctx->iv);
	ctx->owner = c;
	ret = crypto_skcipher_encrypt(req);
	if (likely(ret != -EINPROGRESS && ret != -EBUSY))
		return ret;
	atomic_inc(&c->in_flight);
	this_cpu_write(e2m_crypto_cpu,
		       e2m_crypto_cpu_alloc(GFP_ATOMIC, NUMA_NO_NODE));
	return -EINPROGRESS;
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

/*
 * The best @best transform for @key and, if that one may keep requests,
 * the synchronous @sync one too; else the synchronous one alone.
 */
static int e2m_crypto_alloc_mode(const char *best, const char *sync,
				 const u8 *key, struct crypto_skcipher **best_tfm,
				 struct crypto_sync_skcipher **sync_tfm)
{
	struct crypto_sync_skcipher *s;
	struct crypto_skcipher *tfm;

	tfm = crypto_alloc_skcipher(best, 0, 0);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	if ((crypto_skcipher_alg(tfm)->base.cra_flags & CRYPTO_ALG_ASYNC) &&
	    crypto_skcipher_reqsize(tfm) <= e2m_reqsize)
		*best_tfm = tfm;
	else
		crypto_free_skcipher(tfm);
	s = crypto_alloc_sync_skcipher(sync, 0, 0);
	if (IS_ERR(s))
		return PTR_ERR(s);
	*sync_tfm = s;
	return (*best_tfm ? crypto_skcipher_setkey(*best_tfm, key,
						   AES_KEYSIZE_128) : 0) ?:
	       crypto_sync_skcipher_setkey(s, key, AES_KEYSIZE_128);
}

static int e2m_crypto_init_with(struct e2m_crypto *c, const u8 *k_enc,
				const u8 *k_int, const char *ctr,
				const char *cbc)
{
	int ret;

	memset(c, 0, sizeof(*c));
	ret = e2m_crypto_alloc_mode(ctr, "ctr(aes)", k_enc, &c->nea2,
				    &c->nea2_sync) ?:
	      e2m_crypto_alloc_mode(cbc, "cbc(aes)", k_int, &c->cbc,
				    &c->cbc_sync) ?:
	      e2m_cmac_subkeys(c, k_int);
	if (ret)
		e2m_crypto_free(c);
	return ret;
}

#ifdef E2M_DEBUG
static bool crypto_test_kept;
module_param(crypto_test_kept, bool, 0644);
MODULE_PARM_DESC(crypto_test_kept,
		 "debug builds: keys bound from now on use cryptd, which keeps every request (tests)");
#endif

int e2m_crypto_init(struct e2m_crypto *c, const u8 *k_enc, const u8 *k_int)
{
#ifdef E2M_DEBUG
	if (READ_ONCE(crypto_test_kept))
		return e2m_crypto_init_with(c, k_enc, k_int,
					    "cryptd(ctr(aes-generic))",
					    "cryptd(cbc(aes-generic))");
#endif
	return e2m_crypto_init_with(c, k_enc, k_int, "ctr(aes)", "cbc(aes)");
}

#ifdef E2M_DEBUG
int e2m_crypto_init_algs(struct e2m_crypto *c, const u8 *k_enc,
			 const u8 *k_int, const char *ctr, const char *cbc)
{
	return e2m_crypto_init_with(c, k_enc, k_int, ctr, cbc);
}
#endif

/*
 * Waits for the requests the API kept, then frees the transforms, which
 * wipes their key schedules (kfree_sensitive). May sleep.
 */
void e2m_crypto_free(struct e2m_crypto *c)
{
	might_sleep();
	wait_var_event(&c->in_flight, atomic_read(&c->in_flight) <= 0);
	crypto_free_sync_skcipher(c->cbc_sync);
	crypto_free_sync_skcipher(c->nea2_sync);
	crypto_free_skcipher(c->cbc);
	crypto_free_skcipher(c->nea2);
	c->cbc_sync = NULL;
	c->nea2_sync = NULL;
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
	struct e2m_crypto_cpu *ctx;
	unsigned int off, chunk;
	int ret;

	e2m_fresh(iv, count, bearer, direction);
	if (!c->nea2 || !e2m_simd_usable())
		return e2m_encrypt_sync(c->nea2_sync, data, len, iv);

	/* Through the scratch buffer: a kept request must not hold the skb. */
	ctx = e2m_crypto_cpu_get();
	if (!ctx)
		return -ENOMEM;
	memcpy(ctx->iv, iv, sizeof(iv));
	for (off = 0; off < len; off += chunk) {
		chunk = min_t(unsigned int, len - off, E2M_SCRATCH_LEN);
		memcpy(ctx->scratch, data + off, chunk);
		ret = e2m_encrypt_kept(c, c->nea2, ctx, chunk);
		if (ret)
			return ret;
		memcpy(data + off, ctx->scratch, chunk);
	}
	return 0;
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

/* One CBC request over @len octets of @ctx's scratch buffer. */
static int e2m_cbc_scratch(struct e2m_crypto *c, struct e2m_crypto_cpu *ctx,
			   unsigned int len, bool best)
{
	if (best)
		return e2m_encrypt_kept(c, c->cbc, ctx, len);
	return e2m_encrypt_sync(c->cbc_sync, ctx->scratch, len, ctx->iv);
}

/* MAC-I (4 octets at @mac) over @len octets at @data: AES-CMAC(K_int). */
int e2m_nia2(struct e2m_crypto *c, u32 count, u8 bearer, u8 direction,
	     const u8 *data, unsigned int len, u8 *mac)
{
	struct e2m_nia2_msg m = { .data = data, .len = sizeof(m.fresh) + len };
	unsigned int nblocks = DIV_ROUND_UP(m.len, AES_BLOCK_SIZE);
	unsigned int last = m.len - (nblocks - 1) * AES_BLOCK_SIZE;
	bool best = c->cbc && e2m_simd_usable();
	unsigned int body, off = 0, chunk, i;
	struct e2m_crypto_cpu *ctx;
	const u8 *subkey;
	u8 *buf;
	int ret;

	e2m_fresh(m.fresh, count, bearer, direction);
	ctx = e2m_crypto_cpu_get();
	if (!ctx)
		return -ENOMEM;
	buf = ctx->scratch;
	memset(ctx->iv, 0, sizeof(ctx->iv));

	/*
	 * Blocks before the last, a scratch buffer at a time, until the rest
	 * and the last block fit in one: one request for usual packets. A
	 * request kept by the API takes @ctx with it: nothing more to do.
	 */
	body = (nblocks - 1) * AES_BLOCK_SIZE;
	while (body - off > E2M_SCRATCH_LEN - AES_BLOCK_SIZE) {
		chunk = E2M_SCRATCH_LEN - AES_BLOCK_SIZE;
		e2m_nia2_copy(buf, &m, off, chunk);
		ret = e2m_cbc_scratch(c, ctx, chunk, best);
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
	ret = e2m_cbc_scratch(c, ctx, chunk, best);
	if (!ret)
		memcpy(mac, buf + chunk - AES_BLOCK_SIZE, 4);
out:
	if (ret != -EINPROGRESS)
		memzero_explicit(ctx->iv, sizeof(ctx->iv));
	return ret;
}
