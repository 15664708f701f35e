/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How e2mctl writes what the kernel says of its devices and flows (e2mctl
 * show, dev show, flow show): text in the style of ip(8), one line per
 * device, flow and slot with its counters under it, or JSON (-j). Output
 * is built completely before any of it is written, so that a command that
 * fails prints nothing on stdout.
 */
#ifndef E2MCTL_KERNEL_SHOW_H
#define E2MCTL_KERNEL_SHOW_H

#include <stdbool.h>
#include <stdio.h>

#include <jansson.h>

#include "kernel/e2m_dev.h"
#include "kernel/e2m_flow.h"

/* "DEV: ifindex ..." and its drop counters. */
void print_device(FILE *out, const struct e2m_dev *dev);
/* "flow teid ..." at indent, its slots and counters two spaces deeper. */
void print_flow(FILE *out, const char *indent, const struct e2m_flow *flow);

/*
 * jansson reports running out of memory by NULL values and failed sets;
 * one flag for all of a document.
 */
struct json_builder {
	bool failed;
};

void jset(struct json_builder *b, json_t *obj, const char *key,
	  json_t *value);
void jappend(struct json_builder *b, json_t *array, json_t *value);
json_t *device_json(struct json_builder *b, const struct e2m_dev *dev);
json_t *flow_json(struct json_builder *b, const struct e2m_flow *flow);

/* Write on stdout and flush; the exit status. */
int write_json(const char *command, json_t *json);
int write_text(const char *command, const char *text, size_t size);

#endif /* E2MCTL_KERNEL_SHOW_H */
