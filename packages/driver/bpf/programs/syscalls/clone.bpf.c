// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * clone, clone3, fork and vfork exit events. Both sides return through sys_exit: the parent with
 * the child's tid, the child with 0, so the state model sees the new thread from its first event.
 */
#include "../../helpers/proc.h"
#include "../../helpers/flags.h"

#define NR_CLONE 56
#define NR_FORK 57
#define NR_VFORK 58
#define NR_CLONE3 435

static __always_inline __u32 clone__flags(struct pt_regs *regs, __u32 nr, struct task_struct *task)
{
	unsigned long flags = 0;
	switch (nr) {
	case NR_CLONE:
		flags = syscall__arg(regs, 0);
		break;
	case NR_CLONE3: {
		/* struct clone_args starts with the u64 flags. */
		__u64 v = 0;
		bpf_probe_read_user(&v, sizeof(v), (void *)syscall__arg(regs, 0));
		flags = v;
		break;
	}
	case NR_VFORK:
		flags = 0x4000 | 0x100; /* CLONE_VFORK | CLONE_VM */
		break;
	default:
		break;
	}
	__u32 r = flags__clone_to_ppm(flags);
	/* A task whose pid namespace is not the initial one sees other pids than the host. */
	if (BPF_CORE_READ(task, thread_pid, level) > 0)
		r |= PPM_CL_CHILD_IN_PIDNS;
	return r;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(clone_x, struct pt_regs *regs, long ret)
{
	__u32 nr = (__u32)syscall__nr(regs);
	__u16 type;
	switch (nr) {
	case NR_FORK: type = PPME_SYSCALL_FORK_20_X; break;
	case NR_VFORK: type = PPME_SYSCALL_VFORK_20_X; break;
	case NR_CLONE3: type = PPME_SYSCALL_CLONE3_X; break;
	default: type = PPME_SYSCALL_CLONE_20_X; break;
	}
	struct auxiliary_map *aux = auxmap__get();
	if (!aux)
		return 0;
	struct task_struct *task = bpf_get_current_task_btf();
	auxmap__preload_header(aux, type, PPME_SYSCALL_CLONE_20_X_NPARAMS);
	auxmap__store_u64(aux, ret);
	proc__store_common(aux, task);
	auxmap__store_u32(aux, clone__flags(regs, nr, task));
	const struct cred *cred = BPF_CORE_READ(task, cred);
	auxmap__store_u32(aux, BPF_CORE_READ(cred, euid.val));
	auxmap__store_u32(aux, BPF_CORE_READ(cred, egid.val));
	auxmap__store_u64(aux, (__s64)extract__ns_pid(task, false));
	auxmap__store_u64(aux, (__s64)extract__ns_pid(task, true));
	/* pidns_init_start_ts: start time of the pid namespace's init, as ns since the epoch. */
	struct task_struct *reaper = BPF_CORE_READ(task, nsproxy, pid_ns_for_children, child_reaper);
	auxmap__store_u64(aux, reaper ? BPF_CORE_READ(reaper, start_time) + g_boot_time_ns : 0);
	auxmap__submit(aux);
	return 0;
}
