/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _E2M_SOCKET_H
#define _E2M_SOCKET_H

#include <linux/types.h>

struct e2m_device;
struct socket;

int e2m_socket_open(struct e2m_device *e2m, u16 port, struct socket **sock4,
		    struct socket **sock6);
void e2m_socket_close(struct socket *sock4, struct socket *sock6);

#endif /* _E2M_SOCKET_H */
