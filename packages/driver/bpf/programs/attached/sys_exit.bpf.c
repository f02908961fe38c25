// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The one program attached to every syscall exit. It costs a bounds check and a table load for
 * uninteresting syscalls and hands the rest to the per-syscall program through a tail call, so each
 * handler gets its own verifier budget and an untraced syscall pays for nothing else.
 */
#include "../../helpers/base.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(sys_exit_dispatch, struct pt_regs *regs, long ret)
{
	__u32 nr = (__u32)syscall__nr(regs);
	if (nr >= SYSCALL_TABLE_SIZE || !g_interesting_syscalls[nr & (SYSCALL_TABLE_SIZE - 1)])
		return 0;
	if (syscall__is_compat())
		return 0;
	bpf_tail_call(ctx, &syscall_exit_tail_table, nr);
	/* Only reached when the table has no program for an enabled syscall. */
	struct driver_counters *c = counters__get();
	if (c)
		c->drops_tail_call++;
	return 0;
}
