/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The admin "status" of e2md on several workers (workers.h): each role's
 * "counters" are the sums of every worker's, exact (the first process
 * asks each worker for its own status and adds them up); the rest of the
 * answer (pid, uptime, listen addresses, the store's subscribers and
 * sessions) is the first process's. A "workers" array beside it has one
 * entry per process, {"worker": K, "pid": P, "roles": [its own roles'
 * status]}, or {"worker": K, "pid": P, "error": "no answer"} for one
 * that did not answer in time (its counters are then missing from the
 * sums, and the answer says so).
 */
#ifndef E2MD_WORKER_STATUS_H
#define E2MD_WORKER_STATUS_H

#include <jansson.h>

/*
 * Adds the counters of roles (a worker's "roles" array) to those of the
 * same role names in into (the first's): integers summed, objects
 * summed member by member, anything else left as into has it. 0, or
 * -ENOMEM.
 */
int worker_status_sum(json_t *into, const json_t *roles);

#endif /* E2MD_WORKER_STATUS_H */
