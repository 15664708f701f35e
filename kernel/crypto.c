// SPDX-License-Identifier: GPL-2.0
/*
 * 128-NEA2 and 128-NIA2 (TS 33.401 Annex B) over a linear buffer or a
 * packet, with the kernel crypto API through the algorithms' public names
 * only.
 *
 * Every scatterlist points at a kmalloc'd buffer, which has a struct page
 * behind it: never the stack (a virtually mapped one, CONFIG_VMAP_STACK)
 * nor per-CPU or module memory, and never the packet. The packet is only
 * copied from and to (skb_copy_bits(), skb_store_bits()), so its payload
 * may stay in page fragments: the receive path linearises nothing. The
 * CMAC subkeys, one block at bind time, come from the AES library.
 *
 * A protected N-PDU that fits the per-CPU scratch buffer (all at the usual
 * MTUs) is copied in once and out once: on transmit the payload is
 * encrypted on the copy, copied out, and the MAC computed in place over
 * the copy; on receive the MAC is computed from the copy into a second
 * buffer, so the ciphertext stays, and once the MAC and COUNT are good it
 * is decrypted on the copy and copied out. Larger ones take the two
 * algorithms in turn, a scratch buffer at a time.
 *
 * NIA2 is AES-CMAC. Rather than the kernel's cmac(aes), which on some
 * kernels enters and leaves the FPU once per 16-octet block, the CMAC is
 * computed as a CBC-MAC with cbc(aes) over a per-CPU copy of the message,
 * its last block already combined with the subkey (RFC 4493): one cbc(aes)
 * request per packet for all but very large packets. The copy also takes
 * the prefix NIA2 puts before the message: COUNT, BEARER and DIRECTION.
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
 * and scratch buffers; the packet is copied in and out, in chunks of the
 * buffer; the synchronous transforms work on the same buffers). When a
 * request is kept, its context belongs to the completion, which frees it,
 * and the CPU takes a new one (GFP_ATOMIC, the one allocation, in a case
 * that asking the wrapper only with SIMD usable makes as good as
 * unreachable). The caller drops the packet (counted as
 * "crypto"): its COUNT was taken already and is never used again, and
 * continuing a packet from the completion would be a second data path for
 * a case that does not happen. A key slot is freed only once the requests
 * it lent are done (in_flight).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <asm/simd.h>
#include <crypto/algapi.h>
#include <crypto/internal/simd.h>
#include <crypto/aes.h>
#include <crypto/skcipher.h>
#include <linux/err.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/percpu.h>
#include <linux/scatterlist.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/wait_bit.h>

#include "compat.h"
#include "crypto.h"
#include "gtpu.h"

/* Large enough for a whole protected N-PDU at the usual MTUs. */
#define E2M_SCRATCH_LEN 2048
/* COUNT, BEARER and DIRECTION as both algorithms take them: 64 bits */
#define E2M_FRESH_LEN 8

/*
 * What a request of the best transform needs, all kmalloc'd: the API may
 * keep the request and finish it after the caller returned.
 */
struct e2m_crypto_cpu {
	struct e2m_crypto *owner;	/* whose request it is, while kept */
	struct skcipher_request *req;	/* with e2m_reqsize octets of context */
	struct scatterlist src;
	struct scatterlist dst;
	u8 iv[AES_BLOCK_SIZE];
	u8 scratch[E2M_SCRATCH_LEN];
	/* The CBC-MAC's output on receive: the message stays to be decrypted */
	u8 out[E2M_SCRATCH_LEN];
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
	/* One entry each, marked as the end once: a packet sets page and length. */
	sg_init_table(&ctx->src, 1);
	sg_init_table(&ctx->dst, 1);
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

/* Debug builds check what sg_set_buf() is given: the CONFIG_DEBUG_SG test. */
static bool e2m_sg_ok(const void *buf)
{
#ifdef E2M_DEBUG
	return !WARN_ON_ONCE(!virt_addr_valid(buf));
#else
	return true;
#endif
}

/*
 * Points @ctx's scatterlists at @src and @dst (the same or apart, in @ctx)
 * for @len octets, and returns the destination's. The entries were made
 * once, with the context: only page, offset and length change, no table
 * is cleared per packet. Both buffers must be in the kernel's linear map
 * (sg_set_buf() takes their page): debug builds refuse anything else
 * loudly.
 */
static struct scatterlist *e2m_sg_set(struct e2m_crypto_cpu *ctx, u8 *src,
				      u8 *dst, unsigned int len)
{
	if (!e2m_sg_ok(src) || !e2m_sg_ok(dst))
		return NULL;
	sg_set_buf(&ctx->src, src, len);
	if (src == dst)
		return &ctx->src;
	sg_set_buf(&ctx->dst, dst, len);
	return &ctx->dst;
}

/*
 * Encryption of @len octets from @src to @dst, both in @ctx, with a
 * synchronous @tfm (ctr or cbc, for cbc a multiple of 16); @ctx->iv chains
 * from one call to the next. The request never outlives the call, so it
 * may live on the stack.
 */
static int e2m_encrypt_sync(struct crypto_sync_skcipher *tfm,
			    struct e2m_crypto_cpu *ctx, u8 *src, u8 *dst,
			    unsigned int len)
{
	SYNC_SKCIPHER_REQUEST_ON_STACK(req, tfm);
	struct scatterlist *sg_dst = e2m_sg_set(ctx, src, dst, len);
	int ret;

	if (!sg_dst)
		return -EFAULT;
	skcipher_request_set_sync_tfm(req, tfm);
	skcipher_request_set_callback(req, 0, NULL, NULL);
	skcipher_request_set_crypt(req, &ctx->src, sg_dst, len, ctx->iv);
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
 * Encryption of @len octets from @src to @dst, both in @ctx, with @tfm,
 * which may keep the request (-EINPROGRESS): @ctx is then the completion's
 * and this CPU gets another. @ctx->iv chains from one call to the next.
 */
static int e2m_encrypt_kept(struct e2m_crypto *c, struct crypto_skcipher *tfm,
			    struct e2m_crypto_cpu *ctx, u8 *src, u8 *dst,
			    unsigned int len)
{
	struct scatterlist *sg_dst = e2m_sg_set(ctx, src, dst, len);
	struct skcipher_request *req = ctx->req;
	int ret;

	if (!sg_dst)
		return -EFAULT;
	skcipher_request_set_tfm(req, tfm);
	skcipher_request_set_callback(req, 0, e2m_crypto_done_compat, ctx);
	skcipher_request_set_crypt(req, &ctx->src, sg_dst, len, ctx->iv);
	ctx->owner = c;
	ret = crypto_skcipher_encrypt(req);
	if (likely(ret != -EINPROGRESS && ret != -EBUSY))
		return ret;
	atomic_inc(&c->in_flight);
	this_cpu_write(e2m_crypto_cpu,
		       e2m_crypto_cpu_alloc(GFP_ATOMIC, NUMA_NO_NODE));
	return -EINPROGRESS;
}

/*
 * @len octets from @src to @dst, both in @ctx, in CTR (NEA2) or CBC (the
 * MAC) mode: with the best transform when @best (see e2m_best()), else
 * the synchronous one. The IV is @ctx->iv.
 */
static int e2m_mode(struct e2m_crypto *c, struct e2m_crypto_cpu *ctx,
		    bool cbc, bool best, u8 *src, u8 *dst, unsigned int len)
{
	if (best)
		return e2m_encrypt_kept(c, cbc ? c->cbc : c->nea2, ctx, src,
					dst, len);
	return e2m_encrypt_sync(cbc ? c->cbc_sync : c->nea2_sync, ctx, src,
				dst, len);
}

/* Whether this packet takes the best transform of the mode: see above. */
static bool e2m_best(struct e2m_crypto *c, bool cbc)
{
	return (cbc ? c->cbc : c->nea2) && e2m_simd_usable();
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

/*
 * Where NEA2 and NIA2 read and write: from @off, in a linear buffer (the
 * self-tests) or in a packet, head and page fragments alike. Only copies
 * touch the packet: the transforms see the scratch buffer alone.
 */
struct e2m_span {
	struct sk_buff *skb;	/* NULL: @buf */
	u8 *buf;
	unsigned int off;
};

static int e2m_span_read(const struct e2m_span *s, unsigned int off,
			 void *to, unsigned int n)
{
	if (s->skb)
		return skb_copy_bits(s->skb, s->off + off, to, n);
	memcpy(to, s->buf + s->off + off, n);
	return 0;
}

static int e2m_span_write(const struct e2m_span *s, unsigned int off,
			  const void *from, unsigned int n)
{
	if (s->skb)
		return skb_store_bits(s->skb, s->off + off, from, n);
	memcpy(s->buf + s->off + off, from, n);
	return 0;
}

/* NEA2's initial counter block: FRESH, then 64 zero bits. */
static void e2m_ctr_iv(struct e2m_crypto_cpu *ctx, const u8 *fresh)
{
	memcpy(ctx->iv, fresh, E2M_FRESH_LEN);
	memset(ctx->iv + E2M_FRESH_LEN, 0, AES_BLOCK_SIZE - E2M_FRESH_LEN);
}

/*
 * Readies the @len-octet message at @msg for a CBC-MAC that is AES-CMAC
 * (RFC 4493): its last block padded (10*) if short, and combined with the
 * subkey; the buffer has a block of room after the message. Returns the
 * length to MAC, a multiple of 16.
 */
static unsigned int e2m_cmac_last(const struct e2m_crypto *c, u8 *msg,
				  unsigned int len)
{
	unsigned int last = len - (DIV_ROUND_UP(len, AES_BLOCK_SIZE) - 1) *
				  AES_BLOCK_SIZE;
	const u8 *subkey = c->k1;

	if (last != AES_BLOCK_SIZE) {
		subkey = c->k2;
		msg[len] = 0x80;
		memset(msg + len + 1, 0, AES_BLOCK_SIZE - last - 1);
		len += AES_BLOCK_SIZE - last;
	}
	crypto_xor(msg + len - AES_BLOCK_SIZE, subkey, AES_BLOCK_SIZE);
	return len;
}

/*
 * NEA2 over @len octets of @s from @off, in place, in chunks of the
 * scratch buffer. A request kept by the API takes @ctx with it: nothing
 * more to do (-EINPROGRESS).
 */
static int e2m_nea2_span(struct e2m_crypto *c, const u8 *fresh,
			 const struct e2m_span *s, unsigned int off,
			 unsigned int len)
{
	bool best = e2m_best(c, false);
	struct e2m_crypto_cpu *ctx;
	unsigned int done, chunk;
	int ret;

	ctx = e2m_crypto_cpu_get();
	if (!ctx)
		return -ENOMEM;
	e2m_ctr_iv(ctx, fresh);
	for (done = 0; done < len; done += chunk) {
		chunk = min_t(unsigned int, len - done, E2M_SCRATCH_LEN);
		ret = e2m_span_read(s, off + done, ctx->scratch, chunk);
		if (!ret)
			ret = e2m_mode(c, ctx, false, best, ctx->scratch,
				       ctx->scratch, chunk);
		if (!ret)
			ret = e2m_span_write(s, off + done, ctx->scratch, chunk);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Octets [@from, @from + @n) of NIA2's message, FRESH then @len octets of
 * @s from @off, to @dst.
 */
static int e2m_nia2_copy(u8 *dst, const u8 *fresh, const struct e2m_span *s,
			 unsigned int off, unsigned int from, unsigned int n)
{
	while (n && from < E2M_FRESH_LEN) {
		*dst++ = fresh[from++];
		n--;
	}
	return n ? e2m_span_read(s, off + from - E2M_FRESH_LEN, dst, n) : 0;
}

/*
 * MAC-I (4 octets at @mac) over FRESH and @len octets of @s from @off:
 * AES-CMAC(K_int), a scratch buffer at a time, until the rest and the last
 * block fit in one (one request for usual packets).
 */
static int e2m_nia2_span(struct e2m_crypto *c, const u8 *fresh,
			 const struct e2m_span *s, unsigned int off,
			 unsigned int len, u8 *mac)
{
	unsigned int mlen = E2M_FRESH_LEN + len;
	unsigned int body = (DIV_ROUND_UP(mlen, AES_BLOCK_SIZE) - 1) *
			    AES_BLOCK_SIZE;
	bool best = e2m_best(c, true);
	struct e2m_crypto_cpu *ctx;
	unsigned int done = 0, chunk;
	u8 *buf;
	int ret;

	ctx = e2m_crypto_cpu_get();
	if (!ctx)
		return -ENOMEM;
	buf = ctx->scratch;
	memset(ctx->iv, 0, sizeof(ctx->iv));
	while (body - done > E2M_SCRATCH_LEN - AES_BLOCK_SIZE) {
		chunk = E2M_SCRATCH_LEN - AES_BLOCK_SIZE;
		ret = e2m_nia2_copy(buf, fresh, s, off, done, chunk);
		if (!ret)
			ret = e2m_mode(c, ctx, true, best, buf, buf, chunk);
		if (ret)
			goto out;
		done += chunk;
	}
	ret = e2m_nia2_copy(buf, fresh, s, off, done, mlen - done);
	if (ret)
		goto out;
	chunk = e2m_cmac_last(c, buf, mlen - done);
	ret = e2m_mode(c, ctx, true, best, buf, buf, chunk);
	if (!ret)
		memcpy(mac, buf + chunk - AES_BLOCK_SIZE, E2M_PDU_MAC_LEN);
out:
	if (ret != -EINPROGRESS)
		memzero_explicit(ctx->iv, sizeof(ctx->iv));
	return ret;
}

/* Encrypts or decrypts @len octets at @data in place. */
int e2m_nea2(struct e2m_crypto *c, u32 count, u8 bearer, u8 direction,
	     u8 *data, unsigned int len)
{
	struct e2m_span s = { .buf = data };
	u8 fresh[E2M_FRESH_LEN];

	e2m_fresh(fresh, count, bearer, direction);
	return e2m_nea2_span(c, fresh, &s, 0, len);
}

/* MAC-I (4 octets at @mac) over @len octets at @data: AES-CMAC(K_int). */
int e2m_nia2(struct e2m_crypto *c, u32 count, u8 bearer, u8 direction,
	     const u8 *data, unsigned int len, u8 *mac)
{
	struct e2m_span s = { .buf = (u8 *)data };
	u8 fresh[E2M_FRESH_LEN];

	e2m_fresh(fresh, count, bearer, direction);
	return e2m_nia2_span(c, fresh, &s, 0, len, mac);
}

/*
 * One pass for a whole protected N-PDU, when FRESH, the header, the
 * payload and the MAC's padding fit in the scratch buffer: the payload is
 * copied in and out once, and the MAC and the cipher run on the copy. The
 * message starts at E2M_MSG_AT so that the payload starts on a block.
 */
#define E2M_MSG_AT	(AES_BLOCK_SIZE - E2M_FRESH_LEN - E2M_PDU_HDR_LEN)

static bool e2m_pdu_fits(unsigned int len)
{
	return E2M_MSG_AT + round_up(E2M_FRESH_LEN + E2M_PDU_HDR_LEN + len,
				     AES_BLOCK_SIZE) <= E2M_SCRATCH_LEN;
}

/* Transmit, in one pass: encrypt on the copy, copy out, MAC the copy. */
static int e2m_seal_one(struct e2m_crypto *c, const u8 *fresh,
			const struct e2m_span *s, unsigned int len)
{
	struct e2m_crypto_cpu *ctx = e2m_crypto_cpu_get();
	u8 *msg, *data;
	unsigned int n;
	int ret;

	if (!ctx)
		return -ENOMEM;
	msg = ctx->scratch + E2M_MSG_AT;
	data = msg + E2M_FRESH_LEN + E2M_PDU_HDR_LEN;
	memcpy(msg, fresh, E2M_FRESH_LEN);
	ret = e2m_span_read(s, 0, msg + E2M_FRESH_LEN, E2M_PDU_HDR_LEN + len);
	if (ret)
		return ret;
	e2m_ctr_iv(ctx, fresh);
	ret = e2m_mode(c, ctx, false, e2m_best(c, false), data, data, len);
	if (ret)
		return ret;
	/* Out before the MAC's padding and subkey change its last block. */
	ret = e2m_span_write(s, E2M_PDU_HDR_LEN, data, len);
	if (ret)
		return ret;
	n = e2m_cmac_last(c, msg, E2M_FRESH_LEN + E2M_PDU_HDR_LEN + len);
	memset(ctx->iv, 0, sizeof(ctx->iv));
	ret = e2m_mode(c, ctx, true, e2m_best(c, true), msg, msg, n);
	if (ret)
		return ret;
	memzero_explicit(ctx->iv, sizeof(ctx->iv));
	return e2m_span_write(s, E2M_PDU_HDR_LEN + len,
			      msg + n - AES_BLOCK_SIZE, E2M_PDU_MAC_LEN);
}

int e2m_pdu_seal(struct e2m_crypto *c, u32 count, u8 bearer, u8 direction,
		 struct sk_buff *skb, unsigned int off, unsigned int len)
{
	struct e2m_span s = { .skb = skb, .off = off };
	u8 fresh[E2M_FRESH_LEN], mac[E2M_PDU_MAC_LEN];
	int ret;

	e2m_fresh(fresh, count, bearer, direction);
	if (e2m_pdu_fits(len))
		return e2m_seal_one(c, fresh, &s, len);
	ret = e2m_nea2_span(c, fresh, &s, E2M_PDU_HDR_LEN, len) ?:
	      e2m_nia2_span(c, fresh, &s, 0, E2M_PDU_HDR_LEN + len, mac);
	return ret ?: e2m_span_write(&s, E2M_PDU_HDR_LEN + len, mac,
				     E2M_PDU_MAC_LEN);
}

/* MAC-I checked and COUNT accepted: see e2m_pdu_open(). */
static int e2m_open_check(const u8 *mac, const u8 *got,
			  bool (*accept)(void *arg, u32 count), void *arg,
			  u32 count)
{
	if (crypto_memneq(mac, got, E2M_PDU_MAC_LEN))
		return -EBADMSG;
	return accept(arg, count) ? 0 : -EALREADY;
}

/*
 * Receive, in one pass: MAC the copy into the second buffer, check it and
 * COUNT, decrypt on the copy, copy out.
 */
static int e2m_open_one(struct e2m_crypto *c, const u8 *fresh,
			const struct e2m_span *s, unsigned int len,
			bool (*accept)(void *arg, u32 count), void *arg)
{
	struct e2m_crypto_cpu *ctx = e2m_crypto_cpu_get();
	unsigned int mlen = E2M_FRESH_LEN + E2M_PDU_HDR_LEN + len;
	unsigned int last = (DIV_ROUND_UP(mlen, AES_BLOCK_SIZE) - 1) *
			    AES_BLOCK_SIZE;
	u8 got[E2M_PDU_MAC_LEN], tail[AES_BLOCK_SIZE];
	u8 *msg, *data;
	unsigned int n;
	int ret;

	if (!ctx)
		return -ENOMEM;
	msg = ctx->scratch + E2M_MSG_AT;
	data = msg + E2M_FRESH_LEN + E2M_PDU_HDR_LEN;
	memcpy(msg, fresh, E2M_FRESH_LEN);
	ret = e2m_span_read(s, 0, msg + E2M_FRESH_LEN, E2M_PDU_HDR_LEN + len) ?:
	      e2m_span_read(s, E2M_PDU_HDR_LEN + len, got, E2M_PDU_MAC_LEN);
	if (ret)
		return ret;
	/* The MAC's output goes apart: the ciphertext stays to decrypt. */
	memcpy(tail, msg + last, mlen - last);
	n = e2m_cmac_last(c, msg, mlen);
	memset(ctx->iv, 0, sizeof(ctx->iv));
	ret = e2m_mode(c, ctx, true, e2m_best(c, true), msg,
		       ctx->out + E2M_MSG_AT, n);
	if (ret)
		return ret;
	memzero_explicit(ctx->iv, sizeof(ctx->iv));
	memcpy(msg + last, tail, mlen - last);
	ret = e2m_open_check(ctx->out + E2M_MSG_AT + n - AES_BLOCK_SIZE, got,
			     accept, arg, get_unaligned_be32(fresh));
	if (ret)
		return ret;
	e2m_ctr_iv(ctx, fresh);
	ret = e2m_mode(c, ctx, false, e2m_best(c, false), data, data, len);
	if (ret)
		return ret;
	return e2m_span_write(s, E2M_PDU_HDR_LEN, data, len);
}

int e2m_pdu_open(struct e2m_crypto *c, u32 count, u8 bearer, u8 direction,
		 struct sk_buff *skb, unsigned int off, unsigned int len,
		 bool (*accept)(void *arg, u32 count), void *arg)
{
	struct e2m_span s = { .skb = skb, .off = off };
	u8 fresh[E2M_FRESH_LEN], mac[E2M_PDU_MAC_LEN], got[E2M_PDU_MAC_LEN];
	int ret;

	e2m_fresh(fresh, count, bearer, direction);
	if (e2m_pdu_fits(len))
		return e2m_open_one(c, fresh, &s, len, accept, arg);
	ret = e2m_nia2_span(c, fresh, &s, 0, E2M_PDU_HDR_LEN + len, mac) ?:
	      e2m_span_read(&s, E2M_PDU_HDR_LEN + len, got, E2M_PDU_MAC_LEN) ?:
	      e2m_open_check(mac, got, accept, arg, count);
	return ret ?: e2m_nea2_span(c, fresh, &s, E2M_PDU_HDR_LEN, len);
}
