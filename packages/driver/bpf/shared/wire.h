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
#define DRIVER_SCHEMA_VERSION 3

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

/*
 * How the sys_exit dispatcher handles a wanted syscall (values of g_interesting_syscalls). Generic
 * events have a fixed size, so the dispatcher writes them straight into a ring-buffer reservation:
 * no tail call, no scratch map, no copy. Everything else is tail-called.
 */
enum syscall_route {
	ROUTE_OFF = 0,
	ROUTE_TAIL_CALL = 1,
	ROUTE_GENERIC = 2,
};

/* Per-CPU counters, summed by user space. Every event the kernel side drops lands in one cause. */
struct driver_counters {
	__u64 events;               /* records written to the ring buffer */
	__u64 drops_buffer_full;    /* ring buffer had no room: the consumer fell behind */
	__u64 drops_too_large;      /* record would exceed MAX_RECORD_SIZE */
	__u64 drops_tail_call;      /* the per-syscall program could not be entered */
	__u64 read_failures;        /* a user/kernel memory read failed; the parameter was left empty */
};

/*
 * Table-driven exit events. Most syscalls' exit events are the return value plus arguments, some
 * read through a pointer, a few converted to PPM flag values. User space describes each such
 * syscall with a simple_spec (indexed by syscall number, in rodata) and one BPF program encodes
 * them all; syscalls with richer events (process, socket, open) have their own programs.
 */
enum simple_param_kind {
	SPK_RET = 1,   /* return value, 8 bytes signed */
	SPK_ARG_S64,   /* argument sign-extended from 32 bits: fds, pids */
	SPK_ARG_U64,
	SPK_ARG_U32,
	SPK_ARG_U16,
	SPK_ARG_U8,
	SPK_ARG_STR,   /* NUL-terminated string in user memory */
	SPK_USER_S64,  /* s32 read from user memory at arg + offset, widened (pipe fds) */
	SPK_USER_U32,  /* u32 read from user memory at arg + offset (io_uring_params) */
	SPK_ZERO_U64,  /* a value this driver does not extract, reported as 0 */
	SPK_EMPTY,     /* an absent parameter */
	SPK_DYN_U64,   /* PT_DYN: index byte 0 then the u64 argument (ptrace addr/data) */
	SPK_CAP_INHERITABLE, /* the caller's credentials after the call */
	SPK_CAP_PERMITTED,
	SPK_CAP_EFFECTIVE,
	SPK_PPM_SC,    /* u16: the spec's ppm_sc code (generic events) */
	SPK_NR,        /* u16: the syscall number (generic events) */
	SPK_USER_FD_INO,   /* inode number of the fd (s32) read from user memory at arg + offset (pipe) */
	SPK_USER_FD_SOCK,  /* kernel address of the struct sock behind that fd (socketpair source) */
	SPK_USER_FD_PEER,  /* kernel address of that unix socket's peer struct sock (socketpair peer) */
	SPK_USER_BYTES,    /* first SNAPLEN bytes at arg; `offset` names the length argument (init_module) */
	SPK_PRCTL_STR,     /* prctl arg2 as a user string for PR_SET_NAME/PR_GET_NAME, else empty */
	SPK_PRCTL_INT,     /* prctl arg2 as s64; read through the pointer for PR_GET_CHILD_SUBREAPER */
};

enum simple_conversion {
	CONV_NONE = 0,
	CONV_OPEN_FLAGS,     /* open(2) flags → PPM_O_* */
	CONV_FD_FLAGS,       /* O_CLOEXEC/O_NONBLOCK only (dup3, pipe2, socket type bits) */
	CONV_CLONE_FLAGS,    /* CLONE_* → PPM_CL_* (setns, unshare) */
	CONV_FCHOWNAT_FLAGS,
	CONV_DELETE_MODULE_FLAGS,
	CONV_MOUNT_FLAGS,    /* drops the historic MS_MGC_VAL magic */
	CONV_FCNTL_CMD,
	CONV_PTRACE_REQUEST,
};

struct simple_param {
	__u8 kind;
	__u8 arg;    /* syscall argument index */
	__u8 conv;
	__u8 offset; /* byte offset for SPK_USER_* */
};

#define SIMPLE_MAX_PARAMS 8
struct simple_spec {
	__u16 event; /* 0: no spec */
	__u16 ppm_sc;
	__u8 nparams;
	__u8 pad[3];
	struct simple_param params[SIMPLE_MAX_PARAMS];
};

#endif
