/*
 * Every map and global the BPF side uses, in one place. Maps are __weak so that each compiled
 * .bpf.o can include this header and `bpftool gen object` merges them into one instance.
 */
#ifndef DRIVER_MAPS_H
#define DRIVER_MAPS_H

#include "../shared/wire.h"

/* Wall-clock time at boot in ns: bpf_ktime_get_boot_ns() + this = ns since the epoch (scap ts). */
__weak const volatile __u64 g_boot_time_ns = 0;

/* Checked by user space after open, so a stale object built from another header is refused. */
__weak const volatile __u32 g_schema_version = DRIVER_SCHEMA_VERSION;

/*
 * Syscalls user space wants and how their exit event is written (enum syscall_route), indexed by
 * x86_64 syscall number. Lives in .bss, which user space maps, so changing the set at run time is
 * a plain memory write: no reload, no map syscall. One byte answers both "is it wanted" and "which
 * path", so the dispatcher does a single load for every syscall on the machine.
 */
__weak __u8 g_interesting_syscalls[SYSCALL_TABLE_SIZE];

/*
 * Syscalls whose enter event is also emitted (open, openat, openat2, creat, connect: the
 * time-of-check view of a path or address). Set by user space alongside the exit table.
 */
__weak bool g_interesting_enter[SYSCALL_TABLE_SIZE];

/* The process lifecycle tracepoints, switched like syscalls (index: enum lifecycle_tp). */
enum lifecycle_tp { LIFECYCLE_PROCESS_EXIT = 0, LIFECYCLE_PROCESS_FORK = 1, LIFECYCLE_PROCESS_EXEC = 2, LIFECYCLE_COUNT = 3 };
__weak bool g_interesting_lifecycle[LIFECYCLE_COUNT];

/*
 * Bytes a CPU writes between two wake-ups of the consumer (user space sets wakeupBytes divided by
 * the number of CPUs). Waking on every event costs a cross-CPU interrupt per syscall; batching the
 * wake-ups keeps the probe cost flat under load, and the consumer's poll timeout bounds the
 * latency of a quiet period.
 */
__weak const volatile __u64 g_wakeup_bytes = 256 * 1024;

/* Encoding of the table-driven exit events, by syscall number (see struct simple_spec). */
__weak const volatile struct simple_spec g_simple_specs[SYSCALL_TABLE_SIZE];

/* sys_exit dispatcher → per-syscall exit programs, keyed by syscall number; filled by user space. */
struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, SYSCALL_TABLE_SIZE);
	__type(key, __u32);
	__type(value, __u32);
} syscall_exit_tail_table __weak SEC(".maps");

/* sys_enter dispatcher → per-syscall enter programs, keyed by syscall number. */
struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, SYSCALL_TABLE_SIZE);
	__type(key, __u32);
	__type(value, __u32);
} syscall_enter_tail_table __weak SEC(".maps");

/* Records travel to user space through one shared ring buffer; user space sets its size before load. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8 * 1024 * 1024);
} ringbuf __weak SEC(".maps");

/* Per-CPU drop and event counters (one slot); per-CPU so producers never contend on a cache line. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct driver_counters);
} counters_map __weak SEC(".maps");

/*
 * Bytes this CPU has written since it last woke the consumer. A per-CPU count (an inlined lookup
 * and an add) instead of asking the ring buffer how much is pending, which is a helper call per
 * event: on kernels with return-thunk mitigations every call and return is dear.
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} wakeup_pending __weak SEC(".maps");

/*
 * Scratch space where a record is assembled before it is copied to the ring buffer in one piece.
 * Records have a variable size, which bpf_ringbuf_reserve cannot take. One entry per CPU (user
 * space sets max_entries to the number of possible CPUs); a plain array rather than a per-CPU one
 * because per-CPU values are limited to 32 KiB.
 */
#define AUXMAP_DATA_SIZE (2 * MAX_RECORD_SIZE)
#define AUXMAP_TMP_SIZE 8192
struct auxiliary_map {
	__u8 data[AUXMAP_DATA_SIZE];
	__u8 tmp[AUXMAP_TMP_SIZE]; /* paths are built here backwards, one component at a time */
	__u64 payload_pos;
	__u64 lengths_pos;
	/*
	 * Start of the path being assembled in tmp. Kept here rather than on the stack so the verifier
	 * treats it as a bounded unknown and checks a path-walk step once instead of once per depth.
	 */
	__u64 path_pos;
	/* Bytes written so far into the cgroups parameter (same reason: an imprecise bound). */
	__u64 cgroups_len;
};
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct auxiliary_map);
} auxiliary_maps __weak SEC(".maps");

#endif
