/*
 * The wire contract between the BPF programs and the C++ consumer. Every struct that both sides
 * see lives here, so a layout change is one edit, and test/live/wire-layout.test.ts checks the
 * compiled object's BTF against the TypeScript decoder's constants.
 */
#ifndef DRIVER_SHARED_WIRE_H
#define DRIVER_SHARED_WIRE_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/* Bumped whenever a struct below changes; baked into rodata and checked when the object opens. */
#define DRIVER_SCHEMA_VERSION 1

/* The 8-byte prefix each batch record carries before the scap event (see src/batch.ts). */
struct record_prefix {
	__u16 cpu;
	__u16 reserved;
	__u32 flags;
} __attribute__((packed));

/* libscap's event header: 26 bytes, little-endian, no padding. */
struct scap_event_header {
	__u64 ts;
	__u64 tid;
	__u32 len; /* whole event including this header */
	__u16 type;
	__u32 nparams;
} __attribute__((packed));

#define RECORD_PREFIX_SIZE 8
#define SCAP_HEADER_SIZE 26
#define RECORD_HEADER_SIZE (RECORD_PREFIX_SIZE + SCAP_HEADER_SIZE)

/*
 * Largest record the kernel side will emit (prefix included). Larger ones are dropped and counted
 * as too large rather than truncated, so a decoder never sees a half-written event.
 */
#define MAX_RECORD_SIZE (64 * 1024)

/* Syscall numbers index the interest table; x86_64 numbers stay below this. */
#define SYSCALL_TABLE_SIZE 512

/* Per-CPU counters, summed by user space. Every event the kernel side drops lands in one cause. */
struct driver_counters {
	__u64 events;               /* records written to the ring buffer */
	__u64 drops_buffer_full;    /* ring buffer had no room: the consumer fell behind */
	__u64 drops_too_large;      /* record would exceed MAX_RECORD_SIZE */
	__u64 drops_tail_call;      /* the per-syscall program could not be entered */
	__u64 read_failures;        /* a user/kernel memory read failed; the parameter was left empty */
};

#endif
