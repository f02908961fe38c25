// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * A successful execve/execveat: written when the new image is in place (arguments, environment
 * and executable are the new ones), with res = 0 and the filename as the kernel resolved it.
 */
#include "../../helpers/proc.h"

#define NR_EXECVE 59
#define NR_EXECVEAT 322

SEC("tp_btf/sched_process_exec")
int BPF_PROG(sched_process_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(p);
	long nr = syscall__nr(regs);
	bool at = nr == NR_EXECVEAT;
	if (!(at ? g_interesting_syscalls[NR_EXECVEAT] : g_interesting_syscalls[NR_EXECVE]))
		return 0;
	struct auxiliary_map *aux = auxmap__get();
	if (!aux)
		return 0;
	auxmap__preload_header(aux, at ? PPME_SYSCALL_EXECVEAT_X : PPME_SYSCALL_EXECVE_19_X,
			       at ? PPME_SYSCALL_EXECVEAT_X_NPARAMS : PPME_SYSCALL_EXECVE_19_X_NPARAMS);
	auxmap__store_u64(aux, 0);
	proc__store_common(aux, p);
	proc__store_exec_tail(aux, p);
	if (!at)
		auxmap__store_kernel_string(aux, BPF_CORE_READ(bprm, filename), MAX_PATH_SIZE);
	auxmap__submit(aux);
	return 0;
}
