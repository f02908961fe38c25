// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Attached to every syscall entry, but only does work for the few syscalls whose enter event is
 * kept (paths and addresses as the caller passed them, before the kernel acts on them). A BTF
 * tracepoint needs no tracefs, unlike syscalls/sys_enter_* tracepoints.
 */
#include "../../helpers/base.h"

SEC("tp_btf/sys_enter")
int BPF_PROG(sys_enter_dispatch, struct pt_regs *regs, long id)
{
	if ((unsigned long)id >= SYSCALL_TABLE_SIZE || !g_interesting_enter[id & (SYSCALL_TABLE_SIZE - 1)])
		return 0;
	if (syscall__is_compat())
		return 0;
	bpf_tail_call(ctx, &syscall_enter_tail_table, (__u32)id);
	struct driver_counters *c = counters__get();
	if (c)
		c->drops_tail_call++;
	return 0;
}
