// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * execve/execveat exit events for failed calls. A successful exec replaces the caller's memory,
 * so its event is written from sched_process_exec (programs/attached/sched_process_exec.bpf.c),
 * where the new image and the kernel's copy of the filename are both at hand.
 */
#include "../../helpers/proc.h"

static __always_inline int execve__failed(struct pt_regs *regs, long ret, bool at)
{
	if (ret == 0)
		return 0;
	struct auxiliary_map *aux = auxmap__get();
	if (!aux)
		return 0;
	struct task_struct *task = bpf_get_current_task_btf();
	auxmap__preload_header(aux, at ? PPME_SYSCALL_EXECVEAT_X : PPME_SYSCALL_EXECVE_19_X,
			       at ? PPME_SYSCALL_EXECVEAT_X_NPARAMS : PPME_SYSCALL_EXECVE_19_X_NPARAMS);
	auxmap__store_u64(aux, ret);
	proc__store_common(aux, task);
	proc__store_exec_tail(aux, task);
	if (!at)
		auxmap__store_user_string(aux, syscall__arg(regs, 0)); /* filename, still readable */
	auxmap__submit(aux);
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(execve_x, struct pt_regs *regs, long ret)
{
	return execve__failed(regs, ret, false);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(execveat_x, struct pt_regs *regs, long ret)
{
	return execve__failed(regs, ret, true);
}
