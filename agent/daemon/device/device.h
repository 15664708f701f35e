/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The remote / external device role (daemon/roles.h), one part a file:
 *
 *	device_config.c	 roles.device: its schema, struct config_device,
 *			 config_device()
 *	role_device.c	 its role_ops: start, stop, reload, status; the
 *			 state the parts share (role_device.h)
 *	device_link.c	 one (MT, Key Centre) pair run: the key
 *			 (ue/local_key.h), its flow, the next run
 *	device_events.c	 the kernel's key events
 *	device_watch.c	 the link's rekey-watch on its MT
 *	device_plan.c	 the decisions, apart (tested without a network)
 *	device_psk.c	 the PSK file
 *
 * role_device.h describes the role as a whole; each part's header
 * describes the part.
 */
#ifndef E2MD_DEVICE_H
#define E2MD_DEVICE_H

#include "device_config.h"
#include "device_events.h"
#include "device_link.h"
#include "device_plan.h"
#include "device_psk.h"
#include "device_watch.h"
#include "role_device.h"

#endif /* E2MD_DEVICE_H */
