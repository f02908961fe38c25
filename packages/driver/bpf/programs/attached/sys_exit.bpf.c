// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The one program attached to every syscall exit. An unwanted syscall costs a bounds check and one
 * byte load. A generic event (fixed size) is written here straight into a ring-buffer reservation;
 * every other wanted syscall goes to its own program through a tail call, so each handler gets its
 * own verifier budget.
 */
#include "../../helpers/store.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(sys_exit_dispatch, struct pt_regs *regs, long ret)
{
	__u32 nr = (__u32)syscall__nr(regs);
	if (nr >= SYSCALL_TABLE_SIZE)
		return 0;
	__u8 route = g_interesting_syscalls[nr & (SYSCALL_TABLE_SIZE - 1)];
	if (route == ROUTE_OFF)
		return 0;
	struct task_struct *task = bpf_get_current_task_btf();
	if (task->thread_info.status & 0x0002 /* TS_COMPAT: another numbering, not traced */)
		return 0;
	if (route == ROUTE_GENERIC) {
		ringbuf__write_generic(task, nr, g_simple_specs[nr & (SYSCALL_TABLE_SIZE - 1)].ppm_sc);
		return 0;
	}
	bpf_tail_call(ctx, &syscall_exit_tail_table, nr);
	/* Only reached when the table has no program for an enabled syscall. */
	struct driver_counters *c = counters__get();
	if (c)
		c->drops_tail_call++;
	return 0;
}
