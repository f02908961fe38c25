// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* A thread is gone: the procexit event (status, ret, sig, core, reaper tid) ends its state. */
#include "../../helpers/store.h"

#define K_PF_EXITING 0x4
#define MAX_THREADS_SCANNED 16
#define MAX_ANCESTORS_SCANNED 16

/*
 * A thread of `task`'s group (itself included) that is not exiting: 0 when there is none, -1 when
 * the group has more threads than the scan covers (user space then applies its own rule).
 */
static __always_inline __s32 reaper__alive_thread(struct task_struct *task)
{
	struct signal_struct *signal = BPF_CORE_READ(task, signal);
	struct list_head *head = &signal->thread_head;
	struct list_head *node = BPF_CORE_READ(signal, thread_head.next);
	for (int i = 0; i < MAX_THREADS_SCANNED; i++) {
		if (node == head)
			return 0;
		struct task_struct *t = container_of(node, struct task_struct, thread_node);
		if (!(BPF_CORE_READ(t, flags) & K_PF_EXITING))
			return BPF_CORE_READ(t, pid);
		node = BPF_CORE_READ(t, thread_node.next);
	}
	return -1;
}

/*
 * Who inherits the children of `task`, by the kernel's rule: a live thread of its own group, else
 * the nearest ancestor in the same pid namespace that made itself a child subreaper, else the
 * namespace's init. 0 when the namespace's init itself is going (its children die with it), -1
 * when a bounded scan could not decide.
 */
static __always_inline __s32 reaper__find(struct task_struct *task)
{
	__s32 tid = reaper__alive_thread(task);
	if (tid != 0)
		return tid;
	struct pid *pid = BPF_CORE_READ(task, thread_pid);
	unsigned int level = BPF_CORE_READ(pid, level);
	struct task_struct *ns_init = BPF_CORE_READ(pid, numbers[level].ns, child_reaper);
	if (ns_init == task)
		return 0;
	__s32 init_tid = BPF_CORE_READ(ns_init, pid);
	struct signal_struct *signal = BPF_CORE_READ(task, signal);
	if (!BPF_CORE_READ_BITFIELD_PROBED(signal, has_child_subreaper))
		return init_tid;
	struct task_struct *up = BPF_CORE_READ(task, real_parent);
	for (int i = 0; i < MAX_ANCESTORS_SCANNED; i++) {
		/* Leaving the namespace (setns + fork can put a parent outside it) or reaching init. */
		if (up == ns_init || BPF_CORE_READ(up, thread_pid, level) != level)
			return init_tid;
		signal = BPF_CORE_READ(up, signal);
		if (BPF_CORE_READ_BITFIELD_PROBED(signal, is_child_subreaper)) {
			tid = reaper__alive_thread(up);
			if (tid != 0)
				return tid;
			/* Every thread of the subreaper is exiting: the kernel keeps looking upwards. */
		}
		up = BPF_CORE_READ(up, real_parent);
	}
	return -1;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(sched_process_exit, struct task_struct *p)
{
	if (!g_interesting_lifecycle[LIFECYCLE_PROCESS_EXIT])
		return 0;
	struct auxiliary_map *aux = auxmap__get();
	if (!aux)
		return 0;
	int code = BPF_CORE_READ(p, exit_code);
	auxmap__preload_header(aux, PPME_PROCEXIT_1_E, PPME_PROCEXIT_1_E_NPARAMS);
	auxmap__store_u64(aux, (__s64)code);
	auxmap__store_u64(aux, (__s64)((code >> 8) & 0xff));
	auxmap__store_u8(aux, code & 0x7f);
	auxmap__store_u8(aux, (code & 0x80) ? 1 : 0);
	/* Only a thread with children needs a reaper; 0 otherwise. */
	struct list_head *children = &p->children;
	bool has_children = BPF_CORE_READ(p, children.next) != children;
	auxmap__store_u64(aux, (__s64)(has_children ? reaper__find(p) : 0));
	auxmap__submit(aux);
	return 0;
}
