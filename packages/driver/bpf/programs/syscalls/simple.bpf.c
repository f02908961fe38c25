// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * One exit program for every syscall whose event is its return value and arguments (see struct
 * simple_spec in shared/wire.h): unlinkat, mkdir, setuid, kill, fcntl, mount, ... and the generic
 * event of syscalls without a dedicated one. User space fills g_simple_specs before loading.
 */
#include "../../helpers/socket.h"
#include "../../helpers/flags.h"

static __always_inline void simple__store_int(struct auxiliary_map *aux, __u8 kind, __u64 v)
{
	switch (kind) {
	case SPK_ARG_U8: auxmap__store_u8(aux, v); break;
	case SPK_ARG_U16: auxmap__store_u16(aux, v); break;
	case SPK_ARG_U32: auxmap__store_u32(aux, v); break;
	default: auxmap__store_u64(aux, v); break;
	}
}

static __always_inline __u64 simple__cap(struct task_struct *task, __u8 kind)
{
	const struct cred *cred = BPF_CORE_READ(task, cred);
	switch (kind) {
	case SPK_CAP_INHERITABLE: return BPF_CORE_READ(cred, cap_inheritable.val);
	case SPK_CAP_PERMITTED: return BPF_CORE_READ(cred, cap_permitted.val);
	default: return BPF_CORE_READ(cred, cap_effective.val);
	}
}

#define K_PR_SET_NAME 15
#define K_PR_GET_NAME 16
#define K_PR_GET_CHILD_SUBREAPER 37

/* An fd the syscall wrote to user memory (pipe, socketpair); -1 when the call failed. */
static __always_inline long simple__user_fd(long ret, unsigned long ptr)
{
	__s32 fd = -1;
	if (ret < 0 || bpf_probe_read_user(&fd, sizeof(fd), (void *)ptr))
		return -1;
	return fd;
}

static __always_inline __u64 simple__fd_ino(long fd)
{
	struct file *file = extract__file_from_fd(fd);
	return file ? BPF_CORE_READ(file, f_inode, i_ino) : 0;
}

/* socketpair reports the two ends by the kernel address of their struct sock, as Falco does. */
static __always_inline __u64 simple__fd_sock(long fd, bool peer)
{
	struct sock *sk = fd >= 0 ? socket__sock_from_fd(fd) : NULL;
	if (!sk || !peer)
		return (__u64)sk;
	return (__u64)BPF_CORE_READ((struct unix_sock *)sk, peer);
}

static __always_inline bool simple__prctl_name(unsigned long option)
{
	return option == K_PR_SET_NAME || option == K_PR_GET_NAME;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(simple_x, struct pt_regs *regs, long ret)
{
	__u32 nr = (__u32)syscall__nr(regs) & (SYSCALL_TABLE_SIZE - 1);
	const volatile struct simple_spec *spec = &g_simple_specs[nr];
	if (spec->event == 0)
		return 0;
	struct auxiliary_map *aux = auxmap__get();
	if (!aux)
		return 0;
	__u8 nparams = spec->nparams;
	auxmap__preload_header(aux, spec->event, nparams);
	for (int i = 0; i < SIMPLE_MAX_PARAMS; i++) {
		if (i >= nparams)
			break;
		__u8 kind = spec->params[i].kind;
		__u8 conv = spec->params[i].conv;
		unsigned long arg = syscall__arg(regs, spec->params[i].arg);
		switch (kind) {
		case SPK_RET:
			auxmap__store_u64(aux, ret);
			break;
		case SPK_ARG_S64:
			auxmap__store_u64(aux, (__s64)(__s32)arg);
			break;
		case SPK_ARG_U64:
		case SPK_ARG_U32:
		case SPK_ARG_U16:
		case SPK_ARG_U8:
			simple__store_int(aux, kind, conv ? flags__convert(conv, arg) : arg);
			break;
		case SPK_ARG_STR:
			auxmap__store_user_string(aux, arg);
			break;
		case SPK_USER_S64: {
			__s32 v = 0;
			if (ret < 0 || bpf_probe_read_user(&v, sizeof(v), (void *)(arg + spec->params[i].offset)))
				v = -1;
			auxmap__store_u64(aux, (__s64)v);
			break;
		}
		case SPK_USER_U32: {
			__u32 v = 0;
			if (ret >= 0)
				bpf_probe_read_user(&v, sizeof(v), (void *)(arg + spec->params[i].offset));
			auxmap__store_u32(aux, conv ? flags__convert(conv, v) : v);
			break;
		}
		case SPK_ZERO_U64:
			auxmap__store_u64(aux, 0);
			break;
		case SPK_DYN_U64:
			aux->data[SAFE_PAYLOAD(aux->payload_pos)] = 0;
			*(__u64 *)&aux->data[SAFE_PAYLOAD(aux->payload_pos + 1)] = arg;
			auxmap__push_length(aux, 9);
			break;
		case SPK_CAP_INHERITABLE:
		case SPK_CAP_PERMITTED:
		case SPK_CAP_EFFECTIVE:
			auxmap__store_u64(aux, simple__cap(bpf_get_current_task_btf(), kind));
			break;
		case SPK_PPM_SC:
			auxmap__store_u16(aux, spec->ppm_sc);
			break;
		case SPK_NR:
			auxmap__store_u16(aux, (__u16)nr);
			break;
		case SPK_USER_FD_INO:
			auxmap__store_u64(aux, simple__fd_ino(simple__user_fd(ret, arg + spec->params[i].offset)));
			break;
		case SPK_USER_FD_SOCK:
		case SPK_USER_FD_PEER:
			auxmap__store_u64(aux, simple__fd_sock(simple__user_fd(ret, arg + spec->params[i].offset), kind == SPK_USER_FD_PEER));
			break;
		case SPK_USER_BYTES: {
			long len = (long)syscall__arg(regs, spec->params[i].offset);
			socket__store_data(aux, arg, len);
			break;
		}
		case SPK_PRCTL_STR:
			if (simple__prctl_name(syscall__arg(regs, 0)))
				auxmap__store_user_string(aux, arg);
			else
				auxmap__store_empty(aux);
			break;
		case SPK_PRCTL_INT: {
			unsigned long option = syscall__arg(regs, 0);
			if (simple__prctl_name(option)) {
				auxmap__store_empty(aux);
			} else if (option == K_PR_GET_CHILD_SUBREAPER) {
				__s32 v = 0;
				bpf_probe_read_user(&v, sizeof(v), (void *)arg);
				auxmap__store_u64(aux, (__s64)v);
			} else {
				auxmap__store_u64(aux, arg);
			}
			break;
		}
		default:
			auxmap__store_empty(aux);
			break;
		}
	}
	auxmap__submit(aux);
	return 0;
}
