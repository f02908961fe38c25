// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* A thread is gone: the procexit event (status, ret, sig, core, reaper tid) ends its state. */
#include "../../helpers/store.h"

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
	/* Whom orphaned children go to is decided after this point; 0 lets user space apply its rule. */
	auxmap__store_u64(aux, 0);
	auxmap__submit(aux);
	return 0;
}
