// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* connect (enter and exit), accept/accept4, bind and the send/receive calls that carry a tuple. */
#include "../../helpers/socket.h"

#define NR_ACCEPT4 288
#define K_EINPROGRESS 115

ENTER_PROGRAM(connect_e, connect)
{
	struct auxiliary_map *aux = auxmap__get();
	if (!aux)
		return 0;
	/* fd, addr: the address as the caller passed it, before the kernel acts on it */
	auxmap__preload_header(aux, PPME_SOCKET_CONNECT_E, PPME_SOCKET_CONNECT_E_NPARAMS);
	auxmap__store_u64(aux, (__s64)(__s32)syscall__arg(regs, 0));
	socket__store_user_sockaddr(aux, syscall__arg(regs, 1), syscall__arg(regs, 2));
	auxmap__submit(aux);
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(connect_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *aux = auxmap__get();
	if (!aux)
		return 0;
	long fd = (__s32)syscall__arg(regs, 0);
	/* res, tuple, fd, addr */
	auxmap__preload_header(aux, PPME_SOCKET_CONNECT_X, PPME_SOCKET_CONNECT_X_NPARAMS);
	auxmap__store_u64(aux, ret);
	if (ret == 0 || ret == -K_EINPROGRESS)
		socket__store_tuple(aux, fd, true);
	else
		auxmap__store_empty(aux);
	auxmap__store_u64(aux, fd);
	socket__store_user_sockaddr(aux, syscall__arg(regs, 1), syscall__arg(regs, 2));
	auxmap__submit(aux);
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(accept_x, struct pt_regs *regs, long ret)
{
	bool four = syscall__nr(regs) == NR_ACCEPT4;
	struct auxiliary_map *aux = auxmap__get();
	if (!aux)
		return 0;
	/* fd, tuple, queuepct, queuelen, queuemax [, flags] */
	auxmap__preload_header(aux, four ? PPME_SOCKET_ACCEPT4_6_X : PPME_SOCKET_ACCEPT_5_X,
			       four ? PPME_SOCKET_ACCEPT4_6_X_NPARAMS : PPME_SOCKET_ACCEPT_5_X_NPARAMS);
	auxmap__store_u64(aux, ret);
	if (ret >= 0)
		socket__store_tuple(aux, ret, false);
	else
		auxmap__store_empty(aux);
	struct sock *listener = socket__sock_from_fd((__s32)syscall__arg(regs, 0));
	__u32 len = listener ? BPF_CORE_READ(listener, sk_ack_backlog) : 0;
	__u32 max = listener ? BPF_CORE_READ(listener, sk_max_ack_backlog) : 0;
	auxmap__store_u8(aux, max ? (__u8)(len * 100 / max) : 0);
	auxmap__store_u32(aux, len);
	auxmap__store_u32(aux, max);
	if (four)
		auxmap__store_u32(aux, (__u32)syscall__arg(regs, 3));
	auxmap__submit(aux);
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(bind_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *aux = auxmap__get();
	if (!aux)
		return 0;
	/* res, addr, fd */
	auxmap__preload_header(aux, PPME_SOCKET_BIND_X, PPME_SOCKET_BIND_X_NPARAMS);
	auxmap__store_u64(aux, ret);
	socket__store_user_sockaddr(aux, syscall__arg(regs, 1), syscall__arg(regs, 2));
	auxmap__store_u64(aux, (__s64)(__s32)syscall__arg(regs, 0));
	auxmap__submit(aux);
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(sendto_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *aux = auxmap__get();
	if (!aux)
		return 0;
	long fd = (__s32)syscall__arg(regs, 0);
	/* res, data, fd, size, tuple */
	auxmap__preload_header(aux, PPME_SOCKET_SENDTO_X, PPME_SOCKET_SENDTO_X_NPARAMS);
	auxmap__store_u64(aux, ret);
	socket__store_data(aux, syscall__arg(regs, 1), ret);
	auxmap__store_u64(aux, fd);
	auxmap__store_u32(aux, (__u32)syscall__arg(regs, 2));
	socket__store_tuple(aux, fd, true);
	auxmap__submit(aux);
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(sendmsg_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *aux = auxmap__get();
	if (!aux)
		return 0;
	long fd = (__s32)syscall__arg(regs, 0);
	/* res, data, fd, size, tuple */
	auxmap__preload_header(aux, PPME_SOCKET_SENDMSG_X, PPME_SOCKET_SENDMSG_X_NPARAMS);
	auxmap__store_u64(aux, ret);
	socket__store_msg_data(aux, syscall__arg(regs, 1), ret);
	auxmap__store_u64(aux, fd);
	auxmap__store_u32(aux, ret > 0 ? (__u32)ret : 0);
	socket__store_tuple(aux, fd, true);
	auxmap__submit(aux);
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(recvfrom_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *aux = auxmap__get();
	if (!aux)
		return 0;
	long fd = (__s32)syscall__arg(regs, 0);
	/* res, data, tuple, fd, size */
	auxmap__preload_header(aux, PPME_SOCKET_RECVFROM_X, PPME_SOCKET_RECVFROM_X_NPARAMS);
	auxmap__store_u64(aux, ret);
	socket__store_data(aux, syscall__arg(regs, 1), ret);
	socket__store_tuple(aux, fd, false);
	auxmap__store_u64(aux, fd);
	auxmap__store_u32(aux, (__u32)syscall__arg(regs, 2));
	auxmap__submit(aux);
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(recvmsg_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *aux = auxmap__get();
	if (!aux)
		return 0;
	long fd = (__s32)syscall__arg(regs, 0);
	/* res, size, data, tuple, msgcontrol, fd */
	auxmap__preload_header(aux, PPME_SOCKET_RECVMSG_X, PPME_SOCKET_RECVMSG_X_NPARAMS);
	auxmap__store_u64(aux, ret);
	auxmap__store_u32(aux, ret > 0 ? (__u32)ret : 0);
	socket__store_msg_data(aux, syscall__arg(regs, 1), ret);
	socket__store_tuple(aux, fd, false);
	auxmap__store_empty(aux);
	auxmap__store_u64(aux, fd);
	auxmap__submit(aux);
	return 0;
}
