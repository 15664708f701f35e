/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The addresses rows of the store hold as text (the HSE's flows, the
 * SGW's UEs): one form per address, inet_ntop()'s, so that a row can be
 * compared and looked for as text.
 */
#ifndef E2M_STORE_ADDRESS_H
#define E2M_STORE_ADDRESS_H

#include <stdbool.h>
#include <stddef.h>

/* text is an address of family in inet_ntop()'s form, within size. */
bool store_address_valid(int family, const char *text, size_t size);

/* Either an IPv4 or an IPv6 address, as above. */
bool store_any_address_valid(const char *text, size_t size);

#endif /* E2M_STORE_ADDRESS_H */
