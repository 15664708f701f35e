// SPDX-License-Identifier: GPL-2.0
/*
 * Self-tests of e2m_pdu_seal() and e2m_pdu_open(), the data path's NEA2
 * and NIA2 over a packet, against e2m_nea2() and e2m_nia2() over a flat
 * buffer (which the spec vectors tie to 3GPP): payloads around the block
 * and scratch buffer edges, in a linear packet and in page fragments cut
 * at and inside blocks, through the best and the synchronous transforms.
 * Open must reject a wrong MAC and a refused COUNT without changing the
 * packet.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/gfp.h>
#include <linux/random.h>
#include <linux/skbuff.h>
#include <linux/slab.h>

#include "crypto.h"
#include "gtpu.h"
#include "selftest_pdu.h"

/* Octets before the N-PDU in the packet: the offset the calls take. */
#define E2M_TEST_OFF		3
#define E2M_TEST_FRAG		1000	/* octets per page fragment at most */
#define E2M_TEST_MAX		5000	/* the largest payload tried */
#define E2M_TEST_COUNT		0x1234

/*
 * A packet of @len octets of @data after E2M_TEST_OFF octets of junk:
 * @head octets in the head (at least the junk), the rest in page
 * fragments, each at an odd offset in its page.
 */
static struct sk_buff *e2m_test_skb(const u8 *data, unsigned int len,
				    unsigned int head)
{
	unsigned int off, n;
	struct sk_buff *skb;

	head = min(head, E2M_TEST_OFF + len);
	skb = alloc_skb(head, GFP_KERNEL);
	if (!skb)
		return NULL;
	memset(skb_put(skb, E2M_TEST_OFF), 0xa5, E2M_TEST_OFF);
	skb_put_data(skb, data, head - E2M_TEST_OFF);
	for (off = head - E2M_TEST_OFF; off < len; off += n) {
		struct page *page = alloc_page(GFP_KERNEL);

		if (!page) {
			kfree_skb(skb);
			return NULL;
		}
		n = min_t(unsigned int, len - off, E2M_TEST_FRAG);
		memcpy(page_address(page) + 7, data + off, n);
		skb_add_rx_frag(skb, skb_shinfo(skb)->nr_frags, page, 7, n,
				PAGE_SIZE);
	}
	return skb;
}

/* The packet's N-PDU equals @want. */
static bool e2m_test_skb_is(struct sk_buff *skb, const u8 *want,
			    unsigned int len, u8 *tmp)
{
	return !skb_copy_bits(skb, E2M_TEST_OFF, tmp, len) &&
	       !memcmp(tmp, want, len);
}

struct e2m_test_accept {
	bool yes;
	u32 count;	/* what open asked about */
};

static bool e2m_test_accept(void *arg, u32 count)
{
	struct e2m_test_accept *a = arg;

	a->count = count;
	return a->yes;
}

/* Open on a packet of @pdu: @want_ret, and then the N-PDU is @want. */
static bool e2m_test_open(struct e2m_crypto *c, const u8 *pdu,
			  unsigned int len, unsigned int head, bool yes,
			  int want_ret, const u8 *want, u8 *tmp)
{
	struct e2m_test_accept a = { .yes = yes };
	unsigned int total = E2M_PDU_OVERHEAD + len;
	struct sk_buff *skb = e2m_test_skb(pdu, total, head);
	bool ok;
	int ret;

	if (!skb)
		return false;
	local_bh_disable();
	ret = e2m_pdu_open(c, E2M_TEST_COUNT, 2, 1, skb, E2M_TEST_OFF, len,
			   e2m_test_accept, &a);
	local_bh_enable();
	ok = ret == want_ret && e2m_test_skb_is(skb, want, total, tmp) &&
	     (want_ret == -EBADMSG || a.count == E2M_TEST_COUNT);
	kfree_skb(skb);
	return ok;
}

/*
 * One payload length and layout: seal gives what e2m_nea2() and
 * e2m_nia2() give; open gives the plaintext back, and refuses a flipped
 * MAC and a refused COUNT with the packet unchanged.
 */
static bool e2m_test_pdu_one(struct e2m_crypto *c, unsigned int len,
			     unsigned int head, u8 *plain, u8 *sealed, u8 *tmp)
{
	unsigned int total = E2M_PDU_OVERHEAD + len;
	struct sk_buff *skb;
	bool ok;
	int ret;

	get_random_bytes(plain, total);
	plain[0] = E2M_PDU_VERSION | E2M_PDU_UP | 2;
	memcpy(sealed, plain, total);
	local_bh_disable();
	ret = e2m_nea2(c, E2M_TEST_COUNT, 2, 1, sealed + E2M_PDU_HDR_LEN, len) ?:
	      e2m_nia2(c, E2M_TEST_COUNT, 2, 1, sealed, E2M_PDU_HDR_LEN + len,
		       sealed + E2M_PDU_HDR_LEN + len);
	local_bh_enable();
	if (ret)
		return false;
	/* What open gives back: the plaintext, the MAC as it came. */
	memcpy(plain + E2M_PDU_HDR_LEN + len, sealed + E2M_PDU_HDR_LEN + len,
	       E2M_PDU_MAC_LEN);

	skb = e2m_test_skb(plain, total, head);
	if (!skb)
		return false;
	local_bh_disable();
	ret = e2m_pdu_seal(c, E2M_TEST_COUNT, 2, 1, skb, E2M_TEST_OFF, len);
	local_bh_enable();
	ok = !ret && e2m_test_skb_is(skb, sealed, total, tmp);
	kfree_skb(skb);

	ok = ok && e2m_test_open(c, sealed, len, head, true, 0, plain, tmp);
	ok = ok && e2m_test_open(c, sealed, len, head, false, -EALREADY,
				 sealed, tmp);
	sealed[total - 1] ^= 0x01;
	ok = ok && e2m_test_open(c, sealed, len, head, true, -EBADMSG, sealed,
				 tmp);
	return ok;
}

bool e2m_selftest_pdu(void)
{
	/* Around a block, the benchmark's, the scratch buffer's edge */
	static const unsigned int lens[] = {
		1, 2, 3, 15, 16, 17, 19, 92, 1428, 2018, 2019, 2020, 2035,
		3000, E2M_TEST_MAX,
	};
	/* Head: all of it, the e2m header alone, a cut inside a block */
	static const unsigned int heads[] = {
		UINT_MAX, E2M_TEST_OFF + E2M_PDU_HDR_LEN,
		E2M_TEST_OFF + E2M_PDU_HDR_LEN + 7,
	};
	unsigned int total = E2M_PDU_OVERHEAD + E2M_TEST_MAX;
	unsigned int l, h, simd;
	u8 *plain, *sealed, *tmp, key[16];
	struct e2m_crypto c;
	bool ok = true;

	plain = kmalloc(total, GFP_KERNEL);
	sealed = kmalloc(total, GFP_KERNEL);
	tmp = kmalloc(total, GFP_KERNEL);
	get_random_bytes(key, sizeof(key));
	if (!plain || !sealed || !tmp || e2m_crypto_init(&c, key, key)) {
		ok = false;
		goto out;
	}
	for (simd = 0; simd < 2 && ok; simd++) {
		WRITE_ONCE(e2m_crypto_test_no_simd, !simd);
		for (l = 0; l < ARRAY_SIZE(lens) && ok; l++) {
			for (h = 0; h < ARRAY_SIZE(heads) && ok; h++) {
				ok = e2m_test_pdu_one(&c, lens[l], heads[h],
						      plain, sealed, tmp);
				if (!ok)
					pr_err("selftest: pdu seal/open, %u octets, head %u, simd %u\n",
					       lens[l], heads[h], simd);
			}
		}
	}
	WRITE_ONCE(e2m_crypto_test_no_simd, false);
	e2m_crypto_free(&c);
out:
	kfree(plain);
	kfree(sealed);
	kfree(tmp);
	return ok;
}
