// SPDX-License-Identifier: GPL-2.0
/*
 * Self-tests run at load in debug builds (E2M_DEBUG=y): NEA2 and NIA2
 * against the 3GPP test data (TS 33.401 Annex C), each through both of
 * crypto.c's paths (the best transform while SIMD is usable, the
 * synchronous one while it is not), NIA2 against cmac(aes), a request that
 * the crypto API keeps (cryptd), the replay window against
 * a table of cases (and its copy into a window of another size), GTP-U
 * header parsing against well-formed and malformed headers, and the link
 * keys of a ks_local key against the agent's known answers. A failure
 * stops the module from loading.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <crypto/hash.h>
#include <crypto/skcipher.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "crypto.h"
#include "gtpu.h"
#include "ks_link.h"
#include "replay.h"
#include "selftest.h"
#include "selftest_pdu.h"

struct e2m_eea2_vector {
	u8 key[16];
	u32 count;
	u8 bearer, direction;
	unsigned int bits;
	const char *plain, *cipher;
};

/* 128-EEA2 test sets 1-3; the ciphertext has the bits beyond LENGTH zero. */
static const struct e2m_eea2_vector e2m_eea2_vectors[] = {
	{ { 0xd3, 0xc5, 0xd5, 0x92, 0x32, 0x7f, 0xb1, 0x1c, 0x40, 0x35, 0xc6, 0x68,
	    0x0a, 0xf8, 0xc6, 0xd1 }, 0x398a59b4, 0x15, 1, 253,
	  "981ba6824c1bfb1ab485472029b71d808ce33e2cc3c0b5fc1f3de8a6dc66b1f0",
	  "e9fed8a63d155304d71df20bf3e82214b20ed7dad2f233dc3c22d7bdeeed8e78" },
	{ { 0x2b, 0xd6, 0x45, 0x9f, 0x82, 0xc4, 0x40, 0xe0, 0x95, 0x2c, 0x49, 0x10,
	    0x48, 0x05, 0xff, 0x48 }, 0xc675a64b, 0x0c, 1, 798,
	  "7ec61272743bf1614726446a6c38ced166f6ca76eb5430044286346cef130f92922b03450d3a9975e5bd2ea0eb55ad8e1b199e3ec4316020e9a1b285e762795359b7bdfd39bef4b2484583d5afe082aee638bf5fd5a606193901a08f4ab41aab9b134880",
	  "5961605353c64bdca15b195e288553a910632506d6200aa790c4c806c99904cf2445cc50bb1cf168a49673734e081b57e324ce5259c0e78d4cd97b870976503c0943f2cb5ae8f052c7b7d392239587b8956086bcab18836042e2e6ce42432a17105c53d0",
	},
	{ { 0x0a, 0x8b, 0x6b, 0xd8, 0xd9, 0xb0, 0x8b, 0x08, 0xd6, 0x4e, 0x32, 0xd1,
	    0x81, 0x77, 0x77, 0xfb }, 0x544d49cd, 0x04, 0, 310,
	  "fd40a41d370a1f65745095687d47ba1d36d2349e23f644392c8ea9c49d40c13271aff264d0f248",
	  "75750d37b4bba2a4dedb34235bd68c6645acdaaca48138a3b0c471e2a7041a576423d2927287f0" },
};

/* 128-EIA2 test set 2, the one with a whole number of octets. */
static const u8 e2m_eia2_key[16] = {
	0xd3, 0xc5, 0xd5, 0x92, 0x32, 0x7f, 0xb1, 0x1c, 0x40, 0x35, 0xc6, 0x68,
	0x0a, 0xf8, 0xc6, 0xd1 };
static const u8 e2m_eia2_msg[8] = {
	0x48, 0x45, 0x83, 0xd5, 0xaf, 0xe0, 0x82, 0xae };
static const u8 e2m_eia2_mac[4] = { 0xb9, 0x37, 0x87, 0xe6 };

/* Which of crypto.c's paths the tests take; the self-tests run one by one. */
static void e2m_selftest_simd(bool usable)
{
	WRITE_ONCE(e2m_crypto_test_no_simd, !usable);
}

static const char *const e2m_selftest_path[] = { "sync", "best" };

static bool e2m_selftest_nea2(void)
{
	static const u8 zero[16];
	bool ok = true;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(e2m_eea2_vectors); i++) {
		const struct e2m_eea2_vector *v = &e2m_eea2_vectors[i];
		unsigned int len = DIV_ROUND_UP(v->bits, 8);
		struct e2m_crypto c;
		u8 *buf, *want;

		buf = kmalloc(len, GFP_KERNEL);
		want = kmalloc(len, GFP_KERNEL);
		if (!buf || !want || hex2bin(buf, v->plain, len) ||
		    hex2bin(want, v->cipher, len) ||
		    e2m_crypto_init(&c, v->key, zero)) {
			pr_err("selftest: nea2 set %zu: setup failed\n", i + 1);
			ok = false;
		} else {
			/* Bottom halves off, as on the data path (crypto.c). */
			local_bh_disable();
			if (e2m_nea2(&c, v->count, v->bearer, v->direction, buf, len))
				ok = false;
			local_bh_enable();
			if (v->bits % 8)
				buf[len - 1] &= 0xff << (8 - v->bits % 8);
			if (memcmp(buf, want, len)) {
				pr_err("selftest: nea2 set %zu (%s): wrong output\n",
				       i + 1, e2m_selftest_path[!e2m_crypto_test_no_simd]);
				ok = false;
			}
			e2m_crypto_free(&c);
		}
		kfree(buf);
		kfree(want);
	}
	return ok;
}

static bool e2m_selftest_nia2(void)
{
	static const u8 zero[16];
	struct e2m_crypto c;
	u8 mac[4];
	bool ok;

	if (e2m_crypto_init(&c, zero, e2m_eia2_key))
		return false;
	local_bh_disable();	/* as on the data path: the scratch is per CPU */
	ok = !e2m_nia2(&c, 0x398a59b4, 0x1a, 1, e2m_eia2_msg,
		       sizeof(e2m_eia2_msg), mac);
	local_bh_enable();
	ok = ok && !memcmp(mac, e2m_eia2_mac, sizeof(mac));
	e2m_crypto_free(&c);
	if (!ok)
		pr_err("selftest: nia2 set 2 (%s): wrong MAC\n",
		       e2m_selftest_path[!e2m_crypto_test_no_simd]);
	return ok;
}

/*
 * NIA2 computed over cbc(aes) against the kernel's own cmac(aes), for
 * every message length from 0 to 300 octets and a long one that needs more
 * than one scratch buffer.
 */
static bool e2m_selftest_nia2_vs_cmac(void)
{
	static const unsigned int long_len = 5000;
	u8 key[16], fresh[8], mac[4], want[16];
	struct crypto_shash *cmac;
	struct e2m_crypto c;
	unsigned int len;
	bool ok = true;
	u8 *msg;
	int ret;

	msg = kmalloc(long_len, GFP_KERNEL);
	cmac = crypto_alloc_shash("cmac(aes)", 0, 0);
	if (!msg || IS_ERR(cmac)) {
		kfree(msg);
		return false;
	}
	get_random_bytes(key, sizeof(key));
	get_random_bytes(msg, long_len);
	ret = crypto_shash_setkey(cmac, key, sizeof(key)) ?:
	      e2m_crypto_init(&c, key, key);
	if (ret) {
		crypto_free_shash(cmac);
		kfree(msg);
		return false;
	}
	for (len = 0; len <= 301 && ok; len++) {
		unsigned int n = len == 301 ? long_len : len;
		SHASH_DESC_ON_STACK(desc, cmac);

		desc->tfm = cmac;
		fresh[0] = 0x12;
		fresh[1] = 0x34;
		fresh[2] = 0x56;
		fresh[3] = n & 0xff;
		fresh[4] = (5 << 3) | (1 << 2);
		fresh[5] = 0;
		fresh[6] = 0;
		fresh[7] = 0;
		ret = crypto_shash_init(desc) ?:
		      crypto_shash_update(desc, fresh, sizeof(fresh)) ?:
		      crypto_shash_update(desc, msg, n) ?:
		      crypto_shash_final(desc, want);
		shash_desc_zero(desc);
		if (!ret) {
			local_bh_disable();
			ret = e2m_nia2(&c, 0x12345600 | (n & 0xff), 5, 1, msg,
				       n, mac);
			local_bh_enable();
		}
		if (ret || memcmp(mac, want, sizeof(mac))) {
			pr_err("selftest: nia2 (%s) differs from cmac(aes) at %u octets\n",
			       e2m_selftest_path[!e2m_crypto_test_no_simd], n);
			ok = false;
		}
	}
	e2m_crypto_free(&c);
	crypto_free_shash(cmac);
	kfree(msg);
	return ok;
}

/*
 * NEA2 over more than one scratch buffer, and every length up to 100
 * octets, the same through both paths (the spec vectors tie one to 3GPP).
 */
static bool e2m_selftest_nea2_paths(void)
{
	static const unsigned int long_len = 5000;
	u8 key[16], *a, *b;
	struct e2m_crypto c;
	unsigned int len;
	bool ok = true;

	a = kmalloc(long_len, GFP_KERNEL);
	b = kmalloc(long_len, GFP_KERNEL);
	get_random_bytes(key, sizeof(key));
	if (!a || !b || e2m_crypto_init(&c, key, key)) {
		kfree(a);
		kfree(b);
		return false;
	}
	pr_info("selftest: ctr(aes) is %s%s%s, cbc(aes) %s%s%s\n",
		c.nea2 ? crypto_skcipher_driver_name(c.nea2) : "",
		c.nea2 ? " and " : "",
		crypto_tfm_alg_driver_name(crypto_skcipher_tfm(&c.nea2_sync->base)),
		c.cbc ? crypto_skcipher_driver_name(c.cbc) : "",
		c.cbc ? " and " : "",
		crypto_tfm_alg_driver_name(crypto_skcipher_tfm(&c.cbc_sync->base)));
	for (len = 1; len <= 101 && ok; len++) {
		unsigned int n = len == 101 ? long_len : len;

		get_random_bytes(a, n);
		memcpy(b, a, n);
		local_bh_disable();
		e2m_selftest_simd(true);
		ok = !e2m_nea2(&c, n, 3, 0, a, n);
		e2m_selftest_simd(false);
		ok = ok && !e2m_nea2(&c, n, 3, 0, b, n);
		e2m_selftest_simd(true);
		local_bh_enable();
		if (!ok || memcmp(a, b, n)) {
			pr_err("selftest: nea2 paths differ at %u octets\n", n);
			ok = false;
		}
	}
	e2m_crypto_free(&c);
	kfree(a);
	kfree(b);
	return ok;
}

/*
 * A request the crypto API keeps: cryptd always does. NEA2 and NIA2 answer
 * -EINPROGRESS and leave the data alone; the CPU goes on with a new
 * context (the spec vector right after, on the same CPU); freeing the
 * transforms waits for both completions.
 */
static bool e2m_selftest_kept(void)
{
	const struct e2m_eea2_vector *v = &e2m_eea2_vectors[0];
	unsigned int len = DIV_ROUND_UP(v->bits, 8);
	u8 *buf, *plain, *want, mac[4];
	struct e2m_crypto *kept, *c;
	int done, nea2, nia2, again, ret;
	bool ok;

	kept = kmalloc(sizeof(*kept), GFP_KERNEL);
	c = kmalloc(sizeof(*c), GFP_KERNEL);
	buf = kmalloc(len, GFP_KERNEL);
	plain = kmalloc(len, GFP_KERNEL);
	want = kmalloc(len, GFP_KERNEL);
	if (!kept || !c || !buf || !plain || !want ||
	    hex2bin(plain, v->plain, len) || hex2bin(want, v->cipher, len) ||
	    e2m_crypto_init(c, v->key, v->key)) {
		ok = false;
		goto out_free;
	}
	ret = e2m_crypto_init_algs(kept, v->key, v->key,
				   "cryptd(ctr(aes-generic))",
				   "cryptd(cbc(aes-generic))");
	if (ret || !kept->nea2 || !kept->cbc) {
		pr_err("selftest: cryptd transforms not taken (%d)\n", ret);
		if (!ret)
			e2m_crypto_free(kept);
		e2m_crypto_free(c);
		ok = false;
		goto out_free;
	}
	memcpy(buf, plain, len);
	done = atomic_read(&e2m_crypto_test_completions);
	local_bh_disable();
	nea2 = e2m_nea2(kept, v->count, v->bearer, v->direction, buf, len);
	nia2 = e2m_nia2(kept, v->count, v->bearer, v->direction, buf, len, mac);
	ok = nea2 == -EINPROGRESS && nia2 == -EINPROGRESS &&
	     !memcmp(buf, plain, len);
	again = e2m_nea2(c, v->count, v->bearer, v->direction, buf, len);
	local_bh_enable();
	if (v->bits % 8)
		buf[len - 1] &= 0xff << (8 - v->bits % 8);
	ok = ok && !again && !memcmp(buf, want, len);
	e2m_crypto_free(kept);
	done = atomic_read(&e2m_crypto_test_completions) - done;
	if (!ok || done != 2) {
		pr_err("selftest: kept requests: nea2 %d, nia2 %d, then %d, %d completions\n",
		       nea2, nia2, again, done);
		ok = false;
	}
	e2m_crypto_free(c);
out_free:
	kfree(want);
	kfree(plain);
	kfree(buf);
	kfree(c);
	kfree(kept);
	return ok;
}

struct e2m_replay_case {
	u64 count;
	bool accepted;
};

/* A window of 64, packet by packet. */
static const struct e2m_replay_case e2m_replay_cases[] = {
	{ 0, false },		/* COUNT 0 is never sent */
	{ 1, true },
	{ 1, false },		/* duplicate */
	{ 2, true },
	{ 65, true },		/* top 65: the window is 2..65 */
	{ 2, false },		/* seen */
	{ 1, false },		/* left of the window */
	{ 3, true },		/* late but inside, unseen */
	{ 3, false },
	{ 64, true },
	{ 200, true },		/* jump: the window is 137..200 */
	{ 137, true },
	{ 136, false },
	{ 200, false },
	{ 199, true },
	{ 1000000, true },	/* far jump clears every block */
	{ 999937, true },
	{ 999936, false },
	{ 200, false },
	{ 0xffffffff, true },
	{ 0xffffffff, false },
	{ 0xffffffc0, true },	/* top - 63, the window's lowest */
	{ 0xffffffbf, false },
};

static bool e2m_selftest_replay(void)
{
	struct e2m_replay *r = e2m_replay_alloc(64, GFP_KERNEL);
	bool ok = true;
	size_t i;

	if (!r)
		return false;
	for (i = 0; i < ARRAY_SIZE(e2m_replay_cases); i++) {
		const struct e2m_replay_case *c = &e2m_replay_cases[i];

		bool accepted;

		local_bh_disable();	/* as on the receive path (replay.c) */
		accepted = e2m_replay_accept(r, c->count);
		local_bh_enable();
		if (accepted != c->accepted) {
			pr_err("selftest: replay case %zu (COUNT %llu): want %s\n",
			       i, c->count, c->accepted ? "accept" : "reject");
			ok = false;
		}
	}
	e2m_replay_free(r);
	return ok;
}

/*
 * A window handed over to another slot (binding in place of a dead key):
 * the same answers, whatever the two sizes; what the old window no longer
 * covered stays refused in a larger one.
 */
static bool e2m_selftest_replay_copy_one(u32 from_window, u32 to_window)
{
	static const u64 seen[] = { 3, 64, 130, 190, 191, 1000, 1100, 1130 };
	static const u64 probe[] = { 1, 3, 4, 64, 65, 130, 190, 191, 192, 999,
				     1000, 1001, 1066, 1067, 1099, 1100, 1129,
				     1130, 1131 };
	struct e2m_replay *from, *to, *want;
	bool ok = true;
	size_t i;

	from = e2m_replay_alloc(from_window, GFP_KERNEL);
	to = e2m_replay_alloc(to_window, GFP_KERNEL);
	want = e2m_replay_alloc(min(from_window, to_window), GFP_KERNEL);
	if (!from || !to || !want) {
		ok = false;
		goto out;
	}
	local_bh_disable();	/* as on the receive path (replay.c) */
	for (i = 0; i < ARRAY_SIZE(seen); i++) {
		e2m_replay_accept(from, seen[i]);
		e2m_replay_accept(want, seen[i]);
	}
	local_bh_enable();
	e2m_replay_copy(to, from);
	if (to->top != 1130)
		ok = false;
	/* One probe at a time, each on a fresh pair: answers don't interact. */
	for (i = 0; i < ARRAY_SIZE(probe) && ok; i++) {
		struct e2m_replay *t = e2m_replay_alloc(to_window, GFP_KERNEL);
		struct e2m_replay *w = e2m_replay_alloc(want->window, GFP_KERNEL);

		if (t && w) {
			bool got, wanted;

			e2m_replay_copy(t, from);
			e2m_replay_copy(w, want);
			local_bh_disable();
			got = e2m_replay_accept(t, probe[i]);
			wanted = e2m_replay_accept(w, probe[i]);
			local_bh_enable();
			if (got != wanted) {
				pr_err("selftest: replay copy %u -> %u: COUNT %llu answered differently\n",
				       from_window, to_window, probe[i]);
				ok = false;
			}
		} else {
			ok = false;
		}
		e2m_replay_free(t);
		e2m_replay_free(w);
	}
out:
	e2m_replay_free(from);
	e2m_replay_free(to);
	e2m_replay_free(want);
	return ok;
}

static bool e2m_selftest_replay_copy(void)
{
	bool ok = true;

	ok &= e2m_selftest_replay_copy_one(64, 64);
	ok &= e2m_selftest_replay_copy_one(128, 64);
	ok &= e2m_selftest_replay_copy_one(64, 256);
	ok &= e2m_selftest_replay_copy_one(2048, 2048);
	return ok;
}

struct e2m_gtpu_case {
	const char *name;
	u8 msg[24];
	unsigned int len;
	int ret;
	unsigned int hdr_len;
};

static const struct e2m_gtpu_case e2m_gtpu_cases[] = {
	{ "g-pdu", { 0x30, 0xff, 0x00, 0x02, 0, 0, 0, 7, 0xaa, 0xbb }, 10, 0, 8 },
	{ "echo request",
	  { 0x32, 0x01, 0x00, 0x04, 0, 0, 0, 0, 0, 1, 0, 0 }, 12, 0, 12 },
	{ "sequence number",
	  { 0x32, 0xff, 0x00, 0x05, 0, 0, 0, 7, 0, 9, 0, 0, 0xaa }, 13, 0, 12 },
	{ "one extension header",
	  { 0x34, 0xff, 0x00, 0x09, 0, 0, 0, 7, 0, 0, 0, 0x85, 1, 0x10, 0x05, 0,
	    0xaa }, 17, 0, 16 },
	{ "two extension headers",
	  { 0x34, 0xff, 0x00, 0x0d, 0, 0, 0, 7, 0, 0, 0, 0x85, 1, 0, 0, 0x40,
	    1, 0, 0, 0, 0xaa }, 21, 0, 20 },
	{ "version 2", { 0x50, 0xff, 0x00, 0x00, 0, 0, 0, 7 }, 8, -EINVAL, 0 },
	{ "GTP prime", { 0x20, 0xff, 0x00, 0x00, 0, 0, 0, 7 }, 8, -EINVAL, 0 },
	{ "truncated header", { 0x30, 0xff, 0x00, 0x00, 0, 0, 0 }, 7, -EINVAL, 0 },
	{ "length beyond packet",
	  { 0x30, 0xff, 0x00, 0x03, 0, 0, 0, 7, 0, 0 }, 10, -EINVAL, 0 },
	{ "options cut", { 0x32, 0xff, 0x00, 0x02, 0, 0, 0, 7, 0, 0 }, 10, -EINVAL, 0 },
	{ "extension length 0",
	  { 0x34, 0xff, 0x00, 0x08, 0, 0, 0, 7, 0, 0, 0, 0x85, 0, 0, 0, 0 }, 16, -EINVAL, 0 },
	{ "extension beyond message",
	  { 0x34, 0xff, 0x00, 0x08, 0, 0, 0, 7, 0, 0, 0, 0x85, 2, 0, 0, 0 }, 16, -EINVAL, 0 },
	{ "extension chain runs off",
	  { 0x34, 0xff, 0x00, 0x08, 0, 0, 0, 7, 0, 0, 0, 0x85, 1, 0, 0, 0x85 }, 16, -EINVAL, 0 },
};

static bool e2m_selftest_gtpu(void)
{
	bool ok = true;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(e2m_gtpu_cases); i++) {
		const struct e2m_gtpu_case *c = &e2m_gtpu_cases[i];
		struct e2m_gtpu_info info;
		int ret = e2m_gtpu_parse(c->msg, c->len, c->len, &info);

		if (ret != c->ret || (!ret && info.hdr_len != c->hdr_len)) {
			pr_err("selftest: gtpu \"%s\": got %d/%u, want %d/%u\n",
			       c->name, ret, ret ? 0 : info.hdr_len, c->ret, c->hdr_len);
			ok = false;
		}
		/* A header one octet past the linear part asks for more. */
		if (!c->ret && e2m_gtpu_parse(c->msg, c->len, c->hdr_len - 1,
					      &info) != -ENODATA) {
			pr_err("selftest: gtpu \"%s\": not -ENODATA when cut\n",
			       c->name);
			ok = false;
		}
	}
	return ok;
}

/*
 * The link keys of a ks_local key (ks_link.h), the same known answers as
 * the agent's KAT (e2mctl ks-local-link, agent/tests/cli_test.sh): the
 * Ks_local_device of agent/tests/derive_test.c, computed independently
 * with Python's hmac and with openssl dgst -mac HMAC. Two algorithms, so
 * that P1 is seen to count.
 */
static const u8 e2m_ks_link_key[E2M_KS_LOCAL_KEY_LEN] = {
	0x55, 0x3f, 0xb7, 0x3a, 0xcc, 0xe8, 0xb2, 0x19, 0x50, 0xd5, 0x36, 0x22,
	0xf1, 0x78, 0x4d, 0x1c, 0x50, 0x3d, 0x66, 0xb4, 0x15, 0x9e, 0x74, 0x8c,
	0xc6, 0x47, 0x16, 0xbd, 0x9d, 0xb8, 0xb4, 0x40 };

static const struct {
	u8 alg;
	u8 k_enc[E2M_ALG_KEY_LEN], k_int[E2M_ALG_KEY_LEN];
} e2m_ks_link_vectors[] = {
	{ E2M_ALG_AES,
	  { 0xf5, 0x1c, 0xda, 0x2b, 0x9f, 0x69, 0x6f, 0x23, 0x77, 0x9f, 0x99,
	    0x9e, 0x03, 0xb4, 0xd3, 0x23 },
	  { 0xb9, 0xf5, 0xa8, 0xd2, 0x28, 0xd7, 0x4b, 0x7b, 0x46, 0x13, 0xb9,
	    0x03, 0x1a, 0x4c, 0x4c, 0x00 } },
	{ E2M_ALG_ZUC,
	  { 0x57, 0x09, 0x30, 0x42, 0xed, 0x2d, 0xc7, 0x0f, 0x70, 0x18, 0x1e,
	    0x4a, 0xae, 0x17, 0xc0, 0x3a },
	  { 0x53, 0xae, 0x0d, 0xf5, 0x9e, 0xda, 0xd6, 0x46, 0xdf, 0x17, 0x6f,
	    0xe9, 0xdc, 0xe6, 0x6e, 0x42 } },
};

static bool e2m_selftest_ks_link(void)
{
	u8 k_enc[E2M_ALG_KEY_LEN], k_int[E2M_ALG_KEY_LEN];
	bool ok = true;
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(e2m_ks_link_vectors); i++) {
		ret = e2m_ks_link_derive(e2m_ks_link_key,
					 e2m_ks_link_vectors[i].alg, k_enc, k_int);
		if (ret || memcmp(k_enc, e2m_ks_link_vectors[i].k_enc, sizeof(k_enc)) ||
		    memcmp(k_int, e2m_ks_link_vectors[i].k_int, sizeof(k_int))) {
			pr_err("self-test: ks_local link keys, algorithm %u: %s\n",
			       e2m_ks_link_vectors[i].alg,
			       ret ? "derivation failed" : "wrong keys");
			ok = false;
		}
	}
	return ok;
}

static bool crypto_rate;
module_param(crypto_rate, bool, 0444);
MODULE_PARM_DESC(crypto_rate,
		 "debug builds: measure 128-NEA2 + 128-NIA2 packets/s at load");

/*
 * The raw crypto rate, for make bench: what one CPU does with the data
 * path's own functions, NEA2 then NIA2 over the e2m header and payload,
 * for the IPv4 + UDP packets of 64 and 1400 octets of payload that the
 * benchmark sends. Half a second each; bottom halves off as on the data
 * path (the scratch buffer is per CPU). Then the same through the
 * synchronous transforms, the path taken when SIMD is not usable.
 */
static void e2m_selftest_crypto_rate_of(struct e2m_crypto *c, u8 *buf,
					const char *path)
{
	static const unsigned int sizes[] = { 28 + 64, 28 + 1400 };
	u64 start, elapsed, n;
	unsigned int s, i;
	u8 mac[4];

	for (s = 0; s < ARRAY_SIZE(sizes); s++) {
		n = 0;
		start = ktime_get_ns();
		do {
			local_bh_disable();
			for (i = 0; i < 64; i++, n++) {
				e2m_nea2(c, n, 1, 0, buf + 5, sizes[s]);
				e2m_nia2(c, n, 1, 0, buf, 5 + sizes[s], mac);
			}
			local_bh_enable();
			cond_resched();
			elapsed = ktime_get_ns() - start;
		} while (elapsed < NSEC_PER_SEC / 2);
		pr_info("crypto rate%s: %u octet packets: %llu packets/s\n",
			path, sizes[s], div64_u64(n * NSEC_PER_SEC, elapsed));
	}
}

static void e2m_selftest_crypto_rate(void)
{
	struct e2m_crypto *c;
	u8 *buf;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	buf = kzalloc(2048, GFP_KERNEL);
	if (!c || !buf || e2m_crypto_init(c, e2m_eia2_key, e2m_eia2_key))
		goto out;
	e2m_selftest_crypto_rate_of(c, buf, "");
	e2m_selftest_simd(false);
	e2m_selftest_crypto_rate_of(c, buf, " (sync)");
	e2m_selftest_simd(true);
	e2m_crypto_free(c);
out:
	kfree(buf);
	kfree(c);
}

bool e2m_selftests(void)
{
	unsigned int path;
	bool ok = true;

	for (path = 0; path < ARRAY_SIZE(e2m_selftest_path); path++) {
		e2m_selftest_simd(path);
		ok &= e2m_selftest_nea2();
		ok &= e2m_selftest_nia2();
		ok &= e2m_selftest_nia2_vs_cmac();
	}
	e2m_selftest_simd(true);
	ok &= e2m_selftest_nea2_paths();
	ok &= e2m_selftest_kept();
	ok &= e2m_selftest_pdu();
	ok &= e2m_selftest_replay();
	ok &= e2m_selftest_replay_copy();
	ok &= e2m_selftest_gtpu();
	ok &= e2m_selftest_ks_link();
	if (ok && crypto_rate)
		e2m_selftest_crypto_rate();
	if (ok)
		pr_info("self-tests passed\n");
	else
		pr_err("self-tests FAILED\n");
	return ok;
}
