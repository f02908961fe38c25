/*
 * Socket addresses and tuples in scap's encoding: a PPM_AF_* family byte, then IPv4 (4 bytes) or
 * IPv6 (16 bytes) in network order and ports in host order, or a unix path. Tuples carry source
 * then destination; for calls that start a conversation (connect, send) the source is the local end.
 */
#ifndef DRIVER_HELPERS_SOCKET_H
#define DRIVER_HELPERS_SOCKET_H

#include "extract.h"

#define K_AF_UNIX 1
#define K_AF_INET 2
#define K_AF_INET6 10
#define UNIX_PATH_MAX 108

static __always_inline __u16 socket__ntohs(__u16 v)
{
	return (v >> 8) | (v << 8);
}

/* A sockaddr passed by the caller (connect, bind, sendto), read from user memory. */
static __always_inline void socket__store_user_sockaddr(struct auxiliary_map *aux, unsigned long uaddr, unsigned long len)
{
	__u16 family = 0;
	if (!uaddr || len < 2 || bpf_probe_read_user(&family, sizeof(family), (void *)uaddr)) {
		auxmap__store_empty(aux);
		return;
	}
	__u8 *out = &aux->data[SAFE_PAYLOAD(aux->payload_pos)];
	switch (family) {
	case K_AF_INET: {
		struct sockaddr_in sin = {};
		bpf_probe_read_user(&sin, sizeof(sin), (void *)uaddr);
		out[0] = PPM_AF_INET;
		*(__u32 *)&aux->data[SAFE_PAYLOAD(aux->payload_pos + 1)] = sin.sin_addr.s_addr;
		*(__u16 *)&aux->data[SAFE_PAYLOAD(aux->payload_pos + 5)] = socket__ntohs(sin.sin_port);
		auxmap__push_length(aux, 7);
		return;
	}
	case K_AF_INET6: {
		struct sockaddr_in6 sin6 = {};
		bpf_probe_read_user(&sin6, sizeof(sin6), (void *)uaddr);
		out[0] = PPM_AF_INET6;
		__builtin_memcpy(&aux->data[SAFE_PAYLOAD(aux->payload_pos + 1)], &sin6.sin6_addr, 16);
		*(__u16 *)&aux->data[SAFE_PAYLOAD(aux->payload_pos + 17)] = socket__ntohs(sin6.sin6_port);
		auxmap__push_length(aux, 19);
		return;
	}
	case K_AF_UNIX: {
		out[0] = PPM_AF_UNIX;
		unsigned long path = uaddr + 2;
		char first = 0;
		bpf_probe_read_user(&first, 1, (void *)path);
		if (first == 0)
			path++; /* abstract address: the name follows the leading NUL */
		long n = bpf_probe_read_user_str(&aux->data[SAFE_PAYLOAD(aux->payload_pos + 1)], UNIX_PATH_MAX, (void *)path);
		if (n <= 0) {
			aux->data[SAFE_PAYLOAD(aux->payload_pos + 1)] = 0;
			n = 1;
		}
		auxmap__push_length(aux, (__u16)(1 + n));
		return;
	}
	default:
		auxmap__store_empty(aux);
		return;
	}
}

/* The struct sock behind an fd, or NULL when the fd is not a socket. */
static __always_inline struct sock *socket__sock_from_fd(long fd)
{
	struct file *file = extract__file_from_fd(fd);
	if (!file)
		return NULL;
	struct socket *sock = BPF_CORE_READ(file, private_data);
	/* Only socket files point private_data at a struct socket whose file points back. */
	if (!sock || BPF_CORE_READ(sock, file) != file)
		return NULL;
	return BPF_CORE_READ(sock, sk);
}

/* The unix path of a socket's bound address (or of its peer's). */
static __always_inline long socket__unix_path(struct auxiliary_map *aux, __u64 at, struct sock *sk)
{
	struct unix_sock *us = (struct unix_sock *)sk;
	struct unix_address *addr = BPF_CORE_READ(us, addr);
	if (!addr)
		return 0;
	int len = BPF_CORE_READ(addr, len);
	if (len <= 2)
		return 0;
	char *path = (char *)addr + bpf_core_field_offset(struct unix_address, name) + 2;
	char first = 0;
	bpf_probe_read_kernel(&first, 1, path);
	if (first == 0)
		path++;
	long n = bpf_probe_read_kernel_str(&aux->data[SAFE_PAYLOAD(at)], UNIX_PATH_MAX, path);
	return n > 0 ? n - 1 : 0;
}

/*
 * The connection tuple of the socket behind `fd`. `local_first` puts the local end in the source
 * slot (connect, send); accept's tuple has the remote peer first.
 */
static __always_inline void socket__store_tuple(struct auxiliary_map *aux, long fd, bool local_first)
{
	struct sock *sk = socket__sock_from_fd(fd);
	if (!sk) {
		auxmap__store_empty(aux);
		return;
	}
	__u16 family = BPF_CORE_READ(sk, __sk_common.skc_family);
	__u64 at = aux->payload_pos;
	switch (family) {
	case K_AF_INET: {
		__u32 laddr = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
		__u32 raddr = BPF_CORE_READ(sk, __sk_common.skc_daddr);
		__u16 lport = BPF_CORE_READ(sk, __sk_common.skc_num);
		__u16 rport = socket__ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
		aux->data[SAFE_PAYLOAD(at)] = PPM_AF_INET;
		*(__u32 *)&aux->data[SAFE_PAYLOAD(at + 1)] = local_first ? laddr : raddr;
		*(__u16 *)&aux->data[SAFE_PAYLOAD(at + 5)] = local_first ? lport : rport;
		*(__u32 *)&aux->data[SAFE_PAYLOAD(at + 7)] = local_first ? raddr : laddr;
		*(__u16 *)&aux->data[SAFE_PAYLOAD(at + 11)] = local_first ? rport : lport;
		auxmap__push_length(aux, 13);
		return;
	}
	case K_AF_INET6: {
		struct in6_addr laddr = BPF_CORE_READ(sk, __sk_common.skc_v6_rcv_saddr);
		struct in6_addr raddr = BPF_CORE_READ(sk, __sk_common.skc_v6_daddr);
		__u16 lport = BPF_CORE_READ(sk, __sk_common.skc_num);
		__u16 rport = socket__ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
		aux->data[SAFE_PAYLOAD(at)] = PPM_AF_INET6;
		__builtin_memcpy(&aux->data[SAFE_PAYLOAD(at + 1)], local_first ? &laddr : &raddr, 16);
		*(__u16 *)&aux->data[SAFE_PAYLOAD(at + 17)] = local_first ? lport : rport;
		__builtin_memcpy(&aux->data[SAFE_PAYLOAD(at + 19)], local_first ? &raddr : &laddr, 16);
		*(__u16 *)&aux->data[SAFE_PAYLOAD(at + 35)] = local_first ? rport : lport;
		auxmap__push_length(aux, 37);
		return;
	}
	case K_AF_UNIX: {
		struct sock *peer = BPF_CORE_READ((struct unix_sock *)sk, peer);
		aux->data[SAFE_PAYLOAD(at)] = PPM_AF_UNIX;
		*(__u64 *)&aux->data[SAFE_PAYLOAD(at + 1)] = (__u64)sk;
		*(__u64 *)&aux->data[SAFE_PAYLOAD(at + 9)] = (__u64)peer;
		long n = socket__unix_path(aux, at + 17, peer ? peer : sk);
		if (n == 0)
			n = socket__unix_path(aux, at + 17, sk);
		aux->data[SAFE_PAYLOAD(at + 17 + n)] = 0;
		auxmap__push_length(aux, (__u16)(17 + n + 1));
		return;
	}
	default:
		auxmap__store_empty(aux);
		return;
	}
}

/* The first `max` bytes a read or write moved (the default snaplen), from user memory. */
#define SNAPLEN 80
static __always_inline void socket__store_data(struct auxiliary_map *aux, unsigned long buf, long len)
{
	if (len <= 0 || !buf) {
		auxmap__store_empty(aux);
		return;
	}
	auxmap__store_user_bytes(aux, buf, len > SNAPLEN ? SNAPLEN : len);
}

/* The first iovec of a msghdr in user memory (sendmsg/recvmsg data). */
static __always_inline void socket__store_msg_data(struct auxiliary_map *aux, unsigned long msg, long len)
{
	struct user_msghdr hdr = {};
	struct iovec iov = {};
	if (len <= 0 || bpf_probe_read_user(&hdr, sizeof(hdr), (void *)msg) || !hdr.msg_iov ||
	    bpf_probe_read_user(&iov, sizeof(iov), hdr.msg_iov)) {
		auxmap__store_empty(aux);
		return;
	}
	long n = (long)iov.iov_len < len ? (long)iov.iov_len : len;
	socket__store_data(aux, (unsigned long)iov.iov_base, n);
}

#endif
