/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Values a policy accepts, drawn so that commands meet something real: the
 * device, the traffic's flows and those the fuzzer created, the key pool's
 * key sets, boundary values of each range.
 */
#ifndef NLFUZZ_VALUES_H
#define NLFUZZ_VALUES_H

#include <stdint.h>

#include "msg.h"
#include "spec.h"

#define BULK_TEID	1000	/* bulk flows: TEIDs BULK_TEID..+BULK_MAX-1 */
#define BULK_MAX	300

/* A flow the kernel created: later commands pick its TEID now and then. */
void teid_created(uint32_t teid);
uint32_t pick_teid(void);

long long valid_value(const struct attr_spec *a);
void put_value(struct msg *m, int type, enum kind kind, long long v);
void put_valid(struct msg *m, const struct attr_spec *a);

#endif
