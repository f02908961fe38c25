// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* The kernel only lets GPL-compatible programs use the helpers the driver needs. */
#include "helpers/base.h"

char LICENSE[] SEC("license") = "Dual MIT/GPL";

/*
 * Never read or written: they make the object's BTF describe the wire structs, which the layout
 * test (test/live/wire-layout.test.ts) compares with the TypeScript decoder's offsets.
 */
struct record_prefix g_btf_anchor_record_prefix;
struct scap_event_header g_btf_anchor_event_header;
