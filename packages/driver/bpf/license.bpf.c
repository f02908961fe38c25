// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* The kernel only lets GPL-compatible programs use the helpers the driver needs. */
#include "helpers/base.h"

char LICENSE[] SEC("license") = "Dual MIT/GPL";
