/* Includes and the small primitives every program uses: counters, syscall arguments. */
#ifndef DRIVER_HELPERS_BASE_H
#define DRIVER_HELPERS_BASE_H

#include "../vmlinux/x86_64/vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "../maps/maps.h"
#include "../shared/events_generated.h"

/* Power-of-two bounds the verifier can see. */
#define MAX_PATH_SIZE 4096
#define MAX_PROC_ARG_SIZE 4096
#define SAFE_PAYLOAD(x) ((x) & (MAX_RECORD_SIZE - 1))
#define SAFE_TMP(x) ((x) & (AUXMAP_TMP_SIZE - 1))

static __always_inline struct driver_counters *counters__get(void)
{
	__u32 zero = 0;
	return bpf_map_lookup_elem(&counters_map, &zero);
}

static __always_inline void counters__count_read_failure(void)
{
	struct driver_counters *c = counters__get();
	if (c)
		c->read_failures++;
}

/*
 * x86_64 syscall argument registers, in argument order. Valid at sys_exit too: entry saved them.
 * `regs` is a BTF pointer the verifier trusts, so these are plain loads, not helper calls: they sit
 * on the path of every traced syscall.
 */
static __always_inline unsigned long syscall__arg(struct pt_regs *regs, int n)
{
	switch (n) {
	case 0: return regs->di;
	case 1: return regs->si;
	case 2: return regs->dx;
	case 3: return regs->r10;
	case 4: return regs->r8;
	case 5: return regs->r9;
	default: return 0;
	}
}

static __always_inline unsigned long syscall__nr(struct pt_regs *regs)
{
	return regs->orig_ax;
}

/* 32-bit compat syscalls use another numbering; they are not traced. */
static __always_inline bool syscall__is_compat(void)
{
	struct task_struct *task = bpf_get_current_task_btf();
	return task->thread_info.status & 0x0002 /* TS_COMPAT */;
}

/*
 * An enter-event program, built twice from one body: NAME for the generic tp_btf/sys_enter hook
 * (tail-called by the sys_enter dispatcher, which every syscall on the machine runs while it is
 * attached) and NAME_tp for the syscall's own syscalls/sys_enter_<SYSCALL> tracepoint (needs
 * tracefs to attach; other syscalls then pay only the kernel's bitmap test, not a BPF run). The
 * tracepoint context carries no pt_regs pointer, so that variant takes the task's saved registers.
 */
#define ENTER_PROGRAM(NAME, SYSCALL)                                                              \
	static __always_inline int NAME##__body(struct pt_regs *regs);                            \
	SEC("tp_btf/sys_enter")                                                                   \
	int BPF_PROG(NAME, struct pt_regs *regs, long id)                                         \
	{                                                                                         \
		return NAME##__body(regs);                                                        \
	}                                                                                         \
	SEC("tp/syscalls/sys_enter_" #SYSCALL)                                                    \
	int NAME##_tp(void *ctx)                                                                  \
	{                                                                                         \
		return NAME##__body((struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf())); \
	}                                                                                         \
	static __always_inline int NAME##__body(struct pt_regs *regs)

#endif
