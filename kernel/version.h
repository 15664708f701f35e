/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _E2M_VERSION_H
#define _E2M_VERSION_H
#define E2M_VERSION "0.1.0"
#endif /* _E2M_VERSION_H */
