/*
 * Building a record in the per-CPU auxiliary map and shipping it. A record is the 8-byte batch
 * prefix, the 26-byte scap header, nparams u16 lengths, then the payloads; the store functions
 * append one parameter each, in the order the event table lists them.
 */
#ifndef DRIVER_HELPERS_STORE_H
#define DRIVER_HELPERS_STORE_H

#include "base.h"

static __always_inline struct auxiliary_map *auxmap__get(void)
{
	__u32 cpu = bpf_get_smp_processor_id();
	return bpf_map_lookup_elem(&auxiliary_maps, &cpu);
}

static __always_inline void auxmap__preload_header(struct auxiliary_map *aux, __u16 type, __u32 nparams)
{
	struct record_prefix *prefix = (struct record_prefix *)aux->data;
	prefix->cpu = (__u16)bpf_get_smp_processor_id();
	prefix->reserved = 0;
	prefix->flags = 0;
	struct scap_event_header *hdr = (struct scap_event_header *)&aux->data[RECORD_PREFIX_SIZE];
	hdr->ts = g_boot_time_ns + bpf_ktime_get_boot_ns();
	hdr->tid = (__u32)bpf_get_current_pid_tgid();
	hdr->len = 0;
	hdr->type = type;
	hdr->nparams = nparams;
	aux->lengths_pos = RECORD_HEADER_SIZE;
	aux->payload_pos = RECORD_HEADER_SIZE + nparams * sizeof(__u16);
}

static __always_inline void auxmap__push_length(struct auxiliary_map *aux, __u16 len)
{
	*(__u16 *)&aux->data[SAFE_PAYLOAD(aux->lengths_pos)] = len;
	aux->lengths_pos += sizeof(__u16);
	aux->payload_pos += len;
}

static __always_inline void auxmap__store_u8(struct auxiliary_map *aux, __u8 v)
{
	aux->data[SAFE_PAYLOAD(aux->payload_pos)] = v;
	auxmap__push_length(aux, sizeof(v));
}

static __always_inline void auxmap__store_u16(struct auxiliary_map *aux, __u16 v)
{
	*(__u16 *)&aux->data[SAFE_PAYLOAD(aux->payload_pos)] = v;
	auxmap__push_length(aux, sizeof(v));
}

static __always_inline void auxmap__store_u32(struct auxiliary_map *aux, __u32 v)
{
	*(__u32 *)&aux->data[SAFE_PAYLOAD(aux->payload_pos)] = v;
	auxmap__push_length(aux, sizeof(v));
}

static __always_inline void auxmap__store_u64(struct auxiliary_map *aux, __u64 v)
{
	*(__u64 *)&aux->data[SAFE_PAYLOAD(aux->payload_pos)] = v;
	auxmap__push_length(aux, sizeof(v));
}

/* A parameter the driver has no value for: zero length, which decoders show as absent. */
static __always_inline void auxmap__store_empty(struct auxiliary_map *aux)
{
	auxmap__push_length(aux, 0);
}

/* A NUL-terminated string from user memory (a path argument). A NULL pointer stores an empty param. */
static __always_inline void auxmap__store_user_string(struct auxiliary_map *aux, unsigned long ptr)
{
	if (!ptr) {
		auxmap__store_empty(aux);
		return;
	}
	long n = bpf_probe_read_user_str(&aux->data[SAFE_PAYLOAD(aux->payload_pos)], MAX_PATH_SIZE, (void *)ptr);
	if (n <= 0) {
		counters__count_read_failure();
		auxmap__store_empty(aux);
		return;
	}
	auxmap__push_length(aux, (__u16)n);
}

/* A NUL-terminated string from kernel memory (comm, dentry names). */
static __always_inline void auxmap__store_kernel_string(struct auxiliary_map *aux, const void *ptr, __u32 max)
{
	if (max > MAX_PATH_SIZE)
		max = MAX_PATH_SIZE;
	long n = bpf_probe_read_kernel_str(&aux->data[SAFE_PAYLOAD(aux->payload_pos)], max, ptr);
	if (n <= 0) {
		counters__count_read_failure();
		auxmap__store_empty(aux);
		return;
	}
	auxmap__push_length(aux, (__u16)n);
}

/* A byte range from user memory (argv/env areas), capped at MAX_PROC_ARG_SIZE - 1 bytes. */
static __always_inline void auxmap__store_user_bytes(struct auxiliary_map *aux, unsigned long ptr, unsigned long len)
{
	if (len >= MAX_PROC_ARG_SIZE)
		len = MAX_PROC_ARG_SIZE - 1;
	len &= MAX_PROC_ARG_SIZE - 1;
	if (!ptr || len == 0) {
		auxmap__store_empty(aux);
		return;
	}
	if (bpf_probe_read_user(&aux->data[SAFE_PAYLOAD(aux->payload_pos)], len, (void *)ptr)) {
		counters__count_read_failure();
		auxmap__store_empty(aux);
		return;
	}
	auxmap__push_length(aux, (__u16)len);
}

/* Copies `len` bytes assembled in aux->tmp starting at `start` as one parameter. */
static __always_inline void auxmap__store_tmp(struct auxiliary_map *aux, __u32 start, __u32 len)
{
	if (len == 0 || len > MAX_PATH_SIZE) {
		auxmap__store_empty(aux);
		return;
	}
	bpf_probe_read_kernel(&aux->data[SAFE_PAYLOAD(aux->payload_pos)], len & (MAX_PATH_SIZE - 1 + MAX_PATH_SIZE),
			      &aux->tmp[SAFE_TMP(start) & (AUXMAP_TMP_SIZE / 2 - 1)]);
	auxmap__push_length(aux, (__u16)len);
}

/*
 * Wake the consumer only once this CPU has written g_wakeup_bytes since its last wake-up: a
 * wake-up is an irq_work and a cross-CPU interrupt, far more than the record itself costs. The
 * consumer's poll timeout bounds the latency of a quiet period.
 */
static __always_inline __u64 ringbuf__wakeup_flags(__u64 size)
{
	__u32 zero = 0;
	__u64 *pending = bpf_map_lookup_elem(&wakeup_pending, &zero);
	if (!pending)
		return 0; /* the ring buffer's own policy: wake when the consumer has caught up */
	*pending += size;
	if (*pending < g_wakeup_bytes)
		return BPF_RB_NO_WAKEUP;
	*pending = 0;
	return BPF_RB_FORCE_WAKEUP;
}

/*
 * The common prefix and scap header of a record written in place (see auxmap__preload_header).
 * The caller already holds the current task, so the tid is a load rather than a helper call.
 */
static __always_inline void record__fill_header(void *record, struct task_struct *task, __u16 type, __u32 nparams, __u32 size)
{
	struct record_prefix *prefix = record;
	prefix->cpu = (__u16)bpf_get_smp_processor_id();
	prefix->reserved = 0;
	prefix->flags = 0;
	struct scap_event_header *hdr = record + RECORD_PREFIX_SIZE;
	hdr->ts = g_boot_time_ns + bpf_ktime_get_boot_ns();
	hdr->tid = (__u32)task->pid;
	hdr->len = size - RECORD_PREFIX_SIZE;
	hdr->type = type;
	hdr->nparams = nparams;
}

/*
 * The generic exit event (ID = ppm_sc, nativeID = syscall number). It has a fixed size, so it is
 * written straight into a ring-buffer reservation: no scratch map and no copy. Measured on the
 * development VM (bpf_stats, 42-byte records): reserve + submit ~80 ns, one bpf_ringbuf_output of
 * a record built on the stack ~100 ns (it reserves, copies and commits inside).
 */
struct generic_record {
	__u8 head[RECORD_HEADER_SIZE];
	__u16 lengths[2];
	__u16 ppm_sc;
	__u16 native_id;
} __attribute__((packed));

static __always_inline void ringbuf__write_generic(struct task_struct *task, __u32 nr, __u16 ppm_sc)
{
	struct driver_counters *c = counters__get();
	if (!c)
		return;
	struct generic_record *r = bpf_ringbuf_reserve(&ringbuf, sizeof(*r), 0);
	if (!r) {
		c->drops_buffer_full++;
		return;
	}
	record__fill_header(r, task, PPME_GENERIC_X, 2, sizeof(*r));
	r->lengths[0] = sizeof(__u16);
	r->lengths[1] = sizeof(__u16);
	r->ppm_sc = ppm_sc;
	r->native_id = (__u16)nr;
	bpf_ringbuf_submit(r, ringbuf__wakeup_flags(sizeof(*r)));
	c->events++;
}

/*
 * Writes the length into the header and copies the record to the ring buffer. The consumer is
 * woken only once enough data is pending (see g_wakeup_bytes), never blocked on: a full buffer is
 * a counted drop.
 */
static __always_inline void auxmap__submit(struct auxiliary_map *aux)
{
	struct driver_counters *c = counters__get();
	if (!c)
		return;
	__u64 size = aux->payload_pos;
	if (size > MAX_RECORD_SIZE) {
		c->drops_too_large++;
		return;
	}
	struct scap_event_header *hdr = (struct scap_event_header *)&aux->data[RECORD_PREFIX_SIZE];
	hdr->len = (__u32)(size - RECORD_PREFIX_SIZE);
	if (bpf_ringbuf_output(&ringbuf, aux->data, size, ringbuf__wakeup_flags(size))) {
		c->drops_buffer_full++;
		return;
	}
	c->events++;
}

#endif
